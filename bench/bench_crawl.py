"""Whole-crawl throughput on the scaled sample portals, beside plain trafilatura extraction.

Prints pages/s and articles stored/s of `dvcrawl crawl` (fetch + extract + store into SQLite,
in its own process, as operators run it, with its extraction worker processes), the peak RSS
and the CPU time of the crawl's whole process tree (sampled from /proc), article fetches per
distinct article, and the rate and CPU time of plain `trafilatura.extract` over the same article
pages in one loop. Issue 12's targets: stored articles/s >= 0.9x trafilatura's pages/s, CPU per
stored article <= 1.5x trafilatura's per page, tree peak RSS < 500 MB.

    python bench/bench_crawl.py [--scale 15] [--workers -1]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

import trafilatura

from dvcrawl.sampleportals import SampleNetwork

_TICK = os.sysconf("SC_CLK_TCK")
_PAGE_KB = os.sysconf("SC_PAGE_SIZE") // 1024


def _proc_stats() -> dict[int, tuple[int, float, int]]:
    """pid -> (parent pid, CPU seconds of its own, RSS in kB), for every process we can read."""
    found = {}
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        try:
            stat = Path(f"/proc/{name}/stat").read_text()
        except OSError:
            continue
        fields = stat.rsplit(")", 1)[1].split()
        cpu = (int(fields[11]) + int(fields[12])) / _TICK  # utime + stime
        found[int(name)] = (int(fields[1]), cpu, int(fields[21]) * _PAGE_KB)
    return found


class TreeSampler(threading.Thread):
    """Peak RSS of a process and its descendants, and each descendant's last CPU time."""

    def __init__(self, root: int) -> None:
        super().__init__(daemon=True)
        self.root, self.peak_kb, self.cpu = root, 0, {}
        self.running = True

    def run(self) -> None:
        while self.running:
            procs = _proc_stats()
            tree, grew = {self.root}, True
            while grew:
                more = {p for p, (ppid, _, _) in procs.items() if ppid in tree} - tree
                tree |= more
                grew = bool(more)
            self.peak_kb = max(self.peak_kb, sum(procs[p][2] for p in tree if p in procs))
            for pid in tree - {self.root}:
                if pid in procs:
                    self.cpu[pid] = procs[pid][1]
            time.sleep(0.1)


def crawl(net: SampleNetwork, workdir: Path, workers: int) -> tuple[float, dict]:
    sources = workdir / "sources.toml"
    sources.write_text(net.sources_toml(), encoding="utf-8")
    db = f"sqlite:///{workdir / 'bench.sqlite'}"
    started = time.perf_counter()
    own_before = resource.getrusage(resource.RUSAGE_CHILDREN)
    child = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "dvcrawl",
            "-q",
            "crawl",
            "--sources",
            str(sources),
            "--db",
            db,
            "--delay",
            "0",
            "-s",
            "CONCURRENT_REQUESTS_PER_DOMAIN=8",
            "-s",
            f"DVCRAWL_EXTRACT_WORKERS={workers}",
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    sampler = TreeSampler(child.pid)
    sampler.start()
    summary, _ = child.communicate()
    elapsed = time.perf_counter() - started
    sampler.running = False
    sampler.join()
    own = resource.getrusage(resource.RUSAGE_CHILDREN)
    if child.returncode:
        raise SystemExit(f"dvcrawl crawl exited {child.returncode}")
    crawl_cpu = own.ru_utime + own.ru_stime - own_before.ru_utime - own_before.ru_stime
    rows = subprocess.run(
        [sys.executable, "-m", "dvcrawl", "export", "--db", db],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.splitlines()
    return elapsed, {
        "stored": len(rows),
        "tree_peak_rss_mb": sampler.peak_kb / 1024,
        "crawl_process_cpu_s": crawl_cpu,
        "workers_cpu_s": sum(sampler.cpu.values()),
        "summary": summary,
    }


def fetch(url: str) -> bytes:
    """One page, tried twice: the sample portals answer one page 503 the first time."""
    try:
        return urllib.request.urlopen(url).read()
    except urllib.error.HTTPError:
        return urllib.request.urlopen(url).read()


def extraction_only(pages: list[tuple[str, bytes]]) -> tuple[float, float]:
    """Wall and CPU seconds of plain trafilatura over the pages, in one loop."""
    started, cpu = time.perf_counter(), time.process_time()
    for url, html in pages:
        trafilatura.extract(html, url=url, with_metadata=True)
    return time.perf_counter() - started, time.process_time() - cpu


def article_fetches(net: SampleNetwork, articles) -> int:
    """Requests for article pages (any spelling that serves one, redirects not counted)."""
    paths = {urlsplit(a.url).path.rstrip("/") for a in articles}
    return sum(
        1 for r in net.requests if r.status == 200 and urlsplit(r.path).path.rstrip("/") in paths
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--scale", type=int, default=15)
    parser.add_argument("--workers", type=int, default=-1, help="DVCRAWL_EXTRACT_WORKERS")
    args = parser.parse_args()
    with SampleNetwork(scale=args.scale) as net, tempfile.TemporaryDirectory() as tmp:
        articles = net.expected_articles()
        print(f"sample portals at scale {args.scale}: {len(articles)} article pages", flush=True)
        elapsed, result = crawl(net, Path(tmp), args.workers)
        pages = sum(1 for r in net.requests if r.path != "/robots.txt")
        fetches = article_fetches(net, articles)
        pages_html = [(a.url, fetch(a.url)) for a in articles]
    extract_s, extract_cpu = extraction_only(pages_html)
    stored = result["stored"]
    stored_rate = stored / elapsed
    extract_rate = len(pages_html) / extract_s
    cpu = result["crawl_process_cpu_s"] + result["workers_cpu_s"]
    figures = {
        "pages_fetched": pages,
        "articles_stored": stored,
        "article_fetches_per_distinct_article": round(fetches / len(articles), 3),
        "crawl_seconds": round(elapsed, 1),
        "crawl_pages_per_s": round(pages / elapsed, 1),
        "articles_stored_per_s": round(stored_rate, 1),
        "crawl_tree_peak_rss_mb": round(result["tree_peak_rss_mb"], 1),
        "crawl_cpu_s (crawl process + workers)": (
            f"{cpu:.1f} ({result['crawl_process_cpu_s']:.1f} + {result['workers_cpu_s']:.1f})"
        ),
        "cpu_ms_per_stored_article": round(1000 * cpu / stored, 1),
        "trafilatura_pages_per_s": round(extract_rate, 1),
        "trafilatura_cpu_ms_per_page": round(1000 * extract_cpu / len(pages_html), 1),
        "ratio_stored_per_s_to_trafilatura_pages_per_s": round(stored_rate / extract_rate, 2),
        "ratio_cpu_per_article_to_trafilatura": round(
            (cpu / stored) / (extract_cpu / len(pages_html)), 2
        ),
    }
    print(result["summary"])
    print(json.dumps(figures, indent=2))


if __name__ == "__main__":
    main()

"""Whole-crawl throughput on the scaled sample portals, beside plain trafilatura extraction.

Prints pages/s and articles stored/s of `dvcrawl crawl` (fetch + extract + store into SQLite,
in its own process, as operators run it), the crawl process's peak RSS, and the rate of plain
`trafilatura.extract` over the same article pages in one loop; the ratio of the two rates is
the figure issue 2 sets a target for (>= 0.60), with peak RSS under 400 MB.

    python bench/bench_crawl.py [--scale 15]
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

import trafilatura

from dvcrawl.sampleportals import SampleNetwork


def crawl(net: SampleNetwork, workdir: Path) -> tuple[float, dict]:
    sources = workdir / "sources.toml"
    sources.write_text(net.sources_toml(), encoding="utf-8")
    db = f"sqlite:///{workdir / 'bench.sqlite'}"
    started = time.perf_counter()
    done = subprocess.run(
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
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    elapsed = time.perf_counter() - started
    rows = subprocess.run(
        [sys.executable, "-m", "dvcrawl", "export", "--db", db],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.splitlines()
    peak_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return elapsed, {"stored": len(rows), "peak_rss_mb": peak_kb / 1024, "summary": done.stdout}


def fetch(url: str) -> bytes:
    """One page, tried twice: the sample portals answer one page 503 the first time."""
    try:
        return urllib.request.urlopen(url).read()
    except urllib.error.HTTPError:
        return urllib.request.urlopen(url).read()


def extraction_only(pages: list[tuple[str, bytes]]) -> float:
    started = time.perf_counter()
    for url, html in pages:
        trafilatura.extract(html, url=url, with_metadata=True)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--scale", type=int, default=15)
    args = parser.parse_args()
    with SampleNetwork(scale=args.scale) as net, tempfile.TemporaryDirectory() as tmp:
        articles = net.expected_articles()
        print(f"sample portals at scale {args.scale}: {len(articles)} article pages", flush=True)
        elapsed, result = crawl(net, Path(tmp))
        pages = sum(1 for r in net.requests if r.path != "/robots.txt")
        pages_html = [(a.url, fetch(a.url)) for a in articles]
    extract_s = extraction_only(pages_html)
    crawl_rate = pages / elapsed
    extract_rate = len(pages_html) / extract_s
    figures = {
        "pages_fetched": pages,
        "articles_stored": result["stored"],
        "crawl_seconds": round(elapsed, 1),
        "crawl_pages_per_s": round(crawl_rate, 1),
        "articles_stored_per_s": round(result["stored"] / elapsed, 1),
        "crawl_peak_rss_mb": round(result["peak_rss_mb"], 1),
        "trafilatura_pages_per_s": round(extract_rate, 1),
        "ratio_crawl_to_extraction": round(crawl_rate / extract_rate, 2),
    }
    print(result["summary"])
    print(json.dumps(figures, indent=2))


if __name__ == "__main__":
    main()

"""Discovery on varied sample networks: every article found, each stored and fetched once.

For each seed, serves the sample network (layouts drawn from the seed: query-string sections,
id URLs under several section paths, canonical links, flaky and hanging articles), runs
`dvcrawl crawl` twice (the second run picks up what failed once), and scores the database
against the network's ground truth (``dvcrawl.sampleportals.scoring``). Issue 12's targets:
>= 99.5 % of articles stored, each once; <= 1.05 article fetches per distinct article on the
first crawl.

    python bench/bench_discovery.py [--seeds 11 23 42] [--scale 1]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

from dvcrawl.sampleportals import SampleNetwork
from dvcrawl.sampleportals.scoring import score_crawl


def dvcrawl(*args: str) -> str:
    command = [sys.executable, "-m", "dvcrawl", "-q", *args]
    return subprocess.run(command, capture_output=True, text=True, check=True).stdout


def export(db: str) -> list[dict]:
    return [json.loads(line) for line in dvcrawl("export", "--db", db).splitlines()]


def ok_article_fetches(net: SampleNetwork) -> int:
    """Article fetches answered 200: without the retries of the pages that fail once (503)."""
    return sum(
        1
        for entry in net.requests
        if entry.status == 200
        and (route := net.resolve(net.base_url(entry.site_id) + entry.path)) is not None
        and route.kind == "article"
    )


def run_seed(seed: int, scale: int, workdir: Path) -> dict:
    with SampleNetwork(seed=seed, scale=scale) as net:
        sources = workdir / f"sources-{seed}.toml"
        sources.write_text(net.sources_toml(), encoding="utf-8")
        db = f"sqlite:///{workdir / f'seed-{seed}.sqlite'}"
        crawl = ("crawl", "--sources", str(sources), "--db", db, "--delay", "0")
        dvcrawl(*crawl)
        first = score_crawl(net, export(db))
        answered = ok_article_fetches(net)
        net.clear_requests()
        dvcrawl(*crawl)
        second = score_crawl(net, export(db))
    return {
        "seed": seed,
        "first crawl": first.summary(),
        "after the second crawl": second.summary(),
        "fetches_per_article_first_crawl": round(first.fetches_per_article, 3),
        "answered_fetches_per_article_first_crawl": round(answered / first.articles_fetched, 3),
        "fetches_per_article_without_forced_retries": round(first.chosen_fetches_per_article, 3),
        "stored_share": round(second.found_share, 4),
        "stored_twice": len(second.stored_twice),
        "missing": second.missing[:5],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seeds", type=int, nargs="+", default=[11, 23, 42])
    parser.add_argument("--scale", type=int, default=1)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        for seed in args.seeds:
            print(json.dumps(run_seed(seed, args.scale, Path(tmp)), indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()

"""Feed build time against database size: 1,000 vs 1,000,000 articles (issue 5, target ratio ≤ 2).

Builds a SQLite database of each size with the same 5 sources in 3 provinces (bulk Core
inserts), then times build_feeds into a fresh directory (every file written) and again into the
same directory (nothing changed). Prints the times and the ratio large/small.

    python bench/bench_feeds.py [--large N] [--keep DIR]
"""

from __future__ import annotations

import argparse
import random
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy import insert

from dvcrawl.feeds import build_feeds
from dvcrawl.storage.db import Database
from dvcrawl.storage.models import Article, Source

SOURCES = 5  # few enough that 1,000 articles fill every feed: both builds write as much
BATCH = 20_000
START = datetime(2015, 1, 1)


def _row(i: int, rng: random.Random) -> dict:
    """One synthetic article; proportions roughly as in a real crawl (most are off-topic)."""
    source = i % SOURCES
    dated = rng.random() > 0.03
    return {
        "id": i + 1,
        "url": f"https://portal{source}.example.vn/tin-tuc/bai-{i}.html",
        "source_id": f"src{source}",
        "title": f"Bài viết số {i} về công tác dân vận",
        "text": f"Đoạn mở đầu của bài {i}.\nĐoạn thứ hai, dài hơn một chút để giống bài thật.",
        "published_at": START + timedelta(minutes=5 * i) if dated else None,
        "fetched_at": START + timedelta(minutes=5 * i + 3),
        "updated_at": START + timedelta(minutes=5 * i + 3),
        "relevant": rng.random() < 0.4,
        "status": rng.choice(("new", "new", "approved", "rejected")),
        "duplicate_of_id": i if i and rng.random() < 0.1 else None,
        "relevance_terms": [],
    }


def make_db(path: Path, count: int) -> Database:
    db = Database(f"sqlite:///{path}")
    rng = random.Random(5)
    with db.engine.begin() as conn:
        conn.execute(
            insert(Source),
            [
                {
                    "id": f"src{s}",
                    "name": f"Cổng TTĐT số {s}",
                    "province": f"Tỉnh {s % 3}",
                    "start_urls": [f"https://portal{s}.example.vn/"],
                }
                for s in range(SOURCES)
            ],
        )
        for start in range(0, count, BATCH):
            rows = [_row(i, rng) for i in range(start, min(start + BATCH, count))]
            conn.execute(insert(Article), rows)
    with db.engine.begin() as conn:
        conn.exec_driver_sql("ANALYZE")
    return db


def time_build(db: Database, out: Path, runs: int = 3) -> tuple[float, float]:
    """Best-of-``runs`` seconds for a cold build (fresh dir) and a no-change rebuild."""
    cold, warm = [], []
    for run in range(runs):
        target = out / f"run{run}"
        t0 = time.perf_counter()
        build_feeds(db, target)
        cold.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        result = build_feeds(db, target)
        warm.append(time.perf_counter() - t0)
        assert not result.written, "a rebuild of unchanged data rewrote files"
    return min(cold), min(warm)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--small", type=int, default=1_000)
    parser.add_argument("--large", type=int, default=1_000_000)
    parser.add_argument("--keep", type=Path, help="keep the databases in this directory")
    args = parser.parse_args()
    workdir = args.keep or Path(tempfile.mkdtemp(prefix="bench_feeds_"))
    workdir.mkdir(parents=True, exist_ok=True)
    figures = {}
    for count in (args.small, args.large):
        db_path = workdir / f"feeds_{count}.sqlite"
        t0 = time.perf_counter()
        db = make_db(db_path, count) if not db_path.exists() else Database(f"sqlite:///{db_path}")
        print(f"{count:>9,} articles: database ready in {time.perf_counter() - t0:.1f} s")
        figures[count] = time_build(db, workdir / f"out_{count}")
        print(
            f"{count:>9,} articles: build {figures[count][0]:.3f} s, "
            f"unchanged rebuild {figures[count][1]:.3f} s"
        )
        db.dispose()
    (small_cold, small_warm), (large_cold, large_warm) = figures[args.small], figures[args.large]
    print(
        f"ratio {args.large:,}/{args.small:,}: build {large_cold / small_cold:.2f}, "
        f"unchanged rebuild {large_warm / small_warm:.2f} (target ≤ 2)"
    )


if __name__ == "__main__":
    main()

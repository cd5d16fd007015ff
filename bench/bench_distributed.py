"""Distributed crawl and PostgreSQL at scale: one worker vs two, and 1,000,000 articles.

Part 1 serves the sample portals at scale 10 with a realistic per-request delay and lets one,
then two ``dvcrawl worker`` processes crawl them through Redis into a fresh PostgreSQL
database: pages/s of each and their ratio (target >= 1.7 on 2 cores). Pages are counted at
the sample servers (robots.txt left out); the time is from the first job taken to the last
run closed (``crawl_runs``), so worker start-up and the idle wait at the end do not count.

Part 2 fills a PostgreSQL database with 1,000,000 synthetic articles (COPY; rows as in
bench_feeds.py) and times ``build_feeds`` and review-queue pages (best of 3).

Needs PostgreSQL at 127.0.0.1:5432 (trust auth) and Redis at 127.0.0.1:6379.
"""

from __future__ import annotations

import argparse
import json
import random
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from contextlib import contextmanager
from pathlib import Path

import psycopg
import redis
from sqlalchemy import func, insert, select

sys.path.insert(0, str(Path(__file__).parent))
from bench_feeds import SOURCES, _row, time_build  # noqa: E402  (a sibling script)

from dvcrawl.distributed.enqueue import enqueue_source  # noqa: E402
from dvcrawl.distributed.keys import Keys, delete_all  # noqa: E402
from dvcrawl.sampleportals import SampleNetwork  # noqa: E402
from dvcrawl.storage.db import Database  # noqa: E402
from dvcrawl.storage.models import CrawlRun, Source  # noqa: E402
from dvcrawl.storage.review import QueueFilters, queue_page  # noqa: E402

ADMIN = "host=127.0.0.1 port=5432 user=postgres dbname=test"
REDIS_URL = "redis://127.0.0.1:6379/0"
COLUMNS = (
    "id", "url", "source_id", "title", "text", "published_at", "fetched_at", "updated_at",
    "relevant", "status", "duplicate_of_id", "relevance_terms", "date_doubtful",
    "relevance_score",
)  # fmt: skip
# NOT NULL columns whose defaults live in the ORM, which COPY does not go through
ORM_DEFAULTS = {"date_doubtful": False, "relevance_score": 0.0}


@contextmanager
def fresh_pg():
    """A new PostgreSQL database for one measurement, dropped afterwards."""
    name = f"dvcrawl_bench_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(ADMIN, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield f"postgresql+psycopg://postgres@127.0.0.1:5432/{name}"
    finally:
        with psycopg.connect(ADMIN, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


# -- part 1: workers -------------------------------------------------------------------------
@contextmanager
def analyzing(db_url: str, every: float = 5.0):
    """ANALYZE the crawl database every few seconds while it fills up.

    A long-lived database has planner statistics (autovacuum); a fresh one has none, and
    PostgreSQL then scans ``article_bands`` whole for each band lookup (estimated 20 % of the
    table per IN list) instead of using its index: the store slows down as the table grows,
    and that, not the workers, set the pace (1.53x at scale 10 vs 1.79x at scale 3).
    """
    stop = threading.Event()
    dsn = db_url.replace("postgresql+psycopg://", "postgresql://")

    def loop() -> None:
        with psycopg.connect(dsn, autocommit=True) as conn:
            while not stop.wait(every):
                conn.execute("ANALYZE")

    thread = threading.Thread(target=loop, daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join()


def crawl_with(workers: int, net: SampleNetwork, logdir: Path) -> tuple[int, float]:
    """(pages fetched, seconds) of ``workers`` processes crawling every sample source once."""
    keys = Keys(f"dvbench-{uuid.uuid4().hex[:8]}")
    client = redis.Redis.from_url(REDIS_URL)
    with fresh_pg() as db_url:
        db = Database(db_url)
        for source in net.sources:
            enqueue_source(REDIS_URL, source, db_url, prefix=keys.prefix)
        net.clear_requests()
        cmd = [sys.executable, "-m", "dvcrawl", "-q", "worker", "--db", db_url,
               "--redis", REDIS_URL, "--prefix", keys.prefix, "--delay", "0",
               "--until-idle", "3"]  # fmt: skip
        logs = [(logdir / f"w{workers}_{i}.log").open("w") for i in range(workers)]
        procs = [subprocess.Popen(cmd, stderr=log, stdout=subprocess.DEVNULL) for log in logs]
        with analyzing(db_url):
            for proc in procs:
                if proc.wait() != 0:
                    raise SystemExit(f"a worker failed; see {logdir}")
        with db.session() as session:
            first, last = session.execute(
                select(func.min(CrawlRun.started_at), func.max(CrawlRun.finished_at))
            ).one()
            unfinished = session.scalar(select(func.count()).where(CrawlRun.status != "ok"))
        db.dispose()
    delete_all(client, keys)
    if unfinished:
        raise SystemExit(f"{unfinished} runs did not finish; see {logdir}")
    pages = sum(1 for r in net.requests if r.path != "/robots.txt")
    return pages, (last - first).total_seconds()


def bench_workers(scale: int, delay: float) -> None:
    logdir = Path(tempfile.mkdtemp(prefix="bench_distributed_"))
    with SampleNetwork(scale=scale, delay=delay) as net:
        print(f"sample portals: scale {scale}, {len(net.expected_articles()):,} articles, "
              f"{delay * 1000:.0f} ms per request")  # fmt: skip
        rates = {}
        for workers in (1, 2):
            pages, seconds = crawl_with(workers, net, logdir)
            rates[workers] = pages / seconds
            print(f"{workers} worker(s): {pages:,} pages in {seconds:.1f} s = "
                  f"{rates[workers]:.1f} pages/s")  # fmt: skip
    print(f"two workers / one worker: {rates[2] / rates[1]:.2f} (target >= 1.7)")


# -- part 2: a million articles ----------------------------------------------------------------
def fill(db: Database, db_url: str, count: int) -> None:
    with db.engine.begin() as conn:
        conn.execute(
            insert(Source),
            [
                {"id": f"src{s}", "name": f"Cổng TTĐT số {s}", "province": f"Tỉnh {s % 3}",
                 "start_urls": [f"https://portal{s}.example.vn/"]}
                for s in range(SOURCES)
            ],
        )  # fmt: skip
    rng = random.Random(5)
    dsn = db_url.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(dsn) as conn, conn.cursor() as cur:
        with cur.copy(f"COPY articles ({', '.join(COLUMNS)}) FROM STDIN") as copy:
            for i in range(count):
                row = ORM_DEFAULTS | _row(i, rng)
                row["relevance_terms"] = json.dumps(row["relevance_terms"])
                copy.write_row([row[c] for c in COLUMNS])
        cur.execute("SELECT setval('articles_id_seq', %s)", (count,))
        cur.execute("ANALYZE")


def best_of(fn, runs: int = 3) -> float:
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times)


def bench_million(count: int) -> None:
    with fresh_pg() as db_url:
        db = Database(db_url)
        t0 = time.perf_counter()
        fill(db, db_url, count)
        print(f"{count:,} articles copied into PostgreSQL in {time.perf_counter() - t0:.0f} s")
        cold, warm = time_build(db, Path(tempfile.mkdtemp(prefix="bench_pgfeeds_")))
        print(f"build_feeds: {cold:.3f} s (every file written), {warm:.3f} s (nothing changed)")
        queues = {
            "review queue, page 1 (new)": (QueueFilters(), 1),
            "review queue, page 20 (new)": (QueueFilters(), 20),
            "review queue, province + relevant": (QueueFilters(province="Tỉnh 1", relevance=True), 1),
            "review queue, one source, rejected": (QueueFilters(source="src3", status="rejected"), 1),
        }  # fmt: skip
        for label, (filters, page) in queues.items():

            def one_page(filters=filters, page=page) -> None:
                with db.session() as session:
                    assert queue_page(session, filters, page=page).articles

            print(f"{label}: {best_of(one_page) * 1000:.1f} ms")
        db.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=int, default=10)
    parser.add_argument("--delay", type=float, default=0.05, help="seconds per request")
    parser.add_argument("--articles", type=int, default=1_000_000)
    parser.add_argument("--skip-crawl", action="store_true")
    parser.add_argument("--skip-million", action="store_true")
    args = parser.parse_args()
    if not args.skip_crawl:
        bench_workers(args.scale, args.delay)
    if not args.skip_million:
        bench_million(args.articles)


if __name__ == "__main__":
    main()

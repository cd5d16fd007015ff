"""Distributed crawl and PostgreSQL at scale: 1 vs 3 workers, per-host load, 1,000,000 articles.

Part 1 serves two sample networks (9 of their 10 portals) with a per-request delay and crawls them
politely (``--delay``, AutoThrottle on), three ways: one in-process ``dvcrawl crawl`` of every
portal (the reference load), then 1 and 3 ``dvcrawl worker`` processes on the RQ queue. It
prints the wall time of each (from the jobs queued to the last run closed) and, counted at the
sample servers, the most concurrent requests and the most requests in any second that one
host saw. Target: 3 workers >= 2.5x faster than 1, per-host load no higher than the reference.

Part 2 fills a PostgreSQL database with 1,000,000 synthetic articles (COPY; rows as in
bench_feeds.py) and times ``build_feeds`` and review-queue pages (best of 3).

Needs PostgreSQL at 127.0.0.1:5432 (trust auth) and Redis at 127.0.0.1:6379.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import subprocess
import sys
import tempfile
import time
import uuid
from contextlib import contextmanager
from pathlib import Path

import psycopg
from sqlalchemy import func, insert, select

sys.path.insert(0, str(Path(__file__).parent))
from bench_feeds import SOURCES, _row, time_build  # noqa: E402  (a sibling script)

sys.path.insert(0, str(Path(__file__).parent.parent))
from tests.test_distributed_support import HostLoad  # noqa: E402

from dvcrawl.jobqueue.queue import connect, delete_all, enqueue_crawl, pending  # noqa: E402
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
def networks(delay: float) -> list[SampleNetwork]:
    """Two sample networks (different seeds), each portal on its own host:port."""
    return [SampleNetwork(delay=delay, seed=seed).start() for seed in (7, 8)]


def sources_toml(nets: list[SampleNetwork], portals: int) -> str:
    """The first ``portals`` portals of the networks; the second network's ids get a "-b"."""
    blocks = nets[0].sources_toml().split("[[sources]]")[1:]
    for net in nets[1:]:
        renamed = re.sub(r'^id = "([^"]+)"', r'id = "\1-b"', net.sources_toml(), flags=re.M)
        blocks += renamed.split("[[sources]]")[1:]
    return "".join(f"[[sources]]{block}" for block in blocks[:portals])


def source_ids(toml_text: str) -> list[str]:
    return re.findall(r'^id = "([^"]+)"', toml_text, flags=re.M)


def host_load(loads: list[HostLoad]) -> tuple[int, int]:
    """(most concurrent requests, most requests in one second) any one host saw."""
    in_flight = max(n for load in loads for n in load.max_in_flight.values())
    rate = max(load.peak_rate(site) for load in loads for site in load.times)
    return in_flight, rate


def crawl_in_process(toml: Path, db_url: str, delay: float) -> float:
    """Seconds of one ``dvcrawl crawl`` of every portal (the reference per-host load)."""
    t0 = time.monotonic()
    cmd = [sys.executable, "-m", "dvcrawl", "-q", "crawl", "--sources", str(toml),
           "--db", db_url, "--delay", str(delay)]  # fmt: skip
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
    return time.monotonic() - t0


def crawl_with_workers(workers: int, toml: Path, db_url: str, delay: float, logdir: Path) -> float:
    """Seconds from queueing every portal to the last run closed, with ``workers`` workers."""
    prefix = f"dvbench-{uuid.uuid4().hex[:8]}"
    client = connect(REDIS_URL)
    # Migrate once before the workers start, as a deployment does (docs/deployment.md): three
    # workers creating the schema of an empty database at once race in Alembic.
    Database(db_url).dispose()
    cmd = [sys.executable, "-m", "dvcrawl", "worker", "--db", db_url, "--redis", REDIS_URL,
           "--prefix", prefix, "--delay", str(delay), "--until-idle", "30"]  # fmt: skip
    logs = [(logdir / f"w{workers}_{i}.log").open("w") for i in range(workers)]
    procs = [subprocess.Popen(cmd, stderr=log, stdout=subprocess.DEVNULL) for log in logs]
    time.sleep(8)  # let every worker start and listen: start-up is not crawl time
    text, ids = toml.read_text("utf-8"), source_ids(toml.read_text("utf-8"))
    t0 = time.monotonic()
    for sid in ids:
        enqueue_crawl(client, prefix, sid, text, 3600)
    while any(pending(client, prefix, sid) for sid in ids):
        time.sleep(0.5)
    seconds = time.monotonic() - t0
    for proc in procs:
        proc.wait()
    delete_all(client, prefix)
    return seconds


def _closed_ok(db_url: str) -> tuple[int, int]:
    db = Database(db_url)
    with db.session() as session:
        total = session.scalar(select(func.count()).select_from(CrawlRun))
        ok = session.scalar(select(func.count()).where(CrawlRun.status == "ok"))
    db.dispose()
    return ok, total


def bench_workers(delay: float, politeness: float, portals: int, reference: bool) -> None:
    logdir = Path(tempfile.mkdtemp(prefix="bench_distributed_"))
    nets = networks(delay)
    toml = logdir / "sources.toml"
    toml.write_text(sources_toml(nets, portals), encoding="utf-8")
    print(f"{len(source_ids(toml.read_text('utf-8')))} sample portals, "
          f"{delay * 1000:.0f} ms per request, politeness delay {politeness} s")  # fmt: skip
    seconds = {}
    for label in ("crawl", 1, 3) if reference else (1, 3):
        loads = [HostLoad(net) for net in nets]
        with fresh_pg() as db_url:
            if label == "crawl":
                seconds[label] = crawl_in_process(toml, db_url, politeness)
            else:
                seconds[label] = crawl_with_workers(label, toml, db_url, politeness, logdir)
            ok, total = _closed_ok(db_url)
        in_flight, rate = host_load(loads)
        name = "one `dvcrawl crawl`" if label == "crawl" else f"{label} worker(s)"
        print(f"{name}: {seconds[label]:.0f} s, runs ok {ok}/{total}; per host at most "
              f"{in_flight} concurrent, {rate} requests in one second")  # fmt: skip
    for net in nets:
        net.stop()
    print(f"3 workers / 1 worker speed-up: {seconds[1] / seconds[3]:.2f} (target >= 2.5)")


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
    parser.add_argument("--delay", type=float, default=0.05, help="seconds per request")
    # 9 = 3 rounds of 3 workers: a count that 3 does not divide would cap the speed-up
    # below 3 by itself (10 portals: 4 rounds, 2.5x at best).
    parser.add_argument("--portals", type=int, default=9, help="how many (up to 10)")
    parser.add_argument(
        "--politeness", type=float, default=0.5, help="the crawls' --delay (default: 0.5 s)"
    )
    parser.add_argument("--articles", type=int, default=1_000_000)
    parser.add_argument("--skip-crawl", action="store_true")
    parser.add_argument("--skip-reference", action="store_true", help="no `dvcrawl crawl` run")
    parser.add_argument("--skip-million", action="store_true")
    args = parser.parse_args()
    if not args.skip_crawl:
        bench_workers(args.delay, args.politeness, args.portals, not args.skip_reference)
    if not args.skip_million:
        bench_million(args.articles)


if __name__ == "__main__":
    main()

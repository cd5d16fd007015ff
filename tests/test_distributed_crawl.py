"""Two ``dvcrawl worker`` processes crawl the sample portals through Redis into PostgreSQL."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from collections import Counter

import pytest
from sqlalchemy import func, select
from tests.test_distributed_support import (
    REDIS_TEST_URL,
    assert_every_article_once,
    copies_mislinked,
    exported,
    start_worker,
)

from dvcrawl.distributed.enqueue import enqueue_source
from dvcrawl.storage.db import open_database
from dvcrawl.storage.models import Article, CrawlRun

# The worker's last line: "worker <id> stopped (finished): 154 pages fetched, ..."
RECEIVED = re.compile(r"stopped \(finished\): (\d+) pages fetched")
UNTIL_IDLE = ("--until-idle", "4", "--heartbeat", "1")


def enqueue_all(network, db_url: str, keys) -> list[int]:
    return [enqueue_source(REDIS_TEST_URL, s, db_url, prefix=keys.prefix) for s in network.sources]


def wait_all(procs: list[subprocess.Popen], logs, timeout: float = 240) -> None:
    for proc, log in zip(procs, logs, strict=True):
        try:
            code = proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
            pytest.fail(f"worker did not finish: {log.read_text()[-3000:]}")
        if code not in (0, -signal.SIGKILL):
            pytest.fail(f"worker exited {code}: {log.read_text()[-3000:]}")


def assert_runs_closed(db_url: str, run_ids: list[int], killed: bool = False) -> None:
    with open_database(db_url).session() as session:
        runs = session.scalars(select(CrawlRun).where(CrawlRun.id.in_(run_ids))).all()
        assert {r.status for r in runs} == {"ok"}, [(r.source_id, r.status) for r in runs]
        assert all(r.finished_at and r.pages_fetched > 0 for r in runs)
        new = sum(r.articles_new for r in runs)
        stored = session.scalar(select(func.count(Article.id)))
        # a killed worker's last stores are in the database but not in its run counters
        assert new == stored if not killed else stored - 10 <= new <= stored


def test_two_workers_share_the_crawl(sample_network, pg_url, redis_keys, tmp_path, run_cli):
    client, keys = redis_keys
    run_ids = enqueue_all(sample_network, pg_url, keys)
    logs = [tmp_path / f"worker{i}.log" for i in range(2)]
    procs = [start_worker(pg_url, keys, log, *UNTIL_IDLE) for log in logs]
    wait_all(procs, logs)
    rows = exported(run_cli, pg_url)
    assert_every_article_once(sample_network, rows)
    assert not copies_mislinked(sample_network, rows)  # the shared near-duplicate index
    # no page fetched twice across the two workers (robots.txt is per worker; 5xx are retried)
    fetched = Counter(
        (r.site_id, r.path)
        for r in sample_network.requests
        if r.path != "/robots.txt" and r.status < 500
    )
    twice = {k: n for k, n in fetched.items() if n > 1}
    assert not twice, twice
    # each worker took part, without a deprecation warning (scrapy-redis is bridged)
    for log in logs:
        text = log.read_text()
        assert "Deprecat" not in text, text[-2000:]
        fetched_here = RECEIVED.search(text)
        assert fetched_here and int(fetched_here.group(1)) > 10, text[-2000:]
    assert_runs_closed(pg_url, run_ids)
    assert client.zcard(keys.requests) == 0
    assert not list(client.scan_iter(match=f"{keys.prefix}:processing:*"))


def _stored(db_url: str) -> int:
    with open_database(db_url).session() as session:
        return session.scalar(select(func.count(Article.id)))


def test_a_killed_worker_loses_nothing(sample_network, pg_url, redis_keys, tmp_path, run_cli):
    client, keys = redis_keys
    run_ids = enqueue_all(sample_network, pg_url, keys)
    logs = [tmp_path / f"worker{i}.log" for i in range(2)]
    procs = [start_worker(pg_url, keys, log, *UNTIL_IDLE) for log in logs]
    # the worker id holds the pid: wait until the victim holds requests in mid-crawl
    victim = f"{keys.prefix}:processing:*:{procs[0].pid}:*"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        held = [k for k in client.scan_iter(match=victim) if client.hlen(k)]
        if held and _stored(pg_url) >= 20:
            break
        time.sleep(0.05)
    else:
        pytest.fail("the first worker never held requests in mid-crawl")
    procs[0].send_signal(signal.SIGKILL)  # no clean exit, no hand-back
    wait_all(procs, logs)
    assert procs[0].returncode == -signal.SIGKILL
    assert "re-queued" in logs[1].read_text()
    assert_every_article_once(sample_network, exported(run_cli, pg_url))
    assert_runs_closed(pg_url, run_ids, killed=True)


def test_scheduler_hands_crawls_to_a_worker_and_publishes(
    sample_network, pg_url, redis_keys, tmp_path, run_cli
):
    """CONTRACT: with DVCRAWL_REDIS_URL set, `dvcrawl schedule` queues, the workers crawl."""
    client, keys = redis_keys
    sources, feeds = tmp_path / "sources.toml", tmp_path / "feeds"
    sources.write_text(sample_network.sources_toml(), encoding="utf-8")
    env = dict(os.environ, DVCRAWL_REDIS_URL=REDIS_TEST_URL, DVCRAWL_REDIS_PREFIX=keys.prefix)
    schedule = subprocess.Popen(
        [sys.executable, "-m", "dvcrawl", "schedule", "--sources", str(sources), "--db", pg_url,
         "--feeds-out", str(feeds), "--every", "1h"],
        env=env, stdout=subprocess.DEVNULL, stderr=(tmp_path / "schedule.log").open("w"),
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 60
        while client.llen(keys.jobs) < len(sample_network.sources):
            assert time.monotonic() < deadline, (tmp_path / "schedule.log").read_text()[-2000:]
            time.sleep(0.2)
        log = tmp_path / "worker.log"
        wait_all([start_worker(pg_url, keys, log, *UNTIL_IDLE)], [log])
        rows = exported(run_cli, pg_url)
        assert_every_article_once(sample_network, rows)
        # the scheduler rebuilds the feeds once it sees the workers' runs store articles
        originals = [r for r in rows if r["relevant"] and not r["duplicate_of"]]
        newest = max(originals, key=lambda r: r["published"] or "")
        feed = feeds / "all.rss"
        deadline = time.monotonic() + 60
        while not (feed.exists() and newest["title"] in feed.read_text(encoding="utf-8")):
            assert time.monotonic() < deadline, (tmp_path / "schedule.log").read_text()[-2000:]
            time.sleep(0.5)
    finally:
        schedule.terminate()
        schedule.wait(30)
    with open_database(pg_url).session() as session:
        statuses = session.scalars(select(CrawlRun.status)).all()
    assert sorted(statuses) == ["ok"] * len(sample_network.sources)

"""Distribution by source: `dvcrawl worker`s on the RQ queue crawl whole sources, each with the
same crawl command as the scheduler, one worker per portal at a time."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time

import pytest
from sqlalchemy import func, select
from tests.test_distributed_support import (
    REDIS_TEST_URL,
    HostLoad,
    assert_every_article_once,
    copies_mislinked,
    descendants,
    exported,
    start_worker,
)

from dvcrawl.jobqueue.lock import SourceLock, Watchdog
from dvcrawl.jobqueue.queue import enqueue_crawl, pending
from dvcrawl.sampleportals import SampleNetwork
from dvcrawl.settings import CONCURRENT_REQUESTS_PER_DOMAIN
from dvcrawl.storage.db import open_database
from dvcrawl.storage.models import Article, CrawlRun
from dvcrawl.storage.runs import WORKER

DELAY = 0.25  # the politeness delay every crawl here runs with (`--delay`)
# Scrapy waits 0.5-1.5 x DOWNLOAD_DELAY between two requests to one host (AutoThrottle only
# lengthens it), so one crawl sends at most 2 / DELAY requests in any second, plus the edge.
MAX_PER_SECOND = int(2 / DELAY) + 1


def wait_until(check, timeout: float, what: str, poll: float = 0.2):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = check()
        if value:
            return value
        time.sleep(poll)
    raise AssertionError(f"timed out after {timeout:g}s waiting for {what}")


def wait_workers(procs, logs, timeout: float = 400) -> None:
    for proc, log in zip(procs, logs, strict=True):
        try:
            code = proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
            pytest.fail(f"worker did not finish: {log.read_text()[-3000:]}")
        assert code in (0, -signal.SIGKILL), log.read_text()[-3000:]


def run_rows(db_url: str) -> list[CrawlRun]:
    with open_database(db_url).session() as session:
        query = select(CrawlRun).order_by(CrawlRun.started_at, CrawlRun.id)
        return list(session.scalars(query))


def running_on(db_url: str, worker_pid: int) -> str | None:
    """The source a worker is crawling once it has stored a few of its articles, if any."""
    with open_database(db_url).session() as session:
        for run in session.scalars(select(CrawlRun).where(CrawlRun.status == "running")):
            if str((run.stats or {}).get(WORKER, "")).endswith(f":{worker_pid}"):
                stored = session.scalar(
                    select(func.count(Article.id)).where(Article.source_id == run.source_id)
                )
                return run.source_id if stored >= 5 else None
    return None


def test_three_workers_are_polite_store_once_and_take_over_a_killed_one(
    pg_url, redis_keys, tmp_path, run_cli
):
    client, prefix = redis_keys
    with SampleNetwork(delay=0.02) as network:
        load = HostLoad(network)
        for source in network.sources:
            assert enqueue_crawl(client, prefix, source.id, network.sources_toml(), 300)
        assert not enqueue_crawl(client, prefix, "hanam", network.sources_toml(), 300)
        logs = [tmp_path / f"worker{i}.log" for i in range(3)]
        extra = ("--until-idle", "30", "--delay", str(DELAY))
        procs = [start_worker(pg_url, prefix, log, *extra) for log in logs]
        victim = wait_until(lambda: running_on(pg_url, procs[0].pid), 180, "a crawl mid-way")
        procs[0].send_signal(signal.SIGKILL)
        killed_at = time.monotonic()

        def taken_over() -> bool:
            last = [r for r in run_rows(pg_url) if r.source_id == victim][-1]
            return last.status == "ok"

        wait_until(taken_over, 120, f"{victim} crawled to the end after its worker was killed")
        took = time.monotonic() - killed_at
        wait_workers(procs[1:], logs[1:])
        rows = exported(run_cli, pg_url)
        assert took < 120
        assert_every_article_once(network, rows)
        assert not copies_mislinked(network, rows)
    for site_id in network.sites:  # never more than one crawl's load on one host
        assert load.max_in_flight[site_id] <= CONCURRENT_REQUESTS_PER_DOMAIN, site_id
        assert load.peak_rate(site_id) <= MAX_PER_SECOND, (site_id, load.peak_rate(site_id))
    last = {r.source_id: r.status for r in run_rows(pg_url)}
    assert set(last.values()) == {"ok"}, last
    statuses = [r.status for r in run_rows(pg_url) if r.source_id == victim]
    assert statuses[-1] == "ok" and statuses[0] in ("stopped", "interrupted"), statuses
    assert not pending(client, prefix, victim)


def test_a_lost_machine_is_taken_over_through_rq_registry_clean_up(
    pg_url, redis_keys, tmp_path, run_cli
):
    """Every process of a worker killed at once (a power cut): no horse is left to fail the
    job, so RQ's started-job registry expires it and a live worker's clean-up requeues it."""
    client, prefix = redis_keys
    with SampleNetwork(delay=0.02) as network:
        sites = {"hanam", "danvan"}
        for sid in sorted(sites):
            assert enqueue_crawl(client, prefix, sid, network.sources_toml(), 300)
        logs = [tmp_path / f"worker{i}.log" for i in range(2)]
        procs = [start_worker(pg_url, prefix, log, "--until-idle", "30") for log in logs]
        victim = wait_until(lambda: running_on(pg_url, procs[0].pid), 180, "a crawl mid-way")
        tree = [procs[0].pid, *descendants(procs[0].pid)]
        for pid in tree:
            os.kill(pid, signal.SIGKILL)
        killed_at = time.monotonic()

        def finished() -> list[str]:
            statuses = [r.status for r in run_rows(pg_url) if r.source_id == victim]
            return statuses if statuses[-1] == "ok" else []

        statuses = wait_until(finished, 120, f"{victim} taken over after the machine was lost")
        took = time.monotonic() - killed_at
        wait_workers(procs[1:], logs[1:])
        assert_every_article_once(network, exported(run_cli, pg_url), sites)
    assert len(tree) >= 3  # the worker, its work horse and the crawl child all went
    assert statuses[0] == "interrupted" and took < 120, (statuses, took)


def _status_json(run_cli, db_url: str) -> list[dict]:
    done = run_cli("status", "--db", db_url, "--json")
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    rows = data["sources"] if isinstance(data, dict) else data
    for row in rows:  # when is not what; everything else must match
        for key in ("last_started", "last_finished", "next_run"):
            row.pop(key, None)
    return rows


DEAD_SOURCES = """[[sources]]
id = "dead"
name = "A portal that is down"
start_urls = ["http://127.0.0.1:9/"]
"""


def test_a_dead_portal_reads_the_same_in_process_and_on_the_workers(tmp_path, redis_keys, run_cli):
    client, prefix = redis_keys
    sources = tmp_path / "sources.toml"
    sources.write_text(DEAD_SOURCES, encoding="utf-8")
    local, remote = (f"sqlite:///{tmp_path / name}.sqlite" for name in ("local", "remote"))
    for _ in range(3):
        done = run_cli("crawl", "--sources", str(sources), "--db", local, timeout=120)
        assert done.returncode == 0, done.stderr
    log = tmp_path / "worker.log"
    worker = start_worker(remote, prefix, log, "--until-idle", "20")
    try:
        for attempt in range(3):
            assert enqueue_crawl(client, prefix, "dead", DEAD_SOURCES, 60)
            wait_until(
                lambda: not pending(client, prefix, "dead"), 120, f"worker run {attempt + 1}"
            )
    finally:
        worker.terminate()
        worker.wait(60)
    in_process, on_workers = _status_json(run_cli, local), _status_json(run_cli, remote)
    assert in_process == on_workers
    (row,) = on_workers
    assert row["last_status"] == "failed" and row["failure_streak"] == 3
    assert "failing: 3 failed runs in a row" in row["alarms"]
    assert "no start URL could be fetched" in row["last_reason"]


def test_scheduler_hands_sources_to_a_worker_backs_off_and_publishes(
    sample_network, pg_url, redis_keys, tmp_path, run_cli
):
    """docs/contract.md: with DVCRAWL_REDIS_URL set, `dvcrawl schedule` queues, the workers crawl."""
    client, prefix = redis_keys
    sources, feeds = tmp_path / "sources.toml", tmp_path / "feeds"
    dead = DEAD_SOURCES + 'interval = "2s"\n'
    sources.write_text(sample_network.sources_toml() + "\n" + dead, encoding="utf-8")
    env = dict(os.environ, DVCRAWL_REDIS_URL=REDIS_TEST_URL, DVCRAWL_REDIS_PREFIX=prefix)
    sched_log = tmp_path / "schedule.log"
    schedule = subprocess.Popen(
        [sys.executable, "-m", "dvcrawl", "schedule", "--sources", str(sources), "--db", pg_url,
         "--feeds-out", str(feeds), "--every", "1h"],
        env=env, stdout=subprocess.DEVNULL, stderr=sched_log.open("w"),
    )  # fmt: skip
    log = tmp_path / "worker.log"
    worker = start_worker(pg_url, prefix, log, "--delay", "0")
    try:
        originals = []

        def crawled() -> bool:
            ok = {r.source_id for r in run_rows(pg_url) if r.status == "ok"}
            return ok >= set(sample_network.sites)

        wait_until(crawled, 300, "every sample portal crawled by the worker", poll=1)
        rows = exported(run_cli, pg_url)
        assert_every_article_once(sample_network, rows)
        originals = [r for r in rows if r["relevant"] and not r["duplicate_of"]]
        newest = max(originals, key=lambda r: r["published"] or "")
        feed = feeds / "all.rss"
        wait_until(
            lambda: feed.exists() and newest["title"] in feed.read_text(encoding="utf-8"),
            60,
            "the feeds rebuilt with the workers' articles",
        )
        # the dead portal failed on the workers, and the scheduler backed off from it
        wait_until(lambda: "dead failed" in sched_log.read_text(), 60, "the back-off")
    finally:
        schedule.terminate()
        schedule.wait(30)
        worker.terminate()
        worker.wait(60)
    assert "child" not in sched_log.read_text()  # the scheduler itself crawled nothing
    dead_runs = {r.status for r in run_rows(pg_url) if r.source_id == "dead"}
    assert dead_runs == {"failed"}


def test_one_holder_per_source_lock_and_the_watchdog_stops_a_crawl_that_lost_it(redis_keys):
    client, prefix = redis_keys
    first = SourceLock(client, f"{prefix}:lock:a", ttl=2)
    second = SourceLock(client, f"{prefix}:lock:a", ttl=2)
    assert first.acquire(wait=0) and not second.acquire(wait=0.5)
    assert first.renew()
    client.delete(f"{prefix}:lock:a")  # as if it had expired while Redis was away
    assert not first.renew()
    assert second.acquire(wait=0)
    stopped = []
    watchdog = Watchdog(first, lambda: stopped.append(True), parent=os.getppid())
    watchdog.run()  # in this thread: returns once it trips
    assert stopped == [True] and watchdog.tripped == "the source lock was lost"
    second.release()
    assert first.acquire(wait=0)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--redis", "redis://127.0.0.1:1/0"), "Redis unreachable at redis://127.0.0.1:1/0"),
        (("--redis", REDIS_TEST_URL, "--until-idle", "0"), "--until-idle must be positive"),
        (("--redis", REDIS_TEST_URL, "-s", "NOEQUALS"), "--set expects NAME=VALUE"),
    ],
)
def test_worker_refuses_bad_input_with_one_line_and_exit_2(run_cli, tmp_path, args, message):
    env = {"DVCRAWL_REDIS_URL": ""}
    done = run_cli("worker", "--db", f"sqlite:///{tmp_path / 'w.sqlite'}", *args, env=env)
    assert done.returncode == 2, done.stderr
    assert message in done.stderr and len(done.stderr.strip().splitlines()) == 1, done.stderr


def test_worker_without_redis_says_how_to_give_it(run_cli, monkeypatch):
    monkeypatch.delenv("DVCRAWL_REDIS_URL", raising=False)
    done = run_cli("worker")
    assert done.returncode == 2
    assert "no Redis: pass --redis URL or set $DVCRAWL_REDIS_URL" in done.stderr

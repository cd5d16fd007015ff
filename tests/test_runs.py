"""The one owner of run rows (storage/runs.py): statuses, results, heartbeats, stale rows."""

from __future__ import annotations

import subprocess
import sys
from datetime import timedelta

import pytest

from dvcrawl.health import failure_streak
from dvcrawl.storage.db import Database
from dvcrawl.storage.models import CrawlRun, utcnow
from dvcrawl.storage.runs import (
    HEARTBEAT_AT,
    OWNER,
    SCHEDULED,
    STALE_AFTER,
    WORKER,
    RunStatus,
    close_run,
    close_stale_runs,
    heartbeat,
    open_run,
    result_from_stats,
)


@pytest.fixture
def db(db_url):
    database = Database(db_url)
    yield database
    database.dispose()


def _age(db: Database, run_id: int, seconds: float) -> None:
    """Make a row look as if its crawl last stamped it ``seconds`` ago."""
    with db.session() as s:
        run = s.get(CrawlRun, run_id)
        old = (utcnow() - timedelta(seconds=seconds)).isoformat()
        run.stats = {**run.stats, HEARTBEAT_AT: old}
        run.started_at = utcnow() - timedelta(seconds=seconds)


def _status(db: Database, run_id: int) -> str:
    with db.session() as s:
        return s.get(CrawlRun, run_id).status


def test_a_dead_portal_is_a_failed_run_and_a_shutdown_is_not():
    refused = {"downloader/exception_type_count/twisted.internet.error.ConnectionRefusedError": 2}
    dead = result_from_stats("a", 1, {**refused, "dvcrawl/start_url_status": {}}, "finished")
    assert dead.status is RunStatus.FAILED and "ConnectionRefusedError" in dead.reason
    stats = {
        "dvcrawl/start_url_status": {"http://a/": 200},
        "response_received_count": 7,
        "dvcrawl/articles_seen": 5,
        "dvcrawl/articles_new": 3,
        "retry/max_reached": 1,
        "dvcrawl/listing_failed/404": 1,
    }
    ok = result_from_stats("a", 2, stats, "finished")
    assert (ok.status, ok.pages_fetched, ok.articles_new, ok.errors) == (RunStatus.OK, 7, 3, 2)
    assert ok.stats["articles_seen"] == 5 and ok.stats["close_reason"] == "finished"
    assert result_from_stats("a", 3, stats, "shutdown").status is RunStatus.STOPPED


def test_stale_rows_are_interrupted_and_live_ones_kept(db):
    dead, live = open_run(db, "a"), open_run(db, "b")
    _age(db, dead, STALE_AFTER + 5)
    _age(db, live, STALE_AFTER + 5)
    heartbeat(db, [live])  # the live crawl is still stamping its row
    assert close_stale_runs(db) == 1
    assert (_status(db, dead), _status(db, live)) == ("interrupted", "running")
    # an interrupted run says nothing about the portal: no failure streak, no back-off
    with db.session() as s:
        assert failure_streak(s, "a") == 0


def test_a_new_scheduler_closes_the_dead_schedulers_runs_at_once(db):
    """A scheduler killed mid-crawl leaves a freshly stamped row; its crawl child died with it,
    so the scheduler that takes the lock over closes it without waiting for it to go stale."""
    scheduled = open_run(db, "a", **{SCHEDULED: 4242})
    by_worker = open_run(db, "b", **{WORKER: "host:1"})
    by_hand = open_run(db, "c")  # a `dvcrawl crawl` of its own, not the scheduler's
    assert close_stale_runs(db) == 0  # all three were stamped a moment ago
    assert close_stale_runs(db, scheduler_lock=True) == 1
    statuses = [_status(db, run) for run in (scheduled, by_worker, by_hand)]
    assert statuses == ["interrupted", "running", "running"]


def test_the_next_run_of_a_source_closes_its_stale_run(db):
    dead = open_run(db, "a")
    _age(db, dead, STALE_AFTER + 5)
    fresh = open_run(db, "a")
    assert (_status(db, dead), _status(db, fresh)) == ("interrupted", "running")


def test_a_worker_holding_the_lock_closes_a_dead_workers_run_at_once(db):
    """Workers crawl a source only under its lock: a worker row met by the lock's new holder
    is dead even when its last stamp is recent (its machine died seconds ago)."""
    dead = open_run(db, "a", **{WORKER: "host:1"})
    manual = open_run(db, "a")  # a `dvcrawl crawl` beside the workers, without the lock
    taker = open_run(db, "a", exclusive=True, **{WORKER: "host:2"})
    statuses = [_status(db, r) for r in (dead, manual, taker)]
    assert statuses == ["interrupted", "running", "running"]


def test_closing_writes_the_result_and_the_streak_counts_failures(db):
    for _ in range(2):
        run_id = open_run(db, "a")
        close_run(db, result_from_stats("a", run_id, {}, "finished"))
    with db.session() as s:
        run = s.get(CrawlRun, run_id)
        assert run.status == "failed" and run.finished_at is not None
        assert "no start URL could be fetched" in run.reason
        assert failure_streak(s, "a") == 2


def test_a_row_whose_process_is_gone_is_closed_by_the_next_run_at_once(db, db_url):
    """`kill -9` then a rerun: the killed crawl's row was stamped a moment ago, but the process
    that opened it no longer exists on this machine, so the rerun closes it without waiting."""
    opener = "from dvcrawl.storage.db import Database; from dvcrawl.storage.runs import open_run; "
    opener += f"print(open_run(Database({db_url!r}), 'a'))"
    out = subprocess.run([sys.executable, "-c", opener], capture_output=True, text=True, check=True)
    dead = int(out.stdout.strip())
    alive = open_run(db, "b")  # opened by this very process, which lives on
    assert close_stale_runs(db, "b") == 0
    fresh = open_run(db, "a")
    assert (_status(db, dead), _status(db, alive), _status(db, fresh)) == (
        "interrupted",
        "running",
        "running",
    )


@pytest.mark.parametrize(
    "change",
    [{"start": "1"}, {"boot": "an-earlier-boot"}],
    ids=["pid reused by a later process", "opened before the machine booted"],
)
def test_a_reused_pid_or_an_earlier_boot_is_a_dead_owner(db, change):
    dead = open_run(db, "a")
    with db.session() as s:
        run = s.get(CrawlRun, dead)
        run.stats = {**run.stats, OWNER: {**run.stats[OWNER], **change}}
    assert close_stale_runs(db) == 1 and _status(db, dead) == "interrupted"


def test_another_machines_row_waits_for_its_heartbeat(db):
    """A process on another host cannot be asked: its row stays until its stamps go stale."""
    remote = open_run(db, "a")
    with db.session() as s:
        run = s.get(CrawlRun, remote)
        owner = {**run.stats[OWNER], "host": "another-host", "pid": 999_999_999}
        run.stats = {**run.stats, OWNER: owner}
    assert close_stale_runs(db) == 0 and _status(db, remote) == "running"
    _age(db, remote, STALE_AFTER + 5)
    assert close_stale_runs(db) == 1

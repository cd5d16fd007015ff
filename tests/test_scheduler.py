"""``dvcrawl schedule`` as a real process, with a stand-in crawl child that misbehaves on demand.

The child (``{python} fake_crawl.py {source} {run_id} {db}``) behaves by source id: "ok" stores
a result, "crash" exits with an error, "hang" never ends, "hog" allocates past the memory cap,
"flaky" fails twice then succeeds, "slow" is still running when the scheduler is stopped.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from sqlalchemy import create_engine, inspect, select
from sqlalchemy.orm import Session

from dvcrawl.scheduler.jobs import next_run_times
from dvcrawl.storage.models import CrawlRun

PY = sys.executable
CLI = [PY, "-m", "dvcrawl"]

FAKE_CRAWL = textwrap.dedent(
    """
    import os, sys, time
    from datetime import UTC, datetime
    from sqlalchemy import create_engine, text

    source, run_id, db = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    counter = os.path.join(os.path.dirname(__file__), source + ".count")
    n = int(open(counter).read()) + 1 if os.path.exists(counter) else 1
    open(counter, "w").write(str(n))

    def finish(status, new):
        now = datetime.now(UTC).replace(tzinfo=None)
        with create_engine(db).begin() as conn:
            conn.execute(
                text("UPDATE crawl_runs SET status=:s, articles_new=:n, pages_fetched=1, "
                     "finished_at=:f WHERE id=:id"),
                {"s": status, "n": new, "f": now, "id": run_id},
            )

    if source in ("hang", "slow"):
        print("fetching", flush=True)
        time.sleep(600)
    if source == "crash":
        raise SystemExit("parser exploded")
    if source == "hog":
        hoard = bytearray(1024 * 1024 * 1024)
    if source == "flaky" and n <= 2:
        raise SystemExit("portal down")
    finish("ok", 1)
    """
)


def sources_toml(entries: dict[str, dict]) -> str:
    out = []
    for sid, extra in entries.items():
        out.append(f'[[sources]]\nid = "{sid}"\nname = "Portal {sid}"\n')
        out.append(f'start_urls = ["http://127.0.0.1:9/{sid}/"]\n')
        out.extend(f'{k} = "{v}"\n' for k, v in extra.items())
    return "".join(out)


class Scheduler:
    """A ``dvcrawl schedule`` process whose output goes to files we can poll."""

    def __init__(self, workdir: Path, db_url: str, *args: str, name: str = "sched") -> None:
        self.log = workdir / f"{name}.log"
        child = f"{{python}} {workdir / 'fake_crawl.py'} {{source}} {{run_id}} {{db}}"
        argv = [*CLI, "schedule", "--sources", str(workdir / "sources.toml"), "--db", db_url,
                "--crawl-command", child, "--lock-poll", "1s", "--grace", "2s", *args]  # fmt: skip
        self.out = open(self.log, "wb")  # noqa: SIM115 - closed in stop()
        self.proc = subprocess.Popen(argv, stdout=self.out, stderr=subprocess.STDOUT)

    @property
    def pid(self) -> int:
        return self.proc.pid

    def output(self) -> str:
        return self.log.read_text(errors="replace")

    def wait_for_output(self, needle: str, timeout: float = 20) -> None:
        wait_until(lambda: needle in self.output(), timeout, f"{needle!r} in output")

    def stop(self, sig: int = signal.SIGTERM, timeout: float = 20) -> int:
        if self.proc.poll() is None:
            self.proc.send_signal(sig)
        try:
            return self.proc.wait(timeout)
        finally:
            self.out.close()


def wait_until(check, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}")


def runs(db_url: str, source: str | None = None) -> list[CrawlRun]:
    """Run rows, oldest first ([] while the scheduler has not created the tables yet)."""
    engine = create_engine(db_url)
    try:
        if not inspect(engine).has_table("crawl_runs"):
            return []
        query = select(CrawlRun).order_by(CrawlRun.started_at, CrawlRun.id)
        if source is not None:
            query = query.where(CrawlRun.source_id == source)
        with Session(engine) as session:
            return list(session.scalars(query))
    finally:
        engine.dispose()


def scheduled_by(run: CrawlRun) -> int | None:
    return (run.stats or {}).get("scheduled_by")


def gaps(rows: list[dict]) -> list[float]:
    starts = [r.started_at for r in rows]
    return [(b - a).total_seconds() for a, b in zip(starts, starts[1:], strict=False)]


def workdir_for(path: Path, entries: dict[str, dict]) -> Path:
    (path / "fake_crawl.py").write_text(FAKE_CRAWL)
    (path / "sources.toml").write_text(sources_toml(entries))
    return path


# -- one scheduler session with every kind of misbehaviour at once -------------------------
SESSION_SOURCES = {
    "ok": {"interval": "1s"},
    "hang": {"interval": "1s", "timeout": "1s"},
    "crash": {"interval": "1h"},
    "hog": {"interval": "1h"},
    "flaky": {"interval": "1s"},
    "slow": {"interval": "1h"},
}


@pytest.fixture(scope="module")
def session(tmp_path_factory):
    """Run the scheduler until flaky has recovered and slow is running; then SIGTERM it."""
    work = workdir_for(tmp_path_factory.mktemp("sched"), SESSION_SOURCES)
    db_url = f"sqlite:///{work / 'db.sqlite'}"
    sched = Scheduler(work, db_url, "--workers", "6", "--memory-mb", "400", "--timeout", "60s")
    try:
        wait_until(lambda: len(runs(db_url, "flaky")) >= 5, 40, "flaky to fail twice and recover")
        wait_until(lambda: runs(db_url, "slow"), 10, "slow to start")
        time.sleep(0.5)
    finally:
        code = sched.stop()
    return {"db": db_url, "code": code, "output": sched.output(), "work": work}


def before_shutdown(rows: list[CrawlRun]) -> list[CrawlRun]:
    """Runs minus the one the final SIGTERM may have caught in progress."""
    if rows and rows[-1].reason == "stopped by the scheduler's shutdown":
        return rows[:-1]
    return rows


def test_hanging_child_is_killed_and_the_next_run_still_happens(session):
    hang = before_shutdown(runs(session["db"], "hang"))
    assert len(hang) >= 2, session["output"]
    assert {r.status for r in hang} == {"timeout"}
    assert all(r.reason.startswith("timed out after 1s") for r in hang)
    assert all(r.finished_at is not None for r in hang)
    ok = before_shutdown(runs(session["db"], "ok"))
    assert len(ok) >= 4 and {r.status for r in ok} == {"ok"}  # the others carried on


def test_crash_and_memory_cap_are_recorded_as_failed(session):
    (crash,) = runs(session["db"], "crash")
    assert (crash.status, crash.reason) == (
        "failed",
        "crashed with exit code 1: parser exploded",
    )
    (hog,) = runs(session["db"], "hog")
    assert hog.status == "failed"
    assert hog.reason.startswith("out of memory: exceeded the 400 MB cap"), hog.reason


def test_backoff_grows_after_failures_and_resets_after_success(session):
    flaky = runs(session["db"], "flaky")
    assert [r.status for r in flaky[:4]] == ["failed", "failed", "ok", "ok"]
    first, second, after_ok = gaps(flaky)[:3]
    # interval 1s: 2s after one failure, 4s after two, back to ~1s after a success.
    assert 1.9 <= first <= 3.5, gaps(flaky)
    assert 3.9 <= second <= 6.0, gaps(flaky)
    assert after_ok <= 2.5, gaps(flaky)


def test_sigterm_stops_cleanly_and_finalises_the_running_crawl(session):
    assert session["code"] == 0, session["output"]
    (slow,) = runs(session["db"], "slow")
    assert (slow.status, slow.reason) == ("stopped", "stopped by the scheduler's shutdown")
    assert not [r for r in runs(session["db"]) if r.status == "running"]


# -- restarts, the sources file, the lock ------------------------------------------------------
def test_job_store_survives_restart_and_is_reconciled(tmp_path, sqlite_url):
    work = workdir_for(tmp_path, {"a": {"interval": "1h"}, "b": {"interval": "1h"}, "c": {}})
    first = Scheduler(work, sqlite_url, "--every", "2h")
    wait_until(lambda: len(runs(sqlite_url)) == 3, 30, "the first run of each source")
    wait_until(lambda: {r.status for r in runs(sqlite_url)} == {"ok"}, 10, "runs to finish")
    assert first.stop() == 0
    engine = create_engine(sqlite_url)
    before = next_run_times(engine)
    assert set(before) == {"a", "b", "c"}
    (work / "sources.toml").write_text(
        sources_toml({"a": {"interval": "1h"}, "b": {"interval": "3h"}, "d": {}})
    )
    second = Scheduler(work, sqlite_url, "--every", "2h", name="second")
    second.wait_for_output("1 added, 1 removed, 1 rescheduled, 1 kept")
    after = next_run_times(engine)
    assert second.stop() == 0
    assert set(after) == {"a", "b", "d"}
    assert after["a"] == before["a"]  # kept as stored: the restart did not reset it
    assert after["b"] != before["b"]
    assert len(runs(sqlite_url, "a")) == 1  # not crawled again just because of the restart
    engine.dispose()


def test_invalid_sources_file_while_running_keeps_the_last_good_one(tmp_path, sqlite_url):
    work = workdir_for(tmp_path, {"ok": {"interval": "1s"}})
    sched = Scheduler(work, sqlite_url)
    try:
        wait_until(lambda: runs(sqlite_url, "ok"), 20, "a first run")
        (work / "sources.toml").write_text('[[sources]]\nid = "ok"\nname = ')
        sched.wait_for_output("keeping the last good one (1 sources)")
        count = len(runs(sqlite_url, "ok"))
        wait_until(lambda: len(runs(sqlite_url, "ok")) >= count + 2, 15, "runs to go on")
        (work / "sources.toml").write_text(
            sources_toml({"ok": {"interval": "1s"}, "new": {"interval": "1s"}})
        )
        wait_until(lambda: runs(sqlite_url, "new"), 20, "the new source's first run")
    finally:
        assert sched.stop() == 0
    assert "malformed sources file" in sched.output()


def test_second_scheduler_stands_by_and_takes_over(tmp_path, db_url):
    work = workdir_for(tmp_path, {"ok": {"interval": "1s"}})
    active = Scheduler(work, db_url, name="active")
    standby = refused = None
    try:
        wait_until(lambda: runs(db_url, "ok"), 20, "the active scheduler's first run")
        standby = Scheduler(work, db_url, name="standby")
        standby.wait_for_output("waiting as a standby")
        refused = Scheduler(work, db_url, "--no-standby", name="refused")
        assert refused.proc.wait(20) == 1
        assert "another scheduler is active" in refused.output()
        time.sleep(2)
        assert {scheduled_by(r) for r in runs(db_url)} == {active.pid}
        active.proc.kill()  # dies without cleaning up: the lock must go with it
        active.proc.wait(10)
        wait_until(
            lambda: standby.pid in {scheduled_by(r) for r in runs(db_url)}, 20, "the take-over"
        )
        standby.wait_for_output("taking over")
    finally:
        for proc in (active, standby, refused):
            if proc is not None:
                proc.stop(timeout=20)
    assert not [r for r in runs(db_url) if r.status == "running"]
    assert os.path.exists(work / "fake_crawl.py")


def test_database_outage_is_ridden_out(tmp_path, pg_url):
    """PostgreSQL refuses connections for a while: runs fail or wait, the process survives."""
    import psycopg

    work = workdir_for(tmp_path, {"ok": {"interval": "1s"}})
    name = pg_url.rsplit("/", 1)[1]
    admin = "host=127.0.0.1 port=5432 user=postgres dbname=test"
    sched = Scheduler(work, pg_url)
    try:
        wait_until(lambda: runs(pg_url, "ok"), 20, "a first run")
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS false')
            conn.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s",
                (name,),
            )
        sched.wait_for_output("the database is unreachable")
        time.sleep(3)
        assert sched.proc.poll() is None, sched.output()
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS true')
        before = len(runs(pg_url, "ok"))
        wait_until(lambda: len(runs(pg_url, "ok")) >= before + 2, 30, "runs after the outage")
        sched.wait_for_output("closed after the database came back")
    finally:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS true')
        code = sched.stop()
    assert code == 0, sched.output()
    assert "scheduler lock regained: resuming" in sched.output()
    assert not [r for r in runs(pg_url) if r.status == "running"]  # closed once it was back

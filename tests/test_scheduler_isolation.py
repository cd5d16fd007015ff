"""Crawl children: real processes that hang, crash, leak memory, ignore SIGTERM or get stopped."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time

import pytest

from dvcrawl.scheduler.backoff import backoff_cap, backoff_delay
from dvcrawl.scheduler.isolation import ChildSupervisor
from dvcrawl.storage.db import Database
from dvcrawl.storage.models import CrawlRun
from dvcrawl.storage.runs import UNRECORDED, close_after_child, open_run

PY = sys.executable


def py(code: str) -> list[str]:
    return [PY, "-c", code]


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A zombie still answers kill(0); it is dead for our purposes.
    with open(f"/proc/{pid}/stat") as f:
        return f.read().split(") ")[1][0] != "Z"


def test_hanging_child_and_its_children_are_killed_after_timeout(tmp_path):
    pidfile = tmp_path / "grandchild.pid"
    code = (
        "import subprocess, sys, time\n"
        f"p = subprocess.Popen([{PY!r}, '-c', 'import time; time.sleep(120)'])\n"
        f"open({str(pidfile)!r}, 'w').write(str(p.pid))\n"
        "print('working', flush=True)\n"
        "time.sleep(120)\n"
    )
    began = time.monotonic()
    result = ChildSupervisor(grace=2).run(py(code), timeout=1.5)
    assert time.monotonic() - began < 10
    assert (result.status, result.timed_out) == ("timeout", True)
    assert "timed out after 1.5s" in result.reason
    assert result.tail == ["working"]
    deadline = time.monotonic() + 5
    while alive(int(pidfile.read_text())) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not alive(int(pidfile.read_text())), "the crawl's own child survived the timeout"


def test_child_ignoring_sigterm_gets_sigkill_after_grace():
    code = "import signal, time\nsignal.signal(signal.SIGTERM, signal.SIG_IGN)\ntime.sleep(60)"
    began = time.monotonic()
    result = ChildSupervisor(grace=1).run(py(code), timeout=1)
    assert result.status == "timeout" and result.returncode == -9
    assert time.monotonic() - began < 8


def test_crashing_child_is_failed_with_its_last_line():
    result = ChildSupervisor().run(
        py("print('parsing'); raise SystemExit('parser exploded')"), timeout=30
    )
    assert result.status == "failed"
    assert result.reason == "crashed with exit code 1: parser exploded"


def test_child_killed_by_signal():
    result = ChildSupervisor().run(
        py("import os, signal; os.kill(os.getpid(), signal.SIGKILL)"), timeout=30
    )
    assert (result.status, result.reason) == ("killed", "killed by SIGKILL")


def test_memory_cap_is_enforced_and_leaves_room_for_normal_work():
    hog = py("x = bytearray(600 * 1024 * 1024); print('allocated')")
    result = ChildSupervisor().run(hog, timeout=30, memory_mb=300)
    assert result.status == "failed"
    assert result.reason.startswith("out of memory: exceeded the 300 MB cap")
    assert "allocated" not in result.tail
    fine = ChildSupervisor().run(
        py("x = bytearray(50 * 1024 * 1024); print('ok')"), timeout=30, memory_mb=300
    )
    assert (fine.status, fine.tail) == ("ok", ["ok"])


def test_stop_all_stops_running_children_and_refuses_new_ones():
    sup = ChildSupervisor(grace=2)
    results = []
    worker = threading.Thread(
        target=lambda: results.append(sup.run(py("import time; time.sleep(60)"), timeout=60))
    )
    worker.start()
    deadline = time.monotonic() + 5
    while sup.running() == 0 and time.monotonic() < deadline:
        time.sleep(0.02)
    sup.stop_all()
    worker.join(10)
    assert results and (results[0].status, results[0].reason) == (
        "stopped",
        "stopped by the scheduler's shutdown",
    )
    assert sup.run(py("print(1)"), timeout=5).status == "stopped"  # refused: shutting down


def test_backoff_grows_and_is_capped():
    assert [backoff_delay(60, n) for n in range(4)] == [60, 120, 240, 480]
    assert backoff_delay(60, 40) == backoff_cap(60) == 24 * 60
    assert backoff_delay(1800, 10) == 6 * 3600  # 24 × 30 min is more than 6 h: 6 h wins
    assert backoff_cap(86400) == 86400  # never shorter than the interval itself


@pytest.fixture
def db(db_url):
    database = Database(db_url)
    yield database
    database.dispose()


def test_run_rows_are_closed_by_the_scheduler_only_when_the_child_did_not(db):
    hung = open_run(db, "hatinh")
    sup = ChildSupervisor(grace=1)
    outcome = close_after_child(db, hung, sup.run(py("import time; time.sleep(30)"), timeout=0.5))
    assert (outcome.status, outcome.articles_new) == ("timeout", 0)
    silent = open_run(db, "hatinh")
    assert close_after_child(db, silent, sup.run(py("pass"), timeout=5)).reason == UNRECORDED
    done = open_run(db, "hatinh")
    with db.session() as s:
        row = s.get(CrawlRun, done)
        row.status, row.articles_new, row.reason = "ok", 3, None
    assert close_after_child(db, done, sup.run(py("pass"), timeout=5)).status == "ok"
    with db.session() as s:
        rows = {r.id: r for r in s.query(CrawlRun)}
    assert rows[hung].finished_at is not None and "timed out" in rows[hung].reason
    assert rows[silent].status == "failed"
    assert (rows[done].status, rows[done].articles_new) == ("ok", 3)


def test_a_crawl_child_dies_with_the_process_that_started_it(tmp_path):
    """A worker killed with SIGKILL must not leave its crawl running without the lock."""
    pidfile = tmp_path / "grandchild.pid"
    grandchild = (
        f"import os, time; open({str(pidfile)!r}, 'w').write(str(os.getpid())); time.sleep(60)"
    )
    middle = (
        "from dvcrawl.scheduler.isolation import ChildSupervisor; "
        f"ChildSupervisor().run([{PY!r}, '-c', {grandchild!r}], timeout=60)"
    )
    proc = subprocess.Popen(py(middle))
    deadline = time.monotonic() + 30
    while not (pidfile.exists() and pidfile.read_text()):
        assert time.monotonic() < deadline, "the grandchild never started"
        time.sleep(0.1)
    pid = int(pidfile.read_text())
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    deadline = time.monotonic() + 10
    while alive(pid) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not alive(pid)

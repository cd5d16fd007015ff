"""``dvcrawl status``: the table and --json, from real run rows and a real APScheduler job store."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import UTC, datetime, timedelta

import pytest
from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
from apscheduler.schedulers.background import BackgroundScheduler

from dvcrawl.cli import main
from dvcrawl.scheduler.jobs import JOBS_TABLE, reconcile
from dvcrawl.sources import load_sources
from dvcrawl.storage.db import Database
from dvcrawl.storage.models import Article, CrawlRun, utcnow
from dvcrawl.storage.runs import open_run

SOURCES = """
[[sources]]
id = "hatinh"
name = "Hà Tĩnh"
province = "Hà Tĩnh"
start_urls = ["http://127.0.0.1:9/"]
interval = "1h"

[[sources]]
id = "hanam"
name = "Hà Nam"
start_urls = ["http://127.0.0.1:9/hn/"]
"""


@pytest.fixture
def setup(tmp_path, db_url):
    """Three failed runs for hatinh, one good one for hanam, and a stored schedule."""
    path = tmp_path / "sources.toml"
    path.write_text(SOURCES)
    db = Database(db_url)
    now = utcnow()
    with db.session() as s:
        for i in range(3):
            s.add(CrawlRun(source_id="hatinh", started_at=now - timedelta(minutes=30 - i),
                           status="failed", reason=f"crashed with exit code 1: try {i}"))  # fmt: skip
        s.add(CrawlRun(source_id="hanam", started_at=now, status="ok", articles_new=2))
        for i in range(2):
            s.add(Article(url=f"http://127.0.0.1:9/hn/{i}", source_id="hanam", title="t"))
    scheduler = BackgroundScheduler(
        jobstores={"default": SQLAlchemyJobStore(engine=db.engine, tablename=JOBS_TABLE)},
        timezone=UTC,
    )
    scheduler.start(paused=True)
    reconcile(scheduler, load_sources(path), 600)
    expected = {j.id: j.next_run_time for j in scheduler.get_jobs()}
    scheduler.shutdown(wait=False)
    db.dispose()
    return path, expected


def test_json_lists_each_source_with_health_and_next_run(setup, db_url, capsys):
    path, expected = setup
    assert main(["status", "--sources", str(path), "--db", db_url, "--json"]) == 0
    rows = {r["source_id"]: r for r in json.loads(capsys.readouterr().out)}
    assert list(rows) == ["hatinh", "hanam"]  # file order
    hatinh, hanam = rows["hatinh"], rows["hanam"]
    assert (hatinh["last_status"], hatinh["failure_streak"]) == ("failed", 3)
    assert hatinh["last_reason"] == "crashed with exit code 1: try 2"
    assert hatinh["alarms"] == ["failing: 3 failed runs in a row"]
    assert (hanam["last_status"], hanam["articles_stored"], hanam["alarms"]) == ("ok", 2, [])
    for sid, row in rows.items():
        stored = expected[f"crawl:{sid}"].astimezone(UTC).replace(tzinfo=None)
        assert datetime.fromisoformat(row["next_run"]) == stored.replace(microsecond=0, tzinfo=UTC)


def test_table_has_one_row_per_source(setup, db_url, capsys):
    path, _ = setup
    assert main(["status", "--sources", str(path), "--db", db_url]) == 0
    header, *lines = capsys.readouterr().out.splitlines()
    assert header.split()[:3] == ["source", "last", "run"]
    assert [line.split()[0] for line in lines] == ["hatinh", "hanam"]
    assert "failed: crashed with exit code 1: try 2" in lines[0]
    assert lines[0].rstrip().endswith("failing: 3 failed runs in a row")


def test_without_sources_file_uses_what_the_database_knows(sqlite_url, capsys):
    Database(sqlite_url).dispose()
    assert main(["status", "--db", sqlite_url, "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == []
    with Database(sqlite_url).session() as s:
        s.add(CrawlRun(source_id="orphan", status="timeout", reason="timed out after 900s"))
    assert main(["status", "--db", sqlite_url]) == 0
    out = capsys.readouterr().out
    assert "orphan" in out and "timeout: timed out after 900s" in out


def test_bad_sources_file_is_a_clear_error(tmp_path, sqlite_url, capsys):
    bad = tmp_path / "bad.toml"
    bad.write_text('[[sources]]\nid = "x"\n')
    assert main(["status", "--sources", str(bad), "--db", sqlite_url]) == 2
    assert "key 'name': required key is missing" in capsys.readouterr().err


def test_a_killed_crawl_not_yet_closed_is_shown_interrupted(sqlite_url, capsys):
    """After `kill -9`, before any rerun: status does not show a crawl that is gone as running;
    a crawl whose process lives (this test's own) still reads "running"."""
    opener = "from dvcrawl.storage.db import Database; from dvcrawl.storage.runs import open_run; "
    opener += f"open_run(Database({sqlite_url!r}), 'gone')"
    subprocess.run([sys.executable, "-c", opener], check=True)
    db = Database(sqlite_url)
    open_run(db, "alive")
    db.dispose()
    assert main(["status", "--db", sqlite_url, "--json"]) == 0
    rows = {r["source_id"]: r for r in json.loads(capsys.readouterr().out)}
    assert rows["gone"]["last_status"] == "interrupted"
    assert "process is gone" in rows["gone"]["last_reason"]
    assert rows["gone"]["failure_streak"] == 0  # says nothing about the portal
    assert rows["alive"]["last_status"] == "running"

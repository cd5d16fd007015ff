"""Source health and its alarms, computed from real rows in a real database."""

from __future__ import annotations

from datetime import UTC, timedelta

import pytest

from dvcrawl.health import failure_streak, source_health, streak_of
from dvcrawl.sources import Source
from dvcrawl.storage.db import Database
from dvcrawl.storage.models import Article, CrawlRun, utcnow

SRC = Source(id="hatinh", name="Hà Tĩnh portal", start_urls=("http://127.0.0.1/",), province="HT")


def add_run(session, minutes_ago: int, status: str = "ok", **kw) -> None:
    started = utcnow() - timedelta(minutes=minutes_ago)
    session.add(
        CrawlRun(
            source_id=kw.pop("source_id", "hatinh"),
            started_at=started,
            finished_at=started + timedelta(seconds=30),
            status=status,
            **kw,
        )
    )


def add_articles(session, n: int, days_ago: float, *, dated: bool, authored: bool, tag: str):
    for i in range(n):
        session.add(
            Article(
                url=f"http://127.0.0.1/{tag}/{i}",
                source_id="hatinh",
                title=f"t{i}",
                published="2024-01-01" if dated else None,
                author="Ban Dân vận" if authored else None,
                fetched_at=utcnow() - timedelta(days=days_ago),
            )
        )


@pytest.fixture
def db(db_url):
    database = Database(db_url)
    yield database
    database.dispose()


def one(db, **kw):
    with db.session() as s:
        return source_health(s, [SRC], **kw)[0]


def test_streak_skips_running_and_stops_at_success():
    assert streak_of(["running", "failed", "timeout", "ok", "failed"]) == 2
    assert streak_of(["ok", "failed"]) == 0
    assert streak_of([]) == 0


def test_last_run_streak_and_failing_alarm(db):
    with db.session() as s:
        add_run(s, 50, "ok", articles_new=4)
        for m in (40, 30, 20):
            add_run(s, m, "failed", reason=f"boom {m}")
    h = one(db)
    assert (h.last_status, h.last_reason, h.failure_streak) == ("failed", "boom 20", 3)
    assert any(a.startswith("failing:") for a in h.alarms)
    with db.session() as s:
        assert failure_streak(s, "hatinh") == 3
        add_run(s, 5, "ok", articles_new=1)
    assert one(db).failure_streak == 0


def test_no_articles_alarm_only_when_source_usually_has_some(db):
    with db.session() as s:
        for m in (50, 40, 30):
            add_run(s, m, pages_fetched=9, articles_new=2, stats={"articles_seen": 8})
        add_run(s, 10, pages_fetched=3, articles_new=0, stats={"articles_seen": 0})
    alarms = one(db).alarms
    assert [a for a in alarms if a.startswith("no-articles")], alarms


def test_no_alarm_when_the_listing_showed_only_known_articles(db):
    """An incremental run that downloads nothing because all links are known is healthy."""
    with db.session() as s:
        for m in (50, 40, 30):
            add_run(s, m, pages_fetched=9, articles_new=2, stats={"articles_seen": 8})
        quiet = {"articles_seen": 0, "dvcrawl/article_known_skipped": 12}
        add_run(s, 10, pages_fetched=3, articles_new=0, stats=quiet)
        add_run(s, 60, pages_fetched=1, articles_new=0, stats={"articles_seen": 0}, source_id="x")
    assert one(db).alarms == []
    with db.session() as s:  # a listing answering 304 Not Modified is no evidence either
        add_run(s, 5, pages_fetched=1, stats={"dvcrawl/listing_not_modified": 1})
    assert one(db).alarms == []


def test_no_alarm_for_quiet_source_or_when_articles_seen(db):
    with db.session() as s:
        for m in (50, 40, 30, 10):
            add_run(s, m, pages_fetched=3, articles_new=0, stats={"articles_seen": 0})
        add_run(s, 60, pages_fetched=3, articles_new=0, stats={"articles_seen": 5}, source_id="x")
    assert one(db).alarms == []


def test_start_url_404_alarm(db):
    status = {"http://127.0.0.1/dan-van/": 404, "http://127.0.0.1/": 200}
    with db.session() as s:
        add_run(s, 20, stats={"dvcrawl/start_url_status": {"http://127.0.0.1/": 200}})
        add_run(s, 10, stats={"dvcrawl/start_url_status": status})
    alarms = one(db).alarms
    assert alarms == ["start-url-gone: http://127.0.0.1/dan-van/ answers 404"]


def test_coverage_drop_alarm_and_rate(db):
    with db.session() as s:
        add_articles(s, 10, 15, dated=True, authored=True, tag="old")
        add_articles(s, 7, 1, dated=False, authored=True, tag="new")
    h = one(db)
    assert h.articles_stored == 17
    assert h.articles_per_day == 1.0
    assert [a for a in h.alarms if a.startswith("coverage-drop: date")]
    assert not [a for a in h.alarms if "author" in a]


def test_next_run_and_known_sources_without_list(db):
    when = utcnow() + timedelta(minutes=5)
    with db.session() as s:
        add_run(s, 3, "timeout", reason="killed after 900s")
        rows = source_health(s, None, {"hatinh": when})
    assert [(r.source_id, r.next_run, r.last_status) for r in rows] == [("hatinh", when, "timeout")]
    assert rows[0].as_json()["next_run"] == when.replace(tzinfo=UTC).isoformat(timespec="seconds")

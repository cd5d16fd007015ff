"""Dates as staff read them (dd/mm/yyyy HH:MM, Vietnam time), doubtful dates, ops charts."""

from __future__ import annotations

import re
from datetime import datetime, timedelta

import pytest
from fastapi.testclient import TestClient

from dvcrawl.storage.models import Article, CrawlRun, utcnow
from test_web_support import article, csrf_of, login, make_desk

FETCHED = datetime(2024, 2, 1)  # article()'s fetch time (naive UTC)


@pytest.fixture
def desk(sqlite_url):
    now = utcnow()
    rows = [
        article(1, published="2025-03-21T09:04:00+07:00", fetched_at=datetime(2025, 3, 22)),
        article(2, published="2099-01-01T08:00:00+07:00"),  # a portal's typo: far future
        article(3, published="2024-02-01T20:00:00+07:00"),  # 6 h after fetch: a clock skew
        article(4, "nghean", published="2022-01-06", fetched_at=now - timedelta(days=2)),
    ]
    app = make_desk(sqlite_url, None, rows)
    with app.state.db.session() as session:
        for hours, status in ((30, "ok"), (20, "failed"), (2, "failed")):
            started = now - timedelta(hours=hours)
            session.add(CrawlRun(source_id="nghean", started_at=started, status=status))
    return app


@pytest.fixture
def staff(desk) -> TestClient:
    client = TestClient(desk)
    assert login(client).status_code == 303
    return client


def _row(html: str, article_id: int) -> str:
    match = re.search(rf'<tr data-article-id="{article_id}".*?</tr>', html, re.S)
    assert match, f"no row for article {article_id}"
    return match.group(0)


def test_queue_shows_vietnamese_dates_and_flags_future_ones(staff):
    html = staff.get("/?status=all").text
    assert "21/03/2025 09:04" in _row(html, 1) and "2025-03-21T" not in _row(html, 1)
    assert "06/01/2022" in _row(html, 4)  # a date without a time stays a date
    assert "doubtful-date" in _row(html, 2)
    for trusted in (1, 3, 4):  # a few hours ahead of the fetch is a clock, not a typo
        assert "doubtful-date" not in _row(html, trusted)


def test_article_page_flags_the_doubtful_date_with_its_fetch_time(staff):
    page = staff.get("/articles/2").text
    assert "01/01/2099 08:00" in page
    assert 'class="warn doubtful-date"' in page and "01/02/2024 07:00" in page
    assert "doubtful-date" not in staff.get("/articles/1").text


def _edit(client: TestClient, published: str):
    token = csrf_of(client.get("/articles/1").text)
    form = {"action": "edit", "published": published, "csrf_token": token}
    return client.post("/articles/1/decide", data=form, follow_redirects=False)


@pytest.mark.parametrize(
    ("value", "why"),
    [("0001-01-01", "before 1945-01-01"), ("9999-12-31", "more than one day ahead")],
)
def test_staff_dates_out_of_range_are_a_clear_400(staff, desk, value, why):
    response = _edit(staff, value)
    assert response.status_code == 400 and why in response.text
    with desk.state.db.session() as session:
        assert session.get(Article, 1).published == "2025-03-21T09:04:00+07:00"


def test_staff_dates_at_the_bounds_are_accepted(staff, desk):
    tomorrow = (utcnow() + timedelta(hours=7) + timedelta(hours=20)).strftime("%Y-%m-%dT%H:%M")
    for value in ("1945-01-01", tomorrow):
        assert _edit(staff, value).status_code == 303, value
    with desk.state.db.session() as session:
        assert session.get(Article, 1).published.startswith(tomorrow)


def test_ops_page_draws_a_30_day_chart_per_source(staff):
    html = staff.get("/ops").text
    row = re.search(r'<tr data-source-id="nghean".*?</tr>', html, re.S).group(0)
    svg = re.search(r"<svg class=\"activity\".*?</svg>", row, re.S).group(0)
    assert 'data-stored="1"' in svg and 'data-failed-runs="2"' in svg
    assert svg.count('class="day"') == 30
    assert svg.count("run-failed") == 2 and svg.count("run-ok") == 1
    quiet = re.search(r'<tr data-source-id="hatinh".*?</tr>', html, re.S).group(0)
    assert 'data-stored="0"' in quiet  # fetched long ago: a flat row of empty days
    assert re.search(r"\d{2}/\d{2}/\d{4} \d{2}:\d{2}", row)  # the last run, in Vietnam time

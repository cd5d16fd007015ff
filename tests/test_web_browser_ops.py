"""The operators' page and the queue's dates in Chromium: charts drawn, dates as staff read them.

Shares test_web_browser's server and browser fixtures; the screenshot goes to
artifacts/screenshots/ops-charts.png for a person to look at.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest

from dvcrawl.storage.models import CrawlRun, utcnow
from test_web_browser import Served, browser, page, shot, sign_in  # noqa: F401 (fixtures)
from test_web_support import article, make_desk

pytestmark = pytest.mark.browser


@pytest.fixture
def busy_desk(sqlite_url) -> Iterator[Served]:
    """Two portals: hatinh stores articles daily and runs fine, nghean went quiet and fails."""
    now = utcnow()
    rows = [
        article(n, published=None, fetched_at=now - timedelta(days=n % 12, hours=1))
        for n in range(1, 25)
    ]
    rows.append(article(30, "nghean", published="2099-05-01", fetched_at=now - timedelta(days=20)))
    app = make_desk(sqlite_url, None, rows)
    with app.state.db.session() as session:
        for day in range(0, 28, 2):
            started = now - timedelta(days=day, hours=3)
            session.add(CrawlRun(source_id="hatinh", started_at=started, status="ok"))
            failed = "failed" if day < 10 else "ok"
            session.add(CrawlRun(source_id="nghean", started_at=started, status=failed))
    with Served(app) as served:
        yield served


def test_ops_charts_show_a_quiet_failing_portal(page, busy_desk):  # noqa: F811
    sign_in(page, busy_desk)
    page.goto(busy_desk.url + "/ops")
    charts = page.locator("svg.activity")
    assert charts.count() == 2
    busy = page.locator("tr[data-source-id=hatinh] svg.activity")
    quiet = page.locator("tr[data-source-id=nghean] svg.activity")
    assert busy.get_attribute("data-stored") == "24"
    assert int(quiet.get_attribute("data-failed-runs")) == 5
    box = busy.bounding_box()
    assert box and box["width"] >= 150 and box["height"] >= 30  # drawn, not collapsed
    tall = busy.locator("rect.day").evaluate_all(
        "rects => rects.filter(r => r.getBBox().height > 2).length"
    )
    assert tall == 12  # one bar per day that stored something
    assert quiet.locator("rect.run-failed").count() == 5
    shot(page, "ops-charts")


def test_queue_dates_read_as_staff_write_them(page, busy_desk):  # noqa: F811
    sign_in(page, busy_desk)
    page.goto(busy_desk.url + "/?status=all")
    row = page.locator("tr[data-article-id]", has_text="Bài số 30")  # ids are the DB's own
    assert "01/05/2099" in row.text_content()
    assert row.locator(".doubtful-date").is_visible()
    shot(page, "queue-dates")

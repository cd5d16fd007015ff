"""The review desk in a real browser: Playwright driving Debian's Chromium against uvicorn.

Each test gets its own database and server on 127.0.0.1 (an OS-chosen port); screenshots of the
main pages go to artifacts/screenshots/ for a person to look at.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import uvicorn
from sqlalchemy import select

from dvcrawl.storage.models import Article, ReviewEvent
from test_web_support import PASSWORD, USER, XSS_TEXT, XSS_TITLE, article, make_desk

playwright_api = pytest.importorskip("playwright.sync_api")
pytestmark = pytest.mark.browser

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SHOTS = Path(__file__).resolve().parents[1] / "artifacts" / "screenshots"


class Served:
    """A desk served by uvicorn in a background thread."""

    def __init__(self, app) -> None:
        self.app = app
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self.sock.getsockname()[1]}"
        config = uvicorn.Config(app, log_level="warning", lifespan="off")
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, kwargs={"sockets": [self.sock]})

    def __enter__(self) -> Served:
        self.thread.start()
        deadline = time.monotonic() + 10
        while not self.server.started:
            assert time.monotonic() < deadline, "uvicorn did not start"
            time.sleep(0.02)
        return self

    def __exit__(self, *exc) -> None:
        self.server.should_exit = True
        self.thread.join(10)
        self.sock.close()
        self.app.state.db.dispose()

    def status(self, article_id: int) -> str:
        with self.app.state.db.session() as session:
            return session.get(Article, article_id).status


@pytest.fixture(scope="module")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.skip("Debian's chromium is not installed")
    with playwright_api.sync_playwright() as p:
        instance = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield instance
        instance.close()


@pytest.fixture
def desk(sqlite_url, tmp_path) -> Iterator[Served]:
    feeds = tmp_path / "feeds"
    feeds.mkdir()
    (feeds / "all.rss").write_text("<rss version='2.0'><channel></channel></rss>")
    rows = [article(n) for n in range(1, 6)]
    rows.append(article(6, "nghean", title="Dân vận khéo ở xã Hòa Bình"))
    rows.append(article(7, "nghean", title=XSS_TITLE, text=XSS_TEXT, published="2023-12-01"))
    with Served(make_desk(sqlite_url, feeds, rows)) as served:
        yield served


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="vi-VN")
    tab = context.new_page()
    tab.set_default_timeout(10_000)
    yield tab
    context.close()


def shot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def sign_in(page, desk: Served, user: str = USER, password: str = PASSWORD) -> None:
    page.goto(desk.url + "/login")
    page.fill("input[name=username]", user)
    page.fill("input[name=password]", password)
    with page.expect_navigation():
        page.click("button[type=submit]")


def row_ids(page) -> list[int]:
    rows = page.locator("table.articles tr[data-article-id]")
    return [int(rows.nth(i).get_attribute("data-article-id")) for i in range(rows.count())]


def test_anonymous_visitor_is_sent_to_login_then_back(page, desk):
    page.goto(desk.url + "/ops")
    assert page.url.startswith(desk.url + "/login?next=")
    shot(page, "login")
    page.fill("input[name=username]", USER)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(desk.url + "/ops")
    assert page.locator("[data-source-id=hatinh]").count() == 1
    shot(page, "ops")


def test_approve_and_reject(page, desk):
    sign_in(page, desk)
    assert row_ids(page) == [6, 5, 4, 3, 2, 1, 7]
    shot(page, "queue")
    for selector in (
        "tr[data-article-id='5'] [data-action=approve]",
        "tr[data-article-id='4'] [data-action=reject]",
    ):
        with page.expect_navigation():
            page.click(selector)
    assert (desk.status(5), desk.status(4)) == ("approved", "rejected")
    assert 5 not in row_ids(page) and 4 not in row_ids(page)  # the queue shows new ones only


def test_bulk_action(page, desk):
    sign_in(page, desk)
    for ident in (1, 2, 3):
        page.check(f"tr[data-article-id='{ident}'] input[name=ids]")
    assert page.text_content("#selected-count") == "Đã chọn 3 bài"
    with page.expect_navigation():
        page.click("[data-bulk=reject]")
    assert [desk.status(i) for i in (1, 2, 3, 5)] == ["rejected"] * 3 + ["new"]
    with desk.app.state.db.session() as session:
        users = set(session.scalars(select(ReviewEvent.user)))
    assert users == {USER}


def test_keyboard_shortcuts(page, desk):
    sign_in(page, desk)
    page.keyboard.press("j")
    page.keyboard.press("j")
    page.keyboard.press("k")
    assert page.get_attribute("tr.selected", "data-article-id") == "5"
    with page.expect_navigation():
        page.keyboard.press("a")
    assert desk.status(5) == "approved"
    with page.expect_navigation():
        page.keyboard.press("r")  # the selection is back on the first row: 6
    assert desk.status(6) == "rejected"
    page.keyboard.press("/")
    assert page.evaluate("document.activeElement.id") == "search-box"


def test_search_without_diacritics(page, desk):
    sign_in(page, desk)
    page.fill("#search-box", "dan van kheo hoa binh")
    with page.expect_navigation():
        page.press("#search-box", "Enter")
    assert row_ids(page) == [6]
    assert "Dân vận khéo ở xã Hòa Bình" in page.text_content("tr[data-article-id='6']")
    shot(page, "search")


def test_hostile_markup_is_shown_as_text_and_runs_nothing(page, desk):
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    sign_in(page, desk)
    assert "<script>window.__pwned = 1</script>" in page.text_content("tr[data-article-id='7']")
    page.click("tr[data-article-id='7'] a.title")
    page.wait_for_url(desk.url + "/articles/7")
    assert XSS_TITLE in page.text_content("h1")
    assert '<img src=x onerror="window.__pwned=3;alert(1)">' in page.text_content("section.body")
    page.wait_for_timeout(300)  # give a broken image's onerror the time to fire, were it markup
    assert page.evaluate("typeof window.__pwned") == "undefined"
    assert page.locator("section.body img, h1 img, section.body script").count() == 0
    assert dialogs == []
    shot(page, "article")


def test_login_is_rate_limited(page, desk):
    for _ in range(5):
        sign_in(page, desk, password="sai mật khẩu")
        assert "Sai tên đăng nhập hoặc mật khẩu" in page.text_content(".error")
    sign_in(page, desk)
    assert "Quá nhiều lần đăng nhập sai" in page.text_content(".error")
    assert page.url.startswith(desk.url + "/login")

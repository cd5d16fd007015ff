"""The review desk over HTTP (TestClient): access control, CSRF, login limits, decisions, pages."""

from __future__ import annotations

import re
import subprocess
import sys
import time

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from dvcrawl.storage.db import Database
from dvcrawl.storage.models import Article, CrawlRun, ReviewEvent
from dvcrawl.web.security import safe_next
from test_web_support import (
    PASSWORD,
    USER,
    XSS_TEXT,
    XSS_TITLE,
    article,
    csrf_of,
    free_port,
    login,
    make_desk,
)

# The id of each article row in a list: <tr data-article-id="12" ...>
_ROW_ID = re.compile(r'<tr data-article-id="(\d+)"')
STAFF_PAGES = ["/", "/articles/1", "/search?q=dan", "/ops", "/?status=all&page=2"]


@pytest.fixture
def desk(sqlite_url, tmp_path):
    feeds = tmp_path / "feeds"
    feeds.mkdir()
    (feeds / "all.rss").write_text("<rss version='2.0'><channel></channel></rss>")
    (feeds / "feeds.opml").write_text("<opml version='2.0'><body></body></opml>")
    rows = [article(n) for n in range(1, 6)] + [article(6, "nghean", relevant=False)]
    return make_desk(sqlite_url, feeds, rows)


@pytest.fixture
def staff(desk) -> TestClient:
    client = TestClient(desk)
    assert login(client).status_code == 303
    return client


def _row(desk, article_id: int) -> Article:
    with desk.state.db.session() as session:
        return session.get(Article, article_id)


def _events(desk) -> list[ReviewEvent]:
    with desk.state.db.session() as session:
        return list(session.scalars(select(ReviewEvent).order_by(ReviewEvent.id)))


def _post(client: TestClient, path: str, page: str = "/", **data):
    data.setdefault("csrf_token", csrf_of(client.get(page).text))
    return client.post(path, data=data, follow_redirects=False)


@pytest.mark.parametrize("path", STAFF_PAGES)
def test_anonymous_visitor_is_sent_to_login(desk, path):
    response = TestClient(desk).get(path, follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"].startswith("/login?next=")


def test_feeds_stay_public(desk):
    client = TestClient(desk)
    assert client.get("/feeds/all.rss").status_code == 200
    assert client.get("/login").status_code == 200


def test_login_form_has_contract_fields_and_sets_a_safe_cookie(desk):
    client = TestClient(desk)
    page = client.get("/login").text
    assert 'name="username"' in page and 'name="password"' in page
    response = login(client)
    assert response.status_code == 303
    cookie = response.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=lax" in cookie


def test_wrong_password_is_refused(desk):
    client = TestClient(desk)
    assert login(client, password="sai").status_code == 401
    assert client.get("/", follow_redirects=False).status_code == 303


def test_login_attempts_are_rate_limited_per_user_and_address(desk):
    client = TestClient(desk)
    for _ in range(5):
        assert login(client, password="sai").status_code == 401
    blocked = login(client)  # even the right password waits out the minute
    assert blocked.status_code == 429
    assert "Retry-After" in blocked.headers
    # Another account from the same address is not locked out by someone guessing this one.
    assert login(client, user="khac", password="x").status_code == 401


@pytest.mark.parametrize(
    ("target", "expected"),
    [
        ("/ops?x=1", "/ops?x=1"),
        ("//evil.example/", "/"),
        ("https://evil.example/", "/"),
        ("/\\evil.example", "/"),
        ("javascript:alert(1)", "/"),
        ("/ok\r\nSet-Cookie: a=b", "/"),
        ("", "/"),
    ],
)
def test_safe_next_only_allows_paths_on_this_site(target, expected):
    assert safe_next(target) == expected


def test_login_never_redirects_off_site(desk):
    response = login(TestClient(desk), next_path="//evil.example/phish")
    assert response.headers["location"] == "/"
    response = login(TestClient(desk), next_path="/ops")
    assert response.headers["location"] == "/ops"


def test_post_without_or_with_a_wrong_csrf_token_is_refused(staff, desk):
    no_token = staff.post("/articles/1/decide", data={"action": "approve"})
    wrong = staff.post("/articles/1/decide", data={"action": "approve", "csrf_token": "x" * 43})
    bulk = staff.post("/articles/bulk", data={"action": "reject", "ids": ["1", "2"]})
    assert (no_token.status_code, wrong.status_code, bulk.status_code) == (403, 403, 403)
    assert _row(desk, 1).status == "new" and _row(desk, 2).status == "new"
    assert _events(desk) == []


def test_login_post_needs_the_csrf_token(desk):
    client = TestClient(desk)
    response = client.post("/login", data={"username": USER, "password": PASSWORD})
    assert response.status_code == 403


def test_security_headers_on_every_page(staff):
    for path in ("/", "/login", "/static/app.js"):
        headers = staff.get(path).headers
        assert "default-src 'self'" in headers["content-security-policy"]
        assert "unsafe-inline" not in headers["content-security-policy"]
        assert headers["x-content-type-options"] == "nosniff"
        assert headers["referrer-policy"]


def test_approve_records_who_and_when(staff, desk):
    response = _post(staff, "/articles/3/decide", action="approve", next="/?status=new")
    assert response.status_code == 303 and response.headers["location"] == "/?status=new"
    row = _row(desk, 3)
    assert (row.status, row.reviewed_by) == ("approved", USER) and row.reviewed_at
    [event] = _events(desk)
    assert (event.article_id, event.user, event.action) == (3, USER, "approve")
    assert event.detail == {"status": ["new", "approved"]}


def test_bulk_reject_and_relevance_override(staff, desk):
    _post(staff, "/articles/bulk", action="reject", ids=["1", "2"], next="/")
    _post(staff, "/articles/bulk", action="not_relevant", ids=["4"])
    assert [_row(desk, i).status for i in (1, 2, 3)] == ["rejected", "rejected", "new"]
    assert _row(desk, 4).relevance_override is False and _row(desk, 4).relevant is True
    assert [(e.article_id, e.action) for e in _events(desk)] == [
        (1, "reject"),
        (2, "reject"),
        (4, "not_relevant"),
    ]


def test_bulk_without_selection_is_a_clear_error(staff):
    response = _post(staff, "/articles/bulk", action="approve")
    assert response.status_code == 400
    assert "chưa chọn" in response.text


def test_edit_title_and_date(staff, desk):
    page = "/articles/2"
    _post(
        staff, page + "/decide", page, action="edit", title=" Tiêu đề mới ", published="2024-03-05"
    )
    row = _row(desk, 2)
    assert (row.title, row.published, row.date_method) == ("Tiêu đề mới", "2024-03-05", "staff")
    assert row.published_at.isoformat() == "2024-03-04T17:00:00"  # midnight in +07:00
    unchanged = _post(staff, page + "/decide", page, action="edit", title="Tiêu đề mới")
    assert unchanged.status_code == 303 and len(_events(desk)) == 1
    bad = _post(staff, page + "/decide", page, action="edit", published="05/03/2024")
    assert bad.status_code == 400 and "05/03/2024" in bad.text
    assert _row(desk, 2).published == "2024-03-05"


def test_merge_into_a_cluster_and_split_from_it(staff, desk):
    _post(staff, "/articles/bulk", action="merge", ids=["2", "3"], original_id="1")
    assert [_row(desk, i).duplicate_of_id for i in (1, 2, 3)] == [None, 1, 1]
    page = staff.get("/articles/2").text
    assert page.count("data-cluster-member=") == 3
    _post(staff, "/articles/1/decide", "/articles/1", action="split")
    # The original leaves; its oldest copy becomes the original of the rest.
    assert [_row(desk, i).duplicate_of_id for i in (1, 2, 3)] == [None, None, 2]
    refused = _post(staff, "/articles/3/decide", "/articles/3", action="merge", original_id="3")
    assert refused.status_code == 400


def test_malformed_form_values_get_a_page_naming_the_field(staff, desk):
    response = _post(staff, "/articles/bulk", action="merge", ids=["1"], original_id="abc")
    assert response.status_code == 400 and "original_id" in response.text
    assert _row(desk, 1).duplicate_of_id is None


def test_unknown_action_is_refused(staff, desk):
    response = _post(staff, "/articles/1/decide", action="delete")
    assert response.status_code == 400 and "delete" in response.text
    assert _row(desk, 1).status == "new"


def test_queue_is_newest_first_and_filters(staff):
    def ids(query: str) -> list[int]:
        page = staff.get("/" + query).text
        return [int(x) for x in _ROW_ID.findall(page)]

    assert ids("") == [6, 5, 4, 3, 2, 1]
    assert ids("?source=nghean") == [6]
    assert ids("?province=H%C3%A0+T%C4%A9nh") == [5, 4, 3, 2, 1]
    assert ids("?relevance=no") == [6]
    assert ids("?date_from=2024-01-02&date_to=2024-01-04") == [4, 3, 2]
    _post(staff, "/articles/bulk", action="approve", ids=["5"])
    assert ids("?status=approved") == [5]
    assert 5 not in ids("")
    assert staff.get("/?date_from=hôm-qua").status_code == 400


def test_queue_paginates(sqlite_url):
    app = make_desk(sqlite_url, articles=[article(n % 28 + 1, url=f"u{n}") for n in range(120)])
    client = TestClient(app)
    login(client)
    first, third = client.get("/").text, client.get("/?page=3").text
    assert first.count("data-article-id=") == 50 and third.count("data-article-id=") == 20
    assert "Trang 1 / 3" in first and 'rel="next"' in first and 'rel="next"' not in third


def test_scraped_markup_is_shown_as_text(sqlite_url):
    app = make_desk(sqlite_url, articles=[article(1, title=XSS_TITLE, text=XSS_TEXT)])
    client = TestClient(app)
    login(client)
    for path in ("/", "/articles/1", "/search?q=tieu+de"):
        page = client.get(path).text
        assert "&lt;script&gt;window.__pwned" in page, path
        assert "<script>window.__pwned" not in page and "<img src=x" not in page


def test_article_page_shows_the_facts(staff, desk):
    with desk.state.db.session() as session:
        row = session.get(Article, 2)
        row.date_doubtful, row.author, row.relevance_terms = (
            True,
            "Chu Thanh Hoài",
            ["dân vận khéo"],
        )
    page = staff.get("/articles/2").text
    assert "Ngày chưa chắc chắn" in page and "Chu Thanh Hoài" in page
    assert "dân vận khéo" in page and 'href="https://hatinh.example.vn/bai-2.html"' in page
    assert 'data-action="approve"' in page and 'data-action="reject"' in page
    assert staff.get("/articles/999").status_code == 404


def test_search_page_finds_without_diacritics(staff, desk):
    with desk.state.db.session() as session:
        session.get(Article, 4).title = "Dân vận khéo ở Hương Sơn"
    page = staff.get("/search?q=dan+van+kheo").text
    assert 'data-article-id="4"' in page and page.count("data-article-id=") == 1


def test_ops_page_lists_sources_runs_and_feeds(staff, desk):
    with desk.state.db.session() as session:
        session.add(CrawlRun(source_id="nghean", status="failed", reason="Kết nối bị từ chối"))
    page = staff.get("/ops").text
    assert 'data-source-id="hatinh"' in page and 'data-source-id="nghean"' in page
    assert "Kết nối bị từ chối" in page
    assert 'href="/feeds/all.rss"' in page and 'href="/feeds/feeds.opml"' in page


def test_logout_ends_the_session(staff):
    _post(staff, "/logout")
    assert staff.get("/", follow_redirects=False).status_code == 303


@pytest.mark.parametrize("action", ["approve", "reject"])
def test_decisions_on_both_databases(db_url, action):
    app = make_desk(db_url, articles=[article(1), article(2)])
    client = TestClient(app)
    login(client)
    _post(client, "/articles/bulk", action=action, ids=["1", "2"])
    with app.state.db.session() as session:
        statuses = set(session.scalars(select(Article.status)))
        events = session.scalars(select(ReviewEvent.action)).all()
    assert statuses == {f"{action}d" if action == "approve" else "rejected"}
    assert events == [action, action]
    for path in ("/?status=all", "/articles/1", "/search?q=bai", "/ops"):
        assert client.get(path).status_code == 200, path
    app.state.db.dispose()


def test_queue_count_stops_past_the_page(sqlite_url, monkeypatch):
    monkeypatch.setattr("dvcrawl.storage.review.COUNT_AHEAD", 30)
    app = make_desk(sqlite_url, articles=[article(n % 28 + 1, url=f"u{n}") for n in range(120)])
    client = TestClient(app)
    login(client)
    first, third = client.get("/").text, client.get("/?page=3").text
    assert "(hơn 30 bài)" in first and 'rel="next"' in first
    assert "(120 bài)" in third and "Trang 3 / 3" in third


def test_serve_command_serves_the_desk_and_the_feeds(sqlite_url, tmp_path):
    Database(sqlite_url).dispose()  # serve refuses a database that does not exist yet
    feeds = tmp_path / "feeds"
    feeds.mkdir()
    (feeds / "all.atom").write_text("<feed xmlns='http://www.w3.org/2005/Atom'/>")
    port = free_port()
    command = [sys.executable, "-m", "dvcrawl", "serve", "--db", sqlite_url, "--port", str(port)]
    server = subprocess.Popen([*command, "--feeds-dir", str(feeds)], stderr=subprocess.PIPE)
    try:
        base, deadline = f"http://127.0.0.1:{port}", time.monotonic() + 30
        while True:
            try:
                login_page = httpx.get(base + "/login")
                break
            except httpx.TransportError:
                assert server.poll() is None, server.stderr.read().decode()
                assert time.monotonic() < deadline, "dvcrawl serve did not answer"
                time.sleep(0.2)
        assert login_page.status_code == 200 and 'name="username"' in login_page.text
        assert "default-src 'self'" in login_page.headers["content-security-policy"]
        assert httpx.get(base + "/feeds/all.atom").status_code == 200
        assert httpx.get(base + "/ops").status_code == 303
    finally:
        server.terminate()
        server.wait(10)


def test_decisions_reach_the_feeds_at_their_next_build(staff, desk, tmp_path):
    feedparser = pytest.importorskip("feedparser")
    from dvcrawl.feeds import build_feeds

    def titles() -> set[str]:
        out = tmp_path / "built"
        build_feeds(desk.state.db, out, base_url="http://desk.example/feeds/")
        return {entry.title for entry in feedparser.parse(str(out / "all.rss")).entries}

    assert {"Bài số 1", "Bài số 2"} <= titles() and "Bài số 6" not in titles()
    _post(staff, "/articles/bulk", action="reject", ids=["1"])
    _post(staff, "/articles/bulk", action="relevant", ids=["6"])
    _post(staff, "/articles/2/decide", "/articles/2", action="edit", title="Tiêu đề đã sửa")
    after = titles()
    assert "Bài số 1" not in after and "Bài số 6" in after
    assert "Tiêu đề đã sửa" in after and "Bài số 2" not in after

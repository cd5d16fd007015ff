"""Serving /feeds/: content types, validators, 304, gzip, traversal refused, index; newsboat."""

from __future__ import annotations

import gzip
import os
import sqlite3
import subprocess
import threading
import time
from pathlib import Path

import pytest
import uvicorn
from fastapi import FastAPI
from fastapi.testclient import TestClient

from dvcrawl.feeds import build_feeds
from dvcrawl.storage.db import Database
from dvcrawl.web.feeds_routes import router
from test_feeds_support import add_article, add_source

NEWSBOAT = "/usr/bin/newsboat"


@pytest.fixture
def built(sqlite_url, tmp_path):
    """A database with two portals and its feeds built into tmp_path/feeds."""
    db = Database(sqlite_url)
    add_source(db, "hatinh", "Cổng TTĐT Đảng bộ tỉnh Hà Tĩnh", "Hà Tĩnh")
    for hours in range(3):
        add_article(db, "hatinh", hours=hours, text="Đoạn văn khá dài. " * 60)
    out = tmp_path / "feeds"
    build_feeds(db, out)
    yield db, out
    db.dispose()


def make_app(feeds_dir: Path, seen: list | None = None) -> FastAPI:
    """A tiny app like `dvcrawl serve`: the router plus the feeds directory (and a request log)."""
    app = FastAPI()
    app.include_router(router)
    app.state.feeds_dir = feeds_dir
    if seen is not None:

        @app.middleware("http")
        async def record(request, call_next):
            response = await call_next(request)
            seen.append((request.url.path, dict(request.headers), response.status_code))
            return response

    return app


@pytest.fixture
def client(built):
    return TestClient(make_app(built[1]))


@pytest.mark.parametrize(
    ("name", "ctype"),
    [
        ("all.rss", "application/rss+xml; charset=utf-8"),
        ("all.atom", "application/atom+xml; charset=utf-8"),
        ("source-hatinh.json", "application/feed+json; charset=utf-8"),
        ("feeds.opml", "text/x-opml; charset=utf-8"),
    ],
)
def test_content_types_and_validators(client, built, name, ctype):
    response = client.get(f"/feeds/{name}", headers={"Accept-Encoding": "identity"})
    assert response.status_code == 200
    assert response.headers["content-type"] == ctype
    assert response.content == (built[1] / name).read_bytes()
    assert response.headers["etag"].startswith('"') and response.headers["last-modified"]


def test_head_gives_headers_only(client, built):
    response = client.head("/feeds/all.rss", headers={"Accept-Encoding": "identity"})
    assert response.status_code == 200 and response.content == b""
    assert int(response.headers["content-length"]) == (built[1] / "all.rss").stat().st_size
    assert (
        response.headers["etag"]
        == client.get("/feeds/all.rss", headers={"Accept-Encoding": "identity"}).headers["etag"]
    )


def test_conditional_requests_get_304(client):
    first = client.get("/feeds/all.rss")
    etag, modified = first.headers["etag"], first.headers["last-modified"]
    again = client.get("/feeds/all.rss", headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.content == b"" and again.headers["etag"] == etag
    since = client.get("/feeds/all.rss", headers={"If-Modified-Since": modified})
    assert since.status_code == 304
    stale = client.get("/feeds/all.rss", headers={"If-None-Match": '"other"'})
    assert stale.status_code == 200 and stale.content == first.content
    old = client.get(
        "/feeds/all.rss", headers={"If-Modified-Since": "Mon, 01 Jan 2001 00:00:00 GMT"}
    )
    assert old.status_code == 200


def test_etag_stays_until_content_changes(built, client):
    db, out = built
    before = client.get("/feeds/all.rss").headers["etag"]
    build_feeds(db, out)
    assert client.get("/feeds/all.rss").headers["etag"] == before
    add_article(db, "hatinh", hours=10)
    build_feeds(db, out)
    after = client.get("/feeds/all.rss", headers={"If-None-Match": before})
    assert after.status_code == 200 and after.headers["etag"] != before


def test_gzip_when_accepted(client, built):
    plain = (built[1] / "all.atom").read_bytes()
    zipped = client.get("/feeds/all.atom", headers={"Accept-Encoding": "gzip"})
    assert (
        zipped.headers["content-encoding"] == "gzip" and "Accept-Encoding" in zipped.headers["vary"]
    )
    assert zipped.content == plain  # httpx decoded it
    assert int(zipped.headers["content-length"]) < len(plain) / 2
    raw = client.get("/feeds/all.atom", headers={"Accept-Encoding": "gzip;q=0"})
    assert "content-encoding" not in raw.headers
    tag = zipped.headers["etag"]
    assert client.get("/feeds/all.atom", headers={"If-None-Match": tag}).status_code == 304
    with client.stream("GET", "/feeds/all.atom", headers={"Accept-Encoding": "gzip"}) as r:
        assert gzip.decompress(b"".join(r.iter_raw())) == plain


def test_traversal_and_other_files_are_refused(client, built, tmp_path):
    out = built[1]
    (tmp_path / "secret.rss").write_text("secret")
    (out / "notes.txt").write_text("not a feed")
    (out / ".all.rss.tmp").write_text("half")
    os.symlink(tmp_path / "secret.rss", out / "link.rss")
    for path in (
        "/feeds/..%2Fsecret.rss",
        "/feeds/%2e%2e%2fsecret.rss",
        "/feeds/..%5Csecret.rss",
        "/feeds/link.rss",
        "/feeds/notes.txt",
        "/feeds/.all.rss.tmp",
        "/feeds/missing.rss",
        "/feeds/dvcrawl.sqlite",
    ):
        response = client.get(path)
        assert response.status_code == 404, path
        assert b"secret" not in response.content


def test_index_lists_feeds_and_opml(client):
    page = client.get("/feeds/")
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    for name in ("all.rss", "all.atom", "all.json", "source-hatinh.rss", "province-ha-tinh.atom"):
        assert f'href="{name}"' in page.text
    assert 'href="feeds.opml"' in page.text and "Công tác dân vận: Hà Tĩnh" in page.text
    assert page.text.index('href="all.rss"') < page.text.index('href="all.atom"')


@pytest.fixture
def live_server(built):
    """The router under a real uvicorn on 127.0.0.1 (OS-chosen port), with a request log."""
    seen: list = []
    server = uvicorn.Server(
        uvicorn.Config(make_app(built[1], seen), host="127.0.0.1", port=0, log_level="warning")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.02)
    port = server.servers[0].sockets[0].getsockname()[1]
    yield f"http://127.0.0.1:{port}", seen
    server.should_exit = True
    thread.join(timeout=10)


@pytest.mark.skipif(not os.path.exists(NEWSBOAT), reason="Debian's newsboat is not installed")
def test_newsboat_reads_the_served_feeds(live_server, built, tmp_path):
    base, seen = live_server
    urls = tmp_path / "urls"
    urls.write_text(f"{base}/feeds/all.rss\n{base}/feeds/source-hatinh.atom\n")
    (tmp_path / "config").write_text("")
    cmd = [
        NEWSBOAT,
        "-u",
        str(urls),
        "-c",
        str(tmp_path / "cache.db"),
        "-C",
        str(tmp_path / "config"),
    ]
    env = dict(os.environ, HOME=str(tmp_path))
    # newsboat 2.21 saves a feed's validators before the feed's cache row exists on the first
    # fetch (its log shows the UPDATE before the INSERT), so the third reload is the first
    # conditional one.
    for _ in range(3):
        subprocess.run([*cmd, "-x", "reload"], env=env, check=True, timeout=60, capture_output=True)
    unread = subprocess.run(
        [*cmd, "-x", "print-unread"],
        env=env,
        check=True,
        timeout=60,
        capture_output=True,
        text=True,
    )
    assert unread.stdout.startswith("3 unread")
    with sqlite3.connect(tmp_path / "cache.db") as cache:
        items = {u for (u,) in cache.execute("SELECT url FROM rss_item")}
        titles = {t for (t,) in cache.execute("SELECT title FROM rss_feed")}
    with built[0].session() as s:
        from dvcrawl.storage.models import Article

        assert items == {a.url for a in s.query(Article)}
    assert titles == {
        "Công tác dân vận: tin mới từ các cổng thông tin",
        "Công tác dân vận: Cổng TTĐT Đảng bộ tỉnh Hà Tĩnh",
    }
    statuses = [status for path, _h, status in seen if path == "/feeds/all.rss"]
    assert statuses == [200, 200, 304]
    last = [h for path, h, _s in seen if path == "/feeds/all.rss"][-1]
    assert "if-none-match" in last or "if-modified-since" in last

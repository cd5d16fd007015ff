"""WebSub hub links and publish pings, and the ``dvcrawl feeds`` command."""

from __future__ import annotations

import re
import threading
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from dvcrawl.cli import main
from dvcrawl.errors import ConfigError
from dvcrawl.feeds import build_feeds
from dvcrawl.storage.db import Database
from test_feeds_support import NS, add_article, add_source, rss_links, xml


class _Hub(BaseHTTPRequestHandler):
    def do_POST(self):  # noqa: N802 (http.server's naming)
        body = self.rfile.read(int(self.headers["Content-Length"]))
        self.server.pings.append(
            (self.headers["Content-Type"], urllib.parse.parse_qs(body.decode()))
        )
        self.send_response(204)
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def hub():
    """A WebSub hub on loopback that records every publish ping."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Hub)
    server.pings = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


@pytest.fixture
def db(sqlite_url):
    database = Database(sqlite_url)
    add_source(database, "hatinh", "Cổng TTĐT Đảng bộ tỉnh Hà Tĩnh", "Hà Tĩnh")
    yield database
    database.dispose()


def test_hub_links_and_publish_ping_after_a_change(db, tmp_path, hub):
    hub_url = f"http://127.0.0.1:{hub.server_port}/hub"
    out = tmp_path / "feeds"
    add_article(db, hours=1)
    first = build_feeds(db, out, base_url="https://tin.example.vn", hub=hub_url)
    feed_urls = {f.url for f in first.feeds if f.kind != "opml"}
    assert {q["hub.url"][0] for _, q in hub.pings} == feed_urls
    assert all(q["hub.mode"] == ["publish"] for _, q in hub.pings)
    assert all(ctype == "application/x-www-form-urlencoded" for ctype, _ in hub.pings)
    assert sorted(first.pinged) == sorted(feed_urls) and first.ping_errors == []
    rss = xml(out / "all.rss").find("channel/atom:link[@rel='hub']", NS)
    assert rss.get("href") == hub_url
    assert xml(out / "all.atom").find("atom:link[@rel='hub']", NS).get("href") == hub_url
    assert f'"url": "{hub_url}"' in (out / "all.json").read_text("utf-8")

    hub.pings.clear()
    assert build_feeds(db, out, base_url="https://tin.example.vn", hub=hub_url).pinged == []
    assert hub.pings == []  # nothing changed: no ping
    add_article(db, "other", hours=2)
    build_feeds(db, out, base_url="https://tin.example.vn", hub=hub_url)
    pinged = {q["hub.url"][0] for _, q in hub.pings}
    assert "https://tin.example.vn/feeds/all.rss" in pinged
    assert "https://tin.example.vn/feeds/source-hatinh.rss" not in pinged


def test_hub_down_is_reported_not_fatal(db, tmp_path):
    add_article(db, hours=1)
    result = build_feeds(db, tmp_path / "feeds", hub="http://127.0.0.1:9/hub")
    assert result.pinged == [] and len(result.ping_errors) == len(result.written) - 1
    assert rss_links(tmp_path / "feeds" / "all.rss")  # the feeds are written anyway


def test_feeds_command_builds_and_reports(sqlite_url, tmp_path, capsys, monkeypatch):
    db = Database(sqlite_url)
    articles = [add_article(db, hours=h) for h in range(4)]
    db.dispose()
    out = tmp_path / "out"
    monkeypatch.setenv("DVCRAWL_FEED_LIMIT", "2")
    monkeypatch.setenv("DVCRAWL_BASE_URL", "https://tin.example.vn/")
    assert main(["feeds", "--out", str(out), "--db", sqlite_url]) == 0
    stdout = capsys.readouterr().out
    assert "written" in stdout and str(out / "all.rss") in stdout
    assert rss_links(out / "all.rss") == [articles[3].url, articles[2].url]
    self_link = xml(out / "all.rss").find("channel/atom:link[@rel='self']", NS).get("href")
    assert self_link == "https://tin.example.vn/feeds/all.rss"
    assert main(["feeds", "--out", str(out), "--db", sqlite_url, "--limit", "3"]) == 0
    assert re.search(r"unchanged +\S*feeds\.opml", capsys.readouterr().out)
    assert len(rss_links(out / "all.rss")) == 3


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--mode", "everything"], "--mode"),
        (["--limit", "many"], "--limit"),
        (["--limit", "0"], "--limit"),
    ],
)
def test_feeds_command_rejects_bad_options(sqlite_url, tmp_path, capsys, args, message):
    code = main(["feeds", "--out", str(tmp_path / "out"), "--db", sqlite_url, *args])
    assert code == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err
    assert not (tmp_path / "out").exists()


def test_environment_settings_reach_every_caller(db, tmp_path, monkeypatch):
    """The scheduler and the demo call build_feeds without options: the operator's still hold."""
    approved = add_article(db, hours=1, status="approved")
    add_article(db, hours=2)
    monkeypatch.setenv("DVCRAWL_PUBLISH_MODE", "approved")
    monkeypatch.setenv("DVCRAWL_FEED_TTL", "10")
    out = tmp_path / "feeds"
    build_feeds(db, out)
    assert rss_links(out / "all.rss") == [approved.url]
    assert xml(out / "all.rss").findtext("channel/ttl") == "10"
    build_feeds(db, out, mode="auto")  # an explicit value wins
    assert len(rss_links(out / "all.rss")) == 2
    monkeypatch.setenv("DVCRAWL_FEED_LIMIT", "lots")
    with pytest.raises(ConfigError, match="DVCRAWL_FEED_LIMIT"):
        build_feeds(db, out)


def test_feeds_command_names_an_unusable_directory(sqlite_url, tmp_path, capsys):
    Database(sqlite_url).dispose()  # feeds refuses a database that does not exist yet
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    Database(sqlite_url).dispose()
    assert main(["feeds", "--out", str(blocker / "feeds"), "--db", sqlite_url]) == 2
    err = capsys.readouterr().err
    assert "feeds directory" in err and str(blocker) in err and "Traceback" not in err

"""End to end: the sample portals crawled, their feeds built by the command, served by
``dvcrawl serve`` and read by a real feed reader (Debian's newsboat)."""

from __future__ import annotations

import json
import os
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.request

import feedparser
import pytest

NEWSBOAT = "/usr/bin/newsboat"


@pytest.fixture
def crawled(sample_network, run_cli, sqlite_url, tmp_path):
    """The sample portals crawled into SQLite and their feeds built with ``dvcrawl feeds``."""
    sources = tmp_path / "sources.toml"
    sources.write_text(sample_network.sources_toml(), encoding="utf-8")
    done = run_cli("crawl", "--sources", str(sources), "--db", sqlite_url, "--delay", "0")
    assert done.returncode == 0, done.stderr[-3000:]
    out = tmp_path / "feeds"
    done = run_cli("feeds", "--out", str(out), "--db", sqlite_url)
    assert done.returncode == 0, done.stderr[-3000:]
    exported = run_cli("export", "--db", sqlite_url).stdout.splitlines()
    return out, [json.loads(line) for line in exported]


def _expected_urls(articles: list[dict]) -> set[str]:
    return {
        a["url"]
        for a in articles
        if a["relevant"] and a["duplicate_of"] is None and a["status"] != "rejected"
    }


def _check_feeds_parse(out, expected: set[str]) -> None:
    for path in sorted(out.glob("*.rss")) + sorted(out.glob("*.atom")):
        parsed = feedparser.parse(path.read_bytes())
        assert parsed.bozo == 0, (path.name, parsed.get("bozo_exception"))
        assert {e.link for e in parsed.entries} <= expected, path.name
    parsed = feedparser.parse((out / "all.rss").read_bytes())
    assert len(parsed.entries) == min(len(expected), 50)
    dates = [e.published_parsed for e in parsed.entries]
    assert dates == sorted(dates, reverse=True)  # newest first


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def served(crawled, sqlite_url):
    """``dvcrawl serve`` on 127.0.0.1 serving the built feeds."""
    out, articles = crawled
    base = f"http://127.0.0.1:{_free_port()}"
    cmd = [sys.executable, "-m", "dvcrawl", "serve", "--db", sqlite_url, "--host", "127.0.0.1"]
    cmd += ["--port", base.rsplit(":", 1)[1], "--feeds-dir", str(out)]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                urllib.request.urlopen(f"{base}/feeds/", timeout=2).read()
                break
            except OSError:
                assert proc.poll() is None, proc.stderr.read().decode()[-2000:]
                assert time.monotonic() < deadline, "dvcrawl serve did not start"
                time.sleep(0.2)
        yield base, articles, out
    finally:
        proc.terminate()
        proc.wait(timeout=20)


@pytest.mark.skipif(not os.path.exists(NEWSBOAT), reason="Debian's newsboat is not installed")
def test_sample_portals_feeds_parse_and_newsboat_reads_them_from_serve(served, tmp_path):
    """One crawl (the slow part) for both checks: feedparser on every file, newsboat over HTTP."""
    base, articles, out = served
    expected = _expected_urls(articles)
    assert expected, "the sample crawl stored no relevant article"
    _check_feeds_parse(out, expected)
    urls = tmp_path / "urls"
    urls.write_text(f"{base}/feeds/all.rss\n{base}/feeds/all.atom\n", encoding="utf-8")
    (tmp_path / "config").write_text("", encoding="utf-8")
    cache = tmp_path / "cache.db"
    cmd = [NEWSBOAT, "-u", str(urls), "-c", str(cache), "-C", str(tmp_path / "config")]
    env = dict(os.environ, HOME=str(tmp_path))
    subprocess.run([*cmd, "-x", "reload"], env=env, check=True, timeout=60, capture_output=True)
    with sqlite3.connect(cache) as db:
        feeds = {url: title for url, title in db.execute("SELECT rssurl, title FROM rss_feed")}
        items = {url for (url,) in db.execute("SELECT url FROM rss_item")}
    assert set(feeds) == {f"{base}/feeds/all.rss", f"{base}/feeds/all.atom"}
    assert all(title.startswith("Công tác dân vận") for title in feeds.values())
    assert items and items <= expected
    assert len(items) == min(len(expected), 50)

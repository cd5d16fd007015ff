"""Issue 13 on the feeds: future dates, empty feeds, missing databases, bad options, hygiene."""

from __future__ import annotations

import json
import os
import stat
import time
from datetime import datetime, timedelta

import pytest
from fastapi.testclient import TestClient

from dvcrawl import datesanity
from dvcrawl.feeds import build_feeds
from dvcrawl.feeds.write import atomic_write
from dvcrawl.storage.db import Database
from dvcrawl.web.app import create_app
from test_feeds_support import NS, add_article, feed_db, rss_links, xml

FETCHED = datetime(2026, 11, 2, 3, 0)  # naive UTC


@pytest.fixture
def db(db_url):
    with feed_db(db_url, ("hatinh", "Cổng TTĐT Đảng bộ tỉnh Hà Tĩnh", "Hà Tĩnh")) as database:
        yield database


def test_the_date_rule_is_one_day_past_the_fetch():
    assert not datesanity.is_doubtful(FETCHED + timedelta(hours=23), FETCHED)
    assert datesanity.is_doubtful(FETCHED + timedelta(days=1, minutes=1), FETCHED)
    assert datesanity.sort_time(datetime(2099, 1, 1), FETCHED) == FETCHED
    assert datesanity.sort_time(None, FETCHED) == FETCHED


def test_a_future_date_never_pins_an_entry_to_the_top(db, tmp_path):
    typo = add_article(db, hours=0, published_at=datetime(2099, 1, 1), fetched_at=FETCHED)
    newer = [
        add_article(db, published_at=FETCHED + timedelta(hours=h), fetched_at=FETCHED)
        for h in (2, 1)
    ]
    older = add_article(db, published_at=FETCHED - timedelta(days=3), fetched_at=FETCHED)
    out = tmp_path / "feeds"
    build_feeds(db, out, limit=3)
    assert rss_links(out / "all.rss") == [newer[0].url, newer[1].url, typo.url]
    build_feeds(db, out, limit=4)
    assert rss_links(out / "source-hatinh.rss")[-1] == older.url
    entry = xml(out / "all.atom").findall("atom:entry", NS)[2]
    assert entry.findtext("atom:published", namespaces=NS) == "2026-11-02T10:00:00+07:00"
    feed_updated = xml(out / "all.atom").findtext("atom:updated", namespaces=NS)
    assert datetime.fromisoformat(feed_updated) <= datetime.now().astimezone() + timedelta(
        seconds=5
    )  # the channel's date is the build time, never a future entry date
    doc = json.loads((out / "all.json").read_text("utf-8"))
    assert "2099" not in json.dumps(doc)


def test_many_doubtful_dates_do_not_push_real_news_out(db, tmp_path):
    for _ in range(5):
        add_article(db, published_at=datetime(2099, 1, 1), fetched_at=FETCHED - timedelta(days=9))
    fresh = [add_article(db, hours=h, fetched_at=FETCHED) for h in (3, 2, 1)]
    out = tmp_path / "feeds"
    build_feeds(db, out, limit=3)
    assert rss_links(out / "source-hatinh.rss") == [a.url for a in fresh]


def test_feeds_never_replace_a_feed_that_has_entries_by_an_empty_one(db, tmp_path, run_cli):
    out = tmp_path / "feeds"
    add_article(db)
    build_feeds(db, out)
    before = (out / "all.rss").read_bytes()
    opml = (out / "feeds.opml").read_bytes()
    empty_url = f"sqlite:///{tmp_path / 'empty.sqlite'}"
    Database(empty_url).dispose()  # exists and is migrated, holds nothing
    refused = run_cli("feeds", "--db", empty_url, "--out", str(out))
    assert refused.returncode == 2
    lines = [line for line in refused.stderr.splitlines() if "kept" in line]
    assert len(lines) == 1 and "--allow-empty" in lines[0]
    assert (out / "all.rss").read_bytes() == before
    assert (out / "feeds.opml").read_bytes() == opml  # still lists the source and province
    forced = run_cli("feeds", "--db", empty_url, "--out", str(out), "--allow-empty")
    assert forced.returncode == 0 and rss_links(out / "all.rss") == []


def test_feeds_refuse_a_database_that_does_not_exist(tmp_path, run_cli):
    typo = tmp_path / "typo" / "dvcrawl.sqlite"
    for url in (f"sqlite:///{typo}", "sqlite://"):
        done = run_cli("feeds", "--db", url, "--out", str(tmp_path / "feeds"))
        assert done.returncode == 2 and "Traceback" not in done.stderr
        # One line naming the database that was refused.
        assert url.removeprefix("sqlite:///") in done.stderr
        assert len(done.stderr.strip().splitlines()) == 1
    assert not typo.parent.exists() and not (tmp_path / "feeds").exists()


@pytest.mark.parametrize(
    ("args", "named"),
    [
        (["--limit", "1e22"], "1e22"),
        (["--limit", "99999999999999999999999"], "99999999999999999999999"),
        (["--limit", "nan"], "nan"),
        (["--ttl", "-5"], "-5"),
        (["--hub", "javascript:alert(1)"], "javascript:alert(1)"),
        (["--hub", "file:///etc/passwd"], "file:///etc/passwd"),
        (["--base-url", "ftp://x/"], "ftp://x/"),
    ],
)
def test_bad_feed_options_are_one_line_and_exit_2(tmp_path, run_cli, args, named):
    done = run_cli("feeds", "--out", str(tmp_path / "feeds"), *args)
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1 and named in done.stderr


def test_entries_link_only_to_web_urls(db, tmp_path):
    good = add_article(db, hours=1)
    add_article(db, hours=2, url="javascript:alert(1)//bai.html")
    add_article(db, hours=3, url="file:///etc/passwd")
    out = tmp_path / "feeds"
    build_feeds(db, out)
    for path in out.iterdir():
        assert b"javascript:" not in path.read_bytes() and b"file:" not in path.read_bytes()
    assert rss_links(out / "all.rss") == [good.url]


def test_a_killed_build_leaves_no_temporaries_after_the_next(db, tmp_path):
    out = tmp_path / "feeds"
    out.mkdir()
    stale = out / ".all.rss.abc123.tmp"
    stale.write_bytes(b"half a feed")
    os.utime(stale, (time.time() - 3600, time.time() - 3600))
    running = out / ".all.atom.def456.tmp"  # another build's, a moment old: left alone
    running.write_bytes(b"being written")
    build_feeds(db, out)
    assert not stale.exists() and running.exists()


def test_each_rename_is_followed_by_a_directory_fsync(tmp_path, monkeypatch):
    synced: list[bool] = []
    real_fsync = os.fsync

    def spy(fd):
        synced.append(stat.S_ISDIR(os.fstat(fd).st_mode))
        return real_fsync(fd)

    monkeypatch.setattr(os, "fsync", spy)
    atomic_write(tmp_path / "all.rss", b"<rss/>")
    assert synced == [False, True]  # the file's data, then its directory entry


def test_long_or_strange_feed_names_are_404_never_500(tmp_path):
    feeds = tmp_path / "feeds"
    feeds.mkdir()
    client = TestClient(create_app(f"sqlite:///{tmp_path}/d.sqlite", feeds_dir=feeds))
    for name in ("a" * 300 + ".rss", "province-" + "b" * 300 + ".rss", "x" * 5000, "%00.rss"):
        assert client.get(f"/feeds/{name}").status_code == 404, name


def test_bidi_controls_never_reach_a_feed(db, tmp_path):
    add_article(db, title="Tin \u202egnop\u202c mới", author="A\u2066B\u2069", text="x\u202dy")
    out = tmp_path / "feeds"
    build_feeds(db, out)
    for path in out.iterdir():
        text = path.read_text("utf-8")
        assert not any(
            ch in text for ch in "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
        )
    assert "Tin gnop mới" in (out / "all.rss").read_text("utf-8")

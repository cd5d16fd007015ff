"""build_feeds against real databases: validity, required elements, filters, order, files."""

from __future__ import annotations

import json
import os
from datetime import datetime

import feedparser
import pytest

from dvcrawl.feeds import build_feeds
from dvcrawl.storage.db import Database
from dvcrawl.topics import load_topics
from test_feeds_support import NS, add_article, add_source, rss_links, xml

BASE = "https://tin.example.vn/"


@pytest.fixture
def db(db_url):
    database = Database(db_url)
    add_source(database, "hatinh", "Cổng TTĐT Đảng bộ tỉnh Hà Tĩnh", "Hà Tĩnh")
    add_source(database, "daklak", "Cổng TTĐT Đảng bộ tỉnh Đắk Lắk", "Đắk Lắk")
    add_source(database, "dvtw", "Ban Dân vận Trung ương")
    yield database
    database.dispose()


@pytest.fixture
def out(tmp_path):
    return tmp_path / "feeds"


def _xml_feeds(out):
    return sorted(p for p in out.iterdir() if p.suffix in (".rss", ".atom"))


def test_every_feed_parses_and_has_required_elements(db, out):
    for i, sid in enumerate(("hatinh", "daklak", "dvtw", "hatinh")):
        add_article(db, sid, hours=i, author="Chu Thanh Hoài (Ban Dân vận Tỉnh ủy)")
    result = build_feeds(db, out, base_url=BASE, ttl_minutes=15)
    feeds = _xml_feeds(out)
    assert len(feeds) == 2 * (1 + 3 + 2 + len(load_topics()))  # all, sources, provinces, topics
    for path in feeds:
        parsed = feedparser.parse(path.read_bytes())
        assert parsed.bozo == 0, (path.name, parsed.get("bozo_exception"))
        (_check_rss if path.suffix == ".rss" else _check_atom)(path)
    assert {p.name for p in result.written} == {p.name for p in out.iterdir()}


def _check_rss(path):
    channel = xml(path).find("channel")
    for tag in ("title", "link", "description", "lastBuildDate"):
        assert (channel.findtext(tag) or "").strip(), (path.name, tag)
    assert channel.findtext("language") == "vi"
    assert channel.findtext("ttl") == "15"
    self_link = channel.find("atom:link[@rel='self']", NS)
    assert self_link.get("href") == f"{BASE}feeds/{path.name}"
    for item in channel.iterfind("item"):
        guid = item.find("guid")
        assert guid.get("isPermaLink") == "true" and guid.text == item.findtext("link")
        assert item.findtext("title") and item.findtext("pubDate").endswith("+0700")
        assert item.find("content:encoded", NS).text.startswith("<p>")
        assert item.findtext("category") and item.findtext("description")


def _check_atom(path):
    feed = xml(path)
    for tag in ("id", "title", "updated"):
        assert (feed.findtext(f"atom:{tag}", namespaces=NS) or "").strip(), (path.name, tag)
    assert feed.find("atom:link[@rel='self']", NS).get("href") == f"{BASE}feeds/{path.name}"
    for entry in feed.iterfind("atom:entry", NS):
        for tag in ("id", "title", "updated"):
            assert entry.findtext(f"atom:{tag}", namespaces=NS), (path.name, tag)
        assert entry.find("atom:link", NS).get("href") == entry.findtext("atom:id", namespaces=NS)
        assert entry.findtext("atom:updated", namespaces=NS).endswith("+07:00")
        assert entry.find("atom:content", NS).get("type") == "html"


def test_only_relevant_non_duplicate_non_rejected(db, out):
    keep = add_article(db, hours=1, title="giữ")
    forced_in = add_article(db, hours=2, relevant=False, relevance_override=True)
    add_article(db, hours=3, relevant=False)  # irrelevant
    add_article(db, hours=4, relevant=True, relevance_override=False)  # staff: not relevant
    add_article(db, hours=5, status="rejected")
    add_article(db, hours=6, duplicate_of_id=keep.id)
    approved = add_article(db, hours=0, status="approved")
    build_feeds(db, out)
    expected = [forced_in.url, keep.url, approved.url]
    assert rss_links(out / "all.rss") == expected
    assert rss_links(out / "source-hatinh.rss") == expected
    build_feeds(db, out, mode="approved")
    assert rss_links(out / "all.rss") == [approved.url]
    parsed = feedparser.parse((out / "all.atom").read_bytes())
    assert [e.link for e in parsed.entries] == [approved.url]


def test_newest_first_limit_and_undated(db, out):
    dated = [add_article(db, "daklak" if i % 2 else "hatinh", hours=i) for i in range(6)]
    undated = add_article(db, hours=0, published_at=None, fetched_at=datetime(2026, 11, 1, 3, 30))
    build_feeds(db, out, limit=4)
    # Undated: dated by when it was fetched (03:30 UTC = between hours 2 and 3).
    expected = [dated[5].url, dated[4].url, dated[3].url, undated.url]
    assert rss_links(out / "all.rss") == expected
    atom = feedparser.parse((out / "all.atom").read_bytes())
    assert [e.link for e in atom.entries] == expected
    data = json.loads((out / "all.json").read_text("utf-8"))
    assert [i["url"] for i in data["items"]] == expected
    assert rss_links(out / "province-dak-lak.rss") == [dated[5].url, dated[3].url, dated[1].url]


def test_dates_in_vietnam_time(db, out):
    add_article(
        db, published_at=datetime(2022, 12, 27, 15, 37), published="2022-12-27T22:37:00+07:00"
    )
    build_feeds(db, out)
    assert xml(out / "all.rss").findtext("channel/item/pubDate") == (
        "Tue, 27 Dec 2022 22:37:00 +0700"
    )
    entry = xml(out / "all.atom").find("atom:entry", NS)
    assert entry.findtext("atom:updated", namespaces=NS) == "2022-12-27T22:37:00+07:00"
    item = json.loads((out / "all.json").read_text("utf-8"))["items"][0]
    assert item["date_published"] == "2022-12-27T22:37:00+07:00"


def test_per_source_and_province_files_and_opml(db, out):
    a = add_article(db, "hatinh", hours=1)
    b = add_article(db, "daklak", hours=2)
    c = add_article(db, "elsewhere", hours=3)  # no row in the sources table
    result = build_feeds(db, out, base_url=BASE)
    assert rss_links(out / "source-hatinh.rss") == [a.url]
    assert rss_links(out / "source-elsewhere.rss") == [c.url]
    assert rss_links(out / "province-ha-tinh.rss") == [a.url]  # ASCII-folded slug
    assert rss_links(out / "province-dak-lak.rss") == [b.url]
    assert rss_links(out / "all.rss") == [c.url, b.url, a.url]
    assert (out / "source-dvtw.atom").exists()  # a source with no article: empty feed
    opml = xml(out / "feeds.opml")
    listed = {o.get("xmlUrl") for o in opml.iter("outline") if o.get("xmlUrl")}
    rss_files = {f"{BASE}feeds/{p.name}" for p in out.glob("*.rss")}
    assert listed == rss_files and len(listed) == 1 + 4 + 2 + len(load_topics())
    assert {f.url for f in result.feeds if f.kind == "rss"} == rss_files
    assert any(o.get("title") == "Công tác dân vận: Hà Tĩnh" for o in opml.iter("outline"))


def test_json_feed_is_valid_1_1(db, out):
    article = add_article(db, author="Phóng viên", title="Tiêu đề & <b>đậm</b>")
    build_feeds(db, out, base_url=BASE)
    for path in out.glob("*.json"):
        data = json.loads(path.read_text("utf-8"))
        assert data["version"] == "https://jsonfeed.org/version/1.1"
        assert data["title"] and data["feed_url"] == f"{BASE}feeds/{path.name}"
        assert isinstance(data["items"], list)
    item = json.loads((out / "all.json").read_text("utf-8"))["items"][0]
    assert item["id"] == item["url"] == article.url
    assert item["title"] == "Tiêu đề & <b>đậm</b>"  # plain text, never HTML
    assert item["authors"] == [{"name": "Phóng viên"}]
    assert item["content_html"].startswith("<p>Đoạn đầu")


def test_also_published_links_for_syndicated_story(db, out):
    original = add_article(db, "hatinh", hours=1)
    copies = [add_article(db, sid, hours=2, duplicate_of_id=original.id) for sid in ("daklak", "x")]
    build_feeds(db, out)
    assert rss_links(out / "all.rss") == [original.url]
    content = xml(out / "all.rss").find("channel/item/content:encoded", NS).text
    assert "Cũng đăng trên" in content
    for copy in copies:
        assert f'href="{copy.url}"' in content
    assert "Cổng TTĐT Đảng bộ tỉnh Đắk Lắk" in content  # copies named by their portal


def test_unchanged_feeds_are_not_rewritten(db, out):
    add_article(db, "hatinh", hours=1)
    add_article(db, "daklak", hours=2)
    build_feeds(db, out)
    for path in out.iterdir():
        os.utime(path, ns=(1_000_000_000_000_000_000, 1_000_000_000_000_000_000))
    again = build_feeds(db, out)
    assert again.written == [] and len(again.unchanged) == len(list(out.iterdir()))
    assert all(p.stat().st_mtime_ns == 10**18 for p in out.iterdir())
    add_article(db, "hatinh", hours=3)
    third = build_feeds(db, out)
    changed = {p.name for p in third.written}
    assert {"all.rss", "all.atom", "all.json", "source-hatinh.rss"} <= changed
    assert "source-daklak.rss" not in changed and "feeds.opml" not in changed
    assert (out / "source-daklak.rss").stat().st_mtime_ns == 10**18
    assert (out / "all.rss").stat().st_mtime_ns != 10**18


def test_empty_database_gives_valid_empty_feeds(db, out):
    build_feeds(db, out)
    for path in _xml_feeds(out):
        parsed = feedparser.parse(path.read_bytes())
        assert parsed.bozo == 0 and parsed.entries == [], path.name


def test_bad_options_are_named(db, out):
    from dvcrawl.errors import ConfigError

    with pytest.raises(ConfigError, match="publish mode"):
        build_feeds(db, out, mode="everything")
    with pytest.raises(ConfigError, match="limit"):
        build_feeds(db, out, limit=0)
    with pytest.raises(ConfigError, match="base URL"):
        build_feeds(db, out, base_url="ftp://x")

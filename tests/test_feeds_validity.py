"""The W3C Feed Validation Service's rules that our feeds touch, asserted on built files.

The validator itself (w3c/feedvalidator) is not on PyPI; bench/validate_feeds.py runs it over a
directory (bench/README.md has the command and result). These tests pin each rule it reported or
checks on what we write: an author for every Atom entry, distinct atom:updated, typed OPML
outlines, self links, RFC 3339 / RFC 822 dates, and JSON Feed 1.1 to the letter.
"""

from __future__ import annotations

import json
import re
from email.utils import parsedate_to_datetime

import pytest

from dvcrawl.feeds import build_feeds
from dvcrawl.storage.db import Database
from test_feeds_support import NS, add_article, add_source, xml

BASE = "https://tin.example.vn/"
# RFC 3339 date-time with seconds and an explicit offset, as Atom and JSON Feed require.
RFC3339 = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?([+-]\d{2}:\d{2}|Z)$")


@pytest.fixture
def out(sqlite_url, tmp_path):
    db = Database(sqlite_url)
    add_source(db, "hanam", "Cổng TTĐT Đảng bộ tỉnh Hà Nam", "Hà Nam")
    add_source(db, "hatinh", "Cổng TTĐT Đảng bộ tỉnh Hà Tĩnh", "Hà Tĩnh")
    # Three articles stamped with the same minute, none with a byline; one with a byline.
    for _ in range(3):
        add_article(db, "hanam", hours=5, author=None)
    add_article(db, "hatinh", hours=1, author="Chu Thanh Hoài")
    build_feeds(db, tmp_path / "feeds", base_url=BASE)
    db.dispose()
    return tmp_path / "feeds"


def _atom_files(out):
    return sorted(out.glob("*.atom"))


def test_every_atom_entry_has_an_author_the_byline_or_the_portal(out):
    for path in _atom_files(out):
        for entry in xml(path).iterfind("atom:entry", NS):
            assert entry.findtext("atom:author/atom:name", namespaces=NS), path.name
    names = {
        e.findtext("atom:author/atom:name", namespaces=NS)
        for e in xml(out / "all.atom").iterfind("atom:entry", NS)
    }
    assert names == {"Chu Thanh Hoài", "Cổng TTĐT Đảng bộ tỉnh Hà Nam"}


def test_entries_of_a_feed_never_share_atom_updated(out):
    for path in _atom_files(out):
        stamps = [
            e.findtext("atom:updated", namespaces=NS)
            for e in xml(path).iterfind(".//atom:entry", NS)
        ]
        assert len(stamps) == len(set(stamps)), path.name
        published = [
            e.findtext("atom:published", namespaces=NS)
            for e in xml(path).iterfind(".//atom:entry", NS)
        ]
        assert all(
            u >= p for u, p in zip(stamps, published, strict=True)
        )  # never before publication
    hanam = xml(out / "source-hanam.atom").iterfind("atom:entry", NS)
    assert len({e.findtext("atom:published", namespaces=NS) for e in hanam}) == 1  # dates kept


def test_dates_are_rfc3339_in_atom_and_rfc822_in_rss(out):
    for path in _atom_files(out):
        for tag in ("updated", "published"):
            for node in xml(path).iterfind(f".//atom:{tag}", NS):
                assert RFC3339.match(node.text), (path.name, node.text)
    for path in out.glob("*.rss"):
        for node in xml(path).iterfind(".//pubDate"):
            assert parsedate_to_datetime(node.text).utcoffset() is not None


def test_every_feed_links_to_itself(out):
    for path in [*_atom_files(out), *out.glob("*.rss")]:
        self_link = xml(path).find(".//atom:link[@rel='self']", NS)
        assert self_link.get("href") == f"{BASE}feeds/{path.name}", path.name


def test_opml_outlines_are_typed_and_folders_carry_only_text(out):
    body = xml(out / "feeds.opml").find("body")
    for folder in body.iterfind("outline"):
        assert set(folder.attrib) == {"text"}
        for outline in folder.iterfind("outline"):
            assert outline.get("type") == "rss" and outline.get("xmlUrl").endswith(".rss")
            assert outline.get("text") and outline.get("htmlUrl")
    folders = [f.get("text") for f in body.iterfind("outline")]
    assert folders == ["Tất cả nguồn", "Theo cổng thông tin", "Theo tỉnh, thành phố", "Theo chủ đề"]


def test_json_feed_follows_version_1_1(out):
    for path in out.glob("*.json"):
        doc = json.loads(path.read_text("utf-8"))
        assert doc["version"] == "https://jsonfeed.org/version/1.1"
        assert doc["title"] and doc["feed_url"] == f"{BASE}feeds/{path.name}"
        assert doc["home_page_url"].startswith("https://")
        assert "author" not in doc  # 1.0's singular author is deprecated in 1.1
        for item in doc["items"]:
            assert isinstance(item["id"], str) and item["url"].startswith("https://")
            assert item["content_html"] and isinstance(item["tags"], list)
            assert RFC3339.match(item["date_published"]) and RFC3339.match(item["date_modified"])
            assert item["authors"] and all(a["name"] for a in item["authors"])
            assert "author" not in item
    items = json.loads((out / "all.json").read_text("utf-8"))["items"]
    assert len(items) == 4

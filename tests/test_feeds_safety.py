"""Hostile scraped strings still give valid feeds; writes are atomic."""

from __future__ import annotations

import json
import os
import re

import feedparser
import pytest

from dvcrawl.feeds import build_feeds, safe
from dvcrawl.feeds.write import atomic_write, write_if_changed
from dvcrawl.storage.db import Database
from dvcrawl.storage.models import Source
from dvcrawl.topics import load_topics
from test_feeds_support import NS, add_article, add_source, xml

# C0 controls XML 1.0 forbids (PostgreSQL cannot store NUL at all, so it is added for SQLite).
CONTROLS = "".join(chr(c) for c in range(1, 32) if chr(c) not in "\t\n\r") + "\ufffe\uffff"
HOSTILE_TITLE = "<script>alert('x')</script> Tin & tức ]]> <![CDATA[ x ]]>" + CONTROLS
# Bytes no feed may contain: XML-illegal characters, whatever the encoding step did.
_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


@pytest.fixture
def hostile_feeds(db_url, tmp_path):
    db = Database(db_url)
    nul = "\x00" if db.dialect == "sqlite" else ""
    add_source(db, "evil", "Cổng <b>độc</b> & ]]>" + CONTROLS, "Tỉnh <i>X</i>" + CONTROLS)
    with db.session() as s:
        s.get(Source, "evil").start_urls = ["https://evil.vn/?a=1&b=" + CONTROLS]
    add_article(
        db,
        "evil",
        hours=1,
        url="https://evil.vn/a?x=1&y=<2>",
        title=HOSTILE_TITLE + nul,
        text="Mở đầu <script>steal()</script> & ]]>"
        + CONTROLS
        + nul
        + "\n<iframe src=javascript:alert(1)></iframe><img src=x onerror=alert(1)>",
        author="Tác giả <a href='javascript:x'>x</a>" + CONTROLS,
    )
    add_article(db, "evil", hours=2, title="Dài " + "chữ " * 2500)  # 10,000 characters
    out = tmp_path / "feeds"
    # A closed loopback port: the ping fails at once, without touching the network.
    build_feeds(db, out, hub="http://127.0.0.1:9/hub?a=1&b=2")
    db.dispose()
    return out


def test_hostile_inputs_give_valid_feeds(hostile_feeds):
    files = sorted(hostile_feeds.iterdir())
    # all, source, province and each topic in three formats, + OPML
    assert len(files) == 3 * (3 + len(load_topics())) + 1
    for path in files:
        text = path.read_text("utf-8")
        assert not _ILLEGAL.search(text), path.name
        if path.suffix == ".json":
            json.loads(text)
            continue
        parsed = feedparser.parse(path.read_bytes())
        assert parsed.bozo == 0, (path.name, parsed.get("bozo_exception"))
        assert "<script" not in text and "<iframe" not in text, path.name


def test_hostile_html_is_sanitised_and_titles_truncated(hostile_feeds):
    items = xml(hostile_feeds / "all.rss").findall("channel/item")
    long_title, hostile = (i.findtext("title") for i in items)
    assert len(long_title) <= safe.TITLE_MAX and long_title.endswith("…")
    assert hostile.startswith("<script>alert('x')</script> Tin & tức ]]>")  # text, escaped
    content = items[1].find("content:encoded", NS).text
    for tag in ("<script", "<iframe", "<img"):
        assert tag not in content
    assert "&lt;script&gt;steal()" in content  # scraped tags shown as text, inert
    assert "&lt;img src=x onerror=alert(1)&gt;" in content
    # The lead in <description>, which readers render as HTML: escaped, so it shows as text.
    assert items[1].findtext("description").startswith("Mở đầu &lt;script&gt;steal()")
    entry = json.loads((hostile_feeds / "all.json").read_text("utf-8"))["items"][1]
    assert "<script" not in entry["content_html"]


def test_sanitize_keeps_only_the_allow_list():
    dirty = '<p onclick="x">a<script>b</script><a href="javascript:x">c</a><a href="https://v.vn/">d</a></p>'
    clean = safe.sanitize(dirty)
    assert "script" not in clean and "onclick" not in clean and "javascript" not in clean
    assert '<a href="https://v.vn/" rel="noopener">d</a>' in clean


def test_lead_is_first_paragraph_trimmed():
    assert safe.lead("\n  Đoạn một.  \nĐoạn hai.") == "Đoạn một."
    long = safe.lead("từ " * 500)
    assert len(long) <= safe.SUMMARY_MAX and long.endswith("…")


def test_atomic_write_keeps_old_file_when_replace_fails(tmp_path, monkeypatch):
    target = tmp_path / "all.rss"
    target.write_bytes(b"old")

    def broken_replace(src, dst):
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", broken_replace)
    with pytest.raises(OSError):
        atomic_write(target, b"new")
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["all.rss"]  # temp file removed


def test_atomic_write_replaces_through_a_temp_file_in_the_same_dir(tmp_path, monkeypatch):
    target = tmp_path / "all.rss"
    target.write_bytes(b"old")
    seen = []
    real_replace = os.replace

    def spy(src, dst):
        with open(src, "rb") as fh:
            seen.append((os.path.dirname(src), fh.read(), target.read_bytes()))
        real_replace(src, dst)

    monkeypatch.setattr(os, "replace", spy)
    assert write_if_changed(target, b"new") is True
    assert seen == [(str(tmp_path), b"new", b"old")]  # complete file ready before the swap
    assert target.read_bytes() == b"new" and oct(target.stat().st_mode & 0o777) == "0o644"
    assert write_if_changed(target, b"new") is False and len(seen) == 1

"""Topic feeds (data/topics.toml over the relevance labels) and feeds per current province."""

from __future__ import annotations

import subprocess
import sys

import pytest
from fastapi.testclient import TestClient

from dvcrawl import provinces
from dvcrawl.errors import ConfigError
from dvcrawl.feeds import build_feeds
from dvcrawl.feeds.query import TOPIC_DEPTH
from dvcrawl.relevance import score_article
from dvcrawl.sources import parse_sources
from dvcrawl.topics import load_topics, parse_topics, topic_by_slug
from dvcrawl.web.app import create_app
from test_feeds_support import NS, add_article, feed_db, rss_links, xml

KHEO = "Mô hình dân vận khéo giúp đồng bào có đạo phát triển kinh tế"
TEXT = "Ban Dân vận Huyện ủy cùng chức sắc tôn giáo vận động nhân dân hiến đất làm đường."


@pytest.fixture
def db(sqlite_url):
    with feed_db(
        sqlite_url,
        ("bentre", "Cổng TTĐT Đảng bộ tỉnh Bến Tre", "Bến Tre"),
        ("vinhlong", "Báo Vĩnh Long", "Vĩnh Long"),
        ("hatinh", "Cổng TTĐT Đảng bộ tỉnh Hà Tĩnh", "Hà Tĩnh"),
    ) as database:
        yield database


def _scored(db, source, hours, title, text=TEXT):
    """An article with the labels the real scorer matches, as the pipeline stores them."""
    terms = score_article(title, text).terms
    return add_article(db, source, hours=hours, title=title, text=text, relevance_terms=terms)


def test_topics_are_data_over_the_scorers_labels():
    slugs = [t.slug for t in load_topics()]
    assert slugs == [
        "dan-van-kheo",
        "dan-toc-ton-giao",
        "dan-chu-o-co-so",
        "mat-tran-doan-the",
        "tiep-cong-dan-doi-thoai",
    ]
    terms = score_article(KHEO, TEXT).terms
    assert topic_by_slug("dan-van-kheo").matches(terms)
    assert topic_by_slug("dan-toc-ton-giao").matches(terms)  # "chức sắc", "đồng bào có đạo"
    assert not topic_by_slug("dan-chu-o-co-so").matches(terms)
    with pytest.raises(ConfigError, match="not in lexicon.toml.*'dân vận mềm'"):
        parse_topics('[[topic]]\nname = "X"\nslug = "x"\nterms = ["dân vận mềm"]\n')


def test_topic_feeds_and_categories(db, tmp_path):
    kheo = _scored(db, "bentre", 3, KHEO)
    plain = _scored(db, "hatinh", 2, "Hội nghị nhân dân về quy chế dân chủ ở cơ sở")
    out = tmp_path / "feeds"
    build_feeds(db, out)
    assert rss_links(out / "topic-dan-van-kheo.rss") == [kheo.url]
    assert rss_links(out / "topic-dan-chu-o-co-so.rss") == [plain.url]
    assert (out / "topic-tiep-cong-dan-doi-thoai.atom").exists()  # empty, ready to subscribe
    entry = xml(out / "all.atom").find("atom:entry", NS)
    terms = [c.get("term") for c in entry.iterfind("atom:category", NS)]
    assert terms == [
        "Cổng TTĐT Đảng bộ tỉnh Bến Tre",
        "Vĩnh Long",  # the current province
        "Bến Tre",  # the old one, still a category
        "Dân vận khéo",
        "Dân tộc - tôn giáo",
    ]
    urls = {o.get("xmlUrl") for o in xml(out / "feeds.opml").iter("outline")}
    assert {f"http://localhost:8000/feeds/topic-{t.slug}.rss" for t in load_topics()} <= urls


def test_a_topic_keeps_its_articles_below_a_busy_sources_newest(db, tmp_path):
    """A topic article older than its source's newest N stays in the topic feed (down to
    TOPIC_DEPTH x N rows of the source): subscribers of a rare topic do not lose it to the
    source's other news. Deeper than that, the walk stops (bounded cost)."""
    limit = 3
    kept = _scored(db, "bentre", 1, KHEO)
    other = "Ban Dân vận Tỉnh ủy kiểm tra công tác dân vận tại xã"
    for hour in range(2, 2 + 2 * limit):
        _scored(db, "bentre", hour, f"{other} số {hour}")
    newer = _scored(db, "hatinh", 50, KHEO)
    out = tmp_path / "feeds"
    build_feeds(db, out, limit=limit)
    assert kept.url not in rss_links(out / "source-bentre.rss")  # below the source's newest 3
    assert rss_links(out / "topic-dan-van-kheo.rss") == [newer.url, kept.url]

    for hour in range(100, 100 + TOPIC_DEPTH * limit):
        _scored(db, "bentre", hour, f"{other} đợt {hour}")
    build_feeds(db, out, limit=limit)
    assert rss_links(out / "topic-dan-van-kheo.rss") == [newer.url]


def test_feeds_topic_builds_only_that_topic(db, tmp_path, run_cli, sqlite_url):
    _scored(db, "bentre", 3, KHEO)
    out = tmp_path / "feeds"
    done = run_cli("feeds", "--db", sqlite_url, "--out", str(out), "--topic", "dan-van-kheo")
    assert done.returncode == 0, done.stderr
    assert sorted(p.name for p in out.iterdir()) == [
        "topic-dan-van-kheo.atom",
        "topic-dan-van-kheo.json",
        "topic-dan-van-kheo.rss",
    ]
    bad = run_cli("feeds", "--db", sqlite_url, "--out", str(out), "--topic", "dan-van")
    assert bad.returncode == 2 and "Traceback" not in bad.stderr
    assert len(bad.stderr.strip().splitlines()) == 1
    assert "'dan-van'" in bad.stderr and "dan-van-kheo, dan-toc-ton-giao" in bad.stderr


def test_old_province_names_map_to_the_34_provinces_of_2025():
    assert provinces.current("Bến Tre") == provinces.Province("Vĩnh Long", "vinh-long", "Bến Tre")
    assert provinces.current("Tỉnh Hà Nam").name == "Ninh Bình"
    assert provinces.current("Bình Phước").slug == "dong-nai"
    assert provinces.current("TP. Hồ Chí Minh") == provinces.Province(
        "Hồ Chí Minh", "ho-chi-minh", None
    )
    assert provinces.current("Hà Tĩnh").old_name is None  # not merged
    assert provinces.current("Sài Gòn Xưa") is None
    assert provinces.alias_slugs()["ben-tre"] == "vinh-long"
    assert len(set(provinces.alias_slugs().values()) | {"ha-tinh"}) <= 34


def test_shipped_province_names_are_the_librarys_and_spare_the_crawl_loading_it():
    """data/province_names.txt answers the sources check; it must say what the library says."""
    shipped = provinces._shipped_names()
    assert shipped == set(provinces._names())
    assert all(provinces.current(name) is not None for name in shipped)
    assert provinces.is_known("  Bến   Tre ") and provinces.is_known("Tỉnh Hà Nam")
    assert not provinces.is_known("Sài Gòn Xưa")
    code = (
        "import sys; from dvcrawl.sources import parse_sources; parse_sources({'sources': [{"
        "'id': 'bt', 'name': 'BT', 'province': 'Bến Tre', 'start_urls': ['https://a.vn/']}]},"
        " 's.toml'); assert 'vietnamadminunits' not in sys.modules"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_feeds_per_current_province_and_old_urls_redirect(db, tmp_path):
    old = _scored(db, "bentre", 3, KHEO)
    new = _scored(db, "vinhlong", 2, "Mặt trận Tổ quốc tỉnh hiệp thương giới thiệu người ứng cử")
    out = tmp_path / "feeds"
    build_feeds(db, out)
    assert rss_links(out / "province-vinh-long.rss") == [old.url, new.url]
    assert not (out / "province-ben-tre.rss").exists()
    description = xml(out / "province-vinh-long.rss").findtext("channel/description")
    assert "Bến Tre" in description  # says which old province it now includes
    client = TestClient(create_app(db.url, feeds_dir=out, secret_key="k"))
    moved = client.get("/feeds/province-ben-tre.atom", follow_redirects=False)
    assert moved.status_code == 301 and moved.headers["location"] == "province-vinh-long.atom"
    assert (
        client.get("/feeds/province-ben-tre.atom").content
        == (out / "province-vinh-long.atom").read_bytes()
    )
    assert client.get("/feeds/province-atlantis.rss").status_code == 404


def test_an_unknown_province_in_the_sources_file_names_source_key_and_close_names():
    data = {
        "sources": [
            {"id": "ht", "name": "HT", "province": "Hà Tỉnh", "start_urls": ["https://a.vn/"]},
            {"id": "x", "name": "X", "province": "Hà Tây Cũ", "start_urls": ["https://b.vn/"]},
        ]
    }
    with pytest.raises(ConfigError) as error:
        parse_sources(data, "s.toml")
    message = str(error.value)
    assert "source 'x'" in message and "key 'province'" in message and "'Hà Tây Cũ'" in message
    assert "closest: " in message and "Hà " in message.split("closest: ")[1]

"""Link classification: article, pagination, listing or trap, from URL and anchor text only."""

from __future__ import annotations

import re

import pytest

from dvcrawl.linkclass import LinkKind, classify_link, is_trap, listing_key
from dvcrawl.profiles import BY_NAME

TITLE = "Ban Dân vận Tỉnh ủy tổng kết công tác dân vận năm 2022"


@pytest.mark.parametrize(
    ("url", "text", "kind"),
    [
        ("https://x.dcs.vn/tin-tuc/chi-tiet.aspx?id=5521", "Xem", LinkKind.ARTICLE),
        ("https://danvan.vn/tin-tuc/cong-tac-dan-van-nam-2023-12345.html", "", LinkKind.ARTICLE),
        (
            "https://hanam.gov.vn/Pages/hoi-nghi-truc-tuyen-quan-triet-quyet-dinh-23.aspx",
            "",
            LinkKind.ARTICLE,
        ),
        ("https://x.vn/bai/abc", TITLE, LinkKind.ARTICLE),
        ("https://x.vn/dan-van", "Dân vận", LinkKind.LISTING),
        ("https://x.vn/Pages/tin-tuc.aspx", "Tin tức", LinkKind.LISTING),
        ("https://x.vn/dan-van?page=2", "2", LinkKind.PAGINATION),
        ("https://x.vn/vi/news/dan-van/page-3", "", LinkKind.PAGINATION),
        ("https://x.vn/tim-kiem?q=dan+van", "Tìm kiếm", LinkKind.SKIP),
        ("https://x.vn/admin/login", "Quản trị", LinkKind.SKIP),
        ("https://x.vn/lich?thang=11&nam=2026", "Tháng trước", LinkKind.SKIP),
        ("https://x.vn/2024/05", "Tháng 5", LinkKind.SKIP),
    ],
)
def test_classify(url, text, kind):
    assert classify_link(url, text) is kind


def test_source_patterns_win():
    article = re.compile(r"/news/\w+$")
    deny = re.compile(r"/news/old")
    assert classify_link("https://x.vn/news/abc", "A", article_pattern=article) is LinkKind.ARTICLE
    # With an article pattern, only matching URLs are articles, even with a headline as text.
    assert classify_link("https://x.vn/bai/abc", TITLE, article_pattern=article) is LinkKind.LISTING
    assert classify_link("https://x.vn/news/old", "A", deny_pattern=deny) is LinkKind.SKIP


@pytest.mark.parametrize(
    "url",
    [
        "https://x.vn/list?sort=new&sort=new",
        "https://x.vn/a/b/a/b/a/b",
        "https://x.vn/?" + "&".join(f"k{i}=1" for i in range(8)),
        "https://x.vn/" + "a" * 500,
    ],
)
def test_traps(url):
    assert is_trap(url)
    assert classify_link(url, "x") is LinkKind.SKIP


def test_ordinary_urls_are_not_traps():
    assert not is_trap("https://x.vn/dan-van?page=2")
    assert not is_trap("https://hatinh.dcs.vn/Trang-chu/post/1234/tong-ket-cong-tac")


# (url, anchor text, family whose rule it is, kind under that family)
FAMILY_RULES = [
    ("https://x.vn/Trang-chu/post/1234/tong-ket", "", "dcs", LinkKind.ARTICLE),
    ("https://x.vn/tin-tuc/page/3", "Tin tức", "wordpress", LinkKind.PAGINATION),
    ("https://x.vn/?p=4521", "Xem", "wordpress", LinkKind.ARTICLE),
    ("https://x.vn/2026/05/12/hoi-nghi", "Xem", "wordpress", LinkKind.ARTICLE),
    ("https://x.vn/Pages/tin-tuc.aspx?Paged=TRUE&PageFirstRow=11", "Xem", "sharepoint",
     LinkKind.PAGINATION),
]  # fmt: skip


@pytest.mark.parametrize(("url", "text", "family", "kind"), FAMILY_RULES)
def test_family_rule_fires_on_its_family_only(url, text, family, kind):
    assert classify_link(url, text, profile=BY_NAME[family]) is kind
    for other in set(BY_NAME) - {family}:
        assert classify_link(url, text, profile=BY_NAME[other]) is LinkKind.LISTING, other
    assert classify_link(url, text) is LinkKind.LISTING


def test_family_rules_add_to_the_generic_ones():
    url = "https://x.vn/tin-tuc/chi-tiet.aspx?id=5521"
    assert all(classify_link(url, "Xem", profile=p) is LinkKind.ARTICLE for p in BY_NAME.values())


def test_article_ids_by_family():
    dcs, generic = BY_NAME["dcs"].urls, BY_NAME["news"].urls
    assert dcs.article_id("https://x.vn/Home/Kinh-te/post/17404/mot-hai") == "17404"
    assert generic.article_id("https://x.vn/Home/Kinh-te/17404/mot-hai-ba") == "17404"
    assert generic.article_id("https://x.vn/tin-tuc/cong-tac-dan-van-12345.html") == "12345"
    assert generic.article_id("https://x.vn/tin/chi-tiet.aspx?id=77") == "77"
    assert generic.article_id("https://x.vn/2026/05/12/hoi-nghi-tong-ket") is None
    assert generic.article_id("https://x.vn/danh-muc/tin-tuc") is None


@pytest.mark.parametrize(
    "url",
    [
        "https://x.vn/danh-muc.aspx?cat=3",
        "https://x.vn/tin.aspx?CategoryID=12",
        "https://x.vn/index.php?id=8&option=com_content&view=category",
    ],
)
def test_query_string_listings_are_listings_of_their_own(url):
    assert classify_link(url, "Kinh tế") is LinkKind.LISTING
    assert listing_key(url) == url


@pytest.mark.parametrize(
    ("variant", "base"),
    [
        ("https://x.vn/danh-muc.aspx?cat=3&sort=new", "https://x.vn/danh-muc.aspx?cat=3"),
        ("https://x.vn/dan-van?view=grid", "https://x.vn/dan-van"),
        ("https://x.vn/dan-van?filter_type=1&orderby=date", "https://x.vn/dan-van"),
        (
            "https://x.vn/tin.aspx?CategoryID=12&sessionid=ab12",
            "https://x.vn/tin.aspx?CategoryID=12",
        ),
        ("https://x.vn/index.php?PHPSESSID=9f&cat=4", "https://x.vn/index.php?cat=4"),
    ],
)
def test_presentation_parameters_make_a_variant(variant, base):
    assert listing_key(variant) == base

"""Link classification: article, pagination, listing or trap, from URL and anchor text only."""

from __future__ import annotations

import re

import pytest

from dvcrawl.linkclass import LinkKind, classify_link, is_trap

TITLE = "Ban Dân vận Tỉnh ủy tổng kết công tác dân vận năm 2022"


@pytest.mark.parametrize(
    ("url", "text", "kind"),
    [
        ("https://hatinh.dcs.vn/Trang-chu/post/1234/tong-ket", "", LinkKind.ARTICLE),
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
        ("https://x.vn/category/dan-van/page/3", "3", LinkKind.PAGINATION),
        (
            "https://x.vn/Pages/tin-tuc.aspx?Paged=TRUE&PageFirstRow=11",
            "Trang sau",
            LinkKind.PAGINATION,
        ),
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

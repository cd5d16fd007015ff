"""Canonical URLs: every variant of one article URL gives one spelling; junk gives None."""

from __future__ import annotations

import logging
from urllib.parse import urljoin

import pytest

from dvcrawl.urls import (
    TRACKING_PARAMS,
    accept_canonical_link,
    canonicalize,
    join_link,
    normalize_component,
    same_site,
)

ARTICLE = "https://hatinh.dcs.vn/tin-t%E1%BB%A9c/dan-van-kheo?id=42"

VARIANTS = [
    "https://hatinh.dcs.vn/tin-tức/dan-van-kheo?id=42",  # raw Vietnamese slug
    "https://hatinh.dcs.vn/tin-t%e1%bb%a9c/dan-van-kheo?id=42",  # lowercase hex
    "https://hatinh.dcs.vn/tin-tu\u031b\u0301c/dan-van-kheo?id=42",  # decomposed Unicode slug
    "HTTPS://HaTinh.DCS.VN/tin-tức/dan-van-kheo?id=42",  # case of scheme and host
    "https://hatinh.dcs.vn:443/tin-tức/dan-van-kheo?id=42",  # default port
    "https://hatinh.dcs.vn./tin-tức/dan-van-kheo?id=42",  # trailing dot on the host
    "https://hatinh.dcs.vn/tin-tức/dan-van-kheo/?id=42",  # trailing slash
    "https://hatinh.dcs.vn/tin-tức/dan-van-kheo?id=42#comments",  # fragment
    "https://hatinh.dcs.vn/tin-tức/dan-van-kheo?utm_source=zalo&id=42&utm_medium=social",
    "https://hatinh.dcs.vn/tin-tức/dan-van-kheo?id=42&fbclid=IwAR3xyz",
    "https://hatinh.dcs.vn/tin-tức/dan-van-kheo?zarsrc=30&id=42&gidzl=abc-DEF",
    "https://hatinh.dcs.vn/tin-tức/dan-van-kheo?gclid=1&id=42&_hsenc=p2&mc_cid=x&igshid=y",
    "https://hatinh.dcs.vn/tin-tức/./x/../dan-van-kheo?id=42",  # dot segments
    "https://hatinh.dcs.vn/tin-t%E1%BB%A9c/dan%2Dvan%2Dkheo?id=42",  # escaped unreserved "-"
    "  https://hatinh.dcs.vn/tin-tức/dan-van-kheo?id=42  ",  # copy-paste spaces
]


@pytest.mark.parametrize("variant", VARIANTS)
def test_every_variant_gives_one_spelling(variant):
    assert canonicalize(variant) == ARTICLE


def test_parameters_sorted_stably_and_kept():
    assert canonicalize("http://x.vn/a?b=2&a=1&b=1&c") == "http://x.vn/a?a=1&b=2&b=1&c"
    assert canonicalize("http://x.vn/a?c&a=1") == canonicalize("http://x.vn/a?a=1&c")


def test_only_tracking_parameters_are_dropped():
    assert {"utm_campaign", "fbclid", "zarsrc", "gidzl"} - TRACKING_PARAMS == {"utm_campaign"}
    url = "http://x.vn/a?utm_campaign=t&UTM_Source=z&ref=home&page=2"
    assert canonicalize(url) == "http://x.vn/a?page=2&ref=home"
    assert canonicalize("http://x.vn/a?utm_source=z&fbclid=1") == "http://x.vn/a"


def test_non_default_port_and_empty_path():
    assert canonicalize("http://x.vn:8080") == "http://x.vn:8080/"
    assert canonicalize("https://x.vn:80/a") == "https://x.vn:80/a"
    assert canonicalize("http://x.vn:80") == "http://x.vn/"


def test_trailing_slash_rule():
    assert canonicalize("https://x.vn/a/") == canonicalize("https://x.vn/a") == "https://x.vn/a"
    assert canonicalize("https://x.vn/") == canonicalize("https://x.vn") == "https://x.vn/"
    assert canonicalize("https://x.vn/a//") == "https://x.vn/a"


def test_idna_host():
    ascii_host = "đắk-lắk.vn".encode("idna").decode("ascii")  # the stdlib codec as a cross-check
    assert ascii_host.startswith("xn--")
    assert canonicalize("https://Đắk-Lắk.vn/a") == f"https://{ascii_host}/a"
    assert canonicalize(f"https://{ascii_host.upper()}/a") == f"https://{ascii_host}/a"


def test_reserved_escapes_are_kept_uppercase():
    assert normalize_component("/a%2fb%3F%7e%41") == "/a%2Fb%3F~A"
    assert canonicalize("http://x.vn/a%2fb") == "http://x.vn/a%2Fb"
    assert canonicalize("http://x.vn/q?s=a%26b&t=%E1%BB%A9") == "http://x.vn/q?s=a%26b&t=%E1%BB%A9"
    assert canonicalize("http://x.vn/a b/100%") == "http://x.vn/a%20b/100%25"


@pytest.mark.parametrize(
    ("href", "base", "expected"),
    [
        ("chi-tiet.aspx?id=3", "https://x.vn/tin-tuc/", "https://x.vn/tin-tuc/chi-tiet.aspx?id=3"),
        ("chi-tiet.aspx?id=3", "https://x.vn/tin-tuc", "https://x.vn/chi-tiet.aspx?id=3"),
        ("../../../a", "https://x.vn/b/c", "https://x.vn/a"),  # above the root
        ("?id=4", "https://x.vn/tin/ct.aspx?id=3", "https://x.vn/tin/ct.aspx?id=4"),
        ("//cdn.x.vn/a", "https://x.vn/", "https://cdn.x.vn/a"),  # scheme-relative
        ("/a", "HTTPS://X.VN:443", "https://x.vn/a"),  # base without path, odd case
        ("/a", "https://x.vn/b#frag", "https://x.vn/a"),
        ("#top", "https://x.vn/b?utm_source=z", "https://x.vn/b"),
        ("b", "https://x.vn/?p=1", "https://x.vn/b"),
        ("/tin-tức/a", "https://x.vn", "https://x.vn/tin-t%E1%BB%A9c/a"),
    ],
)
def test_relative_links(href, base, expected):
    assert canonicalize(href, base=base) == expected


@pytest.mark.parametrize(
    ("url", "base"),
    [
        ("javascript:void(0)", None),
        ("JavaScript:alert(1)", "https://x.vn/"),
        ("mailto:bdv@hatinh.dcs.vn", None),
        ("tel:+84 239 3855 555", "https://x.vn/"),
        ("data:text/html;base64,AAAA", None),
        ("ftp://x.vn/file", None),
        ("http://[::1", None),  # unclosed IPv6 literal
        ("http://x.vn:port/", None),  # non-numeric port
        ("http://x.vn:99999/", None),  # port out of range
        ("https:///only-path", None),
        ("http://", None),
        ("", "https://x.vn/"),
        ("   ", None),
        ("/relative/without/base", None),
        ("/a", "not a url"),
        ("http://x.vn/a\nb", None),  # control characters
        ("http://a b.vn/", None),  # space in the host
    ],
)
def test_unusable_urls_give_none(url, base):
    assert canonicalize(url, base=base) is None


def test_non_string_gives_none():
    assert canonicalize(None) is None  # type: ignore[arg-type]


def test_same_site_ignores_www_but_not_sibling_portals():
    assert same_site("https://www.hatinh.dcs.vn/a", "http://hatinh.dcs.vn/b")
    assert not same_site("https://hatinh.dcs.vn/a", "https://hanam.dcs.vn/a")
    assert not same_site("https://hatinh.dcs.vn/a", "javascript:void(0)")


def test_same_site_canonical_is_honoured():
    page = "https://www.hatinh.dcs.vn/tin/123?utm_source=zalo"
    assert (
        accept_canonical_link(page, "/tin/123-dan-van")
        == "https://www.hatinh.dcs.vn/tin/123-dan-van"
    )
    assert (
        accept_canonical_link(page, "https://hatinh.dcs.vn/tin/123")
        == "https://hatinh.dcs.vn/tin/123"
    )


def test_cross_site_canonical_is_logged_and_ignored(caplog):
    with caplog.at_level(logging.INFO, logger="dvcrawl.urls"):
        result = accept_canonical_link("https://hatinh.dcs.vn/a", "https://dukcqtw.dcs.vn/a")
    assert result is None
    assert "cross-site" in caplog.text


@pytest.mark.parametrize("href", [None, "", "javascript:;", "https://hatinh.dcs.vn/"])
def test_unusable_or_home_page_canonical_is_ignored(href):
    assert accept_canonical_link("https://hatinh.dcs.vn/tin/123", href) is None


@pytest.mark.parametrize(
    "variant", VARIANTS + ["http://x.vn/a%2fb?q=%E1%BB%A9&b=1&a", "http://x.vn:81"]
)
def test_canonical_form_is_a_fixed_point(variant):
    once = canonicalize(variant)
    assert once is not None and canonicalize(once) == once


@pytest.mark.parametrize(
    "base", ["http://h.vn/a/b/c.aspx?x=1", "https://h.vn:8080/a/", "http://h.vn", "http://h.vn/a/"]
)
def test_join_link_resolves_every_link_as_urljoin_does(base):
    hrefs = [
        "/x/../y", "/a/./b/", "//other.vn/p", "http://h.vn/a/../b", "https://x.vn", "/p?q=1#f",
        "/p;par?", "/", "HTTP://h.vn/Z", "http:rel", "x/y", "../z", "?q", "#f", "//h.vn",
    ]  # fmt: skip
    for _ in range(2):  # the second round is answered from the cache
        assert [join_link(base, h) for h in hrefs] == [urljoin(base, h) for h in hrefs]

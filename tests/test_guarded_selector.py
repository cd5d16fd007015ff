"""GuardedSelector must select exactly what lxml's CSSSelector selects, only faster."""

from __future__ import annotations

import lxml.html
import pytest
from lxml.cssselect import CSSSelector

from dvcrawl.extract.cleanup import selector
from dvcrawl.profiles.guard import GuardedSelector

PAGE = """<html lang="vi"><head><title>T</title>
<meta property="og:type" content="article"></head><body>
<div id="main" class="wrap Post-Detail"><h1 class="title">Tiêu đề</h1>
<div class="detail-content  body"><p class="sapo">Sapo</p><figure><figcaption>Ảnh</figcaption>
</figure><span class="PhotoCMS_Caption">Chú thích</span><div class="tags">x</div></div></div>
<div class="related-news"><h3 class="title">Tin khác</h3></div>
<div class="tin&#160;moi">nbsp</div></body></html>"""

SELECTORS = [
    ".title",
    ".detail-content",
    ".detail-content .tags",
    ".post-detail",  # class names are case-sensitive
    ".Post-Detail h1",
    "#main",
    "#missing .title",
    "[id^='ma']",
    "[class*='caption'], [class*='Caption'], figcaption",
    "h1, h2, h3, [class*='title'], [class*='Head']",
    "div:not(.tags)",
    ".related-news > h3.title",
    "meta[property='og:type'][content='article']",
    ".tin",
    "[class*='sapo'], [class*='lead']",
    # No class holds these: the tag names alone are walked, or nothing at all.
    "figcaption, h3, [class*='nowhere']",
    "[class*='absent'], [class*='Gone']",
    # Some x held by a class value, some only in another case ("Post-Detail"): those run alone.
    "[class*='post-detail'], [class*='DETAIL'], [class*='wrap'], h3",
    "[class*='Post-'], [class*='sapo'], [class*='Tags']",
]


@pytest.mark.parametrize("css", SELECTORS)
def test_same_elements_as_lxml(css: str) -> None:
    tree = lxml.html.document_fromstring(PAGE)
    expected = CSSSelector(css)(tree)
    assert GuardedSelector(css)(tree) == expected
    # Once more after pruning: the page's first look must not hide what is left.
    for el in CSSSelector(".tags")(tree):
        el.drop_tree()
    assert selector(css)(tree) == CSSSelector(css)(tree)


def test_bad_selector_is_a_value_error() -> None:
    with pytest.raises(ValueError, match="bad CSS selector"):
        selector("div[")


HEAD_PAGE = """<html><head><title>T</title><meta name="generator" content="WordPress 6.4">
<link rel="stylesheet" href="/wp-content/themes/x.css"><link rel="canonical" href="/a">
<script src="/js/app.js"></script><meta property="og:type" content=""></head>
<body><h1>H</h1><script type="application/ld+json">{}</script></body></html>"""

HEAD_SELECTORS = [
    "link[href*='/wp-content/']",
    "script[src*='/wp-content/']",
    "link[rel='https://api.w.org/']",
    "meta[name='generator'][content^='WordPress']",
    "meta[name='generator'][content^='Joomla']",
    "meta[property='og:type'][content='article']",
    "meta[property='og:type'][content]",
    "meta[content*='']",  # an empty value never matches *=
    "script[type='application/ld+json'], script[src]",
    "h1",
    "title[lang]",
]


@pytest.mark.parametrize("css", HEAD_SELECTORS + SELECTORS)
def test_found_in_page_as_lxml(css: str) -> None:
    """Family markers (answered from the page's head tags where they name one) match where
    lxml's selector finds something, and only there."""
    for page in (HEAD_PAGE, PAGE):
        tree = lxml.html.document_fromstring(page)
        assert GuardedSelector(css).found_in_page(tree) == bool(CSSSelector(css)(tree))

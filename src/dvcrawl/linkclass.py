"""Tell article links from listings, pagination and traps, with no per-site selectors.

Pure functions over (URL, anchor text). The signals come from the portals in DOMAIN.md: article
URLs carry an id or a long slug (``/Trang-chu/post/123/...``, ``chi-tiet.aspx?id=N``,
``/tin-tuc/<slug>-<id>.html``, ``/Pages/<long-slug>.aspx``) and are linked by their title (many
words); menus link categories with one to four words; pagination is a number or "Trang sau".
"""

from __future__ import annotations

import enum
import re
from urllib.parse import parse_qsl, urlsplit


class LinkKind(enum.Enum):
    ARTICLE = "article"
    PAGINATION = "pagination"
    LISTING = "listing"
    SKIP = "skip"


# Anchor texts of pagination controls: "2", "Trang sau", "Tiếp", "»", "Next", "Trang 3", "Cuối".
_PAGINATION_TEXT = re.compile(
    r"^\s*(?:\d{1,4}|trang\s*(?:sau|tiếp|kế|cuối|\d{1,4})|sau|tiếp(?:\s*theo)?|next|cuối"
    r"|[»›>]{1,3}|xem\s*(?:thêm|tiếp))\s*$",
    re.IGNORECASE,
)
# Pagination in URLs: ?page=2, ?p=2, ?Page=2, ?trang=2, SharePoint ?PageFirstRow=11, /page/2/.
_PAGINATION_URL = re.compile(
    r"[?&](?:page|pg|trang|paged|pageindex|pagefirstrow|start|offset|pagenumber)=\d+"
    r"|/(?:page|trang)[/-]\d+/?$",
    re.IGNORECASE,
)
# Article URL forms: /post/<id>/, chi-tiet.aspx?id=N, ...-12345.html, /news/123456, ?ItemID=.
_ARTICLE_URL = re.compile(
    r"/post/\d+|chi-?tiet[^/]*\?(?:.*&)?id=\d+|-\d{3,}\.(?:html?|aspx)$|/\d{5,}(?:/|\.html?)?$"
    r"|[?&](?:itemid|newsid|articleid)=\d+",
    re.IGNORECASE,
)
# Pages that are never news: search, login, print views, feeds, sitemaps, contact forms.
_NEVER = re.compile(
    r"/(?:tim-?kiem|search|dang-?nhap|login|signin|dang-?ky|register|print|in-?bai|rss|feed"
    r"|sitemap|lien-?he|contact|_layouts|wp-admin|wp-login|admin)(?:[/.?]|$)",
    re.IGNORECASE,
)
# Date archives (/2026/11/) and calendar parameters: endless by construction.
_DATE_ARCHIVE = re.compile(r"/(?:19|20)\d{2}/\d{1,2}(?:/\d{1,2})?/?$")
_CALENDAR_KEYS = frozenset({"thang", "nam", "ngay", "month", "year", "day", "date", "cal", "lich"})
_SLUG_SPLIT = re.compile(r"[-_+]+")
_WORDS = re.compile(r"\w+")

MIN_TITLE_WORDS = 6  # a Vietnamese headline is rarely shorter; menu items rarely longer
MIN_SLUG_WORDS = 5


def is_trap(url: str) -> bool:
    """URLs that generate endless variants: repeated or calendar parameters, looping paths."""
    parts = urlsplit(url)
    if len(url) > 400:
        return True
    keys = [k.lower() for k, _ in parse_qsl(parts.query, keep_blank_values=True)]
    if len(keys) != len(set(keys)) or len(keys) > 6:
        return True
    if _CALENDAR_KEYS & set(keys) or _DATE_ARCHIVE.search(parts.path):
        return True
    segments = [s for s in parts.path.split("/") if s]
    return len(segments) > 10 or any(segments.count(s) > 2 for s in segments)


def slug_words(url: str) -> int:
    """Words in the last path segment, without its extension: ``/a/mot-hai-ba.html`` → 3."""
    last = urlsplit(url).path.rstrip("/").rsplit("/", 1)[-1]
    last = last.rsplit(".", 1)[0]
    return len([w for w in _SLUG_SPLIT.split(last) if w and not w.isdigit()])


def looks_like_article(url: str, text: str = "") -> bool:
    """An article link: an article URL form, a long slug, or a headline-length anchor text."""
    if _ARTICLE_URL.search(url) or slug_words(url) >= MIN_SLUG_WORDS:
        return True
    return len(_WORDS.findall(text)) >= MIN_TITLE_WORDS and not _PAGINATION_URL.search(url)


def classify_link(
    url: str,
    text: str = "",
    *,
    article_pattern: re.Pattern[str] | None = None,
    listing_pattern: re.Pattern[str] | None = None,
    deny_pattern: re.Pattern[str] | None = None,
) -> LinkKind:
    """What following ``url`` (linked as ``text``) would give; per-source patterns win."""
    if deny_pattern is not None and deny_pattern.search(url):
        return LinkKind.SKIP
    if _NEVER.search(urlsplit(url).path) or is_trap(url):
        return LinkKind.SKIP
    if article_pattern is not None and article_pattern.search(url):
        return LinkKind.ARTICLE
    if _PAGINATION_URL.search(url) or (
        _PAGINATION_TEXT.match(text) and not looks_like_article(url)
    ):
        return LinkKind.PAGINATION
    if listing_pattern is not None and listing_pattern.search(url):
        return LinkKind.LISTING
    if article_pattern is None and looks_like_article(url, text):
        return LinkKind.ARTICLE
    return LinkKind.LISTING

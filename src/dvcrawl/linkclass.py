"""Tell article links from listings, pagination and traps, with no per-site selectors.

Pure functions over (URL, anchor text). The signals come from the portals in docs/domain.md: article
URLs carry an id or a long slug (``/Trang-chu/post/123/...``, ``chi-tiet.aspx?id=N``,
``/tin-tuc/<slug>-<id>.html``, ``/Pages/<long-slug>.aspx``) and are linked by their title (many
words); menus link categories with one to four words; pagination is a number or "Trang sau".
The URL forms of one CMS family (``/post/<id>``, ``PageFirstRow``, ``/page/N``) belong to its
profile (``profile.urls``); a portal whose family is unknown gets the generic forms only.

Listings are told apart by their whole URL, query included (``danh-muc.aspx?cat=1`` and
``?cat=2`` are two sections); only parameters that re-sort, re-filter or re-draw a listing
(:data:`PRESENTATION_PARAMS`) make a variant of one already seen (:func:`listing_key`).
"""

from __future__ import annotations

import enum
import functools
import re
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from dvcrawl.profiles import Profile
from dvcrawl.profiles.urlrules import GENERIC, UrlRules
from dvcrawl.urls import canonicalize


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
# Parameters that show one listing another way (sorted, filtered, drawn as a grid, N per page)
# or carry a session: following them gives the same articles again, or an endless loop of them.
PRESENTATION_PARAMS = frozenset(
    {
        "sort", "sortby", "sort_by", "sortorder", "order", "orderby", "order_by", "dir",
        "direction", "layout", "display", "style", "mode", "limit", "pagesize", "page_size",
        "per_page", "perpage", "show", "filter", "tmpl", "print", "sid", "sessionid",
        "session_id", "phpsessid", "jsessionid", "aspsessionid",
    }
)  # fmt: skip
# ``view`` selects content in Joomla (view=category, view=article) but only re-draws a listing
# with these values (the sample portals' and many themes' grid/list toggles).
_PRESENTATION_VIEWS = frozenset({"grid", "list", "table", "compact", "card", "cards", "print"})
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


def _is_presentation(name: str, value: str) -> bool:
    name = name.lower()
    if name == "view":
        return value.lower() in _PRESENTATION_VIEWS
    return name in PRESENTATION_PARAMS or name.startswith("filter")


# Menus and sidebars link the same URLs from every page of a portal: the checks of a URL alone
# are answered once. 10,000 URLs hold every menu of a crawl; at most ~6 MB each in a long run.
@functools.lru_cache(maxsize=10_000)
def _never_followed(url: str) -> bool:
    """Pages no crawl wants (search, login, contact...) and trap URLs."""
    return bool(_NEVER.search(urlsplit(url).path)) or is_trap(url)


@functools.lru_cache(maxsize=10_000)
def listing_key(url: str) -> str:
    """What names a listing: its URL without presentation parameters (:data:`PRESENTATION_PARAMS`).

    ``danh-muc.aspx?cat=2&sort=new`` → ``danh-muc.aspx?cat=2``: a listing whose key was already
    asked for is the same section shown another way.
    """
    parts = urlsplit(url)
    pairs = parse_qsl(parts.query, keep_blank_values=True)
    kept = [(k, v) for k, v in pairs if not _is_presentation(k, v)]
    if len(kept) == len(pairs):
        return url
    stripped = urlunsplit(parts._replace(query=urlencode(kept)))
    return canonicalize(stripped) or stripped


def looks_like_article(url: str, text: str = "", rules: UrlRules = GENERIC) -> bool:
    """An article link: an article URL form, a long slug, or a headline-length anchor text."""
    if rules.is_article_url(url) or slug_words(url) >= MIN_SLUG_WORDS:
        return True
    return len(_WORDS.findall(text)) >= MIN_TITLE_WORDS and not rules.is_pagination_url(url)


def classify_link(
    url: str,
    text: str = "",
    *,
    article_pattern: re.Pattern[str] | None = None,
    listing_pattern: re.Pattern[str] | None = None,
    deny_pattern: re.Pattern[str] | None = None,
    profile: Profile | None = None,
) -> LinkKind:
    """What following ``url`` (linked as ``text``) would give.

    Per-source patterns win, then the URL forms of the source's CMS family (``profile``), then
    the generic forms; no family's forms apply when ``profile`` is another family or None.
    """
    rules = profile.urls if profile is not None else GENERIC
    if deny_pattern is not None and deny_pattern.search(url):
        return LinkKind.SKIP
    if _never_followed(url):
        return LinkKind.SKIP
    if article_pattern is not None and article_pattern.search(url):
        return LinkKind.ARTICLE
    if rules.is_pagination_url(url) or (
        _PAGINATION_TEXT.match(text) and not looks_like_article(url, rules=rules)
    ):
        return LinkKind.PAGINATION
    if listing_pattern is not None and listing_pattern.search(url):
        return LinkKind.LISTING
    if article_pattern is None and looks_like_article(url, text, rules):
        return LinkKind.ARTICLE
    return LinkKind.LISTING

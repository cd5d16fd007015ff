"""Who wrote the story: the byline printed at its end, else trafilatura's author, if either
reads like a name or a credit. Section headings ("Latest News", "More Posts", "Tin liên quan")
that sit where a byline would are never an author.
"""

from __future__ import annotations

import re

from dvcrawl.extract.byline import LABELLED
from dvcrawl.extract.title import names_site

# Words of headings and widgets, never of a person's name (casefolded).
_HEADING_WORDS = frozenset(
    [
        "news",
        "latest",
        "more",
        "posts",
        "post",
        "related",
        "articles",
        "article",
        "share",
        "comments",
        "comment",
        "subscribe",
        "newsletter",
        "follow",
        "read",
        "menu",
        "home",
        "search",
        "login",
        "tags",
        "tag",
        "categories",
        "category",
        "archive",
        "archives",
        "advertisement",
        "sponsored",
        "popular",
        "trending",
        "top",
        "stories",
        "story",
        "video",
        "videos",
        "photos",
        "gallery",
        "previous",
        "next",
        "recent",
        "editor's",
        "picks",
        "tin",
        "tức",
        "bài",
        "viết",
        "liên",
        "quan",
        "mới",
        "nhất",
        "xem",
        "nhiều",
        "chuyên",
        "mục",
        "trang",
        "chủ",
        "bình",
        "luận",
    ]
)
# Bylines are short; a longer "author" is a paragraph picked up by mistake.
_MAX_AUTHOR = 120
_URL = re.compile(r"https?://|www\.|@\w+\.\w")
# A publisher's domain spelled out as its name: "VCCorp vn", "NLD COM VN", "Example.com".
_DOMAIN_WORDS = re.compile(r"(?:\b|\.)(?:vn|com|net|org)$", re.I)


def reads_like_name(text: str | None) -> bool:
    """A person's name, names, or a credit line; not a heading, link or sentence."""
    text = " ".join((text or "").split())
    if not text or len(text) > _MAX_AUTHOR or text.endswith(":") or _URL.search(text):
        return False
    if m := LABELLED.match(text):
        text = m.group("n")
    words = re.findall(r"[^\W\d_][\w'’.-]*", text.casefold())
    if not words:
        return False
    headings = sum(w.strip(".") in _HEADING_WORDS for w in words)
    return headings * 2 < len(words)


def _people(found: str | None, site: str, host: str) -> str | None:
    """trafilatura's "A; B" author list without the parts that name a site or publisher
    ("Dân Trí; Tri Túc", "Dương Ngọc; VCCorp vn", "NLD COM VN")."""
    parts = [" ".join(p.split()) for p in (found or "").split(";")]
    kept = [p for p in parts if p and not _DOMAIN_WORDS.search(p) and not names_site(p, site, host)]
    return "; ".join(kept) or None


def pick_author(
    byline: str | None, found: str | None, site: str = "", host: str = ""
) -> tuple[str | None, str]:
    """(author, how): the story's own byline first, then trafilatura's (less the parts that
    name the site: ``site`` is og:site_name, ``host`` the host's words), else none."""
    if reads_like_name(byline):
        return " ".join(byline.split()), "byline after the story"
    people = _people(found, site, host)
    if reads_like_name(people):
        return people, "trafilatura"
    return None, "none"

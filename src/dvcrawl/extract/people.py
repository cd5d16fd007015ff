"""Who wrote the story: the byline printed at its end, else trafilatura's author, if either
reads like a name or a credit. Section headings ("Latest News", "More Posts", "Tin liên quan")
that sit where a byline would are never an author.
"""

from __future__ import annotations

import re

from dvcrawl.extract.byline import LABELLED

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


def pick_author(byline: str | None, found: str | None) -> tuple[str | None, str]:
    """(author, how): the story's own byline first, then trafilatura's, else none."""
    if reads_like_name(byline):
        return " ".join(byline.split()), "byline after the story"
    if reads_like_name(found):
        return " ".join(found.split()), "trafilatura"
    return None, "none"

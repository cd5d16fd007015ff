"""Who wrote the story, if it reads like a name or a credit. On Vietnamese pages the byline
printed at the story's end comes first (portals print it there and their metadata often names the
publisher); elsewhere trafilatura's author comes first and the end-of-story byline is the fallback
(on other sites the last short line is as often a caption or a call to action). Section headings
("Latest News", "More Posts", "Tin liên quan") that sit where a byline would are never an author.
"""

from __future__ import annotations

import re
from collections.abc import Callable

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
# Words that introduce a byline (casefolded match): English, German, French, Spanish,
# Italian, Portuguese; and a CJK label before a full-width colon ("责任编辑：").
_LABEL = re.compile(
    r"^(?:(?:posted|written|published|view all posts|all posts|more posts) by|by|von|vom|par"
    r"|por|autor(?:in)?|auteur|author|artikel von|alle beiträge von|zeige alle beiträge von"
    r"|zum profil von)(?:\s*:\s*|\s+)(?=\S)|^[^\s:：]{1,8}：\s*",
    re.I,
)
# Places of a name's first word looked at in the markup.
_MAX_PLACES = 50
# Quotes left around a name by the markup ("'Luana Patriolino") are no part of it.
_QUOTES = "'\"‘’“”« »"
# A word of a name printed with a period after it: an initial or a suffix ("T", "Jr").
_INITIAL = re.compile(r"[^\W\d_]|Jr|Sr")
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


def _people(found: str | None, site: str, host: str, local: bool) -> str | None:
    """trafilatura's "A; B" author list without the parts that name a site or publisher
    ("Dân Trí; Tri Túc", "Dương Ngọc; VCCorp vn", "NLD COM VN", "Rob Picheta; CNN").

    Outside Vietnamese pages a lone site name stays: there the organisation is often the
    author ("Wikimedia Foundation"), and a personal blog's host is its author's name."""
    parts = [strip_label(" ".join(p.split()).strip(_QUOTES)) for p in (found or "").split(";")]
    parts = [p for p in parts if p]
    kept = [p for p in parts if not names_publisher(p, site, host)]
    if not kept and not local:
        kept = [p for p in parts if not _DOMAIN_WORDS.search(p)]
    return "; ".join(kept) or None


def names_publisher(name: str, site: str, host: str) -> bool:
    """Does ``name`` name the site or its publisher rather than a person?"""
    return bool(_DOMAIN_WORDS.search(name)) or names_site(name, site, host)


def strip_label(name: str) -> str:
    """ "By X", "Von X", "Par X", "View all posts by X", "责任编辑：X" -> "X": the words that
    introduce a byline are no part of the name."""
    return _LABEL.sub("", name, count=1).strip() or name


def as_printed(names: str, source: str) -> str:
    """``names`` ("A; B", as trafilatura normalised them) spelled as the page prints them.

    trafilatura title-cases a name printed in lower case ("karstenruppert") and drops the
    periods of initials and suffixes ("Joe S.", "T. V. Raman", "Perry Bacon Jr."); readers see
    the page's spelling. ``source`` is the page's markup."""
    parts = names.split("; ")
    if all(n in source and not any(map(_INITIAL.fullmatch, n.split())) for n in parts):
        return names  # the common case: printed just so
    lowered = source.lower()
    if len(lowered) != len(source):  # lower-casing moved the offsets: nothing to map back
        return names
    return "; ".join(_printed_form(name, source, lowered) for name in parts)


def _printed_form(name: str, source: str, lowered: str) -> str:
    words = [re.escape(w) + (r"\.?" if _INITIAL.fullmatch(w) else "") for w in name.split()]
    pattern = re.compile(r"(?<!\w)" + r"\s+".join(words) + r"(?!\w)", re.I)
    first, reach = name.split()[0].lower(), len(name) + 2 * len(words)
    found, pos = [], lowered.find(first)
    while pos >= 0 and len(found) < _MAX_PLACES:  # only where the first word is printed
        if m := pattern.match(source, pos, pos + reach + 1):
            found.append(" ".join(m.group().split()))
        pos = lowered.find(first, pos + 1)
    same_case = [x for x in found if x.replace(".", "") == name]
    if same_case:  # printed as trafilatura gives it: only the periods may be missing
        return max(same_case, key=lambda x: x.count("."))
    return found[0] if found else name


def pick_author(
    byline: str | None,
    found: str | None | Callable[[], str | None],
    site: str = "",
    host: str = "",
    *,
    local: bool = True,
) -> tuple[str | None, str]:
    """(author, how): on ``local`` (Vietnamese) pages the story's own byline first, then
    trafilatura's (less the parts that name the site: ``site`` is og:site_name, ``host`` the
    host's words); elsewhere trafilatura's first, then the byline; else none. ``found`` may be
    a function making trafilatura's author: it is called only when that author is wanted."""
    own = strip_label(" ".join((byline or "").split())) if byline else None

    def people() -> str | None:
        return _people(found() if callable(found) else found, site, host, local)

    order = [(lambda: own, "byline after the story"), (people, "trafilatura")]
    for name_of, how in order if local else order[::-1]:
        if reads_like_name(name := name_of()):
            return name, how
    return None, "none"

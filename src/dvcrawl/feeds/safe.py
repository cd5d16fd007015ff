"""Make scraped strings safe for feeds: XML 1.0 legal, bounded, and HTML only from an allow-list.

One illegal control character or an unescaped scraped tag breaks a feed for every subscriber, so
every string that reaches a feed passes through here first.
"""

from __future__ import annotations

import html
import re
from urllib.parse import urlsplit

import nh3

# Characters XML 1.0 forbids (C0 controls other than tab/newline/CR, surrogates, U+FFFE/U+FFFF)
# plus the C1 controls and DEL it discourages; lxml refuses the former, readers choke on both.
# Also the bidi embedding/override/isolate controls (U+202A-U+202E, U+2066-U+2069): legal XML,
# but a scraped title can use them to show text in another order than it is (issue 13, #9).
_XML_ILLEGAL = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f\ud800-\udfff\ufffe\uffff"
    "\u202a-\u202e\u2066-\u2069]"
)
# Any run of whitespace (titles and summaries are shown on one line).
_WS = re.compile(r"\s+")
# Paragraph breaks in the stored text: the contract separates paragraphs with newlines.
_PARAGRAPHS = re.compile(r"\s*\n\s*")

# Feed readers show one line of title; 200 characters is longer than any real headline in the
# seed pages (the longest is ~160) yet keeps a 10,000-character scraped title readable.
TITLE_MAX = 200
# The lead shown as summary: one paragraph, cut like a teaser.
SUMMARY_MAX = 400
# The HTML we emit ourselves: paragraphs and links ("Cũng đăng trên" lines). Nothing else passes.
ALLOWED_TAGS = {"p", "a", "br", "strong", "em"}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}}
URL_SCHEMES = {"http", "https"}


def is_web_url(value: str | None) -> bool:
    """True for an absolute http(s) URL with a host: the only links a feed entry may carry."""
    try:
        parts = urlsplit((value or "").strip())
    except ValueError:
        return False
    return parts.scheme.lower() in URL_SCHEMES and bool(parts.netloc)


def xml_text(value: str | None) -> str:
    """``value`` without characters XML 1.0 forbids (None → "")."""
    return _XML_ILLEGAL.sub("", value or "")


def one_line(value: str | None) -> str:
    """XML-safe text with whitespace runs collapsed to one space."""
    return _WS.sub(" ", xml_text(value)).strip()


def shorten(value: str, limit: int) -> str:
    """Cut ``value`` to ``limit`` characters at a word boundary, with an ellipsis when cut."""
    if len(value) <= limit:
        return value
    cut = value[: limit - 1]
    space = cut.rfind(" ")
    if space > limit // 2:  # a word boundary not too far back; else cut mid-word
        cut = cut[:space]
    return cut.rstrip(" ,;:.-–—") + "…"


def title_text(title: str | None, fallback: str) -> str:
    """A one-line title of at most TITLE_MAX characters (``fallback`` when empty)."""
    return shorten(one_line(title) or one_line(fallback) or "(không có tiêu đề)", TITLE_MAX)


def paragraphs(text: str | None) -> list[str]:
    """The non-empty paragraphs of the stored text, each on one line."""
    return [p for p in (one_line(part) for part in _PARAGRAPHS.split(xml_text(text))) if p]


def lead(text: str | None) -> str:
    """The first paragraph, trimmed to SUMMARY_MAX characters: the summary readers preview."""
    paras = paragraphs(text)
    return shorten(paras[0], SUMMARY_MAX) if paras else ""


def sanitize(fragment: str) -> str:
    """HTML restricted to the allow-list; anything else is dropped or escaped by nh3."""
    return nh3.clean(
        xml_text(fragment),
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener",
    )


def link_html(url: str, label: str) -> str:
    """An escaped ``<a>`` (sanitised later with the rest of the body)."""
    return f'<a href="{html.escape(xml_text(url), quote=True)}">{html.escape(one_line(label))}</a>'


def body_html(text: str | None, also_published: list[tuple[str, str]]) -> str:
    """The full text as escaped ``<p>`` paragraphs plus a "Cũng đăng trên" line, sanitised.

    ``also_published`` holds (url, label) of syndicated copies of the same story.
    """
    parts = [f"<p>{html.escape(p, quote=False)}</p>" for p in paragraphs(text)]
    if also_published:
        links = ", ".join(link_html(url, label) for url, label in also_published)
        parts.append(f"<p><em>Cũng đăng trên:</em> {links}</p>")
    return sanitize("\n".join(parts))

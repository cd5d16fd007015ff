"""The extraction entry point (CONTRACT.md): ``extract_article(html, url)``.

Reads a page the way a person does: find the article's own title and the date printed next to
it (or trusted metadata), take the body out of the portal's furniture, drop junk lines, keep
the byline and "Theo:" credit apart, and say when the page is no article at all.
"""

from __future__ import annotations

import re
from copy import deepcopy
from dataclasses import asdict, dataclass

import lxml.html
from lxml.cssselect import CSSSelector
from lxml.etree import ParserError
from lxml.html import HtmlElement

from dvcrawl.extract.byline import is_tail_line, split_tail
from dvcrawl.extract.cleanup import captions, prune, selector, unwrap_layout_tables
from dvcrawl.extract.datepick import find_date
from dvcrawl.extract.generic import (
    block_lines,
    container_of,
    lead_lines,
    styled_byline,
    trafilatura_lines,
    trailer_lines,
)
from dvcrawl.extract.lines import clean_lines
from dvcrawl.extract.reject import reject_reason
from dvcrawl.extract.text import decode_html, looks_binary
from dvcrawl.extract.title import find_title
from dvcrawl.profiles import Profile, by_name, detect
from dvcrawl.textnorm import nfc

# The page's own address: rel=canonical, else OpenGraph's og:url (many CMS themes set only that).
_CANONICAL = (CSSSelector("link[rel='canonical']"), CSSSelector("meta[property='og:url']"))
# '<?xml version="1.0" encoding="utf-8"?>' at the top of XHTML pages (and a BOM before it).
_XML_DECLARATION = re.compile(r"^\ufeff?\s*<\?xml[^>]*\?>")
# A container with less text than this is a wrong match (an empty rich-text field).
_MIN_CONTAINER = 200


@dataclass
class ExtractedArticle:
    """What a page says about its article; mapping access works too (``art["title"]``)."""

    url: str
    title: str = ""
    text: str = ""
    published: str | None = None  # "2022-12-27T22:37:00+07:00" or "2022-01-06"
    author: str | None = None
    credit: str | None = None  # "Theo: <source>", kept apart from the body
    canonical_url: str | None = None  # the page's rel=canonical, as given
    date_method: str | None = None  # where the date came from ("meta:...", "header-block", ...)
    date_doubtful: bool = False  # future or implausibly old: staff should look
    is_article: bool = True
    reject_reason: str | None = None  # "empty", "listing", "error-page", "login-wall", "binary"
    family: str | None = None  # the CMS family recognised ("sharepoint", "dcs", ...) or None

    def __getitem__(self, key: str):
        return getattr(self, key)

    def keys(self):
        return asdict(self).keys()

    def as_dict(self) -> dict:
        return asdict(self)


def _rejected(url: str, reason: str) -> ExtractedArticle:
    return ExtractedArticle(url=url, is_article=False, reject_reason=reason)


def _parse(html: str) -> HtmlElement | None:
    try:
        return lxml.html.document_fromstring(html)
    except (ParserError, ValueError):
        return None


def _container(
    tree: HtmlElement, profile: Profile | None, content_selector: str | None
) -> HtmlElement | None:
    """The body container: the source's selector, else the family's, longest text first."""
    groups = [selector(content_selector)(tree)] if content_selector else []
    if profile is not None:
        groups += [[el] for el in profile.select("content", tree)]
    for group in groups:
        best = max(group, key=lambda el: len(el.text_content()), default=None)
        if best is not None and len(best.text_content().strip()) >= _MIN_CONTAINER:
            return best
    return None


def extract_article(
    html: str | bytes,
    url: str,
    *,
    content_selector: str | None = None,
    exclude_selectors: tuple[str, ...] = (),
    profile: str | None = None,
) -> ExtractedArticle:
    """Extract the article in ``html`` fetched from ``url``; never raises on bad pages.

    ``content_selector``/``exclude_selectors`` (CSS) and ``profile`` (a CMS family name, to
    force one) come from the source's optional keys; a bad selector or an unknown family name
    is a configuration mistake and raises ValueError naming it.
    """
    forced = by_name(profile) if profile else None
    if isinstance(html, bytes):
        if looks_binary(html):
            return _rejected(url, "binary")
        html = decode_html(html)
    if "\x00" in html[:2048]:
        return _rejected(url, "binary")
    html = _XML_DECLARATION.sub("", html, count=1)  # lxml refuses str with an encoding decl
    tree = _parse(nfc(html)) if html.strip() else None
    if tree is None:
        return _rejected(url, "empty")
    # Title and date are read on the page as printed; the body on a copy pruned of junk.
    selectors = (content_selector, tuple(exclude_selectors))
    return _extract_tree(tree, deepcopy(tree), url, selectors, forced)


def _body_lines(
    tree: HtmlElement, body: HtmlElement | None, url: str
) -> tuple[HtmlElement | None, list[str]]:
    """(container, raw lines): the known container's blocks, else trafilatura's choice widened
    to the element holding its paragraphs."""
    if body is not None:
        return body, lead_lines(tree, body) + block_lines(body) + trailer_lines(body, is_tail_line)
    unwrap_layout_tables(tree)
    raw = trafilatura_lines(tree, url)
    box = container_of(tree, raw)
    if box is None:
        return None, raw
    return box, block_lines(box) + trailer_lines(box, is_tail_line)


def _extract_tree(
    original: HtmlElement,
    tree: HtmlElement,
    url: str,
    selectors: tuple[str | None, tuple[str, ...]],
    forced: Profile | None,
) -> ExtractedArticle:
    content_selector, exclude_selectors = selectors
    profile = forced or detect(original, url)
    title, title_el = find_title(original, profile)
    caps = captions(original)
    own = (el.get("href") or el.get("content") for sel in _CANONICAL for el in sel(original))
    canonical = next((href for href in own if href), None)
    body = _container(tree, profile, content_selector)
    prune(tree, body, profile, exclude_selectors)
    published, method, doubtful = find_date(original, title_el, profile, pruned=tree)
    box, raw = _body_lines(tree, body, url)
    cleaned = clean_lines(raw, title, caps)
    reason = reject_reason(original, tree if box is None else box, title, cleaned)
    lines, author, credit = split_tail(cleaned)
    if author is None and box is not None and lines and lines[-1] == styled_byline(box):
        author, lines = lines[-1], lines[:-1]
    return ExtractedArticle(
        url=url,
        title=title,
        text="\n".join(lines),
        published=published,
        author=author,
        credit=credit,
        canonical_url=canonical,
        date_method=method,
        date_doubtful=doubtful,
        is_article=reason is None,
        reject_reason=reason,
        family=profile.name if profile else None,
    )

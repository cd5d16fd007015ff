"""The extraction entry point (docs/contract.md): ``extract_article(html, url)``.

trafilatura first, improved only on evidence: trafilatura (with metadata) reads every page, and
the rules built for Vietnamese portals (the article's own printed title and date line, a CMS
family's body container, the lead set apart, the byline and "Theo:" credit kept apart, junk
lines) replace a field only where they have something better to say. Any failure of those rules
falls back to plain trafilatura for that page: extraction never raises and never loses a page.
"""

from __future__ import annotations

import logging
import re
from dataclasses import asdict, dataclass, field
from functools import partial

import lxml.html
from lxml import etree
from lxml.etree import ParserError
from lxml.html import HtmlComment, HtmlElement, HtmlEntity, HtmlProcessingInstruction

from dvcrawl.constants import MIN_BODY_CHARS
from dvcrawl.extract.byline import split_tail
from dvcrawl.extract.cleanup import captions, selector
from dvcrawl.extract.datepick import find_date
from dvcrawl.extract.dates import parse_iso
from dvcrawl.extract.generic import container_of, lead_lines, styled_byline
from dvcrawl.extract.lead import with_lead
from dvcrawl.extract.lines import (
    clean_lines,
    drop_closing_lines,
    drop_cross_links,
    drop_link_lists,
    drop_story_links,
)
from dvcrawl.extract.links import link_keys, link_targets, own_story, teaser_keys
from dvcrawl.extract.marked import marked_author
from dvcrawl.extract.people import as_printed, pick_author
from dvcrawl.extract.reject import reject_reason
from dvcrawl.extract.text import (
    clean_line,
    decode_html,
    header_charset,
    looks_binary,
    looks_vietnamese,
)
from dvcrawl.extract.title import find_title, host_label
from dvcrawl.extract.trailing import credited_elsewhere, drop_teaser_summaries
from dvcrawl.headtags import first_text, matching, meta_content
from dvcrawl.profiles import Profile, by_name, detect
from dvcrawl.textnorm import nfc, strip_invisible

log = logging.getLogger(__name__)

# The page's own address: rel=canonical, else OpenGraph's og:url (many CMS themes set only that).
_CANONICAL = (("link", ("rel", "canonical")), ("meta", ("property", "og:url")))
# '<?xml version="1.0" encoding="utf-8"?>' at the top of XHTML pages (and a BOM before it).
_XML_DECLARATION = re.compile(r"^\ufeff?\s*<\?xml[^>]*\?>")
# Parsed as trafilatura parses (comments and processing instructions dropped): a comment in
# the middle of a paragraph splits its text, and trafilatura then loses half the story.
_PARSER = lxml.html.HTMLParser(collect_ids=False, remove_comments=True, remove_pis=True)
# Every element lxml hands to Python gets its class from the parser's lookup; lxml.html's is a
# Python callback (form elements get classes of their own, which nothing here uses), called
# ~12,000 times a Vietnamese page by trafilatura's tree walks: one class for all, chosen in C
# (3-5 % of extract_article's time, outputs identical on every page dump_extract.py reads).
_PARSER.set_element_class_lookup(
    etree.ElementDefaultClassLookup(
        element=HtmlElement, comment=HtmlComment, pi=HtmlProcessingInstruction, entity=HtmlEntity
    )
)
# Fields of ExtractedArticle that explain extraction (for `dvcrawl inspect`), not article data.
_EXPLAIN = ("decisions", "removed")


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
    lead: str | None = None  # the sapo set apart above the body; ``text`` starts with it
    # field -> the rule or profile that decided it ({"body": "trafilatura", "title": "h1"})
    decisions: dict[str, str] = field(default_factory=dict, repr=False)
    # (removed text snippet <= 120 chars, why) for `dvcrawl inspect`
    removed: list[tuple[str, str]] = field(default_factory=list, repr=False)

    def __getitem__(self, key: str):
        return getattr(self, key)

    def keys(self):
        return self.as_dict().keys()

    def as_dict(self) -> dict:
        """The article's data, without the explanation fields."""
        data = asdict(self)
        for name in _EXPLAIN:
            data.pop(name)
        return data


def _rejected(url: str, reason: str) -> ExtractedArticle:
    return ExtractedArticle(url=url, is_article=False, reject_reason=reason)


def _parse(html: str) -> HtmlElement | None:
    try:
        return lxml.html.document_fromstring(html, parser=_PARSER)
    except (ParserError, ValueError):
        return None


def extract_article(
    html: str | bytes,
    url: str,
    *,
    content_selector: str | None = None,
    exclude_selectors: tuple[str, ...] = (),
    profile: str | Profile | None = None,
    content_type: str | bytes | None = None,
    http_charset: str | None = None,
) -> ExtractedArticle:
    """Extract the article in ``html`` fetched from ``url``; never raises on bad pages.

    ``content_selector``/``exclude_selectors`` (CSS) and ``profile`` (the source's CMS family,
    by name or as a Profile) come from the source's optional keys; without a profile the family
    is detected from the page. ``content_type`` (the HTTP header) or ``http_charset`` say how
    bytes are encoded. A bad selector or an unknown family name is a configuration mistake and
    raises ValueError naming it; anything wrong with the page itself never raises.
    """
    forced = by_name(profile) if isinstance(profile, str) and profile else profile or None
    for css in (content_selector, *exclude_selectors):
        if css:
            selector(css)
    selectors = (content_selector, tuple(exclude_selectors))
    charset = http_charset or header_charset(content_type)
    try:
        return _extract(html, url, selectors, forced, charset)
    except Exception as exc:  # noqa: BLE001 - a rule's bug must not lose the page
        log.warning(
            "extraction rules failed on %s (%s: %s); plain trafilatura used",
            url,
            type(exc).__name__,
            exc,
        )
        return _plain(html, url, charset, f"{type(exc).__name__}: {exc}")


def _text_of(html: str | bytes, charset: str | None) -> str:
    text = decode_html(html, charset) if isinstance(html, bytes) else html
    return strip_invisible(_XML_DECLARATION.sub("", text, count=1))  # lxml refuses str with a decl


def _plain(html: str | bytes, url: str, charset: str | None, why: str) -> ExtractedArticle:
    """Plain trafilatura on the page: what a failure of the rules falls back to."""
    from dvcrawl.extract.body import Base, trafilatura_base

    try:
        tree = _parse(nfc(_text_of(html, charset)))
        base = trafilatura_base(tree, url, precise=False) if tree is not None else Base()
    except Exception as exc:  # noqa: BLE001 - even trafilatura failing must not raise
        log.warning("trafilatura failed on %s too (%s: %s)", url, type(exc).__name__, exc)
        return _rejected(url, "unparsable")
    lines = [x for x in map(clean_line, base.lines) if x]
    text = "\n".join(lines)
    published = parse_iso(base.date)
    art = ExtractedArticle(
        url=url,
        title=clean_line(base.title),
        text=text,
        published=published,
        author=clean_line(base.author) or None,
        date_method="htmldate-fallback" if published else None,
        date_doubtful=bool(published),
        is_article=len(text) >= MIN_BODY_CHARS,
        reject_reason=None if len(text) >= MIN_BODY_CHARS else "empty",
    )
    art.decisions = dict.fromkeys(
        ("body", "title", "author", "published"), "trafilatura (fallback)"
    )
    art.removed = [("", f"extraction rules failed: {why}"[:200])]
    return art


def _extract(
    html: str | bytes,
    url: str,
    selectors: tuple[str | None, tuple[str, ...]],
    forced: Profile | None,
    charset: str | None,
) -> ExtractedArticle:
    if isinstance(html, bytes) and looks_binary(html):
        return _rejected(url, "binary")
    text = _text_of(html, charset)
    if "\x00" in text[:2048]:
        return _rejected(url, "binary")
    tree = _parse(nfc(text)) if text.strip() else None
    if tree is None:
        return _rejected(url, "empty")
    return _extract_tree(tree, url, selectors, forced, text)


def _extract_tree(
    tree: HtmlElement,
    url: str,
    selectors: tuple[str | None, tuple[str, ...]],
    forced: Profile | None,
    source: str = "",
) -> ExtractedArticle:
    """The article in the parsed page; ``source`` is the page's markup (where names are
    spelled as the page prints them)."""
    # trafilatura loads here, in the workers (their forkserver's warm-up imports it once), not
    # in a crawl process that only unpickles ExtractedArticle (~0.14 s of CPU per crawl).
    from dvcrawl.extract.body import choose_body, trafilatura_base

    profile = forced or detect(tree, url)
    art = ExtractedArticle(url=url, family=profile.name if profile else None)
    decisions, removed = art.decisions, art.removed
    heads = f"{first_text(tree, 'title')} {first_text(tree, 'h1')}"
    vietnamese = looks_vietnamese(tree, url, heads)
    base = trafilatura_base(tree, url, precise=vietnamese)
    title, title_el, decisions["title"] = find_title(tree, profile, url)
    if not title and base.title:
        title, decisions["title"] = clean_line(base.title), "trafilatura"
    own = (
        el.get("href") or el.get("content")
        for tag, test in _CANONICAL
        for el in matching(tree, tag, test)
    )
    art.canonical_url = next((href for href in own if href), None)
    day_first = vietnamese or looks_vietnamese(tree, url, title)
    caps = captions(tree) if day_first else set()  # trafilatura leaves captions out itself
    art.published, art.date_method, art.date_doubtful = find_date(
        tree, title_el, profile, lambda: base.date, day_first
    )
    decisions["published"] = art.date_method or "none"
    known_lead: list[str] = []

    def lead_of(pruned: HtmlElement, box: HtmlElement) -> list[str]:
        if day_first:  # the lead rules were made for Vietnamese portals' sapo
            known_lead.extend(lead_lines(pruned, box))
        return list(known_lead)

    # A detected family's container decides the body only on Vietnamese pages, for which the
    # families were made; elsewhere it lost story more often than it cleaned (public sets).
    # A family the source names is the operator's word and holds anywhere.
    family = profile if forced is not None or day_first else None
    body = choose_body(tree, base, family, selectors, removed, lead_of, widen=day_first)
    decisions["body"] = body.how
    cleaned = clean_lines(body.lines, title, caps, removed, dedupe=day_first)
    links = link_keys(tree)
    targets = link_targets(links)
    teasers = targets.keys() if body.scope is None else teaser_keys(body.scope, tree, links)
    art.reject_reason = reject_reason(tree, teasers, title, cleaned)
    if body.scope is None and art.reject_reason == "listing":
        # The teasers of the region holding trafilatura's lines are some of the page's, and
        # fewer teasers can only undo "listing": the region is looked for only then.
        region = container_of(tree, base.lines, False)
        region = tree if region is None else region
        art.reject_reason = reject_reason(tree, teaser_keys(region, tree, links), title, cleaned)
    cleaned = drop_link_lists(cleaned, targets, removed)  # after: listings need them
    if not day_first:  # Vietnamese pages: the tail rules of clean_lines and split_tail
        cleaned = drop_story_links(cleaned, targets, own_story(targets, url), removed)
        cleaned = drop_closing_lines(cleaned, removed)
        cleaned = drop_cross_links(cleaned, removed)
    cleaned = drop_teaser_summaries(tree, cleaned, removed)
    lines, byline, art.credit = split_tail(cleaned, partial(credited_elsewhere, tree))
    if byline is None and body.box is not None and lines and lines[-1] == styled_byline(body.box):
        byline, lines = lines[-1], lines[:-1]
    site, host = meta_content(tree, ("property", "og:site_name")), host_label(url)
    art.author, decisions["author"] = pick_author(
        byline, lambda: base.author, site, host, local=day_first
    )
    if art.author and decisions["author"] == "trafilatura":
        art.author = as_printed(art.author, source)
    if art.author is None and (marked := marked_author(tree, site or "", host, source)):
        art.author, decisions["author"] = marked, "author mark"
    if day_first:
        known = [clean_line(x) for x in known_lead if x.strip()]
        lines, art.lead, how = with_lead(lines, title_el, known)
        decisions["lead"] = how or "none"
    art.title, art.text, art.is_article = title, "\n".join(lines), art.reject_reason is None
    return art

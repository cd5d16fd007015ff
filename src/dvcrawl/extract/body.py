"""Which body wins: trafilatura's by default, a container or a widening only on evidence.

trafilatura is the baseline on every page. A source's own ``content_selector`` is the operator's
word and wins outright. A CMS family's container wins when it keeps most of what trafilatura
found (so a teaser block or an empty rich-text field cannot). trafilatura's paragraphs are widened
to the element holding them (to restore subheadings and bylines that it drops) only when that
keeps all of them and adds little.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable
from copy import deepcopy
from dataclasses import dataclass
from functools import cached_property

import trafilatura
from lxml.html import HtmlElement
from trafilatura.metadata import (
    examine_meta,
    extract_author,
    extract_meta_json,
    extract_title,
    extract_url,
    find_date,
)
from trafilatura.settings import DEFAULT_CONFIG, Document, set_date_params

from dvcrawl.constants import MIN_BODY_CHARS
from dvcrawl.extract.byline import is_tail_line
from dvcrawl.extract.cleanup import has_layout_tables, prune, selector, unwrap_layout_tables
from dvcrawl.extract.generic import block_lines, container_of, trailer_lines
from dvcrawl.linkclass import looks_like_article
from dvcrawl.profiles import Profile

log = logging.getLogger(__name__)
_WORD = re.compile(r"\w+")
# A family container must hold at least this share of trafilatura's word 4-grams.
_CONTAINER_AGREES = 0.6
# Outside Vietnam a container must hold nearly all of trafilatura's text, and not much more.
_STRICT_AGREES = 0.95
_STRICT_GROWTH = 1.2
# trafilatura's paragraphs widened to their container must all survive (tokenisation slack).
_WIDENING_KEEPS = 0.95
# A container with less text than this is a wrong match (an empty rich-text field).
_MIN_CONTAINER = 200
_SNIPPET = 120
# Fast mode's text must hold at least this share of the text of the region holding its lines.
_FAST_HOLDS = 0.5


class Base:
    """What plain trafilatura (with metadata) makes of the page: the baseline for every field.

    ``meta`` is trafilatura's metadata, or the page and its address to make it from on first
    use (on Vietnamese pages): there title, author and date are only fallbacks of dvcrawl's
    own finders, and trafilatura's whole metadata costs ~7 ms a page, htmldate's date ~3 of it.
    """

    def __init__(
        self, lines: list[str] | None = None, meta: Document | tuple[HtmlElement, str] | None = None
    ) -> None:
        self.lines = lines or []
        self._meta = meta

    @cached_property
    def _names(self) -> Document:
        if isinstance(self._meta, tuple):
            return _names(*self._meta)
        return self._meta or Document()

    @property
    def title(self) -> str:
        return self._names.title or ""

    @property
    def author(self) -> str:
        return self._names.author or ""

    @cached_property
    def date(self) -> str:
        if isinstance(self._meta, tuple):
            extensive = DEFAULT_CONFIG.getboolean("DEFAULT", "EXTENSIVE_DATE_SEARCH")
            params = {**set_date_params(extensive), "url": self._names.url}
            return find_date(self._meta[0], **params) or ""
        return self._names.date or ""


def _names(page: HtmlElement, url: str) -> Document:
    """Title, author and address as trafilatura's ``extract_metadata`` finds them: its steps
    for these fields, without the date, site name, categories, tags and licence."""
    meta = examine_meta(page)
    if meta.author and " " not in meta.author:
        meta.author = None
    try:
        meta = extract_meta_json(page, meta)
    except Exception:  # noqa: BLE001 - as trafilatura: bugs in its JSON-LD reader
        log.debug("trafilatura's JSON-LD metadata failed on %s", url)
    meta.title = meta.title or extract_title(page)
    meta.author = meta.author or extract_author(page)
    meta.url = meta.url or extract_url(page, url)
    meta.clean_and_trim()
    return meta


@dataclass
class Body:
    """The body lines chosen, who chose them, and the element they came from (if one)."""

    lines: list[str]
    how: str
    box: HtmlElement | None = None
    # Where teaser links are counted for the listing test; None: the page region holding
    # trafilatura's lines (generic.container_of), else the whole page, found when needed.
    scope: HtmlElement | None = None


def trafilatura_base(tree: HtmlElement, url: str, precise: bool) -> Base:
    """trafilatura on a copy of the page; the other mode when the first finds next to nothing;
    never comments.

    ``precise`` (Vietnamese pages): precision mode, which leaves out the source-name and
    section lines Vietnamese papers print under the story; at an article's address fast mode
    first, kept only when ``_fast_suffices`` (on listing and home pages it seldom finds their
    text and the full call ran anyway: 13 of the 14 listings of the Vietnamese set). Elsewhere
    the default balance, as plain trafilatura runs: measured on the public sets, precision mode
    loses more story than the furniture it drops, and fast mode loses story on trafilatura's set.
    """
    doc = None
    page = tree  # trafilatura (>= 2.3, pyproject.toml) reads a copy of a tree it is given
    if has_layout_tables(tree):  # else the article comes out as table rows
        page = deepcopy(tree)
        unwrap_layout_tables(page)
    passes = [(precise, False), (not precise, False)]  # (precision mode, fast mode)
    if precise and looks_like_article(url):  # elsewhere fast mode mostly finds next to nothing
        passes.insert(0, (True, True))
    for precision, fast in passes:
        found = trafilatura.bare_extraction(
            page,
            url=url,
            fast=fast,
            favor_precision=precision,
            include_comments=False,
            include_tables=True,
            with_metadata=not precise,
        )
        if fast:  # kept only where the full call would most likely keep the same text
            if found is not None and _fast_suffices(page, found.text or ""):
                doc = found
                break
            continue
        # A pass that finds no body returns None; the other pass's metadata (title, author,
        # date; read from the page itself on Vietnamese pages) is still the page's own.
        doc = found if found is not None else doc
        if doc is not None and len(doc.text or "") >= MIN_BODY_CHARS:
            break
    if doc is None:
        return Base()
    lines = (doc.text or "").splitlines()
    return Base(lines, (page, url) if precise else doc)


def _fast_suffices(page: HtmlElement, text: str) -> bool:
    """Is fast mode's text what the full call would find? Fast mode skips trafilatura's
    comparison with readability and jusText (~13 ms of ~40 on a Vietnamese page), and
    trafilatura takes readability's text only when it is over twice its own. So not when the
    text is short, nor when the page region holding its lines holds over twice as much text:
    there the rest of the story may sit outside the paragraphs trafilatura read."""
    if len(text) < MIN_BODY_CHARS:
        return False
    box = container_of(page, text.splitlines(), False)
    region = len(" ".join(box.text_content().split())) if box is not None else 0
    return region > 0 and len(text) >= _FAST_HOLDS * region


def _grams(lines: list[str]) -> Iterable[tuple[str, ...]]:
    """The word 4-grams of the lines (one shorter tuple when they have fewer words), made by
    ``zip`` in C rather than a tuple slice each (coverage was ~8 % of a Vietnamese page)."""
    words = _WORD.findall(" ".join(lines).casefold())
    if len(words) < 4:
        return (tuple(words),)
    return zip(words, words[1:], words[2:], words[3:], strict=False)


def coverage(part: list[str], whole: list[str]) -> float:
    """Share of ``part``'s word 4-grams that ``whole`` also has (1.0 when part is empty).

    ``whole``'s 4-grams are only looked up, never gathered into a set of their own."""
    wanted = set(_grams(part))
    if wanted == {()}:
        return 1.0
    return len(wanted.intersection(_grams(whole))) / len(wanted)


def _container(
    tree: HtmlElement, profile: Profile | None, content_selector: str | None
) -> tuple[HtmlElement, str] | None:
    """The body container: the source's selector, else the family's, longest text first."""
    groups = (
        [(selector(content_selector)(tree), "source:content_selector")] if content_selector else []
    )
    if profile is not None:
        groups += [([el], f"profile:{profile.name}") for el in profile.select("content", tree)]
    for group, how in groups:
        best = max(group, key=lambda el: len(el.text_content()), default=None)
        if best is not None and len(best.text_content().strip()) >= _MIN_CONTAINER:
            return best, how
    return None


def _container_wins(base: list[str], lines: list[str], strict: bool) -> bool:
    """Does the family's container beat trafilatura's text? It must keep most of that text;
    ``strict`` (pages outside Vietnam, where the families' rules were not made) it must keep
    nearly all of it and add little."""
    size = sum(map(len, base))
    if size < MIN_BODY_CHARS:
        return not strict
    if not strict:
        return coverage(base, lines) >= _CONTAINER_AGREES
    grown = sum(map(len, lines)) <= _STRICT_GROWTH * size
    return grown and coverage(base, lines) >= _STRICT_AGREES


def _snippet(lines: list[str]) -> str:
    return " ".join(" ".join(lines).split())[:_SNIPPET]


def choose_body(
    tree: HtmlElement,
    base: Base,
    profile: Profile | None,
    selectors: tuple[str | None, tuple[str, ...]],
    removed: list[tuple[str, str]],
    lead_of,
    widen: bool,
) -> Body:
    """The body lines for the page (see the module doc for who wins when).

    ``widen`` (Vietnamese pages, for which these rules were made): trafilatura's paragraphs may
    be widened to their container, and a family container needs only to keep most of
    trafilatura's text. Measured on pages elsewhere, both add captions and share lines.
    """
    content_selector, excludes = selectors
    if not widen and _container(tree, profile, content_selector) is None:
        # Nothing these rules could add: trafilatura's text as it is, and no pruning spent.
        return Body(list(base.lines), "trafilatura")
    pruned = deepcopy(tree)
    found = _container(pruned, profile, content_selector)
    if found is not None:
        box, how = found
        prune(pruned, box, profile, excludes)
        lines = block_lines(box) + trailer_lines(box, is_tail_line)
        if how.startswith("source") or _container_wins(base.lines, lines, strict=not widen):
            return Body(lead_of(pruned, box) + lines, how, box, box)
        removed.append((_snippet(lines), f"{how} container ignored: it misses trafilatura's text"))
    else:
        prune(pruned, None, profile, excludes)
    unwrap_layout_tables(pruned)
    box = container_of(pruned, base.lines) if widen else None
    if box is not None:
        lines = block_lines(box) + trailer_lines(box, is_tail_line)
        if coverage(base.lines, lines) >= _WIDENING_KEEPS:
            return Body(lines, "trafilatura+container", box, box)
    return Body(list(base.lines), "trafilatura", None, pruned)

"""The lead (sapo): the paragraph portals print between the title and the body, set apart.

Portals put it in its own element (``.sapo``, ``.lead``, ``.summary``, an ``h2`` under the
title), often outside the body container, so container-based and trafilatura extraction both
lose it. It belongs to the story: ``text`` starts with it and it is kept as ``lead`` too.
"""

from __future__ import annotations

import re

from lxml.html import HtmlElement

from dvcrawl.extract.junk import PAGE_HINT, hint_of
from dvcrawl.extract.text import clean_line, key

# Class/id words of lead blocks, as whole words of the class ("detail-sapo", "article__lead",
# "chapeau", "summary"), so "leaderboard" or "summary-list" widgets do not match.
_LEAD_HINT = re.compile(
    r"(?:^|[\s_-])(sapo|lead|lede|summary|tomtat|tom-tat|chapeau|standfirst|description|intro)"
    r"(?:$|[\s_])",
    re.I,
)
# A lead is a sentence or more, and a paragraph at most.
_MIN_LEAD = 50
_MAX_LEAD = 800
# How many elements after the title the lead may sit (the date line and toolbar come between).
_AFTER_TITLE = 60
# The lead is one of the first lines of the text when trafilatura kept it.
_EARLY_LINES = 3
_FURNITURE = {"nav", "aside", "footer", "a", "li"}


def _is_lead(el: HtmlElement, after_title: bool, title_el: HtmlElement) -> bool:
    if not isinstance(el.tag, str) or el.tag in _FURNITURE:
        return False
    if not (_LEAD_HINT.search(hint_of(el)) or (after_title and el.tag == "h2")):
        return False
    if el.find(".//script") is not None or el.find(".//style") is not None:
        return False
    text = el.text_content().strip()
    if not _MIN_LEAD <= len(text) <= _MAX_LEAD:
        return False
    linked = sum(len(a.text_content()) for a in el.iter("a"))
    return linked < len(text) / 2 and not any(
        anc.tag in _FURNITURE or PAGE_HINT.search(hint_of(anc)) for anc in _own(el, title_el)
    )


def _own(el: HtmlElement, title_el: HtmlElement):
    """The ancestors of ``el`` that do not also hold the title: whatever class a block holding
    both has ("sidebar-1" on one national paper), it is the article's, not furniture."""
    shared = set(title_el.iterancestors())
    for anc in el.iterancestors():
        if anc in shared:
            return
        yield anc


def _candidate(title_el: HtmlElement) -> HtmlElement | None:
    """The first lead-like element after the title, within a few elements."""
    for i, el in enumerate(_following(title_el)):
        if i >= _AFTER_TITLE:
            break
        if _is_lead(el, i < 8, title_el):
            return el
    return None


def _following(el: HtmlElement):
    """Elements after ``el`` in document order (not inside it)."""
    node = el
    while node is not None:
        for sib in node.itersiblings():
            yield from sib.iter()
        node = node.getparent()


def with_lead(
    lines: list[str], title_el: HtmlElement | None, known: list[str]
) -> tuple[list[str], str | None, str]:
    """(lines starting with the lead, the lead, how it was found).

    ``known`` is the lead a family container already gave (printed just above it).
    """
    if known:
        lead = clean_line(" ".join(known))
        return lines, lead or None, "container-lead"
    el = _candidate(title_el) if title_el is not None else None
    if el is None:
        return lines, None, ""
    lead = clean_line(el.text_content())
    wanted = key(lead)
    for i, line in enumerate(lines[:_EARLY_LINES]):
        if key(line) == wanted:
            return [lines[i], *lines[:i], *lines[i + 1 :]], lead, "lead-block"
    if any(wanted in key(line) for line in lines):
        return lines, None, ""  # printed elsewhere in the story: not a lead set apart
    return [lead, *lines], lead, "lead-block"

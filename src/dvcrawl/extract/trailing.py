"""What trafilatura lets through after the story's last paragraph, judged by where the line
sits in the page rather than by what it says.

Two kinds, both seen on national papers' pages and neither a sentence of the story:

- a teaser's summary: the paragraph printed under another story's headline link in a small
  card ("Đọc tiếp", "Mới nhất" blocks); trafilatura drops the headline (a link) but keeps the
  summary, so the story seems to run on into other stories;
- the source's name printed apart under the story ("Nhịp sống thị trường"), which the page
  itself credits elsewhere as "Theo Nhịp sống thị trường": a credit, not a line of text.
"""

from __future__ import annotations

from itertools import islice

from lxml import etree
from lxml.html import HtmlElement

from dvcrawl.constants import MIN_BODY_CHARS
from dvcrawl.extract.byline import credit_of
from dvcrawl.extract.links import HEADLINE_CHARS
from dvcrawl.extract.text import clean_line, key, text_content

# A card is the headline, the summary and a few words more (category, date): this many chars.
_CARD_SLACK = 80
# How far above the summary's paragraph the card may start.
_CARD_DEPTH = 3
# The summary's paragraph is found by the start of its text.
_PROBE_CHARS = 40
# A credit is a publication's or section's name: short and no sentence.
_MAX_CREDIT = 80
# Compiled once: an XPath given as a string is compiled again on every call (~12 us a call on
# a sample portal page, next to ~57 us for the search itself).
_TEXTS_HOLDING = etree.XPath("//body//text()[contains(., $p)]")  # text nodes holding $p
_LAST_TEXT_OWN_OR_BEFORE = etree.XPath(
    "(descendant::text() | preceding::text())[normalize-space(.) != ''][last()]"
)
_LAST_TEXT_BEFORE = etree.XPath("preceding::text()[normalize-space(.) != ''][1]")


def _element_of(tree: HtmlElement, line: str) -> HtmlElement | None:
    """The element whose whole text is ``line`` (the smallest one), if the page has it."""
    probe = line[:_PROBE_CHARS]
    for node in _TEXTS_HOLDING(tree, p=probe):
        el = node.getparent()
        if node.is_tail and el is not None:
            el = el.getparent()
        for candidate in islice(_self_and_ancestors(el), _CARD_DEPTH):
            text = clean_line(text_content(candidate))
            if text == line:
                return candidate
            if len(text) > len(line):
                break
    return None


def _self_and_ancestors(el: HtmlElement | None):
    if el is not None:
        yield el
        yield from el.iterancestors()


def is_teaser_summary(el: HtmlElement) -> bool:
    """Is ``el`` the summary of a teaser card: a small block holding, before it, another
    story's headline link and little else?"""
    own = set(el.iter("a"))
    line = clean_line(el.text_content())
    for card in islice(el.iterancestors(), _CARD_DEPTH):
        order = list(card.iter())
        before = order[: order.index(el)]
        heads = [
            a
            for a in card.iter("a")
            if a not in own and len(clean_line(text_content(a))) >= HEADLINE_CHARS
        ]
        if not heads:
            continue
        size = len(clean_line(card.text_content()))
        headlines = sum(len(clean_line(text_content(a))) for a in heads)
        fits = size <= len(line) + headlines + _CARD_SLACK
        return fits and all(a in before for a in heads)
    return False


def drop_teaser_summaries(
    tree: HtmlElement, lines: list[str], removed: list[tuple[str, str]]
) -> list[str]:
    """``lines`` without the teaser summaries at their end (see the module doc); the story
    itself (at least MIN_BODY_CHARS) always stays."""
    end = len(lines)
    while end > 1 and sum(map(len, lines[: end - 1])) >= MIN_BODY_CHARS:
        el = _element_of(tree, lines[end - 1])
        if el is None or not is_teaser_summary(el):
            break
        end -= 1
    removed.extend((x[:120], "summary of another story's teaser") for x in lines[end:])
    return lines[:end]


def _text_before(node) -> str:
    """The nearest non-blank text printed before the text node ``node``."""
    el = node.getparent()
    if el is None:
        return ""
    # A tail comes after ``el``: its own last text, or what came before it.
    found = _LAST_TEXT_OWN_OR_BEFORE(el) if node.is_tail else _LAST_TEXT_BEFORE(el)
    return str(found[0]) if found else ""


def credited_elsewhere(tree: HtmlElement, line: str) -> bool:
    """Does the page print ``line`` as a credit ("Theo <line>", "Nguồn: <line>") somewhere?"""
    if len(line) > _MAX_CREDIT or line.endswith((".", "!", "?", ":", ";")):
        return False
    wanted = key(line)
    for node in _TEXTS_HOLDING(tree, p=line):
        text = clean_line(node)
        for told in (text, clean_line(f"{_text_before(node)} {text}")):
            src = credit_of(told)
            if src is not None and key(src) == wanted:
                return True
    return False

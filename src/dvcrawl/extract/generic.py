"""Body text from a pruned tree: trafilatura on generic pages, block lines in a known container.

When a family or a source selector names the body container, the container *is* the article:
its block-level text is taken as printed, so subheadings, "Một là, ..." lists and the closing
byline survive (trafilatura in precision mode drops some short lines). Elsewhere trafilatura
finds the main content.
"""

from __future__ import annotations

import trafilatura
from lxml.cssselect import CSSSelector
from lxml.html import HtmlElement

# Elements that start a new line of text.
_BLOCK = frozenset(
    [
        "address",
        "article",
        "aside",
        "blockquote",
        "br",
        "dd",
        "div",
        "dl",
        "dt",
        "figure",
        "footer",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "header",
        "hr",
        "li",
        "main",
        "ol",
        "p",
        "pre",
        "section",
        "table",
        "tbody",
        "td",
        "th",
        "tr",
        "ul",
        "center",
    ]
)


# The lead paragraph ("sapo") that news themes print between the title and the body container:
# class names "sapo", "detail-sapo", "lead", "summary", "description", "tom-tat".
_LEAD = CSSSelector(
    "[class*='sapo'], [class*='lead'], [class*='summary'], [class*='description'],"
    " [class*='tomtat'], [class*='tom-tat'], [class*='chapeau']"
)
# A lead is a sentence or more; shorter matches are labels.
_MIN_LEAD = 50


def lead_lines(tree: HtmlElement, body: HtmlElement) -> list[str]:
    """The lead printed just before the body container (outside it), if any."""
    leads = set(_LEAD(tree))
    if not leads:
        return []
    before: list[HtmlElement] = []
    for el in tree.iter():
        if el is body:
            break
        before.append(el)
    ancestors = set(body.iterancestors())
    for el in reversed(before[-40:]):  # only the blocks right above the body
        if el in leads and el not in ancestors and len(el.text_content().strip()) >= _MIN_LEAD:
            return block_lines(el)
    return []


def trailer_lines(body: HtmlElement, keep) -> list[str]:
    """Byline/credit lines printed right after the body container ("p.author", "p.source").

    ``keep(line)`` says whether a line is a byline or credit; the first other line stops.
    """
    found: list[str] = []
    for sib in list(body.itersiblings())[:4]:
        lines = [x for x in block_lines(sib) if x.strip()]
        if not lines:
            continue
        if len(lines) > 1 or not keep(lines[0]):
            break
        found.append(lines[0])
    return found


def trafilatura_lines(tree: HtmlElement, url: str) -> list[str]:
    """Main-content lines by trafilatura (precision mode, no comments, no metadata)."""
    doc = trafilatura.bare_extraction(
        tree,
        url=url,
        favor_precision=True,
        include_comments=False,
        include_tables=True,
        with_metadata=False,
    )
    text = getattr(doc, "text", None) if doc is not None else None
    return text.splitlines() if text else []


def block_lines(root: HtmlElement) -> list[str]:
    """The text of ``root`` split at block boundaries, in document order."""
    out: list[str] = []
    buf: list[str] = []

    def flush() -> None:
        if buf:
            out.append("".join(buf))
            buf.clear()

    def walk(node: HtmlElement, with_tail: bool = True) -> None:
        is_el = isinstance(node.tag, str)
        block = is_el and node.tag in _BLOCK
        if block:
            flush()
        if is_el and node.text:
            buf.append(node.text)
        for child in node:
            walk(child)
        if block:
            flush()
        if with_tail and node.tail:
            buf.append(node.tail)

    walk(root, with_tail=False)
    flush()
    return out

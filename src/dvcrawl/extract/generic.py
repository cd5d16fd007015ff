"""Body text from a pruned tree: block lines of a known container, its lead and trailer.

When a family or a source selector names the body container, the container *is* the article:
its block-level text is taken as printed, so subheadings, "Một là, ..." lists and the closing
byline survive (trafilatura in precision mode drops some short lines). Elsewhere trafilatura
finds the main content.
"""

from __future__ import annotations

from lxml import etree
from lxml.html import HtmlElement

from dvcrawl.profiles.guard import GuardedSelector

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
_LEAD = GuardedSelector(
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


# An author line set apart by style: bold/italic throughout or right-aligned, a few words.
_BYLINE_WORDS = 8
_EMPHASIS = ("b", "strong", "em", "i")


def styled_byline(box: HtmlElement) -> str | None:
    """The text of the container's last block if it is styled like a byline (bold or
    right-aligned, short, no sentence end): how a person spots "Phòng Giáo dục Trung học"."""
    blocks = [el for el in box.iter("p", "div") if el.text_content().strip()]
    if not blocks:
        return None
    last = blocks[-1]
    text = " ".join(last.text_content().split())
    if len(text.split()) > _BYLINE_WORDS or text.endswith((".", ":", ";", "?", "!")):
        return None
    style = f"{last.get('style') or ''} {last.get('align') or ''}".replace(" ", "").lower()
    emphasised = " ".join("".join(e.text_content() for e in last.iter(*_EMPHASIS)).split())
    return text if "right" in style or emphasised == text else None


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


# Lines this long name their paragraph in the page without ambiguity.
_ANCHOR_CHARS = 60
# Longer elements are containers, not paragraphs: skip them when looking for a line's element.
_MAX_PARAGRAPH = 4000
# The common container may hold a little more than trafilatura kept (a subheading, a byline,
# short lines), never a page's worth: at most this factor plus slack.
_CONTAINER_GROWTH = 1.5
_CONTAINER_SLACK = 600


def _common_ancestor(elements: list[HtmlElement]) -> HtmlElement | None:
    chains = [list(reversed([el, *el.iterancestors()])) for el in elements]
    common = None
    for level in zip(*chains, strict=False):
        if any(x is not level[0] for x in level):
            break
        common = level[0]
    return common


_PARAGRAPH_TAGS = ("p", "li", "td", "blockquote")


def _paragraph_sized(tree: HtmlElement, tags: tuple[str, ...]) -> list[tuple[HtmlElement, str]]:
    """The ``tags`` elements of a paragraph's length and their text, in document order.

    Read bottom-up: an element longer than a paragraph makes all its ancestors longer (their
    text contains it), so the page-sized text of the wrappers above the story is never built.
    """
    too_long: set[HtmlElement] = set()
    found = []
    for el in reversed(list(tree.iter(*tags))):
        if el not in too_long:
            text = el.text_content()
            if len(text) <= _MAX_PARAGRAPH:
                if len(text) >= _ANCHOR_CHARS:
                    found.append((el, text))
                continue
        for anc in el.iterancestors():
            if anc in too_long:
                break
            too_long.add(anc)
    found.reverse()
    return found


def _first_and_last_words(text: str) -> tuple[str, str]:
    """The first and last words of ``text`` (split at whitespace as ``str.split`` splits),
    those of ``" ".join(text.split())`` too: a paragraph whose ends match no wanted line's is
    passed over without splitting its whole text (that was more than half of container_of)."""
    first = text.split(None, 1)
    return (first[0], text.rsplit(None, 1)[-1]) if first else ("", "")


def container_of(tree: HtmlElement, lines: list[str], limit: bool = True) -> HtmlElement | None:
    """The element that holds the paragraphs trafilatura chose, if it is not much bigger
    (without ``limit``: whatever its size, short of the whole page).

    Its block text then restores what precision mode dropped inside the article (subheadings,
    short lines, the byline) on pages of no known family.
    """
    wanted = {" ".join(x.split()) for x in lines if len(x) >= _ANCHOR_CHARS}
    if len(wanted) < 2:
        return None
    # Without a limit (only the region is wanted) paragraphs suffice, and skipping the big
    # wrapper divs spares reading the whole page's text once per nesting level.
    tags = _PARAGRAPH_TAGS + ("div", "section", "article") if limit else _PARAGRAPH_TAGS
    ends = {_first_and_last_words(x) for x in wanted}
    found = [
        el
        for el, text in _paragraph_sized(tree, tags)
        if _first_and_last_words(text) in ends and " ".join(text.split()) in wanted
    ]
    if len(found) < 2:
        return None
    box = _common_ancestor(found)
    kept = sum(len(x) for x in lines)
    if box is None or box.tag in ("html", "body"):
        return None
    if limit and len(box.text_content()) > _CONTAINER_GROWTH * kept + _CONTAINER_SLACK:
        return None
    return box


def block_lines(root: HtmlElement) -> list[str]:
    """The text of ``root`` split at block boundaries, in document order.

    Walks with lxml's iterwalk rather than recursion: broken portal markup nests thousands deep.
    """
    out: list[str] = []
    buf: list[str] = []

    def flush() -> None:
        if buf:
            out.append("".join(buf))
            buf.clear()

    for event, node in etree.iterwalk(root, events=("start", "end")):
        is_el = isinstance(node.tag, str)
        if is_el and node.tag in _BLOCK:
            flush()
        if event == "start":
            if is_el and node.text:
                buf.append(node.text)
        elif node is not root and node.tail:
            buf.append(node.tail)
    flush()
    return out

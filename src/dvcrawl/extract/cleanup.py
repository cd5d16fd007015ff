"""Remove portal junk from the HTML tree before text extraction.

General rules first (tags, class/id hints, teaser/comment headings), then the family's and the
source's own selectors. A block that holds the article body is never removed, whatever its
class says: on SharePoint and ASP.NET portals the whole page sits in one <form>.
"""

from __future__ import annotations

from functools import lru_cache

from lxml import etree
from lxml.cssselect import SelectorError
from lxml.html import HtmlElement

from dvcrawl.extract.junk import BODY_HINT, JUNK_TAGS, PAGE_HINT, TAIL_HEADINGS, hint_of
from dvcrawl.extract.text import key
from dvcrawl.profiles import Profile
from dvcrawl.profiles.guard import GuardedSelector

# Captions: <figcaption> and the class names portals give caption cells ("PhotoCMS_Caption",
# "image-caption", "chu-thich", "wp-caption-text").
_CAPTION_SEL = GuardedSelector(
    "figcaption, [class*='caption'], [class*='Caption'], [class*='chu-thich'], [class*='chuthich']"
)
# A section after a teaser heading this small is a list whatever its links.
_SMALL_SECTION = 300
# Below this share of link text, the section after a heading is prose (the story), not teasers.
_TEASER_LINK_SHARE = 0.15
# Captions are a line or two; a longer italic block is a quotation.
_MAX_CAPTION = 250
# Elements short enough to be a heading label ("Tin liên quan", "BÌNH LUẬN").
_MAX_HEADING_CHARS = 40
# Inline tags, and how much text of its own a parent needs around one to be a sentence.
_INLINE_TAGS = frozenset({"a", "span", "b", "strong", "em", "i", "u", "small", "mark", "abbr"})
_RUNNING_TEXT_CHARS = 40


@lru_cache(maxsize=256)
def selector(css: str) -> GuardedSelector:
    """Per-source selectors from the sources file, compiled once per distinct string."""
    try:
        return GuardedSelector(css)
    except SelectorError as exc:
        raise ValueError(f"bad CSS selector {css!r}: {exc}") from None


def captions(tree: HtmlElement) -> set[str]:
    """Keys of caption texts and image alt/title texts, to drop lines that repeat them."""
    found = {key(el.text_content()) for el in _CAPTION_SEL(tree)}
    blocks: set[HtmlElement] = set()  # images sharing a block share its caption: read once
    for img in tree.iter("img"):
        for attr in ("alt", "title"):
            found.add(key(img.get(attr) or ""))
        block = _image_block(img)
        if block is not None and block not in blocks:
            blocks.add(block)
            found.update(key(text) for text in _image_caption(block))
    return {c for c in found if len(c) >= 12}


def _emphasised_only(el: HtmlElement, text: str) -> str:
    """``text`` (of ``el``) when all of it is in <em>/<i> (how portals print captions), else ""."""
    text = text.strip()
    if not text or len(text) > _MAX_CAPTION:
        return ""
    emphasised = "".join(e.text_content() for e in el.iter("em", "i")).strip()
    return text if _squash(emphasised) == _squash(text) else ""


def _squash(text: str) -> str:
    return "".join(text.split())


def _image_block(img: HtmlElement) -> HtmlElement | None:
    """The block an image is printed in (past the links and inline tags wrapping it)."""
    block = img.getparent()
    while block is not None and block.tag in ("a", "span", "strong", "b", "center"):
        block = block.getparent()
    return block


def _image_caption(block: HtmlElement) -> list[str]:
    """Italic text printed with an image, in its own ``block`` or the block right after it."""
    text = block.text_content()
    found = [_emphasised_only(block, text)]
    if not text.strip():  # the image alone: the caption is a block below
        # Elements only: comments and processing instructions between blocks are no caption
        # (lxml refuses to search inside them). A file-name line may sit in between.
        for nxt in list(block.itersiblings(tag=etree.Element))[:2]:
            nxt_text = nxt.text_content()
            if len(nxt_text) > _MAX_CAPTION:
                break
            found.append(_emphasised_only(nxt, nxt_text))
    return [f for f in found if f]


def _is_layout(table: HtmlElement) -> bool:
    return table.find(".//p") is not None or table.find(".//div") is not None


def has_layout_tables(tree: HtmlElement) -> bool:
    """Does the page lay out blocks in a <table> (what unwrap_layout_tables changes)?"""
    return any(_is_layout(table) for table in tree.iter("table"))


def unwrap_layout_tables(tree: HtmlElement) -> None:
    """Turn layout tables (cells holding paragraphs, divs or other tables) into plain divs.

    Old portals lay the whole page out in one <table>; trafilatura then prints the article as
    a table row ("| title date body |"). Data tables (cells of short text) stay tables.
    """
    for table in list(tree.iter("table")):
        if not _is_layout(table):
            continue
        for el in table.iter("table", "tbody", "thead", "tfoot", "tr", "td", "th"):
            el.tag = "div"


def _in_running_text(el: HtmlElement) -> bool:
    """An inline element whose parent prints a sentence around it: a word of that sentence.

    Portals mark keyword links inside paragraphs with classes that read like junk blocks
    (PLO's ``<a class="cms-relate">tranh chấp</a>``); dropping one cuts words out of the story.
    A share or tag bar's links have no running text of their own around them.
    """
    parent = el.getparent()
    if el.tag not in _INLINE_TAGS or parent is None:
        return False
    own = (parent.text or "") + "".join(child.tail or "" for child in parent)
    return len(own.strip()) >= _RUNNING_TEXT_CHARS


# What ``tree.iter()`` yields that can be junk, in the same (document) order: elements with a
# class or id (the others have no hint), comments and processing instructions. One XPath
# instead of a Python loop over every element of the page.
_HINTED_OR_NOT_ELEMENT = etree.XPath(
    "descendant-or-self::*[@class or @id] | descendant-or-self::comment()"
    " | descendant-or-self::processing-instruction()"
)


def _candidates(tree: HtmlElement, body: HtmlElement | None) -> list[HtmlElement]:
    """Junk elements by tag or class/id hint; page-furniture hints only outside the body."""
    found = []
    for el in tree.iter(*JUNK_TAGS):
        found.append(el)
    for el in _HINTED_OR_NOT_ELEMENT(tree):
        if not isinstance(el.tag, str):
            found.append(el)  # comments and processing instructions
            continue
        body_junk, page_junk = _hinted(el.get("class"), el.get("id"))
        junk = body_junk or (page_junk and not _inside(el, body))
        if junk and not _in_running_text(el):  # the costlier test only where a hint matched
            found.append(el)
    return found


@lru_cache(maxsize=4096)
def _hinted(cls: str | None, ident: str | None) -> tuple[bool, bool]:
    """Do these class/id values hint at body junk, at page furniture? Pages repeat the same
    class on many elements, so each distinct pair is read once."""
    hint = hint_of({"class": cls, "id": ident})
    return bool(hint and BODY_HINT.search(hint)), bool(hint and PAGE_HINT.search(hint))


def _inside(el: HtmlElement, body: HtmlElement | None) -> bool:
    return body is not None and (el is body or any(a is body for a in el.iterancestors()))


def _remover(tree: HtmlElement, body: HtmlElement | None):
    """A function that drops an element unless it holds the body or most of the page's text."""
    protected = set(body.iterancestors()) | {body} if body is not None else set()
    # The page's text only where it is compared (no body known): it is the costliest read.
    page_chars = (len(tree.text_content()) or 1) if body is None else 0

    def remove(el: HtmlElement) -> None:
        if el in protected or el.getparent() is None:
            return
        if body is None and isinstance(el.tag, str) and len(el.text_content()) > 0.5 * page_chars:
            return
        el.drop_tree()

    return remove


def prune(
    tree: HtmlElement,
    body: HtmlElement | None,
    profile: Profile | None,
    exclude_selectors: tuple[str, ...] = (),
) -> None:
    """Remove junk from ``tree`` in place: tags, hinted blocks, teaser sections, selectors."""
    remove = _remover(tree, body)
    doomed = _candidates(tree, body)
    doomed.extend(_CAPTION_SEL(tree))
    if profile is not None:
        doomed.extend(profile.select("exclude", tree))
    for css in exclude_selectors:
        doomed.extend(selector(css)(tree))
    for el in doomed:
        remove(el)
    _remove_tail_sections(tree, body, remove)


def _tail_headings(tree: HtmlElement) -> list[HtmlElement]:
    """The elements of ``tree`` that are teaser/comment headings, in document order."""
    found = [el for el, text in _short_texts(tree) if key(text) in TAIL_HEADINGS]
    found.reverse()
    return found


def _short_texts(tree: HtmlElement):
    """(element, its text) for the elements of ``tree`` whose text, stripped, is 1 to
    ``_MAX_HEADING_CHARS`` characters, bottom-up (reversed document order).

    An element's text is built from its children's, as ``text_content`` would (text nodes only:
    a comment adds its tail, not its text), so each text is made once and the page-sized texts
    of the containers above the story never are: a child with more text than a heading makes
    its ancestors long too. A third cheaper than ``text_content`` on every element.
    """
    short: dict[HtmlElement, str] = {}
    for el in reversed([el for el in tree.iter() if isinstance(el.tag, str)]):
        parts = [el.text or ""]
        for child in el:
            if isinstance(child.tag, str):
                if child not in short:
                    break  # a long child: this element is long
                parts.append(short[child])
            parts.append(child.tail or "")
        else:
            text = "".join(parts)
            size = len(text.strip())
            if size <= _MAX_HEADING_CHARS:
                short[el] = text
                if size:
                    yield el, text


def _remove_tail_sections(tree: HtmlElement, body: HtmlElement | None, remove) -> None:
    """Drop "Tin liên quan"/"Đọc nhiều nhất"/"BÌNH LUẬN" headings and the lists after them.

    The heading climbs to the largest ancestor that is still only a label; then it goes with its
    following siblings, unless those hold the article (a category label above the body).
    """
    headings = _tail_headings(tree)
    for el in headings:
        if el.getparent() is None:
            continue
        block = el
        parent = block.getparent()
        while parent is not None and len(parent.text_content().strip()) <= _MAX_HEADING_CHARS:
            block, parent = parent, parent.getparent()
        followers = list(block.itersiblings())
        if not _holds_story(followers, body):
            for f in followers:
                remove(f)
        remove(block)


def _holds_story(followers: list[HtmlElement], body: HtmlElement | None) -> bool:
    """Do the blocks after a teaser/comment heading hold the article rather than a list?

    With a known body, that is a fact. Without one: prose with almost no links (a teaser list
    is headline links, about a third of its text; measured on the seed pages) is the story.
    """
    if body is not None:
        return any(f is body or body in f.iterdescendants() for f in followers)
    text = sum(len(f.text_content()) for f in followers)
    if text < _SMALL_SECTION:
        return False
    linked = sum(len(a.text_content()) for f in followers for a in f.iter("a"))
    return linked / text < _TEASER_LINK_SHARE

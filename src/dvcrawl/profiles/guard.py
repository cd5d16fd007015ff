"""CSS selectors that skip pages they cannot match, after one look at the page's class/id text.

lxml evaluates a CSS selector over the whole tree (~0.3 ms a portal page), and most family
selectors name a class or id the page does not have. ``.x``, ``#x`` and ``[class*='x']`` can
only match where some class or id value contains ``x``; one scan collecting those values per
tree answers that for every selector, so a selector that cannot match is never run. The
results are exactly lxml's (the test is a necessary condition, never a sufficient one).
"""

from __future__ import annotations

import re
import weakref
from dataclasses import dataclass

import cssselect
from lxml import etree
from lxml.cssselect import CSSSelector
from lxml.html import HtmlElement

from dvcrawl.headtags import HEAD_TAGS, tagged

_CLASSES = etree.XPath("descendant-or-self::*/@class", smart_strings=False)
_IDS = etree.XPath("descendant-or-self::*/@id", smart_strings=False)
# How XPath's normalize-space (what cssselect's class test uses) splits a class list.
_TOKEN = re.compile(r"[^ \t\n\r]+")
# What str.split also splits on in ASCII text besides those four: absent, split is findall.
_OTHER_ASCII_SPACE = ("\x0b", "\x0c", "\x1c", "\x1d", "\x1e", "\x1f")
# Attribute operators whose value must appear in the attribute as a substring.
_SUBSTRING_OPS = frozenset({"=", "~=", "^=", "$=", "*=", "|="})


@dataclass(frozen=True)
class _Page:
    """A tree's class and id values, casefolded: as tokens and as one text each."""

    classes: frozenset[str]
    ids: frozenset[str]
    class_text: str
    id_text: str
    raw_class_text: str  # as written, not casefolded

    def has(self, need: tuple[str, str]) -> bool:
        kind, value = need
        if kind == "class":
            return value in self.classes
        if kind == "id":
            return value in self.ids
        return value in (self.class_text if kind == "@class" else self.id_text)


# Per tree (the element a selector is run on); trees are only pruned after the first look,
# which removes values and so never makes a skipped selector match.
_PAGES: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def _needs(node) -> list[tuple[str, str]]:
    """What some class/id value must hold for ``node`` (one compound chain) to match: a class
    token, an id, or a substring of a class/id attribute. Node types not understood here
    require nothing (the selector always runs)."""
    if isinstance(node, cssselect.parser.Class):
        return [("class", node.class_name), *_needs(node.selector)]
    if isinstance(node, cssselect.parser.Hash):
        return [("id", node.id), *_needs(node.selector)]
    if isinstance(node, cssselect.parser.Attrib):
        value = getattr(node.value, "value", node.value)
        own = (
            [("@" + node.attrib, value)]
            if node.attrib in ("class", "id") and node.operator in _SUBSTRING_OPS and value
            else []
        )
        return own + _needs(node.selector)
    if isinstance(node, cssselect.parser.CombinedSelector):
        return _needs(node.selector) + _needs(node.subselector)
    if isinstance(
        node,
        (cssselect.parser.Negation, cssselect.parser.Pseudo, cssselect.parser.Function),
    ):
        return _needs(node.selector)  # what is inside :not() is not needed, the base is
    return []


class _OnePass:
    """A group of tag names and ``[class*='x']`` as XPath: per page, the tag names and only the
    ``x`` that some class value of the page holds (as written: ``x`` is matched case
    sensitively, so its absence from the page's class text is enough to leave it out)."""

    def __init__(self, tags: list[str], values: list[str]) -> None:
        self._tags = [f"descendant-or-self::{tag}" for tag in tags]
        self._values = tuple(values)
        self._paths: dict[tuple[str, ...], etree.XPath | None] = {}

    def _path(self, values: tuple[str, ...]) -> etree.XPath | None:
        """The XPath for the tag names and these ``x`` (compiled once per subset)."""
        if values not in self._paths:
            parts = [f"contains(., {cssselect.GenericTranslator.xpath_literal(v)})" for v in values]
            paths = self._tags + (
                [f"descendant-or-self::*/@class[{' or '.join(parts)}]/.."] if parts else []
            )
            self._paths[values] = etree.XPath(" | ".join(paths)) if paths else None
        return self._paths[values]

    def __call__(self, tree: HtmlElement) -> list[HtmlElement]:
        class_text = _page(tree).raw_class_text
        path = self._path(tuple(v for v in self._values if v in class_text))
        return path(tree) if path is not None else []


def _one_pass(css: str) -> _OnePass | None:
    """The same selection as a faster XPath, for a group of tag names and ``[class*='x']``.

    cssselect tests each ``[class*='x']`` on every element of the page; reading the class
    attributes alone (and going to their elements) is twice as fast, and a union is in
    document order without duplicates, as the selector's result is. Each ``x`` is one more
    string test per class value (the most of the walk's time): a page whose class values hold
    none of them gets the tag names' walk only, one that holds some gets only those.
    """
    tags, values = [], []
    for sel in cssselect.parse(css):
        node = sel.parsed_tree
        if sel.pseudo_element is not None:
            return None
        if isinstance(node, cssselect.parser.Element) and node.element:
            tags.append(node.element)
        elif (
            isinstance(node, cssselect.parser.Attrib)
            and node.attrib == "class"
            and node.operator == "*="
            and node.namespace is None
            and isinstance(node.selector, cssselect.parser.Element)
            and node.selector.element is None
            and getattr(node.value, "value", node.value)
        ):
            values.append(getattr(node.value, "value", node.value))
        else:
            return None
    if not re.fullmatch(r"[A-Za-z][A-Za-z0-9-]*( [A-Za-z][A-Za-z0-9-]*)*", " ".join(tags) or "a"):
        return None
    return _OnePass(tags, values)


# Attribute tests answered in Python as cssselect's XPath answers them, from the attribute's
# value (None when absent) and the selector's value: "*=" and "^=" with an empty value never match.
_ATTR_TESTS = {
    "exists": lambda got, want: got is not None,
    "=": lambda got, want: got == want,
    "*=": lambda got, want: got is not None and bool(want) and want in got,
    "^=": lambda got, want: got is not None and bool(want) and got.startswith(want),
}


def _head_form(css: str) -> tuple[str, list[list[tuple[str, str, str]]]] | None:
    """(tag, branches of (attribute, operator, value)) for a selector made only of one head tag
    with attribute tests (``link[href*='/wp-content/']``, ``meta[name='x'][content^='y']``),
    which the page's head-tag index (dvcrawl.headtags) answers without a walk; else None."""
    tag, branches = None, []
    for sel in cssselect.parse(css):
        node, tests = sel.parsed_tree, []
        while isinstance(node, cssselect.parser.Attrib):
            if node.namespace is not None or node.operator not in _ATTR_TESTS:
                return None
            tests.append((node.attrib, node.operator, getattr(node.value, "value", node.value)))
            node = node.selector
        if (
            sel.pseudo_element is not None
            or not isinstance(node, cssselect.parser.Element)
            or node.namespace is not None
            or node.element not in HEAD_TAGS
            or tag not in (None, node.element)
        ):
            return None
        tag = node.element
        branches.append(tests)
    return (tag, branches) if tag else None


class GuardedSelector:
    """A compiled CSS selector run only on trees whose class/id text could let it match."""

    def __init__(self, css: str) -> None:
        self.css = css
        self._selector = CSSSelector(css)
        self._selector = _one_pass(css) or self._selector
        branches = [
            [(kind, value.casefold()) for kind, value in _needs(sel.parsed_tree)]
            for sel in cssselect.parse(css)
        ]
        # None: some branch needs nothing, so the selector must always run.
        self._needs = None if any(not b for b in branches) else branches
        self._head = _head_form(css)

    def __call__(self, tree: HtmlElement) -> list[HtmlElement]:
        if self._needs is not None:
            page = _page(tree)
            if not any(all(map(page.has, branch)) for branch in self._needs):
                return []
        return self._selector(tree)

    def found_in_page(self, page: HtmlElement) -> bool:
        """Does the selector match anything in ``page``, a page as parsed (never pruned: head
        tags are read from its index)? Family markers are asked this of every page."""
        if self._head is None:
            return bool(self(page))
        tag, branches = self._head
        return any(
            all(_ATTR_TESTS[op](el.get(attr), value) for attr, op, value in tests)
            for el in tagged(page, tag)
            for tests in branches
        )


def _page(tree: HtmlElement) -> _Page:
    page = _PAGES.get(tree)
    if page is None:
        # A line break splits tokens as a space does; casefold has no context (unlike lower's
        # final sigma), so the joined text is folded at once.
        raw_class_text = "\n".join(_CLASSES(tree))
        class_text = raw_class_text.casefold()
        ids = [i.casefold() for i in _IDS(tree)]
        page = _Page(
            frozenset(_tokens(class_text)),
            frozenset(ids),
            class_text,
            "\n".join(ids),
            raw_class_text,
        )
        _PAGES[tree] = page
    return page


def _tokens(class_text: str) -> list[str]:
    """``_TOKEN.findall(class_text)``; by str.split (twice as fast) when that splits the same."""
    if class_text.isascii() and not any(c in class_text for c in _OTHER_ASCII_SPACE):
        return class_text.split()
    return _TOKEN.findall(class_text)

"""The page's metadata-bearing tags (meta, link, title, time, script, h1), gathered in one walk.

The title, date, canonical-URL and site-name rules each looked for a few of these tags with a
CSS selector, and every selector is a walk over the whole tree (~0.2 ms on a real page; a dozen
per page). One ``tree.iter`` per tree serves them all, with the same elements in the same
(document) order as the selectors found them.
"""

from __future__ import annotations

import weakref

from lxml.html import HtmlElement

HEAD_TAGS = ("meta", "link", "title", "time", "script", "h1")

# Per tree (the element the rules are run on). Only the original page is indexed, never a
# pruned copy, so the lists stay true for the tree's lifetime.
_INDEX: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def tagged(tree: HtmlElement, tag: str) -> tuple[HtmlElement, ...]:
    """The ``tag`` elements of ``tree`` (itself included) in document order; ``tag`` is one of
    meta, link, title, time, script, h1."""
    index = _INDEX.get(tree)
    if index is None:
        found: dict[str, list[HtmlElement]] = {name: [] for name in HEAD_TAGS}
        for el in tree.iter(*HEAD_TAGS):
            found[el.tag].append(el)
        index = _INDEX[tree] = {name: tuple(els) for name, els in found.items()}
    return index[tag]


def matching(tree: HtmlElement, tag: str, *tests: tuple[str, str]) -> list[HtmlElement]:
    """What the CSS ``tag[a1='v1'], tag[a2='v2']`` selects for tests (a1, v1), (a2, v2):
    exact, case-sensitive values, document order."""
    if len(tests) == 1:  # the common case, without a generator per element
        ((attr, value),) = tests
        return [el for el in tagged(tree, tag) if el.get(attr) == value]
    return [el for el in tagged(tree, tag) if any(el.get(a) == v for a, v in tests)]


def meta_content(tree: HtmlElement, *tests: tuple[str, str]) -> str:
    """The content of the first ``meta`` that ``matching`` finds, "" when none."""
    found = matching(tree, "meta", *tests)
    return (found[0].get("content") or "") if found else ""


def first_text(tree: HtmlElement, tag: str) -> str:
    """The text of the first ``tag`` element, as ``tree.findtext('.//tag') or ''`` gives it."""
    found = next((el for el in tagged(tree, tag) if el is not tree), None)
    return (found.text or "") if found is not None else ""

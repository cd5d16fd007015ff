"""The author the markup marks: an element whose class is "author", or whose data-role,
itemprop or rel is "author". Some portals print the byline apart from the story, above it
(Báo Đầu tư's ``<a class="author">``, Người Lao động's ``<p data-role="author">``), where
neither the end-of-story byline nor trafilatura (which names the site there) finds it.

Only a page that marks one name is believed: teaser cards of other stories mark their own
authors, and several different names mean the marks are not about this story.
"""

from __future__ import annotations

import re

from lxml import etree
from lxml.html import HtmlElement

from dvcrawl.extract.people import names_publisher, reads_like_name, strip_label

# Elements that may be marks (attributes looked at first: the cheap test); a class holding
# "author" is checked word by word after.
_MAYBE = etree.XPath(
    "//body//*[@class or @data-role or @itemprop or @rel][contains(@class, 'author')"
    " or @data-role='author' or @itemprop='author' or @rel='author']"
)
# A byline names a person or two: a few words, no digits (dates and counts sit beside it).
_MAX_WORDS = 6
_DIGIT = re.compile(r"\d")
# "author" inside a class value, or as a data-role/itemprop/rel value: a mark may be there.
_IN_ATTR = re.compile(r"""(?:class=["']?[^"'<>]*|(?:data-role|itemprop|rel)=["']?)$""")
# How far before "author" its attribute's name may stand.
_ATTR_REACH = 120
# Blocks inside a mark make it an author box (name, bio, "all articles" link), not a byline.
_BLOCKS = "descendant::*[self::div or self::p or self::li or self::h2 or self::h3 or self::h4]"


def marked_author(tree: HtmlElement, site: str, host: str, markup: str = "") -> str | None:
    """The one name the page's author marks print, else None. Marks that name the site
    (``site`` is og:site_name, ``host`` the host's words) are no person's and are passed over.
    ``markup``, the page's source when known, spares the walk over pages without a mark."""
    if markup and not _may_mark(markup):
        return None
    names = set()
    for el in _MAYBE(tree):
        if "author" not in (el.get("class") or "").split() and "author" not in (
            el.get("data-role"),
            el.get("itemprop"),
            el.get("rel"),
        ):
            continue
        text = strip_label(" ".join(el.text_content().split()))
        if not text or names_publisher(text, site, host):
            continue
        if (
            len(text.split()) > _MAX_WORDS
            or _DIGIT.search(text)
            or not reads_like_name(text)
            or el.xpath(_BLOCKS)
        ):
            return None  # a mark around more than a name: not a byline mark
        names.add(text)
    return names.pop() if len(names) == 1 else None


def _may_mark(markup: str) -> bool:
    """Does "author" stand in an attribute value of the page's body? (A string search: most
    pages have no mark, and walking their tree costs a millisecond.)"""
    pos = markup.find("author", max(markup.find("<body"), 0))
    while pos >= 0:
        if _IN_ATTR.search(markup, max(0, pos - _ATTR_REACH), pos):
            return True
        pos = markup.find("author", pos + 1)
    return False

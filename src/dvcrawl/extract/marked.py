"""The author the markup marks: an element whose class is "author", or whose data-role,
itemprop or rel is "author". Some portals print the byline apart from the story, above it
(Báo Đầu tư's ``<a class="author">``, Người Lao động's ``<p data-role="author">``), where
neither the end-of-story byline nor trafilatura (which names the site there) finds it.

Only a page that marks one name is believed: teaser cards of other stories mark their own
authors, and several different names mean the marks are not about this story.
"""

from __future__ import annotations

import re

from lxml.html import HtmlElement

from dvcrawl.extract.people import names_publisher, reads_like_name, strip_label

_MARKED = (
    "//body//*[@data-role='author' or @itemprop='author' or @rel='author'"
    " or contains(concat(' ', normalize-space(@class), ' '), ' author ')]"
)
# A byline names a person or two: a few words, no digits (dates and counts sit beside it).
_MAX_WORDS = 6
_DIGIT = re.compile(r"\d")
# Blocks inside a mark make it an author box (name, bio, "all articles" link), not a byline.
_BLOCKS = "descendant::*[self::div or self::p or self::li or self::h2 or self::h3 or self::h4]"


def marked_author(tree: HtmlElement, site: str, host: str) -> str | None:
    """The one name the page's author marks print, else None. Marks that name the site
    (``site`` is og:site_name, ``host`` the host's words) are no person's and are passed over."""
    names = set()
    for el in tree.xpath(_MARKED):
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

"""The page's links by their text: headlines of other stories, and which of them stay on the
publisher's own site (a story's "read this too" line) rather than leading elsewhere (a product,
a source, a reference the story cites)."""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urljoin, urlsplit

from lxml.cssselect import CSSSelector
from lxml.html import HtmlElement

from dvcrawl.extract.text import key

_ANCHORS = CSSSelector("a")
# Link texts shorter than this are menu words, not teaser headlines.
_TEASER_CHARS = 20
# Second-level labels under a country code that are not the publisher's own name (co.uk,
# com.br, or.jp): the publisher is one label further left.
_GENERIC_SLD = 3


def link_targets(tree: HtmlElement) -> dict[str, list[str]]:
    """key(link text) -> the hrefs it points to, for link texts long enough to be headlines."""
    targets: dict[str, list[str]] = {}
    for a in _ANCHORS(tree):
        text = a.text_content()
        if len(text.strip()) >= _TEASER_CHARS:
            targets.setdefault(key(text), []).append(a.get("href") or "")
    return targets


def _publisher(url: str) -> str:
    """The publisher part of the host: ``video.foxbusiness.com`` -> ``foxbusiness.com``,
    ``www.express.co.uk`` -> ``express.co.uk``."""
    labels = (urlsplit(url).hostname or "").split(".")
    keep = 3 if len(labels) >= 3 and len(labels[-1]) == 2 and len(labels[-2]) <= _GENERIC_SLD else 2
    return ".".join(labels[-keep:])


def own_story(targets: dict[str, list[str]], url: str) -> Callable[[str], bool]:
    """Whether a link text (a key of ``targets``) leads, by every link bearing it, to another
    page of the publisher of ``url``. Asked only about the texts the body's lines name:
    resolving every link of a page would cost more than the rules that ask."""
    here, page = _publisher(url), url.split("#")[0]

    def own(href: str) -> bool:
        try:
            target = urljoin(url, href.strip())
        except ValueError:  # a malformed href (bad IPv6 literal) is nobody's page
            return False
        return target.split("#")[0] != page and _publisher(target) == here

    return lambda text_key: bool(here) and all(own(h) for h in targets.get(text_key, ()))

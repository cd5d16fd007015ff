"""The page's links by their text: headlines of other stories, and which of them stay on the
publisher's own site (a story's "read this too" line) rather than leading elsewhere (a product,
a source, a reference the story cites)."""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urljoin, urlsplit

from lxml.html import HtmlElement

from dvcrawl.extract.text import key, text_content

# Link texts shorter than this are menu words, not teaser headlines.
HEADLINE_CHARS = 20
# Second-level labels under a country code that are not the publisher's own name (co.uk,
# com.br, or.jp): the publisher is one label further left.
_GENERIC_SLD = 3


def link_keys(tree: HtmlElement) -> dict[HtmlElement, str]:
    """The links whose text is long enough to be a headline of another story, with its key:
    every link text of a page is built once, here."""
    keys = {}
    for a in tree.iter("a"):  # what CSSSelector("a") selects, without its XPath
        text = text_content(a)
        if len(text.strip()) >= HEADLINE_CHARS:
            keys[a] = key(text)
    return keys


def link_targets(page_links: dict[HtmlElement, str]) -> dict[str, list[str]]:
    """key(link text) -> the hrefs it points to, from ``link_keys(page)``."""
    targets: dict[str, list[str]] = {}
    for a, text_key in page_links.items():
        targets.setdefault(text_key, []).append(a.get("href") or "")
    return targets


def teaser_keys(
    scope: HtmlElement, page: HtmlElement, page_links: dict[HtmlElement, str]
) -> set[str]:
    """Keys of the headline links in ``scope``; ``page_links`` is ``link_keys(page)``, read
    again only when ``scope`` is not part of ``page`` (a pruned copy)."""
    if scope is page:
        return set(page_links.values())
    if scope.getroottree().getroot() is not page.getroottree().getroot():
        return set(link_keys(scope).values())
    return {page_links[a] for a in scope.iter("a") if a in page_links}


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

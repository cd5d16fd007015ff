"""RSS 2.0 and Atom 1.0 documents from a FeedSpec, through feedgen.

feedgen prepends entries by default; rows arrive newest first, so every entry is appended.
"""

from __future__ import annotations

import html
from datetime import datetime

from feedgen.ext.base import BaseExtension
from feedgen.feed import FeedGenerator

from dvcrawl.feeds.entries import Entry, FeedSpec

ATOM_NS = "http://www.w3.org/2005/Atom"
GENERATOR = "dvcrawl"


class _HubExtension(BaseExtension):
    """Adds ``<atom:link rel="hub">`` to an RSS channel (feedgen writes only rel=self there)."""

    hub: str | None = None

    def extend_ns(self) -> dict[str, str]:
        return {"atom": ATOM_NS}

    def extend_rss(self, feed):
        if self.hub:
            channel = feed.find("channel")
            link = channel.makeelement(f"{{{ATOM_NS}}}link", {"rel": "hub", "href": self.hub})
            channel.insert(3, link)  # after title, link, description
        return feed


def _generator(
    spec: FeedSpec, self_url: str, hub: str | None, ttl: int, built: datetime
) -> FeedGenerator:
    fg = FeedGenerator()
    fg.load_extension("dc", atom=False, rss=True)
    fg.register_extension("websub", _HubExtension, None, atom=False, rss=True)
    fg.websub.hub = hub
    fg.id(self_url)
    fg.title(spec.title)
    fg.subtitle(spec.description)  # also the RSS description
    fg.link(href=self_url, rel="self")
    if hub:
        fg.link(href=hub, rel="hub")
    fg.link(href=spec.home, rel="alternate")  # last: feedgen takes RSS <link> from the last one
    fg.language("vi")
    fg.generator(GENERATOR)
    fg.ttl(ttl)
    fg.updated(built)  # atom:updated and rss:lastBuildDate
    for entry in spec.entries:
        _add_entry(fg, entry)
    return fg


def _add_entry(fg: FeedGenerator, entry: Entry) -> None:
    fe = fg.add_entry(order="append")
    fe.id(entry.guid)
    fe.guid(entry.guid, permalink=True)
    fe.title(entry.title)
    fe.link(href=entry.link, rel="alternate")
    fe.published(entry.date)
    fe.updated(entry.updated or entry.date)  # distinct within the feed (distinct_updated)
    fe.author(name=entry.author_name)  # Atom: every entry needs one (RFC 4287 §4.1.1)
    fe.dc.dc_creator(entry.author_name)  # RSS <author> must be an e-mail address
    if entry.summary:
        # RSS readers render <description> as HTML, so the plain-text lead goes in escaped, and
        # Atom is told so (type="html"): a scraped "<b>" shows as text in both, never as markup.
        fe.summary(html.escape(entry.summary, quote=False), type="html")
    # type="html": escaped in Atom's <content type="html"> and in RSS <content:encoded>
    # (not CDATA, which a "]]>" in the text would break).
    fe.content(entry.content_html or "<p></p>", type="html")
    for category in entry.categories:
        fe.category(term=category)


def rss_bytes(spec: FeedSpec, self_url: str, hub: str | None, ttl: int, built: datetime) -> bytes:
    """The RSS 2.0 document of ``spec`` (UTF-8 bytes)."""
    return _generator(spec, self_url, hub, ttl, built).rss_str(pretty=True, encoding="UTF-8")


def atom_bytes(spec: FeedSpec, self_url: str, hub: str | None, ttl: int, built: datetime) -> bytes:
    """The Atom 1.0 document of ``spec`` (UTF-8 bytes)."""
    return _generator(spec, self_url, hub, ttl, built).atom_str(pretty=True, encoding="UTF-8")

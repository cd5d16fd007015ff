"""JSON Feed 1.1 (https://www.jsonfeed.org/version/1.1/) from a FeedSpec.

No build timestamp goes in (the format has none), so an unchanged feed is byte-identical.
"""

from __future__ import annotations

import json

from dvcrawl.feeds.entries import Entry, FeedSpec

VERSION = "https://jsonfeed.org/version/1.1"


def _item(entry: Entry) -> dict:
    item = {
        "id": entry.guid,
        "url": entry.link,
        "title": entry.title,
        "content_html": entry.content_html,
        "summary": entry.summary,
        "date_published": entry.date.isoformat(),  # RFC 3339, with the +07:00 offset
        "date_modified": (entry.updated or entry.date).isoformat(),
        "authors": [{"name": entry.author_name}],
        "tags": list(entry.categories),
        "language": "vi",
    }
    return item


def json_bytes(spec: FeedSpec, self_url: str, hub: str | None) -> bytes:
    """The JSON Feed document of ``spec`` (UTF-8 bytes, readable Vietnamese, no ASCII escapes)."""
    doc: dict = {
        "version": VERSION,
        "title": spec.title,
        "description": spec.description,
        "home_page_url": spec.home,
        "feed_url": self_url,
        "language": "vi",
    }
    if hub:
        doc["hubs"] = [{"type": "WebSub", "url": hub}]
    doc["items"] = [_item(e) for e in spec.entries]
    return (json.dumps(doc, ensure_ascii=False, indent=1) + "\n").encode("utf-8")

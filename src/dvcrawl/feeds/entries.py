"""What a feed holds, independent of format: channel fields and ready-to-print entries.

Every string here is already XML-safe and every HTML fragment sanitised, so the RSS, Atom and
JSON writers only arrange fields.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, timezone

from dvcrawl.feeds import safe
from dvcrawl.feeds.query import FeedArticle, SourceInfo

# Vietnam's offset (no daylight saving): entry dates are shown as the portals print them.
VN_TZ = timezone(timedelta(hours=7), "ICT")


def vn_time(naive_utc: datetime) -> datetime:
    """A stored naive-UTC timestamp as an aware +07:00 datetime."""
    return naive_utc.replace(tzinfo=UTC).astimezone(VN_TZ)


@dataclass(frozen=True)
class Entry:
    """One item as every format prints it."""

    guid: str  # the canonical URL: never changes between builds
    link: str
    title: str
    date: datetime  # aware, +07:00
    author: str | None
    summary: str
    content_html: str
    category: str  # the source portal's name


@dataclass
class FeedSpec:
    """One logical feed (written as .rss, .atom and .json)."""

    name: str  # file stem: "all", "source-hatinh", "province-ha-tinh"
    kind: str  # all | source | province
    title: str
    description: str
    home: str  # the web page the feed is about
    entries: list[Entry] = field(default_factory=list)


def make_entry(
    article: FeedArticle, sources: dict[str, SourceInfo], copies: list[tuple[str, str]]
) -> Entry:
    """The printable entry of ``article``; ``copies`` are (url, source id) of syndicated copies."""
    url = safe.xml_text(article.url)
    also = [(copy_url, _source_name(sources, sid)) for copy_url, sid in copies]
    return Entry(
        guid=url,
        link=url,
        title=safe.title_text(article.title, safe.lead(article.text)),
        date=vn_time(article.when),
        author=safe.one_line(article.author) or None,
        summary=safe.lead(article.text),
        content_html=safe.body_html(article.text, also),
        category=safe.one_line(_source_name(sources, article.source_id)),
    )


def _source_name(sources: dict[str, SourceInfo], source_id: str) -> str:
    info = sources.get(source_id)
    return info.name if info else source_id


def build_time(entries: list[Entry], now: datetime) -> datetime:
    """The channel's lastBuildDate/updated: ``now`` in +07:00, never older than an entry."""
    stamp = now.astimezone(VN_TZ).replace(microsecond=0)
    newest = max((e.date for e in entries), default=stamp)
    return max(stamp, newest)

"""What a feed holds, independent of format: channel fields and ready-to-print entries.

Every string here is already XML-safe and every HTML fragment sanitised, so the RSS, Atom and
JSON writers only arrange fields.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta

from dvcrawl.constants import VN_TZ
from dvcrawl.feeds import safe
from dvcrawl.feeds.query import FeedArticle, SourceInfo

ONE_SECOND = timedelta(seconds=1)


def vn_time(naive_utc: datetime) -> datetime:
    """A stored naive-UTC timestamp as an aware +07:00 datetime."""
    return naive_utc.replace(tzinfo=UTC).astimezone(VN_TZ)


@dataclass(frozen=True)
class Entry:
    """One item as every format prints it."""

    guid: str  # the canonical URL: never changes between builds
    link: str
    title: str
    date: datetime  # aware, +07:00: publication, or fetch time when that date is doubtful
    author: str | None  # the byline as printed, when the page has one
    publisher: str  # the source portal's name: the Atom author when there is no byline
    summary: str
    content_html: str
    categories: tuple[str, ...]  # source, province (current, then old), topics
    updated: datetime | None = None  # set per feed by distinct_updated

    @property
    def author_name(self) -> str:
        """Who Atom names as author: RFC 4287 wants one per entry, and bylines are often absent."""
        return self.author or self.publisher


@dataclass
class FeedSpec:
    """One logical feed (written as .rss, .atom and .json)."""

    name: str  # file stem: "all", "source-hatinh", "province-ha-tinh", "topic-dan-van-kheo"
    kind: str  # all | source | province | topic
    title: str
    description: str
    home: str  # the web page the feed is about
    entries: list[Entry] = field(default_factory=list)


def make_entry(
    article: FeedArticle,
    source: SourceInfo | None,
    copies: list[tuple[str, str]],
    categories: tuple[str, ...],
) -> Entry:
    """The printable entry of ``article``; ``copies`` are (url, portal name) of syndicated copies.

    ``categories`` follow the source's name: its province and the article's topics.
    """
    url = safe.xml_text(article.url)
    publisher = safe.one_line(source.name if source else article.source_id)
    return Entry(
        guid=url,
        link=url,
        title=safe.title_text(article.title, safe.lead(article.text)),
        date=vn_time(article.when),
        author=safe.one_line(article.author) or None,
        publisher=publisher,
        summary=safe.lead(article.text),
        content_html=safe.body_html(article.text, copies),
        categories=tuple(dict.fromkeys(c for c in (publisher, *categories) if c)),
    )


def distinct_updated(entries: list[Entry]) -> list[Entry]:
    """Entries with ``updated`` set to their date, made distinct within the feed.

    The W3C validator warns of two entries with the same atom:updated (readers use it to tell
    changed entries apart), and portals often stamp several articles with the same minute: a
    later duplicate moves one second forward until free, never before its publication.
    """
    taken: set[datetime] = set()
    result = []
    for entry in entries:
        moment = entry.date
        while moment in taken:
            moment += ONE_SECOND
        taken.add(moment)
        result.append(replace(entry, updated=moment))
    return result


def build_time(now: datetime) -> datetime:
    """The channel's lastBuildDate/updated: ``now`` in +07:00, never a (doubtful) future date."""
    return now.astimezone(VN_TZ).replace(microsecond=0)

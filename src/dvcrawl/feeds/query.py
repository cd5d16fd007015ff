"""The database side of feeds: which articles may appear, newest first, by indexed queries only.

Cost must not grow with the table (issue 5: same time for 1,000 or 1,000,000 articles), so every
query walks an index backwards and stops after N rows: one query per source on
ix_articles_feed_source, and the site-wide and per-province feeds are merged from those lists
(the newest N overall are always among the newest N of each source). Topic feeds need more: a
rare topic's articles may lie below a busy source's newest N, so ``newest_in_topics`` walks each
source deeper on light columns (id, dates, labels), down to TOPIC_DEPTH × N rows at most, which
keeps the cost bounded however large the table grows.
"""

from __future__ import annotations

import heapq
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, Index, and_, func, select, text
from sqlalchemy.orm import Session

from dvcrawl.datesanity import is_doubtful, sort_time
from dvcrawl.feeds import safe
from dvcrawl.feeds.options import MODES
from dvcrawl.storage.models import Article, Source
from dvcrawl.topics import Topic

# The feed query's index (migration 0005_feeds), declared here so the metadata knows it: source
# and "not a duplicate" fixed, then rows in date order, so a query stops after N rows.
FEED_INDEX = Index(
    "ix_articles_feed_source",
    Article.source_id,
    Article.duplicate_of_id,
    Article.published_at,
    Article.fetched_at,
)
# Distinct source ids by a "loose index scan" on ix_articles_source_id: one index probe per
# source instead of reading every row (SELECT DISTINCT scans the whole index).
_DISTINCT_SOURCES = text(
    "WITH RECURSIVE s(id) AS ("
    " SELECT MIN(source_id) FROM articles"
    " UNION ALL"
    " SELECT (SELECT MIN(a.source_id) FROM articles a WHERE a.source_id > s.id)"
    " FROM s WHERE s.id IS NOT NULL"
    ") SELECT id FROM s WHERE id IS NOT NULL"
)
# How deep (in multiples of the feed limit) a source is walked to fill its topic feeds.
TOPIC_DEPTH = 8
# SQLite allows 32,766 bound parameters, older builds 999: stay well under for IN (...) lists.
_IN_CHUNK = 900


@dataclass(frozen=True)
class SourceInfo:
    """A portal as the feeds name it."""

    id: str
    name: str
    province: str | None = None
    home: str | None = None  # the portal's first start URL, the source feed's home page


@dataclass(frozen=True)
class FeedArticle:
    """The fields an entry needs, detached from the session."""

    id: int
    url: str
    source_id: str
    title: str
    text: str
    author: str | None
    published_at: datetime | None  # naive UTC
    fetched_at: datetime  # naive UTC; the entry date when the page gave none
    terms: tuple[str, ...] = ()  # relevance labels the scorer matched: the article's topics

    @property
    def when(self) -> datetime:
        """The date a reader sorts by: publication if trusted, else first sight (datesanity)."""
        return sort_time(self.published_at, self.fetched_at)

    @property
    def trusted(self) -> bool:
        """False for a date too far past the fetch time: it is ordered by fetch time instead."""
        return not is_doubtful(self.published_at, self.fetched_at)

    @property
    def order_key(self) -> tuple[datetime, datetime, int]:
        """Newest first, ties in a fixed order (the same order the queries read the index)."""
        return (self.when, self.fetched_at, self.id)


_COLUMNS = (
    Article.id,
    Article.url,
    Article.source_id,
    Article.title,
    Article.text,
    Article.author,
    Article.published_at,
    Article.fetched_at,
    Article.relevance_terms,
)


# What a topic walk reads of each row: enough to order it and to match it to topics.
_LIGHT = (Article.id, Article.published_at, Article.fetched_at, Article.relevance_terms)


def _labels(terms: object) -> tuple[str, ...]:
    return (
        tuple(t for t in terms or () if isinstance(t, str))
        if isinstance(terms, (list, tuple))
        else ()
    )


def _article(row) -> FeedArticle:
    *fields, terms = row
    return FeedArticle(*fields, terms=_labels(terms))


def _light(row) -> FeedArticle:
    """A stand-in with only what ordering and topic matching need (see newest_in_topics)."""
    article_id, published_at, fetched_at, terms = row
    return FeedArticle(article_id, "", "", "", "", None, published_at, fetched_at, _labels(terms))


def eligible(mode: str) -> ColumnElement[bool]:
    """Relevant (staff override first), not a duplicate, and not rejected / only approved."""
    if mode not in MODES:
        raise ValueError(f"publish mode must be one of {', '.join(MODES)}, not {mode!r}")
    relevant = func.coalesce(Article.relevance_override, Article.relevant).is_(True)
    status = Article.status == "approved" if mode == "approved" else Article.status != "rejected"
    return and_(relevant, Article.duplicate_of_id.is_(None), status)


def list_sources(session: Session) -> list[SourceInfo]:
    """Every known source: rows of the sources table plus any id that only articles name."""
    known = {
        row.id: SourceInfo(row.id, row.name or row.id, row.province or None, _home(row.start_urls))
        for row in session.scalars(select(Source))
    }
    for (source_id,) in session.execute(_DISTINCT_SOURCES):
        known.setdefault(source_id, SourceInfo(source_id, source_id))
    return sorted(known.values(), key=lambda s: s.id)


def _home(start_urls: object) -> str | None:
    """The portal's first start URL (XML-safe), the home page of its feed."""
    if isinstance(start_urls, list) and start_urls and isinstance(start_urls[0], str):
        return safe.xml_text(start_urls[0]).strip() or None
    return None


def newest_for_source(session: Session, source_id: str, mode: str, limit: int) -> list[FeedArticle]:
    """The newest ``limit`` eligible articles of one source, newest first.

    Two walks down ix_articles_feed_source: dated rows by published_at, and the rare undated
    ones (their date is when they were fetched); then merged. The dated walk goes on past rows
    with a doubtful future date until it has ``limit`` trusted ones: a doubtful row sorts by
    its fetch time, earlier than its date, so any that can make the feed lie above that point.
    """
    rows = _walk(session, False, source_id, mode, limit, [lambda _: True], depth=None)
    return merge_newest([rows], limit)


def newest_in_topics(
    session: Session, source_id: str, mode: str, limit: int, topics: Sequence[Topic]
) -> dict[str, list[FeedArticle]]:
    """Per topic slug, the newest ``limit`` eligible articles of one source in that topic.

    The walk reads ids, dates and labels only, goes as deep as the rarest topic needs (at most
    TOPIC_DEPTH × ``limit`` rows), then loads the chosen articles whole in one IN (...) query.
    """
    keeps = [lambda row, t=t: t.matches(row.terms) for t in topics]
    light = _walk(session, True, source_id, mode, limit, keeps, depth=TOPIC_DEPTH * limit)
    chosen = {
        t.slug: merge_newest([[r for r in light if t.matches(r.terms)]], limit) for t in topics
    }
    whole = _load(session, {r.id for rows in chosen.values() for r in rows})
    return {slug: [whole[r.id] for r in rows if r.id in whole] for slug, rows in chosen.items()}


def _walk(
    session: Session,
    light: bool,
    source_id: str,
    mode: str,
    limit: int,
    keeps: Sequence[Callable[[FeedArticle], bool]],
    depth: int | None,
) -> list[FeedArticle]:
    """Dated and undated rows of a source, newest first per kind, read in growing batches until
    each of ``keeps`` has ``limit`` trusted rows of each kind, the rows end, or ``depth``.
    ``light``: read only what ordering and topic matching need (_LIGHT)."""
    columns, build = (_LIGHT, _light) if light else (_COLUMNS, _article)
    base = select(*columns).where(Article.source_id == source_id, eligible(mode))
    dated = base.where(Article.published_at.is_not(None)).order_by(
        Article.published_at.desc(), Article.fetched_at.desc(), Article.id.desc()
    )
    undated = base.where(Article.published_at.is_(None)).order_by(
        Article.fetched_at.desc(), Article.id.desc()
    )
    walks = []
    for query in (dated, undated):
        size = limit  # a LIMIT keeps the planner on the index; most walks end in one pass
        while True:
            rows = [build(row) for row in session.execute(query.limit(size))]
            filled = all(sum(a.trusted and keep(a) for a in rows) >= limit for keep in keeps)
            if filled or len(rows) < size or (depth is not None and size >= depth):
                break
            size = size * 4 if depth is None else min(size * 4, depth)
        walks.append(rows)
    return [*walks[0], *walks[1]]


def _load(session: Session, ids: set[int]) -> dict[int, FeedArticle]:
    """Whole feed articles by id, a few IN (...) queries."""
    wanted, found = sorted(ids), {}
    for start in range(0, len(wanted), _IN_CHUNK):
        query = select(*_COLUMNS).where(Article.id.in_(wanted[start : start + _IN_CHUNK]))
        found.update((a.id, a) for a in map(_article, session.execute(query)))
    return found


def merge_newest(lists: Iterable[Sequence[FeedArticle]], limit: int) -> list[FeedArticle]:
    """The ``limit`` newest of several lists, newest first, ties broken by id (deterministic)."""
    return heapq.nlargest(limit, (a for lst in lists for a in lst), key=lambda a: a.order_key)


def also_published(session: Session, ids: Iterable[int]) -> dict[int, list[tuple[str, str]]]:
    """Original id → [(url, source id)] of its syndicated copies, in a few IN (...) queries."""
    wanted = sorted(set(ids))
    copies: dict[int, list[tuple[str, str]]] = {}
    for start in range(0, len(wanted), _IN_CHUNK):
        chunk = wanted[start : start + _IN_CHUNK]
        query = (
            select(Article.duplicate_of_id, Article.url, Article.source_id)
            .where(Article.duplicate_of_id.in_(chunk))
            .order_by(Article.duplicate_of_id, Article.id)
        )
        for original, url, source_id in session.execute(query):
            copies.setdefault(original, []).append((url, source_id))
    return copies

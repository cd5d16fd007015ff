"""The review desk's reads and decisions: the queue, an article's cluster, and recorded actions.

Every decision changes columns the feeds read (status, relevance_override, title, published,
duplicate_of_id) so it shows at the next feed build, and records a ReviewEvent (who, what, when).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from dvcrawl.constants import VN_TZ
from dvcrawl.datesanity import staff_date_error
from dvcrawl.errors import DvcrawlError
from dvcrawl.storage.articles import cluster_of, published_at_utc, set_duplicate
from dvcrawl.storage.models import Article, ReviewEvent, Source, utcnow
from dvcrawl.storage.search import index_article

__all__ = [
    "ACTIONS",
    "QueueFilters",
    "QueuePage",
    "cluster",
    "decide",
    "history",
    "queue_page",
]

STATUSES = ("new", "approved", "rejected")
# action -> (column, value) for the decisions that only set one column.
_SIMPLE = {
    "approve": ("status", "approved"),
    "reject": ("status", "rejected"),
    "reopen": ("status", "new"),
    "relevant": ("relevance_override", True),
    "not_relevant": ("relevance_override", False),
    "auto_relevance": ("relevance_override", None),
}
ACTIONS = (*_SIMPLE, "edit", "merge", "split")
# The queue counts matches up to this many past the current page, then says "more than".
COUNT_AHEAD = 2000
# Vietnam has one time zone and no daylight saving: a date typed by staff is a day in +07:00.
_VN_OFFSET = timedelta(hours=7)


class ReviewError(DvcrawlError):
    """A decision that cannot be applied: the message says which article and why."""


@dataclass(frozen=True)
class QueueFilters:
    """What the queue shows; None means "any"."""

    source: str | None = None
    province: str | None = None
    status: str | None = "new"
    relevance: bool | None = None
    date_from: date | None = None
    date_to: date | None = None


def _day_start_utc(day: date) -> datetime:
    return datetime.combine(day, time()) - _VN_OFFSET


def _filtered(query: Select, filters: QueueFilters) -> Select:
    if filters.source:
        query = query.where(Article.source_id == filters.source)
    if filters.province:
        provinces = select(Source.id).where(Source.province == filters.province)
        query = query.where(Article.source_id.in_(provinces))
    if filters.status:
        query = query.where(Article.status == filters.status)
    if filters.relevance is not None:
        effective = func.coalesce(Article.relevance_override, Article.relevant)
        query = query.where(effective.is_(filters.relevance))
    if filters.date_from:
        query = query.where(Article.published_at >= _day_start_utc(filters.date_from))
    if filters.date_to:
        end = _day_start_utc(filters.date_to + timedelta(days=1))
        query = query.where(Article.published_at < end)
    return query


@dataclass
class QueuePage:
    """One page of the queue; ``total`` is exact unless ``more`` says there are more than that."""

    articles: list[Article]
    total: int
    more: bool


def _bounded_count(session: Session, filters: QueueFilters, upto: int) -> int:
    """How many articles match, counting no further than ``upto + 1``."""
    matching = _filtered(select(Article.id), filters).limit(upto + 1).subquery()
    return session.scalar(select(func.count()).select_from(matching)) or 0


def queue_page(
    session: Session, filters: QueueFilters, page: int = 1, per_page: int = 50
) -> QueuePage:
    """One page of the queue, newest publication first, with a bounded count of the matches.

    Counting every match of a broad filter (a province, "relevant") reads every row: 230 ms at
    100,000 articles (bench/bench_web.py). So the count stops COUNT_AHEAD rows past this page.
    """
    offset = (max(page, 1) - 1) * per_page
    upto = offset + COUNT_AHEAD
    total = _bounded_count(session, filters, upto)
    # Newest first; undated articles last (SQLite already sorts NULL last in DESC order).
    order = Article.published_at.desc()
    if session.get_bind().dialect.name != "sqlite":
        order = order.nulls_last()
    query = _filtered(select(Article), filters).order_by(order, Article.id.desc())
    rows = session.scalars(query.limit(per_page).offset(offset)).all()
    return QueuePage(list(rows), min(total, upto), total > upto)


def cluster(session: Session, article: Article) -> list[Article]:
    """The article's duplicate cluster: the original first, then its copies (may be just itself)."""
    return cluster_of(session, article.id)


def history(session: Session, article_id: int) -> list[ReviewEvent]:
    """Every decision taken on an article, newest first."""
    return list(
        session.scalars(
            select(ReviewEvent)
            .where(ReviewEvent.article_id == article_id)
            .order_by(ReviewEvent.at.desc(), ReviewEvent.id.desc())
        )
    )


def parse_staff_date(value: str) -> str:
    """A date typed by staff ("2024-05-01" or "2024-05-01T08:30") in the contract's ISO form."""
    value = value.strip()
    try:
        day_only = len(value) == 10
        moment = datetime.fromisoformat(
            date.fromisoformat(value).isoformat() if day_only else value
        )
    except ValueError as exc:
        raise ReviewError(f"invalid date {value!r}: use YYYY-MM-DD or YYYY-MM-DDTHH:MM") from exc
    local = moment if moment.tzinfo else moment.replace(tzinfo=VN_TZ)
    problem = staff_date_error(local)
    if problem:
        raise ReviewError(f"{problem}: staff dates run from 1945-01-01 to one day ahead")
    if day_only:
        return moment.date().isoformat()
    if moment.tzinfo is None:
        return moment.strftime("%Y-%m-%dT%H:%M:%S") + "+07:00"
    return moment.isoformat()


def _edit(session: Session, article: Article, title: str | None, published: str | None) -> dict:
    detail: dict = {}
    if title is not None and title.strip() and title.strip() != article.title:
        detail["title"] = [article.title, title.strip()]
        article.title = title.strip()
        index_article(session, article)
    if published is not None and published.strip():
        new = parse_staff_date(published)
        if new != article.published:
            detail["published"] = [article.published, new]
            article.published = new
            article.published_at = published_at_utc(new)
            article.date_method, article.date_doubtful = "staff", False
    return detail


def _merge(session: Session, article: Article, original_id: int | None) -> dict:
    """Make the article (and its copies) copies of ``original_id``'s cluster's original."""
    before = article.duplicate_of_id
    if original_id is None:
        raise ReviewError(f"article {article.id}: give the number of the article to merge into")
    try:
        set_duplicate(session, article.id, original_id)
    except DvcrawlError as exc:
        raise ReviewError(f"article {article.id}: {exc}") from exc
    return {"duplicate_of": [before, article.duplicate_of_id]}


def _split(session: Session, article: Article) -> dict:
    """Take the article out of its cluster; an original hands its copies to the earliest copy."""
    detail: dict = {"duplicate_of": [article.duplicate_of_id, None]}
    members = cluster_of(session, article.id)
    if article.duplicate_of_id is None and len(members) > 1:
        heir = members[1]
        set_duplicate(session, article.id, heir.id)  # the heir becomes the cluster's original
        detail["new_original"] = heir.id
    set_duplicate(session, article.id, None)
    return detail


def _apply(session: Session, article: Article, action: str, form: dict) -> dict:
    if action in _SIMPLE:
        column, value = _SIMPLE[action]
        before = getattr(article, column)
        setattr(article, column, value)
        return {column: [before, value]}
    if action == "edit":
        return _edit(session, article, form.get("title"), form.get("published"))
    if action == "merge":
        return _merge(session, article, form.get("original_id"))
    return _split(session, article)


def decide(session: Session, article_ids: list[int], action: str, user: str, **form) -> list[int]:
    """Apply ``action`` to every listed article, recording who did it; returns the ids changed.

    ``form`` carries the action's inputs: ``title``/``published`` for edit, ``original_id`` for
    merge. Unknown articles are skipped (another reviewer may have removed them).
    """
    if action not in ACTIONS:
        raise ReviewError(f"unknown action {action!r} (known: {', '.join(ACTIONS)})")
    now, changed = utcnow(), []
    articles = session.scalars(select(Article).where(Article.id.in_(article_ids))).all()
    for article in articles:
        detail = _apply(session, article, action, form)
        if action == "edit" and not detail:
            continue  # the form was saved unchanged: nothing was decided
        article.reviewed_by, article.reviewed_at = user, now
        session.add(
            ReviewEvent(article_id=article.id, user=user, action=action, detail=detail, at=now)
        )
        changed.append(article.id)
    session.flush()
    return changed


def source_choices(session: Session) -> tuple[list[Source], list[str]]:
    """Sources and provinces for the queue's filter menus."""
    sources = list(session.scalars(select(Source).order_by(Source.name)))
    provinces = sorted({s.province for s in sources if s.province})
    return sources, provinces

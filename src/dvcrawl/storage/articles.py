"""Storing articles: one row per canonical URL, idempotent, duplicates linked to their original."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from dvcrawl.items import ArticleRecord
from dvcrawl.storage.models import Article, UrlAlias


@dataclass
class StoreResult:
    article_id: int
    created: bool
    duplicate_of: str | None = None  # canonical URL of the original, for a syndicated copy


def published_at_utc(published: str | None) -> datetime | None:
    """Naive UTC instant of a contract date ("2022-01-06" counts as midnight in +07:00)."""
    if not published:
        return None
    try:
        if len(published) == 10:
            published = f"{published}T00:00:00+07:00"
        value = datetime.fromisoformat(published)
    except ValueError:
        return None
    if value.tzinfo is None:
        return value
    return value.astimezone(UTC).replace(tzinfo=None)


def find_article_id(session: Session, url: str) -> int | None:
    """The stored article behind ``url``, as its canonical URL or as a recorded alias."""
    found = session.scalar(select(Article.id).where(Article.url == url))
    if found is None:
        found = session.scalar(select(UrlAlias.article_id).where(UrlAlias.url == url))
    return found


def known_urls(session: Session, source_id: str) -> set[str]:
    """Every URL (canonical or alias) already stored for ``source_id``: not fetched again."""
    urls = set(session.scalars(select(Article.url).where(Article.source_id == source_id)))
    urls.update(
        session.scalars(
            select(UrlAlias.url)
            .join(Article, Article.id == UrlAlias.article_id)
            .where(Article.source_id == source_id)
        )
    )
    return urls


def _record_aliases(session: Session, article_id: int, record: ArticleRecord) -> None:
    for alias in set(record.aliases) - {record.url}:
        if session.get(UrlAlias, alias) is None:
            session.add(UrlAlias(url=alias, article_id=article_id))


def store_article(session: Session, record: ArticleRecord) -> StoreResult:
    """Insert ``record`` unless its canonical URL is stored; never a second row for one URL."""
    existing = find_article_id(session, record.url)
    if existing is not None:
        _record_aliases(session, existing, record)
        return StoreResult(article_id=existing, created=False)
    article = Article(
        url=record.url,
        source_id=record.source_id,
        title=record.title,
        text=record.text,
        author=record.author,
        credit=record.credit,
        published=record.published,
        published_at=published_at_utc(record.published),
        date_method=record.date_method,
        date_doubtful=record.date_doubtful,
        content_hash=record.content_hash,
        relevant=record.relevant,
        relevance_score=record.relevance_score,
        relevance_terms=list(record.relevance_terms),
        status="new",
    )
    session.add(article)
    session.flush()
    _record_aliases(session, article.id, record)
    return StoreResult(article_id=article.id, created=True)

"""SQLAlchemy 2.0 typed models.

Timestamps are stored as naive UTC datetimes (SQLite keeps no time zone); the user-facing
publication date is kept as printed in the contract's ISO form in ``Article.published`` and,
for sorting and feeds, as naive UTC in ``Article.published_at``.
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import (
    JSON,
    Boolean,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.sql import false, true


def utcnow() -> datetime:
    """Naive UTC now: the one clock every row uses."""
    return datetime.now(UTC).replace(tzinfo=None)


class Base(DeclarativeBase):
    pass


class Source(Base):
    """A portal as last loaded from the sources file (kept so feeds and status can name it)."""

    __tablename__ = "sources"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(String(300))
    province: Mapped[str | None] = mapped_column(String(120))
    start_urls: Mapped[list] = mapped_column(JSON, default=list)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)


class Article(Base):
    """One stored article: one row per canonical URL (unique constraint)."""

    __tablename__ = "articles"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    url: Mapped[str] = mapped_column(String(2000), unique=True)
    source_id: Mapped[str] = mapped_column(String(64), index=True)
    title: Mapped[str] = mapped_column(Text, default="")
    text: Mapped[str] = mapped_column(Text, default="")
    author: Mapped[str | None] = mapped_column(Text)
    credit: Mapped[str | None] = mapped_column(Text)  # "Theo: <source>" kept apart from the body
    lead: Mapped[str | None] = mapped_column(Text)  # the sapo; ``text`` starts with it
    # Contract form: "2022-12-27T22:37:00+07:00" or "2022-01-06".
    published: Mapped[str | None] = mapped_column(String(40))
    published_at: Mapped[datetime | None] = mapped_column(DateTime)  # naive UTC, for ordering
    date_method: Mapped[str | None] = mapped_column(String(60))  # how the date was found
    date_doubtful: Mapped[bool] = mapped_column(Boolean, default=False)
    fetched_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)
    content_hash: Mapped[str | None] = mapped_column(String(64), index=True)
    # MinHash signature for dedupe (migration 0003_dedupe); deferred: only dedupe reads it.
    minhash: Mapped[bytes | None] = mapped_column(LargeBinary, deferred=True)
    relevant: Mapped[bool] = mapped_column(Boolean, default=False)
    relevance_score: Mapped[float] = mapped_column(Float, default=0.0)
    relevance_terms: Mapped[list] = mapped_column(JSON, default=list)
    relevance_override: Mapped[bool | None] = mapped_column(Boolean)  # staff's "(not) relevant"
    duplicate_of_id: Mapped[int | None] = mapped_column(
        ForeignKey("articles.id", ondelete="SET NULL"), index=True
    )
    status: Mapped[str] = mapped_column(String(16), default="new")
    reviewed_by: Mapped[str | None] = mapped_column(String(120))
    reviewed_at: Mapped[datetime | None] = mapped_column(DateTime)

    __table_args__ = (
        # "newest N" for feeds and the review queue: indexed, never a table scan.
        Index("ix_articles_feed", "relevant", "status", "published_at"),
        Index("ix_articles_source_published", "source_id", "published_at"),
        Index("ix_articles_status_fetched", "status", "fetched_at"),
    )


class UrlAlias(Base):
    """Another URL that leads to a stored article: a redirect's origin or a non-canonical form."""

    __tablename__ = "url_aliases"

    url: Mapped[str] = mapped_column(String(2000), primary_key=True)
    article_id: Mapped[int] = mapped_column(
        ForeignKey("articles.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(20), default="redirect")  # redirect | canonical


class ArticleBand(Base):
    """MinHash LSH band keys: near-duplicate candidates come from an indexed lookup, not a scan.

    Kept in the database so every worker and process sees the same index.
    """

    __tablename__ = "article_bands"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    band_key: Mapped[str] = mapped_column(String(64), index=True)
    article_id: Mapped[int] = mapped_column(
        ForeignKey("articles.id", ondelete="CASCADE"), index=True
    )


class HttpCacheEntry(Base):
    """Validators of listing pages (ETag / Last-Modified) kept between runs for conditional GET."""

    __tablename__ = "http_cache"

    url: Mapped[str] = mapped_column(String(2000), primary_key=True)
    source_id: Mapped[str] = mapped_column(String(64), index=True)
    etag: Mapped[str | None] = mapped_column(String(300))
    last_modified: Mapped[str | None] = mapped_column(String(100))
    # listing: re-checked every run; page: a pagination page or a dead end, not re-requested
    kind: Mapped[str] = mapped_column(String(16), default="listing", server_default="listing")
    # A listing walked to its end (every page and article settled): paging may then stop at a
    # page of known articles. False while a walk is unfinished (killed, pages failed).
    walked: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())
    checked_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)


class FrontierEntry(Base):
    """A page a crawl still owes: an article (or a pagination page) linked from a listing,
    not yet stored. Written before the page is requested, deleted once it is stored, known or
    gone, so a killed or failed crawl resumes from here (migration 0008_frontier)."""

    __tablename__ = "frontier"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    source_id: Mapped[str] = mapped_column(String(64))
    url: Mapped[str] = mapped_column(String(2000))  # canonical URL
    fetch_url: Mapped[str] = mapped_column(String(2000))  # the spelling to request
    listing_url: Mapped[str | None] = mapped_column(String(2000))  # the listing it came from
    kind: Mapped[str] = mapped_column(String(16), default="article")  # article | page
    # pending: to be requested (when next_attempt_at has passed); failed: given up on
    state: Mapped[str] = mapped_column(String(16), default="pending")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(Text)
    next_attempt_at: Mapped[datetime | None] = mapped_column(DateTime)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)

    __table_args__ = (
        UniqueConstraint("source_id", "url", name="uq_frontier_source_url"),
        Index("ix_frontier_source_state", "source_id", "state"),
    )


class CrawlRun(Base):
    """One crawl of one source: when, how it ended, and its statistics."""

    __tablename__ = "crawl_runs"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    source_id: Mapped[str] = mapped_column(String(64), index=True)
    started_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(DateTime)
    # a dvcrawl.storage.runs.RunStatus: written only through that module
    status: Mapped[str] = mapped_column(String(16), default="running")
    pages_fetched: Mapped[int] = mapped_column(Integer, default=0)
    articles_new: Mapped[int] = mapped_column(Integer, default=0)
    errors: Mapped[int] = mapped_column(Integer, default=0)
    reason: Mapped[str | None] = mapped_column(Text)
    stats: Mapped[dict] = mapped_column(JSON, default=dict)

    __table_args__ = (Index("ix_crawl_runs_source_started", "source_id", "started_at"),)


class User(Base):
    """A staff account; the password is an argon2 hash."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    password_hash: Mapped[str] = mapped_column(String(300))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    # Every session cookie carries the version it was issued under; logout, a password reset
    # and `users disable` bump it, so every copy of every earlier cookie stops working.
    session_version: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    disabled: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())


class ReviewEvent(Base):
    """Who decided what about an article, and when."""

    __tablename__ = "review_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    article_id: Mapped[int] = mapped_column(
        ForeignKey("articles.id", ondelete="CASCADE"), index=True
    )
    user: Mapped[str] = mapped_column(String(120))
    action: Mapped[str] = mapped_column(String(40))
    detail: Mapped[dict] = mapped_column(JSON, default=dict)
    at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

"""The persisted frontier: pages a crawl of a source still owes, kept across runs and kills.

A row is written before its page is requested and deleted once the page is stored, known or
gone; a page that failed stays ``pending`` with its attempt count and the time it may be tried
again (back-off), until ``max_attempts`` makes it ``failed`` for good (reported by
``dvcrawl status``). The articles table is the record of what is done: no "done" rows.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from dvcrawl.storage.models import FrontierEntry, utcnow
from dvcrawl.storage.upsert import insert_ignore_many

PENDING, FAILED = "pending", "failed"
ARTICLE, PAGE = "article", "page"
_CHUNK = 500  # URLs per IN (...) list: well under every backend's bound-parameter limit
MAX_ERROR = 500  # characters of an error message kept


@dataclass(frozen=True)
class Owed:
    """One page owed: its canonical URL, the URL to request, and where it was linked."""

    url: str
    fetch_url: str
    listing_url: str | None = None
    kind: str = ARTICLE


@dataclass(frozen=True)
class RetryPolicy:
    """How often a failed page is tried again: the first retry on the next run, then after
    ``backoff`` seconds, doubling each time, until ``max_attempts`` failed runs."""

    max_attempts: int = 5
    backoff: float = 1800.0

    def next_attempt(self, attempts: int, now: datetime) -> datetime:
        if attempts <= 1:
            return now
        return now + timedelta(seconds=self.backoff * 2 ** (attempts - 2))

    def is_final(self, attempts: int) -> bool:
        return attempts >= self.max_attempts


@dataclass(frozen=True)
class FrontierCounts:
    pending: int = 0
    failed: int = 0
    last_error: str | None = None  # of the newest finally failed page


def _chunks(urls: Iterable[str]) -> Iterable[list[str]]:
    urls = list(urls)
    for start in range(0, len(urls), _CHUNK):
        yield urls[start : start + _CHUNK]


def add_owed(session: Session, source_id: str, pages: Iterable[Owed]) -> None:
    """Record pages as pending; a page already on record keeps its attempts and state."""
    rows = [
        {
            "source_id": source_id,
            "url": page.url,
            "fetch_url": page.fetch_url,
            "listing_url": page.listing_url,
            "kind": page.kind,
            "state": PENDING,
            "attempts": 0,
        }
        for page in pages
    ]
    insert_ignore_many(session, FrontierEntry, rows, ["source_id", "url"])


def load(session: Session, source_id: str) -> list[FrontierEntry]:
    """Every row of a source (pending and failed): few, since done rows are deleted."""
    return list(session.scalars(select(FrontierEntry).where(FrontierEntry.source_id == source_id)))


def settle(session: Session, source_id: str, urls: Iterable[str]) -> None:
    """Pages stored, known or gone: nothing more is owed for them."""
    for chunk in _chunks(urls):
        session.execute(
            delete(FrontierEntry).where(
                FrontierEntry.source_id == source_id, FrontierEntry.url.in_(chunk)
            )
        )


def record_failures(
    session: Session,
    source_id: str,
    errors: dict[str, str],
    policy: RetryPolicy,
    *,
    count: bool,
) -> list[str]:
    """Note why each page failed; with ``count``, one more attempt each (back-off, and
    ``failed`` at the limit). Returns the URLs that are now finally failed."""
    now, final = utcnow(), []
    for chunk in _chunks(errors):
        rows = session.scalars(
            select(FrontierEntry).where(
                FrontierEntry.source_id == source_id, FrontierEntry.url.in_(chunk)
            )
        )
        for row in rows:
            row.last_error = errors[row.url][:MAX_ERROR]
            if not count or row.state == FAILED:
                continue
            row.attempts += 1
            row.next_attempt_at = policy.next_attempt(row.attempts, now)
            if policy.is_final(row.attempts):
                row.state = FAILED
                final.append(row.url)
    return final


def note_error(session: Session, source_id: str, urls: Iterable[str], error: str) -> None:
    """Say why pages are still pending (e.g. "interrupted") without counting an attempt."""
    for chunk in _chunks(urls):
        for row in session.scalars(
            select(FrontierEntry).where(
                FrontierEntry.source_id == source_id,
                FrontierEntry.url.in_(chunk),
                FrontierEntry.state == PENDING,
            )
        ):
            row.last_error = error


def counts(session: Session, source_id: str) -> FrontierCounts:
    """Pending and finally failed pages of a source, and the newest final error."""
    rows = session.execute(
        select(FrontierEntry.state, func.count())
        .where(FrontierEntry.source_id == source_id)
        .group_by(FrontierEntry.state)
    ).all()
    by_state = {state: int(n) for state, n in rows}
    last_error = None
    if by_state.get(FAILED):
        last_error = session.scalar(
            select(FrontierEntry.last_error)
            .where(FrontierEntry.source_id == source_id, FrontierEntry.state == FAILED)
            .order_by(FrontierEntry.updated_at.desc())
            .limit(1)
        )
    return FrontierCounts(by_state.get(PENDING, 0), by_state.get(FAILED, 0), last_error)

"""ETag / Last-Modified of listing pages, kept between runs so the next crawl can ask
"changed since?" (conditional GET) and a small portal answers 304 instead of the whole page."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from dvcrawl.storage.models import HttpCacheEntry, utcnow
from dvcrawl.storage.upsert import insert_ignore
from dvcrawl.urls import canonicalize

MAX_ETAG, MAX_DATE = 300, 100  # column sizes of http_cache.etag / last_modified


def _key(url: str) -> str:
    return canonicalize(url) or url


def get_validators(session: Session, url: str) -> tuple[str | None, str | None] | None:
    """``(etag, last_modified)`` saved for ``url``, or None when the page has none on record."""
    row = session.execute(
        select(HttpCacheEntry.etag, HttpCacheEntry.last_modified).where(
            HttpCacheEntry.url == _key(url)
        )
    ).first()
    if row is None or (row.etag is None and row.last_modified is None):
        return None
    return row.etag, row.last_modified


def save_validators(
    session: Session,
    url: str,
    source_id: str,
    etag: str | None,
    last_modified: str | None,
    *,
    kind: str | None = None,
) -> None:
    """Record the validators a response carried (None clears one the server stopped sending).

    Safe when two workers save the same page: the row is created once (primary key) and the
    later save updates it. ``kind`` ("listing"/"page", see crawlstate) is kept when not given.
    """
    _save(session, _key(url), source_id, etag, last_modified, kind)


def save_page(
    session: Session,
    url_as_fetched: str,
    source_id: str,
    kind: str,
    etag: str | None = None,
    last_modified: str | None = None,
    walked: bool = True,
) -> None:
    """Remember a page the crawler will ask for again, under the URL it fetched.

    Not canonicalised: a watched listing is requested again from this row, and the trailing
    slash that canonical URLs drop may be the only spelling its server answers. ``walked``
    False: a listing whose walk is unfinished (see ``dvcrawl.frontier``).
    """
    _save(session, url_as_fetched, source_id, etag, last_modified, kind, walked)


def _save(
    session: Session,
    key: str,
    source_id: str,
    etag: str | None,
    last_modified: str | None,
    kind: str | None,
    walked: bool = True,
) -> None:
    # A validator longer than its column is not kept: truncated, it would never match again.
    etag = etag if etag and len(etag) <= MAX_ETAG else None
    last_modified = last_modified if last_modified and len(last_modified) <= MAX_DATE else None
    values = {
        "url": key,
        "source_id": source_id,
        "etag": etag,
        "last_modified": last_modified,
        "walked": walked,
    }
    if kind is not None:
        values["kind"] = kind
    if insert_ignore(session, HttpCacheEntry, values, ["url"]) is not None:
        return
    row = session.get(HttpCacheEntry, key)
    row.source_id, row.etag, row.last_modified = source_id, etag, last_modified
    row.walked = walked
    if kind is not None:
        row.kind = kind
    row.checked_at = utcnow()
    session.flush()

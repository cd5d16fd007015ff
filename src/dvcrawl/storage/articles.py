"""Storing articles: one row per canonical URL, syndicated copies linked to their original.

``store_article`` runs in the caller's transaction and, in order:

(a) a canonical URL already stored (as a URL or an alias) adds aliases and no row;
(b)/(c) a body equal to a stored one (content hash) or near it (MinHash LSH bands looked up by
    index, screened by their stored signatures, then verified by exact shingle Jaccard over the
    survivors' text) joins that story's cluster; the cluster's original is re-chosen
    (:func:`choose_original`) and every copy points straight at it (flat clusters, no chains);
(d) the new article's band keys are stored, copies' too, so a later copy of a copy still finds
    the cluster.

Never a table scan: every lookup is by an indexed column (url, alias, content_hash,
band_key, duplicate_of_id). The per-article statements are Core statements built once and run
on the session's connection: through the ORM each cost ~15x more CPU, and the store is the
crawl's one writer. A new article costs one read (URL, same body and band candidates with
their signatures in one statement, taken under :mod:`dvcrawl.storage.locks` before its row
is written), its INSERT, its band rows and the commit; a copy adds its text checks and one
read and one UPDATE of its cluster. The unique constraint on ``articles.url`` is the last line
against two workers storing one URL at once (:mod:`dvcrawl.storage.upsert`).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import (
    LargeBinary,
    TextualSelect,
    bindparam,
    cast,
    func,
    literal,
    null,
    select,
    text,
    union_all,
    update,
)
from sqlalchemy.orm import Session
from sqlalchemy.orm.util import identity_key

from dvcrawl import dedupe
from dvcrawl.datesanity import is_doubtful
from dvcrawl.errors import DvcrawlError
from dvcrawl.items import ArticleRecord
from dvcrawl.storage.locks import serialize_clustering
from dvcrawl.storage.models import Article, ArticleBand, Source, UrlAlias
from dvcrawl.storage.upsert import insert_ignore
from dvcrawl.textnorm import fold
from dvcrawl.urls import canonicalize, same_site, site_host

log = logging.getLogger(__name__)

# Candidates verified per new article, those sharing most bands first. A real copy shares
# most of the 40 bands; an unrelated article that shares one band by chance ranks last.
MAX_CANDIDATES = 20
# Signature screen below the Jaccard threshold: 120 permutations estimate J = 0.35 with a
# standard error of 0.044, so 0.15 under the threshold loses a true copy less than once in 1,000.
SCREEN_MARGIN = 0.15

_ARTICLES, _ALIASES, _BANDS = Article.__table__, UrlAlias.__table__, ArticleBand.__table__
# The article stored under a URL, as its canonical URL or as an alias (one round trip).
_BY_URL = union_all(
    select(_ARTICLES.c.id).where(_ARTICLES.c.url == bindparam("url")),
    select(_ALIASES.c.article_id).where(_ALIASES.c.url == bindparam("url")),
).limit(1)
_ARTICLE_AT = select(_ARTICLES.c.id).where(_ARTICLES.c.url == bindparam("url"))
# A body's band keys as fixed parameters k0..k39 (always dedupe.BANDS of them): an expanding
# IN list is re-rendered on every execution, fixed ones are compiled once.
_KEY_NAMES = [f"k{band}" for band in range(dedupe.BANDS)]
_NEAR_IDS = (
    select(_BANDS.c.article_id)
    .where(_BANDS.c.band_key.in_([bindparam(name) for name in _KEY_NAMES]))
    .group_by(_BANDS.c.article_id)
    .order_by(func.count(_BANDS.c.id).desc(), _BANDS.c.article_id)
    .limit(MAX_CANDIDATES)
    .subquery()
)
_TEXTS = select(_ARTICLES.c.id, _ARTICLES.c.text).where(
    _ARTICLES.c.id.in_(bindparam("ids", expanding=True))
)
# What a new article's store decides on, in one round trip before its row is written: the
# article already under its URL or an alias ("u"), one with the same body ("h"), and the LSH
# candidates with their stored signatures ("c"), those sharing most bands first.
_URL, _SAME, _NEAR = "u", "h", "c"
_NO_SIGNATURE = cast(null(), LargeBinary)  # typed: PostgreSQL unites it with bytea
_SAME_BODY = (
    select(_ARTICLES.c.id)
    .where(_ARTICLES.c.content_hash == bindparam("digest"))
    .limit(1)
    .subquery()
)
_LOOKUP = union_all(
    select(literal(_URL), _ARTICLES.c.id, _NO_SIGNATURE).where(_ARTICLES.c.url == bindparam("url")),
    select(literal(_URL), _ALIASES.c.article_id, _NO_SIGNATURE).where(
        _ALIASES.c.url == bindparam("url")
    ),
    select(literal(_SAME), _SAME_BODY.c.id, _NO_SIGNATURE),
    select(literal(_NEAR), _ARTICLES.c.id, _ARTICLES.c.minhash).join(
        _NEAR_IDS, _NEAR_IDS.c.article_id == _ARTICLES.c.id
    ),
)
# A new article's band rows in one multi-row INSERT (SQLAlchemy does not cache a Core insert
# with several VALUES rows: it re-compiled this one for every article); on SQLite the
# driver's own executemany, a C loop over one prepared statement, costs less still.
_ADD_BANDS = text(
    "INSERT INTO article_bands (band_key, article_id) VALUES "
    + ", ".join(f"(:{name}, :own)" for name in _KEY_NAMES)
)
_ADD_BANDS_SQLITE = "INSERT INTO article_bands (band_key, article_id) VALUES (?, ?)"
_ROOT_OF = select(_ARTICLES.c.duplicate_of_id).where(_ARTICLES.c.id == bindparam("id"))
_CLUSTER_COLUMNS = [
    _ARTICLES.c[name]
    for name in (
        "id", "url", "source_id", "credit", "text", "published_at", "fetched_at", "duplicate_of_id"
    )
]  # fmt: skip


def _cluster_statement(dialect: str) -> TextualSelect:
    """The cluster's root, the new article and the root's copies, by primary key and the
    duplicate_of_id index (named on SQLite: see ``_COPIES_SQLITE``); typed result columns."""
    names = ", ".join(column.name for column in _CLUSTER_COLUMNS)
    indexed = " INDEXED BY ix_articles_duplicate_of_id" if dialect == "sqlite" else ""
    sql = (
        f"SELECT {names} FROM articles WHERE id IN (:root, :new) UNION ALL "
        f"SELECT {names} FROM articles{indexed} WHERE duplicate_of_id = :root"
    )
    return text(sql).columns(*_CLUSTER_COLUMNS)


_CLUSTER = {name: _cluster_statement(name) for name in ("sqlite", "postgresql")}
_REPOINT = (
    update(_ARTICLES)
    .where(_ARTICLES.c.id == bindparam("member"))
    .values(duplicate_of_id=bindparam("original"))
)


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


def _ordering_instant(published: str | None) -> datetime | None:
    """``published_at`` orders the feeds and the desk: a date more than a day ahead of now (a
    portal's "2099") is not believed there, the fetch time stands in (``datesanity``); the
    date as printed stays in ``published`` for staff to see and fix."""
    moment = published_at_utc(published)
    now = datetime.now(UTC).replace(tzinfo=None)
    return now if is_doubtful(moment, now) else moment


def find_article_id(session: Session, url: str) -> int | None:
    """The stored article behind ``url`` (any spelling), as its canonical URL or an alias."""
    key = canonicalize(url) or url
    return session.connection().execute(_BY_URL, {"url": key}).scalar()


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


def _record_aliases(session: Session, article_id: int, url: str, aliases: list[str]) -> None:
    """Map each other spelling to the article; one already naming another article is kept."""
    for alias in {canonicalize(a) for a in aliases} - {None, url}:
        if session.connection().execute(_ARTICLE_AT, {"url": alias}).scalar() is not None:
            log.info("alias %s is itself a stored article; not mapped to %s", alias, url)
            continue
        insert_ignore(session, UrlAlias, {"url": alias, "article_id": article_id}, ["url"])


def _original_url(session: Session, article_id: int) -> str | None:
    original_id = session.scalar(select(Article.duplicate_of_id).where(Article.id == article_id))
    if original_id is None:
        return None
    return session.scalar(select(Article.url).where(Article.id == original_id))


def _row_values(record: ArticleRecord, url: str, digest: str) -> dict:
    return {
        "url": url,
        "source_id": record.source_id,
        "title": record.title,
        "text": record.text,
        "author": record.author,
        "credit": record.credit,
        "lead": record.lead,
        "published": record.published,
        "published_at": _ordering_instant(record.published),
        "date_method": record.date_method,
        "date_doubtful": record.date_doubtful,
        "content_hash": digest,
        "relevant": record.relevant,
        "relevance_score": record.relevance_score,
        "relevance_terms": list(record.relevance_terms),
        "status": "new",
    }


def store_article(session: Session, record: ArticleRecord) -> StoreResult:
    """Insert ``record`` unless its canonical URL is stored; link it to its original if a copy."""
    url = canonicalize(record.url)
    if url is None:
        raise DvcrawlError(f"cannot store article: unusable URL {record.url!r}")
    fingerprint = _Fingerprint(record.text, record.fingerprint)
    serialize_clustering(session)  # concurrent writers: one through clustering at a time
    found = _Lookup(session, url, fingerprint)
    existing = found.existing
    if existing is None:
        values = _row_values(record, url, fingerprint.digest) | {"minhash": fingerprint.packed}
        new_id = insert_ignore(session, Article, values, ["url"])
        if new_id is not None:
            _record_aliases(session, new_id, url, record.aliases)
            original = _cluster_new_article(session, new_id, fingerprint, found)
            return StoreResult(new_id, True, original)
        existing = find_article_id(session, url)  # another worker stored it a moment ago
    _record_aliases(session, existing, url, record.aliases)
    return StoreResult(existing, False, _original_url(session, existing))


class _Fingerprint:
    """Everything dedupe knows about one body, computed once (mostly in a worker process)."""

    def __init__(self, text: str, given: dedupe.Fingerprint | None = None) -> None:
        self.text = text
        given = given or dedupe.fingerprint(text)
        self.digest = given.digest
        sig = dedupe.signature_of(given.hashes)
        self.packed = dedupe.pack(sig)
        self.keys = dedupe.band_keys(sig)
        self.key_params = dict(zip(_KEY_NAMES, self.keys, strict=True)) if self.keys else {}


class _Lookup:
    """The store's reads for one new article, in one statement (``_LOOKUP``) taken under the
    clustering lock: what is stored under its URL, and what its body may be a copy of.

    A body too short to cluster (no band keys) is looked up by URL alone, as before.
    """

    def __init__(self, session: Session, url: str, fp: _Fingerprint) -> None:
        self.existing: int | None = None
        self.same_body: int | None = None
        self.near: list[tuple[int, bytes | None]] = []  # candidates and their signatures
        connection = session.connection()
        if not fp.keys:
            self.existing = connection.execute(_BY_URL, {"url": url}).scalar()
            return
        rows = connection.execute(_LOOKUP, {"url": url, "digest": fp.digest, **fp.key_params})
        for kind, article_id, packed in rows:
            if kind == _NEAR:
                self.near.append((article_id, packed))
            elif kind == _SAME:
                self.same_body = article_id
            elif self.existing is None:
                self.existing = article_id


def _cluster_new_article(
    session: Session, article_id: int, fp: _Fingerprint, found: _Lookup
) -> str | None:
    """Find the story the new article belongs to; the original's URL if it is a copy."""
    if not fp.keys:
        return None  # too short to cluster: "Đang cập nhật", a caption
    match_id = _matching_article(session, fp, found)
    _add_bands(session, article_id, fp)
    if match_id is None:
        return None
    original = _recluster(session, match_id, article_id)
    return None if original.id == article_id else original.url


def _add_bands(session: Session, article_id: int, fp: _Fingerprint) -> None:
    """Store the new article's band keys, so later copies find it."""
    connection = session.connection()
    if connection.dialect.name == "sqlite":
        connection.exec_driver_sql(_ADD_BANDS_SQLITE, [(key, article_id) for key in fp.keys])
    else:
        connection.execute(_ADD_BANDS, {"own": article_id, **fp.key_params})


def _matching_article(session: Session, fp: _Fingerprint, found: _Lookup) -> int | None:
    """The stored article most similar to the new body (exact hash first), if close enough."""
    if found.same_body is not None:
        return found.same_body
    screened = _screen_by_signature(found.near, fp.packed)
    if not screened:
        return None
    rows = session.connection().execute(_TEXTS, {"ids": screened})
    # The decision is sentence containment: shared template leads and stock paragraphs
    # can lift shingle overlap above the screen, never above the containment threshold.
    scored = [(dedupe.containment(fp.text, other), cid) for cid, other in rows]
    best_score, best_id = max(scored, default=(0.0, None))
    return best_id if best_score >= dedupe.CONTAINMENT_THRESHOLD else None


def _screen_by_signature(near: list[tuple[int, bytes | None]], packed: bytes) -> list[int]:
    """Candidates whose stored signature is near enough to deserve an exact check.

    A chance band collision (two stories with one template lead) is dropped here without
    reading its text. Rows stored without a signature are always kept.
    """
    floor = dedupe.JACCARD_THRESHOLD - SCREEN_MARGIN
    return [
        cid
        for cid, other in near
        if other is None or dedupe.packed_similarity(packed, other) >= floor
    ]


# The copies of one original, by the duplicate_of_id index. SQLite named explicitly: once
# ANALYZE has seen a column that is NULL on most rows it scans the table instead (150 ms per
# call at 100,000 articles in bench_dedupe.py).
_COPIES_SQLITE = text(
    "SELECT id FROM articles INDEXED BY ix_articles_duplicate_of_id WHERE duplicate_of_id = :root"
)


def _copy_ids(session: Session, root_id: int) -> list[int]:
    if session.get_bind().dialect.name == "sqlite":
        return list(session.scalars(_COPIES_SQLITE, {"root": root_id}))
    return list(session.scalars(select(Article.id).where(Article.duplicate_of_id == root_id)))


def _cluster_members(session: Session, root_id: int) -> list[Article]:
    root = session.get(Article, root_id)
    copy_ids = _copy_ids(session, root_id)
    copies = (
        session.scalars(select(Article).where(Article.id.in_(copy_ids))).all() if copy_ids else []
    )
    return [root, *copies] if root is not None else list(copies)


@dataclass
class _Member:
    """A cluster member as ``choose_original`` reads it: plain columns, no ORM object."""

    id: int
    url: str
    source_id: str
    credit: str | None
    text: str
    published_at: datetime | None
    fetched_at: datetime | None
    duplicate_of_id: int | None


def _recluster(session: Session, match_id: int, new_id: int) -> _Member:
    """Add ``new_id`` to ``match_id``'s cluster, re-choose the original, re-point the copies.

    Core statements: the matched row's root, the members in one read, one UPDATE for the
    members whose pointer changes (their ``updated_at`` moves, as an ORM flush would move it).
    """
    connection = session.connection()
    root_id = connection.execute(_ROOT_OF, {"id": match_id}).scalar() or match_id
    name = connection.dialect.name
    statement = _CLUSTER[name] if name in _CLUSTER else _cluster_statement(name)
    rows = connection.execute(statement, {"root": root_id, "new": new_id})
    members = list({row.id: _Member(*row) for row in rows}.values())
    original = choose_original(session, members)
    changes = [
        {"member": member.id, "original": target}
        for member in members
        if member.duplicate_of_id != (target := None if member is original else original.id)
    ]
    if changes:
        connection.execute(_REPOINT, changes)
        _expire_loaded(session, [change["member"] for change in changes])
    return original


def _expire_loaded(session: Session, article_ids: list[int]) -> None:
    """Articles this session already holds as ORM objects re-read their changed pointers."""
    for article_id in article_ids:
        loaded = session.identity_map.get(identity_key(Article, article_id))
        if loaded is not None:
            session.expire(loaded)


def _age_key(article: Article) -> tuple:
    """Earliest publication first; undated articles after dated ones; then fetch time, id."""
    return (
        article.published_at is None,
        article.published_at or datetime.max,
        article.fetched_at or datetime.max,
        article.id,
    )


def credit_names(session: Session, credit: str | None, article: Article) -> bool:
    """Whether a "Theo: ..." credit names ``article``'s site (its host or its source's name)."""
    if not credit:
        return False
    folded = fold(credit)
    host = site_host(article.url)
    if host and host in folded:
        return True
    source = session.get(Source, article.source_id)
    return bool(source and source.name and fold(source.name) in folded)


def choose_original(session: Session, members: list[Article]) -> Article:
    """The cluster's original: one a copy's "Theo:" credit names, else the earliest published."""
    credited = [
        member
        for member in members
        if any(
            other is not member
            and not same_site(other.url, member.url)
            and credit_names(session, other.credit or dedupe.credit_line(other.text), member)
            for other in members
        )
    ]
    return min(credited or members, key=_age_key)


def cluster_of(session: Session, article_id: int) -> list[Article]:
    """The original and its copies ("also published by"), original first, then by date."""
    article = session.get(Article, article_id)
    if article is None:
        return []
    root_id = article.duplicate_of_id or article.id
    members = _cluster_members(session, root_id)
    return members[:1] + sorted(members[1:], key=_age_key)


def set_duplicate(session: Session, article_id: int, original_id: int | None) -> None:
    """Review desk: mark an article a copy of another (merge) or its own original (split).

    Clusters stay flat: merging A into B points A and A's copies at B's original; merging an
    original into one of its own copies makes that copy the original.
    """
    article = _get_or_fail(session, article_id)
    if original_id is None:
        article.duplicate_of_id = None
        session.flush()
        return
    if original_id == article_id:
        raise DvcrawlError(f"article {article_id} cannot be a duplicate of itself")
    target = _get_or_fail(session, original_id)
    if target.duplicate_of_id == article.id:
        target.duplicate_of_id = None  # promote the copy: it is the original now
    root_id = target.duplicate_of_id or target.id
    for member in _cluster_members(session, article.id):
        member.duplicate_of_id = None if member.id == root_id else root_id
    session.flush()


def _get_or_fail(session: Session, article_id: int) -> Article:
    article = session.get(Article, article_id)
    if article is None:
        raise DvcrawlError(f"no stored article with id {article_id}")
    return article

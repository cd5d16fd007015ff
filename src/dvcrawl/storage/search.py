"""Full-text search that ignores case and diacritics, on SQLite (FTS5) and PostgreSQL (tsvector).

Both backends index a *folded* copy of title and text (``dvcrawl.textnorm.fold``: lowercase, no
diacritics, đ→d), so "dan van kheo" finds "Dân vận khéo" and "hoa" finds both "hoà" and "hòa".
Folding in Python rather than with PostgreSQL's ``unaccent`` keeps the two backends word-for-word
identical. The index tables come from migration 0002_fulltext.

Rows are written by :func:`index_article` (called wherever the review desk edits an article) and
caught up by :func:`sync_index` before every search: every article with an id above the highest
indexed one is folded and indexed, so articles stored by the crawler become searchable without the
crawler knowing about the index.
"""

from __future__ import annotations

import re

from sqlalchemy import TextClause, text
from sqlalchemy.orm import Session

from dvcrawl.storage.models import Article
from dvcrawl.textnorm import fold

__all__ = ["index_article", "query_terms", "search_ids", "sync_index"]

# A word of the folded query: letters and digits ("dan", "2024"); everything else (underscore
# too, as in both FTS tokenizers) separates, so no query syntax can reach the database.
_WORD = re.compile(r"[^\W_]+")
# Words per query: a pasted paragraph must not become a thousand-term query.
MAX_TERMS = 12
# Title matches weigh more than body matches (a story is usually looked up by its headline).
TITLE_WEIGHT = 3.0

_SQLITE_DELETE = text("DELETE FROM articles_fts WHERE rowid = :id")
_SQLITE_INSERT = text(
    "INSERT INTO articles_fts (rowid, title_folded, text_folded) VALUES (:id, :title, :body)"
)
_PG_UPSERT = text(
    "INSERT INTO articles_fts (article_id, title_folded, text_folded) VALUES (:id, :title, :body) "
    "ON CONFLICT (article_id) DO UPDATE "
    "SET title_folded = EXCLUDED.title_folded, text_folded = EXCLUDED.text_folded"
)
_INDEX_KEY = {"sqlite": "rowid", "postgresql": "article_id"}
# Concurrent crawlers may commit ids out of order (PostgreSQL sequences), so the catch-up looks
# again at this many ids below the highest indexed one for rows still missing from the index.
RECHECK_IDS = 1000
# FTS5's "WHERE articles_fts MATCH :q" and the tsvector match; the PostgreSQL vector expression
# must equal the GIN index's of migration 0002 word for word, or the index is not used.
_PG_VECTOR = "to_tsvector('simple', title_folded || ' ' || text_folded)"
_MATCH = {
    "sqlite": "articles_fts MATCH :q",
    "postgresql": f"{_PG_VECTOR} @@ to_tsquery('simple', :q)",
}
_SCORE = {
    # bm25: smaller is better.
    "sqlite": f"bm25(articles_fts, {TITLE_WEIGHT}, 1.0)",
    "postgresql": "ts_rank(setweight(to_tsvector('simple', title_folded), 'A') || "
    "to_tsvector('simple', text_folded), to_tsquery('simple', :q)) DESC",
}
# Ranking needs a score for every match: 250 ms for "dan van" (nearly every article) over 100,000
# articles (bench/bench_web.py). A query matching more than RANK_LIMIT articles is too broad for a
# ranking to mean much, so its matches are listed newest collected first: a cheap index walk.
RANK_LIMIT = 5000


def _statements(dialect: str) -> dict[str, TextClause]:
    key, match = _INDEX_KEY[dialect], _MATCH[dialect]
    select_ids = f"SELECT {key} FROM articles_fts WHERE {match}"
    page = "LIMIT :limit OFFSET :offset"
    return {
        "count": text(f"SELECT count(*) FROM ({select_ids} LIMIT :cap) AS found"),
        "ranked": text(f"{select_ids} ORDER BY {_SCORE[dialect]}, {key} DESC {page}"),
        "newest": text(f"{select_ids} ORDER BY {key} DESC {page}"),
    }


_SEARCH = {dialect: _statements(dialect) for dialect in _MATCH}


def _dialect(session: Session) -> str:
    return session.get_bind().dialect.name


def _write(session: Session, article_id: int, title: str, body: str) -> None:
    params = {"id": article_id, "title": fold(title or ""), "body": fold(body or "")}
    if _dialect(session) == "sqlite":
        session.execute(_SQLITE_DELETE, {"id": article_id})
        session.execute(_SQLITE_INSERT, params)
    else:
        session.execute(_PG_UPSERT, params)


def index_article(session: Session, article: Article) -> None:
    """(Re)index one article's title and text; call after changing either."""
    session.flush()
    _write(session, article.id, article.title, article.text)


def sync_index(session: Session, batch: int = 2000) -> int:
    """Index every article not yet indexed among the newest ones; returns how many were indexed.

    "Newest" means above the highest indexed id less RECHECK_IDS: an anti-join over that range
    stays cheap at any table size.
    """
    key = _INDEX_KEY[_dialect(session)]
    last = int(session.execute(text(f"SELECT coalesce(max({key}), 0) FROM articles_fts")).scalar())
    missing = text(
        "SELECT a.id, a.title, a.text FROM articles a WHERE a.id > :floor AND NOT EXISTS "
        f"(SELECT 1 FROM articles_fts f WHERE f.{key} = a.id) ORDER BY a.id LIMIT :n"
    )
    params, done = {"floor": max(0, last - RECHECK_IDS), "n": batch}, 0
    while True:
        rows = session.execute(missing, params).all()
        for row in rows:
            _write(session, row.id, row.title, row.text)
        done += len(rows)
        if len(rows) < batch:
            return done
        params["floor"] = rows[-1].id


def query_terms(query: str) -> list[str]:
    """The folded words of a query: "Dân vận KHÉO" → ["dan", "van", "kheo"]."""
    return _WORD.findall(fold(query))[:MAX_TERMS]


def _match_expression(terms: list[str], dialect: str) -> str:
    """Every word must match; the last one as a prefix, so a half-typed word still finds."""
    if dialect == "sqlite":
        # Quoted so a word like "and" or "near" is never read as FTS5 syntax.
        return " ".join(f'"{t}"' for t in terms[:-1]) + f' "{terms[-1]}"*'
    return " & ".join([*terms[:-1], f"{terms[-1]}:*"])


def search_ids(session: Session, query: str, *, limit: int = 50, offset: int = 0) -> list[int]:
    """Ids of the articles matching every word of ``query``: best match first, or newest first
    when more than RANK_LIMIT articles match."""
    terms = query_terms(query)
    if not terms:
        return []
    sync_index(session)
    dialect = _dialect(session)
    statements = _SEARCH[dialect]
    params = {"q": _match_expression(terms, dialect), "limit": limit, "offset": offset}
    matches = session.execute(statements["count"], {**params, "cap": RANK_LIMIT + 1}).scalar_one()
    order = "ranked" if matches <= RANK_LIMIT else "newest"
    return list(session.execute(statements[order], params).scalars())

"""full-text search index over folded title and text

Revision ID: 0002_fulltext
Revises: 0001

Search must ignore case and diacritics ("dan van kheo" finds "Dân vận khéo", đ→d, "hoà"/"hòa").
Folding happens in Python (dvcrawl.textnorm.fold) so both backends index exactly the same words;
this migration only creates where the folded copy lives:

- SQLite: a standalone FTS5 table ``articles_fts(rowid = article id, title_folded, text_folded)``.
- PostgreSQL: a plain table ``articles_fts(article_id, title_folded, text_folded)`` with a GIN index
  on ``to_tsvector('simple', ...)`` (the 'simple' configuration: no stemming, Vietnamese has none).

Rows are written by ``dvcrawl.storage.search.index_article`` and caught up at search time.
The review queue's orderings get their indexes here too: "status = new, newest first" on
(status, published_at), and "any status, newest first" or a date range on published_at.
"""

from alembic import op

revision = "0002_fulltext"
down_revision = "0001"
branch_labels = None
depends_on = None

PG_VECTOR = "to_tsvector('simple', title_folded || ' ' || text_folded)"


def upgrade() -> None:
    op.create_index("ix_articles_status_published", "articles", ["status", "published_at"])
    op.create_index("ix_articles_published", "articles", ["published_at"])
    if op.get_bind().dialect.name == "sqlite":
        op.execute(
            "CREATE VIRTUAL TABLE articles_fts USING fts5("
            "title_folded, text_folded, tokenize = 'unicode61')"
        )
        return
    op.execute(
        "CREATE TABLE articles_fts ("
        "article_id INTEGER PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE, "
        "title_folded TEXT NOT NULL DEFAULT '', text_folded TEXT NOT NULL DEFAULT '')"
    )
    op.execute(f"CREATE INDEX ix_articles_fts_vector ON articles_fts USING GIN ({PG_VECTOR})")


def downgrade() -> None:
    op.execute("DROP TABLE IF EXISTS articles_fts")
    op.drop_index("ix_articles_published", table_name="articles")
    op.drop_index("ix_articles_status_published", table_name="articles")

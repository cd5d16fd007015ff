"""feeds: an index serving each source's "newest N" feed query

Revision ID: 0005_feeds
Revises: 0001

(source_id, duplicate_of_id, published_at, fetched_at): the feed query fixes the first two
(source = ?, duplicate_of_id IS NULL) and reads the rest in order, so it stops after N rows
however large the table. Without it SQLite picked ix_articles_duplicate_of_id and sorted every
non-duplicate row (bench/bench_feeds.py).
"""

from alembic import op

revision = "0005_feeds"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index(
        "ix_articles_feed_source",
        "articles",
        ["source_id", "duplicate_of_id", "published_at", "fetched_at"],
    )


def downgrade() -> None:
    op.drop_index("ix_articles_feed_source", table_name="articles")

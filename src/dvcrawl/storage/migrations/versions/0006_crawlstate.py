"""Crawl state: what kind of page each remembered URL is (watched listing or not).

Revision ID: 0006_crawlstate
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0006_crawlstate"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("http_cache") as batch:
        batch.add_column(
            sa.Column("kind", sa.String(length=16), nullable=False, server_default="listing")
        )


def downgrade() -> None:
    with op.batch_alter_table("http_cache") as batch:
        batch.drop_column("kind")

"""Frontier: pages a crawl still owes (pending or finally failed), so a kill loses nothing;
and ``http_cache.walked``: a listing whose walk was never finished is paged to its end.

Revision ID: 0008_frontier
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0008_frontier"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "frontier",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("source_id", sa.String(64), nullable=False),
        sa.Column("url", sa.String(2000), nullable=False),
        sa.Column("fetch_url", sa.String(2000), nullable=False),
        sa.Column("listing_url", sa.String(2000)),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("attempts", sa.Integer, nullable=False),
        sa.Column("last_error", sa.Text),
        sa.Column("next_attempt_at", sa.DateTime),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.Column("updated_at", sa.DateTime, nullable=False),
        sa.UniqueConstraint("source_id", "url", name="uq_frontier_source_url"),
    )
    op.create_index("ix_frontier_source_state", "frontier", ["source_id", "state"])
    with op.batch_alter_table("http_cache") as batch:
        batch.add_column(sa.Column("walked", sa.Boolean, nullable=False, server_default=sa.true()))


def downgrade() -> None:
    with op.batch_alter_table("http_cache") as batch:
        batch.drop_column("walked")
    op.drop_index("ix_frontier_source_state", table_name="frontier")
    op.drop_table("frontier")

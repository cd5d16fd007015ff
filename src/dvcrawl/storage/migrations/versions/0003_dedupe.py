"""Dedupe: keep each article's MinHash signature so LSH candidates are checked cheaply.

Revision ID: 0003_dedupe
Revises: 0001

Without it every band candidate had to be re-shingled from its text; stories sharing a
template lead made that cost grow with the table (bench/bench_dedupe.py).
"""

import sqlalchemy as sa
from alembic import op

revision = "0003_dedupe"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("articles") as batch:
        batch.add_column(sa.Column("minhash", sa.LargeBinary(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("articles") as batch:
        batch.drop_column("minhash")

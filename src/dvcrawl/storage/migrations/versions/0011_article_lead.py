"""Articles keep their lead (sapo) apart too, for the export; ``text`` still starts with it.

Revision ID: 0011_article_lead
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0011_article_lead"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("articles") as batch:
        batch.add_column(sa.Column("lead", sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("articles") as batch:
        batch.drop_column("lead")

"""ingest runs: status, and the host and process that ran them

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23 09:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("ingest_runs", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("status", sa.String(length=16), nullable=False, server_default="running")
        )
        batch_op.add_column(sa.Column("host", sa.String(length=255), nullable=True))
        batch_op.add_column(sa.Column("pid", sa.Integer(), nullable=True))
    runs = sa.table(
        "ingest_runs", sa.column("finished_at", sa.DateTime), sa.column("status", sa.String)
    )
    op.execute(runs.update().where(runs.c.finished_at.is_not(None)).values(status="finished"))
    # Runs left unfinished before runs knew their process can only have been interrupted.
    op.execute(runs.update().where(runs.c.finished_at.is_(None)).values(status="interrupted"))


def downgrade() -> None:
    with op.batch_alter_table("ingest_runs", schema=None) as batch_op:
        batch_op.drop_column("pid")
        batch_op.drop_column("host")
        batch_op.drop_column("status")

"""initial schema: reports, stories, signatures, analyses, ingest runs

Revision ID: 0001
Revises:
Create Date: 2026-11-22 06:49:30.015756
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "ingest_runs",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("inputs", sa.Text(), nullable=False),
        sa.Column("counts", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "stories",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("label", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "ingest_problems",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("run_id", sa.Integer(), nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("problem", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["run_id"],
            ["ingest_runs.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("ingest_problems", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_ingest_problems_run_id"), ["run_id"], unique=False)

    op.create_table(
        "reports",
        sa.Column("pk", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("report_id", sa.String(length=512), nullable=False),
        sa.Column("input_id", sa.String(length=512), nullable=False),
        sa.Column("outlet", sa.Text(), nullable=True),
        sa.Column("domain", sa.Text(), nullable=True),
        sa.Column("title", sa.Text(), nullable=True),
        sa.Column("published", sa.Date(), nullable=True),
        sa.Column("url", sa.Text(), nullable=True),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("removed", sa.Text(), nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("content_key", sa.String(length=64), nullable=False),
        sa.Column("duplicate_of", sa.Integer(), nullable=True),
        sa.Column("duplicate_kind", sa.String(length=16), nullable=True),
        sa.Column("duplicate_similarity", sa.Float(), nullable=True),
        sa.Column("first_day", sa.Integer(), nullable=True),
        sa.Column("last_day", sa.Integer(), nullable=True),
        sa.Column("story_id", sa.Integer(), nullable=True),
        sa.Column("ingested_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["duplicate_of"],
            ["reports.pk"],
        ),
        sa.ForeignKeyConstraint(
            ["story_id"],
            ["stories.id"],
        ),
        sa.PrimaryKeyConstraint("pk"),
        sa.UniqueConstraint("report_id"),
    )
    with op.batch_alter_table("reports", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_reports_content_key"), ["content_key"], unique=False)
        batch_op.create_index(batch_op.f("ix_reports_first_day"), ["first_day"], unique=False)
        batch_op.create_index(batch_op.f("ix_reports_last_day"), ["last_day"], unique=False)
        batch_op.create_index(batch_op.f("ix_reports_duplicate_of"), ["duplicate_of"], unique=False)
        batch_op.create_index(batch_op.f("ix_reports_story_id"), ["story_id"], unique=False)

    op.create_table(
        "analyses",
        sa.Column("report_pk", sa.Integer(), nullable=False),
        sa.Column("version", sa.String(length=32), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["report_pk"],
            ["reports.pk"],
        ),
        sa.PrimaryKeyConstraint("report_pk"),
    )
    op.create_table(
        "minhash_bands",
        sa.Column("band", sa.SmallInteger(), nullable=False),
        sa.Column("key", sa.BigInteger(), nullable=False),
        sa.Column("report_pk", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["report_pk"],
            ["reports.pk"],
        ),
    )
    with op.batch_alter_table("minhash_bands", schema=None) as batch_op:
        batch_op.create_index("ix_minhash_bands_band_key", ["band", "key"], unique=False)

    op.create_table(
        "signatures",
        sa.Column("report_pk", sa.Integer(), nullable=False),
        sa.Column("minhash", sa.LargeBinary(), nullable=True),
        sa.Column("vector", sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(
            ["report_pk"],
            ["reports.pk"],
        ),
        sa.PrimaryKeyConstraint("report_pk"),
    )


def downgrade() -> None:
    op.drop_table("signatures")
    with op.batch_alter_table("minhash_bands", schema=None) as batch_op:
        batch_op.drop_index("ix_minhash_bands_band_key")

    op.drop_table("minhash_bands")
    op.drop_table("analyses")
    with op.batch_alter_table("reports", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_reports_story_id"))
        batch_op.drop_index(batch_op.f("ix_reports_duplicate_of"))
        batch_op.drop_index(batch_op.f("ix_reports_last_day"))
        batch_op.drop_index(batch_op.f("ix_reports_first_day"))
        batch_op.drop_index(batch_op.f("ix_reports_content_key"))

    op.drop_table("reports")
    with op.batch_alter_table("ingest_problems", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_ingest_problems_run_id"))

    op.drop_table("ingest_problems")
    op.drop_table("stories")
    op.drop_table("ingest_runs")

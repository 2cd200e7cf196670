"""The store's tables. Alembic migrations (store/migrations) create and evolve them; a test
checks that the migrations and these definitions agree."""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Column,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    SmallInteger,
    String,
    Table,
    Text,
)

metadata = MetaData()

stories = Table(
    "stories",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("label", Text, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
)

reports = Table(
    "reports",
    metadata,
    Column("pk", Integer, primary_key=True, autoincrement=True),
    # Unique in the store; `input_id` is the id as read, which two inputs may share.
    Column("report_id", String(512), nullable=False, unique=True),
    Column("input_id", String(512), nullable=False),
    Column("outlet", Text),
    Column("domain", Text),
    Column("title", Text),
    Column("published", Date),
    Column("url", Text),
    Column("text", Text, nullable=False),
    Column("removed", Text, nullable=False),  # JSON: boilerplate spans, offsets into text
    Column("source", Text, nullable=False),  # the file (and line) it was read from
    Column("content_key", String(64), nullable=False, index=True),
    Column("duplicate_of", Integer, ForeignKey("reports.pk"), index=True),
    Column("duplicate_kind", String(16)),  # exact | near
    Column("duplicate_similarity", Float),
    # The days it may have appeared (proleptic ordinals): one day, or a month from its URL.
    Column("first_day", Integer, index=True),
    Column("last_day", Integer, index=True),
    Column("story_id", Integer, ForeignKey("stories.id"), index=True),
    Column("ingested_at", DateTime(timezone=True), nullable=False),
)

signatures = Table(
    "signatures",
    metadata,
    Column("report_pk", Integer, ForeignKey("reports.pk"), primary_key=True),
    Column("minhash", LargeBinary),
    # float32 little-endian: the MiniLM opening and lead vectors (stories.features.story_vector)
    Column("vector", LargeBinary, nullable=False),
)

minhash_bands = Table(
    "minhash_bands",
    metadata,
    Column("band", SmallInteger, nullable=False),
    Column("key", BigInteger, nullable=False),
    Column("report_pk", Integer, ForeignKey("reports.pk"), nullable=False),
    Index("ix_minhash_bands_band_key", "band", "key"),
)

analyses = Table(
    "analyses",
    metadata,
    Column("report_pk", Integer, ForeignKey("reports.pk"), primary_key=True),
    Column("version", String(32), nullable=False),
    Column("body", Text, nullable=False),  # JSON: signals, mentions, sources
)

ingest_runs = Table(
    "ingest_runs",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("started_at", DateTime(timezone=True), nullable=False),
    Column("finished_at", DateTime(timezone=True)),  # None while it runs, or if it was killed
    Column("inputs", Text, nullable=False),  # JSON list
    Column("counts", Text),  # JSON object, written when the run finishes
    # running, finished, interrupted (killed, or stopped by Ctrl-C) or failed (an error).
    Column("status", String(16), nullable=False, server_default="running"),
    # Where it ran: a later run marks it interrupted when that process is gone.
    Column("host", String(255)),
    Column("pid", Integer),
)

ingest_problems = Table(
    "ingest_problems",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("run_id", Integer, ForeignKey("ingest_runs.id"), nullable=False, index=True),
    Column("source", Text, nullable=False),
    Column("problem", Text, nullable=False),
)

# The comparison of a story's reports (the version-1 contract), kept so a story opens at once.
# It is stale when the story's reports or the analysis change: `reports_key` and `version` say.
comparisons = Table(
    "comparisons",
    metadata,
    Column("story_id", Integer, ForeignKey("stories.id"), primary_key=True),
    Column("version", String(16), nullable=False),  # model.COMPARISON_VERSION when made
    Column("reports_key", String(64), nullable=False),  # sha256 of the compared report ids
    Column("conflicts", Integer, nullable=False),
    Column("facts", Integer, nullable=False),
    Column("body", Text, nullable=False),  # JSON: the comparison
    Column("created_at", DateTime(timezone=True), nullable=False),
)

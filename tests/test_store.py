"""The store's schema: migrations build exactly the tables the code queries, on both backends."""

from __future__ import annotations

from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine, inspect

from corroborate.errors import StoreError
from corroborate.ingest import ingest
from corroborate.store import STORY_SORTS, Store, database_url
from corroborate.store.schema import metadata
from tests.conftest import SEEDS


def _assert_migrated_like_schema(url: str) -> None:
    Store(url).close()  # opening migrates to the newest revision
    engine = create_engine(url)
    with engine.connect() as conn:
        differences = compare_metadata(MigrationContext.configure(conn), metadata)
        tables = set(inspect(conn).get_table_names())
    engine.dispose()
    assert differences == []
    assert {"reports", "stories", "signatures", "minhash_bands", "analyses"} <= tables
    assert "alembic_version" in tables


def test_sqlite_migrations_match_schema(tmp_path: Path) -> None:
    _assert_migrated_like_schema(database_url(tmp_path / "store.db"))


def test_postgresql_migrations_match_schema(postgres_url: str) -> None:
    _assert_migrated_like_schema(postgres_url)


def test_opening_twice_is_harmless(tmp_path: Path) -> None:
    path = tmp_path / "store.db"
    with Store(path) as store:
        assert store.counts()["reports"] == 0
    with Store(path) as store:
        assert store.stories() == []


def test_unreachable_database_is_a_clear_error() -> None:
    with pytest.raises(StoreError, match="cannot open store"):
        Store("postgresql+psycopg://nobody@127.0.0.1:1/none")


def test_story_summaries_on_postgresql(postgres_url: str) -> None:
    ingest([SEEDS / "reports.jsonl"], db=postgres_url, analyse=False)
    with Store(postgres_url) as store:
        for sort in STORY_SORTS:
            for descending in (True, False):
                total, (summary,) = store.story_summaries("cnn", sort=sort, descending=descending)
                assert total == 1
                assert summary.outlets == ("CNN", "The Duran")
        assert store.story_summaries("\x00")[0] == 1  # a NUL is dropped, not sent to the server
        assert store.stored_report("duran\x00") is None
        found = store.stored_report("duran")
        assert found is not None and found.story == summary.id

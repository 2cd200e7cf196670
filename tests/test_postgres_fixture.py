"""The `postgres_url` fixture: a real, empty PostgreSQL database per test."""

from __future__ import annotations

import sqlalchemy as sa

# Both tests write the same table and row: each only passes if it starts from an empty database.
SEEN_URLS: list[str] = []


def _roundtrip(url: str) -> None:
    assert url not in SEEN_URLS, "each test should get its own database"
    SEEN_URLS.append(url)
    engine = sa.create_engine(url)
    try:
        with engine.begin() as conn:
            tables = conn.execute(
                sa.text("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")
            ).scalar_one()
            assert tables == 0, "the database should start empty"
            conn.execute(sa.text("CREATE TABLE facts (id integer PRIMARY KEY, claim text)"))
            conn.execute(
                sa.text("INSERT INTO facts (id, claim) VALUES (1, :claim)"),
                {"claim": "12 dead"},
            )
        with engine.connect() as conn:
            rows = conn.execute(sa.text("SELECT id, claim FROM facts")).all()
            assert [tuple(row) for row in rows] == [(1, "12 dead")]
            assert conn.dialect.name == "postgresql"
            assert conn.dialect.driver == "psycopg"
    finally:
        engine.dispose()


def test_postgres_roundtrip(postgres_url: str) -> None:
    assert postgres_url.startswith("postgresql+psycopg://")
    _roundtrip(postgres_url)


def test_postgres_each_test_gets_a_fresh_database(postgres_url: str) -> None:
    _roundtrip(postgres_url)

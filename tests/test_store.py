"""The store's schema: migrations build exactly the tables the code queries, on both backends."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine, inspect, select, text

from corroborate.errors import StoreError
from corroborate.ingest import ingest
from corroborate.model import InputProblem, storable_text
from corroborate.store import STORY_SORTS, Store, database_url
from corroborate.store.database import upgrade
from corroborate.store.schema import analyses, ingest_problems, ingest_runs, metadata, reports
from tests.conftest import SEEDS


@pytest.fixture(params=["sqlite", "postgresql"])
def any_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """The URL of a new store on each backend."""
    if request.param == "sqlite":
        return database_url(tmp_path / "store.db")
    url: str = request.getfixturevalue("postgres_url")
    return url


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


@pytest.mark.parametrize(
    ("text", "stored"),
    [
        ("plain text", "plain text"),
        ("", ""),
        ("a\x00b", "a\ufffdb"),
        ("lone \ud800 and \udfff", "lone \ufffd and \ufffd"),
        ("\x00\x00", "\ufffd\ufffd"),
        ("kept: \ufffd \U0001f600 \t\x01", "kept: \ufffd \U0001f600 \t\x01"),
    ],
)
def test_storable_replaces_what_no_store_holds_one_for_one(text: str, stored: str) -> None:
    assert storable_text(text) == stored
    assert len(storable_text(text)) == len(text)


def test_the_store_makes_its_text_storable_on_every_backend(any_url: str) -> None:
    row = {
        "report_id": "id\x00",
        "input_id": "id\x00",
        "outlet": "Out\x00let",
        "domain": None,
        "title": "Ti\ud800tle",
        "published": None,
        "url": "https://example.com/\x00",
        "text": "Some text\x00 with a NUL.",
        "removed": "[]",
        "source": "file\x00.txt",
        "content_key": "0" * 64,
    }
    with Store(any_url) as store:
        run = store.start_run(["file\x00.txt"])
        with store.write() as conn:
            pk = store.add_report(conn, row)
            store.add_analysis(conn, pk, "1", {"mentions": [{"text": "a\x00b", "k\x00": 1}]})
            store.add_problems(conn, run, [InputProblem("file\x00.txt", "bad\x00 row")])
        store.finish_run(run, {"read": 1})
        with store.engine.connect() as conn:
            stored = conn.execute(select(reports)).one()
            body = conn.execute(select(analyses.c.body)).scalar_one()
            problem = conn.execute(
                select(ingest_problems.c.source, ingest_problems.c.problem)
            ).all()
    assert (stored.report_id, stored.input_id) == ("id\ufffd", "id\ufffd")
    assert stored.outlet == "Out\ufffdlet"
    assert (stored.title, stored.url) == ("Ti\ufffdtle", "https://example.com/\ufffd")
    assert (stored.text, stored.source) == ("Some text\ufffd with a NUL.", "file\ufffd.txt")
    assert json.loads(body) == {"mentions": [{"text": "a\ufffdb", "k\ufffd": 1}]}
    assert [tuple(p) for p in problem] == [("file\ufffd.txt", "bad\ufffd row")]


def test_runs_left_unfinished_before_runs_had_a_status_count_as_interrupted(
    any_url: str,
) -> None:
    engine = create_engine(any_url)
    with engine.begin() as conn:
        upgrade(conn, "0002")
        conn.execute(
            text(
                "INSERT INTO ingest_runs (id, started_at, finished_at, inputs) VALUES "
                "(1, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, '[]'), "
                "(2, CURRENT_TIMESTAMP, NULL, '[]')"
            )
        )
    engine.dispose()
    with Store(any_url) as store, store.engine.connect() as conn:
        statuses = conn.execute(select(ingest_runs.c.id, ingest_runs.c.status)).all()
    assert sorted(tuple(s) for s in statuses) == [(1, "finished"), (2, "interrupted")]

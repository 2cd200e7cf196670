"""Shared fixtures: the seed reports, their gold analysis, a runner for the real CLI, and a
throwaway PostgreSQL server (`postgres_url`)."""

from __future__ import annotations

import contextlib
import json
import os
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any, NoReturn

import pytest

from tests.postgres import (
    PostgresMissing,
    PostgresServer,
    PostgresUnavailable,
    throwaway_server,
)

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "examples" / "seeds"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
SHARED = ROOT.parent / "shared"


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    """Run `corroborate` in a subprocess, as a user would."""
    return subprocess.run(
        [sys.executable, "-m", "corroborate", *args], capture_output=True, text=True, check=False
    )


@pytest.fixture(scope="session")
def seeds_expected() -> dict[str, Any]:
    data: dict[str, Any] = json.loads((FIXTURES / "seeds_expected.json").read_text("utf-8"))
    return data


@pytest.fixture(scope="session")
def seeds_json() -> dict[str, Any]:
    """`corroborate compare reports.jsonl --format json`, through the public CLI."""
    result = run_cli("compare", str(SEEDS / "reports.jsonl"), "--format", "json")
    assert result.returncode == 0, result.stderr
    data: dict[str, Any] = json.loads(result.stdout)
    return data


# --- A throwaway PostgreSQL server -----------------------------------------------------------
#
# One cluster per test session (`tests/postgres.py`). Each test that asks for `postgres_url` gets
# a fresh empty database, created and dropped by pytest-postgresql's DatabaseJanitor.


def _ci() -> bool:
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


def _postgres_unavailable(reason: str) -> NoReturn:
    """Skip locally; on CI (env var CI set) a missing PostgreSQL is an error, never a skip."""
    if _ci():
        pytest.fail(f"{reason} (CI is set, so this fails instead of skipping)", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    """Start a throwaway PostgreSQL cluster for the session; stop and delete it at the end."""
    with contextlib.ExitStack() as stack:
        try:
            server = stack.enter_context(throwaway_server(prefix="pytest-pg-"))
        except PostgresMissing as exc:
            _postgres_unavailable(str(exc))
        except PostgresUnavailable as exc:
            pytest.fail(str(exc), pytrace=False)
        yield server


@pytest.fixture
def postgres_url(postgres_server: PostgresServer) -> Iterator[str]:
    """SQLAlchemy URL (postgresql+psycopg://postgres@127.0.0.1:PORT/test_...) of a fresh, empty
    database on the session's throwaway server; dropped after the test."""
    try:
        from pytest_postgresql.janitor import DatabaseJanitor
    except ImportError as exc:
        _postgres_unavailable(f"pytest-postgresql is not installed: {exc}")
    dbname = f"test_{uuid.uuid4().hex[:16]}"
    with DatabaseJanitor(
        user=postgres_server.user,
        host=postgres_server.host,
        port=postgres_server.port,
        dbname=dbname,
        maintenance_dbname="postgres",
        connection_timeout=30,
    ):
        yield postgres_server.url(dbname)


# --- A store holding the seed story, for the web tests ---------------------------------------


@pytest.fixture(scope="session")
def seeds_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A SQLite store with the two seed reports ingested (one story). Read it, do not change it."""
    from corroborate.ingest import ingest

    path = tmp_path_factory.mktemp("seeds-store") / "seeds.db"
    result = ingest([SEEDS / "reports.jsonl"], db=path)
    assert result.counts.stored == 2 and result.counts.stories_created == 1
    return path


@pytest.fixture(params=["sqlite", "postgresql"])
def new_store(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A store not yet created, on each backend: a SQLite path, or an empty PostgreSQL
    database."""
    if request.param == "sqlite":
        return str(tmp_path / "store.db")
    url: str = request.getfixturevalue("postgres_url")
    return url

"""Shared fixtures: the seed reports, their gold analysis, a runner for the real CLI, and a
throwaway PostgreSQL server (`postgres_url`)."""

from __future__ import annotations

import json
import os
import pwd
import shutil
import socket
import subprocess
import sys
import tempfile
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NoReturn

import pytest

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
# One cluster per test session, started from the Debian binaries with initdb/pg_ctl in a private
# temporary directory: trust auth, TCP on 127.0.0.1 (a free port), its unix socket in that
# directory, durability off. Each test that asks for `postgres_url` gets a fresh empty database,
# created and dropped by pytest-postgresql's DatabaseJanitor. PostgreSQL refuses to run as root,
# so as root initdb, pg_ctl and the server run as the `postgres` user (else `nobody`).

PG_SUPERUSER = "postgres"
PG_HOST = "127.0.0.1"
PG_TIMEOUT_S = 120
PG_SETTINGS = """
listen_addresses = '127.0.0.1'
unix_socket_directories = '{socket_dir}'
fsync = off
synchronous_commit = off
full_page_writes = off
"""


@dataclass(frozen=True)
class PostgresServer:
    host: str
    port: int
    user: str

    def url(self, dbname: str) -> str:
        """SQLAlchemy URL of one database on this server."""
        return f"postgresql+psycopg://{self.user}@{self.host}:{self.port}/{dbname}"


def _ci() -> bool:
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


def _postgres_unavailable(reason: str) -> NoReturn:
    """Skip locally; on CI (env var CI set) a missing PostgreSQL is an error, never a skip."""
    if _ci():
        pytest.fail(f"{reason} (CI is set, so this fails instead of skipping)", pytrace=False)
    pytest.skip(reason)


def _version_key(bin_pg_ctl: Path) -> tuple[int, ...]:
    """(15,) for /usr/lib/postgresql/15/bin/pg_ctl; non-numeric versions sort first."""
    try:
        return tuple(int(part) for part in bin_pg_ctl.parent.parent.name.split("."))
    except ValueError:
        return (-1,)


def find_pg_ctl() -> Path | None:
    """The newest Debian pg_ctl (/usr/lib/postgresql/<major>/bin), else pg_ctl on PATH."""
    debian = [p for p in Path("/usr/lib/postgresql").glob("*/bin/pg_ctl") if os.access(p, os.X_OK)]
    if debian:
        return max(debian, key=_version_key)
    found = shutil.which("pg_ctl")
    return Path(found) if found else None


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((PG_HOST, 0))
        port: int = sock.getsockname()[1]
        return port


class _Cluster:
    """initdb/pg_ctl for one data directory, run as an unprivileged user when we are root."""

    def __init__(self, bindir: Path, workdir: Path, account: pwd.struct_passwd | None) -> None:
        self.bindir = bindir
        self.workdir = workdir
        self.datadir = workdir / "data"
        self.logfile = workdir / "server.log"
        self.account = account

    def run(self, *args: str) -> subprocess.CompletedProcess[str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith("PG")}
        env.update(LC_ALL="C.UTF-8", LANG="C.UTF-8")
        drop: dict[str, Any] = {}
        if self.account is not None:
            env.update(HOME=str(self.workdir), USER=self.account.pw_name)
            drop = {
                "user": self.account.pw_uid,
                "group": self.account.pw_gid,
                "extra_groups": [],
            }
        return subprocess.run(
            [str(self.bindir / args[0]), *args[1:]],
            cwd=self.workdir,
            env=env,
            capture_output=True,
            text=True,
            timeout=PG_TIMEOUT_S,
            check=False,
            **drop,
        )

    def log_tail(self) -> str:
        try:
            return self.logfile.read_text("utf-8", errors="replace")[-4000:]
        except OSError:
            return "(no server log)"


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    """Start a throwaway PostgreSQL cluster for the session; stop and delete it at the end."""
    pg_ctl = find_pg_ctl()
    if pg_ctl is None:
        _postgres_unavailable(
            "PostgreSQL server binaries not found (no /usr/lib/postgresql/*/bin/pg_ctl, no pg_ctl "
            "on PATH); install them with `apt-get install postgresql` (.ci/run does this)"
        )
    bindir = pg_ctl.resolve().parent
    if not (bindir / "initdb").is_file():
        _postgres_unavailable(f"{pg_ctl} found, but no initdb next to it in {bindir}")

    account: pwd.struct_passwd | None = None
    if os.geteuid() == 0:
        for name in ("postgres", "nobody"):
            try:
                account = pwd.getpwnam(name)
                break
            except KeyError:
                continue
        else:
            _postgres_unavailable(
                "running as root, and there is neither a `postgres` nor a `nobody` user "
                "to run PostgreSQL as (it refuses to run as root)"
            )

    workdir = Path(tempfile.mkdtemp(prefix="pytest-pg-"))
    if account is not None:
        os.chown(workdir, account.pw_uid, account.pw_gid)
    cluster = _Cluster(bindir, workdir, account)
    started = False
    try:
        init = cluster.run(
            "initdb",
            "-D",
            str(cluster.datadir),
            "-U",
            PG_SUPERUSER,
            "--auth=trust",
            "--encoding=UTF8",
            "--locale=C",
            "--no-sync",
        )
        if init.returncode != 0:
            pytest.fail(f"initdb failed ({bindir}):\n{init.stdout}{init.stderr}", pytrace=False)
        with (cluster.datadir / "postgresql.conf").open("a", encoding="utf-8") as conf:
            conf.write(PG_SETTINGS.format(socket_dir=str(workdir).replace("'", "''")))

        # The free port is only free when we looked; if someone takes it first, try another.
        for _attempt in range(3):
            port = _free_port()
            start = cluster.run(
                "pg_ctl",
                "start",
                "-D",
                str(cluster.datadir),
                "-l",
                str(cluster.logfile),
                "-o",
                f"-p {port}",
                "-w",
                "-t",
                str(PG_TIMEOUT_S),
            )
            started = start.returncode == 0
            if started or "already in use" not in cluster.log_tail():
                break
        if not started:
            pytest.fail(
                f"pg_ctl start failed ({bindir}):\n{start.stdout}{start.stderr}\n"
                f"server log:\n{cluster.log_tail()}",
                pytrace=False,
            )
        yield PostgresServer(host=PG_HOST, port=port, user=PG_SUPERUSER)
    finally:
        if started:
            cluster.run("pg_ctl", "stop", "-D", str(cluster.datadir), "-m", "fast", "-w")
        shutil.rmtree(workdir, ignore_errors=True)


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

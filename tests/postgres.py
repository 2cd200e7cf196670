"""A throwaway PostgreSQL server for the tests and the benchmarks: one cluster started from the
Debian binaries with initdb/pg_ctl in a private temporary directory (trust auth, TCP on
127.0.0.1 at a free port, its unix socket in that directory, durability off), stopped and
deleted on leaving. PostgreSQL refuses to run as root, so as root initdb, pg_ctl and the
server run as the `postgres` user (else `nobody`).

`tests/conftest.py` turns a missing server into a skip (a failure on CI);
`bench/reliability.py` records it as a skipped section.
"""

from __future__ import annotations

import contextlib
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

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


def free_port() -> int:
    """A TCP port on 127.0.0.1 that is free now (another process may take it first)."""
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


class PostgresUnavailable(Exception):
    """The throwaway server could not be started; the message says why."""


class PostgresMissing(PostgresUnavailable):
    """No PostgreSQL binaries, or no user to run them as: nothing installed to start."""


@contextlib.contextmanager
def throwaway_server(prefix: str = "corroborate-pg-") -> Iterator[PostgresServer]:
    """Start a throwaway PostgreSQL cluster; stop and delete it on leaving.

    Raises:
        PostgresMissing: no server binaries, or no user to run them as.
        PostgresUnavailable: initdb or the server's start failed (with its output).
    """
    pg_ctl = find_pg_ctl()
    if pg_ctl is None:
        raise PostgresMissing(
            "PostgreSQL server binaries not found (no /usr/lib/postgresql/*/bin/pg_ctl, no pg_ctl "
            "on PATH); install them with `apt-get install postgresql` (.ci/run does this)"
        )
    bindir = pg_ctl.resolve().parent
    if not (bindir / "initdb").is_file():
        raise PostgresMissing(f"{pg_ctl} found, but no initdb next to it in {bindir}")

    account: pwd.struct_passwd | None = None
    if os.geteuid() == 0:
        for name in ("postgres", "nobody"):
            try:
                account = pwd.getpwnam(name)
                break
            except KeyError:
                continue
        else:
            raise PostgresMissing(
                "running as root, and there is neither a `postgres` nor a `nobody` user "
                "to run PostgreSQL as (it refuses to run as root)"
            )

    workdir = Path(tempfile.mkdtemp(prefix=prefix))
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
            raise PostgresUnavailable(f"initdb failed ({bindir}):\n{init.stdout}{init.stderr}")
        with (cluster.datadir / "postgresql.conf").open("a", encoding="utf-8") as conf:
            conf.write(PG_SETTINGS.format(socket_dir=str(workdir).replace("'", "''")))

        # The free port is only free when we looked; if someone takes it first, try another.
        for _attempt in range(3):
            port = free_port()
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
            raise PostgresUnavailable(
                f"pg_ctl start failed ({bindir}):\n{start.stdout}{start.stderr}\n"
                f"server log:\n{cluster.log_tail()}"
            )
        yield PostgresServer(host=PG_HOST, port=port, user=PG_SUPERUSER)
    finally:
        if started:
            cluster.run("pg_ctl", "stop", "-D", str(cluster.datadir), "-m", "fast", "-w")
        shutil.rmtree(workdir, ignore_errors=True)

"""Open a store (SQLite file by default, or any SQLAlchemy URL) and bring its schema up to date.

Writers take turns: every write transaction (`write_transaction`) first takes the store's one
write lock, SQLite's own (BEGIN IMMEDIATE) or a PostgreSQL advisory lock, and waits up to
LOCK_WAIT_S for another writer to finish. Two ingests into one store thus interleave their
batches, each seeing what the other committed, and two processes opening a new store migrate
it once.
"""

from __future__ import annotations

import logging
import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from importlib import resources
from pathlib import Path
from typing import Any

from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from alembic.util import CommandError
from sqlalchemy import Connection, Engine, create_engine, event, func, select
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, OperationalError, SQLAlchemyError

from corroborate.errors import StoreError

LOGGER = logging.getLogger(__name__)

DEFAULT_DB = "corroborate.db"

# How long a writer waits for another one (an ingest batch, a chunk of story assignment, a
# migration) before giving up. A chunk of story assignment, the longest, takes seconds; this
# only runs out when another process hangs while holding the store.
LOCK_WAIT_S = 300.0
# SQLite waits for its lock inside one C call that Ctrl-C cannot break into: wait in steps this
# long, so an interrupt is answered within one.
SQLITE_WAIT_STEP_S = 0.5
# Busy timeout for other SQLite statements (pysqlite's default); WAL readers rarely need it.
SQLITE_BUSY_TIMEOUT_S = 5.0
# How often to try again to put a new file in WAL mode while another process holds it.
SQLITE_WAL_RETRY_S = 0.02
# The PostgreSQL advisory lock (one per database) that stands for SQLite's write lock: "corrobor".
PG_WRITE_LOCK = 0x636F72726F626F72
PG_LOCK_NOT_AVAILABLE = "55P03"


def database_url(db: str | Path) -> str:
    """A SQLAlchemy URL for `db`: a URL as given, or a path to a SQLite file."""
    text = str(db)
    if "://" in text:
        try:
            make_url(text)
        except ArgumentError as exc:
            raise StoreError(f"--db {text!r} is not a database URL: {exc}") from None
        return text
    return f"sqlite:///{Path(text).expanduser()}"


def open_engine(db: str | Path, *, create: bool = True) -> Engine:
    """An engine on the store, its schema migrated to the newest revision.

    Raises:
        StoreError: the URL is not usable, the server cannot be reached, the file is not a
            store, (with `create` false) a SQLite file does not exist, or another process
            held the store's write lock for LOCK_WAIT_S while it needed migrating.
    """
    url = database_url(db)
    shown = display_url(url)
    if not create and url.startswith("sqlite:///") and not Path(url[10:]).exists():
        raise StoreError(f"no store at {url[10:]}: run `corroborate ingest` first, or give --db")
    try:
        if url.startswith("sqlite"):
            engine = create_engine(url, connect_args={"timeout": SQLITE_BUSY_TIMEOUT_S})
        else:
            engine = create_engine(url)
    except (ArgumentError, ImportError, ValueError) as exc:
        raise StoreError(f"cannot open store {shown}: {exc}") from None
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "begin", _sqlite_begin)
    try:
        _migrate(engine)
    except (SQLAlchemyError, CommandError, ValueError) as exc:
        engine.dispose()
        reason = getattr(exc, "orig", None) or exc
        raise StoreError(f"cannot open store {shown}: {reason}") from None
    except BaseException:
        engine.dispose()
        raise
    return engine


def display_url(url: str) -> str:
    """The URL with any password masked, for messages."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return url


@contextmanager
def write_transaction(engine: Engine, wait_s: float | None = None) -> Iterator[Connection]:
    """A transaction that holds the store's write lock: committed on leaving, rolled back on
    an error.

    Args:
        engine: the store's engine (from `open_engine`).
        wait_s: how long to wait for another writer; LOCK_WAIT_S by default.

    Raises:
        StoreError: another process held the lock all that time.
    """
    wait = LOCK_WAIT_S if wait_s is None else wait_s
    with engine.connect() as conn:
        if engine.dialect.name == "sqlite":
            # Our BEGIN IMMEDIATE opens the transaction `begin` then adopts (_sqlite_begin).
            _begin_immediate(conn.connection.driver_connection, _shown(engine), wait)
        with conn.begin():
            if engine.dialect.name == "postgresql":
                _lock_postgresql(conn, _shown(engine), wait)
            yield conn


def upgrade(connection: Connection, revision: str = "head") -> None:
    """Apply the Alembic migrations shipped with the package up to `revision`."""
    from alembic import command

    command.upgrade(_alembic_config(connection), revision)


def _migrate(engine: Engine) -> None:
    """Bring the schema to the newest revision: checked without the write lock (most opens
    find nothing to do), then again under it, where Alembic reads the version anew."""
    with engine.connect() as conn:
        current = set(MigrationContext.configure(conn).get_current_heads())
        heads = set(ScriptDirectory.from_config(_alembic_config(conn)).get_heads())
    if current == heads:
        return
    with write_transaction(engine) as conn:
        upgrade(conn)


def _alembic_config(connection: Connection) -> Any:
    from alembic.config import Config

    config = Config()
    config.set_main_option(
        "script_location", str(resources.files("corroborate.store") / "migrations")
    )
    config.attributes["connection"] = connection
    return config


def _begin_immediate(raw: Any, shown: str, wait: float) -> None:
    """Open a transaction holding SQLite's write lock, waiting in steps for another writer."""
    deadline = time.monotonic() + wait
    waited = False
    try:
        while True:
            step = max(0.0, min(SQLITE_WAIT_STEP_S, deadline - time.monotonic()))
            raw.execute(f"PRAGMA busy_timeout = {int(step * 1000)}")
            try:
                raw.execute("BEGIN IMMEDIATE")
                return
            except sqlite3.OperationalError as exc:
                if not _is_sqlite_busy(exc):  # as SQLAlchemy reports the driver's errors
                    raise OperationalError("BEGIN IMMEDIATE", None, exc) from exc
                if time.monotonic() >= deadline:
                    raise StoreError(_busy_message(shown, wait)) from None
            if not waited:
                LOGGER.info("waiting for another process writing to %s", shown)
                waited = True
    finally:
        raw.execute(f"PRAGMA busy_timeout = {int(SQLITE_BUSY_TIMEOUT_S * 1000)}")


def _is_sqlite_busy(exc: sqlite3.OperationalError) -> bool:
    return getattr(exc, "sqlite_errorcode", 0) & 0xFF == sqlite3.SQLITE_BUSY


def _lock_postgresql(conn: Connection, shown: str, wait: float) -> None:
    """Take the advisory write lock until the transaction ends, waiting up to `wait` s."""
    if conn.execute(select(func.pg_try_advisory_xact_lock(PG_WRITE_LOCK))).scalar_one():
        return
    LOGGER.info("waiting for another process writing to %s", shown)
    # At least 1 ms: a lock_timeout of 0 would wait for ever.
    conn.exec_driver_sql(f"SET LOCAL lock_timeout = {max(1, int(wait * 1000))}")
    try:
        conn.execute(select(func.pg_advisory_xact_lock(PG_WRITE_LOCK)))
    except OperationalError as exc:
        if getattr(exc.orig, "sqlstate", None) == PG_LOCK_NOT_AVAILABLE:
            raise StoreError(_busy_message(shown, wait)) from None
        raise
    conn.exec_driver_sql("SET LOCAL lock_timeout = DEFAULT")


def _busy_message(shown: str, wait: float) -> str:
    return (
        f"the store {shown} is busy: another process (another ingest?) kept writing to it for "
        f"over {wait:g} s; run this again when it has finished"
    )


def _shown(engine: Engine) -> str:
    return engine.url.render_as_string(hide_password=True)


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    # pysqlite opens transactions late (before the first write, never before DDL): turn that
    # off and let _sqlite_begin open them, so reads, DDL and writes share one transaction.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    # WAL lets readers (`stories`, the web UI) work during an ingest; NORMAL sync stays safe in WAL.
    _journal_in_wal(cursor)
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def _journal_in_wal(cursor: Any) -> None:
    """Put the file in WAL mode. Switching a new file needs its exclusive lock, for which SQLite
    does not wait on its busy handler: another process creating the same new store holds the
    lock for a moment, so try again in steps, for up to SQLITE_BUSY_TIMEOUT_S."""
    deadline = time.monotonic() + SQLITE_BUSY_TIMEOUT_S
    while True:
        try:
            cursor.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as exc:
            if not _is_sqlite_busy(exc) or time.monotonic() >= deadline:
                raise
        time.sleep(SQLITE_WAL_RETRY_S)


def _sqlite_begin(conn: Connection) -> None:
    # A plain BEGIN, unless write_transaction has already opened one holding the write lock.
    if not conn.connection.driver_connection.in_transaction:  # type: ignore[union-attr]
        conn.exec_driver_sql("BEGIN")

"""Open a store (SQLite file by default, or any SQLAlchemy URL) and bring its schema up to date."""

from __future__ import annotations

from importlib import resources
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, OperationalError

from corroborate.errors import StoreError

DEFAULT_DB = "corroborate.db"


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


def open_engine(db: str | Path) -> Engine:
    """An engine on the store, its schema migrated to the newest revision."""
    url = database_url(db)
    try:
        engine = create_engine(url)
    except (ArgumentError, ImportError) as exc:
        raise StoreError(f"cannot open store {url}: {exc}") from None
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
    try:
        with engine.begin() as connection:
            upgrade(connection)
    except OperationalError as exc:
        raise StoreError(f"cannot open store {url}: {exc.orig}") from None
    return engine


def upgrade(connection: Connection, revision: str = "head") -> None:
    """Apply the Alembic migrations shipped with the package up to `revision`."""
    from alembic import command

    command.upgrade(_alembic_config(connection), revision)


def _alembic_config(connection: Connection) -> Any:
    from alembic.config import Config

    config = Config()
    config.set_main_option(
        "script_location", str(resources.files("corroborate.store") / "migrations")
    )
    config.attributes["connection"] = connection
    return config


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    # WAL lets readers (`stories`, the web UI) work during an ingest; NORMAL sync stays safe in WAL.
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()

"""Open a store (SQLite file by default, or any SQLAlchemy URL) and bring its schema up to date."""

from __future__ import annotations

from importlib import resources
from pathlib import Path
from typing import Any

from alembic.util import CommandError
from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, SQLAlchemyError

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


def open_engine(db: str | Path, *, create: bool = True) -> Engine:
    """An engine on the store, its schema migrated to the newest revision.

    Raises:
        StoreError: the URL is not usable, the server cannot be reached, the file is not a
            store, or (with `create` false) a SQLite file does not exist.
    """
    url = database_url(db)
    shown = display_url(url)
    if not create and url.startswith("sqlite:///") and not Path(url[10:]).exists():
        raise StoreError(f"no store at {url[10:]}: run `corroborate ingest` first, or give --db")
    try:
        engine = create_engine(url)
    except (ArgumentError, ImportError, ValueError) as exc:
        raise StoreError(f"cannot open store {shown}: {exc}") from None
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
    try:
        with engine.begin() as connection:
            upgrade(connection)
    except (SQLAlchemyError, CommandError, ValueError) as exc:
        reason = getattr(exc, "orig", None) or exc
        raise StoreError(f"cannot open store {shown}: {reason}") from None
    return engine


def display_url(url: str) -> str:
    """The URL with any password masked, for messages."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return url


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

"""The database: declarative base, engine, write transactions and schema upgrades.

Plain SQLAlchemy 2 (no Flask) so batch commands need no app context. SQLite is
the default; PostgreSQL works through the same URL setting.

SQLite specifics, and why:

- WAL journal so readers do not block the writer; ``synchronous=FULL`` so a
  committed import survives a power cut; ``foreign_keys=ON`` on every
  connection because SQLite leaves it off by default.
- A busy timeout, and every write transaction begun with ``BEGIN IMMEDIATE``:
  a deferred ``BEGIN`` takes the write lock only at the first write, and two
  writers that both read first then deadlock and one fails with "database is
  locked". ``IMMEDIATE`` takes the lock up front, so concurrent writers queue.
  This is SQLAlchemy's documented pysqlite recipe: turn off the driver's own
  transaction handling and emit ``BEGIN`` ourselves in the ``begin`` event.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Protocol

from sqlalchemy import Engine, MetaData, create_engine, event, make_url
from sqlalchemy.exc import ArgumentError
from sqlalchemy.orm import DeclarativeBase, Session

from forms.errors import UserError

#: How long a writer waits for another writer's lock before giving up.
SQLITE_BUSY_TIMEOUT_MS = 30_000

#: Alembic revision this code expects at minimum (the intake schema).
INTAKE_REVISION = "0001_intake"

# Stable constraint names, so hand-written migrations can refer to them and
# PostgreSQL and SQLite agree.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    """The one declarative base shared by intake, consent and webapp models."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class DatabaseError(UserError):
    """The database cannot be opened or is at an unknown schema version."""


class HasDataAndUrl(Protocol):
    """Where the data folder and the database are (read-only, so frozen settings fit)."""

    @property
    def data_dir(self) -> Path: ...

    @property
    def db_url(self) -> str: ...


def make_engine(url: str, **kwargs: Any) -> Engine:
    """An engine for ``url`` with Deltaker's connection settings applied."""
    if url.startswith("sqlite"):
        engine = create_engine(
            url, connect_args={"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000}, **kwargs
        )
        _configure_sqlite(engine)
        return engine
    return create_engine(url, pool_pre_ping=True, **kwargs)


def _configure_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy (through the "begin" event below) own transactions.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        if engine.url.database not in (None, "", ":memory:"):
            cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=FULL")
        cursor.execute("PRAGMA foreign_keys=ON")
        # Erased rows are overwritten with zeros, not left readable in free pages of the file.
        cursor.execute("PRAGMA secure_delete=ON")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        # Read-only scopes ask for a deferred BEGIN so they never wait for writers.
        mode = connection.get_execution_options().get("sqlite_begin", "IMMEDIATE")
        connection.exec_driver_sql(f"BEGIN {mode}")


@contextmanager
def session_scope(engine: Engine) -> Iterator[Session]:
    """A write transaction: commits on success, rolls back on any exception."""
    with Session(engine, expire_on_commit=False) as session:
        with session.begin():
            yield session


@contextmanager
def read_scope(engine: Engine) -> Iterator[Session]:
    """A read-only transaction that does not take SQLite's write lock."""
    connectable = engine.execution_options(sqlite_begin="DEFERRED")
    with Session(connectable, expire_on_commit=False) as session:
        try:
            yield session
        finally:
            session.rollback()


def alembic_config(engine: Engine) -> Any:
    """An Alembic config pointing at the migrations inside this package."""
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", "intake:migrations")
    # ConfigParser interpolates "%"; URL-quoted options (search_path) carry it.
    url = engine.url.render_as_string(hide_password=False).replace("%", "%%")
    config.set_main_option("sqlalchemy.url", url)
    return config


def head_revisions(engine: Engine) -> set[str]:
    from alembic.script import ScriptDirectory

    return set(ScriptDirectory.from_config(alembic_config(engine)).get_heads())


def current_revisions(engine: Engine) -> set[str]:
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as connection:
        return set(MigrationContext.configure(connection).get_current_heads())


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Bring the schema up to ``revision`` (creates every table on an empty database)."""
    from alembic import command
    from alembic.script import ScriptDirectory

    config = alembic_config(engine)
    known = {rev.revision for rev in ScriptDirectory.from_config(config).walk_revisions()}
    unknown = current_revisions(engine) - known
    if unknown:
        raise DatabaseError(
            f"the database is at schema version {', '.join(sorted(unknown))}, which this "
            "Deltaker does not know; use a newer Deltaker"
        )
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, revision)


def open_database(settings: HasDataAndUrl) -> Engine:
    """The engine for a command: creates the data folder and brings the schema to head.

    An empty database gets every table; an older one is upgraded in place (each
    revision is one transaction on PostgreSQL and SQLite alike).
    """
    data_dir = Path(settings.data_dir)
    try:
        data_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise DatabaseError(f"cannot create the data folder {data_dir}: {exc.strerror}") from exc
    try:
        engine = make_engine(settings.db_url)
    except (ArgumentError, ImportError) as exc:
        raise DatabaseError(
            f"cannot use the database URL '{_hide_password(settings.db_url)}' ({exc}); use "
            "sqlite:///PATH or postgresql+psycopg://USER@HOST/NAME"
        ) from exc
    try:
        if current_revisions(engine) != head_revisions(engine):
            upgrade(engine)
    except DatabaseError:
        engine.dispose()
        raise
    except Exception as exc:  # noqa: BLE001 - any driver error here means "cannot open"
        engine.dispose()
        reason = str(getattr(exc, "orig", None) or exc).splitlines()[0]
        raise DatabaseError(f"cannot open the database {_safe_url(engine)}: {reason}") from exc
    return engine


def _safe_url(engine: Engine) -> str:
    return engine.url.render_as_string(hide_password=True)


def _hide_password(url: str) -> str:
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return url.split("@")[-1] if "@" in url else url


def rowcount(result: object) -> int:
    """Rows a DELETE or UPDATE touched: ``Session.execute`` types its result generally, but a
    DML statement always gives a ``CursorResult`` (SQLAlchemy's documented narrowing)."""
    from sqlalchemy import CursorResult

    if not isinstance(result, CursorResult):
        raise TypeError(f"not the result of a DML statement: {type(result).__name__}")
    return int(result.rowcount)

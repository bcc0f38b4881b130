"""Shared fixtures: a data folder, a fresh database per test, its migrated engine,
and ``deltaker`` (the command line run in this process on them).

``db_url`` is a fresh SQLite file per test; when ``DELTAKER_TEST_POSTGRES_URL``
is set every test using it also runs on PostgreSQL, in a schema of its own that
is dropped afterwards (so tests never see each other's rows).
"""

from __future__ import annotations

import os
import secrets
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import pytest
from sqlalchemy import Engine, text

POSTGRES_ENV = "DELTAKER_TEST_POSTGRES_URL"

_BACKENDS = ["sqlite"]
if os.environ.get(POSTGRES_ENV):
    _BACKENDS.append(pytest.param("postgresql", marks=pytest.mark.postgres))


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    path = tmp_path / "data"
    path.mkdir()
    return path


@pytest.fixture(params=_BACKENDS)
def db_url(request: pytest.FixtureRequest, data_dir: Path) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{data_dir / 'deltaker.sqlite'}"
        return
    from intake.db import make_engine

    base_url = os.environ[POSTGRES_ENV]
    schema = "t_" + secrets.token_hex(6)
    admin = make_engine(base_url)
    with admin.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    separator = "&" if "?" in base_url else "?"
    # Every connection of the test's engine works inside the schema only.
    yield f"{base_url}{separator}options={quote(f'-csearch_path={schema}')}"
    with admin.begin() as connection:
        connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
    admin.dispose()


@pytest.fixture
def settings(data_dir: Path, db_url: str):
    from webapp.settings import Settings

    return Settings(data_dir=data_dir, db_url=db_url)


@pytest.fixture
def engine(settings) -> Iterator[Engine]:
    """The test's database with the schema at head (Alembic, as commands do it)."""
    from intake.db import open_database

    engine = open_database(settings)
    yield engine
    engine.dispose()


@dataclass(frozen=True)
class CommandRun:
    """What one in-process `deltaker` run gave: its exit code and what it printed."""

    returncode: int
    stdout: str
    stderr: str


@pytest.fixture
def deltaker(
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    data_dir: Path,
    db_url: str,
) -> Callable[..., CommandRun]:
    """Runs ``deltaker ARGS --data DATA --db URL`` in this process, on the test's database."""
    from webapp.cli import main

    def run(*args: str) -> CommandRun:
        argv = ["deltaker", *args, "--data", str(data_dir), "--db", db_url]
        monkeypatch.setattr(sys, "argv", argv)
        capsys.readouterr()
        code = 0
        try:
            main()
        except SystemExit as exc:
            code = int(exc.code or 0)
        captured = capsys.readouterr()
        return CommandRun(code, captured.out, captured.err)

    return run

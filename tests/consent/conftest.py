"""Consent fixtures: a real database file (SQLite; PostgreSQL when configured), schema by Alembic."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import Engine

from intake.db import open_database
from webapp.cli.common import Settings


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    data = tmp_path / "data"
    return Settings(data_dir=data, db_url=f"sqlite:///{(tmp_path / 'ledger.sqlite')}")


@pytest.fixture
def ledger_engine(settings: Settings) -> Engine:
    engine = open_database(settings)
    yield engine
    engine.dispose()

"""Consent fixtures on top of tests/conftest.py (real database files; PostgreSQL when set)."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine


@pytest.fixture
def ledger_engine(engine: Engine) -> Engine:
    return engine

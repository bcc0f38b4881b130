"""The app's database handle: one engine per app, short sessions per use.

Reads use a plain session; writes go through intake's ``session_scope`` (one
transaction, BEGIN IMMEDIATE on SQLite so concurrent writers queue instead of failing).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from flask import current_app
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from intake.db import read_scope, session_scope

EXTENSION = "deltaker"


def engine() -> Engine:
    return current_app.extensions[EXTENSION]["engine"]


@contextmanager
def reading() -> Iterator[Session]:
    """A session for reads (a deferred BEGIN: never waits for writers); nothing is committed."""
    with read_scope(engine()) as session:
        try:
            yield session
        finally:
            # detach what was loaded before read_scope rolls back, so pages can still show it
            session.expunge_all()


@contextmanager
def writing() -> Iterator[Session]:
    """One write transaction, committed on success and rolled back on any error."""
    with session_scope(engine()) as session:
        yield session

"""Sliding-window failure counters in the database (shared by every server process).

Only failures are counted (a wrong answer code, a wrong link, a wrong password),
so people who get it right never use up anyone's tries. The window slides: a
failure is counted in one-minute buckets and forgotten when its bucket is older
than the window, so no clock boundary (:00, :15) hands an attacker a fresh
allowance twice in a row. Addresses and user names are stored hashed. What each
limit protects, and what it costs, is in docs/webapp.md ("Limits").
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable
from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from .database import reading, writing
from .models import RateCounter, utcnow

GLOBAL_KEY = "global"
#: Failures are counted per minute; a window is the sum of its minutes (the newest one partly).
BUCKET = dt.timedelta(minutes=1)
_DIGEST_CHARS = 32


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:_DIGEST_CHARS]


def address_key(scope: str, address: str | None) -> str:
    return f"{scope}:{_digest(address or 'unknown')}"


def name_prefix(scope: str, name: str) -> str:
    """The start of every (name, address) key of one user name (an admin clears them all)."""
    return f"{scope}:{_digest(name)}:"


def name_address_key(scope: str, name: str, address: str | None) -> str:
    return name_prefix(scope, name) + _digest(address or "unknown")


def _bucket_start(now: dt.datetime) -> dt.datetime:
    seconds = int(BUCKET.total_seconds())
    epoch = int(now.timestamp())
    return dt.datetime.fromtimestamp(epoch - epoch % seconds, dt.UTC)


def _oldest_counted(now: dt.datetime, window: dt.timedelta) -> dt.datetime:
    # a bucket counts while any part of it is inside the window: a failure is
    # remembered for the window and at most one bucket more, never less
    return _bucket_start(now - window)


def failures(
    keys: Iterable[str], window: dt.timedelta, now: dt.datetime | None = None
) -> dict[str, int]:
    """How many failures each key has had in the window that ends now (counts nothing)."""
    wanted = list(keys)
    since = _oldest_counted(now or utcnow(), window)
    with reading() as db:
        rows = db.execute(
            select(RateCounter.key, func.sum(RateCounter.count))
            .where(RateCounter.key.in_(wanted), RateCounter.window_start >= since)
            .group_by(RateCounter.key)
        ).all()
    found = {key: int(total or 0) for key, total in rows}
    return {key: found.get(key, 0) for key in wanted}


def _insert_for(db: Session) -> Any:
    # one statement that adds or increments, so two processes never lose a count
    return postgresql.insert if db.get_bind().dialect.name == "postgresql" else sqlite.insert


def record_failure(
    keys: Iterable[str], window: dt.timedelta, now: dt.datetime | None = None
) -> None:
    """Count one failure on every key, and forget buckets that no window needs any more."""
    now = now or utcnow()
    start = _bucket_start(now)
    with writing() as db:
        insert = _insert_for(db)
        for key in keys:
            statement = insert(RateCounter).values(key=key, window_start=start, count=1)
            db.execute(
                statement.on_conflict_do_update(
                    index_elements=[RateCounter.key, RateCounter.window_start],
                    set_={"count": RateCounter.count + 1},
                )
            )
        # every limit's window is at most this long, see webapp/config.py
        db.execute(
            delete(RateCounter).where(
                RateCounter.window_start < _oldest_counted(now, window) - BUCKET
            )
        )


def forget(prefix: str) -> None:
    """Drop every count whose key starts with ``prefix`` (an admin unlocking a user name)."""
    with writing() as db:
        db.execute(delete(RateCounter).where(RateCounter.key.startswith(prefix, autoescape=True)))

"""Fixed-window attempt counters in the database (shared by every server process).

Typed answer codes are short enough to guess, so each address and the site as a
whole get a limited number of tries per window. Addresses are stored hashed.
"""

from __future__ import annotations

import datetime as dt
import hashlib

from sqlalchemy import delete, select

from .database import reading, writing
from .models import RateCounter, utcnow

GLOBAL_KEY = "global"


def _window_start(now: dt.datetime, window: dt.timedelta) -> dt.datetime:
    seconds = int(window.total_seconds())
    epoch = int(now.timestamp())
    return dt.datetime.fromtimestamp(epoch - epoch % seconds, dt.UTC)


def address_key(scope: str, address: str | None) -> str:
    digest = hashlib.sha256((address or "unknown").encode()).hexdigest()[:32]
    return f"{scope}:{digest}"


def allowed(
    keys_and_limits: list[tuple[str, int]], window: dt.timedelta, now: dt.datetime | None = None
) -> bool:
    """Whether every key is still under its limit in this window (counts nothing)."""
    start = _window_start(now or utcnow(), window)
    with reading() as db:
        for key, limit in keys_and_limits:
            count = db.scalar(
                select(RateCounter.count).where(
                    RateCounter.key == key, RateCounter.window_start == start
                )
            )
            if count is not None and count >= limit:
                return False
    return True


def hit(
    keys_and_limits: list[tuple[str, int]], window: dt.timedelta, now: dt.datetime | None = None
) -> bool:
    """Count one attempt on every key; False if any key was already at its limit.

    A refused attempt is not counted, so waiting out the window always helps.
    """
    now = now or utcnow()
    start = _window_start(now, window)
    with writing() as db:
        rows = []
        for key, limit in keys_and_limits:
            row = db.scalar(
                select(RateCounter).where(RateCounter.key == key, RateCounter.window_start == start)
            )
            if row is not None and row.count >= limit:
                return False
            rows.append((key, row))
        for key, row in rows:
            if row is None:
                db.add(RateCounter(key=key, window_start=start, count=1))
            else:
                row.count += 1
        # old windows are of no use any more
        db.execute(delete(RateCounter).where(RateCounter.window_start < start - window))
    return True

"""consent: the append-only, hash-chained consent ledger (see docs/consent.md).

``consent.record(session, ...)`` is :func:`consent.ledger.record`, imported on
first use so the pure modules (events, status, chain) load without a database.
"""

from __future__ import annotations

from typing import Any


def __getattr__(name: str) -> Any:
    if name == "record":
        from .ledger import record

        return record
    raise AttributeError(f"module 'consent' has no attribute {name!r}")

"""Small helpers for intake tests: database dumps to compare before and after."""

from __future__ import annotations

from sqlalchemy import Engine, MetaData, select


def dump(engine: Engine) -> dict[str, list[tuple]]:
    """Every row of every table, sorted, so "nothing changed" can be asserted exactly."""
    metadata = MetaData()
    metadata.reflect(engine)
    out: dict[str, list[tuple]] = {}
    with engine.connect() as connection:
        for name, table in sorted(metadata.tables.items()):
            rows = connection.execute(select(table)).all()
            out[name] = sorted(tuple(map(repr, row)) for row in rows)
    return out

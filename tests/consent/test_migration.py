"""Migration 0002_consent: an intake-only database gains the ledger and its guards."""

from __future__ import annotations

import pytest
from alembic import command
from sqlalchemy import inspect, text
from sqlalchemy.exc import DatabaseError as SQLDatabaseError

from intake.db import alembic_config, current_revisions, make_engine, session_scope, upgrade
from tests.consent.helpers import add_people, web_grant


def test_upgrade_from_intake_only_then_down_and_up_again(db_url):
    engine = make_engine(db_url)
    try:
        upgrade(engine, "0001_intake")
        assert "consent_events" not in inspect(engine).get_table_names()
        with session_scope(engine) as s:
            add_people(s, "P-AAAA")
        upgrade(engine, "0002_consent")
        assert current_revisions(engine) == {"0002_consent"}
        with session_scope(engine) as s:
            web_grant(s, "P-AAAA")
        with pytest.raises(SQLDatabaseError, match="append-only"):
            with engine.begin() as conn:
                conn.execute(text("DELETE FROM consent_events"))
        config = alembic_config(engine)
        with engine.begin() as conn:
            config.attributes["connection"] = conn
            command.downgrade(config, "0001_intake")
        assert "consent_events" not in inspect(engine).get_table_names()
        upgrade(engine, "0002_consent")
        with session_scope(engine) as s:
            web_grant(s, "P-AAAA")
        with pytest.raises(SQLDatabaseError, match="append-only"):
            with engine.begin() as conn:
                conn.execute(text("UPDATE consent_events SET actor = 'x'"))
    finally:
        engine.dispose()

"""The database layer: pragmas, BEGIN IMMEDIATE, migrations, sessions."""

from __future__ import annotations

import threading
import time

import pytest
from sqlalchemy import func, select, text

from forms.errors import UserError
from intake.db import (
    INTAKE_REVISION,
    Base,
    current_revisions,
    head_revisions,
    make_engine,
    open_database,
    read_scope,
    session_scope,
)
from intake.models import Participant, StudyRecord, utcnow


def test_open_database_creates_folder_and_schema(tmp_path):
    from webapp.settings import Settings

    settings = Settings.resolve(str(tmp_path / "new" / "data"), None)
    engine = open_database(settings)
    try:
        assert (tmp_path / "new" / "data" / "deltaker.sqlite").exists()
        assert current_revisions(engine) == head_revisions(engine)
        assert INTAKE_REVISION in {r for r in _walk(engine)}
    finally:
        engine.dispose()


def _walk(engine):
    from alembic.script import ScriptDirectory

    from intake.db import alembic_config

    script = ScriptDirectory.from_config(alembic_config(engine))
    return [r.revision for r in script.walk_revisions()]


def test_open_database_twice_is_harmless(settings):
    first = open_database(settings)
    with session_scope(first) as session:
        session.add(Participant(code="P-ABCD", language="nb", status="new"))
    first.dispose()
    second = open_database(settings)
    with read_scope(second) as session:
        assert session.scalar(select(func.count()).select_from(Participant)) == 1
    second.dispose()


def test_migrated_schema_matches_the_models(engine):
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from intake import models  # noqa: F401 - the tables compared below

    intake_tables = {t for t in Base.metadata.tables if not t.startswith("alembic")}
    with engine.connect() as connection:
        diff = compare_metadata(
            MigrationContext.configure(connection, opts={"compare_type": False}), Base.metadata
        )
    # Only the intake tables are this test's business; other areas test their own.
    ours = {
        "studies",
        "form_versions",
        "layout_maps",
        "participants",
        "contact_details",
        "invitations",
        "responses",
        "scanned_pages",
        "review_tasks",
        "export_log",
        "export_log_participants",
        "reminders",
    }
    assert ours <= intake_tables
    relevant = [d for d in _flatten(diff) if _table_of(d) in ours]
    assert relevant == []


def _flatten(diff):
    for entry in diff:
        if isinstance(entry, list):
            yield from entry
        else:
            yield entry


def _table_of(entry) -> str | None:
    for part in entry[1:]:
        if isinstance(part, str):
            return part
        name = getattr(part, "name", None)
        table = getattr(part, "table", None)
        if table is not None:
            return table.name
        if name:
            return name
    return None


def test_sqlite_pragmas_on_every_connection(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'p.sqlite'}")
    try:
        for _ in range(2):
            with engine.connect() as connection:
                assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
                assert connection.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL
                assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
                assert connection.exec_driver_sql("PRAGMA busy_timeout").scalar() >= 1000
            engine.dispose()
    finally:
        engine.dispose()


def test_foreign_keys_are_enforced(engine):
    from sqlalchemy.exc import IntegrityError

    from intake.models import ContactDetails

    with pytest.raises(IntegrityError):
        with session_scope(engine) as session:
            session.add(ContactDetails(participant_id=4242, name="Nobody"))


def test_session_scope_rolls_back_on_error(engine):
    with pytest.raises(RuntimeError):
        with session_scope(engine) as session:
            session.add(Participant(code="P-ABCD", language="nb", status="new"))
            session.flush()
            raise RuntimeError("boom")
    with read_scope(engine) as session:
        assert session.scalar(select(func.count()).select_from(Participant)) == 0


def test_concurrent_writers_queue_instead_of_failing(tmp_path):
    """Two writers that read before they write would deadlock under a deferred BEGIN."""
    from webapp.settings import Settings

    engine = open_database(Settings.resolve(str(tmp_path), None))
    with session_scope(engine) as session:
        session.add(StudyRecord(key="s", title={}, definition={"counter": 0}))
    errors: list[BaseException] = []

    def bump(times: int) -> None:
        try:
            for _ in range(times):
                with session_scope(engine) as session:
                    study = session.scalars(select(StudyRecord)).one()
                    value = study.definition["counter"]
                    time.sleep(0.002)  # widen the read-then-write window
                    study.definition = {"counter": value + 1}
        except BaseException as exc:  # noqa: BLE001 - collected and asserted below
            errors.append(exc)

    threads = [threading.Thread(target=bump, args=(15,)) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    with read_scope(engine) as session:
        assert session.scalars(select(StudyRecord)).one().definition["counter"] == 45
    engine.dispose()


def test_times_come_back_aware_utc(engine):
    with session_scope(engine) as session:
        session.add(Participant(code="P-ZZZZ", language="nb", status="new"))
    with read_scope(engine) as session:
        created = session.scalars(select(Participant)).one().created_at
    assert created.tzinfo is not None
    assert abs((utcnow() - created).total_seconds()) < 60


def test_unknown_schema_version_is_a_clear_error(settings):
    engine = open_database(settings)
    with engine.begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = '9999_future'"))
    engine.dispose()
    with pytest.raises(UserError, match="9999_future"):
        open_database(settings)


def test_unreachable_database_is_a_clear_error(tmp_path):
    from webapp.settings import Settings

    settings = Settings(data_dir=tmp_path, db_url="sqlite:////nonexistent-dir/x/y.sqlite")
    with pytest.raises(UserError, match="cannot open the database"):
        open_database(settings)


def test_an_older_database_is_upgraded_in_place_keeping_its_rows(settings):
    from intake.db import upgrade

    engine = make_engine(settings.db_url)
    upgrade(engine, INTAKE_REVISION)
    assert current_revisions(engine) == {INTAKE_REVISION}
    with session_scope(engine) as session:
        session.add(Participant(code="P-OLD2", language="nn", status="new"))
    engine.dispose()
    upgraded = open_database(settings)
    try:
        assert current_revisions(upgraded) == head_revisions(upgraded)
        with read_scope(upgraded) as session:
            assert session.scalars(select(Participant.code)).all() == ["P-OLD2"]
    finally:
        upgraded.dispose()


@pytest.mark.parametrize("url", ["mysql://user:secret@host/db", "not a url", "oracle://x/y"])
def test_unusable_database_url_is_a_clear_error(tmp_path, url):
    from webapp.settings import Settings

    with pytest.raises(UserError, match="cannot use the database URL") as caught:
        open_database(Settings(data_dir=tmp_path, db_url=url))
    assert "secret" not in caught.value.format()


def test_the_export_log_gains_its_people_keeping_old_rows(db_url):
    """0005: an export logged before keeps its count of people and gets 0 rows; down and up."""
    from alembic import command
    from sqlalchemy import inspect

    from intake.db import alembic_config, upgrade

    engine = make_engine(db_url)
    try:
        upgrade(engine, "0004_reminders")
        with engine.begin() as conn:
            conn.execute(
                text(
                    "INSERT INTO export_log (at, actor, kind, path, file_format, participants) "
                    "VALUES (:at, 'kari', 'results', 'r.xlsx', 'xlsx', 7)"
                ),
                {"at": "2026-11-30 10:00:00.000000"},
            )
        upgrade(engine, "0005_export_people")
        with engine.connect() as conn:
            old = conn.execute(text("SELECT participants, rows FROM export_log")).one()
        assert tuple(old) == (7, 0)
        config = alembic_config(engine)
        with engine.begin() as conn:
            config.attributes["connection"] = conn
            command.downgrade(config, "0004_reminders")
        assert "export_log_participants" not in inspect(engine).get_table_names()
        assert "rows" not in {c["name"] for c in inspect(engine).get_columns("export_log")}
        upgrade(engine, "0005_export_people")
        assert "export_log_participants" in inspect(engine).get_table_names()
    finally:
        engine.dispose()

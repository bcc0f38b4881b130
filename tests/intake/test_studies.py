"""Studies and form versions in the database; stored definitions and layout maps."""

from __future__ import annotations

from dataclasses import replace

import pytest
from sqlalchemy import func, select

from intake.db import read_scope, session_scope
from intake.definitions import form_from_json, form_to_json
from intake.models import FormVersion
from tests.factories import make_consent_form, make_questionnaire, make_study, t


@pytest.mark.parametrize("make", [make_questionnaire, make_consent_form])
def test_form_definition_round_trips_through_json(make):
    import json

    form = make()
    assert form_from_json(json.loads(json.dumps(form_to_json(form)))) == form


def test_load_study_adds_new_versions_and_keeps_old(engine):
    pytest.importorskip("forms.version")
    from intake.studies import (
        form_version,
        get_layout_map,
        get_study,
        latest_versions,
        load_study_into_db,
        store_layout_map,
        stored_form,
    )

    study = make_study()
    with session_scope(engine) as session:
        report = load_study_into_db(session, study)
        assert {f for f, _ in report.added} == {"consent", "families"}
    with session_scope(engine) as session:
        again = load_study_into_db(session, study)
        assert again.added == () and len(again.unchanged) == 2

    changed_form = make_questionnaire(title=t("Nye spørsmål", "Nye spørsmål", "New questions"))
    with session_scope(engine) as session:
        changed = replace(study, forms=(make_consent_form(), changed_form))
        report = load_study_into_db(session, changed)
        assert [f for f, _ in report.added] == ["families"]
    with read_scope(engine) as session:
        assert session.scalar(select(func.count()).select_from(FormVersion)) == 3
        record = get_study(session)
        newest = form_version(session, record, "families")
        assert stored_form(newest) == changed_form
        assert {v.form_key for v in latest_versions(session, record)} == {"consent", "families"}

    with session_scope(engine) as session:
        record = get_study(session)
        version = form_version(session, record, "consent")
        first = {"form": "consent", "pages": [{"page": 1}], "geometry": version.geometry}
        store_layout_map(session, version, "nb", "standard", first)
        store_layout_map(session, version, "nb", "standard", {"form": "consent", "pages": []})
    with read_scope(engine) as session:
        version = form_version(session, get_study(session), "consent")
        assert get_layout_map(session, version, "nb").map == first
        assert get_layout_map(session, version, "en") is None


def test_missing_study_is_a_clear_error(engine):
    from forms.errors import UserError
    from intake.studies import get_study

    with read_scope(engine) as session, pytest.raises(UserError, match="no study"):
        get_study(session)

"""Labelled SPSS and Stata files: written from a study with answers, read back with pyreadstat."""

from __future__ import annotations

import datetime as dt

import pyreadstat
import pytest
from click.testing import CliRunner
from sqlalchemy import select

from intake.db import read_scope, session_scope
from intake.ingest import ingest_manual, ingest_web_submission
from intake.models import ExportLog, Participant
from intake.statfiles import (
    NOT_ANSWERED,
    NOT_ASKED,
    NOT_READABLE,
    safe_names,
    stat_paths,
    write_stat_files,
)
from intake.studies import get_study, load_study_into_db
from tests.factories import make_study


@pytest.fixture
def filled(engine):
    with session_scope(engine) as session:
        load_study_into_db(session, make_study())
        for code in ("P-AAAA", "P-BBBB"):
            session.add(Participant(code=code, language="nb", status="new", group="families"))
        session.flush()
        ingest_web_submission(
            session,
            submission_id="s1",
            form="families",
            participant="P-AAAA",
            answers={
                "housing": "rent",
                "help": ["nav", "family"],
                "children": "yes",
                "satisfied": "4",
                "rooms": "3",
                "moved": "2024-05-01",
                "name": "Kari",
                "story": "Long\nstory",
            },
        )
        typed, _ = ingest_manual(
            session,
            form="families",
            participant="P-BBBB",
            entered_by="Ola",
            answers={"housing": "own"},
        )
        # stored before manual entry checked numbers and dates (forms.answers): such
        # old answers are "not readable" in the statistics files
        typed.answers = {**typed.answers, "rooms": "to", "moved": "i fjor"}
    return engine


def export(engine, tmp_path, fmt):
    from privacy.exports import results

    return results(engine, tmp_path / f"results.{fmt}", actor="tester")


def by_participant(frame):
    return {row["participant"]: row for _, row in frame.iterrows()}


def test_sav_values_labels_and_missing_codes(filled, tmp_path):
    result = export(filled, tmp_path, "sav")
    path = tmp_path / "results.families.sav"
    assert path in result.files and result.rows["families"] == 2
    frame, meta = pyreadstat.read_sav(str(path), user_missing=True)
    rows = by_participant(frame)
    web, manual = rows["P-AAAA"], rows["P-BBBB"]
    # study default language nb: question texts and choice labels in Norwegian
    labels = dict(zip(meta.column_names, meta.column_labels, strict=True))
    assert labels["housing"] == "Hvor bor du?"
    assert labels["help__kommune"] == "Hvem har hjulpet deg?: Kommunen"
    housing = meta.variable_value_labels["housing"]
    assert {housing[1.0], housing[2.0], housing[3.0]} == {"Jeg leier", "Jeg eier", "Annet"}
    assert housing[float(NOT_ANSWERED)] == "not answered"
    assert housing[float(NOT_ASKED)] == "not asked"
    assert (web["housing"], manual["housing"]) == (1.0, 2.0)
    assert (web["help__nav"], web["help__kommune"], web["help__family"]) == (1, 0, 1)
    assert meta.variable_value_labels["help__nav"][1.0] == "marked"
    assert manual["help__nav"] == NOT_ANSWERED
    assert (web["children"], manual["children"]) == (1, NOT_ANSWERED)
    assert meta.variable_value_labels["children"][1.0] == "Ja"
    assert web["satisfied"] == 4
    assert meta.variable_value_labels["satisfied"][1.0] == "Lite"
    assert (web["rooms"], manual["rooms"]) == (3.0, NOT_READABLE)
    assert web["moved"] == dt.date(2024, 5, 1)
    assert meta.original_variable_types["moved"] == "DATE11"
    assert (web["name"], manual["name"]) == ("Kari", "")
    assert web["story"] == "Long\nstory"
    assert meta.variable_display_width  # a real SPSS file with its dictionary
    missing = {m["lo"] for m in meta.missing_ranges["housing"]}
    assert missing == {float(NOT_ANSWERED), float(NOT_ASKED), float(NOT_READABLE)}
    # read as an analyst does, user-missing values become missing
    plain, _ = pyreadstat.read_sav(str(path))
    assert plain.set_index("participant").loc["P-BBBB", "help__nav"] != NOT_ANSWERED


def test_dta_values_labels_and_extended_missing(filled, tmp_path):
    export(filled, tmp_path, "dta")
    path = tmp_path / "results.families.dta"
    frame, meta = pyreadstat.read_dta(str(path), user_missing=True)
    rows = by_participant(frame)
    web, manual = rows["P-AAAA"], rows["P-BBBB"]
    labels = dict(zip(meta.column_names, meta.column_labels, strict=True))
    assert labels["children"] == "Har du barn?"
    assert meta.variable_value_labels["housing"][1] == "Jeg leier"
    assert web["housing"] == 1 and manual["housing"] == 2
    assert manual["help__nav"] == "a"  # .a: not answered
    assert manual["rooms"] == "c"  # .c: written, not a number
    assert web["rooms"] == 3
    assert all(len(name) <= 32 for name in meta.column_names)


def test_every_export_is_logged(filled, tmp_path):
    export(filled, tmp_path, "sav")
    with read_scope(filled) as session:
        log = session.scalars(select(ExportLog)).one()
        assert (log.kind, log.file_format, log.actor) == ("results", "sav", "tester")
        assert log.path.endswith(".sav")


def test_not_asked_when_the_item_was_not_on_the_version(filled, tmp_path):
    from dataclasses import replace

    from tests.factories import make_questionnaire

    def rooms(new_id):
        return replace(make_questionnaire().item("rooms"), id=new_id)

    study = make_study()
    newer = replace(
        make_questionnaire(),
        sections=tuple(
            replace(s, items=s.items + (replace(s.items[-1], id="extra"), rooms("extra_n")))
            if n == 0
            else s
            for n, s in enumerate(make_questionnaire().sections)
        ),
    )
    study = replace(study, forms=tuple(newer if f.id == "families" else f for f in study.forms))
    with session_scope(filled) as session:
        load_study_into_db(session, study)
    export(filled, tmp_path, "sav")
    frame, _ = pyreadstat.read_sav(str(tmp_path / "results.families.sav"), user_missing=True)
    assert "extra" in frame.columns
    assert (frame["extra"] == "").all()  # text: both missing kinds are ""
    assert (frame["extra_n"] == NOT_ASKED).all()  # neither response's version had it


def test_safe_names_are_valid_unique_and_stable():
    sources = ["received (UTC)", "2nd", "and", "x" * 40, "x" * 40 + "y", "a__b", "a__b"]
    names = safe_names(sources, 32)
    assert names[:3] == ["received_utc", "v_2nd", "and_"]
    assert all(len(n) <= 32 for n in names)
    assert len(set(names)) == len(names)
    assert safe_names(sources, 32) == names
    assert safe_names(["x" * 70], 64)[0] != safe_names(["x" * 70], 32)[0]


def test_paths_and_refusal_to_overwrite(filled, tmp_path):
    from pathlib import Path

    assert stat_paths(Path("out/results.sav"), ["families", "a b"], "sav") == {
        "families": Path("out/results.families.sav"),
        "a b": Path("out/results.a-b.sav"),
    }
    export(filled, tmp_path, "dta")
    from forms.errors import UserError

    with pytest.raises(UserError, match="exists"), read_scope(filled) as session:
        write_stat_files(session, tmp_path / "results.dta", study=get_study(session), fmt="dta")


def test_the_export_command_writes_sav(filled, tmp_path, data_dir, db_url):
    from webapp.cli import cli

    args = ["export", "--format", "sav", "--out", str(tmp_path / "r.sav")]
    result = CliRunner().invoke(cli, [*args, "--data", str(data_dir), "--db", db_url])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "r.families.sav").exists()
    assert "families: 2 rows" in result.output

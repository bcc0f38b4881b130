"""The record of processing activities (GDPR Art. 30): `deltaker audit processing`."""

from __future__ import annotations

import dataclasses
import subprocess
from pathlib import Path

import openpyxl
import pdfplumber
import pytest

from forms.errors import DefinitionErrors
from forms.load import load_study
from forms.model import ItemType
from intake.db import session_scope
from intake.definitions import form_to_json, study_to_json
from intake.studies import load_study_into_db
from privacy.processing import ITEM_DATA_CATEGORY, TOOL_SECURITY_MEASURES, study_facts
from tests.consent.test_commands import fill

EXAMPLE = Path(__file__).resolve().parents[2] / "examples/u-sving"


def test_every_item_type_has_a_data_category():
    assert set(ITEM_DATA_CATEGORY) == set(ItemType)


def test_defaults_come_from_the_study_and_its_forms():
    study = load_study(EXAMPLE)
    bare = dataclasses.replace(study, processing=type(study.processing)())
    facts = study_facts(study_to_json(bare), [form_to_json(f) for f in study.forms])
    assert facts.controller.name == "Høgskolen i Fjordby"
    assert facts.controller.address == study.project_leader.address
    assert facts.security_measures == TOOL_SECURITY_MEASURES
    assert facts.jurisdiction == "NO"
    families = next(f for f in study.forms if f.id == "families").title.get("en")
    assert any(families in c and "free text" in c for c in facts.data_categories)
    assert any(families in s for s in facts.data_subjects)
    assert facts.recipients == (study.access.get("en"),)
    assert facts.withdrawal_slip


def test_the_example_study_says_what_it_knows():
    study = load_study(EXAMPLE)
    facts = study_facts(study_to_json(study), [form_to_json(f) for f in study.forms])
    assert facts.controller.email == "postmottak@hifj.example.no"
    assert facts.storage_location.startswith("Høgskolen i Fjordby's research server")
    assert len(facts.data_subjects) == 2
    assert facts.withdrawal_phone == "+47 55 00 12 34"


@pytest.mark.parametrize(
    ("block", "says"),
    [
        ("processing:\n  jurisdiction: Norway\n", "is not a country code"),
        ("processing:\n  recipients: everyone\n", "expected a list"),
        ("processing:\n  controler: {name: X}\n", "controler"),
        ("processing:\n  controller: {address: X}\n", "name"),
        ("processing: yes\n", "expected 'key: value' lines"),
    ],
)
def test_a_wrong_processing_block_is_an_error_with_its_line(tmp_path, block, says):
    folder = tmp_path / "study"
    subprocess.run(["cp", "-r", str(EXAMPLE), str(folder)], check=True)
    text = (folder / "study.yaml").read_text(encoding="utf-8")
    start = text.index("\nprocessing:")
    end = text.index("\n# The separate things")
    (folder / "study.yaml").write_text(text[:start] + "\n" + block + text[end:], encoding="utf-8")
    with pytest.raises(DefinitionErrors) as caught:
        load_study(folder)
    message = str(caught.value)
    assert says in message and "study.yaml:" in message


def test_pdf_and_xlsx(deltaker, engine, data_dir, tmp_path):
    with session_scope(engine) as session:
        load_study_into_db(session, load_study(EXAMPLE))
    pdf = tmp_path / "ropa.pdf"
    result = deltaker("audit", "processing", "--out", str(pdf))
    assert result.returncode == 0, result.stderr
    with pdfplumber.open(pdf) as document:
        words = " ".join(page.extract_text() or "" for page in document.pages)
    for expected in (
        "Record of processing activities: u-sving",
        "(a) Controller",
        "Postboks 100, 5999 Fjordby",
        "(g) Technical and organisational security measures",
        "hash-chained ledger",
        "until 2027-12-31; then the data are anonymised",
        "Staff at Fjordby kommune",
    ):
        assert expected in words.replace("\n", " "), expected
    xlsx = tmp_path / "ropa.xlsx"
    assert deltaker("audit", "processing", "--out", str(xlsx)).returncode == 0
    sheet = openpyxl.load_workbook(xlsx, read_only=True)["Record of processing"]
    rows = [tuple(r) for r in sheet.iter_rows(values_only=True)]
    assert rows[0] == ("section", "what", "value")
    assert (
        "(a) Controller and data protection officer",
        "controller",
        "Høgskolen i Fjordby",
    ) in rows
    assert sum(1 for r in rows if r[1] == "measure") == len(TOOL_SECURITY_MEASURES)


@pytest.mark.parametrize(
    ("out", "says"),
    [
        ("{tmp}/ropa.docx", ".pdf or .xlsx"),
        ("{tmp}/nowhere/ropa.pdf", "does not exist"),
        ("{tmp}/nowhere/ropa.xlsx", "does not exist"),
        ("{tmp}/exists.pdf", "--force"),
    ],
)
def test_bad_output(deltaker, engine, data_dir, tmp_path, out, says):
    fill(engine, data_dir)
    (tmp_path / "exists.pdf").write_bytes(b"keep")
    result = deltaker("audit", "processing", "--out", out.format(tmp=tmp_path))
    assert result.returncode == 1
    assert says in result.stderr and "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert (tmp_path / "exists.pdf").read_bytes() == b"keep"

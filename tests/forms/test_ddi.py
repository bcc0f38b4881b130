"""`deltaker codebook --format ddi`: DDI-Codebook 2.5 XML, valid against the official schema."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from lxml import etree

from forms.ddi import NAMESPACE, ddi_codebook
from forms.redcap import import_redcap
from tests.factories import make_study
from webapp.cli import cli

ROOT = Path(__file__).resolve().parents[2]
SCHEMA = Path(__file__).parent / "data" / "ddi" / "codebook-2.5" / "schemas" / "codebook.xsd"
NS = {"d": NAMESPACE}


@pytest.fixture(scope="module")
def schema() -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(SCHEMA)))


def valid(schema: etree.XMLSchema, data: bytes) -> etree._Element:
    document = etree.fromstring(data)
    assert schema.validate(document), schema.error_log
    return document


def test_the_study_codebook_is_valid_ddi(schema):
    study = make_study()
    document = valid(schema, ddi_codebook(study.forms, title="U-sving", language="nb"))
    names = document.xpath("//d:var/@name", namespaces=NS)
    assert "housing" in names and "help__kommune" in names
    housing = document.xpath("//d:var[@name='housing']", namespaces=NS)[0]
    assert housing.findtext("d:labl", namespaces=NS) == "Hvor bor du?"
    categories = [
        (c.findtext("d:catValu", namespaces=NS), c.findtext("d:labl", namespaces=NS))
        for c in housing.findall("d:catgry", namespaces=NS)
    ]
    assert categories == [("rent", "Jeg leier"), ("own", "Jeg eier"), ("other", "Annet")]
    rooms = document.xpath("//d:var[@name='rooms']", namespaces=NS)[0]
    assert rooms.get("intrvl") == "contin"
    assert rooms.find("d:varFormat", namespaces=NS).get("type") == "numeric"
    option = document.xpath("//d:var[@name='help__kommune']/d:labl", namespaces=NS)[0]
    assert option.text == "Hvem har hjulpet deg?: Kommunen"


def test_a_redcap_instrument_is_valid_ddi(schema):
    result = import_redcap(
        ROOT / "tests/forms/data/redcap/redcapr-survey.csv", form="participant_info_survey"
    )
    valid(schema, ddi_codebook([result.form], title="Survey", language="en"))


def test_the_command_writes_ddi(tmp_path, schema):
    out = tmp_path / "codebook.xml"
    result = CliRunner().invoke(
        cli, ["codebook", str(ROOT / "examples" / "u-sving"), "--format", "ddi", "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    document = valid(schema, out.read_bytes())
    assert document.findtext("d:stdyDscr/d:citation/d:titlStmt/d:titl", namespaces=NS)
    refused = CliRunner().invoke(
        cli,
        [
            "codebook",
            str(ROOT / "examples" / "u-sving"),
            "--format",
            "ddi",
            "--out",
            str(tmp_path / "c.xlsx"),
        ],
    )
    assert refused.exit_code != 0
    assert "a DDI codebook is XML" in str(refused.exception or refused.output)

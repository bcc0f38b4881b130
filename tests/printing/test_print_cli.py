"""`deltaker letters / blank / layout` as a person types them: output, and one-line errors."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pypdfium2 as pdfium
import pytest

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "u-sving"


def deltaker(*args: str, data: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", "from webapp.cli import main; main()", "--data", str(data), *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
    )


@pytest.fixture
def study(tmp_path) -> Path:
    folder = tmp_path / "study"
    shutil.copytree(EXAMPLE, folder)
    return folder


def test_layout_of_a_form_file_prints_the_design_map(tmp_path, study):
    done = deltaker(
        "layout",
        str(study / "forms" / "consent.yaml"),
        "--lang",
        "nn",
        "--json",
        data=tmp_path / "data",
    )
    assert done.returncode == 0, done.stderr
    layout_map = json.loads(done.stdout)
    assert layout_map["study"] == "u-sving" and layout_map["language"] == "nn"
    assert {f["kind"] for p in layout_map["pages"] for f in p["fields"]} >= {"choice", "signature"}


def test_blank_from_a_form_file_and_the_whole_letter_run(tmp_path, study):
    data = tmp_path / "data"
    out = tmp_path / "blank.pdf"
    done = deltaker(
        "blank",
        str(study / "forms" / "employees.yaml"),
        "--copies",
        "3",
        "--first-serial",
        "100",
        "--out",
        str(out),
        data=data,
    )
    assert done.returncode == 0, done.stderr
    assert "serials 100-102" in done.stdout
    pages = len(pdfium.PdfDocument(out))
    assert pages % 3 == 0 and pages >= 3

    people = tmp_path / "people.csv"
    people.write_text(
        "navn,adresse,postnummer,poststed,gruppe\nÅse Øvrebø,Storgata 1,0155,Oslo,families\n",
        encoding="utf-8",
    )
    assert deltaker("study", "load", str(study), data=data).returncode == 0
    assert deltaker("participants", "import", str(people), data=data).returncode == 0
    letters = tmp_path / "letters.pdf"
    done = deltaker("letters", "--out", str(letters), "--date", "2026-11-22", data=data)
    assert done.returncode == 0, done.stderr
    assert "Printed 1 packs" in done.stdout
    assert (tmp_path / "letters.manifest.xlsx").is_file()
    done = deltaker("layout", "families", "--json", data=data)
    assert json.loads(done.stdout)["form"] == "families"


@pytest.mark.parametrize(
    "args,message",
    [
        (["letters", "--out", "x.txt"], "must end in .pdf"),
        (["letters"], "--out FILE.pdf"),
        (["letters", "--out", "x.pdf", "--date", "22.11.2026"], "YYYY-MM-DD"),
        (["letters", "--out", "x.pdf"], "no study is loaded"),
        (["blank", "nosuch.yaml", "--copies", "2", "--out", "x.pdf"], "does not exist"),
        (
            ["blank", "{study}/forms/families.yaml", "--copies", "0", "--out", "x.pdf"],
            "between 1 and",
        ),
        (
            [
                "blank",
                "{study}/forms/families.yaml",
                "--copies",
                "1",
                "--out",
                "x.pdf",
                "--lang",
                "de",
            ],
            "no texts in 'de'",
        ),
        (["layout", "{study}/forms/families.yaml", "--lang", "sv"], "no texts in 'sv'"),
        (["layout", "{study}/forms/families.yaml", "--version", "abcdef12"], "--version"),
        (["layout", "families"], "no study is loaded"),
    ],
)
def test_bad_input_is_one_clear_line(tmp_path, study, args, message):
    args = [a.replace("{study}", str(study)) for a in args]
    done = deltaker(*args, data=tmp_path / "data")
    assert done.returncode != 0
    assert message in done.stderr
    assert "Traceback" not in done.stderr and len(done.stderr.strip().splitlines()) == 1

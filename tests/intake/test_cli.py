"""The intake commands as a recruiter and an assistant use them (through main())."""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

import openpyxl
import pytest

from webapp.cli import main

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "u-sving"


@dataclass
class Run:
    returncode: int
    stdout: str
    stderr: str


@pytest.fixture
def deltaker(capsys, monkeypatch):
    """Run `deltaker ARGS --data D --db URL` in this process, through main() as installed."""

    def run(db_url: str, data_dir: Path, *args: str) -> Run:
        monkeypatch.setattr(
            sys, "argv", ["deltaker", *args, "--data", str(data_dir), "--db", db_url]
        )
        capsys.readouterr()
        code = 0
        try:
            main()
        except SystemExit as exc:
            code = int(exc.code or 0)
        captured = capsys.readouterr()
        return Run(code, captured.out, captured.err)

    return run


def test_recruiter_and_assistant_round(deltaker, db_url, data_dir, tmp_path):
    loaded = deltaker(db_url, data_dir, "study", "load", str(EXAMPLE))
    assert loaded.returncode == 0, loaded.stderr
    assert "added" in loaded.stdout and "Study 'u-sving' loaded" in loaded.stdout
    again = deltaker(db_url, data_dir, "study", "load", str(EXAMPLE))
    assert "0 new form version(s)" in again.stdout

    people = tmp_path / "liste.csv"
    people.write_bytes(
        "Navn;Adresse;Postnummer;Poststed;Språk\r\n"
        "Kari Nordmann;Storgata 1;0150;Oslo;bokmål\r\n"
        "Åse Ødegård;Vei 2;5003;Bergen;nynorsk\r\n"
        "Feil Person;Vei 3;50;Bergen;nb\r\n".encode("cp1252")
    )
    refused = deltaker(db_url, data_dir, "participants", "import", str(people))
    assert refused.returncode == 1
    assert "row 4, postcode" in refused.stderr and "nothing was imported" in refused.stderr
    assert "Traceback" not in refused.stderr

    rejected = tmp_path / "avvist.csv"
    imported = deltaker(
        db_url,
        data_dir,
        "participants",
        "import",
        str(people),
        "--skip-invalid",
        "--rejected-out",
        str(rejected),
        "--group",
        "familier",
    )
    assert imported.returncode == 0, imported.stderr
    assert "Imported 2 people." in imported.stdout
    assert "Feil Person" in rejected.read_text(encoding="utf-8-sig")

    listed = deltaker(db_url, data_dir, "participants", "list")
    assert listed.stdout.count("P-") == 2 and "Kari" not in listed.stdout
    assert "familier" in listed.stdout
    with_contacts = deltaker(
        db_url, data_dir, "participants", "list", "--with-contacts", "--by", "Recruiter R"
    )
    assert "Kari Nordmann" in with_contacts.stdout

    tasks = deltaker(db_url, data_dir, "review", "list")
    assert tasks.returncode == 0 and "0 task(s)" in tasks.stderr
    missing = deltaker(db_url, data_dir, "review", "resolve", "99", "--value", "yes", "--by", "A")
    assert missing.returncode == 1 and "no review task 99" in missing.stderr

    out = tmp_path / "results.xlsx"
    exported = deltaker(
        db_url, data_dir, "export", "--out", str(out), "--with-contacts", "--by", "Assistant A"
    )
    assert exported.returncode == 0, exported.stderr
    workbook = openpyxl.load_workbook(out, read_only=True)
    assert {"consent", "families", "codebook", "participants"} <= set(workbook.sheetnames)
    workbook.close()
    refused_overwrite = deltaker(db_url, data_dir, "export", "--out", str(out))
    assert refused_overwrite.returncode == 1 and "--force" in refused_overwrite.stderr


def test_db_upgrade_and_bad_database(deltaker, db_url, data_dir):
    upgraded = deltaker(db_url, data_dir, "db", "upgrade")
    assert upgraded.returncode == 0 and "schema version" in upgraded.stdout
    bad = deltaker("sqlite:////nonexistent-folder/x.sqlite", data_dir, "db", "upgrade")
    assert bad.returncode == 1
    assert bad.stderr.count("\n") == 1 and "cannot open the database" in bad.stderr

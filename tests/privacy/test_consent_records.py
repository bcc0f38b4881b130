"""Consent records (ISO/IEC TS 27560, DPV JSON-LD) through `deltaker consent records`.

A real database file: two people who answered on paper (tests.consent.test_commands.fill),
one of whom later withdrew one item by phone. The file is validated against the
JSON Schema kept in the repository, and checked against the ledger.
"""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
from sqlalchemy import func, select

from consent import ledger
from intake.db import read_scope
from intake.models import ExportLog
from tests.consent.test_commands import fill
from tests.consent.test_tampering import tamper

SCHEMA = Path(__file__).resolve().parents[2] / "privacy/schemas/consent-record-27560.schema.json"


def validator() -> jsonschema.protocols.Validator:
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    return cls(schema, format_checker=cls.FORMAT_CHECKER)


@pytest.fixture
def filled(deltaker, engine, data_dir):
    fill(engine, data_dir)
    done = deltaker(
        "consent",
        "withdraw",
        "P-AAAA",
        "audio",
        "--note",
        "rang to say no to audio",
        "--by",
        "staff1",
    )
    assert done.returncode == 0, done.stderr
    return engine


def export_count(engine) -> int:
    with read_scope(engine) as session:
        return session.scalar(select(func.count()).select_from(ExportLog)) or 0


def test_records_follow_the_schema_and_the_ledger(deltaker, filled, tmp_path):
    out = tmp_path / "records.jsonld"
    result = deltaker("consent", "records", "--out", str(out))
    assert result.returncode == 0, result.stderr
    assert "4 consent record(s) for 2 participant(s)" in result.stdout
    raw = out.read_text(encoding="utf-8")
    document = json.loads(raw)
    errors = sorted(validator().iter_errors(document), key=str)
    assert errors == []
    # the PII principal is the code: no name, address or phone number is in the file
    for personal in ("Kari Nordmann", "Ola Nordmann", "Storgata", "12345678 ", "rang to say"):
        assert personal not in raw
    records = {
        (
            r["dpv:hasDataSubject"]["dct:identifier"],
            r["dpv:hasProcess"]["dpv:hasPurpose"]["dct:identifier"],
        ): r
        for r in document["@graph"]
    }
    assert set(records) == {(p, i) for p in ("P-AAAA", "P-BBBB") for i in ("interview", "audio")}
    audio = records[("P-AAAA", "audio")]
    states = [e["@type"][0] for e in audio["dpv:hasConsentStatus"]]
    assert states == ["dpv:ConsentGiven", "dpv:ConsentWithdrawn"]
    phone = audio["dpv:hasConsentStatus"][-1]
    assert (phone["deltaker:channel"], phone["deltaker:actor"]) == ("phone", "staff1")
    assert audio["deltaker:currentState"] == "dpv:ConsentWithdrawn"
    assert records[("P-BBBB", "audio")]["dpv:hasConsentStatus"][0]["@type"][0] == (
        "dpv:ConsentRefused"
    )
    with read_scope(filled) as session:
        events = {e.seq: e for e in ledger.iter_events(session)}
    for record in document["@graph"]:
        last = events[record["deltaker:lastEventSeq"]]
        assert last.hash == record["deltaker:lastEventHash"] == last.compute_hash()
        assert last.participant == record["dpv:hasDataSubject"]["dct:identifier"]
    # the same record keeps its id when written again
    again = tmp_path / "again.jsonld"
    assert deltaker("consent", "records", "--out", str(again)).returncode == 0
    ids = [r["dct:identifier"] for r in json.loads(again.read_text())["@graph"]]
    assert ids == [r["dct:identifier"] for r in document["@graph"]]
    with read_scope(filled) as session:
        logged = session.execute(
            select(ExportLog.kind, ExportLog.participants, ExportLog.file_format)
        ).all()
    assert [tuple(row) for row in logged] == [("consent_records", 2, "jsonld")] * 2


def test_one_participant(deltaker, filled, tmp_path):
    out = tmp_path / "one.jsonld"
    result = deltaker("consent", "records", "--participant", "P-BBBB", "--out", str(out))
    assert result.returncode == 0, result.stderr
    document = json.loads(out.read_text())
    assert validator().is_valid(document)
    assert {r["dpv:hasDataSubject"]["dct:identifier"] for r in document["@graph"]} == {"P-BBBB"}


def test_changing_one_ledger_event_makes_the_record_disagree(deltaker, filled, tmp_path):
    out = tmp_path / "records.jsonld"
    assert deltaker("consent", "records", "--out", str(out)).returncode == 0
    before = deltaker("consent", "records", "--check", str(out))
    assert before.returncode == 0 and "4 record(s) agree" in before.stdout
    record = next(
        r
        for r in json.loads(out.read_text())["@graph"]
        if r["deltaker:currentState"] == "dpv:ConsentWithdrawn"
    )
    seq = record["deltaker:lastEventSeq"]
    # as an attacker with database access would: without the append-only triggers
    tamper(
        filled,
        "UPDATE consent_events SET actor = 'someone else' WHERE seq = :seq",
        params={"seq": seq},
    )
    verify = deltaker("audit", "verify")
    assert verify.returncode == 1
    assert f"event #{seq} " in verify.stderr and "changed" in verify.stderr
    check = deltaker("consent", "records", "--check", str(out))
    assert check.returncode == 1
    assert f"event #{seq} now hashes to" in check.stderr
    assert record["dct:identifier"] in check.stderr
    with read_scope(filled) as session:
        [changed] = [e for e in ledger.iter_events(session) if e.seq == seq]
    assert changed.compute_hash() != record["deltaker:lastEventHash"]


@pytest.mark.parametrize(
    ("args", "code", "says"),
    [
        (["--participant", "P-ZZZZ", "--out", "{tmp}/r.jsonld"], 3, "P-ZZZZ"),
        (["--out", "{tmp}/r.json"], 1, ".jsonld"),
        (["--out", "{tmp}/r.pdf"], 1, ".jsonld"),
        (["--out", "{tmp}/no/such/folder/r.jsonld"], 1, "does not exist"),
        (["--out", "{tmp}/exists.jsonld"], 1, "--force"),
        (["--check", "{tmp}/exists.jsonld"], 1, "not a readable JSON-LD"),
        (["--check", "{tmp}/missing.jsonld"], 1, "not a readable JSON-LD"),
        (["--check", "{tmp}/list.jsonld"], 1, "@graph"),
        ([], 2, "--out"),
    ],
)
def test_bad_input_is_one_line_and_changes_nothing(
    deltaker,
    filled,
    tmp_path,
    args,
    code,
    says,
):
    (tmp_path / "exists.jsonld").write_text("not json")
    (tmp_path / "list.jsonld").write_text("[1, 2]")
    before = export_count(filled)
    result = deltaker("consent", "records", *(a.format(tmp=tmp_path) for a in args))
    assert result.returncode == code, (result.stdout, result.stderr)
    assert says in result.stderr
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    # one line; a wrong command line (2) also gets click's usage lines above it
    assert len(lines) == 1 if code != 2 else lines[-1].startswith("Error: ")
    assert export_count(filled) == before
    assert not (tmp_path / "r.jsonld").exists()
    assert (tmp_path / "exists.jsonld").read_text() == "not json"


def test_the_access_letter_names_the_same_records(deltaker, filled, tmp_path):
    import pdfplumber

    out = tmp_path / "records.jsonld"
    assert (
        deltaker("consent", "records", "--participant", "P-AAAA", "--out", str(out)).returncode == 0
    )
    letter = tmp_path / "access.pdf"
    result = deltaker("access", "P-AAAA", "--out", str(letter), "--lang", "en")
    assert result.returncode == 0, result.stderr
    with pdfplumber.open(letter) as pdf:
        words = " ".join((page.extract_text() or "") for page in pdf.pages).replace("\n", " ")
    assert "Your consent as a file" in words
    for record in json.loads(out.read_text())["@graph"]:
        assert record["dct:identifier"] in words
        assert record["deltaker:lastEventHash"][:16] in words

"""The consent commands as staff and the data protection officer use them (through main()).

A real database file and evidence store: a study with two people who answered
on paper (consent form and questionnaire, page images and crops stored).
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import replace
from pathlib import Path

import openpyxl
import pdfplumber
import pytest
from sqlalchemy import func, select, text

from consent import ledger
from forms.model import DataAtEnd
from intake.db import read_scope, session_scope
from intake.evidence import EvidenceStore
from intake.ingest import ingest_page_results
from intake.invitations import issue_invitation
from intake.models import (
    ContactDetails,
    ExportLog,
    Invitation,
    Participant,
    Response,
    ScannedPage,
)
from intake.studies import load_study_into_db
from scan.results import PageResult, PageStatus
from tests.consent.test_handoff import consent_page, version, withdrawal_form
from tests.factories import make_study


def make(study_overrides=None):
    base = make_study(**(study_overrides or {}))
    return replace(base, forms=(*base.forms, withdrawal_form()))


PEOPLE = {"P-AAAA": ("Kari Nordmann", "nb"), "P-BBBB": ("Ola Nordmann", "en")}


def questionnaire_page(engine, participant, index):
    return PageResult(
        file="batch.pdf",
        file_sha256="c" * 64,
        page_index=index,
        status=PageStatus.OK,
        form="families",
        version=version(engine, "families"),
        language="nb",
        participant=participant,
        serial=None,
        page=1,
        rotation=0,
        fields=[],
        answers={"housing": ["rent"], "name": "Kari", "story": "Lang historie"},
        needs_review=[],
        image=b"questionnaire page " + participant.encode(),
        crops={"story": b"story crop " + participant.encode()},
    )


def fill(engine, data_dir, study=None):
    store = EvidenceStore(data_dir)
    with session_scope(engine) as session:
        load_study_into_db(session, study or make())
        for code, (name, language) in PEOPLE.items():
            person = Participant(code=code, language=language, status="invited")
            person.contact = ContactDetails(
                name=name, address="Storgata 1", postcode="0150", city="Oslo", phone="12345678"
            )
            session.add(person)
            session.flush()
            issue_invitation(session, person, b"k" * 32)
    with session_scope(engine) as session:
        ingest_page_results(
            session,
            [
                consent_page(engine, participant="P-AAAA", ticked=("c_interview", "c_audio")),
                consent_page(engine, index=1, participant="P-BBBB"),
                questionnaire_page(engine, "P-AAAA", 0),
                questionnaire_page(engine, "P-BBBB", 1),
            ],
            evidence=store,
        )
    return store


def stored_files(data_dir: Path) -> set[str]:
    return {p.name for p in (data_dir / "evidence").rglob("*") if p.is_file()}


def count(engine, model, **where) -> int:
    with read_scope(engine) as session:
        query = select(func.count()).select_from(model)
        for key, value in where.items():
            query = query.where(getattr(model, key) == value)
        return session.scalar(query)


def test_phone_withdrawal_erases_under_the_delete_policy(engine, data_dir, deltaker):
    fill(engine, data_dir)
    before = stored_files(data_dir)
    run = deltaker(
        "consent",
        "withdraw",
        "P-AAAA",
        "--channel",
        "phone",
        "--note",
        "Ringte og sa hun vil slutte.",
        "--by",
        "kari",
    )
    assert run.returncode == 0, run.stderr
    assert "withdrew consent to interview, audio" in run.stdout
    assert "left the study" in run.stdout and "erased P-AAAA" in run.stdout
    with read_scope(engine) as session:
        person = session.scalars(select(Participant).where(Participant.code == "P-AAAA")).one()
        assert person.status == "erased" and person.contact is None
        assert (
            session.scalar(
                select(func.count())
                .select_from(Response)
                .where(Response.participant_id == person.id)
            )
            == 0
        )
        assert all(
            i.revoked
            for i in session.scalars(
                select(Invitation).where(Invitation.participant_id == person.id)
            )
        )
        kinds = [(e.action, e.channel) for e in ledger.events_of(session, "P-AAAA")]
        assert ledger.verify(session).ok
    assert kinds[-3:] == [("withdraw", "phone"), ("withdraw", "phone"), ("erase", "staff")]
    # P-AAAA's page images and crops are gone; P-BBBB's are still there
    gone = before - stored_files(data_dir)
    assert len(gone) == 4  # consent page, signature crop, questionnaire page, story crop
    assert count(engine, ContactDetails) == 1
    # scanning the same batch again does not bring the erased answers back
    with session_scope(engine) as session:
        report = ingest_page_results(session, [consent_page(engine, participant="P-AAAA")])
    assert report.duplicates == 1
    assert count(engine, Response) == 2  # P-BBBB's consent form and questionnaire only


def test_withdrawing_one_optional_item_keeps_the_person_in(engine, data_dir, deltaker):
    fill(engine, data_dir)
    run = deltaker("consent", "withdraw", "P-AAAA", "audio", "--note", "Ikke lyd.", "--by", "kari")
    assert run.returncode == 0, run.stderr
    assert "left the study" not in run.stdout
    status = deltaker("consent", "status", "P-AAAA")
    lines = status.stdout.splitlines()
    assert lines[0].split()[:4] == ["participant", "participant_status", "item", "state"]
    assert any("audio" in line and "withdrawn" in line and "phone" in line for line in lines)
    assert any("interview" in line and "granted" in line and "paper" in line for line in lines)
    again = deltaker("consent", "withdraw", "P-AAAA", "audio", "--note", "Igjen.", "--by", "kari")
    assert "already withdrawn: audio" in again.stdout
    history = deltaker("consent", "history", "P-AAAA").stdout.splitlines()
    assert history[0].split() == [
        "event",
        "occurred",
        "item",
        "action",
        "channel",
        "text_version",
        "actor",
        "evidence",
    ]
    assert len(history) == 4  # grant, grant, withdraw
    assert "withdraw" in history[3] and "note: Ikke lyd." in history[3]
    assert "page " in history[1] and "signature " in history[1]
    as_json = deltaker("consent", "status", "P-AAAA", "--json").stdout.splitlines()
    assert {json.loads(line)["item"]: json.loads(line)["state"] for line in as_json} == {
        "interview": "granted",
        "audio": "withdrawn",
    }


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("P-AAAA", "video", "--note", "x", "--by", "kari"), "not a consent item"),
        (("P-ZZZZ", "--note", "x", "--by", "kari"), "no participant with code"),
        (("P-AAAA", "--by", "kari"), "phone call needs a note"),
        (("P-AAAA", "--channel", "paper", "--by", "kari"), "scanned page"),
        (("P-AAAA", "--note", "x", "--by", "kari", "--when", "yesterday"), "not a date"),
        (("P-AAAA", "--note", "x", "--by", "kari", "--when", "2099-01-01"), "in the future"),
        (("P-AAAA", "--note", "x"), "Missing option '--by'"),
    ],
)
def test_bad_withdrawals_say_what_is_wrong_and_change_nothing(
    engine, data_dir, deltaker, args, message
):
    fill(engine, data_dir)
    with read_scope(engine) as session:
        before = ledger.checkpoint(session)
    run = deltaker("consent", "withdraw", *args)
    assert run.returncode != 0
    assert message in run.stderr and "Traceback" not in run.stderr
    errors = [line for line in run.stderr.splitlines() if line.lower().startswith("error")]
    assert len(errors) == 1 and message in errors[0]  # one line says what is wrong
    with read_scope(engine) as session:
        assert ledger.checkpoint(session) == before
    assert count(engine, ContactDetails) == 2


def test_erase_command(engine, data_dir, deltaker):
    from webapp.models import AnswerDraft, WebSession

    fill(engine, data_dir)
    with session_scope(engine) as session:  # P-BBBB is half-way through a web form
        invitation = session.scalars(
            select(Invitation).join(Participant).where(Participant.code == "P-BBBB")
        ).one()
        session.add(
            AnswerDraft(
                invitation_id=invitation.id,
                form_id="families",
                submission_id="d-1",
                answers='{"name": "Ola"}',
            )
        )
        session.add(WebSession(id_hash="h" * 64, kind="citizen", invitation_id=invitation.id))
    run = deltaker("erase", "P-BBBB", "--by", "kari", "--reason", "Ba om sletting på telefon")
    assert run.returncode == 0, run.stderr
    assert "erased P-BBBB: 1 contact record(s), 2 response(s), 2 scanned page(s)" in run.stdout
    with read_scope(engine) as session:
        pages = session.scalars(select(ScannedPage).where(ScannedPage.status == "erased")).all()
        assert len(pages) == 2 and all(p.image_sha256 is None for p in pages)
        last = list(ledger.iter_events(session))[-1]
        assert session.scalars(select(AnswerDraft)).all() == []
        assert session.scalars(select(WebSession)).all() == []
    assert (last.participant, last.action, last.item) == ("P-BBBB", "erase", "*")
    assert "Ola" not in last.evidence and "Ba om sletting" in last.evidence
    again = deltaker("erase", "P-BBBB", "--by", "kari", "--reason", "igjen")
    assert again.returncode == 0 and "already erased" in again.stdout
    missing = deltaker("erase", "P-BBBB", "--by", "kari", "--reason", " ")
    assert missing.returncode == 1 and "say why" in missing.stderr


def test_audit_verify_checkpoint_and_tampering(engine, data_dir, deltaker):
    fill(engine, data_dir)
    ok = deltaker("audit", "verify")
    assert ok.returncode == 0 and ok.stdout.startswith("ok: 4 events, head ")
    point = deltaker("audit", "checkpoint").stdout.strip()
    assert deltaker("audit", "verify", "--checkpoint", point).returncode == 0
    bad = deltaker("audit", "verify", "--checkpoint", "nonsense")
    assert bad.returncode == 1 and "HASH:COUNT" in bad.stderr
    with engine.begin() as conn:
        if engine.dialect.name == "sqlite":
            conn.execute(text("DROP TRIGGER consent_events_no_update"))
        else:
            conn.execute(text("ALTER TABLE consent_events DISABLE TRIGGER USER"))
        conn.execute(text("UPDATE consent_events SET action = 'withdraw' WHERE seq = 2"))
    altered = deltaker("audit", "verify")
    assert altered.returncode == 1
    assert "event #2" in altered.stderr and "changed" in altered.stderr
    assert deltaker("audit", "checkpoint").returncode == 1


def test_audit_report_pdf_and_xlsx_agree_with_the_ledger(engine, data_dir, deltaker, tmp_path):
    fill(engine, data_dir)
    deltaker("consent", "withdraw", "P-BBBB", "audio", "--note", "No audio.", "--by", "kari")
    pdf = tmp_path / "audit.pdf"
    run = deltaker("audit", "report", "--out", str(pdf), "--by", "ola-dpo")
    assert run.returncode == 0, run.stderr
    with pdfplumber.open(pdf) as doc:
        words = "\n".join(page.extract_text() or "" for page in doc.pages)
        assert len(doc.pages[0].images) + len(doc.pages[0].rects) > 0  # the chart's bars
    assert "Ledger check: ok: 5 events" in words
    for needle in (
        "P-AAAA",
        "P-BBBB",
        "Consent overview",
        "Full history",
        "phone",
        "note: No audio.",
        "Exports of personal data",
    ):
        assert needle in words, needle
    xlsx = tmp_path / "audit.xlsx"
    assert deltaker("audit", "report", "--out", str(xlsx)).returncode == 0
    book = openpyxl.load_workbook(xlsx, read_only=True)
    status = {(r[0], r[2]): r[3] for r in book["Status"].iter_rows(min_row=2, values_only=True)}
    history = list(book["History"].iter_rows(min_row=2, values_only=True))
    exports = list(book["Exports"].iter_rows(min_row=2, values_only=True))
    book.close()
    with read_scope(engine) as session:
        truth = {k: str(v.state) for k, v in ledger.status_book(session).items.items()}
        assert len(history) == ledger.verify(session).count == 5
    assert status == truth
    assert [row[1] for row in exports] == ["ola-dpo"]  # the first report was logged
    assert count(engine, ExportLog) == 2
    refused = deltaker("audit", "report", "--out", str(xlsx))
    assert refused.returncode == 1 and "exists" in refused.stderr
    wrong = deltaker("audit", "report", "--out", str(tmp_path / "audit.docx"))
    assert wrong.returncode == 1 and ".pdf or .xlsx" in wrong.stderr


@pytest.mark.parametrize(
    ("code", "lang", "needles"),
    [
        (
            "P-AAAA",
            "nb",
            (
                "Dette vet vi om deg",
                "Kari Nordmann",
                "Storgata 1",
                "Hvor bor du?",
                "Jeg leier",
                "Lang historie",
                "Lydopptak av intervjuet",
                "Sa ja",
                "på papir",
                "Datatilsynet",
                "Vi har 2 bilder av skjemaer",
            ),
        ),
        (
            "P-BBBB",
            "en",
            (
                "What we know about you",
                "Ola Nordmann",
                "Where do you live?",
                "I rent",
                "Said no",
                "on paper",
            ),
        ),
    ],
)
def test_access_request_in_the_persons_language(
    engine, data_dir, deltaker, tmp_path, code, lang, needles
):
    fill(engine, data_dir)
    out = tmp_path / f"{code}.pdf"
    run = deltaker("access", code, "--out", str(out))
    assert run.returncode == 0, run.stderr
    assert f"({lang})" in run.stdout
    with pdfplumber.open(out) as doc:
        words = " ".join((page.extract_text() or "").replace("\n", " ") for page in doc.pages)
    for needle in needles:
        assert needle in words, needle
    with read_scope(engine) as session:
        logged = session.execute(select(ExportLog.kind, ExportLog.participants)).one()
    assert tuple(logged) == ("access_request", 1)


def test_access_after_erasure_says_so(engine, data_dir, deltaker, tmp_path):
    fill(engine, data_dir)
    deltaker("erase", "P-AAAA", "--by", "kari", "--reason", "asked")
    out = tmp_path / "a.pdf"
    assert deltaker("access", "P-AAAA", "--out", str(out), "--lang", "nn").returncode == 0
    with pdfplumber.open(out) as doc:
        words = " ".join((p.extract_text() or "").replace("\n", " ") for p in doc.pages)
    assert "Vi har sletta opplysningane dine" in words and "Storgata" not in words
    assert "Vi har ikkje namnet eller adressa di lenger" in words


def test_retention_anonymises_at_the_end_date(engine, data_dir, deltaker):
    fill(
        engine,
        data_dir,
        make({"data_at_end": DataAtEnd.ANONYMISE, "end_date": dt.date(2026, 12, 31)}),
    )
    early = deltaker("retention", "run", "--today", "2026-12-31")
    assert early.returncode == 0 and "ends on 2026-12-31; nothing to do" in early.stdout
    dry = deltaker("retention", "run", "--today", "2027-01-01")
    assert "would anonymise  P-AAAA" in dry.stdout and "dry run" in dry.stdout
    assert count(engine, ContactDetails) == 2
    files = stored_files(data_dir)
    done = deltaker("retention", "run", "--today", "2027-01-01", "--apply", "--by", "ola")
    assert done.returncode == 0, done.stderr
    assert count(engine, ContactDetails) == 0
    assert stored_files(data_dir) == set() and files
    with read_scope(engine) as session:
        answers = [r.answers for r in session.scalars(select(Response)) if "housing" in r.answers]
        notes = [e for e in ledger.iter_events(session) if e.action == "note"]
        assert ledger.verify(session).ok
    # ticked answers stay; written answers (names, stories) go
    assert answers == [{"housing": ["rent"]}, {"housing": ["rent"]}]
    assert [(n.participant, n.evidence_dict["retention"]) for n in notes] == [
        ("P-AAAA", "anonymise"),
        ("P-BBBB", "anonymise"),
    ]
    again = deltaker("retention", "run", "--today", "2027-01-02", "--apply")
    assert "nothing to do" in again.stdout


def test_retention_erases_withdrawn_people_and_everyone_at_the_end(engine, data_dir, deltaker):
    fill(engine, data_dir, make({"end_date": dt.date(2026, 12, 31)}))
    with session_scope(engine) as session:  # a withdrawal slip: erasure waits for the run
        ingest_page_results(
            session,
            [consent_page(engine, index=7, form="withdrawal", participant="P-AAAA", ticked=())],
        )
    run = deltaker("retention", "run", "--today", "2026-12-01", "--apply")
    assert "erase      P-AAAA  (withdrew" in run.stdout and "P-BBBB" not in run.stdout
    end = deltaker("retention", "run", "--today", "2027-01-01", "--apply")
    assert "erase      P-BBBB  (the study ended: delete)" in end.stdout
    with read_scope(engine) as session:
        assert session.scalar(select(func.count()).select_from(Response)) == 0
        erased = [e.participant for e in ledger.iter_events(session) if e.action == "erase"]
    assert erased == ["P-AAAA", "P-BBBB"]


def test_audit_report_checks_the_evidence_files(engine, data_dir, deltaker, tmp_path):
    store = fill(engine, data_dir)
    clean = deltaker("audit", "report", "--out", str(tmp_path / "ok.xlsx"))
    assert clean.returncode == 0 and "0 evidence problem(s)" in clean.stdout
    with read_scope(engine) as session:
        grants = [e for e in ledger.iter_events(session) if e.action == "grant"]
    page = grants[0].evidence_dict["page_sha256"]  # P-AAAA's signed page
    crop = next(e for e in grants if e.participant == "P-BBBB").evidence_dict["signature_sha256"]
    assert deltaker("audit", "verify", "--evidence").returncode == 0
    shown = deltaker("audit", "evidence", str(grants[0].seq), "--out", str(tmp_path / "ev"))
    assert shown.returncode == 0, shown.stderr
    written = sorted(p.name for p in (tmp_path / "ev").iterdir())
    assert written == [f"event-{grants[0].seq}-page.jpg", f"event-{grants[0].seq}-signature.png"]
    assert (tmp_path / "ev" / written[0]).read_bytes() == store.get(page)
    store.path(page).write_bytes(b"a different page")
    refused = deltaker("audit", "evidence", str(grants[0].seq), "--out", str(tmp_path / "ev2"))
    assert refused.returncode == 1 and "was altered" in refused.stderr
    assert deltaker("audit", "evidence", "999", "--out", str(tmp_path / "x")).returncode == 1
    store.path(crop).unlink()
    checked = deltaker("audit", "verify", "--evidence")
    assert checked.returncode == 1 and checked.stdout.startswith("ok: ")  # the chain is fine
    assert "is missing" in checked.stderr and "is altered" in checked.stderr
    out = tmp_path / "bad.xlsx"
    run = deltaker("audit", "report", "--out", str(out))
    assert run.returncode == 1 and "evidence problem(s)" in run.stdout
    book = openpyxl.load_workbook(out, read_only=True)
    problems = list(book["Evidence problems"].iter_rows(min_row=2, values_only=True))
    book.close()
    assert {(row[1], row[3].split()[0]) for row in problems} == {
        ("P-AAAA", "altered"),
        ("P-BBBB", "missing"),
    }
    assert {row[0] for row in problems if row[1] == "P-AAAA"} == {
        e.seq for e in grants if e.participant == "P-AAAA"
    }


def test_the_results_workbook_and_the_audit_report_agree(engine, data_dir, deltaker, tmp_path):
    fill(engine, data_dir)
    deltaker("consent", "withdraw", "P-AAAA", "audio", "--note", "Ikke lyd.", "--by", "kari")
    results, audit = tmp_path / "results.xlsx", tmp_path / "audit.xlsx"
    assert deltaker("export", "--out", str(results), "--by", "anna").returncode == 0
    assert deltaker("audit", "report", "--out", str(audit)).returncode == 0

    def sheet(path, name):
        book = openpyxl.load_workbook(path, read_only=True)
        rows = list(book[name].iter_rows(values_only=True))
        book.close()
        return rows[0], rows[1:]

    headers, exported = sheet(results, "consent status")
    _, reported = sheet(audit, "Status")
    state = headers.index("state")
    exported_states = {(r[0], r[1]): r[state] for r in exported}
    reported_states = {(r[0], r[2]): r[3] for r in reported if r[3] != "not asked"}
    with read_scope(engine) as session:
        truth = {k: str(v.state) for k, v in ledger.status_book(session).items.items()}
    assert exported_states == reported_states == truth
    assert truth[("P-AAAA", "audio")] == "withdrawn"

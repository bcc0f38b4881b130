"""End to end through intake: scanned consent forms, withdrawal slips, web, manual entry.

Page results are built by hand as ``scan.results.PageResult`` (what `deltaker scan`
produces) and go through intake.ingest, which hands consent answers over to
the ledger; the tests then read the ledger, the status and the exports.
"""

from __future__ import annotations

from dataclasses import replace

import pytest
from sqlalchemy import select

from consent import ledger
from consent.status import ConsentState
from forms.model import Form, FormKind, Item, ItemType, Section
from intake.db import read_scope, session_scope
from intake.evidence import EvidenceStore, sha256_hex
from intake.ingest import ingest_manual, ingest_page_results, ingest_web_submission
from intake.models import Participant, Response, ResponseStatus, ReviewTask, TaskStatus
from intake.review import resolve_task
from intake.spreadsheet import consent_table
from intake.studies import form_version, get_study, load_study_into_db
from printing.layout_map import FieldKind
from privacy.audit import build_report, report_tables
from scan.results import FieldResult, MarkState, PageResult, PageStatus
from tests.factories import make_study, t

FILE_HASH = "b" * 64
PAGE_IMAGE = b"\xff\xd8 a scanned consent page"
SIGNATURE_CROP = b"\x89PNG a signature crop"


def withdrawal_form() -> Form:
    items = (
        Item("w_interview", ItemType.CONSENT, t("Ikke intervju"), consent_item="interview"),
        Item("w_audio", ItemType.CONSENT, t("Ikke lydopptak"), consent_item="audio"),
        Item("signature", ItemType.SIGNATURE, t("Signatur")),
    )
    return Form(
        id="withdrawal",
        kind=FormKind.WITHDRAWAL,
        title=t("Trekk"),
        sections=(Section("w", None, items),),
    )


@pytest.fixture
def study():
    base = make_study()
    return replace(base, forms=(*base.forms, withdrawal_form()))


@pytest.fixture
def loaded(engine, study):
    with session_scope(engine) as session:
        load_study_into_db(session, study)
        for code in ("P-AAAA", "P-BBBB", "P-CCCC"):
            session.add(Participant(code=code, language="nb", status="invited"))
    return engine


def version(engine, form: str) -> str:
    with read_scope(engine) as session:
        return form_version(session, get_study(session), form).text_version


def consent_page(
    engine,
    *,
    index=0,
    participant="P-AAAA",
    ticked=("c_interview",),
    signed=True,
    date="21.11.2026",
    form="consent",
    file_hash=FILE_HASH,
):
    boxes = ("c_interview", "c_audio") if form == "consent" else ("w_interview", "w_audio")
    fields = [
        FieldResult(
            b,
            "yes",
            MarkState.MARKED if b in ticked else MarkState.EMPTY,
            0.3 if b in ticked else 0.0,
            0.99,
        )
        for b in boxes
    ]
    fields.append(
        FieldResult(
            "signature",
            None,
            MarkState.MARKED if signed else MarkState.EMPTY,
            0.12 if signed else 0.0,
            0.98,
            FieldKind.SIGNATURE,
        )
    )
    answers: dict = {b: ["yes"] for b in ticked}
    if date and form == "consent":
        answers["signed_on"] = date
    return PageResult(
        file="batch.pdf",
        file_sha256=file_hash,
        page_index=index,
        status=PageStatus.OK,
        form=form,
        version=version(engine, form),
        language="nb",
        participant=participant,
        serial=None,
        page=1,
        rotation=0,
        fields=fields,
        answers=answers,
        needs_review=[],
        image=PAGE_IMAGE + bytes([index]) + participant.encode(),
        crops={"signature": SIGNATURE_CROP + participant.encode()} if signed else {},
    )


def events(engine, code):
    with read_scope(engine) as session:
        return ledger.events_of(session, code)


def state(engine, code, item):
    with read_scope(engine) as session:
        return ledger.item_status(session, code, item).state


def test_signed_paper_consent_grants_ticked_items_with_the_page_as_evidence(loaded, data_dir):
    store = EvidenceStore(data_dir)
    result = consent_page(loaded)
    with session_scope(loaded) as session:
        ingest_page_results(session, [result], evidence=store)
    recorded = events(loaded, "P-AAAA")
    assert [(e.item, e.action, e.channel) for e in recorded] == [
        ("interview", "grant", "paper"),
        ("audio", "decline", "paper"),
    ]
    grant = recorded[0].evidence_dict
    assert grant["page_sha256"] == sha256_hex(result.image)
    assert store.verify(grant["page_sha256"])  # the evidence file is there and unaltered
    assert grant["signature_sha256"] == sha256_hex(result.crops["signature"])
    assert grant["signature_state"] == "marked"
    assert recorded[0].text_version == version(loaded, "consent")
    assert recorded[0].occurred_at.startswith("2026-11-21")  # the date written on the form
    assert recorded[0].actor == "participant"
    # the same scan again changes nothing
    with session_scope(loaded) as session:
        ingest_page_results(session, [result], evidence=store)
    assert len(events(loaded, "P-AAAA")) == 2


def test_unsigned_paper_consent_goes_to_review_and_is_not_a_grant(loaded, data_dir):
    with session_scope(loaded) as session:
        ingest_page_results(
            session, [consent_page(loaded, signed=False)], evidence=EvidenceStore(data_dir)
        )
    assert events(loaded, "P-AAAA") == []
    assert state(loaded, "P-AAAA", "interview") == ConsentState.NOT_ASKED
    with read_scope(loaded) as session:
        task = session.scalars(select(ReviewTask).where(ReviewTask.item == "signature")).one()
        assert task.status == TaskStatus.OPEN and "signature box is empty" in task.details["reason"]
        assert session.get(Response, task.response_id).status == ResponseStatus.NEEDS_REVIEW
        task_id = task.id
    # a reviewer looks at the page and confirms the signature is there (faint ink)
    with session_scope(loaded) as session:
        resolve_task(session, task_id, "signed", by="assistant-anna")
    recorded = events(loaded, "P-AAAA")
    assert [(e.item, e.action) for e in recorded] == [("interview", "grant"), ("audio", "decline")]
    assert recorded[0].evidence_dict["signature_checked_by"] == "assistant-anna"


def test_a_reviewer_finding_no_signature_records_nothing(loaded):
    with session_scope(loaded) as session:
        ingest_page_results(session, [consent_page(loaded, signed=False)])
        task = session.scalars(select(ReviewTask).where(ReviewTask.item == "signature")).one()
        resolve_task(session, task.id, "", by="assistant-anna")
    assert events(loaded, "P-AAAA") == []
    with read_scope(loaded) as session:
        assert session.scalars(select(ReviewTask)).all()[0].status == TaskStatus.DONE


def test_without_a_page_image_the_scanned_file_and_page_are_the_evidence(loaded):
    with session_scope(loaded) as session:
        ingest_page_results(session, [consent_page(loaded, index=4)])  # no evidence store
    grant = events(loaded, "P-AAAA")[0].evidence_dict
    assert (grant["file_sha256"], grant["page_index"]) == (FILE_HASH, 4)


def test_withdrawal_slip_withdraws_ticked_items_and_stops_contact(loaded, data_dir):
    store = EvidenceStore(data_dir)
    with session_scope(loaded) as session:
        ingest_page_results(
            session, [consent_page(loaded, ticked=("c_interview", "c_audio"))], evidence=store
        )
        ingest_page_results(
            session,
            [consent_page(loaded, index=1, form="withdrawal", ticked=("w_audio",))],
            evidence=store,
        )
    assert state(loaded, "P-AAAA", "audio") == ConsentState.WITHDRAWN
    assert state(loaded, "P-AAAA", "interview") == ConsentState.GRANTED
    with read_scope(loaded) as session:
        assert (
            session.scalars(select(Participant.status).where(Participant.code == "P-AAAA")).one()
            == "answered"
        )  # still takes part
    # a slip with no crosses withdraws everything; the person leaves the study
    with session_scope(loaded) as session:
        ingest_page_results(
            session,
            [consent_page(loaded, index=2, form="withdrawal", ticked=(), signed=False)],
            evidence=store,
        )
    assert state(loaded, "P-AAAA", "interview") == ConsentState.WITHDRAWN
    with read_scope(loaded) as session:
        person = session.scalars(select(Participant).where(Participant.code == "P-AAAA")).one()
        assert person.status == "withdrawn"
        report = build_report(session)
    # the study deletes on withdrawal: the report lists the erasure as due
    assert [row[0] for row in report.overdue_erasures] == ["P-AAAA"]


def test_old_form_after_withdrawal_does_not_renew_but_a_new_signed_form_does(loaded):
    with session_scope(loaded) as session:
        ingest_page_results(session, [consent_page(loaded)])
        ingest_page_results(
            session, [consent_page(loaded, index=1, form="withdrawal", ticked=("w_interview",))]
        )
    assert state(loaded, "P-AAAA", "interview") == ConsentState.WITHDRAWN
    with read_scope(loaded) as session:  # the interview is required: the person left
        assert (
            session.scalars(select(Participant.status).where(Participant.code == "P-AAAA")).one()
            == "withdrawn"
        )
    # a newly signed consent form (a new page) renews the consent, and they are back in
    with session_scope(loaded) as session:
        ingest_page_results(session, [consent_page(loaded, index=2)])
    assert state(loaded, "P-AAAA", "interview") == ConsentState.GRANTED
    with read_scope(loaded) as session:
        assert (
            session.scalars(select(Participant.status).where(Participant.code == "P-AAAA")).one()
            == "answered"
        )


def test_web_consent_and_manual_entry(loaded):
    with session_scope(loaded) as session:
        ingest_web_submission(
            session,
            submission_id="web-1",
            form="consent",
            participant="P-BBBB",
            answers={"c_audio": ["yes"]},
        )
        ingest_manual(
            session,
            form="consent",
            participant="P-CCCC",
            entered_by="anna",
            answers={"c_interview": ["yes"], "signature": "signed", "signed_on": "2026-11-20"},
            entry_id="form-7",
        )
    web = events(loaded, "P-BBBB")
    assert [(e.item, e.action, e.channel) for e in web] == [
        ("interview", "decline", "web"),
        ("audio", "grant", "web"),
    ]
    assert web[1].evidence_dict["submission_id"] == "web-1"
    manual = events(loaded, "P-CCCC")
    assert [(e.item, e.action, e.channel, e.actor) for e in manual][0] == (
        "interview",
        "grant",
        "staff",
        "anna",
    )
    assert "typed in from the paper form by anna" in manual[0].evidence_dict["note"]
    with read_scope(loaded) as session:
        report = build_report(session)
    # a typed-in grant has no scanned page or submission behind it: the DPO sees it
    assert [(e.participant, e.item) for e in report.grants_without_evidence] == [
        ("P-CCCC", "interview")
    ]


def test_export_consent_sheet_and_audit_report_agree_with_the_ledger(loaded, data_dir):
    store = EvidenceStore(data_dir)
    with session_scope(loaded) as session:
        ingest_page_results(
            session,
            [
                consent_page(loaded, ticked=("c_interview", "c_audio")),
                consent_page(loaded, index=1, participant="P-BBBB"),
            ],
            evidence=store,
        )
        ingest_page_results(
            session,
            [consent_page(loaded, index=2, form="withdrawal", ticked=("w_audio",))],
            evidence=store,
        )
        ingest_web_submission(
            session, submission_id="web-9", form="consent", participant="P-CCCC", answers={}
        )
    with read_scope(loaded) as session:
        book = ledger.status_book(session)
        _, export_rows = consent_table(session)
        report = build_report(session)
    truth = {(p, i): str(s.state) for (p, i), s in book.items.items()}
    assert truth == {
        ("P-AAAA", "interview"): "granted",
        ("P-AAAA", "audio"): "withdrawn",
        ("P-BBBB", "interview"): "granted",
        ("P-BBBB", "audio"): "declined",
        ("P-CCCC", "interview"): "declined",
        ("P-CCCC", "audio"): "declined",
    }
    assert {(r[0], r[1]): r[2] for r in export_rows} == truth
    assert {(r.participant, r.item): r.state for r in report.items} == truth
    sheets = {name: (headers, rows) for name, headers, rows in report_tables(report)}
    assert len(sheets["History"][1]) == report.event_count == 7
    per_item = {row[0]: row[1:] for row in sheets["Per item"][1]}
    assert per_item == {"interview": [2, 1, 0, 0], "audio": [0, 2, 1, 0]}


def test_anonymous_copies_record_nothing(loaded):
    with session_scope(loaded) as session:
        result = replace(consent_page(loaded), participant=None, serial="000001")
        ingest_page_results(session, [result])
        assert list(ledger.iter_events(session)) == []


def test_a_form_whose_signature_is_on_a_later_page_waits_for_that_page(loaded, data_dir):
    """The scanner stores pages one by one: ticks on page 1 are no grant, and no review
    task either, until the page with the signature box has been read."""
    first = consent_page(loaded)
    first.fields = [f for f in first.fields if f.item != "signature"]
    second = consent_page(loaded, index=1, ticked=())
    second = replace(
        second,
        page=2,
        answers={"signed_on": "21.11.2026"},
        fields=[f for f in second.fields if f.item == "signature"],
    )
    store = EvidenceStore(data_dir)
    with session_scope(loaded) as session:
        ingest_page_results(session, [first], evidence=store)
        assert session.scalars(select(ReviewTask)).all() == []
    assert events(loaded, "P-AAAA") == []
    with session_scope(loaded) as session:
        ingest_page_results(session, [second], evidence=store)
    recorded = events(loaded, "P-AAAA")
    assert [(e.item, e.action) for e in recorded] == [("interview", "grant"), ("audio", "decline")]
    # the evidence is the page with the signature, and both pages are named
    assert recorded[0].evidence_dict["page_sha256"] == sha256_hex(second.image)
    assert len(recorded[0].evidence_dict["pages"]) == 2

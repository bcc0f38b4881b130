"""Ingestion from every channel: idempotent, transactional, conflicts flagged, review queue."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from forms.errors import UserError
from intake.db import read_scope, session_scope
from intake.evidence import EvidenceStore
from intake.ingest import ingest_manual, ingest_page_results, ingest_web_submission
from intake.invitations import issue_invitation
from intake.models import Participant, Response, ReviewTask, ScannedPage
from intake.review import parse_value, resolve_task, task_image, tasks_table
from intake.studies import form_version, get_study, load_study_into_db
from printing.layout_map import FieldKind
from scan.results import FieldResult, MarkState, PageResult, PageStatus
from tests.factories import make_study
from tests.intake.helpers import dump

FILE_HASH = "a" * 64


@pytest.fixture
def loaded(engine):
    """A study with its forms and two participants (P-AAAA with an invitation, P-BBBB)."""
    with session_scope(engine) as session:
        load_study_into_db(session, make_study())
        for code in ("P-AAAA", "P-BBBB"):
            person = Participant(code=code, language="nb", status="new")
            session.add(person)
            session.flush()
            issue_invitation(session, person, b"k" * 32)
    return engine


def versions(engine) -> dict[str, str]:
    with read_scope(engine) as session:
        study = get_study(session)
        return {
            key: form_version(session, study, key).text_version for key in ("consent", "families")
        }


def page(
    engine,
    *,
    index=0,
    form="families",
    participant="P-AAAA",
    status="ok",
    answers=None,
    needs_review=(),
    fields=None,
    page_no=1,
    **extra,
) -> PageResult:
    values = {
        "file": "batch-01.pdf",
        "file_sha256": FILE_HASH,
        "page_index": index,
        "status": PageStatus(status),
        "form": form,
        "version": versions(engine)[form],
        "language": "nb",
        "participant": participant,
        "serial": None,
        "page": page_no,
        "rotation": 0,
        "fields": list(fields or []),
        "answers": answers or {},
        "needs_review": list(needs_review),
    }
    values.update(extra)
    return PageResult(**values)


def count(engine, model) -> int:
    with read_scope(engine) as session:
        return session.scalar(select(func.count()).select_from(model))


def test_same_page_twice_is_one_record(loaded, data_dir):
    results = [
        page(loaded, answers={"housing": ["rent"], "help": ["nav", "family"]}),
        page(loaded, index=1, page_no=2, answers={"children": ["yes"]}),
    ]
    with session_scope(loaded) as session:
        first = ingest_page_results(session, results, evidence=EvidenceStore(data_dir))
    assert (first.stored, first.duplicates, len(first.responses)) == (2, 0, 1)
    before = dump(loaded)
    with session_scope(loaded) as session:
        second = ingest_page_results(session, results, evidence=EvidenceStore(data_dir))
    assert (second.stored, second.duplicates) == (0, 2)
    assert second.statuses == ["duplicate", "duplicate"]
    assert dump(loaded) == before
    with read_scope(loaded) as session:
        response = session.scalars(select(Response)).one()
        # Two pages of one form gather in one paper response.
        assert response.answers == {
            "housing": ["rent"],
            "help": ["nav", "family"],
            "children": ["yes"],
        }
        assert response.channel == "paper" and response.status == "complete"
        assert [p["page_index"] for p in response.source["pages"]] == [0, 1]
        assert response.participant.status == "answered"
        assert response.invitation_id is not None


def test_uncertain_marks_and_handwriting_become_tasks_then_verified(loaded, data_dir):
    fields = [
        FieldResult("housing", "rent", MarkState.AMBIGUOUS, 0.12, 0.4),
        FieldResult("story", None, MarkState.MARKED, 0.2, 0.5, FieldKind.TEXT),
    ]
    result = page(
        loaded,
        status="needs_review",
        answers={"housing": []},
        fields=fields,
        needs_review=["housing", "story"],
        thumbnail=b"\x89PNG thumb",
        crops={"story": b"\x89PNG crop of story"},
    )
    with session_scope(loaded) as session:
        report = ingest_page_results(session, [result], evidence=EvidenceStore(data_dir))
    assert report.tasks == 2
    with read_scope(loaded) as session:
        response = session.scalars(select(Response)).one()
        assert response.status == "needs_review"
        tasks = {t.item: t for t in session.scalars(select(ReviewTask))}
        assert tasks["housing"].kind == "ambiguous" and tasks["story"].kind == "handwriting"
        crop = EvidenceStore(data_dir).get(tasks["story"].thumbnail_sha256)
        assert crop == b"\x89PNG crop of story"
        ids = {k: t.id for k, t in tasks.items()}
        headers, rows = tasks_table(session)
        assert len(rows) == 2 and headers[0] == "task"

    with session_scope(loaded) as session:
        with pytest.raises(UserError, match="not a choice"):
            resolve_task(session, ids["housing"], "castle", by="Assistent A")
    with session_scope(loaded) as session:
        resolve_task(session, ids["housing"], "rent", by="Assistent A")
    with read_scope(loaded) as session:
        assert session.scalars(select(Response)).one().status == "needs_review"
    with session_scope(loaded) as session:
        resolve_task(session, ids["story"], "Vi bor trangt.", by="Assistent B")
    with read_scope(loaded) as session:
        response = session.scalars(select(Response)).one()
        assert response.status == "verified"
        assert response.verified_by == "Assistent B" and response.verified_at is not None
        assert response.answers["housing"] == ["rent"]
        assert response.answers["story"] == "Vi bor trangt."
        done = session.get(ReviewTask, ids["housing"])
        assert (done.old_value, done.new_value, done.resolved_by) == ([], ["rent"], "Assistent A")
        assert done.resolved_at is not None
    with session_scope(loaded) as session, pytest.raises(UserError, match="already resolved"):
        resolve_task(session, ids["story"], "x", by="C")


def test_unidentified_page_becomes_a_task_with_thumbnail_and_can_be_assigned(loaded, data_dir):
    result = PageResult(
        file="batch-01.pdf",
        file_sha256=FILE_HASH,
        page_index=5,
        status=PageStatus.UNIDENTIFIED,
        form=None,
        version=None,
        language=None,
        participant=None,
        serial=None,
        page=None,
        rotation=0,
        fields=[],
        answers={},
        needs_review=[],
        thumbnail=b"PNG-thumb",
    )
    with session_scope(loaded) as session:
        report = ingest_page_results(session, [result], evidence=EvidenceStore(data_dir))
    assert report.unidentified == 1 and report.statuses == ["unidentified"]
    with read_scope(loaded) as session:
        task = session.scalars(select(ReviewTask)).one()
        assert task.kind == "unidentified"
        assert EvidenceStore(data_dir).get(task.thumbnail_sha256) == b"PNG-thumb"
        task_id = task.id
        assert task_image(session, task_id) == task.thumbnail_sha256
        with pytest.raises(UserError, match="no review task"):
            task_image(session, 999)
    bad_values = [
        "keep",
        '{"form": "families"}',
        '{"participant": "P-ZZZZ", "form": "families"}',
        '{"participant": "P-AAAA", "form": "nope"}',
    ]
    for bad in bad_values:
        with session_scope(loaded) as session, pytest.raises(UserError):
            resolve_task(session, task_id, parse_value(bad), by="Assistent A")
    value = parse_value(
        '{"participant": "P-BBBB", "form": "families", "answers": {"housing": ["own"]}}'
    )
    with session_scope(loaded) as session:
        resolve_task(session, task_id, value, by="Assistent A")
    with read_scope(loaded) as session:
        response = session.scalars(select(Response)).one()
        assert response.channel == "manual" and response.entered_by == "Assistent A"
        assert response.participant.code == "P-BBBB" and response.answers == {"housing": ["own"]}
        assert session.scalars(select(ScannedPage)).one().response_id == response.id


def test_unknown_participant_or_form_version_is_unidentified(loaded):
    results = [page(loaded, participant="P-NOPE"), page(loaded, index=1, version="deadbeef")]
    with session_scope(loaded) as session:
        report = ingest_page_results(session, results)
    assert report.unidentified == 2
    with read_scope(loaded) as session:
        reasons = sorted(t.details["reason"] for t in session.scalars(select(ReviewTask)))
    assert "not known" in reasons[1] or "not known" in reasons[0]
    assert any("not loaded" in r for r in reasons)


def test_paper_and_web_for_the_same_person_keep_both_and_flag_a_conflict(loaded):
    with session_scope(loaded) as session:
        response, created = ingest_web_submission(
            session,
            submission_id="sub-1",
            form="families",
            participant="P-AAAA",
            answers={"housing": "own", "rooms": 3},
        )
        assert created and response.answers == {"housing": ["own"], "rooms": "3"}
    before = dump(loaded)
    with session_scope(loaded) as session:
        again, created = ingest_web_submission(
            session,
            submission_id="sub-1",
            form="families",
            participant="P-AAAA",
            answers={"housing": "rent"},
        )
        assert not created
    assert dump(loaded) == before
    with session_scope(loaded) as session:
        ingest_page_results(session, [page(loaded, answers={"housing": ["rent"]})])
    with read_scope(loaded) as session:
        responses = session.scalars(select(Response).order_by(Response.id)).all()
        assert [r.channel for r in responses] == ["web", "paper"]
        assert [r.answers["housing"] for r in responses] == [["own"], ["rent"]]
        conflict = session.scalars(select(ReviewTask)).one()
        assert conflict.kind == "conflict"
        # A conflict holds neither response back.
        assert {r.status for r in responses} == {"complete"}
        conflict_id = conflict.id
    with session_scope(loaded) as session:
        with pytest.raises(UserError, match="keep-both"):
            resolve_task(session, conflict_id, "both", by="A")
    with session_scope(loaded) as session:
        resolve_task(session, conflict_id, "paper", by="A")
    assert count(loaded, Response) == 2


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"answers": {"nope": "x"}}, "no question 'nope'"),
        ({"answers": {"housing": ["rent", "own"]}}, "one choice"),
        ({"answers": {"housing": 5}}, "choice values"),
        ({"answers": {"story": ["a"]}}, "text answer"),
        ({"answers": {"story": "x" * 20_000}}, "too long"),
        ({"answers": "housing=rent"}, "mapping"),
        ({"form": "unknown"}, "not loaded"),
        ({"participant": "P-ZZZZ"}, "no participant"),
        ({"participant": None}, "neither"),
        ({"submission_id": ""}, "id"),
    ],
)
def test_bad_web_submissions_are_refused_and_change_nothing(loaded, kwargs, message):
    args = {
        "submission_id": "sub-x",
        "form": "families",
        "participant": "P-AAAA",
        "answers": {"housing": "rent"},
    } | kwargs
    before = dump(loaded)
    with pytest.raises(UserError, match=message):
        with session_scope(loaded) as session:
            ingest_web_submission(session, **args)
    assert dump(loaded) == before


def test_manual_entry_records_the_assistant_and_is_idempotent(loaded):
    for _ in range(2):
        with session_scope(loaded) as session:
            ingest_manual(
                session,
                form="consent",
                participant="P-BBBB",
                entered_by="Kari A",
                answers={"c_interview": ["yes"], "signature": "signert"},
                entry_id="skjema-17",
            )
    with read_scope(loaded) as session:
        response = session.scalars(select(Response)).one()
        assert (response.channel, response.entered_by) == ("manual", "Kari A")
        assert response.source == {"entered_by": "Kari A"}
    with session_scope(loaded) as session, pytest.raises(UserError, match="who typed"):
        ingest_manual(session, form="consent", participant="P-BBBB", entered_by=" ", answers={})


def test_anonymous_copies_by_serial(loaded):
    results = [
        page(loaded, participant=None, serial="000017", answers={"housing": ["own"]}),
        page(loaded, index=1, participant=None, serial="000018"),
    ]
    with session_scope(loaded) as session:
        report = ingest_page_results(session, results)
    assert len(report.responses) == 2
    with read_scope(loaded) as session:
        assert sorted(r.serial for r in session.scalars(select(Response))) == ["000017", "000018"]


def test_consent_responses_are_handed_over(loaded, monkeypatch):
    import intake.consent_handoff as handoff

    seen: list[tuple[str, str]] = []

    def record(session, response, study, form):
        seen.append((form.id, response.channel))

    monkeypatch.setattr(handoff, "hand_over", record)
    with session_scope(loaded) as session:
        ingest_page_results(
            session, [page(loaded, form="consent", answers={"c_interview": ["yes"]})]
        )
        ingest_page_results(session, [page(loaded, index=1, form="families")])
    assert seen == [("consent", "paper")]


def test_a_failing_batch_stores_nothing(loaded):
    good = page(loaded, answers={"housing": ["rent"]})
    broken = PageResult(file="/nonexistent/scan.pdf", page_index=0, status=PageStatus.OK)
    before = dump(loaded)
    with pytest.raises(UserError, match="cannot hash"):
        with session_scope(loaded) as session:
            ingest_page_results(session, [good, broken])
    assert dump(loaded) == before


def test_file_hash_from_the_file_itself(loaded, tmp_path):
    scan = tmp_path / "scan.pdf"
    scan.write_bytes(b"%PDF-1.4 fake scan")
    result = page(loaded, file=str(scan))
    result.file_sha256 = None
    with session_scope(loaded) as session:
        ingest_page_results(session, [result])
    with session_scope(loaded) as session:
        assert ingest_page_results(session, [result]).duplicates == 1


def test_concurrent_double_submission_is_stored_once(loaded, db_url):
    """Two writers with the same submission id at the same moment (a double click)."""
    import threading

    from intake.db import make_engine

    engines = [make_engine(db_url) for _ in range(2)]
    barrier = threading.Barrier(2)
    results: list[tuple[int, bool]] = []
    errors: list[BaseException] = []

    def submit(engine) -> None:
        try:
            barrier.wait()
            with session_scope(engine) as session:
                response, created = ingest_web_submission(
                    session,
                    submission_id="double",
                    form="families",
                    participant="P-AAAA",
                    answers={"housing": "rent"},
                )
                results.append((response.id, created))
        except BaseException as exc:  # noqa: BLE001 - asserted below
            errors.append(exc)

    threads = [threading.Thread(target=submit, args=(e,)) for e in engines]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for engine in engines:
        engine.dispose()
    assert errors == []
    assert sorted(created for _, created in results) == [False, True]
    assert len({rid for rid, _ in results}) == 1
    assert count(loaded, Response) == 1


def test_concurrent_ingest_of_the_same_page_is_stored_once(loaded, db_url):
    import threading

    from intake.db import make_engine

    result = page(loaded, answers={"housing": ["rent"]})
    engines = [make_engine(db_url) for _ in range(2)]
    barrier = threading.Barrier(2)
    reports = []
    errors: list[BaseException] = []

    def ingest(engine) -> None:
        try:
            barrier.wait()
            with session_scope(engine) as session:
                reports.append(ingest_page_results(session, [result]))
        except BaseException as exc:  # noqa: BLE001 - asserted below
            errors.append(exc)

    threads = [threading.Thread(target=ingest, args=(e,)) for e in engines]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for engine in engines:
        engine.dispose()
    assert errors == []
    assert sorted((r.stored, r.duplicates) for r in reports) == [(0, 1), (1, 0)]
    assert count(loaded, ScannedPage) == 1 and count(loaded, Response) == 1


def test_scanner_page_result_objects_with_their_images(loaded, data_dir):
    result = PageResult(
        file="batch-02.pdf",
        page_index=0,
        status=PageStatus.NEEDS_REVIEW,
        form="families",
        version=versions(loaded)["families"],
        language="nb",
        participant="P-BBBB",
        page=1,
        fields=[
            FieldResult("housing", "own", MarkState.MARKED, 0.4, 0.99),
            FieldResult("story", None, MarkState.MARKED, 0.2, 0.5, kind=FieldKind.TEXT),
        ],
        answers={"housing": ["own"]},
        needs_review=["story"],
        image=b"\xff\xd8 jpeg page",
        image_type="image/jpeg",
        crops={"story": b"\x89PNG story crop"},
    )
    store = EvidenceStore(data_dir)
    with session_scope(loaded) as session:
        report = ingest_page_results(
            session, [result], evidence=store, file_hashes={"batch-02.pdf": "c" * 64}
        )
    assert (report.stored, report.tasks) == (1, 1)
    with read_scope(loaded) as session:
        scanned = session.scalars(select(ScannedPage)).one()
        assert store.get(scanned.image_sha256) == b"\xff\xd8 jpeg page"
        assert scanned.result["fields"][0]["state"] == "marked"
        task = session.scalars(select(ReviewTask)).one()
        assert store.get(task.thumbnail_sha256) == b"\x89PNG story crop"
        response = session.scalars(select(Response)).one()
        assert response.field_states["housing"]["own"]["confidence"] == 0.99

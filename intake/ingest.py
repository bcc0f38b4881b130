"""Responses from every channel into the database: scanned pages, web, manual entry.

One function per channel, each working in the caller's transaction and each
idempotent:

- :func:`ingest_page_results`: scanner page results (DESIGN.md's format, as
  ``scan.results.PageResult``). A page is known by (scanned file's
  SHA-256, page index); the same page twice is stored once. Pages of one form
  from one person (or one anonymous serial) gather into one paper response.
  Pages without a usable identity become "unidentified" review tasks with
  their thumbnail; uncertain marks and handwriting become review tasks too.
- :func:`ingest_web_submission`: one web submission, known by its id.
- :func:`ingest_manual`: a paper form typed in by an assistant.

All three then call :func:`after_stored`, the one sequence that follows a stored
response.

When paper (or manual) and web answers exist for the same person and form,
both are kept and a conflict task is opened; nothing is overwritten.
Responses to consent and withdrawal forms go on to the consent ledger through
:func:`intake.consent_handoff.hand_over` once they have no open tasks.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from forms.answers import NUMBER_MAX_DIGITS, AnswerProblem, Reason, parse_written
from forms.errors import UserError
from forms.model import CHOICE_TYPES, WRITTEN_TYPES, Form, FormKind, Item
from scan.results import PageResult, PageStatus

from .evidence import EvidenceStore
from .invitations import current_invitation
from .models import (
    Channel,
    FormVersion,
    Invitation,
    Participant,
    ParticipantStatus,
    Response,
    ResponseStatus,
    ReviewTask,
    ScannedPage,
    StudyRecord,
    TaskKind,
    TaskStatus,
    utcnow,
)
from .studies import stored_form

#: Page statuses that carry a usable identity and answers.
READABLE_STATUSES = frozenset({PageStatus.OK, PageStatus.NEEDS_REVIEW})
#: Forms whose answers the consent ledger must see.
CONSENT_KINDS = frozenset({FormKind.CONSENT, FormKind.WITHDRAWAL})
#: Longest text answer kept (a long-text field holds a few hundred words).
MAX_TEXT_ANSWER_CHARS = 10_000


class IngestError(UserError):
    """A submission or manual entry that does not fit its form.

    ``item`` and ``reason`` say which answer is wrong and why, when it is one
    answer, so a staff page can put its own words next to that field.
    """

    def __init__(
        self, message: str, *, reason: Reason | None = None, item: str | None = None
    ) -> None:
        super().__init__(message)
        self.reason = reason
        self.item = item


#: How a wrong written answer is told on the command line, after "the answer to 'x'".
_WRONG: dict[Reason, str] = {
    Reason.NUMBER: f"must be a whole number of at most {NUMBER_MAX_DIGITS} digits",
    Reason.DATE: "must be a date like 31.12.2025 or 2025-12-31",
    Reason.TOO_LONG: "is too long",
    Reason.CONTROL: "holds a control character (ESC, NUL...); type the text again",
}


@dataclass
class IngestReport:
    stored: int = 0  # new scanned pages stored
    duplicates: int = 0  # pages seen before (nothing changed)
    responses: set[int] = field(default_factory=set)  # responses created or extended
    tasks: int = 0  # review tasks opened
    unidentified: int = 0
    statuses: list[PageStatus] = field(default_factory=list)  # one per input page, in order


# ---------------------------------------------------------------- shared helpers


def find_form_version(
    session: Session, form_key: str, version: str, study: StudyRecord | None = None
) -> FormVersion | None:
    query = select(FormVersion).where(
        FormVersion.form_key == form_key, FormVersion.text_version == version
    )
    if study is not None:
        query = query.where(FormVersion.study_id == study.id)
    return session.scalars(query.order_by(FormVersion.id)).first()


def find_participant(session: Session, code: str | None) -> Participant | None:
    if not code:
        return None
    return session.scalars(select(Participant).where(Participant.code == code)).first()


def _form_of(version: FormVersion, cache: dict[int, Form]) -> Form:
    if version.id not in cache:
        cache[version.id] = stored_form(version)
    return cache[version.id]


def _item_types(form: Form) -> dict[str, Item]:
    return {item.id: item for item in form.answerable()}


def refresh_status(response: Response) -> None:
    """complete / needs_review / verified from the response's review tasks."""
    tasks = [t for t in response.tasks if t.kind != TaskKind.CONFLICT]
    if any(t.status == TaskStatus.OPEN for t in tasks):
        response.status = ResponseStatus.NEEDS_REVIEW
    elif tasks:
        response.status = ResponseStatus.VERIFIED
    elif response.status != ResponseStatus.VERIFIED:
        response.status = ResponseStatus.COMPLETE


def maybe_hand_over(session: Session, response: Response, form: Form) -> None:
    """Consent and withdrawal answers go to the ledger once nothing about them is open."""
    if form.kind not in CONSENT_KINDS or response.status == ResponseStatus.NEEDS_REVIEW:
        return
    from .consent_handoff import hand_over

    study = session.get_one(StudyRecord, response.form_version.study_id)
    hand_over(session, response, study, form)


def _flag_conflicts(session: Session, response: Response) -> int:
    """Open a conflict task for each response of the other channel kind (paper vs web)."""
    if response.participant_id is None:
        return 0
    mine_is_web = response.channel == Channel.WEB
    others = session.scalars(
        select(Response)
        .join(FormVersion, FormVersion.id == Response.form_version_id)
        .where(
            Response.participant_id == response.participant_id,
            Response.id != response.id,
            FormVersion.form_key == response.form_version.form_key,
        )
    ).all()
    opened = 0
    for other in others:
        if (other.channel == Channel.WEB) == mine_is_web:
            continue  # two paper copies (or two web submissions) are not a channel conflict
        exists = session.scalars(
            select(ReviewTask).where(
                ReviewTask.kind == TaskKind.CONFLICT,
                or_(
                    (ReviewTask.response_id == response.id)
                    & (ReviewTask.other_response_id == other.id),
                    (ReviewTask.response_id == other.id)
                    & (ReviewTask.other_response_id == response.id),
                ),
            )
        ).first()
        if exists:
            continue
        session.add(
            ReviewTask(
                kind=TaskKind.CONFLICT,
                response=response,
                other_response_id=other.id,
                details={
                    "channels": [response.channel, other.channel],
                    "form": response.form_version.form_key,
                },
            )
        )
        opened += 1
    return opened


def _mark_answered(participant: Participant | None) -> None:
    if participant is not None and participant.status in (
        ParticipantStatus.NEW,
        ParticipantStatus.INVITED,
    ):
        participant.status = ParticipantStatus.ANSWERED


def after_stored(session: Session, response: Response, form: Form) -> int:
    """What follows storing a response on any channel (paper, web, manual); the conflict
    tasks opened.

    A conflict with the other channel kind is flagged, the response's status is
    worked out from its review tasks, the person counts as having answered, and
    consent and withdrawal answers with nothing open go on to the consent ledger.
    """
    opened = _flag_conflicts(session, response)
    session.flush()
    session.refresh(response, ["tasks"])
    refresh_status(response)
    _mark_answered(response.participant)
    maybe_hand_over(session, response, form)
    return opened


def check_answers(form: Form, answers: Mapping[str, Any], *, where: str) -> dict[str, Any]:
    """Answers as stored ({item: [values]} for choices, {item: text} for written items).

    Raises :class:`IngestError` naming the item when an answer does not fit.
    """
    if not isinstance(answers, Mapping):
        raise IngestError(f"{where}: answers must be a mapping of item to answer")
    items = _item_types(form)
    clean: dict[str, Any] = {}
    for key, value in answers.items():
        item = items.get(key)
        if item is None:
            raise IngestError(f"{where}: form '{form.id}' has no question '{key}'")
        if value is None or value == [] or value == "":
            continue
        if item.type in CHOICE_TYPES:
            values = [value] if isinstance(value, str) else value
            if not isinstance(values, list | tuple) or not all(isinstance(v, str) for v in values):
                raise IngestError(f"{where}: '{key}' takes choice values")
            allowed = {c.value for c in item.options()}
            wrong = [v for v in values if v not in allowed]
            if wrong:
                raise IngestError(
                    f"{where}: '{wrong[0]}' is not a choice of '{key}' "
                    f"(choices: {', '.join(sorted(allowed))})"
                )
            if len(values) > 1 and not item.multiple:
                raise IngestError(f"{where}: '{key}' takes one choice, got {len(values)}")
            clean[key] = list(dict.fromkeys(values))
        else:
            if isinstance(value, bool) or not isinstance(value, str | int | float):
                raise IngestError(f"{where}: '{key}' takes a text answer", reason=None, item=key)
            text = str(value)
            if len(text) > MAX_TEXT_ANSWER_CHARS:
                raise IngestError(
                    f"{where}: the answer to '{key}' is too long", reason=Reason.TOO_LONG, item=key
                )
            try:
                # the same check as the web form's (forms.answers): a number is digits,
                # a date is a date, no text holds a control character
                clean[key] = parse_written(item.type, text)
            except AnswerProblem as exc:
                raise IngestError(
                    f"{where}: the answer to '{key}' {_WRONG[exc.reason]}",
                    reason=exc.reason,
                    item=key,
                ) from exc
    return clean


def _insert_once(session: Session, row: Any) -> bool:
    """Insert ``row``; False if a unique constraint says a concurrent writer was first.

    SQLite's BEGIN IMMEDIATE already queues writers, so the check before the
    insert sees the other row; PostgreSQL runs both transactions at once and
    the unique constraint is what catches it. A savepoint keeps our own
    transaction usable after the conflict.
    """
    try:
        with session.begin_nested():
            session.add(row)
            session.flush()
    except IntegrityError:
        return False
    return True


# ---------------------------------------------------------------- paper


def _file_hash(result: PageResult, hashes: Mapping[str, str] | None, cache: dict[str, str]) -> str:
    if result.file_sha256:
        return result.file_sha256
    name = result.file
    if hashes and name in hashes:
        return hashes[name]
    if name not in cache:
        try:
            digest = hashlib.sha256()
            with open(Path(name), "rb") as handle:
                for block in iter(lambda: handle.read(1 << 20), b""):
                    digest.update(block)
            cache[name] = digest.hexdigest()
        except OSError as exc:
            raise IngestError(
                f"cannot hash the scanned file '{name}' to recognise its pages: {exc.strerror}"
            ) from exc
    return cache[name]


def ingest_page_results(
    session: Session,
    results: Iterable[PageResult],
    *,
    evidence: EvidenceStore | None = None,
    file_hashes: Mapping[str, str] | None = None,
    study: StudyRecord | None = None,
) -> IngestReport:
    """Store scanner page results; the same page twice changes nothing the second time.

    The scanned file's SHA-256 comes from each result's ``file_sha256``, else
    ``file_hashes[result.file]``, else by reading the file named in ``file``.
    Page images, thumbnails and field crops go to ``evidence`` when given.
    """
    report = IngestReport()
    hash_cache: dict[str, str] = {}
    form_cache: dict[int, Form] = {}
    touched: dict[int, Response] = {}
    # A batch's pages share a few form versions and come four or five a person:
    # each is looked up once per call (one transaction), not once per page.
    version_cache: dict[tuple[str, str], FormVersion | None] = {}
    people: dict[str | None, Participant | None] = {}
    for result in results:
        file_sha = _file_hash(result, file_hashes, hash_cache)
        known = session.scalars(
            select(ScannedPage).where(
                ScannedPage.file_sha256 == file_sha, ScannedPage.page_index == result.page_index
            )
        ).first()
        if known is not None:
            report.duplicates += 1
            report.statuses.append(PageStatus.DUPLICATE)
            continue
        image_sha = thumb_sha = None
        crops: dict[str, str] = {}
        if evidence is not None:
            if result.image:
                image_sha = evidence.put(result.image)
            if result.thumbnail:
                thumb_sha = evidence.put(result.thumbnail)
            crops = {item: evidence.put(png) for item, png in result.crops.items() if png}
        page = ScannedPage(
            file_sha256=file_sha,
            file_name=result.file,
            page_index=result.page_index,
            image_sha256=image_sha,
            status=str(result.status),
            result=result.to_json(),
        )
        if not _insert_once(session, page):
            # Another process stored this very page between our check and our insert.
            report.duplicates += 1
            report.statuses.append(PageStatus.DUPLICATE)
            continue
        report.stored += 1
        version = None
        if result.status in READABLE_STATUSES and result.form and result.version:
            key = (result.form, result.version)
            if key not in version_cache:
                version_cache[key] = find_form_version(session, *key, study)
            version = version_cache[key]
        if result.participant not in people:
            people[result.participant] = find_participant(session, result.participant)
        participant = people[result.participant]
        if version is None or (participant is None and not result.serial):
            reason = result.message or _why_unidentified(result, version)
            session.add(
                ReviewTask(
                    kind=TaskKind.UNIDENTIFIED,
                    scanned_page_id=page.id,
                    thumbnail_sha256=thumb_sha or image_sha,
                    details={
                        "reason": reason,
                        "file": page.file_name,
                        "page_index": result.page_index,
                    },
                )
            )
            report.tasks += 1
            report.unidentified += 1
            report.statuses.append(PageStatus.UNIDENTIFIED)
            continue
        form = _form_of(version, form_cache)
        response = _paper_response(session, version, participant, result, touched)
        page.response_id = response.id
        report.tasks += _merge_page(
            session, response, form, page, result, crops, thumb_sha or image_sha
        )
        report.responses.add(response.id)
        report.statuses.append(result.status)
    session.flush()
    for response in touched.values():
        report.tasks += after_stored(session, response, _form_of(response.form_version, form_cache))
    session.flush()
    return report


def _why_unidentified(result: PageResult, version: FormVersion | None) -> str:
    if result.status not in READABLE_STATUSES:
        return f"the scanner could not identify the page ({result.status})"
    if version is None:
        return f"form '{result.form}' version {result.version} is not loaded"
    return f"participant {result.participant} is not known"


def _paper_response(
    session: Session,
    version: FormVersion,
    participant: Participant | None,
    result: PageResult,
    touched: dict[int, Response],
) -> Response:
    """The paper response this page belongs to (pages of one form gather in one)."""
    query = select(Response).where(
        Response.form_version_id == version.id, Response.channel == Channel.PAPER
    )
    if participant is not None:
        query = query.where(Response.participant_id == participant.id)
    else:
        query = query.where(
            Response.serial == str(result.serial), Response.participant_id.is_(None)
        )
    response = session.scalars(query.order_by(Response.id)).first()
    if response is None:
        invitation: Invitation | None = (
            current_invitation(session, participant) if participant is not None else None
        )
        response = Response(
            form_version=version,
            participant=participant,
            invitation_id=invitation.id if invitation else None,
            serial=None if participant is not None else str(result.serial),
            language=result.language,
            channel=Channel.PAPER,
            answers={},
            field_states={},
            status=ResponseStatus.COMPLETE,
            source={"pages": []},
        )
        session.add(response)
        session.flush()
    touched[response.id] = response
    return response


def _merge_page(
    session: Session,
    response: Response,
    form: Form,
    page: ScannedPage,
    result: PageResult,
    crops: Mapping[str, str],
    thumbnail: str | None,
) -> int:
    """Add one page's answers to the response; open a task for each uncertain item."""
    items = _item_types(form)
    answers = dict(response.answers or {})
    states = dict(response.field_states or {})
    for item_id, values in result.answers.items():
        if item_id in items:
            answers[item_id] = list(values) if isinstance(values, list | tuple) else values
    # Stored as the page-result JSON says them (state as text, fill and confidence rounded).
    fields = [f.to_json() for f in result.fields]
    for field_json in fields:
        entry = states.setdefault(field_json["item"], {})
        key = field_json["value"] or "_"
        entry[key] = {k: field_json[k] for k in ("state", "fill", "confidence")}
    source = dict(response.source or {})
    source["pages"] = [
        *source.get("pages", []),
        {
            "file_sha256": page.file_sha256,
            "page_index": page.page_index,
            "page": result.page,
            "scanned_page_id": page.id,
            # field crops in the evidence store (the consent ledger names the signature crop)
            **({"crops": dict(crops)} if crops else {}),
        },
    ]
    response.answers, response.field_states, response.source = answers, states, source
    opened = 0
    for item_id in result.needs_review:
        item = items.get(item_id)
        kind = (
            TaskKind.HANDWRITING
            if item is not None and item.type in WRITTEN_TYPES
            else TaskKind.AMBIGUOUS
        )
        session.add(
            ReviewTask(
                kind=kind,
                response=response,
                scanned_page_id=page.id,
                item=item_id,
                old_value=answers.get(item_id),
                thumbnail_sha256=crops.get(item_id) or thumbnail,
                details={
                    "item_type": str(item.type) if item else None,
                    "fields": [f for f in fields if f["item"] == item_id],
                },
            )
        )
        opened += 1
    return opened


# ---------------------------------------------------------------- web and manual


def _resolve_target(
    session: Session, study: StudyRecord | None, form_key: str, version: str | None, where: str
) -> FormVersion:
    if version is not None:
        found = find_form_version(session, form_key, version, study)
    else:
        query = select(FormVersion).where(FormVersion.form_key == form_key)
        if study is not None:
            query = query.where(FormVersion.study_id == study.id)
        found = session.scalars(query.order_by(FormVersion.id.desc())).first()
    if found is None:
        what = f"form '{form_key}'" + (f" version {version}" if version else "")
        raise IngestError(f"{where}: {what} is not loaded")
    return found


def ingest_web_submission(
    session: Session,
    *,
    submission_id: str,
    form: str,
    answers: Mapping[str, Any],
    version: str | None = None,
    participant: Participant | str | None = None,
    invitation: Invitation | None = None,
    serial: str | None = None,
    language: str | None = None,
    received_at: dt.datetime | None = None,
    study: StudyRecord | None = None,
) -> tuple[Response, bool]:
    """Store a web submission once: (response, created). The same id again returns it."""
    if not submission_id or len(submission_id) > 100:
        raise IngestError("a web submission needs an id of at most 100 characters")
    existing = session.scalars(
        select(Response).where(Response.submission_id == submission_id)
    ).first()
    if existing is not None:
        return existing, False
    where = f"submission {submission_id}"
    if invitation is not None and participant is None:
        participant = invitation.participant
    person = _participant(session, participant, where)
    if person is None and not serial:
        raise IngestError(f"{where}: says neither who answered nor which anonymous copy")
    target = _resolve_target(session, study, form, version, where)
    form_def = stored_form(target)
    response = Response(
        form_version=target,
        participant=person,
        invitation_id=invitation.id if invitation is not None else (_current_id(session, person)),
        serial=serial if person is None else None,
        language=language,
        channel=Channel.WEB,
        answers=check_answers(form_def, answers, where=where),
        field_states={},
        status=ResponseStatus.COMPLETE,
        submission_id=submission_id,
        source={"submission": submission_id},
        received_at=received_at or utcnow(),
    )
    if not _insert_once(session, response):
        # The same submission arrived twice at once (a double click): the first one wins.
        return session.scalars(
            select(Response).where(Response.submission_id == submission_id)
        ).one(), False
    after_stored(session, response, form_def)
    return response, True


def ingest_manual(
    session: Session,
    *,
    form: str,
    answers: Mapping[str, Any],
    entered_by: str,
    version: str | None = None,
    participant: Participant | str | None = None,
    serial: str | None = None,
    language: str | None = None,
    entry_id: str | None = None,
    scanned_page: ScannedPage | None = None,
    study: StudyRecord | None = None,
) -> tuple[Response, bool]:
    """A paper form typed in by an assistant, recorded with the assistant as the source.

    ``entry_id`` (e.g. the assistant's form number) makes a repeat a no-op.
    """
    if not entered_by or not entered_by.strip():
        raise IngestError("a manual entry must say who typed it in")
    key = f"manual:{entry_id}" if entry_id else None
    if key is not None:
        existing = session.scalars(select(Response).where(Response.submission_id == key)).first()
        if existing is not None:
            return existing, False
    where = f"manual entry{f' {entry_id}' if entry_id else ''}"
    person = _participant(session, participant, where)
    if person is None and not serial:
        raise IngestError(f"{where}: says neither who answered nor which anonymous copy")
    target = _resolve_target(session, study, form, version, where)
    form_def = stored_form(target)
    source: dict[str, Any] = {"entered_by": entered_by}
    if scanned_page is not None:
        source["pages"] = [
            {
                "file_sha256": scanned_page.file_sha256,
                "page_index": scanned_page.page_index,
                "scanned_page_id": scanned_page.id,
            }
        ]
    response = Response(
        form_version=target,
        participant=person,
        invitation_id=_current_id(session, person),
        serial=serial if person is None else None,
        language=language,
        channel=Channel.MANUAL,
        answers=check_answers(form_def, answers, where=where),
        field_states={},
        status=ResponseStatus.COMPLETE,
        submission_id=key,
        source=source,
        entered_by=entered_by,
    )
    session.add(response)
    session.flush()
    if scanned_page is not None:
        scanned_page.response_id = response.id
    after_stored(session, response, form_def)
    return response, True


def _participant(
    session: Session, participant: Participant | str | None, where: str
) -> Participant | None:
    if participant is None or isinstance(participant, Participant):
        return participant
    found = find_participant(session, participant)
    if found is None:
        raise IngestError(f"{where}: no participant with code {participant}")
    return found


def _current_id(session: Session, person: Participant | None) -> int | None:
    if person is None:
        return None
    invitation = current_invitation(session, person)
    return invitation.id if invitation else None


__all__ = [
    "IngestError",
    "after_stored",
    "IngestReport",
    "check_answers",
    "ingest_manual",
    "ingest_page_results",
    "ingest_web_submission",
]

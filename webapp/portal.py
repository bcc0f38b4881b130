"""What the citizens' pages need from intake and consent, in one place.

Each function is a thin call into the owning package: invitations (intake),
web submissions (intake.ingest, which hands consent forms on to the ledger),
consent status and withdrawal (consent.ledger), the receipt (printing.reports).
"""

from __future__ import annotations

import datetime as dt
import json
import re
import uuid
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeGuard

from flask import current_app
from sqlalchemy import select
from sqlalchemy.orm import Session

from forms.model import CHOICE_TYPES, Form, FormKind, Study
from intake import invitations
from intake.models import Invitation, Participant, ParticipantStatus

from .database import EXTENSION, reading, writing
from .study import current_study

if TYPE_CHECKING:
    from printing.reports import ReceiptData


@dataclass(frozen=True)
class Visit:
    """A citizen's invitation as the pages see it (no names, no contact details)."""

    invitation_id: int
    participant: str  # the participant code, e.g. P-7K3M
    language: str
    study: Study
    consent_form: Form | None
    questionnaires: tuple[Form, ...]


def _secret() -> bytes:
    return current_app.extensions[EXTENSION]["secret"]


def _usable(invitation: Invitation | None) -> TypeGuard[Invitation]:
    if invitation is None or invitation.revoked:
        return False
    participant = invitation.participant
    return participant is not None and participant.status != ParticipantStatus.ERASED


def invitation_for_token(token: str) -> int | None:
    """The invitation id a link's token opens, or None (wrong, revoked or erased: all alike)."""
    with reading() as db:
        invitation = invitations.find_by_token(db, _secret(), token)
        return invitation.id if _usable(invitation) else None


def invitation_for_code(code: str) -> int | None:
    with reading() as db:
        invitation = invitations.find_by_answer_code(db, _secret(), code)
        return invitation.id if _usable(invitation) else None


def _forms_for(study: Study, invitation: Invitation) -> tuple[Form | None, tuple[Form, ...]]:
    """The consent form and questionnaires of this person's pack (what was printed for them)."""
    printed: list[str] = []
    for page in invitation.pages or []:
        form_id = page.get("form")
        if form_id and form_id not in printed:
            printed.append(form_id)
    known = {f.id: f for f in study.forms}
    forms = [known[f] for f in printed if f in known]
    if not forms:
        # nothing printed yet (web-only invitation): the first consent form and questionnaire
        forms = [f for f in study.forms if f.kind == FormKind.CONSENT][:1]
        forms += [f for f in study.forms if f.kind == FormKind.QUESTIONNAIRE][:1]
    consent = next((f for f in forms if f.kind == FormKind.CONSENT), None)
    questionnaires = tuple(f for f in forms if f.kind in (FormKind.QUESTIONNAIRE, FormKind.REPLY))
    return consent, questionnaires


def _study_key(db: Session, participant: Participant) -> str | None:
    from intake.models import StudyRecord

    if participant.study_id is None:
        return None  # imported before studies were told apart: the only study
    record = db.get(StudyRecord, participant.study_id)
    return record.key if record is not None else None


def open_visit(invitation_id: int, db: Session | None = None) -> Visit | None:
    """The visit for a session's invitation, or None if it can no longer be used."""
    if db is None:
        with reading() as session:
            return open_visit(invitation_id, session)
    invitation = db.get(Invitation, invitation_id)
    if not _usable(invitation):
        return None
    participant: Participant = invitation.participant
    # the invitation knows its study: several may be loaded in one install
    study = current_study(_study_key(db, participant))
    consent, questionnaires = _forms_for(study, invitation)
    language = (
        participant.language
        if participant.language in study.languages
        else (study.default_language)
    )
    return Visit(invitation.id, participant.code, language, study, consent, questionnaires)


def text_version(form: Form) -> str:
    from forms.version import text_version as version_of

    return version_of(form)


def stored_answers(form: Form, answers: dict[str, list[str]]) -> dict[str, Any]:
    """The web form's answers in intake's shape: lists for choices, one text for the rest."""
    out: dict[str, Any] = {}
    for item in form.answerable():
        values = answers.get(item.id)
        if not values:
            continue
        out[item.id] = list(values) if item.type in CHOICE_TYPES else values[0]
    return out


def submit(
    db: Session,
    visit: Visit,
    form: Form,
    answers: dict[str, list[str]],
    *,
    submission_id: str,
    language: str,
) -> bool:
    """Store a web submission once (idempotent by ``submission_id``), in the caller's
    transaction; True if it was new."""
    from intake.ingest import ingest_web_submission

    invitation = db.get(Invitation, visit.invitation_id)
    _response, created = ingest_web_submission(
        db,
        submission_id=submission_id,
        form=form.id,
        version=text_version(form),
        answers=stored_answers(form, answers),
        invitation=invitation,
        language=language,
    )
    return created


@dataclass(frozen=True)
class ConsentLine:
    item: str
    text: str
    state: str  # consent.status.ConsentState value
    granted: bool


def consent_lines(visit: Visit, language: str) -> list[ConsentLine]:
    """Every consent item of the study and where this person stands on it now."""
    from consent.ledger import item_status
    from consent.status import ConsentState

    with reading() as db:
        lines = []
        for item in visit.study.consent_items:
            state = item_status(db, visit.participant, item.id).state
            lines.append(
                ConsentLine(
                    item.id, item.text.get(language), str(state), state == ConsentState.GRANTED
                )
            )
    return lines


def answered_forms(visit: Visit) -> set[str]:
    """The forms this person has answered through any channel (paper, web, typed in)."""
    from sqlalchemy import select

    from intake.models import FormVersion, Response

    with reading() as db:
        participant_id = db.get_one(Invitation, visit.invitation_id).participant_id
        return set(
            db.scalars(
                select(FormVersion.form_key)
                .join(Response, Response.form_version_id == FormVersion.id)
                .where(Response.participant_id == participant_id)
            )
        )


def has_consent_events(visit: Visit) -> bool:
    from consent.ledger import events_of

    with reading() as db:
        return bool(events_of(db, visit.participant))


def awaits_reconsent(visit: Visit) -> bool:
    """Whether a consent text this person agreed to has changed materially since."""
    from intake.reconsent import awaits_reconsent as overtaken
    from intake.studies import get_study

    with reading() as db:
        return bool(overtaken(db, get_study(db, visit.study.id), visit.participant))


def withdraw(visit: Visit, item: str, language: str) -> str:
    """Record the person's withdrawal of one consent item; returns the withdrawal's id.

    intake.withdrawals applies the study's policy (leaving the study, erasure due).
    """
    from consent.events import PARTICIPANT_ACTOR, Channel
    from consent.policy import StudyPolicy
    from intake.withdrawals import withdraw as record_withdrawal

    withdrawal_id = str(uuid.uuid4())
    form = visit.consent_form
    with writing() as db:
        record_withdrawal(
            db,
            policy=StudyPolicy.from_study(visit.study),
            participant=visit.participant,
            items=[item],
            channel=Channel.WEB,
            actor=PARTICIPANT_ACTOR,
            evidence={
                "submission_id": withdrawal_id,
                "kind": "web withdrawal",
                "language": language,
            },
            occurred_at=dt.datetime.now(dt.UTC),
            text_version=text_version(form) if form is not None else "",
        )
    return withdrawal_id


#: citizens read times in Norwegian time, not UTC
CITIZEN_TIME_ZONE = "Europe/Oslo"


def citizen_time(utc_iso: str | None, language: str) -> str:
    """A ledger time (UTC, ISO 8601) as a person reads it: "22. november 2026 kl. 03:32"."""
    from zoneinfo import ZoneInfo

    from forms.phrases import format_date, known_language, phrase

    moment = (
        dt.datetime.now(dt.UTC)
        if not utc_iso
        else dt.datetime.fromisoformat(utc_iso.replace("Z", "+00:00"))
    )
    local = moment.astimezone(ZoneInfo(CITIZEN_TIME_ZONE))
    at = phrase("at_time", known_language(language, "nb"))
    return f"{format_date(local.date(), language)} {at} {local:%H:%M}"


def receipt_data(visit: Visit, language: str) -> ReceiptData:
    """The consent receipt's contents: where this person stands on each item now, the text
    version, the time, the code and how to withdraw. Both the web page and the PDF show
    this one value, so they cannot disagree.

    Built from the ledger (the record of truth), not from what the page showed.
    """
    from consent.ledger import events_of
    from consent.status import fold
    from intake.format_profiles import profile_of
    from intake.models import Participant
    from printing.reports import ReceiptData

    with reading() as db:
        events = events_of(db, visit.participant)
        person = db.scalars(
            select(Participant).where(Participant.code == visit.participant)
        ).first()
        # the person's format profile: a receipt for someone who reads large print is large
        large_print = person is not None and profile_of(person).large_print
    book = fold(events)
    items = tuple(
        (item.text.get(language), str(book.state(visit.participant, item.id)))
        for item in visit.study.consent_items
    )
    last = events[-1] if events else None
    evidence = json.loads(last.evidence) if last is not None else {}
    leader = visit.study.project_leader
    return ReceiptData(
        language=language,
        participant=visit.participant,
        study_title=visit.study.title.get(language),
        when=citizen_time(last.occurred_at if last else None, language),
        channel=str(last.channel) if last else "web",
        text_version=(
            last.text_version
            if last and last.text_version
            else (text_version(visit.consent_form) if visit.consent_form else "")
        ),
        items=items,
        reference=str(evidence.get("submission_id") or evidence.get("page_sha256") or ""),
        events=tuple(e.seq for e in events),
        leader=", ".join(p for p in (leader.name, leader.phone, leader.email) if p),
        # the short address printed on the letters, where the answer code opens these pages
        address=re.sub(r"^https?://", "", visit.study.base_url.rstrip("/")),
        phone=leader.phone or "",
        large_print=large_print,
    )


def receipt_pdf(visit: Visit, language: str) -> bytes:
    """The consent receipt as a PDF to download (the same data as the web page's)."""
    from printing.reports import consent_receipt_pdf

    return consent_receipt_pdf(receipt_data(visit, language))

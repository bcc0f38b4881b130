"""Access requests (GDPR Art. 15): everything held about one person, as plain data.

printing/reports.py draws it as an easy-language PDF in the person's language.
Form wording comes from the stored definition of the exact form version the
person answered, so the questions read as they were asked.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from consent import ledger
from consent.events import ALL_ITEMS, Action
from consent.policy import StudyPolicy
from forms.model import ItemType
from intake.format_profiles import profile_of
from intake.models import FormVersion, Response, ScannedPage
from intake.withdrawals import get_participant
from printing.format_profile import PrintOverride, effective_profile
from printing.reports import (
    CITIZEN_LANGUAGES,
    AccessConsent,
    AccessData,
    AccessEvent,
    AccessResponse,
    text,
)

from .dpo_files import consent_records

CONTACT_FIELDS = ("name", "address", "postcode", "city", "phone", "email")


def _label(value: Any, language: str) -> str:
    if not isinstance(value, Mapping):
        return ""
    values = value.get("values", {})
    return values.get(language) or values.get("nb") or next(iter(values.values()), "")


def _answer_text(item: Mapping[str, Any], answer: Any, language: str) -> str:
    choices = {c["value"]: _label(c.get("label"), language) for c in item.get("choices", ())}
    kind = item.get("type")
    if kind in (ItemType.YES_NO, ItemType.CONSENT) and not choices:
        choices = {"yes": text(language, "yes"), "no": text(language, "no")}
    values = answer if isinstance(answer, list) else [answer]
    return ", ".join(choices.get(str(v), str(v)) for v in values if v not in (None, ""))


def _response(version: FormVersion, response: Response, language: str) -> AccessResponse:
    definition = version.definition or {}
    answers: list[tuple[str, str]] = []
    for section in definition.get("sections", ()):
        for item in section.get("items", ()):
            if item.get("id") in (response.answers or {}):
                shown = _answer_text(item, response.answers[item["id"]], language)
                if shown:
                    answers.append((_label(item.get("label"), language), shown))
    known = {i.get("id") for s in definition.get("sections", ()) for i in s.get("items", ())}
    for key, value in (response.answers or {}).items():
        if key not in known:  # an answer the stored definition does not name: still shown
            answers.append(
                (key, ", ".join(map(str, value)) if isinstance(value, list) else str(value))
            )
    return AccessResponse(
        form=_label(definition.get("title"), language) or version.form_key,
        channel=response.channel,
        received=response.received_at.strftime("%Y-%m-%d"),
        answers=tuple(answers),
    )


def _contact_line(contact: Mapping[str, Any] | None) -> str:
    if not contact:
        return ""
    parts = [
        contact.get("name"),
        contact.get("organisation"),
        contact.get("phone"),
        contact.get("email"),
    ]
    return ", ".join(str(p) for p in parts if p)


def access_data(
    session: Session,
    *,
    participant: str,
    policy: StudyPolicy,
    language: str | None = None,
    today: dt.date | None = None,
    large_print: bool | None = None,
) -> AccessData:
    """Everything held about ``participant``: contact details, answers, consent history.

    In the person's format profile (language, large print); ``language`` and
    ``large_print`` override it for this letter.
    """
    person = get_participant(session, participant)
    fmt = effective_profile(profile_of(person), PrintOverride(large_print))
    lang = language or fmt.language
    if lang not in CITIZEN_LANGUAGES:
        lang = policy.default_language if policy.default_language in CITIZEN_LANGUAGES else "nb"
    contact = person.contact
    contact_rows = tuple(
        (name, str(getattr(contact, name)))
        for name in CONTACT_FIELDS
        if contact is not None and getattr(contact, name)
    )
    responses = tuple(
        _response(version, response, lang)
        for response, version in session.execute(
            select(Response, FormVersion)
            .join(FormVersion, Response.form_version_id == FormVersion.id)
            .where(Response.participant_id == person.id)
            .order_by(Response.received_at, Response.id)
        )
    )
    pages = (
        session.scalar(
            select(func.count())
            .select_from(ScannedPage)
            .join(Response, ScannedPage.response_id == Response.id)
            .where(Response.participant_id == person.id, ScannedPage.image_sha256.is_not(None))
        )
        or 0
    )
    item_texts = {i.id: i.text.get(lang) for i in policy.consent_items}
    events = ledger.events_of(session, participant)
    book = ledger.status_book(session)
    consents = tuple(
        AccessConsent(
            item_texts[item],
            str(book.state(participant, item)),
            (book.get(participant, item).occurred_at or "")[:10],
        )
        for item in policy.item_ids
    )
    history = tuple(
        AccessEvent(
            when=e.occurred_at[:10],
            item=item_texts.get(e.item, "" if e.item == ALL_ITEMS else e.item),
            action=str(e.action),
            channel=str(e.channel),
            text_version=e.text_version,
        )
        for e in events
        if e.action != Action.NOTE
    )
    records = tuple(
        (
            item_texts.get(r.item, r.item),
            r.record_id,
            f"#{r.last_event.seq} {r.last_event.ledger_hash[:16]}",
        )
        for r in consent_records(session, study=policy.key, participant=participant)
    )
    return AccessData(
        language=lang,
        participant=participant,
        study_title=policy.title.get(lang),
        generated=(today or dt.date.today()).isoformat(),
        contact=contact_rows,
        responses=responses,
        consents=consents,
        history=history,
        leader=_contact_line(policy.leader),
        dpo=_contact_line(policy.dpo),
        status=str(person.status),
        scanned_pages=pages,
        records=records,
        large_print=fmt.large_print,
    )

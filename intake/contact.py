"""Who may be sent a letter: the one rule every letter path asks.

Invitations (and their reprints), reminders and re-consent packs all go
through :func:`may_send`. It is a pure function of what we know about a person
(:class:`ContactFacts`, gathered from the database by :func:`contact_facts`),
so a property test can feed it random histories. A person who withdrew,
declined to take part or was erased is never selected, whatever their
participant status says: the status and the consent ledger are both asked,
because a decline recorded from a phone call reaches the ledger without
changing the status.

"Declined to take part" follows the withdrawal rule (consent.withdrawal.left_study):
saying no to an item one must consent to, or to every item. Someone who only
said no to the audio recording still takes part and may get a re-consent pack
for the interview.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum

from sqlalchemy import select
from sqlalchemy.orm import Session

from consent import ledger
from consent.events import Action
from consent.policy import StudyPolicy
from consent.status import ConsentState, fold
from consent.withdrawal import left_study

from .models import (
    Invitation,
    Participant,
    ParticipantStatus,
    Reminder,
    Response,
    ScannedPage,
    StudyRecord,
)


class LetterKind(StrEnum):
    INVITATION = "invitation"
    REMINDER = "reminder"
    RECONSENT = "reconsent"


class Reason(StrEnum):
    """Why a letter may or may not go to a person (shown in dry runs and on the web)."""

    MAY_SEND = "may be sent a letter"
    ERASED = "erased"
    WITHDRAWN = "withdrew from the study"
    DECLINED = "declined to take part"
    ANSWERED = "has answered"
    PAPER_RECEIVED = "a paper answer has come in (it may still be in review)"
    NEVER_SENT = "was never sent a letter"
    TOO_RECENT = "the last letter was sent too recently"
    MAX_REMINDERS = "has had the most reminders allowed"
    NO_ADDRESS = "has no postal address"


#: Reasons that bar every kind of letter: nobody is contacted against their will.
NEVER_CONTACT = frozenset({Reason.ERASED, Reason.WITHDRAWN, Reason.DECLINED})


def reasons_summary(reasons: Iterable[Reason]) -> str:
    """How many people each reason left out, the most common first ("3 declined; 1 ...")."""
    return "; ".join(f"{n} {reason}" for reason, n in Counter(reasons).most_common())


@dataclass(frozen=True)
class ContactFacts:
    """What the rule needs to know about one person."""

    code: str
    status: str  # intake.models.ParticipantStatus
    states: Mapping[str, ConsentState] = field(default_factory=dict)  # item -> ledger state
    erased_in_ledger: bool = False
    answered_channels: frozenset[str] = frozenset()  # channels of responses in the database
    paper_pages: int = 0  # scanned pages identified as this person's (read, in review or not)
    decided_in_ledger: bool = False  # a grant or decline recorded for them (any channel)
    letters_sent: tuple[dt.datetime, ...] = ()  # invitations printed and reminders sent
    reminders_sent: int = 0
    has_address: bool = True


@dataclass(frozen=True)
class ReminderRules:
    """What `deltaker reminders` was asked for: wait ``after`` since the last letter."""

    now: dt.datetime
    after: dt.timedelta
    max_reminders: int = 1


@dataclass(frozen=True)
class Decision:
    code: str
    kind: LetterKind
    reason: Reason

    @property
    def allowed(self) -> bool:
        return self.reason == Reason.MAY_SEND


def refusal(facts: ContactFacts, policy: StudyPolicy) -> Reason | None:
    """Why nobody may write to this person at all (None when they may be written to)."""
    if facts.status == ParticipantStatus.ERASED or facts.erased_in_ledger:
        return Reason.ERASED
    if facts.status == ParticipantStatus.WITHDRAWN:
        return Reason.WITHDRAWN
    if facts.states and left_study(policy, facts.states):
        said = set(facts.states.values())
        return Reason.WITHDRAWN if ConsentState.WITHDRAWN in said else Reason.DECLINED
    return None


def may_send(
    facts: ContactFacts,
    kind: LetterKind,
    policy: StudyPolicy,
    rules: ReminderRules | None = None,
) -> Decision:
    """Whether ``facts.code`` may get a letter of ``kind``, and why (reminders need ``rules``)."""
    barred = refusal(facts, policy)
    if barred is not None:
        return Decision(facts.code, kind, barred)
    if kind == LetterKind.RECONSENT and not facts.has_address:
        return Decision(facts.code, kind, Reason.NO_ADDRESS)  # a pack goes by post
    if kind != LetterKind.REMINDER:
        return Decision(facts.code, kind, Reason.MAY_SEND)
    if rules is None:
        raise ValueError("a reminder decision needs ReminderRules")
    # A "no" to any one item is an answer: someone who phoned to refuse the audio
    # recording is not reminded to answer.
    said_no = {
        s for s in facts.states.values() if s in (ConsentState.DECLINED, ConsentState.WITHDRAWN)
    }
    if said_no:
        withdrew = ConsentState.WITHDRAWN in said_no
        return Decision(facts.code, kind, Reason.WITHDRAWN if withdrew else Reason.DECLINED)
    if facts.paper_pages:
        return Decision(facts.code, kind, Reason.PAPER_RECEIVED)
    if (
        facts.answered_channels
        or facts.decided_in_ledger
        or facts.status == ParticipantStatus.ANSWERED
    ):
        return Decision(facts.code, kind, Reason.ANSWERED)
    if not facts.letters_sent:
        return Decision(facts.code, kind, Reason.NEVER_SENT)
    if facts.reminders_sent >= rules.max_reminders:
        return Decision(facts.code, kind, Reason.MAX_REMINDERS)
    if max(facts.letters_sent) > rules.now - rules.after:
        return Decision(facts.code, kind, Reason.TOO_RECENT)
    if not facts.has_address:
        return Decision(facts.code, kind, Reason.NO_ADDRESS)
    return Decision(facts.code, kind, Reason.MAY_SEND)


# --- gathering the facts ---------------------------------------------------------------------


def contact_facts(
    session: Session, people: Sequence[Participant], policy: StudyPolicy
) -> dict[int, ContactFacts]:
    """The facts for ``people`` (by participant id), read in a few queries."""
    ids = [p.id for p in people]
    codes = {p.code for p in people}
    channels: dict[int, set[str]] = {}
    for pid, channel in session.execute(
        select(Response.participant_id, Response.channel).where(Response.participant_id.in_(ids))
    ):
        if pid is not None:  # a response always has its participant here (the where above)
            channels.setdefault(pid, set()).add(channel)
    sent: dict[int, list[dt.datetime]] = {}
    for pid, printed in session.execute(
        select(Invitation.participant_id, Invitation.printed_at).where(
            Invitation.participant_id.in_(ids), Invitation.printed_at.is_not(None)
        )
    ):
        if pid is not None and printed is not None:  # filtered above; the columns may be NULL
            sent.setdefault(pid, []).append(printed)
    reminders: dict[int, int] = {}
    for pid, at in session.execute(
        select(Reminder.participant_id, Reminder.sent_at).where(Reminder.participant_id.in_(ids))
    ):
        sent.setdefault(pid, []).append(at)
        reminders[pid] = reminders.get(pid, 0) + 1
    pages = _paper_pages(session, codes)
    events = [e for e in ledger.iter_events(session) if e.participant in codes]
    decided = {e.participant for e in events if e.action in (Action.GRANT, Action.DECLINE)}
    book = fold(events)
    states: dict[str, dict[str, ConsentState]] = {}
    for (code, item), status in book.items.items():
        if item in policy.item_ids:
            states.setdefault(code, {})[item] = status.state
    erased = set(book.erased)
    return {
        p.id: ContactFacts(
            code=p.code,
            status=p.status,
            states=states.get(p.code, {}),
            erased_in_ledger=p.code in erased,
            answered_channels=frozenset(channels.get(p.id, ())),
            paper_pages=pages.get(p.code, 0),
            decided_in_ledger=p.code in decided,
            letters_sent=tuple(sorted(sent.get(p.id, ()))),
            reminders_sent=reminders.get(p.id, 0),
            has_address=bool(p.contact and (p.contact.address or "").strip()),
        )
        for p in people
    }


def _paper_pages(session: Session, codes: Iterable[str]) -> dict[str, int]:
    """Scanned pages read as each person's, whether or not they became a response yet."""
    wanted = set(codes)
    found: dict[str, int] = {}
    for (result,) in session.execute(select(ScannedPage.result)):
        code = (result or {}).get("participant")
        if code in wanted:
            found[code] = found.get(code, 0) + 1
    return found


def decide_all(
    session: Session,
    people: Sequence[Participant],
    kind: LetterKind,
    policy: StudyPolicy,
    rules: ReminderRules | None = None,
) -> list[tuple[Participant, Decision]]:
    """Every person in ``people`` with the decision for a letter of ``kind``, in order."""
    facts = contact_facts(session, people, policy)
    return [(p, may_send(facts[p.id], kind, policy, rules)) for p in people]


def study_policy(record: StudyRecord) -> StudyPolicy:
    """The consent policy of a loaded study (from its stored definition)."""
    return StudyPolicy.from_definition(record.key, record.definition or {})

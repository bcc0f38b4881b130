"""Reminders: a short letter for people who were sent a letter and have not answered.

``plan_reminders`` asks :func:`intake.contact.may_send` about everyone in the
study (or one group) and keeps every decision, so a dry run can say who would
get a reminder and why each of the others would not. ``send_reminders`` prints
the reminder letter (``letters/reminder.<lang>.md``) with the person's current
link and answer code (the ones already on their invitation: a reminder never
issues new ones) and records one :class:`intake.models.Reminder` row per
person in the same transaction, so a failed run records nothing.

Time comes in through ``ReminderRun.now``: tests (and ``--now``) move the clock.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from printing.format_profile import FormatProfile, PrintOverride, effective_profile
from printing.letters import Credentials
from printing.reminders import REMINDER_LETTER, ReminderPrinter
from printing.render import new_canvas

from .contact import (
    Decision,
    LetterKind,
    Reason,
    ReminderRules,
    decide_all,
    reasons_summary,
    study_policy,
)
from .db import read_scope, session_scope
from .format_profiles import profile_of
from .invitations import current_invitation, issue_invitation
from .mailing import MailingError, addressee, study_for_printing
from .models import Participant, Reminder, StudyRecord, utcnow
from .secrets import load_secret
from .studies import get_study
from .tables import atomic_path

#: Reminders per person unless --max says otherwise.
DEFAULT_MAX_REMINDERS = 1


@dataclass(frozen=True)
class ReminderRun:
    """What `deltaker reminders` was asked to do."""

    out: Path
    after_days: int
    max_reminders: int = DEFAULT_MAX_REMINDERS
    group: str | None = None
    dry_run: bool = False
    now: dt.datetime | None = None  # the clock; tests move it
    profile: str | None = None  # None: each person's format profile; large/standard: forced
    study_key: str | None = None
    study_dir: str | None = None
    actor: str | None = None
    force: bool = False


@dataclass(frozen=True)
class ReminderChoice:
    """One person and what the rule said about a reminder for them."""

    code: str
    group: str | None
    language: str
    reason: Reason

    @property
    def selected(self) -> bool:
        return self.reason == Reason.MAY_SEND


@dataclass(frozen=True)
class ReminderPlan:
    choices: tuple[ReminderChoice, ...]
    now: dt.datetime

    @property
    def selected(self) -> tuple[ReminderChoice, ...]:
        return tuple(c for c in self.choices if c.selected)

    @property
    def left_out(self) -> tuple[ReminderChoice, ...]:
        return tuple(c for c in self.choices if not c.selected)

    def table(self) -> tuple[tuple[str, ...], list[tuple[str, ...]]]:
        """The dry run as (headers, rows): codes and reasons only."""
        rows: list[tuple[str, ...]] = [
            (c.code, c.group or "", "yes" if c.selected else "no", str(c.reason))
            for c in self.choices
        ]
        return ("participant", "group", "reminder", "why"), rows


@dataclass(frozen=True)
class ReminderResult:
    plan: ReminderPlan
    out: Path | None  # None on a dry run
    pages: int
    sent: tuple[str, ...]  # participant codes


class ReminderError(MailingError):
    """Reminders cannot be made as asked."""


def _check(run: ReminderRun) -> None:
    if run.after_days < 0:
        raise ReminderError(f"--after must be 0 days or more, not {run.after_days}")
    if run.max_reminders < 1:
        raise ReminderError(f"--max must be 1 or more, not {run.max_reminders}")
    if run.profile not in (None, "standard", "large"):
        raise ReminderError(f"unknown print profile {run.profile!r}")
    if run.now is not None and run.now.tzinfo is None:
        raise ReminderError("the time given has no time zone")


def plan_reminders(session: Session, record: StudyRecord, run: ReminderRun) -> ReminderPlan:
    """Who would get a reminder now, and why each of the others would not."""
    _check(run)
    now = run.now or utcnow()
    query = (
        select(Participant)
        .where((Participant.study_id == record.id) | Participant.study_id.is_(None))
        .order_by(Participant.id)
    )
    if run.group:
        query = query.where(Participant.group == run.group)
    people = list(session.scalars(query))
    rules = ReminderRules(now, dt.timedelta(days=run.after_days), run.max_reminders)
    decided = decide_all(session, people, LetterKind.REMINDER, study_policy(record), rules)
    return ReminderPlan(
        tuple(
            ReminderChoice(p.code, p.group, p.language, decision.reason) for p, decision in decided
        ),
        now,
    )


def send_reminders(engine: Engine, data_dir: Path, run: ReminderRun) -> ReminderResult:
    """Plan, and unless ``run.dry_run`` print and record the reminders (see module docstring)."""
    _check(run)
    out = Path(run.out)
    if not run.dry_run and out.exists() and not run.force:
        raise ReminderError(f"{out} exists; use --force to overwrite it")
    with read_scope(engine) as session:
        record = get_study(session, run.study_key)
        plan = plan_reminders(session, record, run)
    if run.dry_run:
        return ReminderResult(plan, None, 0, ())
    if not plan.selected:
        raise ReminderError("nobody to remind: " + _why_nobody(plan))
    secret = load_secret(data_dir)
    wanted = {c.code for c in plan.selected}
    sent: list[str] = []
    pages = 0
    with session_scope(engine) as session:
        record = get_study(session, run.study_key)
        study = study_for_printing(session, record, run.study_dir)
        # Asked again inside the writing transaction: an answer that came in since
        # the plan was read must still stop the letter.
        fresh = plan_reminders(session, record, run)
        chosen = [c for c in fresh.selected if c.code in wanted]
        people = {
            p.code: p
            for p in session.scalars(
                select(Participant).where(Participant.code.in_([c.code for c in chosen]))
            )
        }
        override = PrintOverride.from_profile_name(run.profile)
        printers: dict[FormatProfile, ReminderPrinter] = {}
        formats: dict[str, FormatProfile] = {}
        for choice in chosen:
            if choice.language not in study.languages:
                raise ReminderError(
                    f"{choice.code}: language '{choice.language}' is not in the study"
                )
            fmt = effective_profile(profile_of(people[choice.code]), override)
            formats[choice.code] = fmt
            if fmt not in printers:
                printers[fmt] = ReminderPrinter(study, fmt.language, date=fresh.now.date(), fmt=fmt)
        with atomic_path(out, force=True) as tmp:
            canvas = new_canvas(str(tmp), title="Deltaker reminders")
            for choice in chosen:
                person = people[choice.code]
                if current_invitation(session, person) is None:
                    raise ReminderError(f"{person.code} has no invitation to remind them of")
                issued = issue_invitation(session, person, secret)  # the same link and code
                printer = printers[formats[choice.code]]
                pages += printer.draw(
                    canvas,
                    addressee(person),
                    Credentials(issued.token, issued.answer_code_display),
                )
                session.add(
                    Reminder(
                        participant_id=person.id,
                        invitation_id=issued.invitation.id,
                        sent_at=fresh.now,
                        letter=REMINDER_LETTER,
                        letter_version=printer.version,
                        language=choice.language,
                        file=out.name,
                        sent_by=run.actor,
                    )
                )
                sent.append(person.code)
            canvas.save()
            session.flush()
    return ReminderResult(fresh, out, pages, tuple(sent))


def _why_nobody(plan: ReminderPlan) -> str:
    if not plan.choices:
        return "no participants in the study (or the group)"
    return reasons_summary(choice.reason for choice in plan.left_out)


@dataclass(frozen=True)
class SentReminder:
    code: str
    sent_at: dt.datetime
    letter: str
    letter_version: str
    language: str
    file: str | None


def reminders_sent(session: Session, codes: list[str] | None = None) -> list[SentReminder]:
    """Every reminder recorded (optionally for some people), oldest first."""
    query = (
        select(Participant.code, Reminder)
        .join(Participant, Reminder.participant_id == Participant.id)
        .order_by(Reminder.sent_at, Reminder.id)
    )
    if codes is not None:
        query = query.where(Participant.code.in_(codes))
    return [
        SentReminder(code, r.sent_at, r.letter, r.letter_version, r.language, r.file)
        for code, r in session.execute(query)
    ]


def selected_decisions(plan: ReminderPlan) -> list[Decision]:
    return [Decision(c.code, LetterKind.REMINDER, c.reason) for c in plan.choices]

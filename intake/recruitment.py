"""The recruitment overview as data: per group and per week, codes never, counts only.

Per group: invited -> answered (paper only, web only, both) -> consented per
item -> withdrawn. Per week (Mondays, UTC): letters sent, reminders sent and
people whose first answer arrived on paper or on the web. ``overview_table``
is the table behind the chart; with ``suppress`` every count from 1 up to one
less than the study's disclosure threshold becomes "< N", for anything that
may leave the project (the PDF, the chart).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from consent import ledger
from consent.status import ConsentState

from .contact import study_policy
from .models import (
    Channel,
    Invitation,
    Participant,
    ParticipantStatus,
    Reminder,
    Response,
    StudyRecord,
)

#: Without a threshold in study.yaml (forms.model.Study.disclosure_threshold).
DEFAULT_THRESHOLD = 5
NO_GROUP = "(no group)"
TOTAL = "all"


@dataclass(frozen=True)
class GroupCounts:
    group: str
    invited: int = 0
    paper: int = 0  # answered on paper (or typed in from paper) only
    web: int = 0  # answered on the web only
    both: int = 0
    consented: Mapping[str, int] = field(default_factory=dict)  # item -> people granted now
    withdrawn: int = 0  # withdrew from the study (or were erased)

    @property
    def answered(self) -> int:
        return self.paper + self.web + self.both


@dataclass(frozen=True)
class WeekCounts:
    week: dt.date  # the Monday
    letters: int = 0
    reminders: int = 0
    paper: int = 0  # people whose first paper answer arrived this week
    web: int = 0


@dataclass(frozen=True)
class RecruitmentOverview:
    study: str
    items: tuple[str, ...]
    groups: tuple[GroupCounts, ...]
    total: GroupCounts
    weeks: tuple[WeekCounts, ...]
    threshold: int = DEFAULT_THRESHOLD


def shown(count: int, threshold: int, *, suppress: bool = True) -> str:
    """A count as it may be shown: "< 5" for 1-4 when suppressing (0 is not disclosive)."""
    if suppress and 0 < count < threshold:
        return f"< {threshold}"
    return str(count)


def _monday(moment: dt.datetime) -> dt.date:
    day = moment.astimezone(dt.UTC).date()
    return day - dt.timedelta(days=day.weekday())


def recruitment_overview(session: Session, record: StudyRecord) -> RecruitmentOverview:
    """Count the study's recruitment from the database and the ledger."""
    policy = study_policy(record)
    threshold = int((record.definition or {}).get("disclosure_threshold") or DEFAULT_THRESHOLD)
    people = list(
        session.scalars(
            select(Participant)
            .where((Participant.study_id == record.id) | Participant.study_id.is_(None))
            .order_by(Participant.id)
        )
    )
    ids = {p.id for p in people}
    group_of = {p.id: p.group or NO_GROUP for p in people}
    printed: dict[int, dt.datetime] = {}
    weeks: dict[dt.date, dict[str, int]] = {}

    def bump(moment: dt.datetime, what: str) -> None:
        row = weeks.setdefault(_monday(moment), {})
        row[what] = row.get(what, 0) + 1

    for pid, at in session.execute(
        select(Invitation.participant_id, Invitation.printed_at).where(
            Invitation.printed_at.is_not(None)
        )
    ):
        if pid in ids and at is not None:  # filtered above; the column may be NULL
            bump(at, "letters")
            printed[pid] = min(at, printed.get(pid, at))
    for pid, at in session.execute(select(Reminder.participant_id, Reminder.sent_at)):
        if pid in ids:
            bump(at, "reminders")
    first: dict[tuple[int, str], dt.datetime] = {}
    for answered_by, channel, at in session.execute(
        select(Response.participant_id, Response.channel, Response.received_at)
    ):
        if answered_by is None or answered_by not in ids:
            continue
        kind = "web" if channel == Channel.WEB else "paper"
        key = (answered_by, kind)
        first[key] = min(at, first.get(key, at))
    for (_, kind), at in first.items():
        bump(at, kind)
    channels: dict[int, set[str]] = {}
    for pid, kind in first:
        channels.setdefault(pid, set()).add(kind)
    book = ledger.status_book(session)
    code_of = {p.id: p.code for p in people}

    def counts(name: str, members: list[Participant]) -> GroupCounts:
        member_ids = [p.id for p in members]
        kinds = [channels.get(i, set()) for i in member_ids]
        return GroupCounts(
            group=name,
            invited=sum(1 for i in member_ids if i in printed),
            paper=sum(1 for k in kinds if k == {"paper"}),
            web=sum(1 for k in kinds if k == {"web"}),
            both=sum(1 for k in kinds if k == {"paper", "web"}),
            consented={
                item: sum(
                    1 for i in member_ids if book.state(code_of[i], item) == ConsentState.GRANTED
                )
                for item in policy.item_ids
            },
            withdrawn=sum(
                1
                for p in members
                if p.status in (ParticipantStatus.WITHDRAWN, ParticipantStatus.ERASED)
            ),
        )

    names = sorted({group_of[p.id] for p in people})
    groups = tuple(counts(n, [p for p in people if group_of[p.id] == n]) for n in names)
    span = _week_span(sorted(weeks))
    return RecruitmentOverview(
        study=record.key,
        items=policy.item_ids,
        groups=groups,
        total=counts(TOTAL, people),
        weeks=tuple(WeekCounts(w, **weeks.get(w, {})) for w in span),
        threshold=threshold,
    )


def _week_span(found: list[dt.date]) -> list[dt.date]:
    """Every Monday from the first to the last week with something in it (gaps as zeros)."""
    if not found:
        return []
    days = (found[-1] - found[0]).days
    return [found[0] + dt.timedelta(weeks=n) for n in range(days // 7 + 1)]


def overview_table(
    overview: RecruitmentOverview, *, suppress: bool = True
) -> tuple[tuple[str, ...], list[tuple[str, ...]]]:
    """The table behind the chart: one row per group and one for everyone."""
    headers = (
        "group",
        "invited",
        "answered",
        "paper only",
        "web only",
        "both",
        *(f"consented: {item}" for item in overview.items),
        "withdrawn",
    )

    def row(g: GroupCounts) -> tuple[str, ...]:
        values = [
            g.invited,
            g.answered,
            g.paper,
            g.web,
            g.both,
            *(g.consented.get(i, 0) for i in overview.items),
            g.withdrawn,
        ]
        return (g.group, *(shown(v, overview.threshold, suppress=suppress) for v in values))

    return headers, [row(g) for g in (*overview.groups, overview.total)]


def weekly_table(
    overview: RecruitmentOverview, *, suppress: bool = True
) -> tuple[tuple[str, ...], list[tuple[str, ...]]]:
    headers = ("week", "letters sent", "reminders sent", "paper answers", "web answers")
    rows = [
        (
            w.week.isoformat(),
            *(
                shown(v, overview.threshold, suppress=suppress)
                for v in (w.letters, w.reminders, w.paper, w.web)
            ),
        )
        for w in overview.weeks
    ]
    return headers, rows

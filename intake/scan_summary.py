"""A scan upload's page results as an assistant reads them: counts, questions, what to do.

The scanner reports item ids and its own status words (``needs_review``,
``unknown_form``); the results page shows the question's text from the stored
form version and one of four plain outcomes. Typing in handwriting is routine
work, not a problem: it is told apart from marks the scanner could not read.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from .models import FormVersion
from .studies import stored_form

#: The scanner's reason for a written field: routine typing, not a problem.
HANDWRITING_REASON = "handwriting to type in"


class Outcome(StrEnum):
    """What became of one scanned page, in the words of the results page."""

    READ = "read"  # ok: every answer read
    ALREADY_READ = "already read"  # duplicate: this page was read before
    TO_CHECK = "to check"  # needs_review: a person types in or checks some answers
    NOT_RECOGNISED = "not recognised"  # no page identity, an unknown form, or an error
    ERASED = "erased"  # read once; the person's data have been erased since


_OUTCOMES = {
    "ok": Outcome.READ,
    "duplicate": Outcome.ALREADY_READ,
    "needs_review": Outcome.TO_CHECK,
    "erased": Outcome.ERASED,
}


def outcome(status: str) -> Outcome:
    return _OUTCOMES.get(status, Outcome.NOT_RECOGNISED)


@dataclass(frozen=True)
class PageTask:
    """One answer on a page that a person must see to."""

    item: str
    label: str  # the question's text (the item id when the form is not stored)
    reason: str  # the scanner's words
    routine: bool  # handwriting to type in: normal work, not a warning


@dataclass(frozen=True)
class PageLine:
    """One row of the results table."""

    file: str  # the file's name, without folders
    number: int  # 1-based page of the file
    status: str  # the scanner's status (PageStatus), for the words that explain it
    outcome: Outcome
    message: str  # the error, for pages that were not recognised
    participant: str | None
    serial: str | None
    form: str | None  # the form's title (its id when it is not stored)
    form_page: int | None
    tasks: tuple[PageTask, ...]
    notes: tuple[str, ...]  # what the scanner said about the page as a whole
    overlay: str | None

    @property
    def routine(self) -> bool:
        """Only typing in handwriting is left to do (nothing unreadable)."""
        return self.outcome == Outcome.TO_CHECK and all(t.routine for t in self.tasks)


@dataclass(frozen=True)
class ScanSummary:
    """The one-line count at the top: read, to check, not recognised."""

    total: int
    read: int  # read now or before (and pages erased since)
    check: int
    unknown: int

    @classmethod
    def of(cls, lines: Iterable[PageLine]) -> ScanSummary:
        outcomes = [line.outcome for line in lines]
        check = outcomes.count(Outcome.TO_CHECK)
        unknown = outcomes.count(Outcome.NOT_RECOGNISED)
        return cls(len(outcomes), len(outcomes) - check - unknown, check, unknown)


def _forms(
    session: Session, results: Iterable[Mapping[str, Any]], language: str
) -> dict[tuple[str, str | None], tuple[str, dict[str, str]]]:
    """(form id, text version) -> (title, {item id: question text}) for the stored forms."""
    wanted = {(r["form"], r.get("version")) for r in results if r.get("form")}
    found: dict[tuple[str, str | None], tuple[str, dict[str, str]]] = {}
    for form_key, version in wanted:
        query = select(FormVersion).where(FormVersion.form_key == form_key)
        if version:
            query = query.where(FormVersion.text_version == version)
        stored = session.scalars(query.order_by(FormVersion.id.desc())).first()
        if stored is None:
            continue
        form = stored_form(stored)
        found[(form_key, version)] = (
            form.title.get(language, fallback="nb"),
            {i.id: i.label.get(language, fallback="nb") for i in form.items()},
        )
    return found


def page_lines(
    session: Session, results: Iterable[Mapping[str, Any]], *, language: str = "nb"
) -> list[PageLine]:
    """The page results of one upload (``deltaker scan --json`` objects) as table rows."""
    results = list(results)
    forms = _forms(session, results, language)
    lines = []
    for r in results:
        known = forms.get((str(r.get("form")), r.get("version")))
        title, labels = known if known is not None else (r.get("form"), {})
        review = list(r.get("needs_review") or [])
        reasons: dict[str, str] = {}
        notes: list[str] = []
        for flag in r.get("flags") or []:
            item, sep, reason = str(flag).partition(": ")
            if sep and item in review and item not in reasons:
                reasons[item] = reason
            else:
                notes.append(str(flag))
        tasks = tuple(
            PageTask(
                item=item,
                label=labels.get(item, item),
                reason=reasons.get(item, ""),
                routine=reasons.get(item) == HANDWRITING_REASON,
            )
            for item in review
        )
        lines.append(
            PageLine(
                file=str(r.get("file") or "").split("/")[-1],
                number=int(r.get("page_index", 0)) + 1,
                status=str(r.get("status")),
                outcome=outcome(str(r.get("status"))),
                message=str(r.get("message") or ""),
                participant=r.get("participant"),
                serial=r.get("serial"),
                form=title,
                form_page=r.get("page"),
                tasks=tasks,
                notes=tuple(notes),
                overlay=r.get("overlay"),
            )
        )
    return lines

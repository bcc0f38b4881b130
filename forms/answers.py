"""The one check of a written answer, per item type: web form, manual entry and review.

A written answer (text, number, date, signature) is checked here and turned
into what is stored, whichever way it came in: the citizen's web form
(``webapp.formgen``), a paper form typed in by an assistant, or a review task's
correction (``intake.ingest.check_answers``). One table keyed by
:class:`~forms.model.ItemType` says how; a test checks every written type is in it.

A wrong answer raises :class:`AnswerProblem` carrying a :class:`Reason`; each
caller words it for its reader (easy language for citizens, Norwegian for staff).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from enum import StrEnum

from .model import ItemType

SHORT_TEXT_MAX_CHARS = 500
LONG_TEXT_MAX_CHARS = 5000
#: a signature field holds at most a name or "signed", never a letter
SIGNATURE_MAX_CHARS = 200
#: twelve digits hold any count a form asks for (no decimals: the paper boxes are digits)
NUMBER_MAX_DIGITS = 12
#: every way a date is read, typed on the web, corrected in review or written on a
#: paper consent form (intake.consent_handoff reads the paper date with the same list)
DATE_FORMATS = ("%d.%m.%Y", "%Y-%m-%d", "%d/%m/%Y", "%d.%m.%y", "%d-%m-%Y")

#: C0 controls but tab and line breaks, DEL and the C1 controls: they can rewrite a
#: terminal (ESC), break an export (NUL) and are never part of what a person wrote
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
#: in a one-line answer the line breaks are not allowed either
_CONTROL_ONE_LINE = re.compile("[\x00-\x1f\x7f-\x9f]")
_NUMBER = re.compile(rf"-?\d{{1,{NUMBER_MAX_DIGITS}}}")


class Reason(StrEnum):
    """Why a written answer cannot be stored (the citizen's text key is ``answer_<reason>``)."""

    NUMBER = "number"
    DATE = "date"
    TOO_LONG = "too_long"
    CONTROL = "control"


class AnswerProblem(ValueError):
    """A written answer that does not fit its item's type."""

    def __init__(self, reason: Reason) -> None:
        super().__init__(reason.value)
        self.reason = reason


def parse_date(text: str) -> dt.date | None:
    """A date in one of the formats people write on the form, or None."""
    for fmt in DATE_FORMATS:
        try:
            return dt.datetime.strptime(text.strip(), fmt).date()
        except ValueError:
            continue
    return None


def _no_control(text: str, *, one_line: bool) -> None:
    if (_CONTROL_ONE_LINE if one_line else _CONTROL).search(text):
        raise AnswerProblem(Reason.CONTROL)


def _text(limit: int, *, one_line: bool) -> Callable[[str], str]:
    def parse(text: str) -> str:
        _no_control(text, one_line=one_line)
        if len(text) > limit:
            raise AnswerProblem(Reason.TOO_LONG)
        return text

    return parse


def _number(text: str) -> str:
    # kept as written (a leading zero may matter); spaces between digit groups are fine
    if not _NUMBER.fullmatch(text.strip().replace(" ", "")):
        raise AnswerProblem(Reason.NUMBER)
    return text.strip()


def _date(text: str) -> str:
    # stored as 2025-12-31, whatever way the person wrote it
    day = parse_date(text) if not _CONTROL_ONE_LINE.search(text) else None
    if day is None:
        raise AnswerProblem(Reason.DATE)
    return day.isoformat()


#: How each written type's answer is checked and stored.
WRITTEN_PARSERS: dict[ItemType, Callable[[str], str]] = {
    ItemType.SHORT_TEXT: _text(SHORT_TEXT_MAX_CHARS, one_line=True),
    ItemType.LONG_TEXT: _text(LONG_TEXT_MAX_CHARS, one_line=False),
    ItemType.NUMBER: _number,
    ItemType.DATE: _date,
    ItemType.SIGNATURE: _text(SIGNATURE_MAX_CHARS, one_line=True),
}


def parse_written(kind: ItemType, text: str) -> str:
    """``text`` as stored for an item of type ``kind``; raises :class:`AnswerProblem`."""
    return WRITTEN_PARSERS[kind](text)

"""Reminder letters: one short page with the same QR code and answer code as the invitation.

The text is the study's ``letters/reminder.<lang>.md`` (checked by ``deltaker
check`` like every letter). The page is laid out like the invitation letter
(sender, envelope window, date, the QR panel before the closing greeting), so
the reminder reuses :class:`printing.letters.PackPrinter`'s drawing and only
plans one letter instead of a whole pack.
"""

from __future__ import annotations

import datetime as dt
import hashlib

from reportlab.pdfgen.canvas import Canvas

from forms.model import Study
from forms.version import normalise_text

from . import geometry as g
from .format_profile import FormatProfile
from .letters import Addressee, Credentials, PackError, PackPage, PackPrinter, address_problem
from .texts import print_language
from .typeface import check_glyphs

#: The letter's id in the study folder: letters/reminder.<lang>.md.
REMINDER_LETTER = "reminder"


def letter_text(
    study: Study, letter_id: str, language: str, what: str = "reminder", *, easy: bool = True
) -> str:
    """A follow-up letter's text in ``language`` (its easy variant when there is one and
    ``easy``: a format profile asking for the standard text says no)."""
    try:
        letter = study.letter(letter_id)
    except KeyError:
        raise PackError(
            f"study {study.id!r} has no {what} letter: "
            f"add letters/{letter_id}.<language>.md "
            "(see docs/study-format.md)"
        ) from None
    if language not in letter.body.languages:
        raise PackError(
            f"study {study.id!r} has no {what} letter in {language!r}: "
            f"add letters/{letter_id}.{language}.md"
        )
    return letter.body.get(language, easy=easy)


def reminder_text(study: Study, language: str, *, easy: bool = True) -> str:
    """The reminder's text in ``language`` (its easy variant when there is one and ``easy``)."""
    return letter_text(study, REMINDER_LETTER, language, easy=easy)


def letter_version(text: str) -> str:
    """A short fingerprint of a letter's text as printed (recorded with every letter sent)."""
    return hashlib.sha256(normalise_text(text).encode("utf-8")).hexdigest()[:8]


class ReminderPrinter(PackPrinter):
    """Lays out a study's reminder letter once per language; draws it per person.

    It shares the invitation letter's page drawing but not its pack: no forms,
    no information letter, so ``PackPrinter.__init__`` (which lays those out) is
    not run.
    """

    def __init__(  # noqa: PLW0231 - the pack's forms are deliberately not laid out
        self,
        study: Study,
        language: str,
        *,
        profile: str = "standard",
        date: dt.date | None = None,
        page_size: g.Size = g.A4,
        fmt: FormatProfile | None = None,
    ):
        if language not in study.languages:
            raise PackError(
                f"study {study.id!r} has no texts in {language!r} "
                f"(its languages: {', '.join(study.languages)})"
            )
        self.study = study
        self.language = language
        self.say_lang = print_language(language)
        self.fmt = fmt or FormatProfile(language, large_print=profile == "large")
        self.profile_name = self.fmt.print_profile
        self.profile = g.PROFILES[self.profile_name]
        self.forms = ()
        self.layouts = []
        self.printers = []
        self.duplex = False
        self.date = date or dt.date.today()
        self.page_size = page_size
        self.text = reminder_text(study, language, easy=self.fmt.easy_letters)
        self.version = letter_version(self.text)
        self.letter = self._personal_letter(self.text)
        self.information = []
        self.how_to = []
        for page in self.letter:
            for line in page.lines:
                check_glyphs(line.text, bold=line.bold, where="the reminder letter")
        self.pages = tuple(
            PackPage(n, "letter", doc_page=n) for n in range(1, len(self.letter) + 1)
        )

    def draw(self, canvas: Canvas, person: Addressee, creds: Credentials, n_offset: int = 0) -> int:
        problem = address_problem(person)
        if problem:
            raise PackError(problem)
        for text, where in [
            (person.name, "the name"),
            *((line, "the address") for line in person.address_lines),
        ]:
            check_glyphs(text, where=f"{where} of {person.code}")
        for page in self.pages:
            self._draw_page(canvas, page, person, creds)
            canvas.showPage()
        return len(self.pages)

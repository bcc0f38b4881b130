"""Check a study folder: definition errors with file and line, then how readable every text is.

``check_study`` is the one domain function behind `deltaker check` and the web
app's study page; it never raises for a bad folder, it reports.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import DefinitionError, DefinitionErrors
from .load import load_study
from .model import Study
from .phrases import has_form_words
from .readability import (
    MIN_WORDS_FOR_LIX,
    NOT_MEASURED,
    REGISTERS,
    CitizenText,
    Readability,
    citizen_texts,
    lix_measured,
    measure,
)
from .references import XLSFORM_REFERENCE

VERDICT_OK = "ok"
VERDICT_WARN = "warn"


@dataclass(frozen=True)
class TextReport:
    """One citizen-facing text measured against its register."""

    text: CitizenText
    readability: Readability
    problems: tuple[str, ...]

    @property
    def verdict(self) -> str:
        return VERDICT_WARN if self.problems else VERDICT_OK

    @property
    def lix_measured(self) -> bool:
        """Whether a LIX means something in the text's language (forms.readability)."""
        return lix_measured(self.text.language)

    @property
    def lix_counts(self) -> bool:
        """Whether the text's LIX is held against the register: long enough, and measurable."""
        return self.lix_measured and self.readability.words >= MIN_WORDS_FOR_LIX

    @property
    def lix_shown(self) -> str:
        """The LIX as a report shows it: "23.4", "(31)" for a short text, or "not measured"."""
        if not self.lix_measured:
            return NOT_MEASURED
        r = self.readability
        return f"{r.lix:.1f}" if self.lix_counts else f"({r.lix:.0f})"

    def to_json(self) -> dict[str, Any]:
        r = self.readability
        return {
            "where": self.text.where,
            "language": self.text.language,
            "register": self.text.register,
            # null for a language LIX is not valid for ("not measured", forms.readability)
            "lix": round(r.lix, 1) if self.lix_measured else None,
            "words": r.words,
            "sentences": r.sentences,
            "longest_sentence": r.longest_sentence,
            "verdict": self.verdict,
            "text": self.text.text,
        }


@dataclass(frozen=True)
class CheckReport:
    """What `deltaker check` found: errors (the study did not load) or a readability report."""

    path: str
    errors: tuple[DefinitionError, ...]
    texts: tuple[TextReport, ...] = ()
    study: Study | None = field(default=None, compare=False)
    # warnings about the study as a whole (a language without printed instructions)
    notes: tuple[str, ...] = ()

    @property
    def warnings(self) -> tuple[TextReport, ...]:
        return tuple(t for t in self.texts if t.problems)

    @property
    def ok(self) -> bool:
        return not self.errors

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "errors": [{"file": e.file, "line": e.line, "message": e.message} for e in self.errors],
            "texts": [t.to_json() for t in self.texts],
        }
        if self.notes:  # only then: the agreed shape of a study in nb, nn and en stays as it was
            out["notes"] = list(self.notes)
        return out


def check_study(path: str | Path) -> CheckReport:
    """Load the study folder at ``path``; report its errors, or every text's readability."""
    try:
        study = load_study(path)
    except DefinitionErrors as exc:
        return CheckReport(str(path), tuple(exc.errors))
    return CheckReport(str(path), (), readability_report(study), study, language_notes(study))


def readability_report(study: Study) -> tuple[TextReport, ...]:
    """Every citizen-facing text of ``study`` measured against its register, with an
    XLSForm ``${name}`` left in a text named (nothing fills it in: it would print as is)."""
    reports = []
    for text in citizen_texts(study):
        readability = measure(text.text)
        problems = readability.problems(REGISTERS[text.register], text.language)
        left = XLSFORM_REFERENCE.findall(text.text)
        if left and not text.where.endswith("(whole form)"):
            problems.append(
                f"{', '.join(dict.fromkeys(left))} is an XLSForm reference nothing fills in; "
                "write {{question_id}} to show an earlier answer (a blank line on paper), "
                "or take it out"
            )
        reports.append(TextReport(text, readability, tuple(problems)))
    return tuple(reports)


def language_notes(study: Study) -> tuple[str, ...]:
    """The study's languages whose forms print their instructions in English (how to
    mark a box, page numbers): the standard form words are not written in them."""
    return tuple(
        f"language {language!r}: the printed forms' instructions (how to mark a box, "
        "page numbers) are not written in this language and print in English"
        for language in study.languages
        if not has_form_words(language)
    )

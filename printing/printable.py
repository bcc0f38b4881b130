"""Whether every form of a study prints: the layout step of `deltaker check`.

``forms`` may not import ``printing`` (DESIGN.md's dependency table), so the
check command runs this after ``forms.validate.check_study``: each form is laid
out in each of its languages and both print profiles, and every printed glyph
is looked up in the embedded font. What cannot be printed becomes a check
error naming the form's file, so a study that passes `check` always prints.
"""

from __future__ import annotations

from forms.errors import DefinitionError, UserError
from forms.model import Study

from .geometry import PROFILES
from .layout import layout_form
from .render import FormPrinter


def print_errors(study: Study) -> tuple[DefinitionError, ...]:
    """One error for each form, language and profile that `blank` or `letters` would refuse."""
    errors = []
    for form in study.forms:
        for language in form.languages:
            for profile in PROFILES:
                try:
                    FormPrinter(layout_form(form, language, profile))
                except UserError as exc:
                    errors.append(
                        DefinitionError(
                            f"does not print ({language}, {profile} print): {exc}",
                            file=form.source,
                        )
                    )
    return tuple(errors)

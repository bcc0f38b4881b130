"""Citizen-facing wording on printed pages, looked up in forms.phrases.

A form may be printed in a language the standard table does not have yet
(Polish, Northern Sámi...): its own texts are printed as written and the
standard furniture falls back to English, which is easier to get help with
than a blank.
"""

from __future__ import annotations

from forms.phrases import known_language, phrase

FALLBACK_LANGUAGE = "en"


def print_language(language: str) -> str:
    """The language the standard furniture is printed in for a form in ``language``."""
    return known_language(language, FALLBACK_LANGUAGE)


def say(key: str, language: str, **fmt: object) -> str:
    """A standard text in ``language`` (English when the table does not have the language)."""
    return phrase(key, print_language(language), **fmt)

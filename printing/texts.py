"""Citizen-facing wording on printed pages, looked up in forms.phrases.

A form may be printed in a language the standard table does not have yet
(Polish, Northern Sámi...): its own texts are printed as written and the
standard furniture falls back to English, which is easier to get help with
than a blank. The words printed on a form itself exist in a few more languages
(Portuguese): :func:`form_say` uses them there.
"""

from __future__ import annotations

from forms.phrases import has_form_words, known_language, phrase

FALLBACK_LANGUAGE = "en"


def print_language(language: str) -> str:
    """The language the standard furniture is printed in for a form in ``language``."""
    return known_language(language, FALLBACK_LANGUAGE)


def say(key: str, language: str, **fmt: object) -> str:
    """A standard text in ``language`` (English when the table does not have the language)."""
    return phrase(key, print_language(language), **fmt)


def form_language(language: str) -> str:
    """The language a form's own instructions are printed in for a form in ``language``."""
    return language if has_form_words(language) else print_language(language)


def form_say(key: str, language: str, **fmt: object) -> str:
    """A text printed on a form, in ``language`` when the form words have it, else English."""
    return phrase(key, form_language(language), **fmt)

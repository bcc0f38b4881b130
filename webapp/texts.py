"""The citizens' pages look their words up in forms.phrases (forms/words/web.py).

The web words are written in every language of ``forms.phrases.WEB_LANGUAGES``.
A page in a language a word is not written in (a study language beyond those,
or one of the few records words the web shows only in nb, nn and en) shows
that word in bokmål, the web's fallback. Each page says its language and its
writing direction (``page_language``), from ``forms.languages``.
"""

from __future__ import annotations

from forms.languages import direction, endonym
from forms.phrases import LANGUAGE_NAMES, WEB_LANGUAGES, has_phrase, phrase

__all__ = [
    "LANGUAGE_NAMES",
    "WEB_FALLBACK",
    "WEB_LANGUAGES",
    "error",
    "language_choices",
    "text_language",
    "ui",
]

WEB_FALLBACK = "nb"


def text_language(key: str, language: str) -> str:
    """The language the word ``key`` is shown in on a page in ``language``."""
    return language if has_phrase(key, language) else WEB_FALLBACK


def ui(key: str, language: str, **values: object) -> str:
    """A word on the citizens' pages in ``language``."""
    return phrase(key, text_language(key, language), **values)


def error(key: str, language: str, **values: object) -> str:
    """Why an answer cannot be used (``required``, ``number``...), naming the question."""
    return ui(f"answer_{key}", language, **values)


def language_choices(codes: tuple[str, ...] | list[str]) -> list[tuple[str, str, str]]:
    """(code, own name, direction) for each language of the switch."""
    return [(code, endonym(code), direction(code)) for code in codes]

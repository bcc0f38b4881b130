"""The citizens' pages look their words up in forms.phrases (forms/words/web.py).

Bokmål is the web's fallback: a session language the table does not have
shows the page in bokmål.
"""

from __future__ import annotations

from forms.phrases import LANGUAGE_NAMES, known_language, phrase

__all__ = ["LANGUAGE_NAMES", "WEB_FALLBACK", "error", "ui"]

WEB_FALLBACK = "nb"


def ui(key: str, language: str, **values: object) -> str:
    """A word on the citizens' pages in ``language``."""
    return phrase(key, known_language(language, WEB_FALLBACK), **values)


def error(key: str, language: str, **values: object) -> str:
    """Why an answer cannot be used (``required``, ``number``...), naming the question."""
    return ui(f"answer_{key}", language, **values)

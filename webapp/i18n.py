"""Staff pages in Norwegian bokmål, nynorsk and English, through Flask-Babel.

Staff texts are written once, in English, as gettext messages: ``{{ _("Scanned forms") }}``
in a template, ``_("...")`` or ``lazy_gettext("...")`` from this module in Python.
The catalogues translators work with are ``webapp/translations/<lang>/LC_MESSAGES/messages.po``.
Citizens' pages do not use this: their words live in ``forms/words`` in every study
language (see ``webapp.texts``).

The language of a staff page: the user's own choice, else the browser's preferred
one among ``STAFF_LANGUAGES``, else bokmål.
"""

from __future__ import annotations

from pathlib import Path

from flask import Flask, request
from flask_babel import Babel, gettext, lazy_gettext, ngettext

__all__ = ["STAFF_LANGUAGES", "DEFAULT_STAFF_LANGUAGE", "_", "gettext", "lazy_gettext", "ngettext"]

STAFF_LANGUAGES = ("nb", "nn", "en")
DEFAULT_STAFF_LANGUAGE = "nb"
TRANSLATIONS_DIR = Path(__file__).parent / "translations"

_ = gettext


def select_locale() -> str:
    """The staff user's own language, else the browser's, else bokmål."""
    from .access import current_staff

    staff = current_staff()
    chosen = getattr(staff, "language", None) if staff is not None else None
    if chosen in STAFF_LANGUAGES:
        return str(chosen)
    best = request.accept_languages.best_match(STAFF_LANGUAGES)
    return best or DEFAULT_STAFF_LANGUAGE


def init_app(app: Flask) -> None:
    """Babel with our catalogues; ``_``/``ngettext`` become template globals."""
    Babel(
        app,
        locale_selector=select_locale,
        default_locale=DEFAULT_STAFF_LANGUAGE,
        default_timezone="Europe/Oslo",
        default_translation_directories=str(TRANSLATIONS_DIR),
    )

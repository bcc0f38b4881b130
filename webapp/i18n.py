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

import datetime as dt
from pathlib import Path

from flask import Flask, has_request_context, request
from flask_babel import (
    Babel,
    format_date,
    format_decimal,
    format_time,
    get_locale,
    gettext,
    lazy_gettext,
    ngettext,
)

__all__ = [
    "DEFAULT_STAFF_LANGUAGE",
    "STAFF_LANGUAGES",
    "_",
    "gettext",
    "lazy_gettext",
    "ngettext",
    "staff_date",
    "staff_datetime",
    "staff_language",
    "staff_number",
]

STAFF_LANGUAGES = ("nb", "nn", "en")
DEFAULT_STAFF_LANGUAGE = "nb"
COMMAND_LINE_LANGUAGE = "en"
TRANSLATIONS_DIR = Path(__file__).parent / "translations"

_ = gettext


def select_locale() -> str:
    """The staff user's own language, else the browser's, else bokmål.

    Outside a request (a command, a background job) English, the command line's language.
    """
    from .access import current_staff

    if not has_request_context():
        return COMMAND_LINE_LANGUAGE

    staff = current_staff()
    chosen = getattr(staff, "language", None) if staff is not None else None
    if chosen in STAFF_LANGUAGES:
        return str(chosen)
    best = request.accept_languages.best_match(STAFF_LANGUAGES)
    return best or DEFAULT_STAFF_LANGUAGE


def staff_language() -> str:
    """The language of this staff page (``nb``, ``nn`` or ``en``), for ``<html lang>``."""
    locale = get_locale()
    return locale.language if locale is not None else DEFAULT_STAFF_LANGUAGE


def staff_datetime(value: dt.datetime | None) -> str:
    """A moment in Oslo time, the page's way: ``3. des. 2026 14:05`` in bokmål."""
    if value is None:
        return ""
    return f"{format_date(value, 'medium')} {format_time(value, 'HH:mm')}"


def staff_date(value: dt.date | dt.datetime | None) -> str:
    """A day, the page's way: ``3. des. 2026`` in bokmål."""
    if value is None:
        return ""
    return format_date(value, "medium")


def staff_number(value: float | int | None) -> str:
    """A number, the page's way: ``1 234`` (a no-break space between thousands) in bokmål."""
    if value is None:
        return ""
    return format_decimal(value)


def init_app(app: Flask) -> None:
    """Babel with our catalogues; ``_``/``ngettext`` become template globals, the formats filters.

    In templates: ``{{ page.created_at|datetime }}``, ``{{ day|date }}``, ``{{ n|number }}``;
    ``staff_language()`` gives the page's language.
    """
    Babel(
        app,
        locale_selector=select_locale,
        default_locale=DEFAULT_STAFF_LANGUAGE,
        default_timezone="Europe/Oslo",
        default_translation_directories=str(TRANSLATIONS_DIR),
    )
    app.jinja_env.filters["datetime"] = staff_datetime
    app.jinja_env.filters["date"] = staff_date
    app.jinja_env.filters["number"] = staff_number
    app.jinja_env.globals["staff_language"] = staff_language

"""Generic error pages: a short friendly text, never a traceback or an internal detail."""

from __future__ import annotations

import logging
from typing import Any

from flask import Flask, render_template, request, session
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from forms.errors import UserError
from forms.languages import direction

from . import texts

log = logging.getLogger("deltaker.web")

#: The title word of each error page (forms/words/web.py); any other status gets 500's.
_TITLES = {
    400: "http_400",
    401: "http_401",
    403: "http_403",
    404: "not_found_title",
    405: "http_405",
    413: "http_413",
    429: "http_429",
    500: "error_title",
}


STAFF_BLUEPRINTS = frozenset({"auth", "recruit", "intake", "audit"})


def language() -> str:
    if request and request.blueprint in STAFF_BLUEPRINTS:
        from .i18n import staff_language

        return staff_language()  # the staff user's language (webapp.i18n)
    lang = session.get("lang") if session else None
    return lang if isinstance(lang, str) and lang in texts.WEB_LANGUAGES else "nb"


def render_error(status: int, message: str | None = None) -> tuple[str, int]:
    lang = language()
    return render_template(
        "errors/error.html",
        status=status,
        title=texts.ui(_TITLES.get(status, _TITLES[500]), lang),
        message=message or texts.ui("not_found_text" if status == 404 else "error_text", lang),
        lang=lang,
        dir=direction(lang),
    ), status


def init_app(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def _csrf(_exc: CSRFError) -> Any:
        if request.blueprint == "citizen":
            # citizens never lose what they typed (see citizen.recover_after_csrf_failure)
            from .views.citizen import recover_after_csrf_failure

            return recover_after_csrf_failure()
        return render_error(400, texts.ui("csrf_again", language()))

    @app.errorhandler(HTTPException)
    def _http(exc: HTTPException) -> tuple[str, int]:
        return render_error(exc.code or 500)

    @app.errorhandler(UserError)
    def _user(exc: UserError) -> tuple[str, int]:
        return render_error(400, exc.format())

    @app.errorhandler(Exception)
    def _internal(exc: Exception) -> tuple[str, int]:
        log.exception("internal error")
        return render_error(500)

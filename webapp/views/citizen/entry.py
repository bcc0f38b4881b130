"""Coming in: the letter's short address, the QR link, the typed answer code, the language."""

from __future__ import annotations

import datetime as dt

from flask import current_app, redirect, request, session, url_for

from ... import portal, ratelimit, texts
from .blueprint import bp
from .pages import LANG_KEY, ButtonForm, CodeForm, begin, language, render


def _client_address() -> str:
    return request.remote_addr or "unknown"


def _limits(scope: str) -> tuple[list[tuple[str, int]], dt.timedelta]:
    cfg = current_app.config
    per_address, overall = (
        (cfg["CODE_ATTEMPTS_PER_ADDRESS"], cfg["CODE_ATTEMPTS_GLOBAL"])
        if scope == "code"
        else (cfg["LINK_FAILURES_PER_ADDRESS"], cfg["LINK_FAILURES_GLOBAL"])
    )
    return (
        [
            (ratelimit.address_key(scope, _client_address()), per_address),
            (f"{scope}:{ratelimit.GLOBAL_KEY}", overall),
        ],
        dt.timedelta(minutes=cfg["CODE_WINDOW_MINUTES"]),
    )


def _rate_ok(scope: str) -> bool:
    """Count one attempt; False when this address or the whole site has used up its tries."""
    return ratelimit.hit(*_limits(scope))


@bp.route("/")
def home():
    """The short address printed on the letter: type the answer code here."""
    return render("citizen/code.html", form=CodeForm(), error=None)


@bp.route("/r/<token>")
def open_link(token: str):
    """The QR code's link: start a session for the invitation and move on to a token-free URL."""
    # a real token is not guessable, so only wrong links count against the limits
    if not ratelimit.allowed(*_limits("link")):
        return render(
            "citizen/code.html", 429, form=CodeForm(), error=texts.ui("too_many", language())
        )
    invitation_id = portal.invitation_for_token(token)
    if invitation_id is None:
        ratelimit.hit(*_limits("link"))
        return render("citizen/not_found.html", 404)
    begin(invitation_id)
    return redirect(url_for("citizen.start"), code=303)


@bp.route("/a/<form_id>/<version>/<serial>")
def anonymous_copy(form_id: str, version: str, serial: str):
    # anonymous paper copies are answered on paper only; the QR code is for the scanner
    return render("citizen/anonymous.html")


@bp.route("/code", methods=["GET", "POST"])
def code():
    form = CodeForm()
    error = None
    status = 200
    if request.method == "POST" and form.validate_on_submit():
        typed = (form.code.data or "").strip()
        if not typed:
            error = texts.ui("code_empty", language())
        elif not _rate_ok("code"):
            error, status = texts.ui("too_many", language()), 429
        else:
            invitation_id = portal.invitation_for_code(typed)
            if invitation_id is None:
                error, status = texts.ui("code_wrong", language()), 404
            else:
                begin(invitation_id)
                return redirect(url_for("citizen.start"), code=303)
    return render("citizen/code.html", status, form=form, error=error)


@bp.route("/language", methods=["POST"])
def switch_language():
    """Change the page language (a small form per language: no script, no state change on GET)."""
    wanted = request.form.get("lang", "")
    if ButtonForm().validate_on_submit() and wanted in texts.LANGUAGE_NAMES:
        session[LANG_KEY] = wanted
    back = request.form.get("next", "")
    if not back.startswith("/") or back.startswith("//"):
        back = url_for("citizen.home")
    return redirect(back, code=303)

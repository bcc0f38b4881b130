"""Coming in: the letter's short address, the QR link, the typed answer code, the language."""

from __future__ import annotations

import datetime as dt

from flask import current_app, redirect, request, session, url_for

from ... import portal, ratelimit, texts
from .blueprint import bp
from .pages import (
    LANG_KEY,
    ButtonForm,
    CodeForm,
    begin,
    current_visit,
    language,
    offered,
    render,
)


def _client_address() -> str:
    # behind a trusted proxy ProxyFix has already put the visitor's address here
    return request.remote_addr or "unknown"


def _window() -> dt.timedelta:
    return dt.timedelta(minutes=current_app.config["CODE_WINDOW_MINUTES"])


def _keys(scope: str) -> tuple[str, str]:
    return ratelimit.address_key(scope, _client_address()), f"{scope}:{ratelimit.GLOBAL_KEY}"


def _code_refused() -> bool:
    """Whether this address may not try a typed code now (checked before the lookup).

    A typed code is short enough to guess, so an address that has failed too
    often is refused even a right code. When the whole site is over its global
    failure limit (an attack from many addresses), an address gets only a
    couple of failures: someone who has not typed a wrong code yet always gets
    their right code looked up, so the global limit never turns a correct code
    away from a clean address (docs/webapp.md, "Limits").
    """
    cfg = current_app.config
    mine, overall = _keys("code")
    counts = ratelimit.failures((mine, overall), _window())
    if counts[mine] >= cfg["CODE_FAILURES_PER_ADDRESS"]:
        return True
    return (
        counts[overall] >= cfg["CODE_FAILURES_GLOBAL"]
        and counts[mine] >= cfg["CODE_FAILURES_PER_ADDRESS_IN_BURST"]
    )


def _wrong_link_refused() -> bool:
    """Count a wrong link; whether this address or the site is past its wrong-link limit.

    Only the answer to a wrong link changes (429 instead of 404): a valid link is
    looked up first and always opens, since its 128-bit token cannot be guessed.
    """
    cfg = current_app.config
    mine, overall = _keys("link")
    ratelimit.record_failure((mine, overall), _window())
    counts = ratelimit.failures((mine, overall), _window())
    return (
        counts[mine] > cfg["LINK_FAILURES_PER_ADDRESS"]
        or counts[overall] > cfg["LINK_FAILURES_GLOBAL"]
    )


@bp.route("/")
def home():
    """The short address printed on the letter: type the answer code here."""
    return render("citizen/code.html", form=CodeForm(), error=None)


@bp.route("/r/<token>")
def open_link(token: str):
    """The QR code's link: start a session for the invitation and move on to a token-free URL."""
    invitation_id = portal.invitation_for_token(token)
    if invitation_id is not None:
        begin(invitation_id)
        return redirect(url_for("citizen.start"), code=303)
    if _wrong_link_refused():
        return render(
            "citizen/code.html", 429, form=CodeForm(), error=texts.ui("too_many", language())
        )
    return render("citizen/not_found.html", 404)


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
        elif _code_refused():
            error, status = texts.ui("too_many", language()), 429
        else:
            invitation_id = portal.invitation_for_code(typed)
            if invitation_id is None:
                ratelimit.record_failure(_keys("code"), _window())
                error, status = texts.ui("code_wrong", language()), 404
            else:
                begin(invitation_id)
                return redirect(url_for("citizen.start"), code=303)
    return render("citizen/code.html", status, form=form, error=error)


@bp.route("/language", methods=["POST"])
def switch_language():
    """Change the page language (a small form per language: no script, no state change on GET)."""
    wanted = request.form.get("lang", "")
    current_visit()  # the study's languages are the ones a person may switch to
    if ButtonForm().validate_on_submit() and wanted in offered():
        session[LANG_KEY] = wanted
    back = request.form.get("next", "")
    # never back to a link: the token stays in the one /r/ request that brought it
    if not back.startswith("/") or back.startswith("//") or back.startswith("/r/"):
        back = url_for("citizen.home")
    return redirect(back, code=303)

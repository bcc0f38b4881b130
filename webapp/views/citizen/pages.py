"""What every citizen page shares: the language, the session, rendering, small forms."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from flask import Response, g, make_response, render_template, request, session, url_for
from flask_wtf import FlaskForm
from markupsafe import Markup
from sqlalchemy.exc import IntegrityError
from werkzeug.datastructures import MultiDict
from wtforms import StringField

from forms.languages import direction
from forms.model import Form

from ... import drafts, portal, questionnaire, sessions, texts
from ...database import reading

LANG_KEY = "lang"
PENDING_KEY = "pending"  # what was typed when the session ran out, kept for the next login
MAX_PENDING_CHARS = 50_000


class CodeForm(FlaskForm):
    code = StringField(
        validators=[],
        render_kw={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"},
    )


class ButtonForm(FlaskForm):
    """Only the CSRF token: for buttons that change something."""


def language() -> str:
    visit = g.get("visit")
    lang = session.get(LANG_KEY)
    allowed = offered()
    if isinstance(lang, str) and lang in allowed:
        return lang
    return str(visit.language) if visit else "nb"


def offered() -> tuple[str, ...]:
    """The languages the switch offers: the study's (also before a person is known, on the
    code page), or the web's own three when the app serves no study yet."""
    visit = g.get("visit")
    if visit:
        return tuple(visit.study.languages)
    from ...study import NoStudy, current_study

    try:
        return tuple(current_study().languages)
    except NoStudy:
        return tuple(texts.LANGUAGE_NAMES)


def _language_back() -> str:
    """Where the language buttons lead back to: this page, but never a link's /r/ path."""
    if request.method != "GET":
        return url_for("citizen.consents")
    if request.path.startswith("/r/"):
        # the token stays in the one /r/ request that brought it (no page body holds it)
        return url_for("citizen.home")
    return request.path


def _lang_attrs(code: str, page_language: str) -> Markup:
    """` lang=".." dir=".."` for a text in another language than the page's (the information
    letter's standard sentences in English on a Persian page), else nothing."""
    if not code or code == page_language:
        return Markup("")
    return Markup(' lang="{}" dir="{}"').format(code, direction(code))


def render(template: str, status: int = 200, **context: Any) -> Response:
    lang = language()
    visit = g.get("visit")
    body = render_template(
        template,
        lang=lang,
        dir=direction(lang),
        lang_attrs=lambda code: _lang_attrs(code, lang),
        t=lambda key, **v: texts.ui(key, lang, **v),
        languages=texts.language_choices(offered()),
        skip_text=texts.ui("skip", lang),
        visit=visit,
        switch=ButtonForm(),
        language_back=_language_back(),
        **context,
    )
    return make_response(body, status)


def begin(invitation_id: int) -> None:
    pending = session.get(PENDING_KEY)
    sessions.start(session, "citizen", invitation_id=invitation_id)
    # what was typed comes back only to the invitation it was typed for (a shared phone)
    if isinstance(pending, dict) and pending.get("invitation") == invitation_id:
        session[PENDING_KEY] = pending


def citizen_page(view: Callable[..., Any]) -> Callable[..., Any]:
    """Pages that need an open invitation; others see a friendly "time ran out" page."""

    @functools.wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        visit = current_visit()
        if visit is None:
            return ended()
        return view(*args, **kwargs)

    return wrapper


def current_visit() -> portal.Visit | None:
    if "visit" in g:
        return g.visit
    g.visit = None
    if session.get(sessions.KIND_KEY) == "citizen" and session.get(sessions.INVITATION_KEY):
        g.visit = portal.open_visit(int(session[sessions.INVITATION_KEY]))
        if g.visit is None:  # revoked or erased meanwhile: end the session
            sessions.end(session)
    return g.visit


def ended(status: int = 200) -> Response:
    return render("citizen/ended.html", status, form=CodeForm())


def pending_for(path: str) -> MultiDict | None:
    """What was typed on ``path`` before the session ran out, once, to fill the page again."""
    pending = session.get(PENDING_KEY)
    if pending and pending.get("path") == path:
        session.pop(PENDING_KEY, None)
        return MultiDict([(k, v) for k, values in pending["form"].items() for v in values])
    return None


def once_more_on_conflict(work: Callable[[], Any]) -> Any:
    """Run a write again if a concurrent twin (a double click) won a unique-key race.

    SQLite queues writers (BEGIN IMMEDIATE); PostgreSQL lets both start, and the
    loser's insert of the same draft or submission id fails. The second run finds
    what the twin stored and changes nothing (sends are idempotent).
    """
    try:
        return work()
    except IntegrityError:
        return work()


def consent_done(visit: portal.Visit) -> bool:
    if visit.consent_form is None:
        return True
    if portal.awaits_reconsent(visit):
        return False  # the text they agreed to changed: the consent page opens again
    with reading() as db:
        if drafts.load(db, visit.invitation_id, visit.consent_form.id).submitted:
            return True
    return portal.has_consent_events(visit)


def next_questionnaire(visit: portal.Visit) -> tuple[Form, int] | None:
    """The first questionnaire not yet answered (on the web or on paper), and its page."""
    answered = portal.answered_forms(visit)
    with reading() as db:

        def progress(form: Form) -> tuple[bool, int]:
            draft = drafts.load(db, visit.invitation_id, form.id)
            return draft.submitted, draft.page

        return questionnaire.next_questionnaire(visit.questionnaires, answered, progress)

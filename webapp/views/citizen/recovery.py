"""A citizen's form that came back without a valid CSRF token: never lose what was typed.

The promise holds for the person whose invitation it was, and for nobody else:
a POST with no session, or another site's POST, stores nothing, sets no cookie
and fills in nothing, so another site cannot tick consent boxes in advance for
whoever opens a link in that browser next (issue 11, point 3).
"""

from __future__ import annotations

from flask import abort, redirect, request, session, url_for
from werkzeug.datastructures import MultiDict
from werkzeug.wrappers import Response

from ... import drafts, texts
from ... import questionnaire as flow
from ...database import reading
from ...security import from_another_site
from ...sessions import server_session
from .after import consents_page
from .consent import consent_page
from .pages import (
    MAX_PENDING_CHARS,
    PENDING_KEY,
    CodeForm,
    current_visit,
    ended,
    language,
    render,
)
from .questions import questionnaire_of, questions_page


def recover_after_csrf_failure() -> Response:
    """Show the page again, or keep what was typed for after the next login.

    With the session still open, the page is shown again filled with the typed
    values and a fresh token. With the session timed out, the typed values are
    kept in a new session for that invitation only, and put back after the person
    opens the same link or types the same code. Without a session, or from
    another site, nothing is kept or filled in.
    """
    lang = language()
    typed = {k: v for k, v in request.form.lists() if k != "csrf_token"}
    visit = current_visit()
    endpoint = request.endpoint or ""
    if from_another_site():
        # the person did not send this: show their own page as it was, untouched
        return redirect(url_for("citizen.start"), code=303) if visit else ended()
    if visit is None:
        lapsed = server_session(session).lapsed_invitation
        if (
            lapsed is not None
            and sum(len(v) for values in typed.values() for v in values) <= MAX_PENDING_CHARS
            and endpoint in ("citizen.consent", "citizen.questions")
        ):
            session[PENDING_KEY] = {"path": request.path, "form": typed, "invitation": lapsed}
        return ended()
    formdata = MultiDict([(k, v) for k, values in typed.items() for v in values])
    notice = texts.ui("csrf_again", lang)
    if endpoint == "citizen.questions":
        view_args = request.view_args or {}
        form_def = questionnaire_of(visit, view_args["form_id"])
        page = view_args["page"]
        if not flow.has_page(form_def, page):
            abort(404)
        with reading() as db:
            draft = drafts.load(db, visit.invitation_id, form_def.id)
        return questions_page(visit, form_def, page, draft, formdata=formdata, notice=notice)
    if endpoint == "citizen.consent" and visit.consent_form is not None:
        return consent_page(visit, visit.consent_form, formdata=formdata, notice=notice)
    if endpoint == "citizen.code":
        return render("citizen/code.html", form=CodeForm(formdata=formdata), error=notice)
    return consents_page(visit, notice=notice)

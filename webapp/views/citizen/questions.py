"""The questionnaire's pages: one section a page, saved as a draft, sent from the last page.

What a page shows and where the person goes next is decided in
``webapp.questionnaire``; this module stores and redirects.
"""

from __future__ import annotations

from flask import abort, g, redirect, request, url_for
from werkzeug.datastructures import MultiDict
from werkzeug.wrappers import Response

from forms.model import Form, Item

from ... import drafts, portal, texts
from ... import questionnaire as flow
from ...blocks import build_blocks, error_links
from ...database import reading, writing
from ...formgen import answers_from, build_form_class, to_form_data
from .blueprint import bp
from .pages import (
    citizen_page,
    consent_done,
    language,
    next_questionnaire,
    once_more_on_conflict,
    pending_for,
    render,
)


def questionnaire_of(visit: portal.Visit, form_id: str) -> Form:
    for form in visit.questionnaires:
        if form.id == form_id:
            return form
    abort(404)


@bp.route("/questions/<form_id>/<int:page>", methods=["GET", "POST"])
@citizen_page
def questions(form_id: str, page: int):
    visit = g.visit
    form_def = questionnaire_of(visit, form_id)
    if not flow.has_page(form_def, page):
        abort(404)
    if not consent_done(visit):
        return redirect(url_for("citizen.consent"), code=303)
    with reading() as db:
        draft = drafts.load(db, visit.invitation_id, form_def.id)
    if draft.submitted:
        return redirect(url_for("citizen.thanks"), code=303)
    return questions_page(visit, form_def, page, draft)


def questions_page(
    visit: portal.Visit,
    form_def: Form,
    page: int,
    draft: drafts.Draft,
    *,
    formdata: MultiDict | None = None,
    notice: str | None = None,
) -> Response:
    lang = language()
    section = form_def.sections[page - 1]
    # questions whose `relevant` is false for the answers on other pages are left out
    items = flow.items_on_page(form_def, page, draft.answers)
    answerable = flow.answerable_on_page(form_def, page)
    form_class = build_form_class(items, lang)
    pending = pending_for(request.path)
    if pending is not None:
        formdata, notice = pending, texts.ui("csrf_again", lang)
    if formdata is not None:
        form = form_class(formdata=formdata)
    elif request.method == "POST":
        form = form_class()
    else:
        form = form_class(data=to_form_data(items, draft.answers))
    total = flow.page_count(form_def)
    if formdata is None and request.method == "POST":
        # CSRFProtect has checked the token before this view runs
        valid = form.validate_on_submit()
        if "back" in request.form:
            # Back keeps what was typed without checking it
            _save(visit, form_def, answers_from(form, items), answerable, page - 1)
            if page == 1:
                return redirect(url_for("citizen.consents"), code=303)
            return redirect(
                url_for("citizen.questions", form_id=form_def.id, page=page - 1), code=303
            )
        if valid:

            def save_and_send() -> int | None:
                # one transaction: the page's answers and, on the last page, the send
                with writing() as db:
                    saved = drafts.save(
                        db,
                        visit.invitation_id,
                        form_def.id,
                        answers=answers_from(form, items),
                        replace_items=[i.id for i in answerable],
                        page=page,
                    )
                    if page < total:
                        return None
                    gap = flow.first_page_missing(form_def, saved.answers)
                    if gap is None and not saved.submitted:
                        portal.submit(
                            db,
                            visit,
                            form_def,
                            flow.relevant_answers(form_def, saved.answers),
                            submission_id=saved.submission_id,
                            language=lang,
                        )
                        drafts.mark_submitted(db, visit.invitation_id, form_def.id)
                    return gap

            first_gap = once_more_on_conflict(save_and_send)
            if page < total:
                return redirect(
                    url_for("citizen.questions", form_id=form_def.id, page=page + 1), code=303
                )
            if first_gap is not None:
                return redirect(
                    url_for("citizen.questions", form_id=form_def.id, page=first_gap), code=303
                )
            following = next_questionnaire(visit)
            if following:
                return redirect(
                    url_for("citizen.questions", form_id=following[0].id, page=1), code=303
                )
            return redirect(url_for("citizen.thanks"), code=303)
    blocks = build_blocks(items, form, lang)
    return render(
        "citizen/questions.html",
        form=form,
        blocks=blocks,
        errors=error_links(blocks),
        page=page,
        total=total,
        section=section,
        notice=notice,
        title=form_def.title.get(lang),
        section_title=section.title.get(lang) if section.title else None,
        section_intro=section.intro.get(lang) if section.intro else None,
        saved_note=draft.page > 0,
    )


def _save(
    visit: portal.Visit,
    form_def: Form,
    answers: dict[str, list[str]],
    answerable: list[Item],
    page: int,
) -> drafts.Draft:
    with writing() as db:
        return drafts.save(
            db,
            visit.invitation_id,
            form_def.id,
            answers=answers,
            replace_items=[i.id for i in answerable],
            page=page,
        )

"""The letter, the information letter and the consent page."""

from __future__ import annotations

import dataclasses

from flask import g, redirect, request, url_for
from werkzeug.datastructures import MultiDict
from werkzeug.wrappers import Response

from forms.model import Form

from ... import drafts, portal, texts
from ...blocks import build_blocks, error_links
from ...database import writing
from ...formgen import answers_from, build_form_class, field_name
from ...markup import letter_html
from ...questionnaire import consent_items, missing_consents, required_consent
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


@bp.route("/start")
@citizen_page
def start():
    visit = g.visit
    lang = language()
    letter = None
    try:
        letter = visit.study.letter("invitation").body.get(lang, easy=True)
    except KeyError:
        pass
    if consent_done(visit):
        return redirect(url_for("citizen.consents"), code=303)
    # a letter that opens with its own "# heading" supplies the page's h1
    own_title = letter is not None and letter.lstrip().startswith("# ")
    return render(
        "citizen/letter.html",
        own_title=own_title,
        letter=letter_html(letter, top_heading=1 if own_title else 2) if letter else None,
    )


@bp.route("/information")
@citizen_page
def information():
    from forms.information import information_letter

    info = information_letter(g.visit.study, language(), fallback="en")
    return render("citizen/information.html", info=info)


@bp.route("/consent", methods=["GET", "POST"])
@citizen_page
def consent():
    visit = g.visit
    form_def = visit.consent_form
    if form_def is None or consent_done(visit):
        return redirect(url_for("citizen.consents"), code=303)
    # open again because the text they agreed to changed: say so at the top
    again = texts.ui("reconsent_notice", language()) if portal.awaits_reconsent(visit) else None
    return consent_page(visit, form_def, notice=again)


def consent_page(
    visit: portal.Visit,
    form_def: Form,
    *,
    formdata: MultiDict | None = None,
    notice: str | None = None,
) -> Response:
    from forms.information import information_letter

    lang = language()
    items = consent_items(form_def)
    form_class = build_form_class(items, lang)
    pending = pending_for(request.path)
    if pending is not None:
        formdata, notice = pending, texts.ui("csrf_again", lang)
    form = form_class(formdata=formdata) if formdata is not None else form_class()
    extra_error = None
    if formdata is None and request.method == "POST" and form.validate_on_submit():
        answers = answers_from(form, items)
        missing = missing_consents(visit.study, items, answers)
        if missing:
            extra_error = texts.ui("consent_needed", lang, item=missing[0].label.get(lang))
            getattr(form, field_name(missing[0])).errors.append(extra_error)
        else:

            def send() -> None:
                # one transaction: the response, the ledger events and the draft's mark
                with writing() as db:
                    draft = drafts.ensure(db, visit.invitation_id, form_def.id)
                    if draft.submitted:  # only reached when the text changed (consent_done)
                        draft = drafts.reopen(db, visit.invitation_id, form_def.id)
                    portal.submit(
                        db,
                        visit,
                        form_def,
                        answers,
                        submission_id=draft.submission_id,
                        language=lang,
                    )
                    drafts.mark_submitted(db, visit.invitation_id, form_def.id)

            once_more_on_conflict(send)
            following = next_questionnaire(visit)
            if following:
                return redirect(
                    url_for("citizen.questions", form_id=following[0].id, page=1), code=303
                )
            return redirect(url_for("citizen.thanks"), code=303)
    blocks = []
    for block in build_blocks(items, form, lang):
        consent_item = block.item.consent_item
        if block.field is not None and consent_item and required_consent(visit.study, consent_item):
            # the declaration's note says: items marked with * must be ticked to take part
            block = dataclasses.replace(block, label=f"{block.label} *", required=True)
        blocks.append(block)
    first_box = next((n for n, b in enumerate(blocks) if b.field is not None), len(blocks))
    last_box = max((n for n, b in enumerate(blocks) if b.field is not None), default=-1)
    letter = information_letter(visit.study, lang, fallback="en")
    declaration = letter.declaration
    return render(
        "citizen/consent.html",
        form=form,
        errors=error_links(blocks),
        before=blocks[:first_box],
        boxes=[b for b in blocks if b.field is not None],
        after=blocks[last_box + 1 :],
        declaration=declaration,
        fixed_lang=letter.fixed_language,
        notice=notice,
        any_required=any(b.required for b in blocks if b.field is not None),
        title=form_def.title.get(lang),
    )

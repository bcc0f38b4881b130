"""After sending: thanks, the receipt, what the person has said yes to, and withdrawing."""

from __future__ import annotations

from flask import abort, g, make_response, redirect, url_for

from ... import portal
from .blueprint import bp
from .pages import ButtonForm, citizen_page, consent_done, language, next_questionnaire, render


@bp.route("/thanks")
@citizen_page
def thanks():
    following = next_questionnaire(g.visit)
    return render("citizen/thanks.html", following=following)


@bp.route("/receipt.pdf")
@citizen_page
def receipt():
    from privacy.exports import consent_receipt

    from ...database import writing

    visit = g.visit
    with writing() as db:
        pdf = consent_receipt(
            db,
            participant=visit.participant,
            actor="participant",
            where="web: citizen receipt",
            make=lambda: portal.receipt_pdf(visit, language()),
        )
    response = make_response(pdf)
    response.headers["Content-Type"] = "application/pdf"
    response.headers["Content-Disposition"] = 'attachment; filename="samtykke-kvittering.pdf"'
    return response


@bp.route("/consent-record.jsonld")
@citizen_page
def consent_record():
    """The person's own consent records (ISO/IEC TS 27560, JSON-LD), logged as an export."""
    from privacy.dpo_files import consent_records_download

    from ...database import writing

    visit = g.visit
    with writing() as db:
        payload = consent_records_download(
            db,
            participant=visit.participant,
            study=visit.study.id,
            actor="participant",
            where="web: citizen consent page",
        )
    response = make_response(payload)
    response.headers["Content-Type"] = "application/ld+json; charset=utf-8"
    response.headers["Content-Disposition"] = 'attachment; filename="samtykke.jsonld"'
    return response


@bp.route("/consents")
@citizen_page
def consents():
    visit = g.visit
    lines = portal.consent_lines(visit, language())
    following = next_questionnaire(visit) if consent_done(visit) else None
    return render(
        "citizen/consents.html",
        lines=lines,
        following=following,
        consent_open=not consent_done(visit),
        form=ButtonForm(),
    )


def _line(visit: portal.Visit, item: str) -> portal.ConsentLine:
    for line in portal.consent_lines(visit, language()):
        if line.item == item:
            return line
    abort(404)


@bp.route("/withdraw/<item>", methods=["POST"])
@citizen_page
def withdraw(item: str):
    """Ask once: this POST only shows the confirmation; nothing changes yet."""
    line = _line(g.visit, item)
    if not line.granted:
        return redirect(url_for("citizen.consents"), code=303)
    return render("citizen/withdraw_confirm.html", line=line, form=ButtonForm())


@bp.route("/withdraw/<item>/confirm", methods=["POST"])
@citizen_page
def withdraw_confirm(item: str):
    visit = g.visit
    line = _line(visit, item)
    if ButtonForm().validate_on_submit() and line.granted:
        portal.withdraw(visit, item, language())
    return render("citizen/withdrawn.html", line=line)

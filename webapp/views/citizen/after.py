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


@bp.route("/receipt")
@citizen_page
def receipt():
    """The receipt as a plain page to read or print; the same parts as the PDF."""
    from forms.phrases import known_language
    from printing.reports import receipt_parts

    lang = language()
    return render(
        "citizen/receipt.html",
        parts=receipt_parts(portal.receipt_data(g.visit, lang)),
        # the receipt's standard words are printing's, in nb, nn and en only (as receipt_parts
        # chooses them); the page marks them when the page is in another language
        parts_lang=known_language(lang, "nb"),
    )


@bp.route("/receipt.pdf")
@citizen_page
def receipt_pdf():
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
    done = consent_done(visit)
    return consents_page(visit, following=next_questionnaire(visit) if done else None)


def consents_page(visit: portal.Visit, *, following=None, notice: str | None = None):
    """What the person says yes to now (each with its withdraw button), and apart from it,
    in words, what they said no to, took back, or have not answered: the receipt's groups."""
    from printing.reports import RECEIPT_GROUPS

    lines = portal.consent_lines(visit, language())
    others = [
        (heading, [line for line in lines if line.state == state])
        for state, heading in RECEIPT_GROUPS
        if state != "granted"
    ]
    return render(
        "citizen/consents.html",
        granted=[line for line in lines if line.granted],
        others=[(heading, group) for heading, group in others if group],
        following=following,
        consent_open=not consent_done(visit),
        form=ButtonForm(),
        notice=notice,
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

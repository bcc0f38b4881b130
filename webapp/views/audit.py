"""Data protection officer pages, read-only on data: ledger, verify, report, access, retention.

Nothing here changes data: verifying, reporting and planning retention only read.
"""

from __future__ import annotations

import datetime as dt
import io
import re

from flask import Blueprint, abort, render_template, request, send_file

from forms.errors import UserError

from .. import scope
from ..access import current_staff, roles_required
from ..database import reading, writing
from ..i18n import lazy_gettext, staff_language

bp = Blueprint("audit", __name__, url_prefix="/staff/audit")

_CODE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}$")


def _who() -> str:
    staff = current_staff()
    return staff.name if staff else "?"


#: What is wrong with a filter, per field, as the ledger page says it.
_BAD_FILTER = {
    "from": lazy_gettext("%(value)s is not a date. Write it like 31.12.2026."),
    "to": lazy_gettext("%(value)s is not a date. Write it like 31.12.2026."),
    "state": lazy_gettext("There is no state %(value)s."),
    "channel": lazy_gettext("There is no channel %(value)s."),
    "range": lazy_gettext("The 'from' date is after the 'to' date."),
}


def _not_elsewhere(db, code: str) -> None:
    """Another study's participant is answered as an unknown code (intake.withdrawals)."""
    from intake.withdrawals import UnknownParticipant

    if scope.elsewhere(db, code):
        raise UnknownParticipant(f"no participant with code {code!r}")


@bp.route("/")
@roles_required("dpo")
def home():
    """Who has agreed to what: filtered by GET parameters, 50 rows a page."""
    from privacy.audit import LEDGER_CHANNELS, LEDGER_STATES, LedgerFilterError, LedgerQuery
    from privacy.audit import ledger_page as find

    error = page = error_field = None
    try:
        query = LedgerQuery.from_strings(request.args)
    except LedgerFilterError as exc:
        # one clear line, the values as typed still in the boxes, and no rows that
        # could be taken for the filtered ones
        error = str(_BAD_FILTER.get(exc.field, exc.message)) % {"value": f"«{exc.value}»"}
        error_field = exc.field
        query = LedgerQuery()
    with reading() as db:
        found = find(db, query, language=staff_language(), study=scope.study_key())
    if error is None:
        page = found
    given = {k: request.args.get(k, "").strip() for k in FILTER_FIELDS}
    return (
        render_template(
            "audit/home.html",
            ledger=page,
            given=given,
            pager_args={k: v for k, v in given.items() if v},
            error=error,
            error_field=error_field,
            states=LEDGER_STATES,
            channels=LEDGER_CHANNELS,
            items=found.items,
        ),
        400 if error else 200,
    )


#: The ledger view's GET parameters (the filters; ``page`` is added by the pager).
FILTER_FIELDS = ("participant", "item", "state", "channel", "from", "to")


@bp.route("/participant/<code>")
@roles_required("dpo")
def participant(code: str):
    from consent.policy import StudyMissing
    from intake.studies import load_policy
    from privacy.audit import person_events

    if not _CODE.match(code):
        abort(404)
    key = scope.study_key()
    with reading() as db:
        if scope.elsewhere(db, code):
            abort(404)
        events = [e for e in person_events(db, code) if key is None or e.event.study == key]
        try:
            policy = load_policy(db, key)
            items = {
                i.id: i.text.get(staff_language(), fallback=policy.default_language)
                for i in policy.consent_items
            }
        except (StudyMissing, UserError):
            items = {}
    return render_template("audit/participant.html", code=code, events=events, items=items)


@bp.route("/verify")
@roles_required("dpo")
def verify():
    """Recompute the ledger's hash chain (reading only), optionally against a checkpoint."""
    from consent.chain import CheckpointError
    from consent.ledger import checkpoint
    from consent.ledger import verify as verify_chain

    result = error = None
    given = request.args.get("checkpoint", "").strip()
    with reading() as db:
        current = checkpoint(db)
        if request.args.get("run"):
            try:
                result = verify_chain(db, given or None)
            except (CheckpointError, UserError) as exc:
                error = exc.message
    return render_template(
        "audit/verify.html", result=result, error=error, checkpoint=str(current), given=given
    )


@bp.route("/report")
@roles_required("dpo")
def report():
    return render_template("audit/report.html")


@bp.route("/report.<fmt>")
@roles_required("dpo")
def report_file(fmt: str):
    """The report lists every participant code: each download is logged as an export."""
    from privacy.exports import audit_report_bytes

    if fmt not in ("pdf", "xlsx"):
        abort(404)
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%d-%H%M")
    name = f"consent-audit-{stamp}.{fmt}"
    with writing() as db:
        payload = audit_report_bytes(
            db, fmt, actor=_who(), where=f"web:{name}", study=scope.study_key()
        )
    mimetype = (
        "application/pdf"
        if fmt == "pdf"
        else "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    return send_file(io.BytesIO(payload), mimetype=mimetype, as_attachment=True, download_name=name)


@bp.route("/access")
@roles_required("dpo")
def access():
    """An access request (GDPR art. 15): everything held about one person, as a PDF letter."""
    from privacy.exports import access_letter_bytes

    code = request.args.get("code", "").strip().upper()
    if not code:
        return render_template("audit/access.html", error=None, code="")
    name = f"access-{code}.pdf"
    try:
        with writing() as db:
            _not_elsewhere(db, code)
            _, payload = access_letter_bytes(
                db, actor=_who(), participant=code, where=f"web:{name}", study=scope.study_key()
            )
    except UserError as exc:
        return render_template("audit/access.html", error=exc.message, code=code), 404
    return send_file(
        io.BytesIO(payload),
        mimetype="application/pdf",
        as_attachment=True,
        download_name=name,
    )


@bp.route("/access/records.jsonld")
@roles_required("dpo")
def access_records():
    """The same person's consent records (ISO/IEC TS 27560), offered beside the access letter."""
    from privacy.dpo_files import consent_records_download

    code = request.args.get("code", "").strip().upper()
    if not _CODE.match(code):
        abort(404)
    try:
        with writing() as db:
            _not_elsewhere(db, code)
            payload = consent_records_download(
                db,
                participant=code,
                actor=_who(),
                where="web: audit access",
                study=scope.study_key(),
            )
    except UserError as exc:
        return render_template("audit/access.html", error=exc.message, code=code), 404
    return send_file(
        io.BytesIO(payload),
        mimetype="application/ld+json",
        as_attachment=True,
        download_name=f"consent-records-{code}.jsonld",
    )


@bp.route("/retention")
@roles_required("dpo")
def retention():
    from intake.studies import load_policy
    from privacy.retention import plan_retention

    error = plan = None
    try:
        with reading() as db:
            plan = plan_retention(db, load_policy(db, scope.study_key()), dt.date.today())
    except UserError as exc:
        error = exc.message
    return render_template("audit/retention.html", plan=plan, error=error)

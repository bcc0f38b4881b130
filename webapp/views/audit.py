"""Data protection officer pages, read-only on data: ledger, verify, report, access, retention.

Nothing here changes data: verifying, reporting and planning retention only read.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import re

from flask import Blueprint, abort, render_template, request, send_file

from forms.errors import UserError

from .. import scope
from ..access import current_staff, roles_required
from ..database import reading, writing

bp = Blueprint("audit", __name__, url_prefix="/staff/audit")

_CODE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}$")


SHOWN_HASH_CHARS = 16


def _who() -> str:
    staff = current_staff()
    return staff.name if staff else "?"


def _short(value: object) -> str:
    """Evidence values for a table: hashes cut to their first characters (full ones on hover)."""
    if isinstance(value, list):
        return ", ".join(_short(v) for v in value)
    text = str(value)
    if re.fullmatch(r"[0-9a-f]{40,64}", text):
        return text[:SHOWN_HASH_CHARS] + "…"
    return text


def _not_elsewhere(db, code: str) -> None:
    """Another study's participant is answered as an unknown code (intake.withdrawals)."""
    from intake.withdrawals import UnknownParticipant

    if scope.elsewhere(db, code):
        raise UnknownParticipant(f"no participant with code {code!r}")


@bp.route("/")
@roles_required("dpo")
def home():
    from privacy.audit import status_rows

    with reading() as db:
        headers, rows = status_rows(db, study=scope.study_key())
    return render_template("audit/home.html", headers=headers, rows=rows)


@bp.route("/participant/<code>")
@roles_required("dpo")
def participant(code: str):
    from consent.ledger import events_of

    if not _CODE.match(code):
        abort(404)
    key = scope.study_key()
    with reading() as db:
        if scope.elsewhere(db, code):
            abort(404)
        events = [e for e in events_of(db, code) if key is None or e.study == key]
    shown = []
    for event in events:
        evidence = json.loads(event.evidence) if event.evidence else {}
        images = [
            evidence[k]
            for k in ("page_sha256", "signature_sha256")
            if isinstance(evidence.get(k), str)
        ]
        shown.append((event, {k: _short(v) for k, v in evidence.items()}, images))
    return render_template("audit/participant.html", code=code, events=shown)


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

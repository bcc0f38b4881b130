"""Data protection officer pages (read-only on data): ledger, verify, report, retention."""

from __future__ import annotations

from flask import Blueprint, render_template

from ..access import roles_required

bp = Blueprint("audit", __name__, url_prefix="/staff/audit")


@bp.route("/")
@roles_required("dpo")
def home():
    return render_template("audit/home.html")


@bp.route("/verify")
@roles_required("dpo")
def verify():
    return render_template("audit/verify.html")


@bp.route("/report")
@roles_required("dpo")
def report():
    return render_template("audit/report.html")


@bp.route("/retention")
@roles_required("dpo")
def retention():
    return render_template("audit/retention.html")

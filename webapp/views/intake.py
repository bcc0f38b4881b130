"""Assistant pages: scanned PDFs, the review queue, manual entry, exports."""

from __future__ import annotations

from flask import Blueprint, render_template

from ..access import roles_required

bp = Blueprint("intake", __name__, url_prefix="/staff/intake")


@bp.route("/")
@roles_required("assistant")
def home():
    return render_template("intake/home.html")


@bp.route("/review")
@roles_required("assistant")
def review():
    return render_template("intake/review.html")


@bp.route("/manual")
@roles_required("assistant")
def manual():
    return render_template("intake/manual.html")


@bp.route("/exports")
@roles_required("assistant")
def exports():
    return render_template("intake/exports.html")

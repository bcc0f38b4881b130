"""Recruiter pages: the participant list, letter packs, who answered on which channel."""

from __future__ import annotations

from flask import Blueprint, render_template

from ..access import roles_required

bp = Blueprint("recruit", __name__, url_prefix="/staff/recruit")


@bp.route("/")
@roles_required("recruiter")
def home():
    return render_template("recruit/home.html")


@bp.route("/letters")
@roles_required("recruiter")
def letters():
    return render_template("recruit/letters.html")

"""Staff login, logout, and user administration (admin only)."""

from __future__ import annotations

import datetime as dt

from flask import (
    Blueprint,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_wtf import FlaskForm
from wtforms import PasswordField, SelectField, StringField
from wtforms.validators import DataRequired, Length

from .. import ratelimit, sessions, staff
from ..access import current_staff, role_home, roles_required
from ..database import reading, writing
from ..formgen import choice

bp = Blueprint("auth", __name__, url_prefix="/staff")


class LoginForm(FlaskForm):
    name = StringField(
        "User name",
        validators=[DataRequired("Type your user name."), Length(max=80)],
        render_kw={"autocomplete": "username"},
    )
    password = PasswordField(
        "Password",
        validators=[DataRequired("Type your password."), Length(max=staff.MAX_PASSWORD_CHARS)],
        render_kw={"autocomplete": "current-password"},
    )


class AddUserForm(FlaskForm):
    name = StringField("User name", validators=[DataRequired("Type a user name.")])
    role = SelectField("Role", choices=[choice(r, r) for r in staff.ROLES])
    password = PasswordField(
        "Password",
        validators=[DataRequired("Type a password.")],
        render_kw={"autocomplete": "new-password"},
    )


class EmptyForm(FlaskForm):
    """A form with only the CSRF token (buttons that change something)."""


def _safe_next(target: str | None) -> str | None:
    # only paths on this site, so the login page cannot send people elsewhere
    if target and target.startswith("/staff") and not target.startswith("//"):
        return target
    return None


@bp.route("/login", methods=["GET", "POST"])
def login():
    form = LoginForm()
    error = None
    if form.validate_on_submit():
        cfg = current_app.config
        limits = (
            [
                (
                    ratelimit.address_key("login", request.remote_addr),
                    cfg["LOGIN_FAILURES_PER_ADDRESS"],
                )
            ],
            dt.timedelta(minutes=cfg["CODE_WINDOW_MINUTES"]),
        )
        if not ratelimit.allowed(*limits):
            return render_template(
                "auth/login.html",
                form=form,
                error="too many wrong logins from this address; wait a while and try again",
            ), 429
        failure: staff.LoginFailed | staff.AccountLocked | None = None
        # the failure is caught inside the transaction so that the count is committed
        with writing() as db:
            try:
                who = staff.authenticate(
                    db,
                    (form.name.data or "").strip(),
                    form.password.data or "",
                    max_failures=cfg["LOGIN_MAX_FAILURES"],
                    lockout=dt.timedelta(minutes=cfg["LOGIN_LOCKOUT_MINUTES"]),
                )
            except (staff.LoginFailed, staff.AccountLocked) as exc:
                failure = exc
        if failure is not None:
            ratelimit.hit(*limits)
            error = failure.message
        else:
            sessions.start(session, "staff", user_id=who.user_id)
            return redirect(
                _safe_next(request.args.get("next")) or url_for(role_home(who.role)), code=303
            )
    status = 401 if error else 200
    return render_template("auth/login.html", form=form, error=error), status


@bp.route("/logout", methods=["POST"])
def logout():
    form = EmptyForm()
    if form.validate_on_submit():
        sessions.end(session)
    return redirect(url_for("auth.login"), code=303)


@bp.route("/")
def home():
    who = current_staff()
    if who is None:
        return redirect(url_for("auth.login"), code=303)
    return redirect(url_for(role_home(who.role)), code=303)


@bp.route("/users", methods=["GET", "POST"])
@roles_required("admin")
def users():
    form = AddUserForm()
    if form.validate_on_submit():
        try:
            with writing() as db:
                staff.add_user(
                    db, (form.name.data or "").strip(), form.role.data, form.password.data or ""
                )
        except staff.StaffError as exc:
            form.name.errors = [exc.message]
        else:
            flash(f"User {(form.name.data or '').strip()} added.")
            return redirect(url_for("auth.users"), code=303)
    with reading() as db:
        people = staff.list_users(db)
    return render_template("auth/users.html", form=form, people=people, action=EmptyForm())


@bp.route("/users/<int:user_id>/disable", methods=["POST"])
@roles_required("admin")
def disable(user_id: int):
    who = current_staff()
    if EmptyForm().validate_on_submit():
        if who is not None and who.user_id == user_id:
            flash("You cannot take away your own access.")
        else:
            try:
                with writing() as db:
                    name = staff.disable(db, user_id).name
            except staff.StaffError as exc:
                flash(exc.message)
            else:
                flash(f"{name} can no longer log in; their sessions have ended.")
    return redirect(url_for("auth.users"), code=303)


@bp.route("/users/<int:user_id>/unlock", methods=["POST"])
@roles_required("admin")
def unlock(user_id: int):
    if EmptyForm().validate_on_submit():
        with writing() as db:
            staff.unlock(db, user_id)
        flash("Account unlocked.")
    return redirect(url_for("auth.users"), code=303)

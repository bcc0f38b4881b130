"""Staff login, logout, and user administration (admin only)."""

from __future__ import annotations

import datetime as dt

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    g,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import refresh
from flask_wtf import FlaskForm
from wtforms import PasswordField, SelectField, SelectMultipleField, StringField
from wtforms.validators import DataRequired, Length

from .. import ratelimit, sessions, staff
from ..access import STUDY_KEY, current_staff, role_home, roles_required, staff_user_id
from ..database import reading, writing
from ..formgen import choice
from ..i18n import _, lazy_gettext

bp = Blueprint("auth", __name__, url_prefix="/staff")


class LoginForm(FlaskForm):
    name = StringField(
        lazy_gettext("User name"),
        validators=[DataRequired(lazy_gettext("Type your user name.")), Length(max=80)],
        render_kw={"autocomplete": "username"},
    )
    password = PasswordField(
        lazy_gettext("Password"),
        validators=[
            DataRequired(lazy_gettext("Type your password.")),
            Length(max=staff.MAX_PASSWORD_CHARS),
        ],
        render_kw={"autocomplete": "current-password"},
    )


#: each language by its own name (not translated: a reader finds their own language by it)
LANGUAGE_NAMES = {"nb": "Norsk bokmål", "nn": "Norsk nynorsk", "en": "English"}
ROLE_NAMES = {
    "recruiter": lazy_gettext("recruiter"),
    "assistant": lazy_gettext("assistant"),
    "dpo": lazy_gettext("data protection officer"),
    "admin": lazy_gettext("administrator"),
}


def _language_choices() -> list:
    return [choice("", _("The browser's choice (else bokmål)"))] + [
        choice(code, LANGUAGE_NAMES[code]) for code in staff.LANGUAGES
    ]


class AddUserForm(FlaskForm):
    name = StringField(
        lazy_gettext("User name"), validators=[DataRequired(lazy_gettext("Type a user name."))]
    )
    role = SelectField(lazy_gettext("Role"))
    language = SelectField(lazy_gettext("Language of the staff pages"), default="")
    studies = SelectMultipleField(
        lazy_gettext("Studies (none chosen: the only one; an admin is in every study)"),
        choices=[],
    )
    password = PasswordField(
        lazy_gettext("Password"),
        validators=[DataRequired(lazy_gettext("Type a password."))],
        render_kw={"autocomplete": "new-password"},
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # choices in the page's language, so made per request
        self.role.choices = [choice(r, str(ROLE_NAMES[r])) for r in staff.ROLES]
        self.language.choices = _language_choices()


class LanguageForm(FlaskForm):
    language = SelectField(lazy_gettext("Language"), default="")

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.language.choices = _language_choices()


class EmptyForm(FlaskForm):
    """A form with only the CSRF token (buttons that change something)."""


def _safe_next(target: str | None) -> str | None:
    # only paths on this site, so the login page cannot send people elsewhere
    if target and target.startswith("/staff") and not target.startswith("//"):
        return target
    return None


TOO_MANY_LOGINS = lazy_gettext(
    "Too many wrong logins from this address. Wait a while and try again."
)
WRONG_LOGIN = lazy_gettext("Wrong user name or password.")


def _login_keys(name: str) -> tuple[str, str]:
    """The throttle's keys: this address with this user name, and this address alone."""
    return (
        ratelimit.name_address_key("login", name, request.remote_addr),
        ratelimit.address_key("login", request.remote_addr),
    )


@bp.route("/login", methods=["GET", "POST"])
def login():
    form = LoginForm()
    error = None
    status = 200
    if form.validate_on_submit():
        cfg = current_app.config
        window = dt.timedelta(minutes=cfg["CODE_WINDOW_MINUTES"])
        name = (form.name.data or "").strip()
        password = form.password.data or ""
        pair, address = _login_keys(name)
        counts = ratelimit.failures((pair, address), window)
        # throttled by (address, name) and by address, never per account for everyone, so
        # a stranger elsewhere cannot lock a user out; the answer does not depend on
        # whether the name exists, and a password hash is checked either way (timing)
        if (
            counts[pair] >= cfg["LOGIN_FAILURES_PER_ADDRESS_AND_NAME"]
            or counts[address] >= cfg["LOGIN_FAILURES_PER_ADDRESS"]
        ):
            staff.check_dummy_password(password)
            return render_template("auth/login.html", form=form, error=str(TOO_MANY_LOGINS)), 429
        try:
            with reading() as db:
                who = staff.authenticate(db, name, password)
        except staff.LoginFailed:
            ratelimit.record_failure((pair, address), window)
            error, status = str(WRONG_LOGIN), 401
        else:
            if not who.role:
                error = _("You hold no role in any loaded study; ask an admin to give you one.")
                return render_template("auth/login.html", form=form, error=error), 403
            sessions.start(session, "staff", user_id=who.user_id)
            return redirect(
                _safe_next(request.args.get("next")) or url_for(role_home(who.role)), code=303
            )
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
    if not who.role:
        abort(403)
    return redirect(url_for(role_home(who.role)), code=303)


@bp.route("/study", methods=["POST"])
@roles_required(*staff.ROLES)
def switch_study():
    """The study switcher in the staff header: every staff page shows this study from now on.

    Only a study the user holds a role in can be chosen; any other name gets
    the same answer whether such a study exists or not.
    """
    who = current_staff()
    wanted = request.form.get("study", "")
    if EmptyForm().validate_on_submit() and who is not None:
        if wanted in who.studies:
            session[STUDY_KEY] = wanted
            g.pop("staff", None)  # the role may differ in the other study
            who = current_staff()
            flash(_("Now working on study %(study)s.", study=wanted))
        else:
            flash(_("You have no role in that study."))
    return redirect(url_for(role_home(who.role if who else "")), code=303)


@bp.route("/users", methods=["GET", "POST"])
@roles_required("admin")
def users():
    form = AddUserForm()
    with reading() as db:
        form.studies.choices = [choice(key, key) for _, key in staff.loaded_studies(db)]
    several = len(form.studies.choices) > 1
    if (
        form.validate_on_submit()
        and several
        and form.role.data != staff.ADMIN
        and not form.studies.data
    ):
        form.studies.errors = [_("Choose the studies this user works on.")]
    elif form.validate_on_submit():
        try:
            with writing() as db:
                staff.add_user(
                    db,
                    (form.name.data or "").strip(),
                    form.role.data,
                    form.password.data or "",
                    studies=tuple(form.studies.data or ()),
                    language=form.language.data or None,
                )
        except staff.StaffError as exc:
            form.name.errors = [exc.message]
        else:
            flash(_("User %(name)s added.", name=(form.name.data or "").strip()))
            return redirect(url_for("auth.users"), code=303)
    with reading() as db:
        people = staff.list_users(db)
        roles = {p.id: staff.role_labels(db, p) for p in people}
    return render_template(
        "auth/users.html",
        form=form,
        people=people,
        roles=roles,
        action=EmptyForm(),
        language_names=LANGUAGE_NAMES,
    )


@bp.route("/users/<int:user_id>/disable", methods=["POST"])
@roles_required("admin")
def disable(user_id: int):
    who = current_staff()
    if EmptyForm().validate_on_submit():
        if who is not None and who.user_id == user_id:
            flash(_("You cannot take away your own access."))
        else:
            try:
                with writing() as db:
                    name = staff.disable(db, user_id).name
            except staff.StaffError as exc:
                flash(exc.message)
            else:
                flash(_("%(name)s can no longer log in; their sessions have ended.", name=name))
    return redirect(url_for("auth.users"), code=303)


@bp.route("/users/<int:user_id>/unlock", methods=["POST"])
@roles_required("admin")
def unlock(user_id: int):
    if EmptyForm().validate_on_submit():
        try:
            with writing() as db:
                name = staff.unlock(db, user_id).name
        except staff.StaffError as exc:
            flash(exc.message)
        else:
            # wrong logins for this name from every address are forgotten
            ratelimit.forget(ratelimit.name_prefix("login", name))
            flash(_("Account unlocked."))
    return redirect(url_for("auth.users"), code=303)


@bp.route("/language", methods=["GET", "POST"])
@roles_required(*staff.ROLES)
def language():
    """The logged-in user's own language for the staff pages (kept with the user)."""
    form = LanguageForm()
    if form.validate_on_submit():
        with writing() as db:
            staff.set_language(db, staff_user_id(), form.language.data or None)
        g.pop("staff", None)  # the user again, with the new language,
        refresh()  # so the message below is in it already
        flash(_("Saved. The staff pages are now in this language."))
        return redirect(url_for("auth.language"), code=303)
    if request.method == "GET":
        who = current_staff()
        form.language.data = (who.language if who else None) or ""
    return render_template("auth/language.html", form=form)

"""Recruiter pages: the participant list (upload with row-level errors), letter packs, answers."""

from __future__ import annotations

import re
import secrets
from pathlib import Path

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired
from sqlalchemy import select
from wtforms import BooleanField, IntegerField, StringField
from wtforms.validators import AnyOf, NumberRange

from forms.errors import UserError

from .. import jobs, scope
from ..access import current_staff, roles_required, staff_user_id
from ..database import EXTENSION, reading, writing
from ..i18n import _, lazy_gettext, ngettext, staff_date

bp = Blueprint("recruit", __name__, url_prefix="/staff/recruit")

LIST_SUFFIXES = ("csv", "xlsx")
LETTERS_FOLDER = "web-letters"
_PACK_NAME = re.compile(r"^letters-[0-9]{8}-[0-9]{6}-[a-f0-9]{8}\.pdf$")


class ImportForm(FlaskForm):
    file = FileField(
        lazy_gettext("Participant list (.xlsx or .csv)"),
        validators=[
            FileRequired(lazy_gettext("Choose a file.")),
            FileAllowed(LIST_SUFFIXES, lazy_gettext("Use an .xlsx or .csv file.")),
        ],
    )
    group = StringField(lazy_gettext("Group for everyone without one (optional)"))
    skip_invalid = BooleanField(
        lazy_gettext("Import the good rows and leave out the rows with problems")
    )


class ButtonForm(FlaskForm):
    """Only the CSRF token."""


class LettersForm(FlaskForm):
    group = StringField(lazy_gettext("Only this group (optional)"))
    codes = StringField(
        lazy_gettext("Only these participant codes (optional, separated by spaces)")
    )
    only_new = BooleanField(
        lazy_gettext("Only people who have not been sent a letter"), default=True
    )
    large_print = BooleanField(
        lazy_gettext("Large print for everybody (otherwise each person's own format)")
    )


class RemindersForm(FlaskForm):
    after = IntegerField(
        lazy_gettext("Days since the last letter"),
        default=14,
        validators=[NumberRange(0, 365, lazy_gettext("Write a number of days from 0 to 365."))],
    )
    max_reminders = IntegerField(
        lazy_gettext("Most reminders per person"),
        default=1,
        validators=[NumberRange(1, 5, lazy_gettext("Write a number from 1 to 5."))],
    )
    group = StringField(lazy_gettext("Only this group (optional)"))


#: The format profile's three-way choices as form values: "" is "not said".
_CHOICE = {"": None, "yes": True, "no": False}


class FormatProfileForm(FlaskForm):
    """A person's format profile (printing.format_profile); the template draws the choices."""

    # one of the study's languages (checked in the view)
    language = StringField(lazy_gettext("Language"))
    large_print = BooleanField(lazy_gettext("Large print"))
    two_sided = StringField(
        lazy_gettext("Sides"),
        validators=[AnyOf(list(_CHOICE), lazy_gettext("Choose from the list."))],
    )
    easy_read = StringField(
        lazy_gettext("Easy-read"),
        validators=[AnyOf(list(_CHOICE), lazy_gettext("Choose from the list."))],
    )


def _form_value(value: bool | None) -> str:
    return next(key for key, choice in _CHOICE.items() if choice is value)


def _data_dir() -> Path:
    return Path(current_app.extensions[EXTENSION]["data_dir"])


def _save_upload(storage, suffix: str) -> Path:
    folder = _data_dir() / "uploads"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{secrets.token_hex(8)}.{suffix}"
    storage.save(path)
    return path


def _overview() -> tuple[list[str], list[list]]:
    """Everyone in the current study (codes only), with the channels their answers came through."""
    from intake.models import FormVersion, Participant, Response
    from intake.reconsent import reconsent_sent
    from intake.reminders import reminders_sent
    from intake.scope import of_study

    with reading() as db:
        study = scope.record_or_none(db)
        people_query = select(Participant).order_by(Participant.id)
        if study is not None:
            people_query = people_query.where(of_study(study))
        people = list(db.scalars(people_query))
        codes = [p.code for p in people]
        reminded: dict[str, list] = {}
        for sent in reminders_sent(db, codes):
            reminded.setdefault(sent.code, []).append(sent)
        asked_again: dict[str, list] = {}
        for again in reconsent_sent(db, codes):
            asked_again.setdefault(again.code, []).append(again)
        answered: dict[int, dict[str, set[str]]] = {}
        answers_query = select(
            Response.participant_id, FormVersion.form_key, Response.channel
        ).join(FormVersion, Response.form_version_id == FormVersion.id)
        if study is not None:
            answers_query = answers_query.where(FormVersion.study_id == study.id)
        for participant_id, form_key, channel in db.execute(answers_query):
            if participant_id is None:
                continue  # an anonymous copy: nobody's row to show it on
            answered.setdefault(participant_id, {}).setdefault(form_key, set()).add(channel)
        rows = []
        for person in people:
            forms = answered.get(person.id, {})
            rows.append(
                [
                    person.code,
                    person.group or "",
                    person.language,
                    person.status,
                    "; ".join(
                        f"{form}: {', '.join(sorted(channels))}"
                        for form, channels in sorted(forms.items())
                    )
                    or "—",
                    _reminder_cell(reminded.get(person.code, [])),
                    _reconsent_cell(asked_again.get(person.code, [])),
                ]
            )
    headers = [
        _("Code"),
        _("Group"),
        _("Language"),
        _("Status"),
        _("Answered (form: channel)"),
        _("Reminders"),
        _("Re-consent"),
    ]
    return headers, rows


def _reconsent_cell(sent: list) -> str:
    """Re-consent letters sent: how many, the last one's date and the text version it asks on."""
    if not sent:
        return "—"
    last = sent[-1]
    return _(
        "%(count)s (last %(date)s, %(form)s %(version)s: %(items)s)",
        count=len(sent),
        date=staff_date(last.sent_at),
        form=last.form,
        version=last.text_version,
        items=last.items,
    )


def _reminder_cell(sent: list) -> str:
    if not sent:
        return "—"
    last = sent[-1]
    return _(
        "%(count)s (last %(date)s, %(letter)s %(version)s)",
        count=len(sent),
        date=staff_date(last.sent_at),
        letter=last.letter,
        version=last.letter_version,
    )


@bp.route("/")
@roles_required("recruiter")
def home():
    headers, rows = _overview()
    return render_template(
        "recruit/home.html",
        form=ImportForm(),
        headers=headers,
        rows=rows,
        result=None,
        problems=None,
    )


@bp.route("/participants/<code>", methods=["GET", "POST"])
@roles_required("recruiter")
def participant(code: str):
    """One person's format profile: language, large print, sides, easy-read (no name shown)."""
    from intake.format_profiles import profile_of, set_profile
    from intake.models import Participant, StudyRecord
    from printing.format_profile import FormatProfile

    form = FormatProfileForm()
    with reading() as db:
        person = db.scalars(select(Participant).where(Participant.code == code)).first()
        if person is None or scope.elsewhere(db, code):
            abort(404)  # another study's person is answered as an unknown code
        record = db.get(StudyRecord, person.study_id) if person.study_id else None
        languages = list((record.definition or {}).get("languages") or ()) if record else []
        profile = profile_of(person)
        status = person.status
    if profile.language not in languages:
        languages.append(profile.language)
    if request.method == "GET":
        form.language.data = profile.language
        form.large_print.data = profile.large_print
        form.two_sided.data = _form_value(profile.two_sided)
        form.easy_read.data = _form_value(profile.easy_read)
    elif form.validate_on_submit() and form.language.data in languages:
        staff = current_staff()
        wanted = FormatProfile(
            form.language.data or profile.language,
            bool(form.large_print.data),
            _CHOICE.get(form.two_sided.data or ""),
            _CHOICE.get(form.easy_read.data or ""),
        )
        try:
            with writing() as db:
                person = db.scalars(select(Participant).where(Participant.code == code)).one()
                profile = set_profile(db, person, wanted, actor=staff.name if staff else "?")
        except UserError as exc:
            form.form_errors.append(exc.message)
        else:
            flash(
                _(
                    "Saved: %(profile)s. The next letter follows it.",
                    profile=profile.describe(),
                )
            )
            return redirect(url_for("recruit.participant", code=code), code=303)
    failed = request.method == "POST"  # a good POST redirected above
    if failed and form.language.data not in languages:
        form.language.errors = [
            _("Choose one of the study's languages: %(languages)s.", languages=", ".join(languages))
        ]
    return render_template(
        "recruit/participant.html",
        form=form,
        code=code,
        status=status,
        profile=profile,
        languages=languages,
    ), (400 if failed else 200)


@bp.route("/import", methods=["POST"])
@roles_required("recruiter")
def import_list():
    from intake.participants import (
        ParticipantImportError,
        import_participants,
        read_table_isolated,
    )
    from intake.studies import get_study

    form = ImportForm()
    result = problems = error = None
    if form.validate_on_submit():
        suffix = form.file.data.filename.rsplit(".", 1)[-1].lower()
        path = _save_upload(form.file.data, suffix)
        try:
            # Parsed in the limited worker before the write lock is taken.
            table = read_table_isolated(path)
            with writing() as db:
                result = import_participants(
                    db,
                    path,
                    study=get_study(db, scope.study_key()),
                    group=(form.group.data or "").strip() or None,
                    skip_invalid=form.skip_invalid.data,
                    table=table,
                )
        except ParticipantImportError as exc:
            error = exc.message
            problems = [p.format() for p in getattr(exc, "problems", ())]
        except UserError as exc:
            error = exc.format().replace(str(path), form.file.data.filename)
        finally:
            path.unlink(missing_ok=True)
        if result is not None:
            imported = ngettext(
                "Imported %(num)s person.", "Imported %(num)s people.", len(result.imported)
            )
            if result.rejected:
                imported += " " + ngettext(
                    "Left out %(num)s row with problems.",
                    "Left out %(num)s rows with problems.",
                    len(result.rejected),
                )
            flash(imported)
    headers, rows = _overview()
    status = 200 if error is None and not form.errors else 400
    return render_template(
        "recruit/home.html",
        form=form,
        headers=headers,
        rows=rows,
        result=result,
        problems=problems,
        error=error,
    ), status


def _packs() -> list[str]:
    """The stored letter packs of the current study (every person in them is in it)."""
    from intake.scope import codes_in_study
    from privacy.exports import letter_pack_codes

    folder = _data_dir() / LETTERS_FOLDER
    if not folder.is_dir():
        return []
    names = sorted((p.name for p in folder.iterdir() if _PACK_NAME.match(p.name)), reverse=True)
    with reading() as db:
        study = scope.record_or_none(db)
        if study is None:
            return names
        return [
            n for n in names if codes_in_study(db, study, letter_pack_codes(db, _data_dir(), n))
        ]


@bp.route("/letters", methods=["GET", "POST"])
@roles_required("recruiter")
def letters():
    """Start a letter run in the background; its page shows the progress."""
    import datetime as dt

    form = LettersForm()
    if form.validate_on_submit():
        from intake.mailing import LetterRun

        stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%d-%H%M%S")
        out = _data_dir() / LETTERS_FOLDER / f"letters-{stamp}-{secrets.token_hex(4)}.pdf"
        out.parent.mkdir(parents=True, exist_ok=True)
        run = LetterRun(
            out=out.resolve(),  # a worker may run in another folder
            group=(form.group.data or "").strip() or None,
            only_new=form.only_new.data,
            profile="large" if form.large_print.data else None,  # else each person's own
            codes=tuple((form.codes.data or "").split()),
            study_key=scope.study_key(),
        )
        from jobs.letters import letter_run_arguments

        job = jobs.start(
            jobs.this_app(),
            staff_user_id(),
            "letters",
            letter_run_arguments(run),
            study=scope.study_key(),
        )
        return redirect(url_for("recruit.letter_job", job_id=job.id), code=303)
    return render_template("recruit/letters.html", form=form, packs=_packs(), action=ButtonForm())


@bp.route("/letters/jobs/<int:job_id>")
@roles_required("recruiter", "admin")  # the owner, or an admin (webapp.jobs.get)
def letter_job(job_id: int):
    job = jobs.get(jobs.this_app(), job_id, "letters")
    if job is None:
        abort(404)
    summary = name = None
    if job.state == "succeeded" and job.result is not None:
        result = job.result
        summary = _(
            "Printed %(packs)s packs, %(pages)s pages.",
            packs=result["packs"],
            pages=result["pages"],
        )
        if result["excluded"]:
            summary += " " + _(
                "Left out %(count)s people who withdrew, declined or were erased.",
                count=result["excluded"],
            )
        if result["no_address"]:
            summary += " " + _(
                "No postal address: %(codes)s.", codes=", ".join(result["no_address"])
            )
        name = Path(result["files"][0]).name
    return render_template(
        "recruit/letter_job.html", job=job, summary=summary, name=name, action=ButtonForm()
    )


@bp.route("/letters/<name>", methods=["POST"])
@roles_required("recruiter")
def download_pack(name: str):
    """A letter pack (names and addresses: logged as an export of personal data, so a POST)."""
    from privacy.exports import NotHere, letter_pack

    if not _PACK_NAME.match(name):
        abort(404)
    from privacy.exports import letter_pack_codes

    who = current_staff()
    try:
        with writing() as db:
            scope.require_codes(db, letter_pack_codes(db, _data_dir(), name))
            path = letter_pack(db, _data_dir(), name, actor=who.name if who else "?")
    except NotHere:
        abort(404)
    return send_file(path, mimetype="application/pdf", as_attachment=True, download_name=name)


@bp.route("/reminders", methods=["GET", "POST"])
@roles_required("recruiter")
def reminders():
    """Who would get a reminder now and why not the others; printing runs as a job."""
    import datetime as dt

    from intake.reminders import ReminderRun, plan_reminders
    from intake.studies import get_study

    if request.method == "POST":
        form = RemindersForm()
        valid = form.validate()
    else:  # the dry run is a plain link: its choices come in the query, no CSRF needed
        form = RemindersForm(request.args, meta={"csrf": False})
        valid = not request.args or form.validate()
    plan = error = None
    if not valid:
        return render_template("recruit/reminders.html", form=form, plan=None, error=None), 400
    who = current_staff()
    if who is None:  # roles_required let only a logged-in recruiter in
        abort(403)
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%d-%H%M%S")
    out = _data_dir() / LETTERS_FOLDER / f"letters-{stamp}-{secrets.token_hex(4)}.pdf"
    run = ReminderRun(
        out=out,
        after_days=form.after.data if form.after.data is not None else 14,
        max_reminders=form.max_reminders.data or 1,
        group=(form.group.data or "").strip() or None,
        actor=who.name,
        study_key=scope.study_key(),
    )
    if request.method == "POST":
        out.parent.mkdir(parents=True, exist_ok=True)
        arguments = {
            "out": str(Path(run.out).resolve()),  # a worker may run in another folder
            "after_days": run.after_days,
            "max_reminders": run.max_reminders,
            "group": run.group,
            "actor": run.actor,
            "study_key": run.study_key,
        }
        job = jobs.start(jobs.this_app(), who.user_id, "reminders", arguments, study=run.study_key)
        return redirect(url_for("recruit.reminder_job", job_id=job.id), code=303)
    try:
        with reading() as session:
            plan = plan_reminders(session, get_study(session, run.study_key), run)
    except UserError as exc:
        error = exc.message
    return render_template("recruit/reminders.html", form=form, plan=plan, error=error)


@bp.route("/reminders/jobs/<int:job_id>")
@roles_required("recruiter", "admin")  # the owner, or an admin (webapp.jobs.get)
def reminder_job(job_id: int):
    job = jobs.get(jobs.this_app(), job_id, "reminders")
    if job is None:
        abort(404)
    summary = name = None
    if job.state == "succeeded" and job.result is not None:
        result = job.result
        if result["pages"] is not None:
            summary = _(
                "Printed %(count)s reminders, %(pages)s pages.",
                count=len(result["sent"]),
                pages=result["pages"],
            )
        else:
            summary = _("Printed %(count)s reminders.", count=len(result["sent"]))
        name = Path(result["out"]).name
    return render_template(
        "recruit/letter_job.html", job=job, summary=summary, name=name, action=ButtonForm()
    )


@bp.route("/overview")
@roles_required("recruiter")
def overview():
    """The recruitment overview: the chart (drawn on the server) and the table behind it."""
    from intake.recruitment import overview_table, recruitment_overview, weekly_table
    from intake.studies import get_study

    with reading() as session:
        counts = recruitment_overview(session, get_study(session, scope.study_key()))
    # Inside the project, behind the recruiter's login: exact counts in the tables.
    groups = overview_table(counts, suppress=False)
    weeks = weekly_table(counts, suppress=False)
    return render_template(
        "recruit/overview.html", groups=groups, weeks=weeks, threshold=counts.threshold
    )


@bp.route("/overview.<fmt>")
@roles_required("recruiter")
def overview_chart(fmt: str):
    """The chart as PNG or SVG; small counts hidden, as it may be saved and passed on."""
    from intake.recruitment import recruitment_overview
    from intake.recruitment_report import render_chart
    from intake.studies import get_study

    if fmt not in ("png", "svg"):
        abort(404)
    with reading() as session:
        counts = recruitment_overview(session, get_study(session, scope.study_key()))
    image = render_chart(counts, fmt)
    mimetype = "image/png" if fmt == "png" else "image/svg+xml"
    return current_app.response_class(image, mimetype=mimetype)

"""Assistant pages: scanned PDFs, the review queue, manual entry of paper forms, exports.

Uploaded scans are read by scan's sandboxed workers (memory, CPU and time
limits) through ``intake.scan_resolver.scan_and_store``; this module only saves
the upload and shows the per-page results.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import re
import secrets
from pathlib import Path
from typing import Any

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
from flask_wtf.file import FileAllowed, FileRequired, MultipleFileField
from sqlalchemy import select
from wtforms import SelectField, StringField

from forms.answers import Reason
from forms.errors import UserError
from forms.references import filled_item

from .. import jobs, scope
from ..access import current_staff, roles_required, staff_user_id
from ..blocks import build_blocks
from ..database import EXTENSION, engine, reading, writing
from ..formgen import answers_from, build_form_class, choice
from ..i18n import _, lazy_gettext, ngettext, staff_language
from ..security import SCRIPT_POLICY

bp = Blueprint("intake", __name__, url_prefix="/staff/intake")

SCAN_SUFFIXES = ("pdf", "png", "jpg", "jpeg", "tif", "tiff")
DEBUG_FOLDER = "web-debug"
_SAFE_NAME = re.compile(r"[^A-Za-z0-9_.-]+")
_OVERLAY = re.compile(r"^[A-Za-z0-9_.-]{1,120}\.png$")
_SHA256 = re.compile(r"^[0-9a-f]{64}$")
_UPLOAD_PREFIX = re.compile(r"^[0-9a-f]{8}-")
RECENT_PAGES = 200


class ScanForm(FlaskForm):
    files = MultipleFileField(
        lazy_gettext("Scanned files (PDF, PNG, JPEG or TIFF)"),
        validators=[
            FileRequired(lazy_gettext("Choose at least one file.")),
            FileAllowed(SCAN_SUFFIXES, lazy_gettext("Use PDF, PNG, JPEG or TIFF files.")),
        ],
    )


class ChooseForm(FlaskForm):
    participant = StringField(lazy_gettext("Participant code (or leave empty and give a serial)"))
    serial = StringField(lazy_gettext("Serial of an anonymous copy"))
    form = SelectField(lazy_gettext("Form"))


def _data_dir() -> Path:
    return Path(current_app.extensions[EXTENSION]["data_dir"])


def _who() -> str:
    staff = current_staff()
    return staff.name if staff else "?"


# ---------------------------------------------------------------- scans


def _recent_pages() -> list[Any]:
    """The newest scanned pages of the current study (and those nobody could identify yet)."""
    from intake.models import ScannedPage
    from intake.scope import recent_pages

    with reading() as db:
        study = scope.record_or_none(db)
        if study is not None:
            return recent_pages(db, study, RECENT_PAGES)
        return list(
            db.scalars(select(ScannedPage).order_by(ScannedPage.id.desc()).limit(RECENT_PAGES))
        )


@bp.route("/")
@roles_required("assistant")
def home():
    return render_template("intake/home.html", form=ScanForm(), pages=_recent_pages())


@bp.route("/scan", methods=["POST"])
@roles_required("assistant")
def scan():
    """Save the upload and read it in the background (scan's sandboxed workers)."""

    form = ScanForm()
    if not form.validate_on_submit():
        return render_template("intake/home.html", form=form, pages=_recent_pages()), 400
    folder = _data_dir() / "uploads"
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for storage in form.files.data:
        original = _SAFE_NAME.sub("_", Path(storage.filename or "scan.pdf").name)[-80:]
        path = folder / f"{secrets.token_hex(4)}-{original}"  # _UPLOAD_PREFIX
        storage.save(path)
        paths.append(path)
    # absolute: a worker may run in another folder
    arguments = {
        "files": [str(p.resolve()) for p in paths],
        "debug_dir": str((_data_dir() / DEBUG_FOLDER).resolve()),
    }
    job = jobs.start(jobs.this_app(), staff_user_id(), "scan", arguments, study=scope.study_key())
    return redirect(url_for("intake.scan_job", job_id=job.id), code=303)


@bp.route("/scan/jobs/<int:job_id>")
@roles_required("assistant", "admin")  # the owner, or an admin (webapp.jobs.get)
def scan_job(job_id: int):
    job = jobs.get(jobs.this_app(), job_id, "scan")
    if job is None:
        abort(404)
    from intake.scan_summary import ScanSummary, page_lines

    pages = (job.result or {}).get("pages") or []
    with reading() as db:
        lines = [
            # the file as the assistant named it, without the upload's random prefix
            dataclasses.replace(line, file=_UPLOAD_PREFIX.sub("", line.file))
            for line in page_lines(db, _hide_erased(pages), language=staff_language())
        ]
    tasks = [t for line in lines for t in line.tasks]
    return render_template(
        "intake/scan_job.html",
        job=job,
        lines=lines,
        summary=ScanSummary.of(lines),
        notes=any(line.notes for line in lines),
        typing=sum(t.routine for t in tasks),
        checking=sum(not t.routine for t in tasks),
        reason=scanner_words,
    )


#: The scanner's own words about a page or an answer, as staff pages say them.
_SCANNER_WORDS = {
    "handwriting to type in": lazy_gettext("handwriting to type in"),
    "ink beside a box that is not marked": lazy_gettext("ink beside a box that is not marked"),
    "a box is neither clearly marked nor clearly empty": lazy_gettext(
        "a box is neither clearly marked nor clearly empty"
    ),
    "more than one box marked where one answer is asked": lazy_gettext(
        "more than one box marked where one answer is asked"
    ),
    "a box was filled in (cancelled) and no other box is marked": lazy_gettext(
        "a box was filled in (cancelled) and no other box is marked"
    ),
    "ink near the boxes but none is marked": lazy_gettext("ink near the boxes but none is marked"),
    "cannot tell whether the field is signed": lazy_gettext(
        "cannot tell whether the field is signed"
    ),
    "the QR code was hard to read (damaged or faint)": lazy_gettext(
        "the QR code was hard to read (damaged or faint)"
    ),
}


def scanner_words(text: str) -> str:
    """The scanner's reason in the staff page's language (as it is when not translated)."""
    return str(_SCANNER_WORDS.get(text, text))


def _hide_erased(results: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """A job keeps its page results in its row: pages erased since are shown as erased only."""
    from intake.models import ScannedPage
    from privacy.inventory import ERASED_PAGE_STATUS

    with reading() as db:
        erased = {
            (row[0], row[1])
            for row in db.execute(
                select(ScannedPage.file_name, ScannedPage.page_index).where(
                    ScannedPage.status == ERASED_PAGE_STATUS
                )
            )
        }
    return [
        {"file": r["file"], "page_index": r["page_index"], "status": ERASED_PAGE_STATUS}
        if (r.get("file"), r.get("page_index")) in erased
        else r
        for r in results
    ]


@bp.route("/overlay/<name>")
@roles_required("assistant")
def overlay(name: str):
    """A scan overlay (the page as the scanner saw it: name, ticks, signature), logged."""
    from privacy.exports import NotHere, overlay_owners, scan_overlay

    if not _OVERLAY.match(name):
        abort(404)
    try:
        with writing() as db:
            scope.require_codes(db, overlay_owners(db, [name]))
            path = scan_overlay(db, _data_dir(), name, actor=_who())
    except NotHere:
        abort(404)
    return send_file(path, mimetype="image/png")


@bp.route("/evidence/<digest>")
@roles_required("assistant", "dpo")
def evidence(digest: str):
    """An image from the evidence store (page images, crops), by its SHA-256, logged."""
    from intake.evidence import EvidenceStore
    from privacy.exports import NotHere, evidence_image, owners_of_image

    if not _SHA256.match(digest):
        abort(404)
    try:
        with writing() as db:
            scope.require_codes(db, owners_of_image(db, digest))
            data = evidence_image(
                db, EvidenceStore(_data_dir()), digest, actor=_who(), where=f"web:{digest}"
            )
    except NotHere:
        abort(404)
    mimetype = (
        "image/png"
        if data[:8] == b"\x89PNG\r\n\x1a\n"
        else ("image/jpeg" if data[:3] == b"\xff\xd8\xff" else "application/octet-stream")
    )
    response = send_file(io.BytesIO(data), mimetype=mimetype)
    response.headers["Content-Disposition"] = "inline"
    return response


# ---------------------------------------------------------------- review queue


#: What each kind of task asks of the assistant, as the queue says it.
TASK_TITLES = {
    "ambiguous": lazy_gettext("Check the marks"),
    "handwriting": lazy_gettext("Type in"),
    "unidentified": lazy_gettext("Page not recognised"),
    "conflict": lazy_gettext("Paper and web answers differ"),
}


def _task_view(db, task) -> dict[str, Any]:
    from intake.studies import stored_form

    language = staff_language()
    view: dict[str, Any] = {
        "task": task,
        "title": str(TASK_TITLES.get(task.kind, task.kind)),
        "options": [],
        "participant": None,
        "form": None,
        "label": task.item,
    }
    response = task.response
    if response is not None:
        form = stored_form(response.form_version)
        view["form"] = form.title.get(language, fallback="nb")
        view["participant"] = (
            response.participant.code
            if response.participant
            else _("serial %(serial)s", serial=response.serial)
        )
        if task.item:
            try:
                item = form.item(task.item)
            except KeyError:
                item = None
            if item is not None:
                # the question as staff read it; the choices as printed on the person's paper
                view["label"] = item.label.get(language, fallback="nb")
                view["options"] = [
                    (c.value, c.label.get(response.language or "nb")) for c in item.options()
                ]
    current = task.old_value
    if isinstance(current, list):
        current = ", ".join(str(v) for v in current) or _("nothing marked")
    elif current is None:
        current = _("nothing marked") if view["options"] else ""
    view["current"] = current
    view["details"] = task.details or {}
    return view


#: What is wrong with a correction, said next to its field.
_WRONG_VALUE: dict[Reason, Any] = {
    Reason.NUMBER: lazy_gettext("Write a whole number only (digits, for example 3)."),
    Reason.DATE: lazy_gettext("Write a date, for example 31.12.2025."),
    Reason.TOO_LONG: lazy_gettext("The text is too long for this field."),
    Reason.CONTROL: lazy_gettext(
        "The text has a control character (ESC, NUL ...). Type it in again."
    ),
}


def _study_tasks(db, study, **which: Any) -> list[Any]:
    """Open review tasks of ``study`` (None: no study loaded, every task; intake.scope)."""
    from intake.review import open_tasks
    from intake.scope import task_in_study

    return [t for t in open_tasks(db, **which) if study is None or task_in_study(db, study, t)]


def _study_questions(db, study) -> list[Any]:
    from intake.review import open_questions

    return open_questions(db, language=staff_language(), study_id=study.id if study else None)


def _review_page(error: tuple[int, str, Any] | None = None, status: int = 200):
    from intake.studies import latest_versions

    with reading() as db:
        study = scope.record_or_none(db)
        tasks = [_task_view(db, t) for t in _study_tasks(db, study)]
        questions = _study_questions(db, study)
        forms = [fv.form_key for fv in latest_versions(db, study)] if study is not None else []
    page = render_template(
        "intake/review.html",
        tasks=tasks,
        forms=forms,
        questions=questions,
        action=FlaskForm(),
        error=error,
        reason=scanner_words,
    )
    return page, status


def _question_page(
    form: str | None, item: str | None, error: tuple[int, str, Any] | None = None, status=200
):
    """All open tasks about one question, side by side (the first question when none asked)."""
    from intake.review import QUESTION_KINDS

    with reading() as db:
        study = scope.record_or_none(db)
        questions = _study_questions(db, study)
        chosen = next((q for q in questions if (q.form, q.item) == (form, item)), None)
        if chosen is None and form is None and item is None and questions:
            chosen = questions[0]
        tasks = (
            [
                _task_view(db, t)
                for t in _study_tasks(db, study, form=chosen.form, item=chosen.item)
                if t.kind in QUESTION_KINDS
            ]
            if chosen is not None
            else []
        )
    response = current_app.make_response(
        (
            render_template(
                "intake/review_question.html",
                questions=questions,
                chosen=chosen,
                asked=(form, item),
                tasks=tasks,
                action=FlaskForm(),
                error=error,
            ),
            status,
        )
    )
    response.headers["Content-Security-Policy"] = SCRIPT_POLICY
    return response


@bp.route("/review")
@roles_required("assistant")
def review():
    return _review_page()


@bp.route("/review/question")
@roles_required("assistant")
def review_question():
    """The queue worked question by question: every answer to one question in a grid."""
    return _question_page(request.args.get("form") or None, request.args.get("item") or None)


def _answers_left(form_key: str, item: str) -> str:
    """The by-question page's count line, for the script to put in place after a save."""
    with reading() as db:
        left = len(_study_tasks(db, scope.record_or_none(db), form=form_key, item=item))
    return ngettext("%(num)d answer to see to", "%(num)d answers to see to", left)


def _wants_json() -> bool:
    """The page's script saves an answer in place and asks for JSON; a plain form does not."""
    return request.accept_mimetypes.best_match(["text/html", "application/json"]) == (
        "application/json"
    )


@bp.route("/review/<int:task_id>", methods=["POST"])
@roles_required("assistant")
def resolve(task_id: int):
    from intake.models import ReviewTask, TaskKind
    from intake.review import ReviewError, resolve_task
    from intake.scope import task_in_study

    if not FlaskForm().validate_on_submit():
        abort(400)
    with reading() as db:
        task = db.get(ReviewTask, task_id)
        study = scope.record_or_none(db)
        if task is None or (study is not None and not task_in_study(db, study, task)):
            abort(404)
        kind = task.kind
    value: Any
    if kind == TaskKind.AMBIGUOUS:
        value = request.form.getlist("value")
    elif kind == TaskKind.HANDWRITING:
        value = request.form.get("value", "")
    elif kind == TaskKind.UNIDENTIFIED:
        if request.form.get("discard"):
            value = "discard"
        else:
            value = {
                "participant": request.form.get("participant", "").strip().upper() or None,
                "serial": request.form.get("serial", "").strip() or None,
                "form": request.form.get("form", ""),
                "answers": {},
            }
    else:
        value = request.form.get("value", "")
    # where the assistant came from: one question's grid, or the page-by-page queue
    form_key, item = request.form.get("question_form"), request.form.get("question_item")
    by_question = bool(form_key and item)
    try:
        with writing() as db:
            resolve_task(db, task_id, value, by=_who())
    except UserError as exc:
        # nothing was stored: the page again, the message next to the field and
        # what was typed still in it, so the assistant can correct it
        reason = exc.reason if isinstance(exc, ReviewError) else None
        message = str(_WRONG_VALUE[reason]) if reason is not None else exc.message
        if _wants_json():
            return {"ok": False, "task": task_id, "message": message}, 422
        if by_question:
            return _question_page(form_key, item, (task_id, message, value), status=422)
        return _review_page((task_id, message, value), status=422)
    saved = _("Saved.")
    if _wants_json():
        answer: dict[str, Any] = {"ok": True, "task": task_id, "message": saved}
        if by_question:
            answer["left"] = _answers_left(str(form_key), str(item))
        return answer
    if by_question:
        flash(saved)
        return redirect(url_for("intake.review_question", form=form_key, item=item), code=303)
    flash(_("Task %(num)s resolved.", num=task_id))
    return redirect(url_for("intake.review") + f"#task-{task_id}", code=303)


# ---------------------------------------------------------------- manual entry


def _form_choices() -> list[Any]:
    from intake.studies import latest_versions, stored_form

    with reading() as db:
        try:
            versions = latest_versions(db, scope.record(db))
        except UserError:
            return []
        return [
            choice(
                fv.form_key,
                _(
                    "%(title)s (%(form)s, version %(version)s)",
                    title=stored_form(fv).title.get("en"),
                    form=fv.form_key,
                    version=fv.text_version,
                ),
            )
            for fv in versions
        ]


def _stored_form(form_id: str):
    from intake.studies import form_version, stored_form

    with reading() as db:
        try:
            return stored_form(form_version(db, scope.record(db), form_id))
        except UserError:
            abort(404)


@bp.route("/manual", methods=["GET", "POST"])
@roles_required("assistant")
def manual():
    chooser = ChooseForm()
    chooser.form.choices = _form_choices()
    if chooser.validate_on_submit():
        return redirect(
            url_for(
                "intake.manual_form",
                form_id=chooser.form.data,
                participant=(chooser.participant.data or "").strip().upper(),
                serial=(chooser.serial.data or "").strip(),
            ),
            code=303,
        )
    return render_template("intake/manual.html", chooser=chooser)


@bp.route("/manual/<form_id>", methods=["GET", "POST"])
@roles_required("assistant")
def manual_form(form_id: str):
    from intake.ingest import ingest_manual

    form_def = _stored_form(form_id)
    participant = request.args.get("participant", "").strip().upper() or None
    serial = request.args.get("serial", "").strip() or None
    language = "nb"
    # texts as the paper copy shows them: an earlier answer ({{town}}) is a blank line there
    items = [filled_item(i, form_def, {}) for i in form_def.items()]
    form = build_form_class(items, language)()
    error = None
    if form.validate_on_submit():
        answers = answers_from(form, items)
        stored: dict[str, Any] = {}
        for item in form_def.answerable():
            values = answers.get(item.id)
            if values:
                stored[item.id] = values if item.options() else values[0]
        try:
            with writing() as db:
                study = scope.record(db)
                if participant and scope.elsewhere(db, participant):
                    # said as for an unknown code (intake.ingest): other studies stay unseen
                    entry = request.form.get("entry_id") or ""
                    where = f"manual entry{f' {entry}' if entry else ''}"
                    raise UserError(f"{where}: no participant with code {participant}")
                response, created = ingest_manual(
                    db,
                    study=study,
                    form=form_id,
                    answers=stored,
                    entered_by=_who(),
                    participant=participant,
                    serial=serial,
                    language=language,
                    entry_id=request.form.get("entry_id") or None,
                )
        except UserError as exc:
            error = exc.message
        else:
            who = participant or _("serial %(serial)s", serial=serial)
            if created:
                flash(_("Stored the %(form)s form for %(who)s.", form=form_id, who=who))
            else:
                flash(
                    _(
                        "Stored the %(form)s form for %(who)s"
                        " (it was stored before; nothing changed).",
                        form=form_id,
                        who=who,
                    )
                )
            return redirect(url_for("intake.manual"), code=303)
    blocks = build_blocks(items, form, language, hints=False)
    return render_template(
        "intake/manual_form.html",
        form=form,
        blocks=blocks,
        form_def=form_def,
        participant=participant,
        serial=serial,
        error=error,
        entry_id=secrets.token_hex(8),
    )


# ---------------------------------------------------------------- exports


@bp.route("/exports")
@roles_required("assistant")
def exports():
    return render_template("intake/exports.html")


@bp.route("/exports/results.xlsx", methods=["POST"])
@roles_required("assistant")
def export_results():
    """The results workbook (codes only, no names), logged as an export (so: a POST)."""
    from privacy.exports import results_bytes

    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%d-%H%M")
    name = f"results-{stamp}.xlsx"
    data = results_bytes(
        engine(),
        actor=_who(),
        where=f"web:{name}",
        labels=request.form.get("labels") == "1",
        study_key=scope.study_key(),
    )
    return send_file(
        io.BytesIO(data),
        as_attachment=True,
        download_name=name,
        mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )

"""Citizens' pages: no login; the QR link or the typed answer code opens a short session.

Opening ``/r/<token>`` changes no data: it starts a server-side session for the
invitation and redirects (303) to pages whose URLs carry no token. Every page
below works without JavaScript; answers are kept on the server between pages.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    g,
    make_response,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_wtf import FlaskForm
from sqlalchemy.exc import IntegrityError
from werkzeug.datastructures import MultiDict
from wtforms import StringField

from forms.model import Form, Item, ItemType, Section

from .. import drafts, portal, ratelimit, sessions, texts
from ..database import reading, writing
from ..formgen import (
    GROUPED_TYPES,
    answers_from,
    build_form_class,
    field_name,
    to_form_data,
    web_items,
)
from ..markup import letter_html
from ..relevance import is_relevant

bp = Blueprint("citizen", __name__)

LANG_KEY = "lang"
PENDING_KEY = "pending"  # what was typed when the session ran out, kept for the next login
MAX_PENDING_CHARS = 50_000


class CodeForm(FlaskForm):
    code = StringField(
        validators=[],
        render_kw={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"},
    )


class ButtonForm(FlaskForm):
    """Only the CSRF token: for buttons that change something."""


# ---------------------------------------------------------------- helpers


def language() -> str:
    visit = g.get("visit")
    lang = session.get(LANG_KEY)
    allowed = visit.study.languages if visit else tuple(texts.LANGUAGE_NAMES)
    if lang in allowed:
        return lang
    return visit.language if visit else "nb"


def render(template: str, status: int = 200, **context: Any) -> Response:
    lang = language()
    visit = g.get("visit")
    languages = visit.study.languages if visit else tuple(texts.LANGUAGE_NAMES)
    body = render_template(
        template,
        lang=lang,
        t=lambda key, **v: texts.ui(key, lang, **v),
        languages=[(code, texts.LANGUAGE_NAMES.get(code, code)) for code in languages],
        skip_text=texts.ui("skip", lang),
        visit=visit,
        switch=ButtonForm(),
        **context,
    )
    return make_response(body, status)


def _begin(invitation_id: int) -> None:
    pending = session.get(PENDING_KEY)
    sessions.start(session, "citizen", invitation_id=invitation_id)
    if pending:
        session[PENDING_KEY] = pending


def citizen_page(view: Callable[..., Any]) -> Callable[..., Any]:
    """Pages that need an open invitation; others see a friendly "time ran out" page."""

    @functools.wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        visit = _current_visit()
        if visit is None:
            return _ended()
        return view(*args, **kwargs)

    return wrapper


def _current_visit() -> portal.Visit | None:
    if "visit" in g:
        return g.visit
    g.visit = None
    if session.get(sessions.KIND_KEY) == "citizen" and session.get(sessions.INVITATION_KEY):
        g.visit = portal.open_visit(int(session[sessions.INVITATION_KEY]))
        if g.visit is None:  # revoked or erased meanwhile: end the session
            sessions.end(session)
    return g.visit


def _ended(status: int = 200) -> Response:
    return render("citizen/ended.html", status, form=CodeForm())


def _client_address() -> str:
    return request.remote_addr or "unknown"


def _limits(scope: str) -> tuple[list[tuple[str, int]], dt.timedelta]:
    cfg = current_app.config
    per_address, overall = (
        (cfg["CODE_ATTEMPTS_PER_ADDRESS"], cfg["CODE_ATTEMPTS_GLOBAL"])
        if scope == "code"
        else (cfg["LINK_FAILURES_PER_ADDRESS"], cfg["LINK_FAILURES_GLOBAL"])
    )
    return (
        [
            (ratelimit.address_key(scope, _client_address()), per_address),
            (f"{scope}:{ratelimit.GLOBAL_KEY}", overall),
        ],
        dt.timedelta(minutes=cfg["CODE_WINDOW_MINUTES"]),
    )


def _rate_ok(scope: str) -> bool:
    """Count one attempt; False when this address or the whole site has used up its tries."""
    return ratelimit.hit(*_limits(scope))


# ---------------------------------------------------------------- entry


@bp.route("/")
def home():
    """The short address printed on the letter: type the answer code here."""
    return render("citizen/code.html", form=CodeForm(), error=None)


@bp.route("/r/<token>")
def open_link(token: str):
    """The QR code's link: start a session for the invitation and move on to a token-free URL."""
    # a real token is not guessable, so only wrong links count against the limits
    if not ratelimit.allowed(*_limits("link")):
        return render(
            "citizen/code.html", 429, form=CodeForm(), error=texts.ui("too_many", language())
        )
    invitation_id = portal.invitation_for_token(token)
    if invitation_id is None:
        ratelimit.hit(*_limits("link"))
        return render("citizen/not_found.html", 404)
    _begin(invitation_id)
    return redirect(url_for("citizen.start"), code=303)


@bp.route("/a/<form_id>/<version>/<serial>")
def anonymous_copy(form_id: str, version: str, serial: str):
    # anonymous paper copies are answered on paper only; the QR code is for the scanner
    return render("citizen/anonymous.html")


@bp.route("/code", methods=["GET", "POST"])
def code():
    form = CodeForm()
    error = None
    status = 200
    if request.method == "POST" and form.validate_on_submit():
        typed = (form.code.data or "").strip()
        if not typed:
            error = texts.ui("code_empty", language())
        elif not _rate_ok("code"):
            error, status = texts.ui("too_many", language()), 429
        else:
            invitation_id = portal.invitation_for_code(typed)
            if invitation_id is None:
                error, status = texts.ui("code_wrong", language()), 404
            else:
                _begin(invitation_id)
                return redirect(url_for("citizen.start"), code=303)
    return render("citizen/code.html", status, form=form, error=error)


@bp.route("/language", methods=["POST"])
def switch_language():
    """Change the page language (a small form per language: no script, no state change on GET)."""
    wanted = request.form.get("lang", "")
    if ButtonForm().validate_on_submit() and wanted in texts.LANGUAGE_NAMES:
        session[LANG_KEY] = wanted
    back = request.form.get("next", "")
    if not back.startswith("/") or back.startswith("//"):
        back = url_for("citizen.home")
    return redirect(back, code=303)


# ---------------------------------------------------------------- letter and consent


def _consent_done(visit: portal.Visit) -> bool:
    if visit.consent_form is None:
        return True
    with reading() as db:
        if drafts.load(db, visit.invitation_id, visit.consent_form.id).submitted:
            return True
    return portal.has_consent_events(visit)


def _next_questionnaire(visit: portal.Visit) -> tuple[Form, int] | None:
    """The first questionnaire not yet answered (on the web or on paper), and its page."""
    answered = portal.answered_forms(visit)
    with reading() as db:
        for form in visit.questionnaires:
            if form.id in answered:
                continue
            draft = drafts.load(db, visit.invitation_id, form.id)
            if not draft.submitted:
                return form, min(max(draft.page, 1), len(form.sections))
    return None


@bp.route("/start")
@citizen_page
def start():
    visit = g.visit
    lang = language()
    letter = None
    try:
        letter = visit.study.letter("invitation").body.get(lang, easy=True)
    except KeyError:
        pass
    if _consent_done(visit):
        return redirect(url_for("citizen.consents"), code=303)
    # a letter that opens with its own "# heading" supplies the page's h1
    own_title = bool(letter) and letter.lstrip().startswith("# ")
    return render(
        "citizen/letter.html",
        own_title=own_title,
        letter=letter_html(letter, top_heading=1 if own_title else 2) if letter else None,
    )


@bp.route("/information")
@citizen_page
def information():
    from forms.information import information_letter

    info = information_letter(g.visit.study, language(), fallback="en")
    return render("citizen/information.html", info=info)


@dataclass(frozen=True)
class Block:
    """One item on a page: its text, and its field when it takes an answer."""

    item: Item
    field: Any
    label: str
    hint: str | None
    grouped: bool
    required: bool
    options: tuple[tuple[str, str], ...] = ()  # (value, label) of each box, in print order
    multiple: bool = False  # boxes are checkboxes (any number), not radio buttons


def _blocks(items: list[Item], form: FlaskForm, lang: str) -> list[Block]:
    out = []
    for item in items:
        field = getattr(form, field_name(item), None)
        hint = item.hint.get(lang) if item.hint else None
        if item.type == ItemType.SCALE and item.scale_low and item.scale_high:
            extra = texts.ui(
                "scale_hint",
                lang,
                low=item.scale_low.get(lang),
                high_n=item.scale_max,
                high=item.scale_high.get(lang),
            )
            hint = f"{hint} {extra}" if hint else extra
        if item.type == ItemType.DATE:
            hint = f"{hint} {texts.ui('date_hint', lang)}" if hint else texts.ui("date_hint", lang)
        if field is None and item.type != ItemType.INFO:
            continue  # e.g. a signature: given on paper; on the web the send button is the act
        out.append(
            Block(
                item,
                field,
                item.label.get(lang),
                hint,
                item.type in GROUPED_TYPES,
                item.required,
                tuple((c.value, c.label.get(lang)) for c in item.options()),
                item.type in (ItemType.MULTIPLE_CHOICE, ItemType.CONSENT),
            )
        )
    return out


def _error_links(blocks: list[Block]) -> list[tuple[str, str]]:
    links = []
    for block in blocks:
        if block.field is not None and block.field.errors:
            target = f"{block.field.id}-0" if block.grouped else block.field.id
            links.append((target, block.field.errors[0]))
    return links


def _pending_for(path: str) -> MultiDict | None:
    pending = session.get(PENDING_KEY)
    if pending and pending.get("path") == path:
        session.pop(PENDING_KEY, None)
        return MultiDict([(k, v) for k, values in pending["form"].items() for v in values])
    return None


@bp.route("/consent", methods=["GET", "POST"])
@citizen_page
def consent():
    visit = g.visit
    form_def = visit.consent_form
    if form_def is None or _consent_done(visit):
        return redirect(url_for("citizen.consents"), code=303)
    return _consent_page(visit, form_def)


def _consent_page(
    visit: portal.Visit,
    form_def: Form,
    *,
    formdata: MultiDict | None = None,
    notice: str | None = None,
) -> Response:
    from forms.information import information_letter

    lang = language()
    # on the web the consent boxes are the whole declaration: the send button signs and dates
    items = [i for i in form_def.items() if i.type in (ItemType.CONSENT, ItemType.INFO)]
    form_class = build_form_class(items, lang)
    pending = _pending_for(request.path)
    if pending is not None:
        formdata, notice = pending, texts.ui("csrf_again", lang)
    form = form_class(formdata=formdata) if formdata is not None else form_class()
    extra_error = None
    if formdata is None and request.method == "POST" and form.validate_on_submit():
        answers = answers_from(form, items)
        missing = [
            item
            for item in items
            if item.type == ItemType.CONSENT
            and item.consent_item
            and _required_consent(visit, item.consent_item)
            and item.id not in answers
        ]
        if missing:
            extra_error = texts.ui("consent_needed", lang, item=missing[0].label.get(lang))
            getattr(form, field_name(missing[0])).errors.append(extra_error)
        else:

            def send() -> None:
                # one transaction: the response, the ledger events and the draft's mark
                with writing() as db:
                    draft = drafts.ensure(db, visit.invitation_id, form_def.id)
                    portal.submit(
                        db,
                        visit,
                        form_def,
                        answers,
                        submission_id=draft.submission_id,
                        language=lang,
                    )
                    drafts.mark_submitted(db, visit.invitation_id, form_def.id)

            once_more_on_conflict(send)
            following = _next_questionnaire(visit)
            if following:
                return redirect(
                    url_for("citizen.questions", form_id=following[0].id, page=1), code=303
                )
            return redirect(url_for("citizen.thanks"), code=303)
    blocks = []
    for block in _blocks(items, form, lang):
        consent_item = block.item.consent_item
        if block.field is not None and consent_item and _required_consent(visit, consent_item):
            # the declaration's note says: items marked with * must be ticked to take part
            block = dataclasses.replace(block, label=f"{block.label} *", required=True)
        blocks.append(block)
    first_box = next((n for n, b in enumerate(blocks) if b.field is not None), len(blocks))
    last_box = max((n for n, b in enumerate(blocks) if b.field is not None), default=-1)
    declaration = information_letter(visit.study, lang, fallback="en").declaration
    return render(
        "citizen/consent.html",
        form=form,
        errors=_error_links(blocks),
        before=blocks[:first_box],
        boxes=[b for b in blocks if b.field is not None],
        after=blocks[last_box + 1 :],
        declaration=declaration,
        notice=notice,
        any_required=any(b.required for b in blocks if b.field is not None),
        title=form_def.title.get(lang),
    )


def _required_consent(visit: portal.Visit, consent_item: str) -> bool:
    try:
        return visit.study.consent_item(consent_item).required
    except KeyError:
        return False


# ---------------------------------------------------------------- questionnaire


def _questionnaire(visit: portal.Visit, form_id: str) -> Form:
    for form in visit.questionnaires:
        if form.id == form_id:
            return form
    abort(404)


@bp.route("/questions/<form_id>/<int:page>", methods=["GET", "POST"])
@citizen_page
def questions(form_id: str, page: int):
    visit = g.visit
    form_def = _questionnaire(visit, form_id)
    if not 1 <= page <= len(form_def.sections):
        abort(404)
    if not _consent_done(visit):
        return redirect(url_for("citizen.consent"), code=303)
    with reading() as db:
        draft = drafts.load(db, visit.invitation_id, form_def.id)
    if draft.submitted:
        return redirect(url_for("citizen.thanks"), code=303)
    return _questions_page(visit, form_def, page, draft)


def _questions_page(
    visit: portal.Visit,
    form_def: Form,
    page: int,
    draft: drafts.Draft,
    *,
    formdata: MultiDict | None = None,
    notice: str | None = None,
) -> Response:
    lang = language()
    section: Section = form_def.sections[page - 1]
    # questions whose `relevant` is false for the answers on other pages are left out
    on_page = {i.id for i in section.items}
    elsewhere = {k: v for k, v in draft.answers.items() if k not in on_page}
    items = [i for i in section.items if is_relevant(i.relevant, elsewhere)]
    answerable = web_items(section.items)  # a left-out question's old answer is dropped too
    form_class = build_form_class(items, lang)
    pending = _pending_for(request.path)
    if pending is not None:
        formdata, notice = pending, texts.ui("csrf_again", lang)
    if formdata is not None:
        form = form_class(formdata=formdata)
    elif request.method == "POST":
        form = form_class()
    else:
        form = form_class(data=to_form_data(items, draft.answers))
    total = len(form_def.sections)
    if formdata is None and request.method == "POST":
        # CSRFProtect has checked the token before this view runs
        valid = form.validate_on_submit()
        if "back" in request.form:
            # Back keeps what was typed without checking it
            _save(visit, form_def, answers_from(form, items), answerable, page - 1)
            if page == 1:
                return redirect(url_for("citizen.consents"), code=303)
            return redirect(
                url_for("citizen.questions", form_id=form_def.id, page=page - 1), code=303
            )
        if valid:

            def save_and_send() -> int | None:
                # one transaction: the page's answers and, on the last page, the send
                with writing() as db:
                    saved = drafts.save(
                        db,
                        visit.invitation_id,
                        form_def.id,
                        answers=answers_from(form, items),
                        replace_items=[i.id for i in answerable],
                        page=page,
                    )
                    if page < total:
                        return None
                    gap = _first_page_missing(form_def, saved.answers)
                    if gap is None and not saved.submitted:
                        portal.submit(
                            db,
                            visit,
                            form_def,
                            _relevant_answers(form_def, saved.answers),
                            submission_id=saved.submission_id,
                            language=lang,
                        )
                        drafts.mark_submitted(db, visit.invitation_id, form_def.id)
                    return gap

            first_gap = once_more_on_conflict(save_and_send)
            if page < total:
                return redirect(
                    url_for("citizen.questions", form_id=form_def.id, page=page + 1), code=303
                )
            if first_gap is not None:
                return redirect(
                    url_for("citizen.questions", form_id=form_def.id, page=first_gap), code=303
                )
            following = _next_questionnaire(visit)
            if following:
                return redirect(
                    url_for("citizen.questions", form_id=following[0].id, page=1), code=303
                )
            return redirect(url_for("citizen.thanks"), code=303)
    blocks = _blocks(items, form, lang)
    return render(
        "citizen/questions.html",
        form=form,
        blocks=blocks,
        errors=_error_links(blocks),
        page=page,
        total=total,
        section=section,
        notice=notice,
        title=form_def.title.get(lang),
        section_title=section.title.get(lang) if section.title else None,
        section_intro=section.intro.get(lang) if section.intro else None,
        saved_note=draft.page > 0,
    )


def once_more_on_conflict(work: Callable[[], Any]) -> Any:
    """Run a write again if a concurrent twin (a double click) won a unique-key race.

    SQLite queues writers (BEGIN IMMEDIATE); PostgreSQL lets both start, and the
    loser's insert of the same draft or submission id fails. The second run finds
    what the twin stored and changes nothing (sends are idempotent).
    """
    try:
        return work()
    except IntegrityError:
        return work()


def _save(
    visit: portal.Visit,
    form_def: Form,
    answers: dict[str, list[str]],
    answerable: list[Item],
    page: int,
) -> drafts.Draft:
    with writing() as db:
        return drafts.save(
            db,
            visit.invitation_id,
            form_def.id,
            answers=answers,
            replace_items=[i.id for i in answerable],
            page=page,
        )


def _relevant_answers(form_def: Form, answers: dict[str, list[str]]) -> dict[str, list[str]]:
    """The answers to send: those to questions that are relevant for the other answers."""
    return {
        k: v
        for k, v in answers.items()
        if k not in _item_ids(form_def) or is_relevant(form_def.item(k).relevant, answers)
    }


def _item_ids(form_def: Form) -> set[str]:
    return {i.id for i in form_def.items()}


def _first_page_missing(form_def: Form, answers: dict[str, list[str]]) -> int | None:
    for number, section in enumerate(form_def.sections, start=1):
        for item in web_items(section.items):
            if item.required and not answers.get(item.id) and is_relevant(item.relevant, answers):
                return number
    return None


# ---------------------------------------------------------------- after sending


@bp.route("/thanks")
@citizen_page
def thanks():
    following = _next_questionnaire(g.visit)
    return render("citizen/thanks.html", following=following)


@bp.route("/receipt.pdf")
@citizen_page
def receipt():
    pdf = portal.receipt_pdf(g.visit, language())
    response = make_response(pdf)
    response.headers["Content-Type"] = "application/pdf"
    response.headers["Content-Disposition"] = 'attachment; filename="samtykke-kvittering.pdf"'
    return response


@bp.route("/consents")
@citizen_page
def consents():
    visit = g.visit
    lines = portal.consent_lines(visit, language())
    following = _next_questionnaire(visit) if _consent_done(visit) else None
    return render(
        "citizen/consents.html",
        lines=lines,
        following=following,
        consent_open=not _consent_done(visit),
        form=ButtonForm(),
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


# ---------------------------------------------------------------- CSRF failures


def recover_after_csrf_failure() -> Response:
    """A citizen's form came back without a valid CSRF token: never lose what was typed.

    With the session still open, the page is shown again filled with the typed
    values and a fresh token. With the session gone, the typed values are kept in
    a new session and put back after the person opens the link or types the code.
    """
    lang = language()
    typed = {k: v for k, v in request.form.lists() if k != "csrf_token"}
    visit = _current_visit()
    endpoint = request.endpoint or ""
    if visit is None:
        if sum(
            len(v) for values in typed.values() for v in values
        ) <= MAX_PENDING_CHARS and endpoint in ("citizen.consent", "citizen.questions"):
            session[PENDING_KEY] = {"path": request.path, "form": typed}
        return _ended()
    formdata = MultiDict([(k, v) for k, values in typed.items() for v in values])
    notice = texts.ui("csrf_again", lang)
    if endpoint == "citizen.questions":
        form_def = _questionnaire(visit, request.view_args["form_id"])
        page = request.view_args["page"]
        if not 1 <= page <= len(form_def.sections):
            abort(404)
        with reading() as db:
            draft = drafts.load(db, visit.invitation_id, form_def.id)
        return _questions_page(visit, form_def, page, draft, formdata=formdata, notice=notice)
    if endpoint == "citizen.consent" and visit.consent_form is not None:
        return _consent_page(visit, visit.consent_form, formdata=formdata, notice=notice)
    if endpoint == "citizen.code":
        return render("citizen/code.html", form=CodeForm(formdata=formdata), error=notice)
    return render(
        "citizen/consents.html",
        lines=portal.consent_lines(visit, lang),
        following=None,
        consent_open=False,
        form=ButtonForm(),
        notice=notice,
    )

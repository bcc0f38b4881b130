"""The review queue: what the scanner was unsure of, handwriting, unknown pages, conflicts.

Resolving a task records who did it, when, the old value and the new one. A
response becomes ``verified`` once every one of its tasks is done (conflict
tasks are about two responses and do not hold either back).

What a resolution value means, per kind of task:

- ``ambiguous``: the choice values that are really marked (a list; empty for none);
- ``handwriting``: the text as written (empty for nothing written);
- ``unidentified``: ``"discard"`` for a page that is not a form, or
  ``{"participant": "P-7K3M", "form": "consent", "version": "...", "answers": {...}}``
  (or ``"serial"`` instead of ``"participant"``) to assign the page; the answers
  are typed in from the page image and stored as a manual response;
- ``conflict``: ``"keep-both"``, ``"paper"`` or ``"web"``: which answers count
  (both responses are always kept; the decision is recorded).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from forms.answers import Reason
from forms.errors import UserError

from .ingest import IngestError, check_answers, ingest_manual, maybe_hand_over, refresh_status
from .models import (
    FormVersion,
    Participant,
    Response,
    ResponseStatus,
    ReviewTask,
    ScannedPage,
    TaskKind,
    TaskStatus,
    utcnow,
)
from .studies import stored_form

CONFLICT_DECISIONS = ("keep-both", "paper", "web")


class ReviewError(UserError):
    """A review task cannot be resolved as asked.

    ``reason`` is set when the value does not fit the item's type (a number that
    is not digits, a date that is not a date, a control character), so the web
    page can say so in its own words next to the field.
    """

    def __init__(self, message: str, *, reason: Reason | None = None) -> None:
        super().__init__(message)
        self.reason = reason


def parse_value(text: str) -> Any:
    """A command-line value: JSON when it looks like JSON, else the plain text."""
    stripped = text.strip()
    if stripped[:1] in ("{", "["):
        try:
            return json.loads(stripped)
        except json.JSONDecodeError as exc:
            raise ReviewError(f"the value looks like JSON but is not valid: {exc.msg}") from exc
    return text


def open_tasks(
    session: Session,
    *,
    include_done: bool = False,
    form: str | None = None,
    item: str | None = None,
) -> list[ReviewTask]:
    """The queue, oldest first; ``form`` and ``item`` keep one question's tasks only."""
    query = select(ReviewTask).order_by(ReviewTask.id)
    if not include_done:
        query = query.where(ReviewTask.status == TaskStatus.OPEN)
    if item is not None:
        query = query.where(ReviewTask.item == item)
    if form is not None:
        query = (
            query.join(Response, Response.id == ReviewTask.response_id)
            .join(FormVersion, FormVersion.id == Response.form_version_id)
            .where(FormVersion.form_key == form)
        )
    return list(session.scalars(query))


#: Tasks about one question's answer (the others are about a whole page or two responses).
QUESTION_KINDS = (TaskKind.AMBIGUOUS, TaskKind.HANDWRITING)


@dataclass(frozen=True)
class OpenQuestion:
    """One question with open review tasks: worked through in a row, answer after answer."""

    form: str
    item: str
    label: str  # the question's text, in the language asked for
    count: int


def open_questions(
    session: Session, *, language: str = "nb", study_id: int | None = None
) -> list[OpenQuestion]:
    """Every question with open tasks, form by form in the order the form asks them.

    ``study_id`` keeps one study's forms only (several studies in one install)."""
    in_study = [FormVersion.study_id == study_id] if study_id is not None else []
    rows = session.execute(
        select(FormVersion.form_key, ReviewTask.item, func.count(ReviewTask.id))
        .join(Response, Response.id == ReviewTask.response_id)
        .join(FormVersion, FormVersion.id == Response.form_version_id)
        .where(
            ReviewTask.status == TaskStatus.OPEN,
            ReviewTask.kind.in_([str(k) for k in QUESTION_KINDS]),
            ReviewTask.item.is_not(None),
            *in_study,
        )
        .group_by(FormVersion.form_key, ReviewTask.item)
    ).all()
    questions = []
    for form_key, item_id, count in rows:
        version = session.scalars(
            select(FormVersion)
            .where(FormVersion.form_key == form_key, *in_study)
            .order_by(FormVersion.id.desc())
        ).first()
        item_id = str(item_id)
        order, label = 10**6, item_id
        if version is not None:
            form = stored_form(version)
            ids = [i.id for i in form.items()]
            if item_id in ids:
                order = ids.index(item_id)
                label = form.item(item_id).label.get(language, fallback="nb")
        questions.append((form_key, order, OpenQuestion(form_key, item_id, label, count)))
    return [q for _, _, q in sorted(questions, key=lambda t: (t[0], t[1], t[2].item))]


def tasks_table(
    session: Session, *, include_done: bool = False
) -> tuple[list[str], list[list[Any]]]:
    """The queue as (headers, rows): codes only, never names."""
    headers = [
        "task",
        "kind",
        "status",
        "participant",
        "form",
        "item",
        "current value",
        "page",
        "created",
        "resolved by",
        "resolved at",
        "new value",
    ]
    rows: list[list[Any]] = []
    for task in open_tasks(session, include_done=include_done):
        response = task.response
        participant = form = None
        if response is not None:
            participant = (
                response.participant.code if response.participant else f"serial {response.serial}"
            )
            form = f"{response.form_version.form_key} {response.form_version.text_version}"
        page = None
        if task.scanned_page_id is not None:
            scanned = session.get(ScannedPage, task.scanned_page_id)
            if scanned is not None:
                # 1-based, as `deltaker scan` reports pages
                page = f"{scanned.file_name} page {scanned.page_index + 1}"
        current = task.old_value
        if task.kind == TaskKind.UNIDENTIFIED:
            current = task.details.get("reason")
        elif task.kind == TaskKind.CONFLICT:
            current = f"responses {task.response_id} and {task.other_response_id}"
        rows.append(
            [
                task.id,
                task.kind,
                task.status,
                participant,
                form,
                task.item,
                _show(current),
                page,
                task.created_at,
                task.resolved_by,
                task.resolved_at,
                _show(task.new_value),
            ]
        )
    return headers, rows


def _show(value: Any) -> Any:
    if isinstance(value, list | dict):
        return json.dumps(value, ensure_ascii=False)
    return value


def resolve_task(session: Session, task_id: int, value: Any, *, by: str) -> ReviewTask:
    """Resolve one task with ``value`` (see the module text), recording who and when."""
    if not by or not by.strip():
        raise ReviewError("say who resolves the task (--by NAME)")
    task = session.get(ReviewTask, task_id)
    if task is None:
        raise ReviewError(f"there is no review task {task_id}")
    if task.status == TaskStatus.DONE:
        raise ReviewError(
            f"task {task_id} was already resolved by {task.resolved_by} at "
            f"{task.resolved_at:%Y-%m-%d %H:%M} UTC"
        )
    handler = {
        TaskKind.AMBIGUOUS: _resolve_answer,
        TaskKind.HANDWRITING: _resolve_answer,
        TaskKind.UNIDENTIFIED: _resolve_unidentified,
        TaskKind.CONFLICT: _resolve_conflict,
    }.get(TaskKind(task.kind))
    if handler is None:  # pragma: no cover - every TaskKind has a handler
        raise ReviewError(f"task {task_id} has an unknown kind {task.kind}")
    handler(session, task, value, by)
    task.status = TaskStatus.DONE
    task.resolved_by = by
    task.resolved_at = utcnow()
    session.flush()
    response = task.response
    if response is not None:
        session.refresh(response, ["tasks"])
        was = response.status
        refresh_status(response)
        if response.status == ResponseStatus.VERIFIED and was != ResponseStatus.VERIFIED:
            response.verified_by = by
            response.verified_at = task.resolved_at
        maybe_hand_over(session, response, stored_form(response.form_version))
    session.flush()
    return task


def _resolve_answer(session: Session, task: ReviewTask, value: Any, by: str) -> None:
    response = task.response
    assert response is not None and task.item is not None
    form = stored_form(response.form_version)
    item = form.item(task.item)
    if item.options():
        if isinstance(value, str):
            value = [v.strip() for v in value.split(",") if v.strip()]
        if not isinstance(value, list):
            raise ReviewError(f"task {task.id}: give the marked choices, like 'yes' or 'a,b'")
    elif value is not None and not isinstance(value, str):
        raise ReviewError(f"task {task.id}: give the text as written")
    try:
        clean = check_answers(form, {task.item: value}, where=f"task {task.id}")
    except IngestError as exc:
        raise ReviewError(exc.message, reason=exc.reason) from exc
    answers = dict(response.answers or {})
    task.old_value = answers.get(task.item)
    new = clean.get(task.item)
    if new is None:
        answers.pop(task.item, None)
    else:
        answers[task.item] = new
    response.answers = answers
    task.new_value = new


def _resolve_unidentified(session: Session, task: ReviewTask, value: Any, by: str) -> None:
    task.old_value = None
    if value == "discard":
        task.new_value = "discard"
        return
    if (
        not isinstance(value, Mapping)
        or "form" not in value
        or not (value.get("participant") or value.get("serial"))
    ):
        raise ReviewError(
            f"task {task.id}: give 'discard' or JSON like "
            '{"participant": "P-7K3M", "form": "consent", "answers": {...}}'
        )
    page = session.get(ScannedPage, task.scanned_page_id) if task.scanned_page_id else None
    participant = value.get("participant")
    if (
        participant is not None
        and session.scalars(select(Participant).where(Participant.code == participant)).first()
        is None
    ):
        raise ReviewError(f"task {task.id}: no participant with code {participant}")
    try:
        response, _created = ingest_manual(
            session,
            form=str(value["form"]),
            version=value.get("version"),
            answers=value.get("answers") or {},
            entered_by=by,
            participant=participant,
            serial=value.get("serial"),
            language=value.get("language"),
            scanned_page=page,
        )
    except IngestError as exc:
        raise ReviewError(exc.message, reason=exc.reason) from exc
    except UserError as exc:
        raise ReviewError(exc.message) from exc
    task.new_value = {
        k: value[k] for k in ("participant", "serial", "form", "version") if value.get(k)
    } | {"response": response.id}


def _resolve_conflict(session: Session, task: ReviewTask, value: Any, by: str) -> None:
    if value not in CONFLICT_DECISIONS:
        raise ReviewError(
            f"task {task.id}: say which answers count: {', '.join(CONFLICT_DECISIONS)}"
        )
    task.old_value = None
    task.new_value = value


def task_image(session: Session, task_id: int) -> str:
    """The evidence hash of what a person must look at: the field's crop or the page."""
    task = session.get(ReviewTask, task_id)
    if task is None:
        raise ReviewError(f"there is no review task {task_id}")
    if task.thumbnail_sha256:
        return task.thumbnail_sha256
    if task.scanned_page_id is not None:
        page = session.get(ScannedPage, task.scanned_page_id)
        if page is not None and page.image_sha256:
            return page.image_sha256
    raise ReviewError(f"task {task_id} has no image (it did not come from a scanned page)")

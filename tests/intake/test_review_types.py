"""Review corrections go through the item's type, on the command line and on the web.

A correction that is not a number, not a date, or holds a control character is
refused with one clear message, and no row of the database changes (a signed
consent form's date included, which would otherwise make the form verified).
"""

from __future__ import annotations

import re
import sys

import pytest
from sqlalchemy import select

from forms.answers import WRITTEN_PARSERS, Reason
from forms.errors import UserError
from forms.model import WRITTEN_TYPES
from intake.db import read_scope, session_scope
from intake.ingest import ingest_manual, ingest_page_results
from intake.models import Response, ReviewTask
from intake.review import ReviewError, resolve_task
from printing.layout_map import FieldKind
from scan.results import FieldResult, MarkState
from tests.intake.helpers import dump
from tests.intake.test_ingest import loaded, page  # noqa: F401  # the fixture is reused
from tests.webapp.webhelpers import add_staff, csrf, login

HYPERLINK = '=HYPERLINK("http://evil.example","klikk")'

#: (item, wrong correction, why it is wrong); items of tests.factories' families form
BAD: list[tuple[str, str, Reason]] = [
    ("rooms", "\x1b[2J3", Reason.NUMBER),
    ("rooms", "ESC\x1b", Reason.NUMBER),
    ("rooms", "12a", Reason.NUMBER),
    ("rooms", "1.5", Reason.NUMBER),
    ("rooms", "=1+1", Reason.NUMBER),
    ("rooms", "1234567890123", Reason.NUMBER),
    ("rooms", "to", Reason.NUMBER),
    ("moved", "nul\x00x", Reason.DATE),
    ("moved", "2024-05-01\x00", Reason.DATE),
    ("moved", HYPERLINK, Reason.DATE),
    ("moved", "31.02.2025", Reason.DATE),
    ("moved", "i fjor", Reason.DATE),
    ("moved", "2024-13-01", Reason.DATE),
    ("name", "Ola\x1b[31m", Reason.CONTROL),
    ("name", "bell\x07", Reason.CONTROL),
    ("name", "back\x08space", Reason.CONTROL),
    ("name", "two\nlines", Reason.CONTROL),
    ("name", "c1\x9b", Reason.CONTROL),
    ("name", "x" * 501, Reason.TOO_LONG),
    ("story", "line\x1b]0;title\x07", Reason.CONTROL),
    ("story", "nul\x00", Reason.CONTROL),
    ("story", "del\x7f", Reason.CONTROL),
    ("story", "x" * 5001, Reason.TOO_LONG),
]
GOOD: list[tuple[str, str, str]] = [
    ("rooms", "3", "3"),
    ("rooms", " 1 200 ", "1 200"),
    ("rooms", "-2", "-2"),
    ("moved", "01.05.2024", "2024-05-01"),
    ("moved", "2024-05-01", "2024-05-01"),
    ("name", "Åse Ørnulf-Ødegård", "Åse Ørnulf-Ødegård"),
    ("story", "Vi bor trangt.\nTo rom.\tFire barn.", "Vi bor trangt.\nTo rom.\tFire barn."),
]


def test_every_written_type_has_one_parser() -> None:
    assert set(WRITTEN_PARSERS) == WRITTEN_TYPES


def _handwriting_task(engine, item: str, *, form: str = "families", answers=None) -> int:
    result = page(
        engine,
        form=form,
        status="needs_review",
        answers=answers or {},
        fields=[FieldResult(item, None, MarkState.MARKED, 0.2, 0.5, FieldKind.TEXT)],
        needs_review=[item],
    )
    with session_scope(engine) as session:
        ingest_page_results(session, [result])
    with read_scope(engine) as session:
        return session.scalars(select(ReviewTask.id).where(ReviewTask.item == item)).one()


@pytest.mark.parametrize(("item", "value", "reason"), BAD, ids=[repr(v)[:24] for _, v, _ in BAD])
def test_a_wrong_correction_is_refused_and_changes_nothing(loaded, item, value, reason):  # noqa: F811
    task_id = _handwriting_task(loaded, item)
    before = dump(loaded)
    with session_scope(loaded) as session, pytest.raises(ReviewError) as caught:
        resolve_task(session, task_id, value, by="Assistent A")
    assert caught.value.reason == reason
    assert f"'{item}'" in caught.value.message and "\n" not in caught.value.message
    assert dump(loaded) == before


@pytest.mark.parametrize(("item", "value", "stored"), GOOD)
def test_a_right_correction_is_stored_as_its_type_stores_it(loaded, item, value, stored):  # noqa: F811
    task_id = _handwriting_task(loaded, item)
    with session_scope(loaded) as session:
        resolve_task(session, task_id, value, by="Assistent A")
    with read_scope(loaded) as session:
        assert session.scalars(select(Response)).one().answers[item] == stored


@pytest.mark.parametrize("value", [HYPERLINK, "nul\x00x", "\x1b[2J", "i går"])
def test_a_signed_consent_form_with_a_wrong_date_stays_unverified(loaded, value):  # noqa: F811
    task_id = _handwriting_task(
        loaded, "signed_on", form="consent", answers={"c_interview": ["yes"], "signature": "x"}
    )
    before = dump(loaded)
    with session_scope(loaded) as session, pytest.raises(ReviewError):
        resolve_task(session, task_id, value, by="Assistent A")
    assert dump(loaded) == before
    with read_scope(loaded) as session:
        assert session.scalars(select(Response)).one().status != "verified"


@pytest.mark.parametrize(("item", "value", "reason"), BAD[::3])
def test_manual_entry_uses_the_same_check(loaded, item, value, reason):  # noqa: F811
    before = dump(loaded)
    with session_scope(loaded) as session, pytest.raises(UserError, match=f"'{item}'"):
        ingest_manual(
            session, form="families", participant="P-AAAA", entered_by="A", answers={item: value}
        )
    assert dump(loaded) == before


@pytest.mark.parametrize(("item", "value", "reason"), BAD[::2])
def test_the_command_line_refuses_it_in_one_line(
    loaded,  # noqa: F811
    item,
    value,
    reason,
    settings,
    capsys,
    monkeypatch,
):
    from webapp.cli import main

    if "\x00" in value:
        pytest.skip("a command-line argument cannot hold NUL")
    task_id = _handwriting_task(loaded, item)
    before = dump(loaded)
    args = ["review", "resolve", str(task_id), "--value", value, "--by", "A"]
    db = ["--data", str(settings.data_dir), "--db", settings.db_url]
    monkeypatch.setattr(sys, "argv", ["deltaker", *args, *db])
    with pytest.raises(SystemExit) as exited:
        main()
    err = capsys.readouterr().err
    assert exited.value.code == 1, err
    assert f"'{item}'" in err and "Traceback" not in err and len(err.strip().splitlines()) == 1
    assert dump(loaded) == before


def _stored(engine) -> dict[str, list[tuple]]:
    # what the study holds; the login's session and audit rows are not under test
    return {k: v for k, v in dump(engine).items() if not k.startswith(("web_", "audit"))}


WEB_BAD = [b for b in BAD if b[0] in ("rooms", "moved", "name")]


@pytest.mark.parametrize(("item", "value", "reason"), WEB_BAD[::2])
def test_the_review_page_says_it_next_to_the_field(loaded, item, value, reason, settings):  # noqa: F811
    from webapp import create_app
    from webapp.database import EXTENSION

    task_id = _handwriting_task(loaded, item)
    app = create_app({"DATA_DIR": str(settings.data_dir), "DATABASE_URL": settings.db_url})
    add_staff(app, "assistant", "assistant")
    client = app.test_client()
    login(client, "assistant")
    queue = client.get("/staff/intake/review")
    before = _stored(loaded)
    sent = client.post(
        f"/staff/intake/review/{task_id}",
        data={"csrf_token": csrf(queue.text), "value": value},
        headers={"Accept-Language": "en"},  # staff pages speak nb, nn, en (webapp.i18n)
    )
    app.extensions[EXTENSION]["engine"].dispose()
    assert sent.status_code == 422
    after = _stored(loaded)
    assert after == before
    # the message sits in the task's form, tied to its input
    section = sent.text[sent.text.index(f'id="task-{task_id}"') :]
    message = re.search(rf'<p class="error-message" id="t{task_id}-error">([^<]+)</p>', section)
    assert message is not None
    expected = {
        Reason.NUMBER: "whole number",
        Reason.DATE: "a date",
        Reason.CONTROL: "control character",
        Reason.TOO_LONG: "too long",
    }[reason]
    assert expected in message.group(1)
    assert f'aria-describedby="t{task_id}-error"' in section
    assert "error-summary" in sent.text and "autofocus" in sent.text.split("error-summary")[1][:60]

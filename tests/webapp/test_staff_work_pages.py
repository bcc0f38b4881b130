"""The assistant's and the DPO's work pages, on data built through the real pipeline.

Letters are printed on the web, filled in and scanned by the simulator
(tests/webapp/pipeline.py), uploaded, read by scan's sandboxed workers; then the
scan results, the review queue by question (plain POST and the script's JSON
save) and the ledger view (filters, paging, "in review", per-person page).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.webapp.pipeline import PEOPLE_CSV, example_app, scanned_consent_pages
from tests.webapp.webhelpers import (
    PACK_NAME,
    csrf,
    import_and_print_on_the_web,
    login,
    upload_scan,
    wait_for_job,
)

pytestmark = pytest.mark.slow


@dataclass(frozen=True)
class Scanned:
    app: Flask
    assistant: FlaskClient
    job_url: str  # the scan job's page (a path)
    job_page: str  # ... once finished


def scan_returned_forms(app: Flask, data_dir: Path, db_url: str, tmp_path: Path) -> Scanned:
    """Two people get letters; both consent pages come back filled in, one cross beside a box."""
    recruiter = app.test_client()
    login(recruiter, "recruiter")
    imported, made = import_and_print_on_the_web(recruiter, PEOPLE_CSV)
    assert "Imported 2 people" in imported
    pack = (data_dir / "web-letters" / PACK_NAME.search(made).group(1)).read_bytes()
    scan = tmp_path / "returned.pdf"
    assert scanned_consent_pages(pack, data_dir, db_url, scan, unsure=1) == 2
    assistant = app.test_client()
    login(assistant, "assistant")  # its browser asks for English pages
    started = upload_scan(assistant, scan)
    assert started.status_code == 303
    url = started.headers["Location"]
    return Scanned(app, assistant, url, wait_for_job(assistant, url))


@pytest.fixture
def scanned(data_dir, db_url, tmp_path):
    with example_app(data_dir, db_url) as app:
        yield scan_returned_forms(app, data_dir, db_url, tmp_path)


def _open_tasks(app: Flask, item: str | None = None) -> list[tuple[int, str, str | None]]:
    from intake.review import open_tasks
    from webapp.database import reading

    with app.app_context(), reading() as db:
        return [(t.id, t.kind, t.item) for t in open_tasks(db, item=item)]


def _rows(page: str) -> list[str]:
    body = page.split("<tbody>", 1)[1].split("</tbody>", 1)[0] if "<tbody>" in page else ""
    return re.findall(r"<tr[^>]*>(.*?)</tr>", body, re.S)


# ---------------------------------------------------------------- scan results


def test_scan_results_start_with_a_summary_and_speak_in_questions(scanned) -> None:
    page = scanned.job_page
    # one line first: how many pages and what became of them
    assert "2 pages: 0 read, 2 to check, 0 unknown" in page
    assert page.index('id="scan-summary"') < page.index("<table")
    # question texts from the stored form version, not item ids or status codes
    assert "Type in:</strong> Your name in block letters" in page
    assert "Type in:</strong> Date" in page
    table = page.split("<table", 1)[1]
    for internal in ("needs_review", "signed_on", ">name<", "unidentified", "group_meetings"):
        assert internal not in table, internal
    # the cross beside a box is a real thing to check, said in words, beside its question
    assert re.search(r"Check:</strong> [^<]+ <span class=\"why\">\(ink beside a box", page)
    # typing in handwriting is routine work: nothing on this upload is in alarm red
    assert 'class="bad"' not in page
    results = [re.findall(r"<td class=\"(todo|good)\">([^<]+)</td>", r) for r in _rows(page)]
    assert sorted(cell for row in results for cell in row) == [
        ("todo", "to check"),
        ("todo", "to type in"),
    ]
    # the file as the assistant named it (no upload prefix)
    assert "returned.pdf<br>page 1" in page
    # and the way on: question by question, or page by page
    assert 'href="/staff/intake/review/question"' in page


# ---------------------------------------------------------------- review by question


def test_review_by_question_works_with_plain_forms(scanned) -> None:
    from intake.models import Response
    from webapp.database import reading

    client = scanned.assistant
    queue = client.get("/staff/intake/review")
    assert "Work by question" in queue.text
    assert 'href="/staff/intake/review/question?form=consent&amp;item=name"' in queue.text
    page = client.get("/staff/intake/review/question?form=consent&item=name")
    assert page.status_code == 200
    assert '<h2 id="question-title">Your name in block letters</h2>' in page.text
    assert "2 answers to see to" in page.text
    names = _open_tasks(scanned.app, "name")
    assert len(names) == 2
    # every answer to the question on one page: a crop and a box each
    for task_id, _, _ in names:
        assert f'id="task-{task_id}"' in page.text and f'id="t{task_id}-text"' in page.text
    assert page.text.count('<img class="crop"') == 2
    # the page-only script policy allows our own script, nothing inline
    csp = page.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "connect-src 'self'" in csp
    assert "'unsafe-inline'" not in csp and "<script>" not in page.text
    assert "script-src 'none'" in queue.headers["Content-Security-Policy"]

    first = names[0][0]
    saved = client.post(
        f"/staff/intake/review/{first}",
        data={
            "csrf_token": csrf(page.text),
            "value": "KARI NORDMANN",
            "question_form": "consent",
            "question_item": "name",
        },
    )
    # without a script: back to the same question, one answer fewer
    assert saved.status_code == 303
    assert saved.headers["Location"].endswith(
        "/staff/intake/review/question?form=consent&item=name"
    )
    again = client.get(saved.headers["Location"])
    assert "Saved." in again.text and "1 answer to see to" in again.text
    assert f'id="task-{first}"' not in again.text
    with scanned.app.app_context(), reading() as db:
        answers = [r.answers.get("name") for r in db.query(Response).all()]
    assert "KARI NORDMANN" in answers

    # a date question takes a date: the same checker as page by page, the text kept
    (date_task, _, _) = _open_tasks(scanned.app, "signed_on")[0]
    dates = client.get("/staff/intake/review/question?form=consent&item=signed_on")
    wrong = client.post(
        f"/staff/intake/review/{date_task}",
        data={
            "csrf_token": csrf(dates.text),
            "value": "Per Hansen",
            "question_form": "consent",
            "question_item": "signed_on",
        },
    )
    assert wrong.status_code == 422
    assert "Write a date, for example 31.12.2025." in wrong.text
    assert 'value="Per Hansen"' in wrong.text and 'aria-invalid="true"' in wrong.text
    assert '<h2 id="question-title">Date</h2>' in wrong.text
    assert (date_task, "handwriting", "signed_on") in _open_tasks(scanned.app, "signed_on")

    # no CSRF token, no change
    refused = client.post(
        f"/staff/intake/review/{date_task}",
        data={"value": "01.12.2026", "question_form": "consent", "question_item": "signed_on"},
    )
    assert refused.status_code == 400


def test_review_by_question_saves_in_place_for_the_script(scanned) -> None:
    client = scanned.assistant
    page = client.get("/staff/intake/review/question?form=consent&item=signed_on")
    (task_id, _, _) = _open_tasks(scanned.app, "signed_on")[0]
    asks_json = {"Accept": "application/json"}
    data = {"csrf_token": csrf(page.text), "question_form": "consent", "question_item": "signed_on"}
    wrong = client.post(
        f"/staff/intake/review/{task_id}", data={**data, "value": "soon"}, headers=asks_json
    )
    assert wrong.status_code == 422
    assert wrong.json == {
        "ok": False,
        "task": task_id,
        "message": "Write a date, for example 31.12.2025.",
    }
    right = client.post(
        f"/staff/intake/review/{task_id}", data={**data, "value": "01.12.2026"}, headers=asks_json
    )
    assert right.status_code == 200 and right.json == {
        "ok": True,
        "task": task_id,
        "message": "Saved.",
        "left": "1 answer to see to",
    }
    assert all(t[0] != task_id for t in _open_tasks(scanned.app))
    no_token = client.post(
        f"/staff/intake/review/{task_id + 1}",
        data={"value": "01.12.2026", "question_form": "consent", "question_item": "signed_on"},
        headers=asks_json,
    )
    assert no_token.status_code == 400
    # a task done already is one clear message, nothing changed
    twice = client.post(
        f"/staff/intake/review/{task_id}", data={**data, "value": "02.12.2026"}, headers=asks_json
    )
    assert twice.status_code == 422 and "already resolved" in twice.json["message"]


def test_the_first_question_opens_when_none_is_chosen(scanned) -> None:
    page = scanned.assistant.get("/staff/intake/review/question")
    # the form's own order: the consent boxes come before the name
    questions = re.findall(r'item=([a-z_]+)"', page.text)
    assert questions[0] == "group_meetings" and questions.index("name") < questions.index(
        "signed_on"
    )
    assert re.search(r'item=group_meetings" aria-current="page"', page.text)
    gone = scanned.assistant.get("/staff/intake/review/question?form=consent&item=nothing")
    assert gone.status_code == 200 and "Nothing left for this question." in gone.text


# ---------------------------------------------------------------- the DPO's ledger


def _dpo(app: Flask) -> FlaskClient:
    client = app.test_client()
    login(client, "dpo")
    return client


def _resolve_everything(scanned: Scanned) -> None:
    from intake.review import resolve_task
    from webapp.database import writing

    with scanned.app.app_context():
        for task_id, kind, item in _open_tasks(scanned.app):
            value: object = {"signed_on": "01.12.2026", "name": "KARI"}.get(item or "", "")
            if kind == "ambiguous":
                value = ["yes"]
            with writing() as db:
                resolve_task(db, task_id, value, by="assistant")


def test_the_ledger_says_in_review_and_filters(scanned) -> None:
    dpo = _dpo(scanned.app)
    page = dpo.get("/staff/audit/")
    assert page.status_code == 200
    assert "10 rows" in page.text  # two people, five consent items
    # signed forms still in the queue are "in review", not "not asked"
    assert page.text.count('class="state-in-review">in review<') == 10
    assert "not asked" not in page.text.split("<table", 1)[1]
    # consent items by their short text, states in words
    assert "group_meetings" not in page.text.split("<table", 1)[1]

    _resolve_everything(scanned)
    everything = dpo.get("/staff/audit/")
    rows = _rows(everything.text)
    assert len(rows) == 10 and "in review" not in everything.text.split("<table", 1)[1]
    codes = sorted(set(re.findall(r">(P-[A-Z0-9]+)</a>", everything.text)))
    assert len(codes) == 2

    def count(**params: str) -> int:
        got = dpo.get("/staff/audit/", query_string=params)
        assert got.status_code == 200, got.text
        return len(_rows(got.text))

    today = dt.datetime.now(dt.UTC).date()
    assert count(participant=codes[0]) == 5
    assert count(participant=codes[0][-3:].lower()) == 5  # part of a code, any case
    assert count(item="audio") == 2
    assert count(channel="paper") == 10 and count(channel="web") == 0
    assert count(state="granted") == 10 and count(state="declined") == 0  # every box crossed
    assert count(state="in review") == 0
    assert count(**{"from": "2026-12-01", "to": "2026-12-01"}) == 10  # the date on the form
    assert count(**{"from": (today + dt.timedelta(days=400)).isoformat()}) == 0
    assert count(to="2026-11-30") == 0
    assert count(participant=codes[1], item="audio", channel="paper") == 1
    # the values stay in the boxes
    kept = dpo.get("/staff/audit/", query_string={"item": "audio", "participant": codes[1]})
    assert f'value="{codes[1]}"' in kept.text and '<option value="audio" selected>' in kept.text


@pytest.mark.parametrize(
    "params, message",
    [
        ({"from": "31.13.2026"}, "«31.13.2026» is not a date. Write it like 31.12.2026."),
        ({"to": "yesterday"}, "«yesterday» is not a date. Write it like 31.12.2026."),
        ({"from": "2026-12-02", "to": "2026-12-01"}, "The &#39;from&#39; date is after"),
        ({"state": "maybe"}, "There is no state «maybe»."),
        ({"channel": "fax"}, "There is no channel «fax»."),
    ],
)
def test_bad_ledger_filters_are_one_clear_message(scanned, params, message) -> None:
    page = _dpo(scanned.app).get("/staff/audit/", query_string=params)
    assert page.status_code == 400
    assert message in page.text and "Traceback" not in page.text
    assert "<tbody>" not in page.text  # no rows that could be taken for the filtered ones
    for value in params.values():
        assert f'value="{value}"' in page.text or value in ("maybe", "fax")


def test_the_person_page_shows_each_scanned_page_once_to_the_minute(scanned) -> None:
    _resolve_everything(scanned)
    dpo = _dpo(scanned.app)
    code = re.findall(r">(P-[A-Z0-9]+)</a>", dpo.get("/staff/audit/").text)[0]
    page = dpo.get(f"/staff/audit/participant/{code}")
    rows = _rows(page.text)
    assert len(rows) == 5  # one signed form: five consent boxes
    images = re.findall(r'<img class="crop" src="/staff/intake/evidence/([0-9a-f]{64})"', page.text)
    assert len(images) == len(set(images)) >= 1  # each image once
    assert page.text.count("the same scanned page as event #") == 4
    times = re.findall(r"<td>(\d{4}-\d\d-\d\d[^<]*)</td>", page.text)
    assert times and all(re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d", t) for t in times), times
    assert "group_meetings" not in page.text.split("<tbody>", 1)[1].split("page_sha256")[0]


def test_the_ledger_pages_by_fifty(app) -> None:
    from intake.models import Participant
    from tests.webapp.webhelpers import add_staff
    from webapp.database import writing

    add_person_count = 30  # 30 people x the factory study's consent items
    with app.app_context(), writing() as db:
        from intake.studies import load_study_into_db

        load_study_into_db(db, app.config["STUDY"])
        for n in range(add_person_count):
            db.add(Participant(code=f"P-{n:04d}", language="nb", status="invited"))
    add_staff(app, "dpo", "dpo")
    dpo = _dpo(app)
    first = dpo.get("/staff/audit/")
    total = int(re.search(r"(\d+) rows", first.text).group(1))
    items = total // add_person_count
    assert total == add_person_count * items and total > 50
    assert len(_rows(first.text)) == 50
    assert "showing 1–50" in first.text and "Page 1 of 2" in first.text
    assert 'rel="next"' in first.text and 'rel="prev"' not in first.text
    second = dpo.get("/staff/audit/?page=2")
    assert len(_rows(second.text)) == total - 50 and 'rel="prev"' in second.text
    assert "P-0000" in first.text and "P-0029" in second.text
    # a page past the end shows the last one; a filter keeps to the pager
    assert len(_rows(dpo.get("/staff/audit/?page=99").text)) == total - 50
    filtered = dpo.get("/staff/audit/?state=not+asked&page=1")
    assert "page=2&amp;state=not+asked" in filtered.text or "state=not+asked&amp;page=2" in (
        filtered.text
    )

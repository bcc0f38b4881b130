"""The example study through the web app with the test client: recruit, answer, withdraw, audit."""

from __future__ import annotations

import io
import re

import pytest
from openpyxl import load_workbook

from tests.webapp.pipeline import (
    BAD_CSV,
    PEOPLE_CSV,
    example_app,
    first_answer_path,
    pdf_text,
)
from tests.webapp.webhelpers import csrf, login


@pytest.fixture
def app(data_dir, db_url):
    with example_app(data_dir, db_url) as app:
        yield app


def _upload(client, text: str):
    page = client.get("/staff/recruit/")
    return client.post(
        "/staff/recruit/import",
        content_type="multipart/form-data",
        data={
            "csrf_token": csrf(page.text),
            "group": "",
            "file": (io.BytesIO(text.encode("utf-8")), "people.csv"),
        },
    )


def _letters(client) -> bytes:
    import time

    page = client.get("/staff/recruit/letters")
    started = client.post(
        "/staff/recruit/letters",
        data={"csrf_token": csrf(page.text), "only_new": "y", "group": "", "codes": ""},
    )
    assert started.status_code == 303
    job_url = started.headers["Location"]
    for _ in range(600):
        made = client.get(job_url)
        if 'http-equiv="refresh"' not in made.text:
            break
        assert "Making letter packs" in made.text
        time.sleep(0.1)
    assert "Printed 2 packs" in made.text, made.text
    name = re.search(r'/staff/recruit/letters/(letters-[^"]+\.pdf)', made.text).group(1)
    pdf = client.post(f"/staff/recruit/letters/{name}", data={"csrf_token": csrf(made.text)})
    assert pdf.headers["Content-Type"] == "application/pdf"
    return pdf.data


def test_recruit_answer_withdraw_audit(app, data_dir) -> None:
    recruiter = app.test_client()
    login(recruiter, "recruiter")
    bad = _upload(recruiter, BAD_CSV)
    assert bad.status_code == 400
    assert "nothing was imported" in bad.text and "row 3" in bad.text
    good = _upload(recruiter, PEOPLE_CSV)
    assert "Imported 2 people" in good.text
    pack = _letters(recruiter)
    path = first_answer_path(pack)

    citizen = app.test_client()
    opened = citizen.get(path)
    assert opened.status_code == 303 and "/r/" not in opened.headers["Location"]
    letter = citizen.get("/start")
    assert "Vil du være med og gjøre hjelpen bedre?" in letter.text
    consent_page = citizen.get("/consent")
    boxes = re.findall(r'name="(q_[a-z_]+)" type="checkbox" value="yes"', consent_page.text)
    assert len(boxes) >= 3
    sent = citizen.post(
        "/consent",
        data={"csrf_token": csrf(consent_page.text), **{name: "yes" for name in boxes[:-1]}},
    )
    assert sent.status_code == 303, sent.text
    # the questionnaire, page by page, answering the required questions
    location = sent.headers["Location"]
    for _ in range(20):
        if not location.startswith("/questions/"):
            break
        page = citizen.get(location)
        data = {"csrf_token": csrf(page.text)}
        for name, value in re.findall(
            r'name="(q_[a-z0-9_]+)" type="radio" value="([^"]+)"', page.text
        ):
            data.setdefault(name, value)
        response = citizen.post(location, data=data)
        assert response.status_code == 303, response.text
        location = response.headers["Location"]
    assert location == "/thanks"
    receipt = citizen.get("/receipt.pdf")
    assert receipt.status_code == 200

    # coming back with the same link: withdraw one item
    later = app.test_client()
    later.get(path)
    status = later.get("/consents")
    granted = re.findall(r'action="/withdraw/([a-z_]+)"', status.text)
    assert len(granted) == len(boxes) - 1
    confirm = later.post(f"/withdraw/{granted[0]}", data={"csrf_token": csrf(status.text)})
    later.post(f"/withdraw/{granted[0]}/confirm", data={"csrf_token": csrf(confirm.text)})
    assert len(re.findall(r'action="/withdraw/', later.get("/consents").text)) == len(granted) - 1

    # the recruiter sees the web answer, the assistant's export has it, the DPO verifies
    overview = recruiter.get("/staff/recruit/").text
    assert "consent: web" in overview and "families: web" in overview
    assistant = app.test_client()
    login(assistant, "assistant")
    exports = assistant.get("/staff/intake/exports")
    workbook = load_workbook(
        io.BytesIO(
            assistant.post(
                "/staff/intake/exports/results.xlsx", data={"csrf_token": csrf(exports.text)}
            ).data
        )
    )
    assert "families" in workbook.sheetnames
    assert workbook["families"].max_row >= 2
    dpo = app.test_client()
    login(dpo, "dpo")
    verified = dpo.get("/staff/audit/verify?run=1")
    assert re.search(r'id="verify-result" class="good">ok: \d+ events', verified.text)
    home = dpo.get("/staff/audit/").text
    assert "withdrawn" in home
    report = dpo.get("/staff/audit/report.pdf")
    assert report.status_code == 200 and "withdraw" in pdf_text(report.data).lower()


def test_a_running_app_picks_up_a_study_loaded_again(app, data_dir, db_url) -> None:
    import datetime as dt

    from sqlalchemy import update

    from intake.models import StudyRecord
    from webapp import study as served
    from webapp.database import writing

    with app.app_context():
        first = served.current_study()
        assert served.current_study() is first  # cached
        with writing() as db:
            db.execute(update(StudyRecord).values(updated_at=dt.datetime.now(dt.UTC)))
        app.extensions["deltaker"]["checked"] = 0.0  # as if the recheck interval had passed
        assert served.current_study() is not first

"""Helpers for the web app tests: participants with invitations, staff users, CSRF tokens."""

from __future__ import annotations

import io
import re
import time
from dataclasses import dataclass
from pathlib import Path

from flask import Flask
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

PASSWORD = "correct horse battery"
#: rate-limit windows start on multiples of their length; a long one keeps a test from
#: straddling a window's start (which would reset the counts halfway)
STEADY_WINDOW_MINUTES = 60 * 24 * 60


@dataclass(frozen=True)
class Person:
    code: str
    invitation_id: int
    token: str
    answer_code: str


def add_person(
    app: Flask, code: str = "P-7K3M", language: str = "nb", pages: list[dict] | None = None
) -> Person:
    """A participant with an issued invitation, stored the way intake stores them."""
    from intake.invitations import issue_invitation
    from intake.models import Participant
    from intake.studies import load_study_into_db
    from webapp.database import EXTENSION, writing

    with app.app_context():
        with writing() as db:
            from sqlalchemy import select

            from intake.models import StudyRecord

            study = app.config["STUDY"]
            if db.scalar(select(StudyRecord).where(StudyRecord.key == study.id)) is None:
                load_study_into_db(db, study)
            participant = Participant(code=code, language=language, status="invited")
            db.add(participant)
            db.flush()
            issued = issue_invitation(db, participant, app.extensions[EXTENSION]["secret"])
            if pages is not None:
                issued.invitation.pages = pages
            return Person(code, issued.invitation.id, issued.token, issued.answer_code)


def add_staff(
    app: Flask,
    name: str,
    role: str,
    password: str = PASSWORD,
    *,
    studies: tuple[str, ...] = (),
    language: str | None = None,
) -> None:
    """A staff user with ``role`` in ``studies`` (none: as `users add` decides) and their own
    ``language`` (none: the browser's)."""
    from webapp import staff
    from webapp.database import writing

    with app.app_context():
        with writing() as db:
            staff.add_user(db, name, role, password, studies=studies, language=language)


def csrf(html: str) -> str:
    match = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html) or re.search(
        r'name="csrf_token" value="([^"]+)"', html
    )
    assert match, "no CSRF token on the page"
    return match.group(1)


def login(client: FlaskClient, name: str, password: str = PASSWORD, language: str = "en"):
    """Log ``client`` in; its browser asks for ``language`` (these tests read English pages;
    the staff pages' own default, bokmål, is tested in test_staff_languages.py)."""
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = language
    page = client.get("/staff/login")
    return client.post(
        "/staff/login", data={"name": name, "password": password, "csrf_token": csrf(page.text)}
    )


def wait_for_job(client: FlaskClient, url: str, tries: int = 1200) -> str:
    """A job page once it stops refreshing itself (the job finished), as text."""
    for _ in range(tries):
        page = client.get(url)
        if 'http-equiv="refresh"' not in page.text:
            return page.text
        time.sleep(0.1)
    raise AssertionError(f"{url} did not finish")


def import_on_the_web(client: FlaskClient, people_csv: str) -> TestResponse:
    """A logged-in recruiter uploads ``people_csv`` on the recruiter's page."""
    page = client.get("/staff/recruit/")
    return client.post(
        "/staff/recruit/import",
        content_type="multipart/form-data",
        data={
            "csrf_token": csrf(page.text),
            "group": "",
            "file": (io.BytesIO(people_csv.encode("utf-8")), "people.csv"),
        },
    )


def import_and_print_on_the_web(client: FlaskClient, people_csv: str) -> tuple[str, str]:
    """A logged-in recruiter imports ``people_csv`` and prints letters for the new people:
    (the import page's text, the finished letter job's page); the pack's name is on it."""
    imported = import_on_the_web(client, people_csv)
    page = client.get("/staff/recruit/letters")
    started = client.post(
        "/staff/recruit/letters",
        data={"csrf_token": csrf(page.text), "only_new": "y", "group": "", "codes": ""},
    )
    return imported.text, wait_for_job(client, started.headers["Location"])


def upload_scan(client: FlaskClient, scan: Path) -> TestResponse:
    """A logged-in assistant uploads the scanned PDF ``scan``: the answer (a redirect to the
    scan job's page when it started)."""
    home = client.get("/staff/intake/")
    return client.post(
        "/staff/intake/scan",
        content_type="multipart/form-data",
        data={"csrf_token": csrf(home.text), "files": (io.BytesIO(scan.read_bytes()), scan.name)},
    )


#: A letter pack's name on the letter job's page.
PACK_NAME = re.compile(r'/staff/recruit/letters/(letters-[^"]+\.pdf)')

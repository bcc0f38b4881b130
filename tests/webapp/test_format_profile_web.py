"""The format profile on the web: the recruiter's participant page, and the citizen's receipt."""

from __future__ import annotations

import io
import re

import pdfplumber
import pytest
from sqlalchemy import select

from tests.printing.test_format_profile import body_size
from tests.webapp.pipeline import example_app
from tests.webapp.test_citizen_consents import _grant
from tests.webapp.webhelpers import csrf, import_on_the_web, login
from webapp.database import reading, writing

PEOPLE = (
    "navn,adresse,postnummer,poststed,språk,gruppe,stor_skrift,tosidig\n"
    "Kari Nordmann,Storgata 1,5003,Bergen,nb,families,,\n"
    "Per Hansen,Lillegata 2,5004,Bergen,en,families,ja,nei\n"
)


def _first_page_size(pdf) -> float:
    """The body text size of a PDF's first page."""
    with pdfplumber.open(pdf) as doc:
        return body_size(doc.pages[0])


@pytest.fixture
def web(data_dir, db_url):
    with example_app(data_dir, db_url) as app:
        yield app


def _codes(app) -> dict[str, str]:
    from intake.models import Participant

    with app.app_context(), reading() as db:
        return {p.contact.name: p.code for p in db.scalars(select(Participant))}


def test_editing_the_profile_on_the_recruiters_page_changes_the_next_letter(
    web, data_dir, db_url, tmp_path
):
    from intake.db import open_database
    from intake.mailing import LetterRun, print_letters
    from webapp.settings import Settings

    client = web.test_client()
    login(client, "recruiter")
    imported = import_on_the_web(client, PEOPLE)
    assert imported.status_code == 200, imported.text
    codes = _codes(web)
    kari, per = codes["Kari Nordmann"], codes["Per Hansen"]
    home = client.get("/staff/recruit/").text
    assert f'href="/staff/recruit/participants/{kari}"' in home

    shown = client.get(f"/staff/recruit/participants/{per}")
    assert shown.status_code == 200
    assert re.search(
        r'<input[^>]*checked[^>]*name="large_print"|name="large_print"[^>]*checked', shown.text
    )
    assert '<option value="no" selected>' in shown.text, "Per's one-sided choice is shown"
    assert "Kari Nordmann" not in shown.text and "Per Hansen" not in shown.text, "codes only"

    page = client.get(f"/staff/recruit/participants/{kari}")
    assert "Storgata" not in page.text
    no_token = client.post(
        f"/staff/recruit/participants/{kari}",
        data={"language": "nn", "large_print": "y", "two_sided": "", "easy_read": "yes"},
    )
    assert no_token.status_code == 400, "no CSRF token, nothing saved"
    saved = client.post(
        f"/staff/recruit/participants/{kari}",
        data={
            "csrf_token": csrf(page.text),
            "language": "nn",
            "large_print": "y",
            "two_sided": "",
            "easy_read": "yes",
        },
        follow_redirects=True,
    )
    assert saved.status_code == 200 and "nn, large print, easy-read" in saved.text
    assert client.get("/staff/recruit/participants/P-NOPE").status_code == 404

    from intake.format_profiles import profile_of
    from intake.models import FormatProfileRecord, Participant
    from printing.format_profile import FormatProfile

    with web.app_context(), reading() as db:
        person = db.scalars(select(Participant).where(Participant.code == kari)).one()
        assert profile_of(person) == FormatProfile("nn", True, None, True)
        assert db.get(FormatProfileRecord, person.id).updated_by == "recruiter"

    engine = open_database(Settings(data_dir=data_dir, db_url=db_url))
    try:
        out = tmp_path / "letters.pdf"
        result = print_letters(engine, data_dir, LetterRun(out=out, codes=(kari,)))
    finally:
        engine.dispose()
    assert _first_page_size(out) == 18.0, "Kari's next letter is in large print"
    with pdfplumber.open(out) as doc:
        assert "Vil du vere med" in (doc.pages[0].extract_text() or ""), "in nynorsk"
    assert result.packs[0].format == "nn, large print, easy-read"


def test_a_recruiter_can_set_the_profile_back_to_the_defaults(web):
    from intake.models import FormatProfileRecord

    client = web.test_client()
    login(client, "recruiter")
    import_on_the_web(client, PEOPLE)
    per = _codes(web)["Per Hansen"]
    page = client.get(f"/staff/recruit/participants/{per}")
    client.post(
        f"/staff/recruit/participants/{per}",
        data={"csrf_token": csrf(page.text), "language": "en", "two_sided": "", "easy_read": ""},
    )
    with web.app_context(), reading() as db:
        assert db.scalars(select(FormatProfileRecord)).all() == [], "no row for the defaults"


def test_the_receipt_follows_the_profile(app, client, person) -> None:
    from intake.format_profiles import set_profile
    from intake.models import Participant
    from printing.format_profile import FormatProfile

    _grant(app, person, "interview")
    client.get(f"/r/{person.token}")
    standard = client.get("/receipt.pdf")
    assert _first_page_size(io.BytesIO(standard.data)) == 12.0
    with app.app_context(), writing() as db:
        found = db.scalars(select(Participant).where(Participant.code == person.code)).one()
        set_profile(db, found, FormatProfile("nb", large_print=True), actor="recruiter")
    large = client.get("/receipt.pdf")
    assert large.status_code == 200
    assert _first_page_size(io.BytesIO(large.data)) == 18.0

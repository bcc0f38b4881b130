"""Citizens answering: consent, the questionnaire page by page, drafts, Back, sending once."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from forms.model import Section
from tests.factories import make_consent_form, make_questionnaire, make_study
from tests.webapp.webhelpers import csrf
from webapp.database import reading


@pytest.fixture
def study():
    """The factory study with its questionnaire split over three pages."""
    items = list(make_questionnaire().sections[0].items)
    sections = (
        Section("about", make_questionnaire().sections[0].title, tuple(items[:3])),
        Section("home", None, tuple(items[3:6])),
        Section("more", None, tuple(items[6:])),
    )
    return make_study(forms=(make_consent_form(), make_questionnaire(sections=sections)))


def _responses(app):
    from intake.models import Response

    with app.app_context(), reading() as db:
        return [
            (r.form_version.form_key, r.channel, r.answers, r.submission_id)
            for r in db.scalars(select(Response).order_by(Response.id))
        ]


def _post(client, path: str, data: dict, page_html: str | None = None):
    html = page_html if page_html is not None else client.get(path).text
    return client.post(path, data={**data, "csrf_token": csrf(html)})


def _consent(client, person, items=("c_interview",)):
    client.get(f"/r/{person.token}")
    return _post(client, "/consent", {f"q_{i}": "yes" for i in items})


def test_consent_page_has_each_item_on_its_own_and_none_ticked(client, person) -> None:
    client.get(f"/r/{person.token}")
    page = client.get("/consent").text
    boxes = re.findall(r'<input[^>]*type="checkbox"[^>]*>', page)
    assert len(boxes) == 2
    assert not any("checked" in box for box in boxes)
    assert "<legend>" in page and 'href="/information"' in page
    for box in boxes:
        box_id = re.search(r'id="([^"]+)"', box).group(1)
        assert f'<label for="{box_id}">' in page


def test_consent_without_a_required_item_says_how_to_decline(app, client, person) -> None:
    response = _consent(client, person, items=("c_audio",))
    assert response.status_code == 200
    assert "For å være med må du si ja til: Intervju" in response.text
    assert 'href="#q_c_interview-0"' in response.text
    assert _responses(app) == []


def test_consent_is_stored_once_and_leads_to_the_questions(app, client, person) -> None:
    response = _consent(client, person, items=("c_interview", "c_audio"))
    assert response.status_code == 303
    assert response.headers["Location"] == "/questions/families/1"
    [(form, channel, answers, _sid)] = _responses(app)
    assert (form, channel, answers) == (
        "consent",
        "web",
        {"c_interview": ["yes"], "c_audio": ["yes"]},
    )
    # the consent page cannot be sent twice
    assert client.get("/consent").status_code == 303
    assert len(_responses(app)) == 1


def test_questionnaire_pages_progress_and_required_errors(app, client, person) -> None:
    _consent(client, person)
    page = client.get("/questions/families/1")
    assert "Side 1 av 3" in page.text and '<progress max="3" value="1"' in page.text
    assert "<legend>Hvor bor du?" in page.text  # a choice is a fieldset with a legend
    assert not re.search(r"<input[^>]*checked", page.text)  # nothing pre-selected
    response = _post(client, "/questions/families/1", {"q_help": "nav"}, page.text)
    assert response.status_code == 200
    assert "Du må svare på dette: Hvor bor du?" in response.text
    assert 'href="#q_housing-0"' in response.text  # the summary links to the field
    assert 'value="nav" checked' in response.text or "checked" in response.text  # kept


@pytest.mark.parametrize(
    "field, value, message",
    [
        ("q_rooms", "three", "Skriv bare tall"),
        ("q_rooms", "1" * 40, "Skriv bare tall"),
        ("q_satisfied", "9", "Velg et av svarene"),
        ("q_children", "maybe", "Velg et av svarene"),
    ],
)
def test_bad_answers_get_plain_messages(client, person, field, value, message) -> None:
    _consent(client, person)
    _post(client, "/questions/families/1", {"q_housing": "rent"})
    response = _post(client, "/questions/families/2", {field: value})
    assert response.status_code == 200
    assert message in response.text
    assert 'aria-invalid="true"' in response.text or "field-error" in response.text


def test_bad_dates_and_too_long_texts(client, person) -> None:
    _consent(client, person)
    _post(client, "/questions/families/1", {"q_housing": "rent"})
    _post(client, "/questions/families/2", {})
    response = _post(client, "/questions/families/3", {"q_moved": "31.02.2024"})
    assert "Skriv datoen slik" in response.text
    response = _post(client, "/questions/families/3", {"q_story": "x" * 6000})
    assert "Teksten er for lang" in response.text


def test_answers_are_kept_between_pages_and_visits(app, client, person) -> None:
    _consent(client, person)
    assert (
        _post(
            client, "/questions/families/1", {"q_housing": "own", "q_help": ["nav", "family"]}
        ).status_code
        == 303
    )
    response = _post(client, "/questions/families/2", {"q_rooms": "4", "back": "1"})
    assert response.headers["Location"] == "/questions/families/1"
    page = client.get("/questions/families/1").text
    assert re.search(r'value="own"[^>]*checked|checked[^>]*value="own"', page)
    # days later, on another device: the link again, and the answers are still there
    later = app.test_client()
    later.get(f"/r/{person.token}")
    page = later.get("/questions/families/2").text
    assert 'value="4"' in page
    assert _responses(app)[1:] == []  # nothing sent yet


def test_sending_stores_one_response_with_every_answer(app, client, person) -> None:
    _consent(client, person)
    _post(client, "/questions/families/1", {"q_housing": "rent", "q_help": ["kommune"]})
    _post(
        client, "/questions/families/2", {"q_satisfied": "4", "q_rooms": "3", "q_children": "yes"}
    )
    page = client.get("/questions/families/3").text
    assert "Send svarene" in page
    response = _post(
        client,
        "/questions/families/3",
        {"q_name": "Ada", "q_story": "Det er trangt.", "q_moved": "01.08.2021"},
        page,
    )
    assert response.headers["Location"] == "/thanks"
    # the same send again (a double click with the old page) stores nothing new
    again = client.post(
        "/questions/families/3",
        data={
            "q_name": "Ada",
            "q_story": "Det er trangt.",
            "q_moved": "01.08.2021",
            "csrf_token": csrf(page),
        },
    )
    assert again.status_code == 303
    responses = _responses(app)
    assert [r[0] for r in responses] == ["consent", "families"]
    assert responses[1][2] == {
        "housing": ["rent"],
        "help": ["kommune"],
        "children": ["yes"],
        "satisfied": ["4"],
        "rooms": "3",
        "moved": "2021-08-01",
        "name": "Ada",
        "story": "Det er trangt.",
    }
    thanks = client.get("/thanks").text
    assert "Takk!" in thanks and 'href="/receipt.pdf"' in thanks


def test_a_page_cannot_be_skipped_past_a_required_answer(app, client, person) -> None:
    _consent(client, person)
    _post(client, "/questions/families/1", {"q_housing": "rent", "back": "1"})
    _post(client, "/questions/families/1", {"back": "1"})  # unanswer it, going back
    response = _post(client, "/questions/families/3", {})
    assert response.headers["Location"] == "/questions/families/1"
    assert [r[0] for r in _responses(app)] == ["consent"]


def test_questions_before_consent_go_to_the_consent_page(client, person) -> None:
    client.get(f"/r/{person.token}")
    assert client.get("/questions/families/1").headers["Location"] == "/consent"
    assert client.get("/questions/families/9").status_code == 404
    assert client.get("/questions/nope/1").status_code == 404


def test_expired_csrf_token_keeps_what_was_typed(app, client, person) -> None:
    _consent(client, person)
    response = client.post(
        "/questions/families/1",
        data={"q_housing": "other", "q_help": "family", "csrf_token": "expired-or-forged"},
    )
    assert response.status_code == 200
    assert "Det du skrev, er ikke borte" in response.text
    assert re.search(r'value="other"[^>]*checked|checked[^>]*value="other"', response.text)
    assert [r[0] for r in _responses(app)] == ["consent"]
    # the fresh token on the re-shown page works
    again = client.post(
        "/questions/families/1", data={"q_housing": "other", "csrf_token": csrf(response.text)}
    )
    assert again.status_code == 303


def test_typed_answers_survive_a_session_that_ran_out(app, client, person) -> None:
    import datetime as dt

    from sqlalchemy import update

    from webapp.database import writing
    from webapp.models import WebSession

    _consent(client, person)
    page = client.get("/questions/families/2").text
    with app.app_context(), writing() as db:
        db.execute(
            update(WebSession).values(last_seen=dt.datetime.now(dt.UTC) - dt.timedelta(hours=3))
        )
    response = client.post("/questions/families/2", data={"q_rooms": "7", "csrf_token": csrf(page)})
    assert "Tiden gikk ut" in response.text
    # typing the answer code opens the page again with what was typed
    client.post("/code", data={"code": person.answer_code, "csrf_token": csrf(response.text)})
    page = client.get("/questions/families/2").text
    assert 'value="7"' in page and "Det du skrev, er ikke borte" in page


def test_a_questionnaire_answered_on_paper_is_not_offered_again(app, client, person) -> None:
    from intake.ingest import ingest_manual
    from webapp.database import writing

    with app.app_context(), writing() as db:
        ingest_manual(
            db,
            form="families",
            answers={"housing": ["own"]},
            entered_by="assistant",
            participant=person.code,
        )
    _consent(client, person)
    page = client.get("/consents").text
    assert "/questions/families" not in page


def test_relevant_questions_are_left_out_when_surely_not_asked(data_dir, db_url) -> None:
    from dataclasses import replace

    from tests.webapp.webhelpers import add_person
    from webapp import create_app

    base = make_questionnaire()
    items = {i.id: i for i in base.sections[0].items}
    sections = (
        Section("first", None, (items["housing"], items["children"])),
        Section(
            "second",
            None,
            (
                replace(items["rooms"], relevant="${children} = 'yes'", required=True),
                replace(items["story"], relevant="${housing} = 'rent'"),
            ),
        ),
    )
    study = make_study(forms=(make_consent_form(), make_questionnaire(sections=sections)))
    app = create_app({"DATA_DIR": str(data_dir), "DATABASE_URL": db_url, "STUDY": study})
    person = add_person(app)
    client = app.test_client()
    _consent(client, person)
    _post(client, "/questions/families/1", {"q_housing": "rent", "q_children": "no"})
    page = client.get("/questions/families/2").text
    assert "q_rooms" not in page  # no children: not asked (and no longer required)
    assert "q_story" in page
    # going back and changing the answer brings the question in
    _post(client, "/questions/families/1", {"q_housing": "own", "q_children": "yes"})
    page = client.get("/questions/families/2").text
    assert "q_rooms" in page and "q_story" not in page
    response = _post(client, "/questions/families/2", {}, page)
    assert "Du må svare på dette: Hvor mange rom?" in response.text
    sent = _post(client, "/questions/families/2", {"q_rooms": "2"})
    assert sent.headers["Location"] == "/thanks"
    assert _responses(app)[-1][2] == {"housing": ["own"], "children": ["yes"], "rooms": "2"}


def test_a_label_shows_the_persons_earlier_answer(data_dir, db_url) -> None:
    from dataclasses import replace

    from forms.model import Text
    from tests.webapp.webhelpers import add_person
    from webapp import create_app

    base = make_questionnaire()
    items = {i.id: i for i in base.sections[0].items}
    said = Text(
        {
            "nb": "Du har {{rooms}} rom, og du svarte: {{housing}}. Fortell mer.",
            "nn": "Du har {{rooms}} rom, og du svarte: {{housing}}. Fortel meir.",
            "en": "You have {{rooms}} rooms, and you said: {{housing}}. Tell us more.",
        }
    )
    sections = (
        Section("first", None, (items["housing"], items["rooms"])),
        Section("second", None, (replace(items["story"], label=said),)),
    )
    study = make_study(forms=(make_consent_form(), make_questionnaire(sections=sections)))
    app = create_app({"DATA_DIR": str(data_dir), "DATABASE_URL": db_url, "STUDY": study})
    person = add_person(app)
    client = app.test_client()
    _consent(client, person)
    _post(client, "/questions/families/1", {"q_housing": "rent", "q_rooms": "3"})
    page = client.get("/questions/families/2").text
    assert "Du har 3 rom, og du svarte: Jeg leier. Fortell mer." in page
    assert "{{" not in page
    # an answer taken back leaves a blank, never the reference
    _post(client, "/questions/families/1", {"q_housing": "own"})
    page = client.get("/questions/families/2").text
    assert "Du har ____ rom, og du svarte: Jeg eier." in page


def test_concurrent_double_sends_store_one_response(app, client, person) -> None:
    import threading

    _consent(client, person)
    _post(client, "/questions/families/1", {"q_housing": "rent"})
    _post(client, "/questions/families/2", {})
    page = client.get("/questions/families/3").text
    statuses: list[int] = []

    def send() -> None:
        response = client.post(
            "/questions/families/3", data={"q_name": "Ada", "csrf_token": csrf(page)}
        )
        statuses.append(response.status_code)

    threads = [threading.Thread(target=send) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert statuses == [303] * 6
    assert [r[0] for r in _responses(app)] == ["consent", "families"]


def test_optional_is_said_once_on_a_page_where_every_question_is_optional(client, person) -> None:
    _consent(client, person)
    first = client.get("/questions/families/1")  # "Hvor bor du?" must be answered
    assert "(frivillig)" in first.text and 'id="all-optional"' not in first.text
    _post(client, "/questions/families/1", {"q_housing": "rent"}, first.text)
    second = client.get("/questions/families/2")  # nothing here must be answered
    assert second.text.count("Alle spørsmålene er frivillige.") == 1
    assert "frivillig)" not in second.text

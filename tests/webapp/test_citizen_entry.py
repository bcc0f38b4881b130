"""Citizens' entry: the QR link and the typed answer code, sessions, rate limits, language."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select, update

from tests.webapp.webhelpers import STEADY_WINDOW_MINUTES, add_person, csrf
from webapp.database import reading, writing
from webapp.models import WebSession
from webapp.sessions import COOKIE_NAME


def _counts(app) -> dict[str, int]:
    from intake.models import Invitation, Participant, Response

    with app.app_context(), reading() as db:
        return {
            name: db.scalar(select(func.count()).select_from(model))
            for name, model in (
                ("invitations", Invitation),
                ("participants", Participant),
                ("responses", Response),
            )
        }


def test_opening_the_link_redirects_to_pages_without_the_token(app, client, person) -> None:
    before = _counts(app)
    response = client.get(f"/r/{person.token}?p=3")
    assert response.status_code == 303
    assert person.token not in response.headers["Location"]
    page = client.get(response.headers["Location"], follow_redirects=True)
    assert page.status_code == 200
    assert person.token not in page.text
    assert "Vil du være med?" in page.text  # the invitation letter, in the person's language
    assert _counts(app) == before  # opening the link changed no data


def test_the_link_starts_a_new_session_each_time(app, client, person) -> None:
    client.get(f"/r/{person.token}")
    first = client.get_cookie(COOKIE_NAME).value
    client.get(f"/r/{person.token}")
    assert client.get_cookie(COOKIE_NAME).value != first
    with app.app_context(), reading() as db:
        kinds = list(db.scalars(select(WebSession.kind)))
    assert kinds == ["citizen"]  # the old one was dropped


@pytest.mark.parametrize("token", ["nope", "A" * 22, "x" * 300, "%00", "..%2F..%2Fetc"])
def test_wrong_tokens_get_a_friendly_page_that_reveals_nothing(client, person, token) -> None:
    response = client.get(f"/r/{token}")
    assert response.status_code == 404
    assert "Lenken virker ikke" in response.text
    assert "P-7K3M" not in response.text and "Traceback" not in response.text
    assert client.get("/start").status_code == 200  # only the "time ran out" page
    assert "Tiden gikk ut" in client.get("/start").text


def test_revoked_and_erased_tokens_look_like_wrong_ones(app, client, person) -> None:
    from intake.models import Invitation, Participant

    with app.app_context(), writing() as db:
        db.execute(update(Invitation).values(revoked=True))
    revoked = client.get(f"/r/{person.token}")
    other = add_person(app, code="P-ABCD")
    with app.app_context(), writing() as db:
        db.execute(update(Participant).where(Participant.code == "P-ABCD").values(status="erased"))
    erased = client.get(f"/r/{other.token}")
    wrong = client.get("/r/AAAAAAAAAAAAAAAAAAAAAA")
    assert revoked.status_code == erased.status_code == wrong.status_code == 404
    strip = lambda html: re.sub(r'value="[^"]+"', "", html)  # noqa: E731 - CSRF tokens differ
    assert strip(revoked.text) == strip(erased.text) == strip(wrong.text)


def test_an_open_session_ends_when_the_invitation_is_revoked(app, client, person) -> None:
    from intake.models import Invitation

    client.get(f"/r/{person.token}")
    assert "Vil du være med?" in client.get("/start").text
    with app.app_context(), writing() as db:
        db.execute(update(Invitation).values(revoked=True))
    assert "Tiden gikk ut" in client.get("/start").text


def _type_code(client, code: str):
    page = client.get("/code")
    return client.post("/code", data={"code": code, "csrf_token": csrf(page.text)})


@pytest.mark.parametrize(
    "variant", [str.lower, lambda c: f"  {c[:4]}-{c[4:]} ", lambda c: " ".join(c)]
)
def test_the_answer_code_opens_the_same_pages(client, person, variant) -> None:
    response = _type_code(client, variant(person.answer_code))
    assert response.status_code == 303
    assert "Vil du være med?" in client.get("/start").text


@pytest.mark.parametrize(
    "code, message",
    [
        ("", "Skriv svarkoden fra brevet."),
        ("ABCD-EFGH", "Vi fant ikke den koden."),
        ("x" * 100, "Vi fant ikke den koden."),
        ("<script>", "Vi fant ikke den koden."),
    ],
)
def test_wrong_answer_codes_get_a_plain_message(client, person, code, message) -> None:
    response = _type_code(client, code)
    assert message in response.text
    assert "<script>" not in response.text
    assert 'href="#code"' in response.text  # the error summary links to the field


def test_answer_codes_are_rate_limited_per_address(app, client, person) -> None:
    limit = app.config["CODE_FAILURES_PER_ADDRESS"]
    for _ in range(limit):
        assert _type_code(client, "WRONG-CODE").status_code == 404
    blocked = _type_code(client, person.answer_code)  # right code, but too many tries
    assert blocked.status_code == 429
    assert "Du har prøvd mange ganger" in blocked.text
    other_address = app.test_client()
    page = other_address.get("/code", environ_base={"REMOTE_ADDR": "10.0.0.9"})
    response = other_address.post(
        "/code",
        environ_base={"REMOTE_ADDR": "10.0.0.9"},
        data={"code": person.answer_code, "csrf_token": csrf(page.text)},
    )
    assert response.status_code == 303


def test_a_global_burst_slows_failing_addresses_but_not_a_right_code(
    data_dir, db_url, study
) -> None:
    from webapp import create_app

    app = create_app(
        {
            "DATA_DIR": str(data_dir),
            "DATABASE_URL": db_url,
            "STUDY": study,
            "CODE_WINDOW_MINUTES": STEADY_WINDOW_MINUTES,
            "CODE_FAILURES_GLOBAL": 3,
        }
    )
    person = add_person(app)

    def type_from(address: str, code: str) -> int:
        client = app.test_client()
        page = client.get("/code", environ_base={"REMOTE_ADDR": address})
        return client.post(
            "/code",
            environ_base={"REMOTE_ADDR": address},
            data={"code": code, "csrf_token": csrf(page.text)},
        ).status_code

    for n in range(3):
        assert type_from(f"10.0.1.{n}", "WRONG") == 404
    # the site is over its global limit: a clean address still gets its right code in...
    assert type_from("10.0.2.1", person.answer_code) == 303
    # ...and an address gets CODE_FAILURES_PER_ADDRESS_IN_BURST wrong tries, then waits
    for _ in range(app.config["CODE_FAILURES_PER_ADDRESS_IN_BURST"] - 1):
        assert type_from("10.0.1.0", "WRONG") == 404
    assert type_from("10.0.1.0", "WRONG") == 429
    assert type_from("10.0.1.0", person.answer_code) == 429


def test_language_switch_is_a_post_and_sets_lang(client, person) -> None:
    client.get(f"/r/{person.token}")
    page = client.get("/start")
    assert '<html lang="nb" dir="ltr">' in page.text
    response = client.post(
        "/language", data={"lang": "en", "next": "/start", "csrf_token": csrf(page.text)}
    )
    assert response.status_code == 303 and response.headers["Location"] == "/start"
    page = client.get("/start")
    assert '<html lang="en" dir="ltr">' in page.text and "Will you join?" in page.text
    # a language the app does not know, or an outside address, changes nothing harmful
    response = client.post(
        "/language",
        data={"lang": "xx", "next": "https://evil.example/", "csrf_token": csrf(page.text)},
    )
    assert response.headers["Location"] == "/"
    assert '<html lang="en" dir="ltr">' in client.get("/start").text


def test_citizen_sessions_time_out_but_the_link_works_again(app, client, person) -> None:
    import datetime as dt

    client.get(f"/r/{person.token}")
    with app.app_context(), writing() as db:
        db.execute(
            update(WebSession).values(last_seen=dt.datetime.now(dt.UTC) - dt.timedelta(hours=2))
        )
    assert "Tiden gikk ut" in client.get("/start").text
    client.get(f"/r/{person.token}")
    assert "Vil du være med?" in client.get("/start").text


def test_full_information_letter_is_one_click_away(client, person) -> None:
    client.get(f"/r/{person.token}")
    assert 'href="/information"' in client.get("/start").text
    page = client.get("/information")
    assert page.status_code == 200
    assert "Vi vil lære." in page.text  # the study's purpose (section 2)


def test_wrong_links_are_rate_limited_but_good_links_do_not_count(app, client, person) -> None:
    for _ in range(app.config["LINK_FAILURES_PER_ADDRESS"] + 5):
        assert client.get(f"/r/{person.token}").status_code == 303  # never counted
    for _ in range(app.config["LINK_FAILURES_PER_ADDRESS"]):
        assert client.get("/r/guessing-AAAAAAAAAAAA").status_code == 404
    assert client.get("/r/guessing-AAAAAAAAAAAA").status_code == 429
    # a valid link still opens: a 128-bit token cannot be guessed, so it is never refused
    assert client.get(f"/r/{person.token}").status_code == 303


def test_an_anonymous_copys_qr_code_says_to_answer_on_paper(client) -> None:
    page = client.get("/a/families/3f2a9c1e/000123?p=1")
    assert page.status_code == 200
    assert "Dette skjemaet er på papir" in page.text

"""Sessions only when there is something to keep: anonymous pages write nothing, set no cookie.

An anonymous page's form (the answer code, the staff login, the language
buttons) carries a signed token that needs no stored session. A form that
comes back without a valid token keeps what was typed only for the invitation
whose session it was (issue 11, points 3 and 8).
"""

from __future__ import annotations

import datetime as dt
import re
import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import update

from tests.webapp.webhelpers import add_person, add_staff, csrf, login
from webapp.sessions import COOKIE_NAME

#: enough views of each page that one stray write per view could not hide
VIEWS_PER_PAGE = 25
PUBLIC_PAGES = (
    "/",
    "/code",
    "/staff/login",
    "/staff/",
    "/start",
    "/information",
    "/consent",
    "/consents",
    "/questions/families/1",
    "/a/families/1/0001",
    "/static/site.css",
    "/no-such-page",
)
BOXES = {"q_c_interview": "yes", "q_c_audio": "yes"}


def rows_per_table(db_file: Path) -> dict[str, int]:
    """The number of rows in every table of the SQLite file, read by SQLite itself."""
    with sqlite3.connect(db_file) as con:
        tables = [
            name
            for (name,) in con.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
            )
        ]
        return {t: con.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in tables}


def _sqlite_file(app) -> Path:
    url = app.config["DATABASE_URL"]
    if not url.startswith("sqlite:///"):
        pytest.skip("counts rows in the SQLite file")
    return Path(url.removeprefix("sqlite:///"))


def _sets_cookie(response) -> bool:
    return any(v.startswith(f"{COOKIE_NAME}=") for v in response.headers.getlist("Set-Cookie"))


def _boxes_ticked(html: str) -> list[str]:
    return [
        box for box in re.findall(r'<input[^>]*type="checkbox"[^>]*>', html) if "checked" in box
    ]


def test_anonymous_page_views_write_no_rows_and_set_no_cookie(app, person) -> None:
    db_file = _sqlite_file(app)
    before = rows_per_table(db_file)
    for path in PUBLIC_PAGES:
        for _ in range(VIEWS_PER_PAGE):
            client = app.test_client()  # a new visitor each time: no cookie
            response = client.get(path)
            assert response.status_code < 500, path
            assert not _sets_cookie(response), path
    after = rows_per_table(db_file)
    assert {t: n for t, n in after.items() if n != before[t]} == {}


def test_the_code_page_token_logs_in_without_a_stored_session(app, client, person) -> None:
    page = client.get("/")
    assert not _sets_cookie(page)
    response = client.post(
        "/code", data={"code": person.answer_code, "csrf_token": csrf(page.text)}
    )
    assert response.status_code == 303 and response.headers["Location"] == "/start"
    assert client.get("/start").status_code == 200


def test_the_staff_login_token_works_without_a_stored_session(app, client) -> None:
    add_staff(app, "kari", "assistant")
    assert not _sets_cookie(client.get("/staff/login"))
    response = login(client, "kari")
    assert response.status_code == 303
    assert client.get("/staff/intake/").status_code == 200


def test_an_anonymous_token_does_not_fit_a_real_session(app, client, person) -> None:
    anonymous_token = csrf(app.test_client().get("/").text)
    client.get(f"/r/{person.token}")
    client.post("/consent", data={**BOXES, "csrf_token": anonymous_token})
    from intake.models import Response
    from webapp.database import reading

    with app.app_context(), reading() as db:
        assert db.query(Response).count() == 0


def test_a_post_without_a_session_stores_nothing_and_sets_no_cookie(app, person) -> None:
    db_file = _sqlite_file(app)
    before = rows_per_table(db_file)
    for token in ("", "forged", csrf(app.test_client().get("/").text)):
        stranger = app.test_client()
        response = stranger.post("/consent", data={**BOXES, "csrf_token": token})
        assert response.status_code == 200
        assert not _sets_cookie(response)
    assert rows_per_table(db_file) == before
    # the person then opens their own link: nothing is ticked, nothing is "not lost"
    own = app.test_client()
    own.get(f"/r/{person.token}")
    page = own.get("/consent").text
    assert _boxes_ticked(page) == []
    assert "Det du skrev, er ikke borte" not in page


def test_a_foreign_site_cannot_use_a_valid_anonymous_token(app, person) -> None:
    """Fetch Metadata: a browser says when another site's page sent the form."""
    for site in ("cross-site", "same-site"):
        visitor = app.test_client()
        token = csrf(visitor.get("/").text)
        response = visitor.post(
            "/code",
            data={"code": person.answer_code, "csrf_token": token},
            headers={"Sec-Fetch-Site": site},
        )
        assert not _sets_cookie(response), site
        assert visitor.get("/start").headers.get("Location") is None  # still "time ran out"
        assert "/start" not in (response.headers.get("Location") or "")
    own = app.test_client()
    token = csrf(own.get("/").text)
    response = own.post(
        "/code",
        data={"code": person.answer_code, "csrf_token": token},
        headers={"Sec-Fetch-Site": "same-origin"},
    )
    assert response.headers["Location"] == "/start"


def _let_sessions_lapse(app) -> None:
    from webapp.database import writing
    from webapp.models import WebSession

    with app.app_context(), writing() as db:
        db.execute(
            update(WebSession).values(last_seen=dt.datetime.now(dt.UTC) - dt.timedelta(hours=3))
        )


def test_what_was_typed_is_kept_only_for_the_same_invitation(app, client, person) -> None:
    """A shared phone: the next person's code does not open the first person's ticks."""
    other = add_person(app, code="P-9X2Q")
    client.get(f"/r/{person.token}")
    page = client.get("/consent").text
    _let_sessions_lapse(app)
    response = client.post("/consent", data={**BOXES, "csrf_token": csrf(page)})
    assert "Tiden gikk ut" in response.text
    client.post("/code", data={"code": other.answer_code, "csrf_token": csrf(response.text)})
    page = client.get("/consent").text
    assert _boxes_ticked(page) == [] and "Det du skrev, er ikke borte" not in page


def test_what_was_typed_comes_back_for_the_invitation_whose_session_ran_out(
    app, client, person
) -> None:
    client.get(f"/r/{person.token}")
    page = client.get("/consent").text
    _let_sessions_lapse(app)
    response = client.post("/consent", data={**BOXES, "csrf_token": csrf(page)})
    assert "Tiden gikk ut" in response.text
    client.get(f"/r/{person.token}")
    page = client.get("/consent").text
    assert len(_boxes_ticked(page)) == 2 and "Det du skrev, er ikke borte" in page


def test_a_post_from_another_site_sets_no_cookie(app, person) -> None:
    """A cookie set on such a POST would replace a logged-in person's (see test_cross_site.py)."""
    add_staff(app, "kari", "assistant")
    stranger = app.test_client()  # SameSite=Lax: another site's POST carries no cookie
    for path, data in (("/consent", BOXES), ("/staff/logout", {}), ("/code", {"code": "X"})):
        response = stranger.post(path, data=data, headers={"Sec-Fetch-Site": "cross-site"})
        assert not _sets_cookie(response), path


def test_a_sibling_sites_post_with_the_cookie_fills_in_nothing(app, client, person) -> None:
    """SameSite=Lax sends the cookie from a sibling subdomain ("same-site"): still refused."""
    client.get(f"/r/{person.token}")
    response = client.post(
        "/consent", data={**BOXES, "csrf_token": ""}, headers={"Sec-Fetch-Site": "same-site"}
    )
    assert response.status_code == 303 and response.headers["Location"] == "/start"
    page = client.get("/consent").text
    assert _boxes_ticked(page) == [] and "Det du skrev, er ikke borte" not in page

"""Staff login: hashed passwords, throttled wrong tries, logout that ends the session, timeouts."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import delete, select, update

from tests.webapp.webhelpers import PASSWORD, STEADY_WINDOW_MINUTES, add_staff, csrf, login
from webapp import staff
from webapp.database import reading, writing
from webapp.models import RateCounter, StaffUser, WebSession
from webapp.sessions import COOKIE_NAME


def test_password_is_stored_hashed(app) -> None:
    add_staff(app, "kari", "recruiter")
    with app.app_context(), reading() as db:
        user = db.scalar(select(StaffUser).where(StaffUser.name == "kari"))
    assert PASSWORD not in user.password_hash
    assert user.password_hash.startswith(("scrypt:", "pbkdf2:"))


def test_login_lands_on_the_roles_own_page(app, client) -> None:
    add_staff(app, "kari", "recruiter")
    response = login(client, "kari")
    assert response.status_code == 303
    assert response.headers["Location"].endswith("/staff/recruit/")
    assert client.get("/staff/recruit/").status_code == 200


@pytest.mark.parametrize(
    "name, password",
    [
        ("kari", "wrong password!"),
        ("nobody", PASSWORD),
        ("kari", ""),
        ("", PASSWORD),
        ("kari", "x" * 500),
    ],
)
def test_wrong_logins_say_nothing_about_which_part_was_wrong(app, client, name, password) -> None:
    add_staff(app, "kari", "recruiter")
    response = login(client, name, password)
    assert response.status_code in (200, 401)
    assert "Log in" in response.text
    assert client.get("/staff/recruit/").status_code == 303  # still not logged in


def test_login_without_csrf_token_is_refused(app, client) -> None:
    add_staff(app, "kari", "recruiter")
    response = client.post("/staff/login", data={"name": "kari", "password": PASSWORD})
    assert response.status_code == 400
    assert client.get("/staff/recruit/").status_code == 303


def test_wrong_passwords_throttle_this_address_and_name(app, client) -> None:
    add_staff(app, "kari", "recruiter")
    for _ in range(app.config["LOGIN_FAILURES_PER_ADDRESS_AND_NAME"]):
        assert login(client, "kari", "wrong password!").status_code == 401
    response = login(client, "kari")  # the right password, but this address must wait
    assert response.status_code == 429 and "Too many wrong logins" in response.text
    assert client.get("/staff/recruit/").status_code == 303
    with app.app_context(), writing() as db:
        db.execute(delete(RateCounter))  # the window has passed
    assert login(client, "kari").status_code == 303


def test_admin_forgets_wrong_logins_for_a_name(app, client) -> None:
    add_staff(app, "kari", "recruiter")
    add_staff(app, "boss", "admin")
    other = app.test_client()
    for _ in range(app.config["LOGIN_FAILURES_PER_ADDRESS_AND_NAME"]):
        login(other, "kari", "wrong password!")
    assert login(other, "kari").status_code == 429
    login(client, "boss")
    page = client.get("/staff/users")
    with app.app_context(), reading() as db:
        kari = db.scalar(select(StaffUser).where(StaffUser.name == "kari"))
    client.post(f"/staff/users/{kari.id}/unlock", data={"csrf_token": csrf(page.text)})
    assert login(other, "kari").status_code == 303


def test_logout_ends_the_session_everywhere(app, client) -> None:
    add_staff(app, "kari", "assistant")
    login(client, "kari")
    cookie = client.get_cookie(COOKIE_NAME).value
    copy = app.test_client()
    copy.set_cookie(COOKIE_NAME, cookie)
    assert copy.get("/staff/intake/").status_code == 200  # the copied cookie works...
    page = client.get("/staff/intake/")
    assert client.post("/staff/logout", data={"csrf_token": csrf(page.text)}).status_code == 303
    assert copy.get("/staff/intake/").status_code == 303  # ...and stops working at logout
    assert client.get("/staff/intake/").status_code == 303


def test_logout_by_get_changes_nothing(app, client) -> None:
    add_staff(app, "kari", "assistant")
    login(client, "kari")
    assert client.get("/staff/logout").status_code == 405
    assert client.get("/staff/intake/").status_code == 200


def test_session_id_changes_at_login(app, client) -> None:
    add_staff(app, "kari", "assistant")
    # a session from before the login (a language chosen on the shared computer)
    page = client.get("/")
    client.post("/language", data={"lang": "en", "csrf_token": csrf(page.text)})
    before = client.get_cookie(COOKIE_NAME).value
    login(client, "kari")
    assert client.get_cookie(COOKIE_NAME).value != before


def test_only_a_hash_of_the_session_id_is_stored(app, client) -> None:
    add_staff(app, "kari", "assistant")
    login(client, "kari")
    cookie = client.get_cookie(COOKIE_NAME).value
    with app.app_context(), reading() as db:
        ids = list(db.scalars(select(WebSession.id_hash)))
    assert cookie not in ids and len(ids) == 1


@pytest.mark.parametrize(
    "column, age",
    [
        ("last_seen", dt.timedelta(minutes=31)),  # idle
        ("created_at", dt.timedelta(hours=11)),  # absolute
    ],
)
def test_staff_sessions_time_out(app, client, column, age) -> None:
    add_staff(app, "kari", "assistant")
    login(client, "kari")
    assert client.get("/staff/intake/").status_code == 200
    with app.app_context(), writing() as db:
        db.execute(update(WebSession).values({column: dt.datetime.now(dt.UTC) - age}))
    assert client.get("/staff/intake/").status_code == 303
    with app.app_context(), reading() as db:
        assert db.scalar(select(WebSession.id_hash).where(WebSession.kind == "staff")) is None


def test_admin_adds_users_and_bad_input_is_one_message(app, client) -> None:
    add_staff(app, "boss", "admin")
    login(client, "boss")
    page = client.get("/staff/users")
    response = client.post(
        "/staff/users",
        data={"name": "ola", "role": "dpo", "password": "short", "csrf_token": csrf(page.text)},
    )
    assert "too short" in response.text
    response = client.post(
        "/staff/users",
        data={
            "name": "ola",
            "role": "dpo",
            "password": "long enough pw",
            "csrf_token": csrf(page.text),
        },
    )
    assert response.status_code == 303
    assert login(app.test_client(), "ola", "long enough pw").status_code == 303


@pytest.mark.parametrize(
    "name, role, password, message",
    [
        ("a", "dpo", PASSWORD, "not allowed"),
        ("kari nordmann", "dpo", PASSWORD, "not allowed"),
        ("kari", "boss", PASSWORD, "unknown role"),
        ("kari", "dpo", "123", "too short"),
        ("kari", "dpo", "x" * 201, "too long"),
    ],
)
def test_add_user_refuses_bad_input(app, name, role, password, message) -> None:
    with app.app_context(), pytest.raises(staff.StaffError, match=message):
        with writing() as db:
            staff.add_user(db, name, role, password)
    with app.app_context(), reading() as db:
        assert staff.list_users(db) == []


def test_many_wrong_logins_from_one_address_are_stopped(data_dir, db_url, study) -> None:
    from webapp import create_app

    app = create_app(
        {
            "DATA_DIR": str(data_dir),
            "DATABASE_URL": db_url,
            "STUDY": study,
            "CODE_WINDOW_MINUTES": STEADY_WINDOW_MINUTES,
            "LOGIN_FAILURES_PER_ADDRESS": 3,
        }
    )
    add_staff(app, "kari", "recruiter")
    client = app.test_client()
    for n in range(3):
        assert login(client, f"guess{n}", "wrong password!").status_code == 401
    blocked = login(client, "kari")  # right password, but this address is blocked for now
    assert blocked.status_code == 429 and "Too many wrong logins" in blocked.text
    other = app.test_client()
    page = other.get("/staff/login", environ_base={"REMOTE_ADDR": "10.9.9.9"})
    assert (
        other.post(
            "/staff/login",
            environ_base={"REMOTE_ADDR": "10.9.9.9"},
            data={"name": "kari", "password": PASSWORD, "csrf_token": csrf(page.text)},
        ).status_code
        == 303
    )


def test_admin_takes_access_away_and_the_users_sessions_end(app, client) -> None:
    add_staff(app, "boss", "admin")
    add_staff(app, "kari", "assistant")
    kari = app.test_client()
    login(kari, "kari")
    assert kari.get("/staff/intake/").status_code == 200
    login(client, "boss")
    page = client.get("/staff/users")
    with app.app_context(), reading() as db:
        kari_id = db.scalar(select(StaffUser.id).where(StaffUser.name == "kari"))
        boss_id = db.scalar(select(StaffUser.id).where(StaffUser.name == "boss"))
    done = client.post(
        f"/staff/users/{kari_id}/disable",
        data={"csrf_token": csrf(page.text)},
        follow_redirects=True,
    )
    assert "kari can no longer log in" in done.text
    assert kari.get("/staff/intake/").status_code == 303  # the open session has ended
    assert login(app.test_client(), "kari").status_code == 401
    mine = client.post(
        f"/staff/users/{boss_id}/disable",
        data={"csrf_token": csrf(page.text)},
        follow_redirects=True,
    )
    assert "cannot take away your own access" in mine.text

"""The app factory, configuration order, security headers and error pages."""

from __future__ import annotations

import pytest

from webapp.config import ConfigError, load_config
from webapp.security import mask_tokens


def test_config_defaults_then_environment_then_overrides() -> None:
    env = {
        "DELTAKER_STAFF_IDLE_MINUTES": "5",
        "DELTAKER_PRODUCTION": "yes",
        "DELTAKER_DATA": "/srv/data",
    }
    config = load_config({"STAFF_IDLE_MINUTES": 7}, environ=env)
    assert config["STAFF_IDLE_MINUTES"] == 7
    assert config["PRODUCTION"] is True
    assert config["DATA_DIR"] == "/srv/data"
    assert load_config(environ={})["STAFF_IDLE_MINUTES"] == 30


@pytest.mark.parametrize(
    "name, value",
    [
        ("DELTAKER_PRODUCTION", "maybe"),
        ("DELTAKER_STAFF_IDLE_MINUTES", "ten"),
        ("DELTAKER_MAX_UPLOAD_MB", "0"),
        ("DELTAKER_LOGIN_FAILURES_PER_ADDRESS", "-3"),
        ("DELTAKER_PROXY_HOPS", "-1"),
        ("DELTAKER_PROXY_HOPS", "two"),
    ],
)
def test_bad_environment_values_are_one_clear_error(name: str, value: str) -> None:
    with pytest.raises(ConfigError) as caught:
        load_config(environ={name: value})
    assert name in str(caught.value)


def test_security_headers_on_every_page(client) -> None:
    response = client.get("/")
    assert response.status_code == 200
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'none'" in csp and "frame-ancestors 'none'" in csp
    assert "'unsafe-inline'" not in csp
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Cache-Control"] == "no-store"
    assert client.get("/staff/login").headers["Cache-Control"] == "no-store"


def test_static_files_may_be_cached(client) -> None:
    response = client.get("/static/site.css")
    assert response.status_code == 200
    assert "max-age" in response.headers["Cache-Control"]
    response.close()


def test_no_script_anywhere(client) -> None:
    for path in ("/", "/code", "/staff/login"):
        assert "<script" not in client.get(path).text.lower()


def test_unknown_page_is_friendly_and_generic(client) -> None:
    response = client.get("/no/such/page")
    assert response.status_code == 404
    assert "Traceback" not in response.text
    assert 'lang="nb"' in response.text


def test_upload_limit_is_set(app) -> None:
    assert app.config["MAX_CONTENT_LENGTH"] == 64 * 1024 * 1024


def test_secure_cookies_in_production(data_dir, db_url, study) -> None:
    from webapp import create_app

    app = create_app(
        {"DATA_DIR": str(data_dir), "DATABASE_URL": db_url, "STUDY": study, "PRODUCTION": True}
    )
    from tests.webapp.webhelpers import PASSWORD, add_staff, csrf

    add_staff(app, "kari", "assistant")
    client = app.test_client()
    page = client.get("/staff/login", base_url="https://localhost")
    assert "Set-Cookie" not in page.headers  # nothing to keep before the login
    response = client.post(
        "/staff/login",
        base_url="https://localhost",
        data={"name": "kari", "password": PASSWORD, "csrf_token": csrf(page.text)},
        headers={"Referer": "https://localhost/staff/login"},  # WTF_CSRF_SSL_STRICT
    )
    cookie = response.headers["Set-Cookie"]
    assert "Secure" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert response.headers["Strict-Transport-Security"]


def test_tokens_are_masked_in_log_lines() -> None:
    assert mask_tokens("GET /r/AbC-123_xyz?p=2 200") == "GET /r/*** 200".replace(" 200", "?p=2 200")
    assert mask_tokens("/a/families/3f2a9c1e/000123?p=1") == "/a/***/3f2a9c1e/000123?p=1"


def test_every_setting_is_documented() -> None:
    from pathlib import Path

    from webapp.config import DEFAULTS

    doc = (Path(__file__).resolve().parents[2] / "docs" / "webapp.md").read_text()
    missing = [key for key in DEFAULTS if f"| `{key}` |" not in doc]
    assert missing == []


def test_an_internal_error_is_a_generic_page_without_details(data_dir, db_url, study) -> None:
    from webapp import create_app

    app = create_app({"DATA_DIR": str(data_dir), "DATABASE_URL": db_url, "STUDY": study})

    def boom():
        raise RuntimeError("secret detail /etc/passwd")

    app.add_url_rule("/boom", view_func=boom)
    response = app.test_client().get("/boom")
    assert response.status_code == 500
    assert "Noe gikk galt" in response.text
    assert "secret detail" not in response.text and "Traceback" not in response.text


def test_staff_errors_follow_the_staff_language(client) -> None:
    """An error on a staff page is in the staff page's language (webapp.i18n), bokmål first."""
    data = {"name": "x", "password": "y"}  # no CSRF token
    response = client.post("/staff/login", data=data, headers={"Accept-Language": "en"})
    assert response.status_code == 400
    assert 'lang="en"' in response.text and "Too much time went by" in response.text
    response = client.post("/staff/login", data=data, headers={"Accept-Language": "nn"})
    assert 'lang="nn"' in response.text and "Det gjekk for lang tid" in response.text
    response = client.post("/staff/login", data=data)
    assert 'lang="nb"' in response.text and "Det gikk for lang tid" in response.text

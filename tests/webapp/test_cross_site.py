"""Another site's page auto-submits a form to the app, in a real headless Chromium.

The attacker's page is served by a second HTTP server on 127.0.0.2, another
site than the app on 127.0.0.1 (so the browser sends the app's SameSite=Lax
cookie with none of its POSTs). It carries a signed token fetched from the
app's own home page, the best an attacker can have. Issue 11, point 3: the
person who later opens their own link finds no box ticked, and a logged-in
citizen or staff member stays logged in.
"""

from __future__ import annotations

import html
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.request import urlopen

import pytest

from tests.webapp import browser as b
from tests.webapp.webhelpers import PASSWORD, add_person, add_staff, csrf

pytestmark = [pytest.mark.browser, pytest.mark.slow]

ATTACKER_HOST = "127.0.0.2"  # Linux routes all of 127/8 to the loopback
BOXES = {"q_c_interview": "yes", "q_c_audio": "yes"}


@contextmanager
def attacker_site(pages: dict[str, str]) -> Iterator[str]:
    """A plain HTTP server on another address serving ``pages`` (path -> HTML)."""

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 - http.server's name
            body = pages.get(self.path, "").encode()
            self.send_response(200 if body else 404)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer((ATTACKER_HOST, 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://{ATTACKER_HOST}:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=10)
        server.server_close()


def auto_submit(action: str, fields: dict[str, str]) -> str:
    inputs = "".join(
        f'<input type="hidden" name="{html.escape(k)}" value="{html.escape(v)}">'
        for k, v in fields.items()
    )
    return (
        '<!doctype html><html><body onload="document.forms[0].submit()">'
        f'<form method="post" action="{html.escape(action)}">{inputs}</form></body></html>'
    )


@pytest.fixture
def served(app) -> Iterator[tuple[str, str]]:
    """The app on 127.0.0.1 and the attacker's pages on 127.0.0.2."""
    # the attacker is a participant too: a real code of their own, to log others in with
    attacker = add_person(app, code="P-EV1L")
    with b.serve(app) as base:
        with urlopen(f"{base}/") as reply:  # noqa: S310 - our own test server
            token = csrf(reply.read().decode())
        pages = {
            "/consent": auto_submit(f"{base}/consent", {**BOXES, "csrf_token": token}),
            "/logout": auto_submit(f"{base}/staff/logout", {"csrf_token": token}),
            "/code": auto_submit(
                f"{base}/code", {"code": attacker.answer_code, "csrf_token": token}
            ),
        }
        with attacker_site(pages) as evil:
            yield base, evil


def _visit_attacker(page, evil: str, base: str, path: str) -> None:
    page.goto(f"{evil}{path}")
    page.wait_for_url(f"{base}/**")  # the form was sent and the app answered
    page.wait_for_load_state()


def _session_cookie(context, base: str) -> str | None:
    from webapp.sessions import COOKIE_NAME

    found = [c["value"] for c in context.cookies(base) if c["name"] == COOKIE_NAME]
    return found[0] if found else None


def test_another_sites_post_ticks_no_box_for_the_person_who_comes_later(
    app, chromium, served
) -> None:
    base, evil = served
    person = add_person(app)
    context = chromium.new_context()
    page = context.new_page()
    _visit_attacker(page, evil, base, "/consent")
    set_by_the_post = _session_cookie(context, base)
    b.shot(page, "cross-site-after-post")
    # later, on the same phone, the person opens their own QR link
    page.goto(f"{base}/r/{person.token}")
    page.goto(f"{base}/consent")
    assert page.locator("input[type=checkbox]").count() == 2
    assert page.locator("input[type=checkbox]:checked").count() == 0
    assert "Det du skrev, er ikke borte" not in page.content()
    b.shot(page, "cross-site-own-link")
    assert set_by_the_post is None
    context.close()


def test_another_sites_post_does_not_log_out_a_citizen(app, chromium, served) -> None:
    base, evil = served
    person = add_person(app)
    context = chromium.new_context()
    page = context.new_page()
    page.goto(f"{base}/r/{person.token}")
    before = _session_cookie(context, base)
    assert before is not None
    for path in ("/consent", "/code", "/logout"):
        _visit_attacker(page, evil, base, path)
    assert _session_cookie(context, base) == before
    page.goto(f"{base}/consent")
    assert page.locator("input[type=checkbox]").count() == 2  # still the consent page
    assert page.locator("input[type=checkbox]:checked").count() == 0
    context.close()


def test_another_sites_post_does_not_log_out_a_staff_member(app, chromium, served) -> None:
    base, evil = served
    add_staff(app, "kari", "assistant")
    context = chromium.new_context()
    page = context.new_page()
    page.goto(f"{base}/staff/login")
    page.get_by_label("User name").fill("kari")
    page.get_by_label("Password").fill(PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="Log in").click()
    assert page.url.startswith(f"{base}/staff/intake")
    before = _session_cookie(context, base)
    for path in ("/consent", "/code", "/logout"):
        _visit_attacker(page, evil, base, path)
    assert _session_cookie(context, base) == before
    page.goto(f"{base}/staff/intake/")
    assert page.url == f"{base}/staff/intake/"  # not sent to the login page
    context.close()

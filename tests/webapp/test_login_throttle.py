"""Staff login: no user-name oracle in answer or timing; nobody elsewhere can lock a user out."""

from __future__ import annotations

import re
import statistics
import time

from tests.webapp.webhelpers import PASSWORD, add_staff, csrf

SAMPLES = 5
#: medians of a slow hash check and of a fast answer differ far more than this (≈ 7×)
TIMING_FACTOR = 2.0


def _login_from(app, address: str, name: str, password: str = PASSWORD):
    client = app.test_client()
    page = client.get("/staff/login", environ_base={"REMOTE_ADDR": address})
    started = time.perf_counter()
    response = client.post(
        "/staff/login",
        environ_base={"REMOTE_ADDR": address},
        data={"name": name, "password": password, "csrf_token": csrf(page.text)},
    )
    return response, time.perf_counter() - started


def _error(response) -> str:
    """The error summary's words (the page's CSRF token differs every time)."""
    match = re.search(r'class="error-summary"[^>]*>(.*?)</div>', response.text, re.S)
    assert match, "no error summary on the page"
    return match.group(1)


def test_someone_elsewhere_cannot_lock_a_user_out(app) -> None:
    add_staff(app, "kari", "recruiter")
    for _ in range(4 * app.config["LOGIN_FAILURES_PER_ADDRESS_AND_NAME"]):
        _login_from(app, "10.66.0.1", "kari", "not her password")
    refused, _ = _login_from(app, "10.66.0.1", "kari")
    assert refused.status_code == 429  # the guesser's own address waits...
    response, _ = _login_from(app, "10.7.0.1", "kari")
    assert response.status_code == 303  # ...and Kari at her desk logs in


def test_known_unknown_and_throttled_names_answer_alike_and_as_slowly(app) -> None:
    add_staff(app, "kari", "recruiter")
    limit = app.config["LOGIN_FAILURES_PER_ADDRESS_AND_NAME"]
    timings: dict[str, list[float]] = {"wrong password": [], "unknown name": []}
    answers: dict[str, set[tuple[int, str]]] = {key: set() for key in timings}
    for n in range(SAMPLES):
        for kind, name in (("wrong password", "kari"), ("unknown name", "nobody-here")):
            response, took = _login_from(app, f"10.1.{n}.1", name, "not the password")
            timings[kind].append(took)
            answers[kind].add((response.status_code, _error(response)))
    assert answers["wrong password"] == answers["unknown name"]
    assert {status for status, _ in answers["unknown name"]} == {401}
    # throttled: a known and an unknown name from an address with too many wrong tries
    for kind, name in (("throttled known", "kari"), ("throttled unknown", "nobody-here")):
        address = f"10.2.{len(kind)}.1"
        for _ in range(limit):
            _login_from(app, address, name, "not the password")
        timings[kind], answers[kind] = [], set()
        for _ in range(SAMPLES):
            response, took = _login_from(app, address, name, "not the password")
            timings[kind].append(took)
            answers[kind].add((response.status_code, _error(response)))
    assert answers["throttled known"] == answers["throttled unknown"]
    assert {status for status, _ in answers["throttled known"]} == {429}
    medians = {kind: statistics.median(values) for kind, values in timings.items()}
    assert max(medians.values()) < TIMING_FACTOR * min(medians.values()), medians

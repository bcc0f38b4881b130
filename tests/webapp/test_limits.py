"""Limits count failures only, in a sliding window; valid links always open; tokens stay in /r/."""

from __future__ import annotations

import datetime as dt
import re
from concurrent.futures import ThreadPoolExecutor

from tests.webapp.served import Answer, example_with_people, request, served
from tests.webapp.webhelpers import add_person, csrf

BURST_ADDRESSES = 50
MINUTE = dt.timedelta(minutes=1)


def test_the_window_slides_instead_of_starting_again_on_the_quarter_hour(app) -> None:
    from webapp import ratelimit

    window = dt.timedelta(minutes=15)
    key = "test:sliding"
    quarter = dt.datetime(2026, 3, 2, 10, 0, tzinfo=dt.UTC)
    with app.app_context():
        for _ in range(5):
            ratelimit.record_failure([key], window, now=quarter - 2 * MINUTE)
        for _ in range(5):
            ratelimit.record_failure([key], window, now=quarter + 2 * MINUTE)
        # a fixed window would have started again at 10:00 and seen only 5
        assert ratelimit.failures([key], window, now=quarter + 3 * MINUTE)[key] == 10
        assert ratelimit.failures([key], window, now=quarter + 12 * MINUTE)[key] == 10
        # the failures at 9:58 are forgotten a window (and at most a minute) after
        assert ratelimit.failures([key], window, now=quarter + 14 * MINUTE)[key] == 5
        assert ratelimit.failures([key], window, now=quarter + 18 * MINUTE)[key] == 0


def test_right_codes_never_count_against_a_shared_address(app, client) -> None:
    """A library network: many families type their own right codes from one address."""
    families = app.config["CODE_FAILURES_PER_ADDRESS"] + 5
    people = [add_person(app, code=f"P-{n}AAA") for n in "23456789ABCDEFGH"[:families]]
    for person in people:
        family = app.test_client()  # each family's own browser, all behind one address
        page = family.get("/code")
        response = family.post(
            "/code", data={"code": person.answer_code, "csrf_token": csrf(page.text)}
        )
        assert response.status_code == 303, person.code


def _wrong_links(port: int, source: str, count: int) -> list[int]:
    return [request(port, f"/r/wrong-{source}-{n}", source=source).status for n in range(count)]


def test_valid_links_open_during_a_wrong_link_burst_from_50_addresses(data_dir, tmp_path) -> None:
    people = example_with_people(data_dir, 3)
    limits = {"DELTAKER_LINK_FAILURES_PER_ADDRESS": "3", "DELTAKER_LINK_FAILURES_GLOBAL": "40"}
    with served(data_dir, tmp_path / "serve.log", env=limits) as port:
        sources = [f"127.0.1.{n}" for n in range(1, BURST_ADDRESSES + 1)]
        with ThreadPoolExecutor(max_workers=8) as pool:
            answers = [
                s for got in pool.map(lambda a: _wrong_links(port, a, 5), sources) for s in got
            ]
        assert set(answers) == {404, 429} and answers.count(429) > BURST_ADDRESSES
        # from an address in the burst, over its own limit, and from a fresh one
        for source, person in zip(("127.0.1.1", "127.0.1.50", "127.0.2.1"), people, strict=True):
            opened = request(port, f"/r/{person.token}", source=source)
            assert opened.status == 303 and opened.header("Location") == "/start"


def _cookie(answer: Answer, jar: dict[str, str]) -> None:
    for name, value in answer.headers:
        if name.lower() == "set-cookie":
            key, _, rest = value.partition("=")
            jar[key] = rest.split(";", 1)[0]


def _headers(jar: dict[str, str]) -> dict[str, str]:
    return {"Cookie": "; ".join(f"{k}={v}" for k, v in jar.items())} if jar else {}


def test_the_token_never_leaves_the_r_request(data_dir, tmp_path) -> None:
    (person,) = example_with_people(data_dir, 1)
    log = tmp_path / "serve.log"
    seen: list[Answer] = []
    with served(data_dir, log, env={"DELTAKER_LINK_FAILURES_PER_ADDRESS": "2"}) as port:
        source = "127.0.3.1"
        jar: dict[str, str] = {}

        def visit(path: str, method: str = "GET", form: dict[str, str] | None = None) -> Answer:
            body = None
            headers = _headers(jar)
            if form is not None:
                from urllib.parse import urlencode

                body = urlencode(form).encode()
                headers["Content-Type"] = "application/x-www-form-urlencoded"
            answer = request(port, path, method=method, source=source, headers=headers, body=body)
            _cookie(answer, jar)
            seen.append(answer)
            return answer

        # this address is over its wrong-link limit (a shelter's Wi-Fi), then the real link
        for n in range(3):
            visit(f"/r/wrong-link-{n}")
        assert seen[-1].status == 429
        opened = visit(f"/r/{person.token}")
        assert opened.status == 303
        start = visit("/start")
        assert start.status == 200
        for path in ("/information", "/consent", "/consents", "/code", "/"):
            visit(path)
        token_field = csrf(start.body.decode())
        switched = visit(
            "/language",
            "POST",
            {"lang": "en", "next": f"/r/{person.token}", "csrf_token": token_field},
        )
        assert switched.status == 303 and not switched.header(
            "Location",
        ).startswith("/r/")
        visit("/start")
        # the page for a wrong link leads its language buttons back to /, not to /r/
        wrong = visit("/r/not-a-real-token-at-all")
        assert 'name="next" value="/r/' not in wrong.body.decode()
    for answer in seen:
        assert person.token not in answer.body.decode(errors="replace")
        for name, value in answer.headers:
            assert person.token not in value, name
    lines = log.read_text().splitlines()
    assert any(re.search(r"GET /r/\*\*\* 303", line) for line in lines)
    assert [line for line in lines if person.token in line] == []

"""QR payloads: build and parse round trips, and clear errors for anything else."""

from __future__ import annotations

import pytest

from printing.qr import (
    AnonymousPayload,
    PersonalPayload,
    QRPayloadError,
    anonymous_payload,
    parse_payload,
    personal_payload,
)

BASE = "https://deltaker.example.no"
TOKEN = "Abc_def-123456789012345"


def test_personal_round_trip():
    text = personal_payload(BASE + "/", TOKEN, 3)
    assert text == f"{BASE}/r/{TOKEN}?p=3"
    assert parse_payload(text) == PersonalPayload(BASE, TOKEN, 3)


def test_letter_link_has_no_page():
    assert parse_payload(personal_payload(BASE, TOKEN)) == PersonalPayload(BASE, TOKEN, None)


def test_anonymous_round_trip_with_path_prefix():
    base = "https://kommune.example.no/deltaker"
    text = anonymous_payload(base, "families", "3f2a9c1e", 42, 2)
    assert text == f"{base}/a/families/3f2a9c1e/42?p=2"
    assert parse_payload(text) == AnonymousPayload(base, "families", "3f2a9c1e", 42, 2)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "hello",
        "WIFI:S:net;T:WPA;P:secret;;",
        "ftp://deltaker.example.no/r/Abc_def-123456789012345?p=1",
        "https://deltaker.example.no/x/Abc_def-123456789012345?p=1",
        "https://deltaker.example.no/r/short?p=1",
        "https://deltaker.example.no/r/Abc_def-123456789012345?p=0",
        "https://deltaker.example.no/r/Abc_def-123456789012345?p=x",
        "https://deltaker.example.no/r/Abc_def-123456789012345?p=1&q=2",
        "https://deltaker.example.no/r/Abc_def-123456789012345#frag",
        "https://deltaker.example.no/r/Abc_def-12345678901234/extra",
        "https://deltaker.example.no/a/families/3F2A9C1E/42?p=1",
        "https://deltaker.example.no/a/families/3f2a9c1e/42",
        "https://deltaker.example.no/a/families/3f2a9c1e/-1?p=1",
        "https:///r/Abc_def-123456789012345?p=1",
    ],
)
def test_parse_rejects_anything_else(text):
    with pytest.raises(QRPayloadError) as caught:
        parse_payload(text)
    assert "QR code" in str(caught.value)


@pytest.mark.parametrize(
    "call",
    [
        lambda: personal_payload(BASE, "bad token!", 1),
        lambda: personal_payload(BASE, TOKEN, 0),
        lambda: personal_payload("deltaker.example.no", TOKEN, 1),
        lambda: anonymous_payload(BASE, "fam ilies", "3f2a9c1e", 1, 1),
        lambda: anonymous_payload(BASE, "families", "xyz", 1, 1),
        lambda: anonymous_payload(BASE, "families", "3f2a9c1e", -1, 1),
    ],
)
def test_build_rejects_bad_parts(call):
    with pytest.raises(QRPayloadError):
        call()


from hypothesis import given  # noqa: E402 - property tests below the examples
from hypothesis import strategies as st  # noqa: E402

_TOKENS = st.text(
    alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-",
    min_size=16,
    max_size=64,
)


@given(token=_TOKENS, page=st.one_of(st.none(), st.integers(1, 9999)))
def test_personal_payloads_round_trip(token, page):
    assert parse_payload(personal_payload(BASE, token, page)) == PersonalPayload(BASE, token, page)


@given(
    form=st.from_regex(r"[a-z][a-z0-9_]{0,20}", fullmatch=True),
    version=st.from_regex(r"[0-9a-f]{8}", fullmatch=True),
    serial=st.integers(0, 10**12 - 1),
    page=st.integers(1, 9999),
)
def test_anonymous_payloads_round_trip(form, version, serial, page):
    payload = anonymous_payload(BASE, form, version, serial, page)
    assert parse_payload(payload) == AnonymousPayload(BASE, form, version, serial, page)


@given(st.text(max_size=120))
def test_parse_never_fails_with_anything_but_a_clear_error(text):
    try:
        parse_payload(text)
    except QRPayloadError:
        pass


@pytest.mark.parametrize("form", ["a", "r"])
@pytest.mark.parametrize("base", [BASE, "https://kommune.example.no/a/r"])
def test_form_ids_and_prefixes_that_look_like_path_markers(form, base):
    anonymous = anonymous_payload(base, form, "0badc0de", 5, 2)
    assert parse_payload(anonymous) == AnonymousPayload(base, form, "0badc0de", 5, 2)
    personal = personal_payload(base, TOKEN, 3)
    assert parse_payload(personal) == PersonalPayload(base, TOKEN, 3)

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

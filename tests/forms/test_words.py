"""The one table of citizen-facing words: every entry easy to read, every key used."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from forms.phrases import LANGUAGES, PHRASES, phrase, placeholders
from forms.readability import measure
from forms.words import AREA_REGISTERS, AREAS

ROOT = Path(__file__).resolve().parents[2]

#: What the placeholders stand for when a citizen reads the text.
SAMPLE: dict[str, object] = {
    "x": 1,
    "y": 2,
    "n": 3,
    "total": 5,
    "high_n": 5,
    "url": "deltaker.no",
    "name": "Kari",
    "leader": "Kari Nordmann",
    "dpo": "Ola Nordmann",
    "sender": "NAV Grünerløkka",
    "phone": "12345678",
    "email": "kari@example.no",
    "date": "1. mai 2027",
    "item": "intervju",
    "label": "Hvor bor du",
    "answer": "Ja",
    "study": "Bolig",
    "form": "Skjema",
    "channel": "på nett",
    "code": "P-7K3M",
    "version": "3f2a9c1e",
    "reference": "w-12",
    "low": "lite",
    "high": "mye",
    "title": "U-sving",
    "institution": "Høgskolen",
    "partners": "NAV og kommunen",
}

#: Keys the code builds from a prefix and a value (an event's channel, a form's status code).
BUILT_PREFIXES = ("field_", "state_", "action_", "channel_", "answer_", "http_")


def test_every_placeholder_has_a_sample():
    assert {name for key in PHRASES for name in placeholders(key)} <= SAMPLE.keys()


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("key", sorted(PHRASES))
def test_every_word_passes_the_readability_check(key, lang):
    filled = phrase(key, lang, **{name: SAMPLE[name] for name in placeholders(key)})
    area = next(area for area, words in AREAS.items() if key in words)
    register = AREA_REGISTERS.get(area, "easy")
    assert measure(filled).problems(register) == [], (key, lang, filled)


def test_each_area_has_its_own_keys():
    seen: dict[str, str] = {}
    for area, words in AREAS.items():
        for key in words:
            assert key not in seen, f"{key!r} is in both {seen[key]} and {area}"
            seen[key] = area
    assert set(seen) == set(PHRASES)


def _sources() -> str:
    files = [
        *ROOT.glob("*/**/*.py"),
        *ROOT.glob("webapp/templates/**/*.html"),
    ]
    skip = (ROOT / "forms" / "words", ROOT / "tests", ROOT / ".venv")
    return "\n".join(
        f.read_text(encoding="utf-8") for f in files if not any(f.is_relative_to(s) for s in skip)
    )


def test_every_word_is_used_somewhere():
    """A word nobody shows is never read by a citizen, only by the readability check."""
    sources = _sources()
    unused = [
        key
        for key in PHRASES
        if not key.startswith(BUILT_PREFIXES) and not re.search(rf"""['"]{key}['"]""", sources)
    ]
    assert unused == []


def test_every_word_the_templates_ask_for_is_in_the_table():
    asked = set()
    for template in ROOT.glob("webapp/templates/**/*.html"):
        asked.update(re.findall(r"\bt\('(\w+)'", template.read_text(encoding="utf-8")))
    assert asked and asked - set(PHRASES) == set()

"""Fixtures for the scanner tests: forms, a resolver from their layout maps, and helpers."""

from __future__ import annotations

import random

import pytest

from tests.factories import make_consent_form, make_questionnaire

from . import synthetic as syn


@pytest.fixture(scope="session")
def questionnaire():
    return make_questionnaire()


@pytest.fixture(scope="session")
def consent_form():
    return make_consent_form()


@pytest.fixture(scope="session")
def resolver(questionnaire, consent_form):
    printed = [
        (form, lang, profile)
        for form in (questionnaire, consent_form)
        for lang in ("nb", "nn", "en")
        for profile in ("standard", "large")
    ]
    return syn.FormsResolver(printed)


@pytest.fixture
def rng():
    return random.Random(20261122)

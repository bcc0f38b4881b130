"""The bundled example study (examples/u-sving) loads, passes check and has what the brief asks."""

from __future__ import annotations

from pathlib import Path

import pytest

from forms.load import load_study
from forms.model import CHOICE_TYPES, WRITTEN_TYPES, FormKind, ItemType
from forms.template import init_study
from forms.validate import check_study

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "u-sving"
ANSWERABLE = (CHOICE_TYPES | WRITTEN_TYPES) - {ItemType.SIGNATURE, ItemType.CONSENT}


@pytest.fixture(scope="module")
def study():
    return load_study(EXAMPLE)


def test_example_passes_check_with_no_errors_and_no_warnings():
    report = check_study(EXAMPLE)
    assert report.errors == ()
    assert [(t.text.where, t.text.language, t.problems) for t in report.warnings] == []
    easy = [t for t in report.texts if t.text.register == "easy"]
    assert len(easy) > 100
    assert all(t.readability.longest_sentence <= 15 for t in easy)
    whole = [t for t in report.texts if "whole form" in t.text.where or "letters/" in t.text.where]
    assert whole and all(t.readability.lix <= 30 for t in whole)
    letter = [t for t in report.texts if "information letter" in t.text.where]
    assert len(letter) == 6 and all(t.readability.lix <= 40 for t in letter)  # fields, as printed


def test_every_example_text_is_within_its_lix_limit_even_when_short():
    # Stricter than check, which holds LIX against texts of 20 words or more only.
    limits = {"easy": 30.0, "plain": 40.0}
    over = [
        (t.text.where, t.text.language, round(t.readability.lix, 1))
        for t in check_study(EXAMPLE).texts
        if t.readability.lix > limits[t.text.register]
    ]
    assert over == []


def test_every_study_field_in_three_languages(study):
    assert study.languages == ("nb", "nn", "en")
    for name in ("title", "purpose", "why_asked", "mediated_by", "participation",
                 "data_collected", "no_effect_on_services", "access", "storage",
                 "recognisable", "end_of_project", "rights", "legal_basis"):  # fmt: skip
        assert getattr(study, name).languages == {"nb", "nn", "en"}, name
    assert study.partners == ("Fjordby kommune", "NAV Fjordby")
    assert study.project_leader.phone and study.dpo.email and study.sikt_reference


def test_five_separate_consent_items(study):
    assert [c.id for c in study.consent_items] == [
        "group_meetings", "interview", "audio", "quotes", "contact_again",
    ]  # fmt: skip
    assert [c.required for c in study.consent_items] == [True, False, False, False, False]


def test_forms_and_their_kinds(study):
    kinds = {form.id: form.kind for form in study.forms}
    assert kinds == {
        "consent": FormKind.CONSENT,
        "families": FormKind.QUESTIONNAIRE,
        "employees": FormKind.REPLY,
        "withdrawal": FormKind.WITHDRAWAL,
    }


def test_consent_form_has_a_box_per_consent_item_then_name_signature_and_date(study):
    form = study.form("consent")
    boxes = [i.consent_item for i in form.items() if i.type == ItemType.CONSENT]
    assert boxes == [c.id for c in study.consent_items]
    types = [i.type for i in form.items()]
    assert {ItemType.SIGNATURE, ItemType.DATE, ItemType.SHORT_TEXT} <= set(types)
    # a consent box without its own label shows the study's text
    assert form.item("audio").label == study.consent_item("audio").text


def test_withdrawal_slip_covers_every_consent_item(study):
    form = study.form("withdrawal")
    boxes = [i.consent_item for i in form.items() if i.type == ItemType.CONSENT]
    assert boxes == [c.id for c in study.consent_items]
    assert form.item("signature").type == ItemType.SIGNATURE
    assert form.item("signed_on").type == ItemType.DATE


def test_families_questionnaire_mixes_every_answerable_type(study):
    form = study.form("families")
    answerable = list(form.answerable())
    assert 12 <= len(answerable) <= 15
    assert {i.type for i in answerable} == ANSWERABLE


def test_invitation_letter_says_what_the_brief_asks(study):
    letter = study.letter("invitation")
    assert letter.register == "easy"
    common = ["frivillig", "papir", "QR-koden", "Ring", "mat"]
    words = {
        "nb": ["Hvorfor spør vi deg", "hjelpe andre", *common],
        "nn": ["Kvifor spør vi deg", "hjelpe andre", *common],
        "en": ["Why are we asking you", "help others", "up to you", "food", "paper", "QR code"],
    }
    for language, needles in words.items():
        body = letter.body.get(language)
        for needle in needles:
            assert needle in body, (language, needle)


def test_init_template_passes_check_without_warnings(tmp_path: Path):
    init_study(tmp_path / "new-study")
    report = check_study(tmp_path / "new-study")
    assert report.errors == ()
    assert report.warnings == ()
    assert report.study.id == "new-study"

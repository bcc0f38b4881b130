"""Text version and geometry fingerprint: stable under YAML cosmetics, sensitive to content."""

from __future__ import annotations

import re
import tempfile
from dataclasses import replace
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from forms.load import load_form, load_study
from forms.model import Choice, Text
from forms.version import geometry_fingerprint, study_text_version, text_version
from tests.factories import make_questionnaire, make_study, t

FORM_YAML = """\
kind: questionnaire
title: {nb: Spørsmål, nn: Spørsmål, en: Questions}
sections:
  - id: home
    title: {nb: Hjemmet, nn: Heimen, en: Home}
    items:
      - id: housing
        type: single_choice
        required: true
        label:
          nb: Hvordan bor du?
          nn: Korleis bur du?
          en: Where do you live?
        choices:
          - value: rent
            label: {nb: Jeg leier, nn: Eg leiger, en: I rent}
          - value: own
            label: {nb: Jeg eier, nn: Eg eig, en: I own}
      - id: story
        type: long_text
        lines: 4
        label:
          nb: Fortell oss mer.
          nn: Fortel oss meir.
          en: Tell us more.
"""

#: The same form: keys reordered, flow mappings written as blocks, other quoting and spacing.
FORM_YAML_REORDERED = """\
# the same form, written differently
sections:
-   items:
    -   label:
            en: "Where do you live?"
            nn: 'Korleis bur du?'
            nb:    Hvordan bor du?
        choices:
        -   label: {en: I rent, nb: Jeg leier, nn: Eg leiger}
            value: rent
        -   value: "own"
            label: {en: I own,   nb: Jeg eier, nn: Eg eig}
        type: single_choice
        id: housing
        required: yes
    -   id: story
        label:
          en: >-
            Tell us more.
          nb: |-
            Fortell oss mer.
          nn: "Fortel oss meir.   "
        lines: 4
        type: long_text
    title: {en: Home, nn: Heimen, nb: Hjemmet}
    id: home
title:
  en: Questions
  nb: Spørsmål
  nn: Spørsmål
kind: questionnaire
"""


def load(tmp_path: Path, text: str, folder: str = "a"):
    """Load ``text`` as forms/questions.yaml in ``folder`` (the file name is the form id)."""
    path = tmp_path / folder / "questions.yaml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return load_form(path)


def test_both_fingerprints_are_eight_hex_digits(tmp_path: Path):
    form = load(tmp_path, FORM_YAML)
    assert re.fullmatch(r"[0-9a-f]{8}", text_version(form))
    assert re.fullmatch(r"[0-9a-f]{8}", geometry_fingerprint(form))
    assert text_version(form) != geometry_fingerprint(form)


def test_reordered_keys_and_whitespace_keep_both(tmp_path: Path):
    a = load(tmp_path, FORM_YAML, "a")
    b = load(tmp_path, FORM_YAML_REORDERED, "b")
    assert text_version(a) == text_version(b)
    assert geometry_fingerprint(a) == geometry_fingerprint(b)


def test_wording_change_changes_text_version_only(tmp_path: Path):
    a = load(tmp_path, FORM_YAML, "a")
    b = load(tmp_path, FORM_YAML.replace("nn: Eg leiger", "nn: Eg leiger bustaden"), "b")
    assert text_version(a) != text_version(b)
    assert geometry_fingerprint(a) == geometry_fingerprint(b)


def test_new_choice_changes_both(tmp_path: Path):
    a = load(tmp_path, FORM_YAML, "a")
    extra = (
        "          - value: other\n"
        "            label: {nb: Annet, nn: Anna, en: Other}\n"
        "      - id: story\n"
    )
    b = load(tmp_path, FORM_YAML.replace("      - id: story\n", extra), "b")
    assert text_version(a) != text_version(b)
    assert geometry_fingerprint(a) != geometry_fingerprint(b)


@pytest.mark.parametrize(
    "change",
    [
        lambda f: replace(f, sections=(replace(f.sections[0], page_break_before=True),)),
        lambda f: replace(
            f,
            sections=(replace(f.sections[0], items=tuple(reversed(f.sections[0].items))),),
        ),
        lambda f: replace(
            f,
            sections=(
                replace(
                    f.sections[0],
                    items=tuple(
                        replace(i, lines=8) if i.id == "story" else i for i in f.sections[0].items
                    ),
                ),
            ),
        ),
    ],
    ids=["page break", "item order", "writing lines"],
)
def test_layout_changes_change_the_geometry(tmp_path: Path, change):
    form = load(tmp_path, FORM_YAML)
    assert geometry_fingerprint(change(form)) != geometry_fingerprint(form)


def test_source_and_line_do_not_count(tmp_path: Path):
    a = load(tmp_path, FORM_YAML, "a")
    b = load(tmp_path, "\n\n\n" + FORM_YAML, "b")  # every item on another line
    assert a.item("housing").line != b.item("housing").line
    assert text_version(a) == text_version(b)


def test_hint_and_easy_variant_are_part_of_the_text_version():
    form = make_questionnaire()
    item = form.item("story")
    with_hint = replace(item, hint=t("Skriv fritt."))
    with_easy = replace(item, label=Text(dict(item.label.values), {"nb": "Skriv mer."}))
    versions = {
        text_version(form),
        text_version(_swap(form, with_hint)),
        text_version(_swap(form, with_easy)),
    }
    assert len(versions) == 3


def test_choice_value_rename_changes_geometry_but_label_rename_does_not():
    form = make_questionnaire()
    housing = form.item("housing")
    relabelled = replace(
        housing, choices=(replace(housing.choices[0], label=t("Leier")),) + housing.choices[1:]
    )
    revalued = replace(
        housing, choices=(Choice("renting", housing.choices[0].label),) + housing.choices[1:]
    )
    assert geometry_fingerprint(_swap(form, relabelled)) == geometry_fingerprint(form)
    assert geometry_fingerprint(_swap(form, revalued)) != geometry_fingerprint(form)


def test_study_text_version_follows_information_letter_texts():
    study = make_study()
    assert study_text_version(study) == study_text_version(make_study())
    changed = replace(study, purpose=t("Vi vil lære mer."))
    assert study_text_version(changed) != study_text_version(study)
    # forms have versions of their own
    assert study_text_version(replace(study, forms=())) == study_text_version(study)


def _swap(form, item):
    return replace(
        form,
        sections=tuple(
            replace(s, items=tuple(item if i.id == item.id else i for i in s.items))
            for s in form.sections
        ),
    )


EXAMPLE_FORMS = Path(__file__).resolve().parents[2] / "examples" / "u-sving" / "forms"


def _shuffled(value, rng):
    if isinstance(value, dict):
        keys = list(value)
        rng.shuffle(keys)
        return {k: _shuffled(value[k], rng) for k in keys}
    if isinstance(value, list):
        return [_shuffled(v, rng) for v in value]
    return value


@settings(max_examples=30, deadline=None, database=None)
@given(
    name=st.sampled_from(["consent", "families", "employees", "withdrawal"]),
    seed=st.integers(0, 2**32 - 1),
    indent=st.integers(2, 8),
    flow=st.sampled_from([True, False, None]),
    width=st.sampled_from([40, 80, 10_000]),
)
def test_any_rewriting_of_the_yaml_keeps_both_fingerprints(name, seed, indent, flow, width):
    """Key order, indentation, flow or block style and line wrapping never change a version."""
    import random

    original_path = EXAMPLE_FORMS / f"{name}.yaml"
    data = yaml.safe_load(original_path.read_text(encoding="utf-8"))
    rewritten = yaml.safe_dump(
        _shuffled(data, random.Random(seed)),
        allow_unicode=True,
        sort_keys=False,
        indent=indent,
        default_flow_style=flow,
        width=width,
    )
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"{name}.yaml"
        path.write_text(rewritten, encoding="utf-8")
        # standalone: consent boxes carry labels from the study, so give them the study's items
        study = load_study(EXAMPLE_FORMS.parent)
        a = study.form(name)
        b = load_form(path, languages=study.languages, consent_items=study.consent_items)
    assert text_version(a) == text_version(b)
    assert geometry_fingerprint(a) == geometry_fingerprint(b)

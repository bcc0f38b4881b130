"""Broken definition files: each gives exactly the errors a person needs, with file and line.

The broken form files live in tests/forms/data/broken_forms/; each is dropped
into a fresh copy of the `deltaker init` template study (consent items
`questionnaire` and `contact_again`, languages nb, nn, en) in place of its
questionnaire, so the only errors are the ones the file causes.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

import forms.load
from forms.errors import DefinitionErrors, UserError
from forms.load import MAX_NODES, load_form, load_study
from forms.template import init_study

BROKEN = Path(__file__).parent / "data" / "broken_forms"

#: file -> [(line, message)], in the order the loader reports them.
CASES: dict[str, list[tuple[int | None, str]]] = {
    "unknown_key.yaml": [(3, "form: unknown key 'introo'; did you mean 'intro'?")],
    "missing_translation.yaml": [(7, "item 'age' label: missing the 'nn' translation")],
    "duplicate_item_id.yaml": [(11, "duplicate item id 'age' (first at line 6)")],
    "duplicate_section_id.yaml": [(9, "duplicate section id 'about' (first at line 4)")],
    "duplicate_choice_value.yaml": [
        (10, "item 'pet': duplicate choice value 'cat' (first at line 8)")
    ],
    "choice_without_label.yaml": [(10, "choice 'dog' of item 'pet' has no label")],
    "unknown_item_type.yaml": [
        (5, "item 'pet': unknown type 'single_choise'; did you mean 'single_choice'?")
    ],
    "unknown_consent_item.yaml": [
        (
            6,
            "item 'again': consent_item 'contact_agian' is not one of the study's consent "
            "items (questionnaire, contact_again); did you mean 'contact_again'?",
        )
    ],
    "scale_bad_bounds.yaml": [(7, "item 'mood': scale max (1) must be greater than min (5)")],
    "scale_too_many_steps.yaml": [
        (7, "item 'mood': a scale from 0 to 20 has 21 steps; at most 11 fit on paper")
    ],
    "wrong_value_type.yaml": [
        (6, "item 'story' required: expected true or false, got 'maybe'"),
        (7, "item 'story' lines: expected a whole number, got 'many'"),
    ],
    "key_not_for_type.yaml": [
        (7, "item 'name': key 'choices' does not apply to a short_text item")
    ],
    "bad_id.yaml": [
        (
            4,
            "item #1 id: 'Your Name' is not a valid id; use lowercase letters a-z, digits, "
            "'_' and '-' (e.g. 'audio_recording')",
        )
    ],
    "text_not_translated.yaml": [
        (2, "title: give one text per language (nb, nn, en), e.g. 'nb: ...' on its own line")
    ],
    "unknown_kind.yaml": [
        (
            1,
            "kind: unknown value 'survey'; "
            "expected one of: consent, questionnaire, reply, withdrawal",
        )
    ],
    "duplicate_key.yaml": [(7, "item 'name': key 'label' is given twice (first at line 6)")],
    "syntax_error.yaml": [
        (
            6,
            "YAML syntax error: expected <block end>, but found '<block mapping start>' "
            "(while parsing a block collection that starts on line 4)",
        )
    ],
    "empty.yaml": [(None, "the file is empty; it should hold 'key: value' lines")],
    "only_comment.yaml": [(None, "the file is empty; it should hold 'key: value' lines")],
    "not_a_mapping.yaml": [(1, "the file should hold 'key: value' lines, not a list")],
    "python_tag.yaml": [
        (
            2,
            "the YAML tag '!!python/object/apply:os.system' is not allowed; write plain text, "
            "numbers, true/false, lists and 'key: value' lines",
        )
    ],
    "billion_laughs.yaml": [
        (
            None,
            f"the file expands to more than {MAX_NODES} values "
            "(YAML anchors and aliases '&'/'*' repeated too often)",
        )
    ],
    "empty_items.yaml": [(3, "items: the list is empty")],
    "unknown_language.yaml": [(2, "title: unknown key 'eng'; did you mean 'en'?")],
    "consent_form_without_boxes.yaml": [
        (1, "form: a withdrawal form needs at least one 'type: consent' item")
    ],
    "relevant_unknown_item.yaml": [
        (
            7,
            "item 'how_many' relevant: there is no item 'childern' in this form; "
            "did you mean 'children'?",
        )
    ],
    "deep_nesting.yaml": [(2, "lists and 'key: value' blocks are nested more than 32 levels deep")],
    "unquoted_colon.yaml": [
        (
            7,
            "YAML syntax error: mapping values are not allowed here; "
            "a text with ': ' in it or ':' at its end needs quotes",
        )
    ],
    "tab_indent.yaml": [
        (
            3,
            "YAML syntax error: found character '\\t' that cannot start any token; "
            "indent with spaces, not tabs",
        )
    ],
}


@pytest.fixture
def study_dir(tmp_path: Path) -> Path:
    path = tmp_path / "study"
    init_study(path)
    return path


def errors_of(path: Path) -> list[tuple[str | None, int | None, str]]:
    with pytest.raises(DefinitionErrors) as caught:
        load_study(path)
    return [(e.file, e.line, e.message) for e in caught.value.errors]


def test_there_are_at_least_fifteen_distinct_broken_files():
    assert len(CASES) >= 15
    assert sorted(CASES) == sorted(p.name for p in BROKEN.glob("*.yaml"))


@pytest.mark.parametrize("name", sorted(CASES))
def test_broken_form_file_gives_exact_message_and_line(study_dir: Path, name: str):
    target = study_dir / "forms" / "questions.yaml"
    shutil.copy(BROKEN / name, target)
    expected = [(str(target), line, message) for line, message in CASES[name]]
    assert errors_of(study_dir) == expected


@pytest.mark.parametrize("name", sorted(CASES))
def test_load_form_on_its_own_reports_errors_in_that_file(name: str):
    with pytest.raises(DefinitionErrors) as caught:
        load_form(BROKEN / name)
    assert all(e.file == str(BROKEN / name) for e in caught.value.errors)


def test_load_form_on_its_own_needs_labels_for_consent_boxes():
    # Without its study there is no consent item text to borrow as the label.
    with pytest.raises(DefinitionErrors) as caught:
        load_form(BROKEN / "unknown_consent_item.yaml")
    assert [(e.line, e.message) for e in caught.value.errors] == [
        (4, "item 'again': missing key 'label'")
    ]


def test_every_error_of_every_file_is_collected_in_one_pass(study_dir: Path):
    for name in ("unknown_key.yaml", "bad_id.yaml", "empty.yaml"):
        shutil.copy(BROKEN / name, study_dir / "forms" / name)
    study_yaml = study_dir / "study.yaml"
    study_yaml.write_text(study_yaml.read_text().replace("end_date: 2028-06-30", "end_date: soon"))
    found = errors_of(study_dir)
    files = {Path(f).name for f, _, _ in found}
    assert files == {"study.yaml", "unknown_key.yaml", "bad_id.yaml", "empty.yaml"}
    assert len(found) == 4


def test_definition_errors_is_a_user_error_with_a_one_line_summary(study_dir: Path):
    shutil.copy(BROKEN / "wrong_value_type.yaml", study_dir / "forms" / "questions.yaml")
    with pytest.raises(UserError) as caught:
        load_study(study_dir)
    summary = str(caught.value)
    assert "\n" not in summary
    assert summary.endswith(
        "questions.yaml:6: item 'story' required: expected true or false, got 'maybe' (and 1 more)"
    )


# --------------------------------------------------------------------------- study.yaml

#: (text in the template's study.yaml, replacement, expected message); the line is where it was.
STUDY_CASES = [
    (
        "end_date: 2028-06-30",
        "end_date: 2028-02-30",
        "end_date: '2028-02-30' is not a date; write it as YYYY-MM-DD, e.g. 2027-12-31",
    ),
    (
        "withdrawal_policy: delete",
        "withdrawal_policy: remove",
        "withdrawal_policy: unknown value 'remove'; expected one of: delete, keep",
    ),
    (
        "data_at_end: delete",
        "data_at_end: anonymize",
        "data_at_end: unknown value 'anonymize'; did you mean 'anonymise'?",
    ),
    (
        "  - id: contact_again",
        "  - id: questionnaire",
        "duplicate consent item id 'questionnaire' (first at line 116)",
    ),
    (
        "  email: personvern@example.no",
        "  email: personvern.example.no",
        "dpo email: 'personvern.example.no' is not an e-mail address",
    ),
    (
        "languages: [nb, nn, en]",
        "languages: [nb, nn, nb]",
        "languages: 'nb' is listed twice",
    ),
    (
        "default_language: nb",
        "default_language: se",
        "default_language: 'se' is not one of the study's languages (nb, nn, en)",
    ),
    (
        "purpose:",
        "purpse:",
        "study: unknown key 'purpse'; did you mean 'purpose'?",
    ),
]


@pytest.mark.parametrize("old,new,message", STUDY_CASES, ids=[c[1] for c in STUDY_CASES])
def test_broken_study_yaml_gives_exact_message_and_line(study_dir: Path, old, new, message):
    study_yaml = study_dir / "study.yaml"
    text = study_yaml.read_text()
    assert old in text
    line = text[: text.index(old)].count("\n") + 1
    study_yaml.write_text(text.replace(old, new, 1))
    found = errors_of(study_dir)
    assert (str(study_yaml), line, message) in found


def test_a_consent_item_without_a_box_on_any_consent_form(study_dir: Path):
    consent = study_dir / "forms" / "consent.yaml"
    text = consent.read_text()
    start = text.index("      - id: contact_again")
    end = text.index("      - id: name")
    consent.write_text(text[:start] + text[end:])
    study_yaml = study_dir / "study.yaml"
    line = study_yaml.read_text().splitlines().index("  - id: contact_again") + 1
    assert errors_of(study_dir) == [
        (
            str(study_yaml),
            line,
            "consent item 'contact_again' has no box on any consent form, so nobody can say "
            "yes to it; add a 'type: consent' item for it",
        )
    ]


def test_missing_study_yaml_and_missing_folder(tmp_path: Path):
    assert errors_of(tmp_path / "nowhere") == [
        (str(tmp_path / "nowhere"), None, "no such study folder")
    ]
    (tmp_path / "empty").mkdir()
    assert errors_of(tmp_path / "empty") == [
        (
            str(tmp_path / "empty" / "study.yaml"),
            None,
            "missing study.yaml: every study folder needs one (see 'deltaker init')",
        )
    ]


def test_duplicate_form_id_across_files(study_dir: Path):
    copy = study_dir / "forms" / "zz-copy.yaml"
    copy.write_text("id: questions\n" + (study_dir / "forms" / "questions.yaml").read_text())
    assert errors_of(study_dir) == [
        (
            str(copy),
            None,
            f"duplicate form id 'questions' (also in {study_dir / 'forms' / 'questions.yaml'})",
        )
    ]


def test_letter_missing_a_language_and_badly_named_letter(study_dir: Path):
    (study_dir / "letters" / "invitation.nn.md").unlink()
    (study_dir / "letters" / "reminder.md").write_text("Hei!")
    found = errors_of(study_dir)
    assert found == [
        (
            str(study_dir / "letters" / "reminder.md"),
            None,
            "a letter file must be named <id>.<language>.md, e.g. invitation.nb.md "
            "(or invitation.nb.easy.md for the easy-language variant)",
        ),
        (
            str(study_dir / "letters"),
            None,
            "letter 'invitation' has no nn text: add invitation.nn.md",
        ),
    ]


def test_not_utf8_and_too_large_files(study_dir: Path):
    questions = study_dir / "forms" / "questions.yaml"
    questions.write_bytes("title: Sp\u00f8rsm\u00e5l\n".encode("latin-1"))
    assert errors_of(study_dir) == [
        (str(questions), None, "the file is not UTF-8 text (bad byte at position 9)")
    ]
    questions.write_text("# padding\n" * 120_000)
    assert errors_of(study_dir) == [
        (str(questions), None, "the file is too large (1200000 bytes; at most 1000000)")
    ]


def test_stored_data_untouched_and_no_python_object_built(study_dir: Path, tmp_path: Path):
    marker = tmp_path / "pwned"
    (study_dir / "forms" / "questions.yaml").write_text(
        f'kind: !!python/object/apply:os.system ["touch {marker}"]\n'
    )
    errors_of(study_dir)
    assert not marker.exists()


def test_easy_letter_variant_loads_and_must_cover_every_language(study_dir: Path):
    letters = study_dir / "letters"
    (letters / "invitation.nb.easy.md").write_text("Vil du være med?\n\nSvar på arket.\n")
    with pytest.raises(DefinitionErrors) as caught:
        load_study(study_dir)
    assert [(e.file, e.message) for e in caught.value.errors] == [
        (str(letters), "letter 'invitation' has no nn text: add invitation.nn.easy.md"),
        (str(letters), "letter 'invitation' has no en text: add invitation.en.easy.md"),
    ]
    (letters / "invitation.nn.easy.md").write_text("Vil du vere med?\n")
    (letters / "invitation.en.easy.md").write_text("Will you take part?\n")
    letter = load_study(study_dir).letter("invitation")
    assert letter.body.get("nb", easy=True) == "Vil du være med?\n\nSvar på arket."
    assert letter.body.get("nb").startswith("# Vil du være med?")


def test_empty_letter_and_unknown_letter_language(study_dir: Path):
    letters = study_dir / "letters"
    (letters / "invitation.nb.md").write_text("\n\n")
    (letters / "invitation.se.md").write_text("Buorre beaivi")
    assert errors_of(study_dir) == [
        (str(letters / "invitation.nb.md"), None, "the letter is empty"),
        (
            str(letters / "invitation.se.md"),
            None,
            "language 'se' is not one of the study's languages (nb, nn, en)",
        ),
        (str(letters), None, "letter 'invitation' has no nb text: add invitation.nb.md"),
    ]


def test_a_study_with_consent_items_needs_a_consent_form(study_dir: Path):
    (study_dir / "forms" / "consent.yaml").unlink()
    study_yaml = study_dir / "study.yaml"
    line = study_yaml.read_text().splitlines().index("consent_items:") + 1
    assert errors_of(study_dir) == [
        (
            str(study_yaml),
            line,
            "there is no consent form for these consent items: add one to forms/ with "
            "'kind: consent' (see 'deltaker init')",
        )
    ]


#: The loaders the depth check may run on: libyaml's (when PyYAML was built with
#: it; newer builds stop at 1,000 levels with an error of their own) and PyYAML's own.
LOADERS = [
    pytest.param(
        getattr(yaml, "CSafeLoader", None),
        id="libyaml",
        marks=pytest.mark.skipif(
            not hasattr(yaml, "CSafeLoader"), reason="this PyYAML was built without libyaml"
        ),
    ),
    pytest.param(None, id="pure-python"),
]


@pytest.mark.parametrize("fast_loader", LOADERS)
@pytest.mark.parametrize(
    "text,line",
    [("[" * 50_000, 2), ("[" * 5_000 + "]" * 5_000, 2), ("\n" + "- " * 20_000 + "x", 3)],
    ids=["unclosed", "closed", "block"],
)
def test_very_deep_nesting_is_refused_without_crashing(
    study_dir: Path, text: str, line: int, fast_loader: type | None, monkeypatch
):
    # libyaml's composer crashes the process on this, PyYAML's overflows the stack.
    monkeypatch.setattr(forms.load, "_FAST_LOADER", fast_loader)
    questions = study_dir / "forms" / "questions.yaml"
    questions.write_text("kind: questionnaire\ntitle: " + text + "\n")
    assert errors_of(study_dir) == [
        (str(questions), line, "lists and 'key: value' blocks are nested more than 32 levels deep")
    ]


def test_a_file_instead_of_the_study_folder(study_dir: Path):
    assert errors_of(study_dir / "study.yaml") == [
        (
            str(study_dir / "study.yaml"),
            None,
            "this is a file; give the study folder, the one that holds study.yaml",
        )
    ]

"""${field} references and note conditions from an XLSForm, on paper and in `deltaker check`.

The form is a TB triage form in Portuguese as field teams write them: a plain
``label`` column (the settings' default_language), a calculated score shown in
a note, and three verdict notes whose conditions use the score. Printed as it
was before, it said "score de TB: ${score}" and gave all three verdicts.
"""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import pdfplumber
import pytest

from forms.load import load_form
from forms.references import BLANK, on_paper
from forms.validate import check_study
from forms.xlsform import form_yaml, import_xlsform
from printing.blank import render_blank
from tests.forms.test_xlsform import write_xlsform

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "u-sving"

TB_SURVEY = [
    ["type", "name", "label", "relevant", "calculation"],
    ["text", "nome", "Como se chama?", None, None],
    ["select_one sn", "tosse", "Tem tosse há mais de duas semanas?", None, None],
    ["select_one sn", "febre", "Tem febre à noite?", None, None],
    ["select_one sn", "peso", "Perdeu peso sem querer?", None, None],
    [
        "calculate",
        "score",
        None,
        None,
        "if(${tosse}='yes',1,0) + if(${febre}='yes',1,0) + if(${peso}='yes',1,0)",
    ],
    ["note", "obrigado", "Obrigado, ${nome}.", None, None],
    ["note", "n_score", "score de TB: ${score}", None, None],
    ["note", "alto", "Risco alto: vá hoje ao centro de saúde.", "${score} >= 2", None],
    ["note", "medio", "Risco médio: volte daqui a uma semana.", "${score} = 1", None],
    ["note", "baixo", "Risco baixo: não precisa de fazer nada.", "${score} = 0", None],
    ["note", "amostra", "Traga uma amostra de expetoração.", "${tosse} = 'yes'", None],
]
TB_CHOICES = [["list_name", "name", "label"], ["sn", "yes", "Sim"], ["sn", "no", "Não"]]


@pytest.fixture
def tb(tmp_path):
    path = write_xlsform(
        tmp_path / "tb_triagem.xlsx",
        TB_SURVEY,
        TB_CHOICES,
        settings=[["form_title", "form_id", "default_language"], ["Triagem TB", "tb", "pt"]],
    )
    return import_xlsform(path)


def _pdf_text(form, language: str) -> str:
    out = io.BytesIO()
    render_blank(out, form, study_id="s", base_url="https://deltaker.example.no", copies=1,
                 language=language)  # fmt: skip
    with pdfplumber.open(io.BytesIO(out.getvalue())) as doc:
        return " ".join(" ".join((page.extract_text() or "").split()) for page in doc.pages)


def test_a_plain_label_column_is_the_default_language(tb):
    assert tb.form.languages == ("pt",)
    assert tb.form.item("tosse").label.get("pt") == "Tem tosse há mais de duas semanas?"


def test_references_become_blanks_and_unprintable_verdicts_are_left_out(tb):
    form = tb.form
    # a question's answer is a reference the web fills in; the calculation is a blank
    assert form.item("obrigado").label.get("pt") == "Obrigado, {{nome}}."
    assert form.item("n_score").label.get("pt") == f"score de TB: {BLANK}"
    ids = [i.id for i in form.items()]
    assert "alto" not in ids and "medio" not in ids and "baixo" not in ids
    assert form.item("amostra").relevant == "${tosse} = 'yes'"
    messages = [(w.row, w.message) for w in tb.warnings]
    assert (8, "'n_score': ${score} is not a question here (a skipped calculation?); "
            "paper and the web show a blank line for it") in messages  # fmt: skip
    left_out = [row for row, m in messages if m.startswith("note ") and "left out" in m]
    assert left_out == [9, 10, 11]
    assert any("relevant '${score} >= 2'" in m for _, m in messages)


def test_the_printed_triage_form_has_blanks_one_condition_in_words_and_portuguese_instructions(
    tb,
):
    text = _pdf_text(tb.form, "pt")
    assert "${" not in text and "{{" not in text
    assert f"score de TB: {BLANK}" in text and f"Obrigado, {BLANK}." in text
    # not three contradictory verdicts, whatever the answers
    assert "Risco alto" not in text and "Risco médio" not in text and "Risco baixo" not in text
    # the note that follows one answer says when to read it, in the form's language
    assert "Leia isto só se respondeu «Sim» a «Tem tosse há mais de duas semanas»." in text
    assert "Traga uma amostra de expetoração." in text
    # the instructions are Portuguese, not English
    assert "Ponha uma cruz no quadrado." in text and "Ponha uma cruz." in text
    assert "Página 1 de" in text
    assert "Put a cross" not in text and "Page 1 of" not in text


def test_a_note_condition_in_norwegian_and_english(tmp_path):
    path = write_xlsform(
        tmp_path / "f.xlsx",
        [
            ["type", "name", "label::nb", "label::en", "relevant"],
            ["select_one yn", "hoste", "Hoster du?", "Do you cough?", None],
            ["note", "lege", "Gå til legen.", "See a doctor.", "selected(${hoste}, 'yes')"],
        ],
        [
            ["list_name", "name", "label::nb", "label::en"],
            ["yn", "yes", "Ja", "Yes"],
            ["yn", "no", "Nei", "No"],
        ],  # fmt: skip
    )
    form = import_xlsform(path).form
    assert "Les dette bare hvis du svarte «Ja» på «Hoster du»." in _pdf_text(form, "nb")
    assert "Read this only if you answered “Yes” to “Do you cough”." in _pdf_text(form, "en")


def test_a_question_after_one_answer_says_so_in_its_help(tmp_path):
    path = write_xlsform(
        tmp_path / "f.xlsx",
        [
            ["type", "name", "label::nb", "hint::nb", "relevant"],
            ["select_one yn", "hoste", "Hoster du?", None, None],
            ["integer", "uker", "Hvor mange uker?", "Skriv et tall.", "${hoste} = 'yes'"],
            ["text", "annet", "Noe annet?", None, "${hoste} != 'yes'"],
        ],
        [["list_name", "name", "label::nb"], ["yn", "yes", "Ja"], ["yn", "no", "Nei"]],
    )
    text = _pdf_text(import_xlsform(path).form, "nb")
    assert "Hvor mange uker? Svar bare hvis du svarte «Ja» på «Hoster du». Skriv et tall." in text
    # a condition paper cannot put in words: the question is printed as it is
    assert "Noe annet? Svar" not in text


def test_reference_to_a_later_question_text_on_paper():
    assert (
        on_paper("Du bor i {{town}}, sa du. {{ rooms }} rom?")
        == f"Du bor i {BLANK}, sa du. {BLANK} rom?"
    )


def test_imported_form_file_keeps_references_and_loads_back(tb, tmp_path):
    path = tmp_path / "tb.yaml"
    path.write_text(form_yaml(tb), encoding="utf-8")
    loaded = load_form(path, languages=("pt",))
    assert loaded.item("obrigado").label.get("pt") == "Obrigado, {{nome}}."


def _study_with_item_label(tmp_path: Path, old: str, new: str) -> Path:
    study = tmp_path / "study"
    shutil.copytree(EXAMPLE, study)
    form = next(p for p in (study / "forms").glob("*.yaml") if old in p.read_text("utf-8"))
    form.write_text(form.read_text("utf-8").replace(old, new, 1), encoding="utf-8")
    return study


def test_check_warns_about_a_dollar_reference_left_in_a_hand_written_form(tmp_path):
    study = _study_with_item_label(
        tmp_path, "Hvor mange bor i hjemmet ditt?", "Hvor mange bor i hjemmet ditt, ${navn}?"
    )
    report = check_study(study)
    assert not report.errors, [e.format() for e in report.errors]
    problems = [p for t in report.warnings for p in t.problems if "${navn}" in p]
    assert problems == [
        "${navn} is an XLSForm reference nothing fills in; write {{question_id}} to show an "
        "earlier answer (a blank line on paper), or take it out"
    ]


def test_check_refuses_a_reference_to_no_question(tmp_path):
    study = _study_with_item_label(
        tmp_path, "Hvor mange bor i hjemmet ditt?", "Hvor mange bor i hjemmet ditt, {{navn}}?"
    )
    messages = [e.message for e in check_study(study).errors]
    assert any("the text shows the answer to '{{navn}}', but there is no item 'navn'" in m
               for m in messages), messages  # fmt: skip


def test_check_says_which_study_language_prints_english_instructions(tmp_path):
    from dataclasses import replace

    from forms.validate import language_notes
    from tests.factories import make_study

    study = make_study()
    assert language_notes(study) == ()
    assert language_notes(replace(study, languages=("nb", "pt", "tet"))) == (
        "language 'tet': the printed forms' instructions (how to mark a box, page numbers) "
        "are not written in this language and print in English",
    )

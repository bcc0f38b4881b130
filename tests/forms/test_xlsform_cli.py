"""`deltaker xlsform` and `deltaker codebook` as a person runs them."""

from __future__ import annotations

import shutil
from pathlib import Path

import openpyxl
from click.testing import CliRunner

from forms.load import load_form
from webapp.cli import cli

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "u-sving"


def run(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def xlsform(path: Path, survey, choices=None, settings=None) -> Path:
    wb = openpyxl.Workbook()
    wb.active.title = "survey"
    for row in survey:
        wb["survey"].append(row)
    for title, rows in (("choices", choices), ("settings", settings)):
        if rows:
            sheet = wb.create_sheet(title)
            for row in rows:
                sheet.append(row)
    wb.save(path)
    return path


AFTER = [
    ["type", "name", "label::Norsk (nb)", "label::Nynorsk (nn)", "label::English (en)", "required"],
    ["begin group", "meetings", "Møtene", "Møta", "The meetings"],
    [
        "select_one yes_no",
        "came",
        "Var du på et møte?",
        "Var du på eit møte?",
        "Did you come to a meeting?",
        "yes",
    ],
    ["integer", "count", "Hvor mange møter?", "Kor mange møte?", "How many meetings?"],
    ["end group"],
    ["start", "start"],
]
YES_NO = [
    ["list_name", "name", "label::Norsk (nb)", "label::Nynorsk (nn)", "label::English (en)"],
    ["yes_no", "yes", "Ja", "Ja", "Yes"],
    ["yes_no", "no", "Nei", "Nei", "No"],
]


def test_import_into_a_study_that_then_passes_check(tmp_path):
    study = tmp_path / "study"
    shutil.copytree(EXAMPLE, study)
    source = xlsform(
        tmp_path / "after.xlsx",
        AFTER,
        YES_NO,
        [["form_title", "form_id", "default_language"], ["Etter møtene", "after", "nb"]],
    )
    out = study / "forms" / "after.yaml"
    result = run("xlsform", str(source), "--out", str(out))
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        f"{source}: form 'after' (questionnaire): 1 section, 2 questions, languages nb, nn, en.",
        f"Wrote {out}.",
    ]
    assert "warning: sheet 'survey', row 6: type 'start' (start) skipped" in result.stderr
    form = load_form(out, languages=("nb", "nn", "en"))
    assert [i.id for i in form.items()] == ["came", "count"]
    checked = run("check", str(study))
    assert checked.exit_code == 0, checked.output
    assert "5 forms" in checked.output.splitlines()[0]


def test_refuses_to_overwrite_without_force(tmp_path):
    source = xlsform(tmp_path / "a.xlsx", AFTER, YES_NO)
    out = tmp_path / "a.yaml"
    out.write_text("keep me")
    result = CliRunner().invoke(cli, ["xlsform", str(source), "--out", str(out)])
    assert result.exit_code != 0 and out.read_text() == "keep me"
    assert "exists already; give --force" in str(result.exception)
    assert run("xlsform", str(source), "--out", str(out), "--force").exit_code == 0
    assert out.read_text().startswith("# Imported from a.xlsx")


def test_lists_every_problem_and_writes_nothing(tmp_path):
    source = xlsform(
        tmp_path / "bad.xlsx",
        [
            ["type", "name", "label"],
            ["geopoint", "g", "G"],
            ["text", "a", "A"],
            ["image", "p", "P"],
        ],
    )
    out = tmp_path / "bad.yaml"
    result = run("xlsform", str(source), "--out", str(out))
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert lines[0].startswith(f"error: {source}: sheet 'survey', row 2: type 'geopoint'")
    assert lines[1].startswith(f"error: {source}: sheet 'survey', row 4: type 'image'")
    assert lines[2] == "2 problems; nothing was written."
    assert not out.exists()


def test_reports_what_to_fix_before_check_passes(tmp_path):
    source = xlsform(
        tmp_path / "gaps.xlsx",
        [
            ["type", "name", "label::nb", "label::en"],
            ["text", "a", "Navn", None],
            ["text", "b", None, "Street"],
        ],
    )
    out = tmp_path / "gaps.yaml"
    result = run("xlsform", str(source), "--out", str(out))
    assert result.exit_code == 0
    assert f"Before `deltaker check` passes, fix 2 things in {out}:" in result.stdout
    assert "item 'a' label: missing the 'en' translation" in result.stdout
    assert "item 'b' label: missing the 'nb' translation" in result.stdout
    assert "warning: sheet 'survey': 1 text has no 'en' version" in result.stderr


def test_kind_and_id_options(tmp_path):
    source = xlsform(tmp_path / "s.xlsx", AFTER, YES_NO)
    out = tmp_path / "slip.yaml"
    assert (
        run("xlsform", str(source), "--id", "slip", "--kind", "reply", "--out", str(out)).exit_code
        == 0
    )
    form = load_form(out)
    assert (form.id, str(form.kind)) == ("slip", "reply")


def test_codebook_of_the_example_study(tmp_path):
    out = tmp_path / "codebook.xlsx"
    result = run("codebook", str(EXAMPLE), "--out", str(out))
    assert result.exit_code == 0, result.output
    workbook = openpyxl.load_workbook(out)
    assert workbook.sheetnames == ["consent", "employees", "families", "withdrawal"]
    header = next(workbook["families"].iter_rows(values_only=True))
    assert header[:6] == ("form", "section", "item", "column", "type", "required")
    assert "question (nn)" in header and "value label (en)" in header
    assert result.stdout.startswith(f"Wrote {out}: codebook of 4 forms")


def test_codebook_of_one_form_in_chosen_languages(tmp_path):
    out = tmp_path / "cb.xlsx"
    result = run("codebook", str(EXAMPLE), "--form", "families", "--lang", "en", "--out", str(out))
    assert result.exit_code == 0, result.output
    workbook = openpyxl.load_workbook(out)
    assert workbook.sheetnames == ["families"]
    header = next(workbook["families"].iter_rows(values_only=True))
    assert [h for h in header if h.startswith("question")] == ["question (en)"]


def test_codebook_of_an_xlsform_and_of_a_form_file(tmp_path):
    source = xlsform(tmp_path / "after.xlsx", AFTER, YES_NO)
    assert run("codebook", str(source), "--out", str(tmp_path / "a.xlsx")).exit_code == 0
    assert openpyxl.load_workbook(tmp_path / "a.xlsx").sheetnames == ["after"]
    form_file = EXAMPLE / "forms" / "employees.yaml"
    assert run("codebook", str(form_file), "--out", str(tmp_path / "b.xlsx")).exit_code == 0


def test_codebook_mistakes_are_one_line(tmp_path):
    runner = CliRunner()
    cases = [
        (["codebook", str(EXAMPLE), "--out", str(tmp_path / "x.csv")], "name the file *.xlsx"),
        (
            ["codebook", str(tmp_path / "nope"), "--out", str(tmp_path / "x.xlsx")],
            "no such file or folder",
        ),
        (
            ["codebook", str(EXAMPLE), "--form", "nope", "--out", str(tmp_path / "x.xlsx")],
            "no form 'nope'; the forms are consent, employees, families, withdrawal",
        ),
        (
            ["codebook", str(ROOT / "README.md"), "--out", str(tmp_path / "x.xlsx")],
            "give a study folder, a form .yaml file or an XLSForm",
        ),
    ]
    for args, message in cases:
        result = runner.invoke(cli, args)
        assert result.exit_code != 0
        assert message in str(result.exception), (args, result.exception)
    assert not (tmp_path / "x.xlsx").exists()


def test_docs_name_every_read_type_and_every_option():
    from forms.xlsform import SIMPLE_TYPES
    from webapp.cli.forms_content_cmds import COMMANDS

    doc = (ROOT / "docs" / "xlsform.md").read_text(encoding="utf-8")
    for xls_type in SIMPLE_TYPES:
        assert f"`{xls_type}`" in doc, xls_type
    for command in COMMANDS:
        assert f"deltaker {command.name}" in doc
        for param in command.params:
            for opt in getattr(param, "opts", []):
                if opt.startswith("--") and opt not in ("--data", "--db"):
                    assert f"`{opt}" in doc, (command.name, opt)

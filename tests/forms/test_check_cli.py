"""`deltaker check` and `deltaker init` as a person runs them."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner

from webapp.cli import cli

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "u-sving"
BROKEN = Path(__file__).parent / "data" / "broken_forms"
DELTAKER = Path(sys.executable).parent / "deltaker"


def run(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def test_check_example_prints_the_readability_report():
    result = run("check", str(EXAMPLE))
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == (
        # three letters: the invitation, the reminder and the re-consent letter (issue 16)
        f"{EXAMPLE}: study 'u-sving' is valid: 4 forms, 3 letters, 5 consent items, "
        "languages nb, nn, en."
    )
    row = next(line for line in lines if line.startswith("letters/invitation.nn.md"))
    where, language, register, lix, longest, verdict = row.split()
    assert (language, register, verdict) == ("nn", "easy", "ok")
    row = next(line for line in lines if line.startswith("letters/reminder.nn.md"))
    assert row.split()[1:3] == ["nn", "easy"] and row.split()[-1] == "ok"
    assert float(lix) <= 30 and int(longest) <= 15
    assert lines[-1].startswith("0 errors, 0 warnings, ")


def test_check_json_has_exactly_the_agreed_shape():
    result = run("check", str(EXAMPLE), "--json")
    assert result.exit_code == 0
    data = json.loads(result.output)
    assert set(data) == {"errors", "texts"}
    assert data["errors"] == []
    keys = {"where", "language", "register", "lix", "words", "sentences", "longest_sentence",
            "verdict", "text"}  # fmt: skip
    assert all(set(t) == keys for t in data["texts"])
    purpose = next(
        t for t in data["texts"] if t["where"] == "study.yaml purpose" and t["language"] == "en"
    )
    assert purpose["register"] == "plain" and purpose["verdict"] == "ok"
    assert purpose["text"].startswith("We want to find out how families")


def test_check_broken_study_lists_errors_with_file_and_line_and_exits_1(tmp_path: Path):
    study = tmp_path / "s"
    shutil.copytree(EXAMPLE, study)
    shutil.copy(BROKEN / "unknown_item_type.yaml", study / "forms" / "extra.yaml")
    shutil.copy(BROKEN / "syntax_error.yaml", study / "forms" / "zz.yaml")
    result = run("check", str(study))
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        f"error: {study}/forms/extra.yaml:5: item 'pet': unknown type 'single_choise'; "
        "did you mean 'single_choice'?",
        f"error: {study}/forms/zz.yaml:6: YAML syntax error: expected <block end>, but found "
        "'<block mapping start>' (while parsing a block collection that starts on line 4)",
        f"{study}: 2 errors; fix them and run check again.",
    ]
    data = json.loads(run("check", str(study), "--json").output)
    assert data["texts"] == []
    assert data["errors"][0] == {
        "file": f"{study}/forms/extra.yaml",
        "line": 5,
        "message": "item 'pet': unknown type 'single_choise'; did you mean 'single_choice'?",
    }


def test_check_warns_about_hard_texts_and_strict_fails_on_them(tmp_path: Path):
    study = tmp_path / "s"
    shutil.copytree(EXAMPLE, study)
    letter = study / "letters" / "invitation.en.md"
    letter.write_text(
        letter.read_text()
        + "\nParticipation necessitates comprehensive documentation, consideration and "
        "collaboration between municipal representatives and household participants in every "
        "single meeting.\n"
    )
    result = run("check", str(study))
    assert result.exit_code == 0
    warnings = [line for line in result.output.splitlines() if line.startswith("warning:")]
    assert warnings == [
        "warning: letters/invitation.en.md (en, easy): a sentence has 17 words (at most 15): "
        '"Participation necessitates comprehensive documentation…"'
    ]
    assert "1 warning" in result.output.splitlines()[-1]
    assert run("check", str(study), "--strict").exit_code == 1


def test_init_writes_a_study_that_passes_check(tmp_path: Path):
    target = tmp_path / "housing-2027"
    result = run("init", str(target))
    assert result.exit_code == 0
    assert "deltaker check" in result.output
    assert (target / "study.yaml").read_text().count("id: housing-2027") == 1
    checked = run("check", str(target))
    assert checked.exit_code == 0, checked.output
    assert checked.output.splitlines()[-1].startswith("0 errors, 0 warnings")


def test_init_refuses_a_non_empty_folder_with_one_line_and_changes_nothing(tmp_path: Path):
    target = tmp_path / "taken"
    target.mkdir()
    (target / "notes.txt").write_text("mine")
    result = subprocess.run(
        [str(DELTAKER), "init", str(target)], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 1
    assert result.stderr == (
        f"error: {target}: the folder is not empty; choose a new folder so nothing is overwritten\n"
    )
    assert [p.name for p in target.iterdir()] == ["notes.txt"]


def test_check_on_a_missing_folder_is_one_clear_error(tmp_path: Path):
    result = subprocess.run(
        [str(DELTAKER), "check", str(tmp_path / "nope")], capture_output=True, text=True,
        timeout=60,
    )  # fmt: skip
    assert result.returncode == 1
    assert result.stdout.splitlines()[0] == f"error: {tmp_path / 'nope'}: no such study folder"
    assert "Traceback" not in result.stdout + result.stderr


def test_check_on_a_file_says_to_give_the_folder():
    result = run("check", str(EXAMPLE / "study.yaml"))
    # click refuses a file for STUDY_DIR before check runs
    assert result.exit_code == 2
    assert "is a file" in result.output


def test_init_into_an_unwritable_place_is_one_clear_error(tmp_path: Path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    result = subprocess.run(
        [str(DELTAKER), "init", str(blocker / "study")], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 1
    assert result.stderr.startswith(f"error: {blocker}")
    assert "cannot write the study folder: Not a directory" in result.stderr
    assert "Traceback" not in result.stderr


def _with_item(tmp_path: Path, item_yaml: str) -> Path:
    study = tmp_path / "study"
    shutil.copytree(EXAMPLE, study)
    path = study / "forms" / "employees.yaml"
    text = path.read_text(encoding="utf-8")
    marker = "    items:\n"
    path.write_text(text.replace(marker, marker + item_yaml, 1), encoding="utf-8")
    return study


def test_check_refuses_a_form_that_cannot_be_printed(tmp_path):
    # An option's text stays beside its box: one taller than a page cannot flow.
    words = "Jeg sier ja. " * 500
    study = _with_item(
        tmp_path,
        "      - id: story\n        type: single_choice\n"
        "        label: {nb: Velg, nn: Vel, en: Choose}\n        choices:\n"
        "          - {value: a, label: {nb: Ja, nn: Ja, en: Yes}}\n"
        f"          - {{value: b, label: {{nb: {words}, nn: {words}, en: {words}}}}}\n",
    )
    result = run("check", str(study))
    assert result.exit_code == 1, result.output
    errors = [line for line in result.output.splitlines() if line.startswith("error:")]
    assert errors and all("employees.yaml" in e and "'story'" in e for e in errors), errors
    assert "does not print (nb, standard print)" in result.output
    assert "option 'b' is too tall for one page" in result.output


def test_check_passes_a_long_choice_list_and_blank_prints_it(tmp_path):
    choices = "".join(
        f"          - {{value: c{n}, label: {{nb: Land {n}, nn: Land {n}, en: Country {n}}}}}\n"
        for n in range(178)
    )
    study = _with_item(
        tmp_path,
        "      - id: country\n        type: single_choice\n"
        "        label: {nb: Hvor er du født?, nn: Kvar er du fødd?, en: Where were you born?}\n"
        "        choices:\n" + choices,
    )
    result = run("check", str(study))
    assert result.exit_code == 0, result.output
    import io

    from forms.load import load_study
    from printing.blank import render_blank

    loaded = load_study(study)
    form = loaded.form("employees")
    out = io.BytesIO()
    render_blank(out, form, study_id=loaded.id, base_url=loaded.base_url, copies=1)
    assert out.getvalue().startswith(b"%PDF")


def test_check_warns_about_an_xlsform_reference_left_in_a_form(tmp_path: Path):
    study = tmp_path / "u-sving"
    shutil.copytree(EXAMPLE, study)
    families = study / "forms" / "families.yaml"
    text = families.read_text("utf-8")
    families.write_text(
        text.replace("Hvor mange bor i hjemmet ditt?", "Hvor mange bor hos ${navn}?", 1), "utf-8"
    )
    result = CliRunner().invoke(cli, ["check", str(study)], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    warning = next(line for line in result.output.splitlines() if "${navn}" in line)
    assert warning.startswith("warning: forms/families.yaml item ")
    assert "${navn} is an XLSForm reference nothing fills in" in warning
    strict = CliRunner().invoke(cli, ["check", str(study), "--strict"], catch_exceptions=False)
    assert strict.exit_code == 1

"""study.yaml's optional disclosure_threshold: default 5, a whole number from 1 to 100."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from forms.errors import DefinitionErrors
from forms.load import load_study
from forms.version import study_text_version

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "u-sving"


def _with(tmp_path: Path, line: str) -> Path:
    folder = tmp_path / "study"
    shutil.copytree(EXAMPLE, folder)
    with open(folder / "study.yaml", "a", encoding="utf-8") as handle:
        handle.write(f"\n{line}\n")
    return folder


def test_default_and_given_threshold_and_the_text_version_ignores_it(tmp_path):
    default = load_study(EXAMPLE)
    assert default.disclosure_threshold == 5
    given = load_study(_with(tmp_path, "disclosure_threshold: 10"))
    assert given.disclosure_threshold == 10
    assert study_text_version(given) == study_text_version(default), "not a text anyone reads"


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("0", "disclosure_threshold: 0 should be a whole number from 1 to 100"),
        ("five", "disclosure_threshold: expected a whole number"),
    ],
)
def test_a_bad_threshold_is_one_message_with_its_line(tmp_path, value, message):
    folder = _with(tmp_path, f"disclosure_threshold: {value}")
    with pytest.raises(DefinitionErrors) as caught:
        load_study(folder)
    errors = caught.value.errors
    assert len(errors) == 1 and message in errors[0].message
    assert errors[0].line == len((folder / "study.yaml").read_text().splitlines())

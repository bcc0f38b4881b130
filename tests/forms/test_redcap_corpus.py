"""REDCap import on real data dictionaries (tests/forms/data/redcap, sources in its README).

Every instrument of every file either imports, passes `deltaker check` (inside a
copy of the example study) and prints as a blank copy, or is refused with
RedcapErrors whose every problem names the row and what paper cannot hold. No
other exception is allowed.
"""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import pytest

from forms.load import load_study
from forms.redcap import RedcapErrors, form_yaml, import_redcap, iter_forms
from forms.validate import check_study
from printing.blank import render_blank
from printing.layout import LayoutError
from printing.printable import print_errors
from printing.typeface import MissingGlyphError

DATA = Path(__file__).parent / "data" / "redcap"
EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "u-sving"
FILES = sorted(p.name for p in DATA.glob("*.csv"))

#: What paper cannot hold, as the refusals name it.
PAPER_IMPOSSIBLE = (
    "file upload cannot be held on paper",
    "dynamic SQL list",
    "cannot be a Deltaker choice value",
    "needs at least 2 choices",
)

#: file -> instruments that import (the rest are refused); read from each file.
IMPORTED = {
    "redcapr-simple.csv": {"demographics", "race_and_ethnicity"},
    "redcapr-clinical-trial-1.csv": {"demographics"},
    "redcapr-survey.csv": {
        "participant_info_survey",
        "participant_morale_questionnaire",
        "completion_data",
    },
    "redcapr-validation-types-1.csv": set(),
    "redcapr-potentially-problematic-dictionary.csv": {"form_1"},
}

#: file -> forms that import and pass forms' check but do not print: an option text
#: taller than a page (a whole consent text as the label of a "yes" box), or
#: characters the print font lacks. `deltaker check` refuses them in its layout step
#: (printing.printable); long choice lists and long texts flow (issue 14 part 4).
TOO_TALL: dict[str, set[str]] = {
    "bridge2ai-voice.csv": {"bridge2ai_econsent_usf_spanish"},
    "redcap-regression-test.csv": {
        "upgrade_documentation",
        "characters_that_are_not_in_the_character_set",
    },
}


def test_the_corpus_is_documented():
    readme = (DATA / "README.md").read_text(encoding="utf-8")
    assert len(FILES) >= 5
    for name in FILES:
        assert f"| {name} |" in readme, name


@pytest.mark.parametrize("name", FILES)
def test_every_instrument_imports_checks_and_prints_or_is_refused(tmp_path, name):
    path = DATA / name
    study_dir = tmp_path / "study"
    shutil.copytree(EXAMPLE, study_dir)
    taken = {p.stem for p in (study_dir / "forms").glob("*.yaml")}
    imported: dict[str, str] = {}
    for instrument in iter_forms(path):
        form_id = instrument if instrument not in taken else f"rc_{instrument}"
        try:
            result = import_redcap(path, form=instrument, form_id=form_id[:63])
        except RedcapErrors as exc:
            for error in exc.errors:
                assert error.row, error.format()
                assert any(reason in error.message for reason in PAPER_IMPOSSIBLE), error.format()
            continue
        out = study_dir / "forms" / f"{result.form.id}.yaml"
        out.write_text(form_yaml(result), encoding="utf-8")
        imported[instrument] = result.form.id
    if name in IMPORTED:
        assert set(imported) == IMPORTED[name]
    report = check_study(study_dir)
    assert not report.errors, [e.format() for e in report.errors[:5]]
    study = load_study(study_dir)
    too_tall = set()
    for form_id in imported.values():
        form = study.form(form_id)
        try:
            blank = render_blank(
                io.BytesIO(), form, study_id=study.id, base_url=study.base_url, copies=1
            )
        except LayoutError as exc:
            assert "too tall for one page" in str(exc)
            assert print_errors(study), form_id  # check's layout step refuses it
            too_tall.add(form_id)
            continue
        except MissingGlyphError as exc:
            assert form_id in str(exc)
            assert print_errors(study), form_id
            too_tall.add(form_id)
            continue
        assert blank.pages >= 1, form_id
    # issue 14 part 4 (long choice lists in columns, long texts split) makes these print
    assert too_tall == TOO_TALL.get(name, set())

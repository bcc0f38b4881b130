"""What passes `deltaker check` prints (issue 14, point 4), on every form the test
corpora import: the real REDCap dictionaries (tests/forms/data/redcap), the queXML
questionnaires (tests/forms/data/quexml) and the XLSForms of ../shared/corpus/xlsform.
Each imported form goes into a copy of the example study; when check (with its
layout step) passes, `blank` renders every language of it without error, and when
it does not, the error names the form."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import pytest

from forms.errors import UserError
from forms.load import load_study
from forms.quexml import form_yaml as quexml_yaml
from forms.quexml import import_quexml
from forms.redcap import form_yaml as redcap_yaml
from forms.redcap import import_redcap, iter_forms
from forms.validate import check_study
from forms.xlsform import import_xlsform
from forms.xlsform.form_file import form_yaml as xlsform_yaml
from printing.blank import render_blank
from printing.printable import print_errors

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "u-sving"
REDCAP = ROOT / "tests" / "forms" / "data" / "redcap"
QUEXML = ROOT / "tests" / "forms" / "data" / "quexml"
XLSFORMS = ROOT.parent / "shared" / "corpus" / "xlsform"

CASES = (
    [("redcap", p) for p in sorted(REDCAP.glob("*.csv"))]
    + [("quexml", p) for p in sorted(QUEXML.glob("*.xml"))]
    + [("xlsform", p) for p in sorted(XLSFORMS.rglob("*.xls*"))]
)


def _imported(kind: str, path: Path) -> list[tuple[str, str]]:
    """(form id, form file text) of every form of ``path`` that imports."""
    out = []
    if kind == "redcap":
        for n, instrument in enumerate(iter_forms(path)):
            try:
                result = import_redcap(path, form=instrument, form_id=f"rc{n}_{instrument}"[:63])
            except UserError:
                continue  # refused: the corpus tests check the message
            out.append((result.form.id, redcap_yaml(result)))
        return out
    if kind == "quexml":
        try:
            imported = import_quexml(path, form_id="imported")
        except UserError:
            return out
        return [(imported.form.id, quexml_yaml(imported))]
    try:
        result = import_xlsform(path, form_id="imported")
    except UserError:
        return out
    return [(result.form.id, xlsform_yaml(result))]


@pytest.mark.parametrize(("kind", "path"), CASES, ids=lambda c: getattr(c, "name", c))
def test_a_form_that_passes_check_prints(tmp_path: Path, kind: str, path: Path) -> None:
    study_dir = tmp_path / "study"
    shutil.copytree(EXAMPLE, study_dir)
    forms = _imported(kind, path)
    if not forms:
        pytest.skip(f"{path.name}: nothing imports")
    for form_id, text in forms:
        (study_dir / "forms" / f"{form_id}.yaml").write_text(text, encoding="utf-8")
    report = check_study(study_dir)
    if report.errors:
        pytest.skip(f"{path.name}: check refuses it before printing (forms/ corpus tests)")
    problems = print_errors(report.study)  # type: ignore[arg-type]
    refused = {Path(e.file or "").stem for e in problems}
    for error in problems:
        assert error.file and Path(error.file).stem in dict(forms), error.format()
        assert "does not print" in error.message
    study = load_study(study_dir)
    for form_id, _ in forms:
        if form_id in refused:
            continue
        form = study.form(form_id)
        for language in form.languages:
            out = io.BytesIO()
            blank = render_blank(
                out, form, study_id=study.id, base_url=study.base_url, copies=1, language=language
            )
            assert blank.pages >= 1 and out.getvalue().startswith(b"%PDF"), (form_id, language)

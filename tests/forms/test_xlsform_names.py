"""XLSForm names pyxform accepts that are not Deltaker ids: kept as written, safe ids derived."""

from __future__ import annotations

import pytest

from forms.codebook import codebook
from forms.load import load_form
from forms.xlsform import XLSFormErrors, form_yaml, import_xlsform
from forms.xlsform.names import safe_key
from tests.forms.test_xlsform import write_xlsform


def test_safe_key_keeps_ids_and_derives_the_rest():
    assert safe_key("age", ()) == "age"
    assert safe_key("Age", ()) == "age"
    assert safe_key("_id", ()) == "id"
    assert safe_key("tel.office", ()) == "tel_office"
    assert safe_key("geflüchtete", ()) == "gefluchtete"
    assert safe_key("père", ()) == "pere"
    assert safe_key("24/7", ()) == "24_7"
    assert safe_key("0.5", ()) == "0_5"
    long = "how_many_people_live_in_your_household_including_yourself_and_children"
    key = safe_key(long, ())
    assert len(key) <= 63 and key.startswith("how_many_people") and key == safe_key(long, ())
    assert safe_key("age", {"age"}, prefix="father") == "father_age"
    # taken both ways: a digest keeps it unique
    third = safe_key("age", {"age", "father_age"}, prefix="father")
    assert third not in {"age", "father_age"} and third.startswith("father_age_")


def _form(tmp_path):
    survey = [
        ["type", "name", "label", "relevant"],
        ["text", "_id", "Your id"],
        ["tel", "tel.office", "Office phone"],
        ["note", "hidden_pic", ""],  # an unlabelled (image) note: skipped, its name stays free
        ["text", "hidden_pic", "A later question with the skipped name"],
        ["begin group", "mother", "Mother"],
        ["integer", "age", "Her age"],
        ["end group"],
        ["begin group", "father", "Father"],
        ["integer", "age", "His age"],
        ["end group"],
        ["select_multiple status", "status", "Status"],
        ["text", "why", "Why?", "selected(${status}, 'geflüchtete') and ${tel.office} != ''"],
        ["select_one agree or_other", "agree", "Agree?"],
        ["select one from agree or_other", "agree2", "Agree again?"],
        ["select_multiple read", "read", "Read it"],
        ["add text prompt", "old", "An old ODK Build question"],
    ]
    choices = [
        ["list_name", "name", "label"],
        ["status", "geflüchtete", "Geflüchtete"],
        ["status", "père", "Père"],
        ["status", "24/7", "Always"],
        ["status", "0.5", "Half"],
        ["agree", "yes", "Yes"],
        ["agree", "no", "No"],
        ["read", "ok", "I have read the text"],
    ]
    return write_xlsform(tmp_path / "names.xlsx", survey, choices)


def test_names_that_are_not_ids_import_with_the_name_kept(tmp_path):
    result = import_xlsform(_form(tmp_path))
    form = result.form
    ids = [item.id for item in form.items()]
    assert ids == [
        "id",
        "tel_office",
        "hidden_pic",
        "age",
        "father_age",
        "status",
        "why",
        "agree",
        "agree_other",
        "agree2",
        "agree2_other",
        "read",
        "old",
    ]
    assert form.item("id").source_name == "_id"
    assert form.item("tel_office").source_name == "tel.office"
    assert form.item("father_age").source_name == "age"
    assert form.item("age").source_name is None
    status = form.item("status")
    assert [(c.value, c.source_value) for c in status.choices] == [
        ("gefluchtete", "geflüchtete"),
        ("pere", "père"),
        ("24_7", "24/7"),
        ("0_5", "0.5"),
    ]
    assert form.item("why").relevant == (
        "selected(${status}, 'gefluchtete') and ${tel_office} != ''"
    )
    assert [c.value for c in form.item("agree").choices] == ["yes", "no", "other"]
    assert [c.value for c in form.item("agree2").choices] == ["yes", "no", "other"]
    assert [c.value for c in form.item("read").choices] == ["ok"]  # a single tick box
    assert str(form.item("tel_office").type) == "short_text"
    assert str(form.item("old").type) == "short_text"
    warned = " | ".join(w.message for w in result.warnings)
    assert "question '_id' is stored as 'id'" in warned
    assert "question 'age' is stored as 'father_age' (the name is used in another group" in warned
    assert "'geflüchtete' as 'gefluchtete'" in warned


def test_the_yaml_file_and_the_codebook_keep_the_names_as_written(tmp_path):
    result = import_xlsform(_form(tmp_path))
    path = tmp_path / "imported.yaml"
    path.write_text(form_yaml(result), encoding="utf-8")
    text = path.read_text(encoding="utf-8")
    assert "source_name: tel.office" in text and "source_value: geflüchtete" in text
    loaded = load_form(path, languages=result.form.languages)
    assert loaded == result.form
    headers, rows = codebook(loaded, ("en",))
    assert "source name" in headers
    at = headers.index("source name")
    column = headers.index("column")
    by_column = {row[column]: row[at] for row in rows}
    assert by_column["tel_office"] == "tel.office"
    assert by_column["father_age"] == "age"
    assert by_column["status__gefluchtete"] == "status = geflüchtete"
    assert by_column["age"] == ""


def test_same_name_in_the_same_group_is_still_an_error(tmp_path):
    path = write_xlsform(
        tmp_path / "f.xlsx",
        [["type", "name", "label"], ["text", "a", "A"], ["text", "a", "B"]],
    )
    with pytest.raises(XLSFormErrors, match=r"name 'a' is used twice \(rows 2 and 3\)"):
        import_xlsform(path)


def test_a_language_with_a_missing_translation_is_left_out_with_one_warning(tmp_path):
    survey = [["type", "name", "label::English (en)", "label::Norsk (nb)"]]
    survey += [["text", f"q{n}", f"Question {n}", f"Spørsmål {n}"] for n in range(27)]
    survey[5][3] = ""  # one gap in nb
    path = write_xlsform(tmp_path / "f.xlsx", survey)
    result = import_xlsform(path)
    assert result.form.languages == ("en",)
    dropped = [w.message for w in result.warnings if "left out" in w.message]
    assert dropped == [
        "language 'nb' left out: 1 text(s) have no 'nb' version (first: item 'q4' label); "
        "a form keeps only languages its questions, choices and section titles are all "
        "written in"
    ]
    out = tmp_path / "imported.yaml"
    out.write_text(form_yaml(result), encoding="utf-8")
    assert load_form(out, languages=("en",)) == result.form


@pytest.mark.parametrize("written", ["rank aspects", "rank aspects or_other", "rank"])
def test_rank_says_why_it_cannot_be_on_paper(tmp_path, written):
    path = write_xlsform(
        tmp_path / "f.xlsx",
        [["type", "name", "label"], [written, "r", "Rank"]],
        [["list_name", "name", "label"], ["aspects", "a", "A"], ["aspects", "b", "B"]],
    )
    with pytest.raises(XLSFormErrors) as info:
        import_xlsform(path)
    (error,) = info.value.errors
    assert error.row == 2 and error.type == written
    assert "ranking cannot be marked with crosses" in error.message

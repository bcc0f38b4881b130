"""XLSForm import on workbooks written here with openpyxl: languages, groups, filters, errors."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import openpyxl
import pytest

from forms import workbook, xlsform
from forms.errors import DefinitionErrors, UserError
from forms.model import FormKind, ItemType
from forms.version import geometry_fingerprint, text_version
from forms.xlsform import XLSFormError, XLSFormErrors, import_xlsform, language_code


def write_xlsform(path: Path, survey, choices=None, settings=None, extra=None) -> Path:
    """Write an XLSForm: each sheet a list of rows (the first row is the header)."""
    wb = openpyxl.Workbook()
    wb.active.title = "survey"
    for row in survey:
        wb["survey"].append(list(row))
    for title, rows in (("choices", choices), ("settings", settings), *(extra or {}).items()):
        if rows is not None:
            ws = wb.create_sheet(title)
            for row in rows:
                ws.append(list(row))
    wb.save(path)
    return path


def problems(exc: pytest.ExceptionInfo) -> list[tuple[int | None, str]]:
    return [(e.row, e.message) for e in exc.value.errors]


NORWEGIAN = [
    [
        "type",
        "name",
        "label::Norsk (nb)",
        "label::Nynorsk",
        "label::English (en)",
        "hint::nb",
        "required",
        "relevant",
        "choice_filter",
        "appearance",
    ],
    ["note", "welcome", "Velkommen", "Velkomen", "Welcome"],
    ["begin group", "home", "Hjemmet ditt", "Heimen din", "Your home", "Om boligen"],
    [
        "select_one housing",
        "housing",
        "Hvor bor du?",
        "Kvar bur du?",
        "Where do you live?",
        "Velg ett svar",
        "yes",
    ],
    [
        "integer",
        "rooms",
        "Hvor mange rom?",
        "Kor mange rom?",
        "How many rooms?",
        None,
        "TRUE()",
        "${housing} = 'rent'",
    ],
    ["begin group", "kids", "Barn", "Born", "Children", None, None, "${rooms} > 1"],
    [
        "select_multiple help",
        "help",
        "Hvem hjelper deg?",
        "Kven hjelper deg?",
        "Who helps you?",
        None,
        "no",
        "${housing} != 'own'",
        "kind = 'public'",
    ],
    ["end group"],
    ["text", "story", "Fortell", "Fortel", "Tell us", None, None, None, None, "multiline"],
    ["end group"],
    ["date", "moved", "Når flyttet du?", "Når flytta du?", "When did you move?"],
    ["start", "start"],
    ["calculate", "total", None, None, None, None, None, None, None, None],
    ["decimal", "rent_nok", "Husleie", "Husleige", "Rent"],
    ["select_one housing or_other", "where", "Hvor?", "Kvar?", "Where?"],
]
NORWEGIAN_CHOICES = [
    ["list_name", "name", "label::Norsk (nb)", "label::Nynorsk", "label::English (en)", "kind"],
    ["housing", "rent", "Jeg leier", "Eg leiger", "I rent"],
    ["housing", "own", "Jeg eier", "Eg eig", "I own"],
    ["help", "nav", "NAV", "NAV", "NAV", "public"],
    ["help", "family", "Familie", "Familie", "Family", "private"],
    [],
    ["help", 3, "Kommunen", "Kommunen", "The municipality", "public"],
]


@pytest.fixture
def norwegian(tmp_path):
    path = write_xlsform(
        tmp_path / "bolig.xlsx",
        NORWEGIAN,
        NORWEGIAN_CHOICES,
        [["form_title", "form_id", "default_language"], ["Bolig", "bolig", "Norsk (nb)"]],
    )
    return import_xlsform(path)


def test_languages_groups_and_types(norwegian):
    form = norwegian.form
    assert form.id == "bolig" and form.kind == FormKind.QUESTIONNAIRE
    assert form.languages == ("nb", "nn", "en")
    assert form.title.get("nb") == "Bolig"
    assert [(s.id, [i.id for i in s.items]) for s in form.sections] == [
        ("section_1", ["welcome"]),
        ("home", ["housing", "rooms"]),
        ("kids", ["help"]),
        ("home__2", ["story"]),
        ("section_2", ["moved", "rent_nok", "where", "where_other"]),
    ]
    home = form.sections[1]
    assert home.title.get("nn") == "Heimen din" and home.intro.get("nb") == "Om boligen"
    assert form.sections[3].title.get("en") == "Your home"  # continuation keeps the title
    types = {i.id: i.type for i in form.items()}
    assert types == {
        "welcome": ItemType.INFO,
        "housing": ItemType.SINGLE_CHOICE,
        "rooms": ItemType.NUMBER,
        "help": ItemType.MULTIPLE_CHOICE,
        "story": ItemType.LONG_TEXT,
        "moved": ItemType.DATE,
        "rent_nok": ItemType.NUMBER,
        "where": ItemType.SINGLE_CHOICE,
        "where_other": ItemType.SHORT_TEXT,
    }


def test_labels_hints_and_choices(norwegian):
    form = norwegian.form
    housing = form.item("housing")
    assert dict(housing.label.values) == {
        "nb": "Hvor bor du?",
        "nn": "Kvar bur du?",
        "en": "Where do you live?",
    }
    assert dict(housing.hint.values) == {"nb": "Velg ett svar"}
    assert [(c.value, c.label.get("nn")) for c in housing.choices] == [
        ("rent", "Eg leiger"),
        ("own", "Eg eig"),
    ]
    helpers = form.item("help")
    assert [c.value for c in helpers.choices] == ["nav", "family", "3"]  # the number 3 as text
    assert [(c.value, c.label.get("en")) for c in form.item("where").choices] == [
        ("rent", "I rent"),
        ("own", "I own"),
        ("other", "Other"),
    ]
    assert form.item("where_other").label.get("nb") == "Annet. Skriv her:"


def test_required_and_relevant(norwegian):
    form = norwegian.form
    assert form.item("housing").required and form.item("rooms").required
    assert not form.item("help").required and not form.item("story").required
    assert form.item("rooms").relevant == "${housing} = 'rent'"
    # a group's condition is joined onto every question inside it
    assert form.item("help").relevant == "(${rooms} > 1) and (${housing} != 'own')"
    assert form.item("story").relevant is None
    assert form.item("where_other").relevant == "selected(${where}, 'other')"


def test_choice_filter_kept_with_choice_columns(norwegian):
    cf = norwegian.choice_filters["help"]
    assert cf.expression == "kind = 'public'"
    assert cf.attributes == {
        "nav": {"kind": "public"},
        "family": {"kind": "private"},
        "3": {"kind": "public"},
    }
    assert set(norwegian.choice_filters) == {"help"}


def test_metadata_skipped_with_warnings_naming_the_row(norwegian):
    messages = [(w.sheet, w.row, w.message) for w in norwegian.warnings]
    assert (
        "survey",
        12,
        "type 'start' (start) skipped: it is recorded by the phone app, not answered by a person",
    ) in messages
    assert any(row == 13 and "calculate" in m for _, row, m in messages)
    assert any(row == 7 and "choice_filter" in m for _, row, m in messages)


def test_imported_form_has_versions(norwegian, tmp_path):
    form = norwegian.form
    assert len(text_version(form)) == 8 and len(geometry_fingerprint(form)) == 8
    again = import_xlsform(
        write_xlsform(
            tmp_path / "again.xlsx",
            NORWEGIAN,
            NORWEGIAN_CHOICES,
            [["form_title", "form_id", "default_language"], ["Bolig", "bolig", "Norsk (nb)"]],
        )
    )
    assert text_version(again.form) == text_version(form)


def test_form_id_and_kind_arguments(tmp_path):
    path = write_xlsform(
        tmp_path / "My Form.xlsx", [["type", "name", "label"], ["text", "q", "Q?"]]
    )
    result = import_xlsform(path)
    assert result.form.id == "my-form"
    assert any("stored as 'my-form'" in str(w) for w in result.warnings)
    assert result.form.languages == ("en",)
    other = import_xlsform(path, form_id="slip", kind=FormKind.REPLY)
    assert other.form.id == "slip" and other.form.kind == FormKind.REPLY
    with pytest.raises(XLSFormErrors, match="form id 'Bad Id'"):
        import_xlsform(path, form_id="Bad Id")


def test_plain_label_uses_default_language(tmp_path):
    path = write_xlsform(
        tmp_path / "f.xlsx",
        [["TYPE", "Name", "Label", "label::English"], ["text", "q", "Spørsmål", "Question"]],
        settings=[["default_language"], ["nb"]],
    )
    form = import_xlsform(path).form
    assert dict(form.item("q").label.values) == {"nb": "Spørsmål", "en": "Question"}
    assert form.languages == ("nb", "en")


def test_language_names_come_from_the_language_table(tmp_path):
    # Timor-Leste's forms name their languages in words; none of these is in a hand list
    path = write_xlsform(
        tmp_path / "f.xlsx",
        [
            ["type", "name", "label", "label::Português", "label::Kiswahili"],
            ["text", "q", "Pergunta tetun", "Pergunta", "Swali"],
        ],
        settings=[["default_language"], ["Tetun"]],
    )
    form = import_xlsform(path).form
    assert form.languages == ("tet", "pt", "sw")
    assert form.item("q").label.get("tet") == "Pergunta tetun"


def test_unknown_default_language_is_one_clear_error(tmp_path):
    path = write_xlsform(
        tmp_path / "f.xlsx",
        [["type", "name", "label"], ["text", "q", "Q"]],
        settings=[["default_language"], ["Klingonish"]],
    )
    with pytest.raises(XLSFormErrors) as info:
        import_xlsform(path)
    assert [(e.sheet, e.message) for e in info.value.errors] == [
        (
            "settings",
            "default_language 'Klingonish' is not a language Deltaker knows; write it "
            "with its code, e.g. 'Norsk (nb)'",
        )
    ]


def test_old_style_headers_and_types(tmp_path):
    path = write_xlsform(
        tmp_path / "old.xlsx",
        [
            ["type", "name", "label:English", "bind: relevant"],
            ["select one from yn", "a", "A?", None],
            ["select all that apply from yn or specify other", "b", "B?", "${a}='yes'"],
            ["string", "c", "C?"],
            ["int", "d", "D?"],
            ["phone number", "e", "E?"],
        ],
        choices=[["list name", "name", "label:English"], ["yn", "yes", "Yes"], ["yn", "no", "No"]],
    )
    form = import_xlsform(path).form
    assert [(i.id, i.type) for i in form.items()] == [
        ("a", ItemType.SINGLE_CHOICE),
        ("b", ItemType.MULTIPLE_CHOICE),
        ("b_other", ItemType.SHORT_TEXT),
        ("c", ItemType.SHORT_TEXT),
        ("d", ItemType.NUMBER),
        ("e", ItemType.SHORT_TEXT),
    ]
    assert form.item("b").relevant == "${a}='yes'"
    assert form.item("b_other").relevant == "(${a}='yes') and (selected(${b}, 'other'))"


def test_upper_case_names_become_lower_case_ids(tmp_path):
    path = write_xlsform(
        tmp_path / "f.xlsx",
        [
            ["type", "name", "label", "relevant"],
            ["text", "FirstName", "Name"],
            ["integer", "Age", "Age", "${FirstName} != ''"],
        ],
    )
    result = import_xlsform(path)
    assert [i.id for i in result.form.items()] == ["firstname", "age"]
    assert any(w.row == 2 and "stored as 'firstname'" in w.message for w in result.warnings)
    assert result.form.item("age").relevant == "${firstname} != ''"


def test_conditional_required_is_a_warning(tmp_path):
    path = write_xlsform(
        tmp_path / "f.xlsx", [["type", "name", "label", "required"], ["text", "a", "A", "${b} = 1"]]
    )
    result = import_xlsform(path)
    assert not result.form.item("a").required
    assert any(w.row == 2 and "is a condition" in w.message for w in result.warnings)


def test_duplicate_choices_allowed_by_settings(tmp_path):
    survey = [["type", "name", "label"], ["select_one l", "a", "A"]]
    choices = [
        ["list_name", "name", "label"],
        ["l", "x", "X"],
        ["l", "y", "Y"],
        ["l", "x", "X again"],
    ]
    with pytest.raises(XLSFormErrors) as info:
        import_xlsform(write_xlsform(tmp_path / "a.xlsx", survey, choices))
    assert problems(info) == [
        (4, "list 'l' has 'x' twice (rows 2 and 4); names in a list must differ")
    ]
    ok = import_xlsform(
        write_xlsform(tmp_path / "b.xlsx", survey, choices, [["allow_choice_duplicates"], ["yes"]])
    )
    assert [c.label.get("en") for c in ok.form.item("a").choices] == ["X", "Y"]


@pytest.mark.parametrize(
    "type_, reason",
    [
        ("geopoint", "map location"),
        ("image", "photo"),
        ("audio", "sound"),
        ("video", "video"),
        ("barcode", "camera"),
        ("time", "time-of-day"),
        ("datetime", "date-and-time"),
        ("acknowledge", "'OK' button"),
        ("range", "slider"),
        ("file", "file"),
        ("geotrace", "map"),
        ("rank", "ranking"),
        ("select_one_from_file f.csv", "outside file"),
        ("begin loop over l", "loop"),
        ("include", "including"),
    ],
)
def test_unsupported_types_name_row_and_type(tmp_path, type_, reason):
    path = write_xlsform(
        tmp_path / "f.xlsx", [["type", "name", "label"], ["text", "a", "A"], [type_, "b", "B"]]
    )
    with pytest.raises(XLSFormErrors) as info:
        import_xlsform(path)
    error = info.value.errors[0]
    assert isinstance(error, XLSFormError) and isinstance(error, UserError)
    assert (error.sheet, error.row, error.type) == ("survey", 3, type_)
    assert reason in error.message
    assert error.format().startswith(f"{path}: sheet 'survey', row 3: type '{type_}'")


def test_repeat_is_one_error_and_its_contents_are_not_reported(tmp_path):
    path = write_xlsform(
        tmp_path / "f.xlsx",
        [
            ["type", "name", "label"],
            ["begin repeat", "kids", "Kids"],
            ["geopoint", "g", "G"],
            ["begin repeat", "inner", "I"],
            ["end repeat"],
            ["end repeat"],
            ["image", "p", "P"],
        ],
    )
    with pytest.raises(XLSFormErrors) as info:
        import_xlsform(path)
    assert [(e.row, e.type) for e in info.value.errors] == [(2, "begin repeat"), (7, "image")]


@pytest.mark.parametrize(
    "survey, choices, expected",
    [
        ([["type", "label"], ["text", "A"]], None, (1, "no 'name' column")),
        ([["name", "label"], ["a", "A"]], None, (1, "no 'type' column")),
        (
            [["type", "name", "label"], ["text", "a", "A"], ["integer", "a", "B"]],
            None,
            (3, "name 'a' is used twice (rows 2 and 3)"),
        ),
        (
            [["type", "name", "label"], ["select_one nope", "a", "A"]],
            [["list_name", "name", "label"], ["yes", "y", "Y"]],
            (2, "list 'nope' is not on the choices sheet (yes)"),
        ),
        (
            [["type", "name", "label"], ["select_one nope", "a", "A"]],
            None,
            (2, "list 'nope' is not on the choices sheet"),
        ),
        ([["type", "name", "label"], ["bogus", "a", "A"]], None, (2, "unknown type 'bogus'")),
        (
            [["type", "name", "label"], ["text", "", "A"]],
            None,
            (2, "this row has a type but no name"),
        ),
        ([["type", "name", "label"], ["", "a", "A"]], None, (2, "'a' has no type")),
        (
            [["type", "name", "label"], ["begin group", "g", "G"], ["text", "a", "A"]],
            None,
            (2, "group 'g' (row 2) is never closed"),
        ),
        (
            [["type", "name", "label"], ["text", "a", "A"], ["end group"]],
            None,
            (3, "'end group' without a 'begin group'"),
        ),
        (
            [
                ["type", "name", "label"],
                ["begin group", "", "G"],
                ["text", "a", "A"],
                ["end group"],
            ],
            None,
            (2, "'begin group' needs a name"),
        ),
        (
            [["type", "name", "label::Klingonish"], ["text", "a", "A"]],
            None,
            (1, "unknown language 'Klingonish'"),
        ),
        (
            [["type", "name", "label", "label"], ["text", "a", "A", "B"]],
            None,
            (1, "columns C and D are both 'label'"),
        ),
        (
            [["type", "name", "label"], ["select_one l", "a", "A"]],
            [["list_name", "name", "label"], ["l", None, "X"]],
            (2, "a choice in list 'l' has no name"),
        ),
        (
            [["type", "name", "label"], ["select_one l", "a", "A"]],
            [["list_name", "name", "label"], [None, "x", "X"]],
            (2, "choice 'x' has no list_name"),
        ),
        (
            [["type", "name", "label"], ["select_one l", "a", "A"]],
            [["list_name", "label"], ["l", "X"]],
            (1, "no name column"),
        ),
        ([["type", "name", "label"], ["end repeat"]], None, (2, "without a matching begin")),
    ],
)
def test_broken_sheets(tmp_path, survey, choices, expected):
    path = write_xlsform(tmp_path / "f.xlsx", survey, choices)
    with pytest.raises(XLSFormErrors) as info:
        import_xlsform(path)
    assert isinstance(info.value, DefinitionErrors)
    first = info.value.errors[0]
    assert first.row == expected[0]
    assert expected[1] in first.message, first.message
    assert str(path) in first.format()


def test_unclosed_repeat_names_its_row(tmp_path):
    path = write_xlsform(
        tmp_path / "f.xlsx",
        [
            ["type", "name", "label"],
            ["text", "a", "A"],
            ["begin repeat", "r", "R"],
            ["text", "b", "B"],
        ],
    )
    with pytest.raises(XLSFormErrors) as info:
        import_xlsform(path)
    assert problems(info)[1] == (3, "the repeat or loop begun on row 3 is never closed")


def test_every_problem_is_reported_at_once(tmp_path):
    path = write_xlsform(
        tmp_path / "f.xlsx",
        [
            ["type", "name", "label"],
            ["geopoint", "g", "G"],
            ["text", "a", "A"],
            ["bogus", "b", "B"],
            ["text", "a", "A again"],
        ],
    )
    with pytest.raises(XLSFormErrors) as info:
        import_xlsform(path)
    assert [e.row for e in info.value.errors] == [2, 4, 5]
    assert "(and 2 more)" in info.value.format()


def test_nothing_left_to_print(tmp_path):
    path = write_xlsform(
        tmp_path / "f.xlsx",
        [["type", "name", "label"], ["start", "start"], ["calculate", "c", None]],
    )
    with pytest.raises(XLSFormErrors, match="no questions Deltaker can print"):
        import_xlsform(path)


def test_no_survey_sheet(tmp_path):
    wb = openpyxl.Workbook()
    wb.active.title = "Sheet1"
    wb.save(tmp_path / "f.xlsx")
    with pytest.raises(XLSFormErrors, match=r"no sheet named 'survey' \(the sheets are: 'Sheet1'"):
        import_xlsform(tmp_path / "f.xlsx")


def test_sheet_names_and_headers_ignore_case(tmp_path):
    wb = openpyxl.Workbook()
    wb.active.title = "SURVEY"
    wb["SURVEY"].append(["TYPE", "NAME", "LABEL::NB"])
    wb["SURVEY"].append(["select_one l", "q", "Spørsmål"])
    wb.create_sheet("Choices").append(["List Name", "Name ", "Label::nb"])
    wb["Choices"].append(["l", "a", "A"])
    wb["Choices"].append(["l", "B", "B"])
    wb.save(tmp_path / "f.xlsx")
    result = import_xlsform(tmp_path / "f.xlsx")
    form = result.form
    assert [c.value for c in form.item("q").choices] == ["a", "b"]
    assert [(w.sheet, w.row, w.message) for w in result.warnings] == [
        ("Choices", 2, "list 'l': 'B' stored in lower case")
    ]
    assert form.languages == ("nb",)


# --- hostile and broken files -------------------------------------------------------------


def _expect_file_error(path: Path, fragment: str) -> XLSFormError:
    with pytest.raises(XLSFormErrors) as info:
        import_xlsform(path)
    (error,) = info.value.errors
    assert fragment in error.message, error.message
    assert error.file == str(path)
    return error


def test_not_a_workbook(tmp_path):
    (tmp_path / "f.xlsx").write_text("type,name,label\ntext,a,A\n")
    _expect_file_error(tmp_path / "f.xlsx", "not an Excel workbook")


def test_empty_file_missing_file_and_folder(tmp_path):
    (tmp_path / "empty.xlsx").write_bytes(b"")
    _expect_file_error(tmp_path / "empty.xlsx", "not an Excel workbook")
    _expect_file_error(tmp_path / "missing.xlsx", "cannot open the file")
    (tmp_path / "dir.xlsx").mkdir()
    with pytest.raises(XLSFormErrors):
        import_xlsform(tmp_path / "dir.xlsx")


def test_zip_that_is_not_a_workbook(tmp_path):
    with zipfile.ZipFile(tmp_path / "f.xlsx", "w") as z:
        z.writestr("hello.txt", "hello")
    _expect_file_error(tmp_path / "f.xlsx", "could not read the workbook")


def test_truncated_workbook(tmp_path):
    good = write_xlsform(tmp_path / "good.xlsx", [["type", "name", "label"], ["text", "a", "A"]])
    data = good.read_bytes()
    (tmp_path / "cut.xlsx").write_bytes(data[: len(data) // 2])
    _expect_file_error(tmp_path / "cut.xlsx", "not a readable .xlsx workbook")


def test_zip_asking_for_an_unknown_zip_version(tmp_path):
    """zipfile raises NotImplementedError here, not BadZipFile: still one clear message."""
    good = write_xlsform(tmp_path / "good.xlsx", [["type", "name", "label"], ["text", "a", "A"]])
    data = bytearray(good.read_bytes())
    entry = data.index(b"PK\x01\x02")  # the first central directory entry
    data[entry + 6 : entry + 8] = (147).to_bytes(2, "little")  # "version needed": 14.7
    (tmp_path / "odd.xlsx").write_bytes(bytes(data))
    _expect_file_error(tmp_path / "odd.xlsx", "not a readable .xlsx workbook")


def test_zip_bomb_is_refused_before_unpacking(tmp_path):
    with zipfile.ZipFile(tmp_path / "bomb.xlsx", "w", zipfile.ZIP_DEFLATED) as z:
        with z.open("xl/worksheets/sheet1.xml", "w") as part:
            chunk = b"\0" * 1_000_000
            for _ in range(5):  # 5 MB of zeros pack to about 5 kB
                part.write(chunk)
    _expect_file_error(tmp_path / "bomb.xlsx", "zip bomb")


def test_total_unpacked_size_is_bounded(tmp_path, monkeypatch):
    path = write_xlsform(tmp_path / "f.xlsx", [["type", "name", "label"], ["text", "a", "A"]])
    monkeypatch.setattr(workbook, "MAX_UNZIPPED_BYTES", 1_000)
    _expect_file_error(path, "unpacks to")


def test_entity_expansion_is_refused(tmp_path):
    good = write_xlsform(tmp_path / "good.xlsx", [["type", "name", "label"], ["text", "a", "A"]])
    laughs = (
        '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
        '<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">'
        '<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        '<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&lol3;</t></is></c></row>'
        "</sheetData></worksheet>"
    )
    out = io.BytesIO()
    with zipfile.ZipFile(good) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                data = laughs.encode()
            dst.writestr(info, data)
    (tmp_path / "laughs.xlsx").write_bytes(out.getvalue())
    _expect_file_error(tmp_path / "laughs.xlsx", "could not read the workbook")


def test_broken_xls(tmp_path):
    (tmp_path / "f.xls").write_bytes(bytes.fromhex("d0cf11e0a1b11ae1") + b"\0" * 600)
    _expect_file_error(tmp_path / "f.xls", "could not read the .xls workbook")


def test_too_large_file(tmp_path, monkeypatch):
    path = write_xlsform(tmp_path / "f.xlsx", [["type", "name", "label"], ["text", "a", "A"]])
    monkeypatch.setattr(workbook, "MAX_FILE_BYTES", 100)
    _expect_file_error(path, "at most 100 are read")


def test_padded_sheet_reads_only_filled_rows(tmp_path):
    path = write_xlsform(tmp_path / "f.xlsx", [["type", "name", "label"], ["text", "a", "A"]])
    wb = openpyxl.load_workbook(path)
    wb["survey"].cell(row=200_000, column=1, value=None)
    wb["survey"]["A200000"] = "text"
    wb["survey"]["B200000"] = "far"
    wb["survey"]["C200000"] = "Far down"
    wb.save(path)
    form = import_xlsform(path).form
    assert [(i.id, i.line) for i in form.items()] == [("a", 2), ("far", 200_000)]


@pytest.mark.parametrize(
    "name, code",
    [
        ("English (en)", "en"),
        ("English", "en"),
        ("Norsk", "nb"),
        ("Norsk bokmål", "nb"),
        ("Bokmål", "nb"),
        ("Nynorsk", "nn"),
        ("nb", "nb"),
        ("NN", "nn"),
        ("French", "fr"),
        ("Swahili (sw)", "sw"),
        ("Norwegian", "nb"),
        ("Somali", "so"),
        ("Tetun", "tet"),
        ("Tetum", "tet"),
        ("Português", "pt"),
        ("Kiswahili", "sw"),
        ("Norwegian Bokmål", "nb"),
        ("Français", "fr"),
        ("Norsk nynorsk", "nn"),
        ("Sámi", "se"),
        ("pt-BR", "pt-br"),
        ("ewe", "ee"),
        ("Klingonish", None),
        ("xx", None),
        ("", None),
    ],
)
def test_language_codes(name, code):
    assert language_code(name) == code


def test_form_file_round_trip_and_missing_translations(norwegian, tmp_path):
    from forms.load import load_form
    from forms.xlsform import form_yaml

    text = form_yaml(norwegian)
    assert text.startswith("# Imported from bolig.xlsx by `deltaker xlsform`.\n")
    assert "#   help: kind = 'public'" in text
    path = tmp_path / "bolig.yaml"
    path.write_text(text, encoding="utf-8")
    # the hints and the group intro exist in bokmål only: the study format wants all three
    with pytest.raises(DefinitionErrors) as info:
        load_form(path, languages=norwegian.form.languages)
    messages = [e.message for e in info.value.errors]
    assert "section 'home' intro: missing the 'nn' translation" in messages
    assert "item 'housing' hint: missing the 'en' translation" in messages
    gaps = [w for w in norwegian.warnings if "have no 'nn' version" in w.message]
    assert len(gaps) == 1 and gaps[0].message.startswith("2 texts have no 'nn' version")


def test_damaged_files_never_raise_anything_else(tmp_path):
    """Flipped bytes and cut-off files, .xlsx and .xls: a clear error or an import, nothing else."""
    import random

    xls = (
        Path(__file__).resolve().parents[2].parent
        / "shared"
        / "corpus"
        / "xlsform"
        / ("example_xls/yes_or_no_question.xls")
    )
    sources = [write_xlsform(tmp_path / "good.xlsx", NORWEGIAN, NORWEGIAN_CHOICES).read_bytes()]
    if xls.exists():
        sources.append(xls.read_bytes())
    rng = random.Random(20261122)
    outcomes = {"imported": 0, "refused": 0}
    for n in range(60):
        data = bytearray(rng.choice(sources))
        if n % 3 == 0:
            data = data[: rng.randrange(1, len(data))]
        else:
            for _ in range(rng.randrange(1, 20)):
                data[rng.randrange(len(data))] = rng.randrange(256)
        path = tmp_path / f"damaged{n}.xlsx"
        path.write_bytes(bytes(data))
        try:
            import_xlsform(path)
            outcomes["imported"] += 1
        except XLSFormErrors as exc:
            assert all(e.file == str(path) and e.message for e in exc.errors)
            outcomes["refused"] += 1
    assert outcomes["refused"] > 0


# --- the worker process with limits ----------------------------------------------------------


def test_isolated_import_gives_the_same_form(norwegian, tmp_path):
    from forms.xlsform import import_xlsform_isolated

    path = write_xlsform(
        tmp_path / "bolig.xlsx",
        NORWEGIAN,
        NORWEGIAN_CHOICES,
        [["form_title", "form_id", "default_language"], ["Bolig", "bolig", "Norsk (nb)"]],
    )
    isolated = import_xlsform_isolated(path)
    assert isolated.form == norwegian.form
    assert isolated.warnings == norwegian.warnings
    assert isolated.choice_filters == norwegian.choice_filters


def test_isolated_import_keeps_every_problem_with_row_and_type(tmp_path):
    from forms.xlsform import import_xlsform_isolated

    path = write_xlsform(
        tmp_path / "f.xlsx",
        [
            ["type", "name", "label"],
            ["geopoint", "g", "G"],
            ["text", "a", "A"],
            ["bogus", "b", "B"],
        ],
    )
    with pytest.raises(XLSFormErrors) as info:
        import_xlsform_isolated(path)
    assert [(e.file, e.sheet, e.row, e.type) for e in info.value.errors] == [
        (str(path), "survey", 2, "geopoint"),
        (str(path), "survey", 4, "bogus"),
    ]


def test_isolated_import_limits(tmp_path):
    from forms.isolation import Limits
    from forms.xlsform import import_xlsform_isolated

    path = write_xlsform(tmp_path / "f.xlsx", [["type", "name", "label"], ["text", "a", "A"]])
    with pytest.raises(XLSFormErrors, match="took longer than 0.01 s"):
        import_xlsform_isolated(path, limits=Limits(wall_seconds=0.01))
    with pytest.raises(XLSFormErrors, match="bytes of memory|memory or CPU limit"):
        import_xlsform_isolated(path, limits=Limits(memory_bytes=20_000_000))


@pytest.mark.parametrize(
    "written, printed",
    [
        ('<span style="color:red">Stop</span> here', "Stop here"),
        ("**Only** [this page](https://example.no)", "Only this page"),
        ("# Heading", "Heading"),
        ("*Cheap* food", "Cheap food"),
        ("2 * 3 * 4", "2 * 3 * 4"),
        ("${a} < ${b}", "${a} < ${b}"),
        ("snake_case_name", "snake_case_name"),
        ("Tom &amp; Jerry", "Tom & Jerry"),
    ],
)
def test_plain_text(written, printed):
    assert xlsform.plain_text(written) == printed


def test_formatting_is_removed_from_labels_with_a_warning(tmp_path):
    path = write_xlsform(
        tmp_path / "f.xlsx",
        [
            ["type", "name", "label", "hint"],
            ["text", "a", "<b>Name</b>", "Write **clearly**"],
            ["select_one l", "b", "Pick", None],
        ],
        [["list_name", "name", "label"], ["l", "x", "<i>X</i>"], ["l", "y", "Y"]],
    )
    result = import_xlsform(path)
    item = result.form.item("a")
    assert (item.label.get("en"), item.hint.get("en")) == ("Name", "Write clearly")
    assert result.form.item("b").choices[0].label.get("en") == "X"
    assert [(w.row, w.message) for w in result.warnings] == [
        (2, "'a': HTML or Markdown formatting removed (paper prints plain text)")
    ]

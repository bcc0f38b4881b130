"""REDCap data dictionary import: every field type, both header styles, broken input."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from forms.load import load_form
from forms.model import ItemType
from forms.redcap import (
    API_HEADERS,
    WEB_HEADERS,
    RedcapErrors,
    form_yaml,
    import_redcap,
    plain_text,
)
from webapp.cli import cli

WEB = list(WEB_HEADERS)
API = [WEB_HEADERS[h] for h in WEB]
EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "u-sving"
RECORD = {
    "field_name": "record_id",
    "form_name": "baseline",
    "field_type": "text",
    "field_label": "ID",
}


def dictionary(path: Path, fields: list[dict[str, str]], *, api: bool = False) -> Path:
    """A data dictionary CSV: the record id first, then ``fields`` (API column keys)."""
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(API if api else WEB)
        for row in [RECORD, *fields]:
            writer.writerow([row.get(key, "") for key in API])
    return path


def field(name: str, ftype: str, label: str = "A question", **cells: str) -> dict[str, str]:
    return {
        "field_name": name,
        "form_name": "baseline",
        "field_type": ftype,
        "field_label": label,
        **cells,
    }


def errors_of(path: Path, **kwargs) -> list[str]:
    with pytest.raises(RedcapErrors) as caught:
        import_redcap(path, **kwargs)
    return [e.format() for e in caught.value.errors]


ALL_TYPES = [
    field("name", "text", "Your name", section_header="About you", required_field="y"),
    field("age", "text", "Age", text_validation_type_or_show_slider_number="integer"),
    field("weight", "text", "Weight", text_validation_type_or_show_slider_number="number_1dp"),
    field("born", "text", "Born", text_validation_type_or_show_slider_number="date_dmy"),
    field("seen", "text", "Seen", text_validation_type_or_show_slider_number="datetime_ymd"),
    field("mail", "text", "E-mail", text_validation_type_or_show_slider_number="email"),
    field("phone", "text", "Phone", text_validation_type_or_show_slider_number="phone"),
    field("story", "notes", "Tell us"),
    field("sex", "radio", "Sex", select_choices_or_calculations="0, Female | 1, Male"),
    field("town", "dropdown", "Town", select_choices_or_calculations="a, Oslo | B, Bergen"),
    field("pets", "checkbox", "Pets", select_choices_or_calculations="1, Cat | 2, Dog | 3, Fish"),
    field("smoke", "yesno", "Do you smoke?"),
    field("sure", "truefalse", "It is true"),
    field("intro", "descriptive", "<p>Thank you for <b>taking part</b>.</p>"),
    field("bmi", "calc", "BMI", select_choices_or_calculations="[weight]/2"),
    field(
        "pain",
        "slider",
        "Pain",
        select_choices_or_calculations="None | Some | Worst",
        text_validation_min="0",
        text_validation_max="10",
    ),
    field("mood", "slider", "Mood", select_choices_or_calculations="Bad | Good"),
    field(
        "sign",
        "file",
        "Signature",
        text_validation_type_or_show_slider_number="signature",
        section_header="Sign here",
    ),
]


def test_every_field_type(tmp_path):
    result = import_redcap(dictionary(tmp_path / "d.csv", ALL_TYPES))
    form = result.form
    types = {i.id: i.type for i in form.items()}
    assert types == {
        "name": ItemType.SHORT_TEXT,
        "age": ItemType.NUMBER,
        "weight": ItemType.NUMBER,
        "born": ItemType.DATE,
        "seen": ItemType.DATE,
        "mail": ItemType.SHORT_TEXT,
        "phone": ItemType.SHORT_TEXT,
        "story": ItemType.LONG_TEXT,
        "sex": ItemType.SINGLE_CHOICE,
        "town": ItemType.SINGLE_CHOICE,
        "pets": ItemType.MULTIPLE_CHOICE,
        "smoke": ItemType.SINGLE_CHOICE,
        "sure": ItemType.SINGLE_CHOICE,
        "intro": ItemType.INFO,
        "pain": ItemType.SCALE,
        "mood": ItemType.NUMBER,
        "sign": ItemType.SIGNATURE,
    }
    assert form.id == "baseline" and form.languages == ("en",)
    assert [s.title.get("en") if s.title else None for s in form.sections] == [
        "About you",
        "Sign here",
    ]
    assert form.item("name").required
    assert [(c.value, c.label.get("en")) for c in form.item("town").choices] == [
        ("a", "Oslo"),
        ("b", "Bergen"),
    ]
    assert [(c.value, c.label.get("en")) for c in form.item("smoke").choices] == [
        ("1", "Yes"),
        ("0", "No"),
    ]
    assert [c.value for c in form.item("sure").choices] == ["1", "0"]
    assert form.item("intro").label.get("en") == "Thank you for taking part."
    pain = form.item("pain")
    assert (pain.scale_min, pain.scale_max) == (0, 10)
    assert (pain.scale_low.get("en"), pain.scale_high.get("en")) == ("None", "Worst")
    assert "A number from 0 (Bad) to 100 (Good)." in form.item("mood").hint.get("en")
    messages = [str(w) for w in result.warnings]
    assert any("record_id" in m and "record id" in m for m in messages)
    assert any("calculated field 'bmi' left out" in m for m in messages)
    assert any("'seen'" in m and "date only" in m for m in messages)
    assert any("choice code 'B' is stored as 'b'" in m for m in messages)


def test_the_written_file_loads_back_the_same(tmp_path):
    result = import_redcap(dictionary(tmp_path / "d.csv", ALL_TYPES))
    out = tmp_path / "baseline.yaml"
    out.write_text(form_yaml(result), encoding="utf-8")
    loaded = load_form(out)
    assert [(i.id, i.type, i.choices, i.scale_min, i.scale_max) for i in loaded.items()] == [
        (i.id, i.type, i.choices, i.scale_min, i.scale_max) for i in result.form.items()
    ]


def test_both_header_styles_read_the_same(tmp_path):
    web = import_redcap(dictionary(tmp_path / "web.csv", ALL_TYPES))
    api = import_redcap(dictionary(tmp_path / "api.csv", ALL_TYPES, api=True))
    assert set(API) == API_HEADERS
    assert web.form.sections == api.form.sections


def test_branching_logic_becomes_relevance_where_it_can(tmp_path):
    path = dictionary(
        tmp_path / "d.csv",
        [
            field("smoke", "yesno", "Do you smoke?"),
            field("pets", "checkbox", "Pets", select_choices_or_calculations="1, Cat | 2, Dog"),
            field("age", "text", "Age", text_validation_type_or_show_slider_number="integer"),
            field("how", "text", "How much?", branching_logic="[smoke] = '1' AND [age] >= 18"),
            field("cat", "text", "Cat's name", branching_logic="[pets(1)] = '1'"),
            field("nodog", "text", "Why no dog?", branching_logic="[pets(2)] <> '1' or [age]<>''"),
            field("later", "text", "Later", branching_logic="datediff([born], 'today', 'y') > 1"),
            field("event", "text", "E", branching_logic="[visit_1_arm_1][smoke] = '1'"),
            field("other", "text", "O", branching_logic="[elsewhere] = '1'"),
        ],
    )
    result = import_redcap(path)
    relevant = {i.id: i.relevant for i in result.form.items()}
    assert relevant["how"] == "${smoke} = '1' and ${age} >= 18"
    assert relevant["cat"] == "selected(${pets}, '1')"
    assert relevant["nodog"] == "not(selected(${pets}, '2')) or ${age} != ''"
    assert relevant["later"] is relevant["event"] is relevant["other"] is None
    messages = " | ".join(str(w) for w in result.warnings)
    assert "function datediff()" in messages
    assert "longitudinal event" in messages
    assert "[elsewhere], which is not a question of this form" in messages


def test_matrix_groups_action_tags_html_and_piping(tmp_path):
    scale = "1, Never | 2, Sometimes | 3, Often"
    path = dictionary(
        tmp_path / "d.csv",
        [
            field(
                "m1", "radio", "Sad", select_choices_or_calculations=scale, matrix_group_name="mood"
            ),
            field(
                "m2",
                "radio",
                "Glad",
                select_choices_or_calculations=scale,
                matrix_group_name="mood",
            ),
            field("hid", "text", "Hidden", field_annotation="@HIDDEN"),
            field("when", "text", "Today", field_annotation="@TODAY"),
            field("dflt", "text", "Default", field_annotation="@DEFAULT='x' @HIDDEN-FORM"),
            field("hello", "text", "Hello [name], how are you?&nbsp;<br>Well?"),
        ],
    )
    result = import_redcap(path)
    ids = [i.id for i in result.form.items()]
    assert ids == ["m1", "m2", "dflt", "hello"]
    assert result.form.item("hello").label.get("en") == "Hello ____, how are you?\nWell?"
    messages = [str(w) for w in result.warnings]
    assert sum("matrix group 'mood'" in m for m in messages) == 1
    assert any("'hid' left out: @HIDDEN" in m for m in messages)
    assert any("'when' left out: REDCap fills it in (@TODAY)" in m for m in messages)
    assert any("@DEFAULT is not honoured" in m for m in messages)
    assert not any("@HIDDEN-FORM" in m for m in messages)


def test_plain_text_reduces_html():
    assert plain_text("<b>Age</b>&nbsp;(years)") == "Age (years)"
    assert plain_text("a < 5 and b > 3") == "a < 5 and b > 3"
    assert plain_text("<p>One</p><p>Two</p><script>x()</script>") == "One\n\nTwo"


def test_a_long_descriptive_text_is_cut_into_pieces(tmp_path):
    long = "\n\n".join(f"Paragraph {n}. " + "word " * 150 for n in range(6))
    result = import_redcap(
        dictionary(tmp_path / "d.csv", [field("info", "descriptive", long), field("q", "yesno")])
    )
    infos = [i for i in result.form.items() if i.type == ItemType.INFO]
    assert len(infos) > 1 and infos[0].id == "info" and infos[1].id == "info__2"
    assert "\n\n".join(i.label.get("en") for i in infos) == plain_text(long)


def test_several_forms_need_form(tmp_path):
    path = dictionary(
        tmp_path / "d.csv",
        [field("a", "yesno"), {**field("b", "yesno"), "form_name": "follow_up"}],
    )
    (message,) = errors_of(path)
    assert "holds 2 forms (baseline, follow_up); pick one with --form NAME" in message
    assert [i.id for i in import_redcap(path, form="follow_up").form.items()] == ["b"]
    (message,) = errors_of(path, form="nope")
    assert "there is no form 'nope'; the forms are baseline, follow_up" in message


@pytest.mark.parametrize(
    ("fields", "wanted"),
    [
        ([field("x", "slidr")], "row 3, column 'Field Type': unknown field type 'slidr'"),
        (
            [field("x", "radio")],
            "row 3, column 'Choices, Calculations, OR Slider Labels': "
            "a choice field needs its choices",
        ),
        (
            [field("x", "radio", select_choices_or_calculations="1 Yes | 2, No")],
            "bad choices string: choice 1 ('1 Yes') has no comma",
        ),
        (
            [field("x", "radio", select_choices_or_calculations="1, Yes | 1, No")],
            "choice code '1' is given twice",
        ),
        (
            [field("x", "radio", select_choices_or_calculations="1, Yes")],
            "needs at least 2 choices; it has 1",
        ),
        (
            [field("x", "radio", select_choices_or_calculations="-1, No | 1, Yes")],
            "choice code '-1' cannot be a Deltaker choice value",
        ),
        (
            [field("x", "file", "Upload")],
            "row 3, column 'Field Type': field 'x': a file upload cannot be held on paper",
        ),
        ([field("x", "sql", select_choices_or_calculations="select 1")], "dynamic SQL list"),
        (
            [field("x", "yesno"), field("x", "yesno")],
            "row 4, column 'Variable / Field Name': field 'x' is given twice",
        ),
        (
            [{**field("x", "yesno"), "form_name": ""}],
            "row 3, column 'Form Name': the field has no form name",
        ),
    ],
)
def test_bad_fields_name_row_and_column(tmp_path, fields, wanted):
    messages = errors_of(dictionary(tmp_path / "d.csv", fields))
    assert any(wanted in m for m in messages), messages


@pytest.mark.parametrize(
    ("content", "wanted"),
    [
        (b"", "the file is empty"),
        (b"\n\n", "the file has no header line"),
        (
            b"name,type,label\nq1,text,Q\n",
            "this is not a REDCap data dictionary: the header has no column "
            "'Variable / Field Name', 'Form Name', 'Field Type', 'Field Label'",
        ),
        (
            b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 10,
            "not a CSV text file (it holds binary data)",
        ),
        (b"field_name,form_name,field_type,field_label\n", "a header but no fields"),
        (
            b'field_name,form_name,field_type,field_label\nq,f,text,"open\n',
            "row 2: the file is not valid CSV here",
        ),
        (
            "field_name,form_name,field_type,field_label\nq,f,text,Blå\n".encode("latin-1"),
            "row 2: the file is not UTF-8 text",
        ),
    ],
)
def test_broken_files_are_one_clear_message(tmp_path, content, wanted):
    path = tmp_path / "d.csv"
    path.write_bytes(content)
    messages = errors_of(path)
    assert len(messages) == 1 and wanted in messages[0], messages


def test_a_50_mb_file_is_refused_before_it_is_read(tmp_path):
    path = tmp_path / "huge.csv"
    with path.open("wb") as handle:
        handle.truncate(50_000_000)
    (message,) = errors_of(path)
    assert "the file is 50.0 MB; a REDCap data dictionary is at most 10 MB" in message


def test_long_names_get_a_stable_safe_id(tmp_path):
    name = "q_" + "x" * 80
    result = import_redcap(dictionary(tmp_path / "d.csv", [field(name, "yesno")]))
    (item,) = result.form.items()
    assert len(item.id) <= 63 and item.id.startswith("q_xxx")
    assert result.original_names == {item.id: name}
    again = import_redcap(dictionary(tmp_path / "e.csv", [field(name, "yesno")]))
    assert next(again.form.items()).id == item.id


def run(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def test_cli_imports_into_a_study_that_passes_check(tmp_path):
    study = tmp_path / "study"
    shutil.copytree(EXAMPLE, study)
    source = dictionary(tmp_path / "d.csv", ALL_TYPES)
    out = study / "forms" / "baseline.yaml"
    result = run("redcap", str(source), "--out", str(out))
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        f"{source}: form 'baseline' (questionnaire): 2 sections, 16 questions, languages en.",
        f"Wrote {out}.",
    ]
    assert "warning: row 17: calculated field 'bmi' left out" in result.stderr
    checked = run("check", str(study))
    assert checked.exit_code == 0, checked.output
    blank = run("blank", str(out), "--copies", "1", "--out", str(tmp_path / "blank.pdf"))
    assert blank.exit_code == 0, blank.output
    assert (tmp_path / "blank.pdf").read_bytes().startswith(b"%PDF")


def test_cli_lists_every_problem_and_writes_nothing(tmp_path):
    source = dictionary(tmp_path / "d.csv", [field("x", "slidr"), field("y", "file")])
    out = tmp_path / "f.yaml"
    result = CliRunner().invoke(cli, ["redcap", str(source), "--out", str(out)])
    assert result.exit_code == 1
    assert "row 3, column 'Field Type': unknown field type 'slidr'" in result.stderr
    assert "row 4, column 'Field Type': field 'y': a file upload" in result.stderr
    assert "2 problems; nothing was written." in result.stderr
    assert not out.exists()


def test_docs_name_every_type_and_option():
    from forms.redcap import FIELD_TYPES
    from webapp.cli.forms_cmds import redcap_cmd

    doc = (Path(__file__).resolve().parents[2] / "docs" / "redcap.md").read_text(encoding="utf-8")
    for ftype in FIELD_TYPES:
        assert f"`{ftype}`" in doc, ftype
    for param in redcap_cmd.params:
        for opt in getattr(param, "opts", []):
            if opt.startswith("--") and opt not in ("--data", "--db"):
                assert f"`{opt}" in doc, opt

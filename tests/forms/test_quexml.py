"""queXML import: a real queXF file and a hand-written one, then check and print; bad files."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from forms.load import load_form
from forms.model import ItemType
from forms.quexml import QuexmlErrors, form_yaml, import_quexml
from webapp.cli import cli

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "tests" / "forms" / "data" / "quexml"
EXAMPLE = ROOT / "examples" / "u-sving"
ACSPRI = DATA / "acspri-test-questionnaire.xml"
NABOLAG = DATA / "nabolag.xml"


def run(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def test_the_acspri_example_questionnaire():
    result = import_quexml(ACSPRI, form_id="acspri")
    form = result.form
    assert form.title.get("en") == "DCARF Example Questionnaire"
    assert [s.title.get("en") for s in form.sections if s.title] == [
        "This is the first section",
        "this is section 2",
        "Demographics",
    ]
    items = {i.id: i for i in form.items()}
    # a matrix: one single choice per subQuestion, the question's text before them
    assert items["a1_a"].type == items["b1_c"].type == ItemType.SINGLE_CHOICE
    assert [c.value for c in items["b1_a"].choices] == ["1", "2", "3", "4"]
    assert items["b1_a"].source_name == "B1_A"
    # two free responses: "question: response label"
    assert items["b2_b"].label.get("en") == "Please provide you details: Surname"
    # currency: a number with its unit as the help text
    assert items["b4"].type == ItemType.NUMBER and items["b4"].hint.get("en") == "AUD $"
    # contingent question shown when its category is chosen; skipTo C1 skips B3O and B4
    assert items["b3o"].relevant == "(${b3} = '1') and ${b3} != '2'"
    assert items["b4"].relevant == "${b3} != '2'"
    assert items["c1"].relevant is None
    assert items["c1o"].relevant == "${c1} = '1'"
    # the questionnaire's opening and closing words are information texts
    texts = [i.label.get("en") for i in form.items() if i.type == ItemType.INFO]
    assert texts[0] == "Please complete all questions"
    assert texts[-1] == "Thank you for completing the questionnaire!"
    warnings = " | ".join(str(w) for w in result.warnings)
    assert "section 1, question 1, response 'A1': a matrix of 2 questions" in warnings
    assert "directive for the interviewer is left out" in warnings


def test_a_tick_all_that_apply_question_scales_and_dates():
    result = import_quexml(NABOLAG, language="nb")
    items = {i.id: i for i in result.form.items()}
    use = items["use"]
    assert use.type == ItemType.MULTIPLE_CHOICE
    assert [(c.value, c.label.get("nb")) for c in use.choices] == [
        ("use_library", "Biblioteket"),
        ("use_park", "Parken"),
        ("use_other", "Noe annet"),
    ]
    assert use.hint.get("nb") == "Kryss av for alt som passer."
    assert items["use_other_what"].relevant == "selected(${use}, 'use_other')"
    assert items["children"].choices[1].value == "n"
    assert items["children"].choices[1].source_value == "N"
    assert items["ages"].relevant == "${children} != 'n'"
    assert items["safe"].relevant is None  # the skip's target is asked
    assert (items["safe"].type, items["safe"].scale_min, items["safe"].scale_max) == (
        ItemType.SCALE,
        0,
        10,
    )
    assert items["safe"].scale_low.get("nb") == "Ikke trygg"
    assert (items["home"].type, items["home"].scale_max) == (ItemType.SCALE, 5)
    assert items["moved"].type == ItemType.DATE
    assert items["more"].type == ItemType.LONG_TEXT
    assert items["years"].type == ItemType.NUMBER
    assert items["years"].hint.get("nb") == "år\n0–99"
    assert result.form.languages == ("nb",)


ODD = """<?xml version="1.0"?>
<q:questionnaire xmlns:q="urn:example" id="1"><q:title>T</q:title><q:section>
<q:question><q:text>Mood?</q:text><q:response varName="mood"><q:dvas>
<q:labelleft>Bad</q:labelleft><q:labelright>Good</q:labelright>
<q:category><q:label>Bad</q:label><q:value>a</q:value></q:category>
<q:category><q:label>Good</q:label><q:value>b</q:value></q:category>
</q:dvas></q:response></q:question>
<q:question><q:text>Where?</q:text><q:response varName="where"><q:fixed>
<q:category><q:label>Home</q:label><q:value>1</q:value></q:category>
<q:category><q:label>Elsewhere</q:label><q:value>2</q:value>
<q:contingentQuestion varName="where_other"><q:length>20</q:length></q:contingentQuestion>
</q:category></q:fixed></q:response></q:question>
</q:section></q:questionnaire>
"""


def test_a_namespace_a_discrete_scale_of_words_and_an_unlabelled_specify_box(tmp_path):
    source = tmp_path / "odd.xml"
    source.write_text(ODD, encoding="utf-8")
    items = {i.id: i for i in import_quexml(source).form.items()}
    assert items["mood"].type == ItemType.SINGLE_CHOICE
    assert items["mood"].hint.get("en") == "Bad – Good"
    assert items["where_other"].label.get("en") == "Elsewhere"
    assert items["where_other"].relevant == "${where} = '2'"


@pytest.mark.parametrize("source", [ACSPRI, NABOLAG], ids=lambda p: p.name)
def test_the_written_file_loads_back_the_same(tmp_path, source):
    language = "nb" if source == NABOLAG else "en"
    result = import_quexml(source, language=language)
    out = tmp_path / "f.yaml"
    out.write_text(form_yaml(result), encoding="utf-8")
    loaded = load_form(out, languages=(language,))
    assert list(loaded.items()) == list(result.form.items())


@pytest.mark.parametrize(
    ("source", "args", "summary"),
    [
        (ACSPRI, (), "form 'acspri' (questionnaire): 3 sections, 13 questions, languages en."),
        (
            NABOLAG,
            ("--lang", "nb"),
            "form 'nabolag' (questionnaire): 2 sections, 9 questions, languages nb.",
        ),
    ],
    ids=["acspri", "nabolag"],
)
def test_cli_imports_into_a_study_that_passes_check_and_prints(tmp_path, source, args, summary):
    study = tmp_path / "study"
    shutil.copytree(EXAMPLE, study)
    form_id = summary.split("'")[1]
    out = study / "forms" / f"{form_id}.yaml"
    result = run("quexml", str(source), "--id", form_id, *args, "--out", str(out))
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [f"{source}: {summary}", f"Wrote {out}."]
    checked = run("check", str(study))
    assert checked.exit_code == 0, checked.output
    assert "5 forms" in checked.output.splitlines()[0]
    pdf = tmp_path / "blank.pdf"
    blank = run("blank", str(out), "--copies", "1", "--out", str(pdf))
    assert blank.exit_code == 0, blank.output
    assert pdf.read_bytes().startswith(b"%PDF")


BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE questionnaire [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
]>
<questionnaire id="1"><title>&lol3;</title></questionnaire>
"""
EXTERNAL = """<?xml version="1.0"?>
<!DOCTYPE questionnaire [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<questionnaire id="1"><title>&secret;</title></questionnaire>
"""
NO_VARNAME = """<?xml version="1.0"?>
<questionnaire id="1"><title>T</title><section><question><text>Age?</text>
<response><free><format>integer</format><length>3</length></free></response>
</question></section></questionnaire>
"""
TWICE = """<?xml version="1.0"?>
<questionnaire id="1"><title>T</title><section>
<question><text>A?</text><response varName="a"><free><format>text</format></free>
</response></question>
<question><text>B?</text><response varName="A"><free><format>text</format></free>
</response></question>
<question><text>C?</text><response varName="c"><fixed><category><label>x</label></category>
<category><label>y</label><value>2</value></category></fixed></response></question>
</section></questionnaire>
"""


@pytest.mark.parametrize(
    ("content", "wanted"),
    [
        (b"\x89PNG\r\n\x1a\n not xml", "this is not well-formed XML ("),
        (b"", "this is not well-formed XML (no element found"),
        (b"<survey><section/></survey>", "the root element is <survey>, not <questionnaire>"),
        (NO_VARNAME.encode(), "section 1, question 1, response 1: the response has no varName"),
        (BILLION_LAUGHS.encode(), "the file declares XML entities (<!ENTITY ...>)"),
        (EXTERNAL.encode(), "the file declares XML entities (<!ENTITY ...>)"),
        (b'<questionnaire id="1"><title>T</title></questionnaire>', "has no <section>"),
    ],
    ids=["binary", "empty", "root", "varname", "entities", "external", "sections"],
)
def test_bad_files_are_one_clear_message_and_nothing_is_written(
    tmp_path, deltaker, content, wanted
):
    source = tmp_path / "q.xml"
    source.write_bytes(content)
    with pytest.raises(QuexmlErrors) as caught:
        import_quexml(source)
    assert len(caught.value.errors) == 1
    assert wanted in caught.value.errors[0].format()
    out = tmp_path / "f.yaml"
    result = deltaker("quexml", str(source), "--out", str(out))
    assert result.returncode == 1
    lines = result.stderr.splitlines()
    assert lines == [f"error: {caught.value.errors[0].format()}", "1 problem; nothing was written."]
    assert str(source) in lines[0]
    assert "lol" not in result.stderr and "root:" not in result.stderr  # nothing expanded
    assert not out.exists()


def test_every_problem_of_a_file_is_listed(tmp_path, deltaker):
    source = tmp_path / "q.xml"
    source.write_text(TWICE, encoding="utf-8")
    out = tmp_path / "f.yaml"
    result = deltaker("quexml", str(source), "--out", str(out))
    assert result.returncode == 1
    assert "section 1, question 2, response 'A': varName 'A' is used twice" in result.stderr
    assert "section 1, question 3, response 'c': category 1 ('x') has no <value>" in result.stderr
    assert "2 problems; nothing was written." in result.stderr
    assert not out.exists()


def test_a_missing_file_and_an_existing_output(tmp_path, deltaker):
    result = deltaker("quexml", str(tmp_path / "nope.xml"))
    assert result.returncode == 1 and "cannot read the file" in result.stderr
    out = tmp_path / "f.yaml"
    out.write_text("mine", encoding="utf-8")
    result = deltaker("quexml", str(ACSPRI), "--out", str(out))
    assert result.returncode != 0 and "exists already" in result.stderr
    assert out.read_text(encoding="utf-8") == "mine"


def test_docs_name_every_response_kind_and_option():
    from forms.quexml import FREE_TYPES, RESPONSE_KINDS
    from webapp.cli.forms_cmds import quexml_cmd

    doc = (ROOT / "docs" / "quexml.md").read_text(encoding="utf-8")
    for name in (*RESPONSE_KINDS, *FREE_TYPES):
        assert f"`{name}`" in doc, name
    for param in quexml_cmd.params:
        for opt in getattr(param, "opts", []):
            if opt.startswith("--") and opt not in ("--data", "--db"):
                assert f"`{opt}" in doc, opt

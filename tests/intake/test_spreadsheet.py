"""The results workbook: pure tables, formula safety, atomic writes, round trip."""

from __future__ import annotations

import datetime as dt

import openpyxl
import pytest
from sqlalchemy import select

from forms.errors import UserError
from intake.db import read_scope, session_scope
from intake.ingest import ingest_manual, ingest_page_results, ingest_web_submission
from intake.models import ExportLog, Participant, Response
from intake.spreadsheet import form_table, item_columns
from intake.studies import get_study, load_study_into_db
from intake.tables import write_csv
from privacy.exports import results
from scan.results import PageResult, PageStatus
from tests.factories import make_questionnaire, make_study

EVIL = '=HYPERLINK("http://evil.example","click")'


@pytest.fixture
def filled(engine):
    with session_scope(engine) as session:
        load_study_into_db(session, make_study())
        for code in ("P-AAAA", "P-BBBB", "P-CCCC"):
            person = Participant(code=code, language="nb", status="new", group="families")
            session.add(person)
        session.flush()
        ingest_web_submission(
            session,
            submission_id="s1",
            form="families",
            participant="P-AAAA",
            answers={
                "housing": "rent",
                "help": ["nav", "family"],
                "children": "yes",
                "satisfied": "4",
                "rooms": "3",
                "moved": "2024-05-01",
                "name": EVIL,
                "story": "+47 is my number\nand more",
            },
        )
        typed, _ = ingest_manual(
            session,
            form="families",
            participant="P-BBBB",
            entered_by="Ola",
            answers={"housing": "own"},
        )
        # stored before manual entry checked numbers and dates (forms.answers): the
        # spreadsheet still shows such old answers as typed
        typed.answers = {**typed.answers, "rooms": "to", "moved": "i fjor"}
        version = session.scalars(select(Response)).first().form_version.text_version
        ingest_page_results(
            session,
            [
                PageResult(
                    file="b.pdf",
                    file_sha256="b" * 64,
                    page_index=0,
                    status=PageStatus.NEEDS_REVIEW,
                    form="families",
                    version=version,
                    language="nb",
                    participant="P-CCCC",
                    page=1,
                    fields=[],
                    answers={"help": []},
                    needs_review=["story"],
                )
            ],
        )
    return engine


def test_item_columns_cover_every_answerable_type():
    form = make_questionnaire()
    names = [c.name for c in item_columns(form)]
    assert names == [
        "housing",
        "help__nav",
        "help__kommune",
        "help__family",
        "children",
        "satisfied",
        "rooms",
        "moved",
        "name",
        "story",
    ]


def test_form_table_is_pure_data(filled):
    with read_scope(filled) as session:
        headers, rows = form_table(session, get_study(session), "families")
        rows = list(rows)
    assert headers[:7] == [
        "participant",
        "serial",
        "channel",
        "received (UTC)",
        "status",
        "version",
        "language",
    ]
    by_code = {r[0]: dict(zip(headers, r, strict=True)) for r in rows}
    web = by_code["P-AAAA"]
    assert (web["channel"], web["status"], web["housing"]) == ("web", "complete", "rent")
    assert (web["help__nav"], web["help__kommune"], web["help__family"]) == (1, 0, 1)
    assert (web["satisfied"], web["rooms"], web["moved"]) == (4, 3, dt.date(2024, 5, 1))
    assert isinstance(web["received (UTC)"], dt.datetime)
    manual = by_code["P-BBBB"]
    # Written answers that are not numbers or dates stay as typed.
    assert (manual["rooms"], manual["moved"], manual["help__nav"]) == ("to", "i fjor", None)
    assert by_code["P-CCCC"]["status"] == "needs_review"


def test_round_trip_xlsx_matches_the_database(filled, tmp_path):
    out = tmp_path / "results.xlsx"
    result = results(filled, out, actor="tester")
    assert result.rows["families"] == 3
    workbook = openpyxl.load_workbook(out)  # not read-only: we look at cell types too
    assert workbook.sheetnames == [
        "consent",
        "families",
        "codebook",
        "consent status",
        "review tasks",
        "participants",
    ]
    sheet = workbook["families"]
    assert sheet.freeze_panes == "A2"
    values = list(sheet.iter_rows(values_only=True))
    headers = list(values[0])
    with read_scope(filled) as session:
        db_headers, db_rows = form_table(session, get_study(session), "families")
        expected = list(db_rows)
    assert headers == db_headers
    assert len(values) - 1 == len(expected)
    for got, want in zip(values[1:], expected, strict=True):
        for header, g, w in zip(headers, got, want, strict=True):
            if isinstance(w, dt.datetime):
                assert abs(g - w.astimezone(dt.UTC).replace(tzinfo=None)) < dt.timedelta(seconds=1)
            elif isinstance(w, dt.date):
                assert g.date() == w, header
            else:
                assert g == w, header
    # The formula-looking answer is a text cell, never a formula.
    name_col = headers.index("name") + 1
    cells = [sheet.cell(row=r, column=name_col) for r in range(2, sheet.max_row + 1)]
    evil = [c for c in cells if c.value == EVIL]
    assert evil and all(c.data_type == "s" for c in evil)
    story_col = headers.index("story") + 1
    assert any(
        sheet.cell(row=r, column=story_col).data_type == "s"
        and str(sheet.cell(row=r, column=story_col).value).startswith("+47")
        for r in range(2, sheet.max_row + 1)
    )
    participants = list(workbook["participants"].iter_rows(values_only=True))
    assert participants[0] == ("code", "group", "language", "status")
    review = list(workbook["review tasks"].iter_rows(values_only=True))
    assert len(review) == 2 and review[1][1] == "handwriting"
    with read_scope(filled) as session:
        log = session.scalars(select(ExportLog)).one()
        assert (log.actor, log.kind, log.file_format) == ("tester", "results", "xlsx")


def test_overwrite_needs_force_and_leaves_no_temp_files(filled, tmp_path):
    out = tmp_path / "results.xlsx"
    out.write_bytes(b"old")
    with pytest.raises(UserError, match="--force"):
        results(filled, out, actor="tester")
    assert out.read_bytes() == b"old"
    results(filled, out, actor="tester", force=True, with_contacts=True, labels=True)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["data", "results.xlsx"]
    workbook = openpyxl.load_workbook(out, read_only=True)
    participants = list(workbook["participants"].iter_rows(values_only=True))
    assert "name" in participants[0]
    families = list(workbook["families"].iter_rows(values_only=True))
    headers = families[0]
    # read-only mode drops empty trailing cells, so zip loosely
    labelled = {r[0]: dict(zip(headers, r, strict=False)) for r in families[1:]}
    assert labelled["P-AAAA"]["housing"] == "Jeg leier"
    assert labelled["P-AAAA"]["help__nav"] == "NAV" and labelled["P-AAAA"]["help__kommune"] is None
    workbook.close()
    with read_scope(filled) as session:
        kinds = [e.kind for e in session.scalars(select(ExportLog))]
    assert kinds == ["results_with_contacts"]


def test_csv_export_one_file_per_sheet_with_bom_and_semicolons(filled, tmp_path):
    out = tmp_path / "results.csv"
    result = results(filled, out, actor="tester", sep=";")
    names = sorted(p.name for p in result.files)
    assert "results.families.csv" in names and "results.codebook.csv" in names
    data = (tmp_path / "results.families.csv").read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    text = data.decode("utf-8-sig")
    assert text.splitlines()[0].startswith("participant;serial;channel")
    assert "'=HYPERLINK" in text and "'+47 is my number" in text
    with pytest.raises(UserError, match="exists"):
        results(filled, out, actor="tester", sep=";")


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=1+1", "'=1+1"),
        ("+1", "'+1"),
        ("-1", "'-1"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("safe", "safe"),
        ("a=b", "a=b"),
    ],
)
def test_csv_neutralises_every_formula_start(tmp_path, value, expected):
    import csv

    out = tmp_path / "t.csv"
    write_csv(out, ["h"], [[value]])
    with open(out, encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    assert rows[1] == [expected]


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"file_format": "pdf"}, "unknown format"),
        ({"sep": ";;", "file_format": "csv"}, "one character"),
    ],
)
def test_bad_export_options(filled, tmp_path, kwargs, message):
    with pytest.raises(UserError, match=message):
        results(filled, tmp_path / "r.xlsx", actor="tester", **kwargs)


def test_missing_output_folder_is_a_clear_error(filled, tmp_path):
    with pytest.raises(UserError, match="does not exist"):
        results(filled, tmp_path / "nope" / "r.xlsx", actor="tester")


def test_consent_status_sheet_comes_from_the_ledger(filled):
    from intake.spreadsheet import consent_table

    with session_scope(filled) as session:
        ingest_web_submission(
            session,
            submission_id="c1",
            form="consent",
            participant="P-AAAA",
            answers={"c_interview": ["yes"]},
        )
    with read_scope(filled) as session:
        headers, rows = consent_table(session)
    table = {(r[0], r[1]): dict(zip(headers, r, strict=True)) for r in rows}
    assert table[("P-AAAA", "interview")]["state"] == "granted"
    assert table[("P-AAAA", "interview")]["channel"] == "web"
    assert table[("P-AAAA", "audio")]["state"] == "declined"

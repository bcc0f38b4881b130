# ruff: noqa: E501 - the table of bad files reads best one case per line
"""Participant import: good files in every shape, and many bad ones refused cleanly."""

from __future__ import annotations

import codecs
import zipfile
from pathlib import Path

import openpyxl
import pytest
from sqlalchemy import select

from forms.errors import UserError
from forms.isolation import Limits
from intake.db import read_scope, session_scope
from intake.models import ContactDetails, Participant
from intake.participants import (
    MAX_ROWS,
    import_participants,
    participants_table,
    read_table,
    read_table_isolated,
    rejected_table,
)
from tests.intake.helpers import dump

HEADER_NB = "Navn;Adresse;Postnummer;Poststed;Språk;Gruppe;Telefon;E-post"
ROWS_NB = [
    "Kari Nordmann;Storgata 1;0150;Oslo;nb;familier;912 34 567;kari@example.no",
    "Åse Ødegård;Bjørkeveien 12 B;5003;Bergen;nynorsk;familier;;",
    "John Smith;Main Road 3;9010;Tromsø;English;ansatte;+47 48 00 00 01;john@example.com",
]


def write(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_bytes(text.encode(encoding))
    return path


def csv_text(header: str = HEADER_NB, rows=ROWS_NB, sep: str = ";") -> str:
    return "\r\n".join([header.replace(";", sep), *(r.replace(";", sep) for r in rows)]) + "\r\n"


def run_import(engine, path, **kwargs):
    # In-process reading here; the worker process is tested below on its own cases.
    kwargs.setdefault("isolated", False)
    with session_scope(engine) as session:
        return import_participants(session, path, **kwargs)


def people(engine) -> list[tuple]:
    with read_scope(engine) as session:
        return [
            (p.language, p.group, p.contact.name, p.contact.postcode, p.contact.phone)
            for p in session.scalars(select(Participant).order_by(Participant.id))
        ]


# ------------------------------------------------------------------ good files


@pytest.mark.parametrize(
    ("encoding", "sep"),
    [
        ("utf-8", ";"),
        ("utf-8-sig", ";"),
        ("cp1252", ";"),
        ("utf-8", ","),
        ("utf-16", "\t"),
        ("cp1252", ","),
    ],
)
def test_csv_in_every_office_encoding_and_separator(engine, tmp_path, encoding, sep):
    path = write(tmp_path / "liste.csv", csv_text(sep=sep), encoding)
    result = run_import(engine, path)
    assert len(result.imported) == 3
    assert people(engine) == [
        ("nb", "familier", "Kari Nordmann", "0150", "912 34 567"),
        ("nn", "familier", "Åse Ødegård", "5003", None),
        ("en", "ansatte", "John Smith", "9010", "+47 48 00 00 01"),
    ]
    with read_scope(engine) as session:
        codes = [p.code for p in session.scalars(select(Participant))]
    assert len(set(codes)) == 3 and all(c.startswith("P-") for c in codes)


def test_english_headers_blank_rows_and_default_group(engine, tmp_path):
    text = (
        "Name,Address,Post code,City,Language,Phone,Email,Notes\n"
        "\n"
        "Kari Nordmann,Storgata 1,0150,Oslo,,,,likes tea\n"
        ",,,,,,,\n"
        "Per Hansen,,,,en,,per@example.no,\n"
    )
    path = write(tmp_path / "people.csv", text)
    run_import(engine, path, group="employees")
    assert people(engine) == [
        ("nb", "employees", "Kari Nordmann", "0150", None),
        ("en", "employees", "Per Hansen", None, None),
    ]


def make_xlsx(path: Path, rows: list[list], *, sheet_title: str = "Ark1") -> Path:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = sheet_title
    for row in rows:
        sheet.append(row)
    workbook.save(path)
    return path


def test_xlsx_with_numeric_postcodes_and_formula_text(engine, tmp_path):
    path = make_xlsx(
        tmp_path / "liste.xlsx",
        [
            ["Navn", "Adresse", "Postnummer", "Poststed", "Telefon"],
            ["Kari Nordmann", "Storgata 1", 150, "Oslo", 91234567],
            ['=HYPERLINK("http://evil.example","Klikk")', "Vei 2", "5003", "Bergen", None],
            [None, None, None, None, None],
            ["Ola", "Vei 3", 5004.0, "Bergen", None],
        ],
    )
    result = run_import(engine, path)
    assert len(result.imported) == 3
    rows = people(engine)
    assert rows[0] == ("nb", None, "Kari Nordmann", "0150", "91234567")
    # A formula is kept as its text, never evaluated.
    assert rows[1][2] == '=HYPERLINK("http://evil.example","Klikk")'
    assert rows[2][3] == "5004"


def test_separator_from_the_header_and_excel_sep_line(engine, tmp_path):
    # Commas inside a semicolon file must not fool the separator detection.
    text = (
        "Navn;Adresse;Postnummer;Poststed\n"
        "Kari Nordmann;Storgata 1, 2. etasje;0150;Oslo\n"
        "Ola Nordmann;Vei 2, leilighet 3;5003;Bergen\n"
    )
    run_import(engine, write(tmp_path / "a.csv", text))
    hinted = "sep=,\nNavn,Telefon\nPer,91234567\n,\nBad,12\n"
    with pytest.raises(UserError) as caught:
        run_import(engine, write(tmp_path / "b.csv", hinted))
    assert caught.value.problems[0].format().startswith("row 5, phone")
    with read_scope(engine) as session:
        addresses = [c.address for c in session.scalars(select(ContactDetails))]
    assert addresses == ["Storgata 1, 2. etasje", "Vei 2, leilighet 3"]


def test_first_and_last_name_columns_are_joined(engine, tmp_path):
    text = "Fornavn;Etternavn;Tlf\nKari;Nordmann;91234567\nOla;;92345678\n;;93456789\n"
    path = write(tmp_path / "navn.csv", text)
    result = run_import(engine, path, skip_invalid=True)
    assert len(result.imported) == 2
    assert [p[2] for p in people(engine)] == ["Kari Nordmann", "Ola"]
    assert [(r.row, r.cells["name"]) for r in result.rejected] == [(4, None)]


def test_skip_invalid_imports_the_good_rows_and_reports_the_rest(engine, tmp_path):
    rows = [
        *ROWS_NB,
        "Uten Postnummer;Gate 1;12345;Oslo;nb;;;",
        "Kari Nordmann;Storgata 1;0150;Oslo;nb;;;",
    ]
    path = write(tmp_path / "liste.csv", csv_text(rows=rows))
    result = run_import(engine, path, skip_invalid=True)
    assert len(result.imported) == 3
    assert [r.row for r in result.rejected] == [5, 6]
    headers, table = rejected_table(result)
    assert headers[0] == "row" and headers[-1] == "problems"
    assert "postcode" in table[0][-1] and "same name and address as row 2" in table[1][-1]


def test_list_shows_codes_only_unless_asked(engine, tmp_path):
    run_import(engine, write(tmp_path / "l.csv", csv_text()))
    with read_scope(engine) as session:
        headers, rows = participants_table(session)
        rows = list(rows)
        assert headers == ["code", "group", "language", "status"]
        assert not any("Kari" in str(v) for row in rows for v in row)
        headers, rows = participants_table(session, with_contacts=True)
        rows = list(rows)
        assert "name" in headers and rows[0][headers.index("name")] == "Kari Nordmann"


def test_openpyxl_uses_defusedxml():
    assert openpyxl.DEFUSEDXML is True


# ------------------------------------------------------------------ bad files


def _zip_bomb(path: Path) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        # 120 MB of zeros compress to about 120 kB.
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as entry:
            block = b"\0" * (1024 * 1024)
            for _ in range(120):
                entry.write(block)
    return path


def _many_entries(path: Path) -> Path:
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
        for n in range(600):
            archive.writestr(f"xl/junk/{n}.xml", "x")
    return path


def _xxe_xlsx(path: Path, tmp_path: Path) -> Path:
    good = make_xlsx(tmp_path / "base.xlsx", [["Navn", "Telefon"], ["Kari", "91234567"]])
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP SECRET")
    with zipfile.ZipFile(good) as src, zipfile.ZipFile(path, "w") as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                text = data.decode()
                text = text.replace(
                    "<worksheet",
                    f'<!DOCTYPE x [<!ENTITY e SYSTEM "file://{secret}">]><worksheet',
                    1,
                )
                data = text.encode()
            dst.writestr(info, data)
    return path


def _big_csv(path: Path, rows: int) -> Path:
    lines = ["navn,telefon"] + [f"Person {n},9{n:07d}" for n in range(rows)]
    path.write_text("\n".join(lines))
    return path


BAD_FILES = {
    "empty": (lambda d: write(d / "x.csv", ""), "empty"),
    "only_blank_lines": (lambda d: write(d / "x.csv", "\n\n  \n"), "empty"),
    "only_headers": (lambda d: write(d / "x.csv", HEADER_NB + "\n"), "no people"),
    "binary_garbage": (
        lambda d: write_bytes(d / "x.csv", bytes(range(256)) * 8),
        "not a text file",
    ),
    "mixed_utf8_and_cp1252": (
        lambda d: write_bytes(
            d / "x.csv",
            "navn;telefon\nBjørn;91234567\n".encode() + "Åse;92345678\n".encode("cp1252"),
        ),
        "mixes two text encodings",
    ),
    "double_encoded_utf8": (
        lambda d: write_bytes(
            d / "x.csv", "navn;telefon\nBjørn;91234567\n".encode().decode("cp1252").encode()
        ),
        "converted twice",
    ),
    "not_utf8_nor_cp1252": (
        lambda d: write_bytes(d / "x.csv", b"navn,telefon\nKari\x81,91234567\n"),
        "cannot read the text",
    ),
    "missing_name_column": (
        lambda d: write(d / "x.csv", "Adresse;Postnummer;Poststed\nGate 1;0150;Oslo\n"),
        "no name column",
    ),
    "no_contact_columns": (
        lambda d: write(d / "x.csv", "Navn;Språk\nKari;nb\n"),
        "no way to reach",
    ),
    "address_without_postcode_column": (
        lambda d: write(d / "x.csv", "Navn;Adresse;Poststed\nKari;Gate 1;Oslo\n"),
        "postcode",
    ),
    "name_and_split_name": (
        lambda d: write(d / "x.csv", "Navn;Fornavn;Etternavn;Telefon\nKari;K;N;91234567\n"),
        "keep one",
    ),
    "only_first_name_column": (
        lambda d: write(d / "x.csv", "Fornavn;Telefon\nKari;91234567\n"),
        "no name column",
    ),
    "two_name_columns": (
        lambda d: write(d / "x.csv", "Navn;Name;Telefon\nKari;Kari;91234567\n"),
        "two columns",
    ),
    "bad_postcode": (
        lambda d: write(d / "x.csv", csv_text(rows=["Kari;Gate 1;12A4;Oslo;nb;;;"])),
        "row 2, postcode",
    ),
    "postcode_lost_zero_in_csv": (
        lambda d: write(d / "x.csv", csv_text(rows=["Kari;Gate 1;150;Oslo;nb;;;"])),
        "leading zero",
    ),
    "unknown_language": (
        lambda d: write(d / "x.csv", csv_text(rows=["Kari;Gate 1;0150;Oslo;klingon;;;"])),
        "unknown language",
    ),
    "missing_name_in_row": (
        lambda d: write(d / "x.csv", csv_text(rows=[";Gate 1;0150;Oslo;nb;;;"])),
        "name is missing",
    ),
    "incomplete_address": (
        lambda d: write(d / "x.csv", csv_text(rows=["Kari;Gate 1;;;nb;;;"])),
        "incomplete",
    ),
    "bad_email": (
        lambda d: write(d / "x.csv", csv_text(rows=["Kari;;;;nb;;;kari-at-example"])),
        "not an e-mail",
    ),
    "bad_phone": (lambda d: write(d / "x.csv", csv_text(rows=["Kari;;;;nb;;12;"])), "not a phone"),
    "formula_in_phone": (
        lambda d: write(d / "x.csv", csv_text(rows=["Kari;;;;nb;;=cmd|' /C calc'!A0;"])),
        "not a phone",
    ),
    "duplicate_in_file_phone": (
        lambda d: write(
            d / "x.csv", csv_text(rows=["Kari;;;;nb;;91234567;", "Kari N;;;;nb;;+47 912 34 567;"])
        ),
        "same phone number as row 2",
    ),
    "duplicate_in_file_email": (
        lambda d: write(
            d / "x.csv", csv_text(rows=["A;;;;nb;;;a@example.no", "B;;;;nb;;;A@Example.no"])
        ),
        "same e-mail",
    ),
    "duplicate_of_stored_person": (
        lambda d: write(d / "x.csv", csv_text(rows=["Stored Person;Gate 9;0150;Oslo;nb;;;"])),
        "already stored",
    ),
    "too_many_rows_50000": (lambda d: _big_csv(d / "x.csv", 50_000), f"more than {MAX_ROWS:,}"),
    "too_long_cell": (
        lambda d: write(d / "x.csv", csv_text(rows=["K" * 600 + ";;;;nb;;91234567;"])),
        "too long",
    ),
    "xlsx_not_a_zip": (lambda d: write(d / "x.xlsx", "Navn;Telefon\nKari;91234567\n"), "not a zip"),
    "xlsx_zip_bomb": (lambda d: _zip_bomb(d / "x.xlsx"), "would unpack"),
    "xlsx_too_many_entries": (lambda d: _many_entries(d / "x.xlsx"), "too many parts"),
    "xlsx_zip_but_not_excel": (lambda d: _plain_zip(d / "x.xlsx"), "not an Excel workbook"),
    "xlsx_truncated": (lambda d: _truncated_xlsx(d), "x.xlsx"),
    "xlsx_garbled_zip_version": (lambda d: _garbled_version(d), "the .xlsx file is damaged"),
    "xlsx_entity_attack": (lambda d: _xxe_xlsx(d / "x.xlsx", d), "cannot read"),
    "xls_old_format": (
        lambda d: write_bytes(d / "x.xls", b"\xd0\xcf\x11\xe0" + b"\0" * 100),
        ".xls",
    ),
    "unknown_extension": (lambda d: write(d / "x.pdf", "%PDF-1.4"), "unknown file type"),
    "is_a_folder": (lambda d: _folder(d / "x.csv"), "folder"),
    "does_not_exist": (lambda d: d / "missing.csv", "cannot read the file"),
}


def write_bytes(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


def _plain_zip(path: Path) -> Path:
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("readme.txt", "hello")
    return path


def _truncated_xlsx(directory: Path) -> Path:
    good = make_xlsx(directory / "full.xlsx", [["Navn", "Telefon"], ["Kari", "91234567"]])
    data = good.read_bytes()
    return write_bytes(directory / "x.xlsx", data[: len(data) // 2])


def _garbled_version(directory: Path) -> Path:
    """A workbook whose zip directory asks for an unknown zip version (zipfile raises
    NotImplementedError for it, not BadZipFile)."""
    good = make_xlsx(directory / "full.xlsx", [["Navn", "Telefon"], ["Kari", "91234567"]])
    data = bytearray(good.read_bytes())
    entry = data.index(b"PK\x01\x02")  # the first central directory entry
    data[entry + 6 : entry + 8] = (147).to_bytes(2, "little")  # "version needed": 14.7
    return write_bytes(directory / "x.xlsx", bytes(data))


def _folder(path: Path) -> Path:
    path.mkdir()
    return path


@pytest.fixture
def stored(engine, tmp_path):
    """A database that already holds one person, so "unchanged" means something."""
    seed = write(tmp_path / "seed.csv", csv_text(rows=["Stored Person;Gate 9;0150;Oslo;nb;;;"]))
    run_import(engine, seed)
    return engine


@pytest.mark.parametrize("case", sorted(BAD_FILES))
def test_bad_file_is_refused_clearly_and_changes_nothing(stored, tmp_path, case):
    make, expected = BAD_FILES[case]
    directory = tmp_path / "bad"
    directory.mkdir()
    path = make(directory)
    before = dump(stored)
    with pytest.raises(UserError) as caught:
        run_import(stored, path)
    message = caught.value.format()
    assert expected.lower() in message.lower(), message
    assert "\n" not in message and "Traceback" not in message
    assert str(path) in message  # says which file
    assert dump(stored) == before
    with read_scope(stored) as session:
        assert len(session.scalars(select(ContactDetails)).all()) == 1


def test_every_problem_is_reported_with_its_row(engine, tmp_path):
    rows = ["Kari;Gate 1;12A4;Oslo;nb;;;", "Ola;;;;xx;;;", "Per;Gate 2;0150;Oslo;nb;;;"]
    path = write(tmp_path / "x.csv", csv_text(rows=rows))
    with pytest.raises(UserError) as caught:
        run_import(engine, path)
    formatted = [p.format() for p in caught.value.problems]
    assert formatted[0].startswith("row 2, postcode:")
    assert any(f.startswith("row 3, language:") for f in formatted)
    assert not any(f.startswith("row 4") for f in formatted)


def test_utf8_bom_header_is_recognised(engine, tmp_path):
    path = tmp_path / "bom.csv"
    path.write_bytes(codecs.BOM_UTF8 + b"navn,e-post\nKari,kari@example.no\n")
    assert len(run_import(engine, path).imported) == 1


ISOLATED_CASES = ["xlsx_zip_bomb", "xlsx_entity_attack", "too_many_rows_50000", "bad_postcode"]


@pytest.mark.parametrize("case", ISOLATED_CASES)
def test_worker_process_gives_the_same_clear_messages(stored, tmp_path, case):
    make, expected = BAD_FILES[case]
    directory = tmp_path / "bad"
    directory.mkdir()
    path = make(directory)
    before = dump(stored)
    with pytest.raises(UserError) as caught:
        run_import(stored, path, isolated=True)
    message = caught.value.format()
    assert expected.lower() in message.lower() and str(path) in message, message
    assert dump(stored) == before


def test_worker_reads_good_files_the_same(engine, tmp_path):
    xlsx = make_xlsx(
        tmp_path / "liste.xlsx",
        [
            ["Navn", "Adresse", "Postnummer", "Poststed", "Telefon"],
            ["Kari Nordmann", "Storgata 1", 150, "Oslo", 91234567],
        ],
    )
    csv_file = write(tmp_path / "liste.csv", csv_text(), "cp1252")
    assert read_table_isolated(xlsx) == read_table(xlsx)
    assert read_table_isolated(csv_file) == read_table(csv_file)
    run_import(engine, xlsx, isolated=True)
    assert people(engine) == [("nb", None, "Kari Nordmann", "0150", "91234567")]


def test_worker_that_breaks_its_memory_limit_is_stopped(tmp_path):
    path = make_xlsx(tmp_path / "liste.xlsx", [["Navn", "Telefon"], ["Kari", "91234567"]])
    # 60 MB of address space is too little even to import openpyxl; where the import
    # succeeds, the allocation that fails surfaces in lxml or a C extension as its own error
    with pytest.raises(UserError, match="memory|limit|cannot read the file") as caught:
        read_table_isolated(path, limits=Limits(memory_bytes=60_000_000))
    assert "\n" not in caught.value.format()


@pytest.mark.parametrize("control", ["\x1b", "\x07", "\x08", "\x00", "\x7f"])
def test_a_control_character_far_into_the_file_is_refused(stored, tmp_path, control):
    # The file's first 4,096 characters were the only ones checked once; ESC at 5,000 got in.
    rows = [f"Person {n};;;;nb;;9{n:07d};" for n in range(200)]
    text = csv_text(rows=rows)
    at = text.index("Person", 5_000)
    path = write(tmp_path / "x.csv", text[:at] + control + text[at:])
    before = dump(stored)
    with pytest.raises(UserError) as caught:
        run_import(stored, path)
    # NUL anywhere makes the whole file binary; the others are named with their cell
    assert ("binary data" if control == "\x00" else "control character") in caught.value.format()
    assert dump(stored) == before

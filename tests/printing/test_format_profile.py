"""A format profile per person: imported from the list, honoured by every printer.

Real SQLite (and PostgreSQL when configured), real PDFs read back with pdfplumber:
the body text's font size says standard (14 pt) or large print (18 pt).
"""

from __future__ import annotations

import datetime as dt
import shutil
from collections import Counter
from pathlib import Path

import openpyxl
import pdfplumber
import pytest
from sqlalchemy import select

from intake.db import read_scope, session_scope
from intake.format_profiles import parse_choice, profile_of, set_profile
from intake.mailing import LetterRun, print_letters, print_withdrawal_slip
from intake.models import FormatProfileRecord, Participant
from intake.participants import ParticipantImportError, import_participants
from intake.reminders import ReminderRun, send_reminders
from intake.studies import get_study, load_study_into_db
from printing.format_profile import (
    FormatProfile,
    PrintOverride,
    Sheets,
    effective_profile,
    sheets_for,
)
from tests.intake.helpers import dump

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "u-sving"
PEOPLE = """navn,adresse,postnummer,poststed,språk,gruppe,stor_skrift,tosidig,lettlest
Åse Øvrebø,Storgata 1 B,0155,Oslo,nb,families,ja,,
Ola Nordmann,Fjellveien 22,5003,Bergen,nn,families,,nei,
John Smith,Kirkegata 3,7011,Trondheim,en,employees,no,yes,yes
"""
#: The example's purpose, in English: the standard text and its easy-to-read variant.
PURPOSE_STANDARD = "make the services better for other families"
PURPOSE_EASY = "What we learn will help other families."
BLANK = {"nb": "Denne siden er tom med vilje.", "nn": "Denne sida er tom med vilje."}
BLANK_EN = "This page is blank on purpose."


@pytest.fixture
def loaded(tmp_path, engine):
    """The example study (a private copy) and three people with format profiles."""
    from forms.load import load_study

    folder = tmp_path / "study"
    shutil.copytree(EXAMPLE, folder)
    people = tmp_path / "people.csv"
    people.write_text(PEOPLE, encoding="utf-8")
    with session_scope(engine) as session:
        load_study_into_db(session, load_study(folder))
        import_participants(session, people, study=get_study(session))
    return folder


def codes(engine) -> dict[str, str]:
    with read_scope(engine) as session:
        return {p.contact.name.split()[0]: p.code for p in session.scalars(select(Participant))}


def body_size(page) -> float:
    """The most common font size on a page: its body text."""
    sizes = Counter(round(c["size"], 1) for c in page.chars if c["text"].strip())
    return sizes.most_common(1)[0][0]


def pages_of(pdf: Path) -> list[tuple[str, float | None]]:
    """(text, body size) of every page; a page without text has size None."""
    out = []
    with pdfplumber.open(pdf) as doc:
        for page in doc.pages:
            text = page.extract_text() or ""
            out.append((text, body_size(page) if text.strip() else None))
    return out


def sizes_in(pdf: Path) -> set[float]:
    with pdfplumber.open(pdf) as doc:
        return {round(c["size"], 1) for page in doc.pages for c in page.chars if c["text"].strip()}


def is_blank(text: str) -> bool:
    return text.strip() in (*BLANK.values(), BLANK_EN)


# --- the rule --------------------------------------------------------------------------------


def test_the_override_only_changes_the_print_size_and_sheets_follow_the_run():
    person = FormatProfile("nn", large_print=False, two_sided=False, easy_read=True)
    assert effective_profile(person, PrintOverride()) == person
    forced = effective_profile(person, PrintOverride(large_print=True))
    assert forced == FormatProfile("nn", True, False, True)
    big = FormatProfile("nb", large_print=True)
    assert effective_profile(big, PrintOverride(large_print=False)).print_profile == "standard"
    assert sheets_for(person, duplex=True) == Sheets.ONE_SIDED
    assert sheets_for(big, duplex=True) == Sheets.TWO_SIDED
    assert sheets_for(person, duplex=False) == sheets_for(big, duplex=False) == Sheets.SIMPLEX


@pytest.mark.parametrize(
    "cell, expected",
    [
        ("ja", True),
        ("Nei", False),
        (" YES ", True),
        ("", None),
        (None, None),
        (1, True),
        (0.0, False),
    ],
)
def test_yes_no_cells(cell, expected):
    assert parse_choice(cell) is expected


# --- the participant list --------------------------------------------------------------------


def test_import_stores_each_persons_profile(engine, loaded):
    with read_scope(engine) as session:
        found = {p.contact.name: profile_of(p) for p in session.scalars(select(Participant))}
        rows = [r.updated_by for r in session.scalars(select(FormatProfileRecord))]
    assert found == {
        "Åse Øvrebø": FormatProfile("nb", large_print=True),
        "Ola Nordmann": FormatProfile("nn", two_sided=False),
        "John Smith": FormatProfile("en", False, two_sided=True, easy_read=True),
    }
    assert rows == ["import"] * 3


def test_english_headers_and_words_are_read_too(tmp_path, engine):
    people = tmp_path / "people.csv"
    people.write_text(
        "name,address,postcode,city,language,large print,two sided,easy read\n"
        "Ann Berg,Vei 1,0150,Oslo,en,yes,one-sided,standard\n"
        "Bo Lie,Vei 2,0150,Oslo,en,,,\n",
        encoding="utf-8",
    )
    with session_scope(engine) as session:
        import_participants(session, people)
    with read_scope(engine) as session:
        found = {p.contact.name: profile_of(p) for p in session.scalars(select(Participant))}
        assert session.scalars(select(FormatProfileRecord)).all().__len__() == 1
    assert found["Ann Berg"] == FormatProfile("en", True, False, False)
    assert found["Bo Lie"] == FormatProfile("en"), "blank cells: no profile row, the defaults"


def test_bad_profile_values_are_named_by_row_and_column_and_nothing_is_stored(tmp_path, engine):
    people = tmp_path / "people.xlsx"
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(
        ["navn", "adresse", "postnummer", "poststed", "stor_skrift", "tosidig", "lettlest"]
    )
    sheet.append(["Åse Øvrebø", "Storgata 1", "0155", "Oslo", "kanskje", "ja", "ja"])
    sheet.append(["Ola Nordmann", "Vei 2", "5003", "Bergen", 2, "trippel", ""])
    sheet.append(["Kari Holm", "Vei 3", "5003", "Bergen", "ja", "ensidig", "superlett"])
    sheet.append(["Per Berg", "Vei 4", "5003", "Bergen", True, "", "lettlest"])
    book.save(people)
    before = dump(engine)
    with session_scope(engine) as session, pytest.raises(ParticipantImportError) as caught:
        import_participants(session, people)
    problems = [p.format() for p in caught.value.problems]
    assert problems == [
        "row 2, large_print: 'kanskje' is not a choice here: write ja or nei (yes or no)",
        "row 3, large_print: '2' is not a choice here: write ja or nei (yes or no)",
        "row 3, two_sided: 'trippel' is not a choice here: write ja or nei, tosidig or "
        "ensidig (yes or no, two-sided or one-sided)",
        "row 4, easy_read: 'superlett' is not a choice here: write ja or nei, lettlest or "
        "standard (yes or no, easy-read or standard)",
    ]
    assert dump(engine) == before, "all or nothing: not one person stored"


def test_skip_invalid_keeps_the_good_rows_profiles(tmp_path, engine):
    people = tmp_path / "people.csv"
    people.write_text(
        "navn,adresse,postnummer,poststed,stor_skrift\n"
        "Åse Øvrebø,Storgata 1,0155,Oslo,ja\n"
        "Ola Nordmann,Vei 2,5003,Bergen,kanskje\n",
        encoding="utf-8",
    )
    from intake.participants import rejected_table

    with session_scope(engine) as session:
        result = import_participants(session, people, skip_invalid=True)
    headers, rows = rejected_table(result)
    assert "large_print" in headers and rows[0][headers.index("large_print")] == "kanskje"
    with read_scope(engine) as session:
        (person,) = session.scalars(select(Participant)).all()
        assert profile_of(person).large_print


# --- the letter run --------------------------------------------------------------------------


def _packs(result, pdf: Path) -> dict[str, list[tuple[str, float | None]]]:
    pages = pages_of(pdf)
    return {p.code: pages[p.first_page - 1 : p.last_page] for p in result.packs}


def test_a_letter_run_prints_each_person_in_their_language_size_and_sides(
    engine, data_dir, loaded, tmp_path
):
    out = tmp_path / "letters.pdf"
    result = print_letters(engine, data_dir, LetterRun(out=out))
    who = codes(engine)
    packs = _packs(result, out)
    for pack in result.packs:
        assert pack.first_page % 2 == 1 and pack.pages % 2 == 0, "each pack on its own sheets"
    ase, ola, john = packs[who["Åse"]], packs[who["Ola"]], packs[who["John"]]
    assert ase[0][1] == 18.0, "Åse's letter in large print"
    assert ola[0][1] == john[0][1] == 14.0
    assert "Side" in ase[0][0] or "Vil du" in ase[0][0]
    assert "Will you" in "".join(t for t, _ in john) and "Kirkegata 3" in john[0][0]
    assert "sida er tom" in "".join(t for t, _ in ola), "nynorsk blank backs"
    # one-sided: every second page of Ola's pack is a blank back, and nothing else is
    assert all(is_blank(text) for text, _ in ola[1::2])
    assert not any(is_blank(text) for text, _ in ola[0::2])
    assert len(ase) < len(ola), "two-sided packs use both sides"
    # the manifest tells the person who fills envelopes
    sheet = openpyxl.load_workbook(result.manifest).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][-1] == "format"
    formats = {row[0]: row[-1] for row in rows[1:]}
    assert formats[who["Åse"]] == "nb, large print"
    assert formats[who["Ola"]] == "nn, one-sided"
    # large print's forms have a layout map of their own; the scanner reads them by it
    with read_scope(engine) as session:
        from intake.models import LayoutMap

        profiles = {
            (m.form_version.form_key, m.language, m.profile)
            for m in session.scalars(select(LayoutMap))
        }
    assert ("consent", "nb", "large") in profiles and ("consent", "nn", "standard") in profiles


def test_easy_read_prints_the_information_letters_easy_variant(engine, data_dir, loaded, tmp_path):
    out = tmp_path / "letters.pdf"
    who = codes(engine)
    with session_scope(engine) as session:
        ase = session.scalars(select(Participant).where(Participant.code == who["Åse"])).one()
        set_profile(session, ase, FormatProfile("en", large_print=False), actor="test")
    result = print_letters(engine, data_dir, LetterRun(out=out))
    packs = _packs(result, out)
    easy = " ".join(" ".join(t.split()) for t, _ in packs[who["John"]])
    standard = " ".join(" ".join(t.split()) for t, _ in packs[who["Åse"]])
    assert PURPOSE_EASY in easy and PURPOSE_STANDARD not in easy
    assert PURPOSE_STANDARD in standard and PURPOSE_EASY not in standard


@pytest.mark.parametrize("forced, size", [("large", 18.0), ("standard", 14.0)])
def test_large_print_on_the_command_line_overrides_everyone(
    engine, data_dir, loaded, tmp_path, forced, size
):
    out = tmp_path / "letters.pdf"
    result = print_letters(engine, data_dir, LetterRun(out=out, profile=forced))
    for pages in _packs(result, out).values():
        assert pages[0][1] == size


def test_simplex_run_prints_no_blank_pages_even_for_one_sided_people(
    engine, data_dir, loaded, tmp_path
):
    out = tmp_path / "letters.pdf"
    result = print_letters(engine, data_dir, LetterRun(out=out, simplex=True))
    assert not any(is_blank(text) for text, _ in pages_of(out))
    assert result.pages == len(pages_of(out))


def test_the_cli_override_and_its_opposite(deltaker, engine, data_dir, loaded, tmp_path):
    big = deltaker("letters", "--out", str(tmp_path / "big.pdf"), "--large-print")
    assert big.returncode == 0, big.stderr
    small = deltaker("letters", "--out", str(tmp_path / "small.pdf"), "--no-large-print")
    assert small.returncode == 0, small.stderr
    assert {s for _, s in pages_of(tmp_path / "big.pdf") if s} >= {18.0}
    assert 18.0 not in {s for t, s in pages_of(tmp_path / "small.pdf") if s and not is_blank(t)}


# --- the other printers ----------------------------------------------------------------------


def test_withdrawal_slip_follows_the_profile_and_the_override(engine, data_dir, loaded, tmp_path):
    who = codes(engine)
    own = tmp_path / "slip.pdf"
    print_withdrawal_slip(engine, data_dir, who["Åse"], own)
    forced = tmp_path / "slip-standard.pdf"
    print_withdrawal_slip(engine, data_dir, who["Åse"], forced, profile="standard")
    plain = tmp_path / "slip-ola.pdf"
    print_withdrawal_slip(engine, data_dir, who["Ola"], plain)
    assert pages_of(own)[0][1] == 18.0
    assert pages_of(forced)[0][1] == pages_of(plain)[0][1] == 14.0
    assert "Deltakarkode" in pages_of(plain)[0][0] or "Side" in pages_of(plain)[0][0]


def test_a_reminder_follows_the_profile(engine, data_dir, loaded, tmp_path):
    print_letters(engine, data_dir, LetterRun(out=tmp_path / "letters.pdf"))
    out = tmp_path / "reminders.pdf"
    later = dt.datetime.now(dt.UTC) + dt.timedelta(days=30)
    result = send_reminders(engine, data_dir, ReminderRun(out=out, after_days=14, now=later))
    assert len(result.sent) == 3
    sizes = {}
    for text, size in pages_of(out):
        for name in ("Åse Øvrebø", "Ola Nordmann", "John Smith"):
            if name in text:
                sizes[name] = size
    assert sizes == {"Åse Øvrebø": 18.0, "Ola Nordmann": 14.0, "John Smith": 14.0}


def test_the_access_letter_follows_the_profile(engine, data_dir, loaded, tmp_path):
    from privacy.exports import access_letter

    who = codes(engine)
    with session_scope(engine) as session:
        ase = access_letter(session, tmp_path / "ase.pdf", actor="dpo", participant=who["Åse"])
        john = access_letter(session, tmp_path / "john.pdf", actor="dpo", participant=who["John"])
        forced = access_letter(
            session,
            tmp_path / "john-big.pdf",
            actor="dpo",
            participant=who["John"],
            large_print=True,
        )
    assert ase.large_print and not john.large_print and forced.large_print
    assert ase.language == "nb" and john.language == "en"
    # paragraphs at 18 pt (tables at 0.9 of that), as a large-print pack's text
    assert 18.0 in sizes_in(tmp_path / "ase.pdf") and 18.0 in sizes_in(tmp_path / "john-big.pdf")
    standard = sizes_in(tmp_path / "john.pdf")
    assert 12.0 in standard and max(standard) < 18.0


# --- privacy ---------------------------------------------------------------------------------


def test_erasure_deletes_the_profile(engine, data_dir, loaded):
    from privacy.erasure import erase
    from privacy.inventory import INVENTORY

    assert any(place.where == "format_profiles" for place in INVENTORY)
    who = codes(engine)
    with session_scope(engine) as session:
        done = erase(session, participant=who["Åse"], actor="dpo", reason="asked to be deleted")
    assert done.event_seq and done.format_profiles == 1
    with read_scope(engine) as session:
        person = session.scalars(select(Participant).where(Participant.code == who["Åse"])).one()
        assert person.format_profile is None
        assert profile_of(person) == FormatProfile("nb")
        left = {r.participant_id for r in session.scalars(select(FormatProfileRecord))}
        assert person.id not in left and len(left) == 2, "the others keep theirs"
    from intake.format_profiles import FormatProfileError

    with session_scope(engine) as session, pytest.raises(FormatProfileError, match="is erased"):
        person = session.scalars(select(Participant).where(Participant.code == who["Åse"])).one()
        set_profile(session, person, FormatProfile("nb", large_print=True), actor="kari")


def test_the_end_of_the_study_deletes_the_profiles_with_the_key(engine, data_dir, loaded):
    from intake.studies import load_policy
    from privacy.retention import apply_retention, plan_retention

    with session_scope(engine) as session:
        policy = load_policy(session, None)
        plan = plan_retention(session, policy, dt.date(2099, 1, 1))
        assert plan.steps, "the example study has ended by 2099"
        apply_retention(session, plan, actor="dpo")
    with read_scope(engine) as session:
        assert session.scalars(select(FormatProfileRecord)).all() == []


def test_the_command_line_shows_and_changes_a_profile(deltaker, engine, loaded):
    who = codes(engine)
    shown = deltaker("participants", "profile", who["Åse"])
    assert shown.returncode == 0 and shown.stdout.strip() == f"{who['Åse']}: nb, large print"
    changed = deltaker(
        "participants", "profile", who["Åse"], "--no-large-print", "--two-sided", "no",
        "--easy-read", "yes", "--lang", "nn", "--by", "kari",
    )  # fmt: skip
    assert changed.returncode == 0, changed.stderr
    assert changed.stdout.strip() == f"{who['Åse']}: nn, one-sided, easy-read"
    bad = deltaker("participants", "profile", who["Åse"], "--lang", "de")
    assert bad.returncode == 1 and "offered in nb, nn, en" in bad.stderr
    with read_scope(engine) as session:
        person = session.scalars(select(Participant).where(Participant.code == who["Åse"])).one()
        assert profile_of(person) == FormatProfile("nn", False, False, True)
        assert person.format_profile.updated_by == "kari"

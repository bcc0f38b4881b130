"""Batch letters from the database: invitations, page lists, layout maps, manifest, slips."""

from __future__ import annotations

import shutil
from pathlib import Path

import openpyxl
import pypdfium2 as pdfium
import pytest
from sqlalchemy import func, select

from intake.db import read_scope, session_scope
from intake.invitations import find_by_token, page_entry
from intake.mailing import (
    LetterRun,
    MailingError,
    print_blank,
    print_letters,
    print_withdrawal_slip,
)
from intake.models import Invitation, LayoutMap, Participant, ParticipantStatus
from intake.participants import import_participants
from intake.secrets import load_secret
from intake.studies import get_study, load_study_into_db
from printing.qr import AnonymousPayload, PersonalPayload, parse_payload
from tests.intake.helpers import dump
from tests.printing.rasters import read_qr

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "u-sving"
PEOPLE = """navn,adresse,postnummer,poststed,språk,gruppe,telefon
Åse Øvrebø,Storgata 1 B,0155,Oslo,nb,families,
Ola Nordmann,Fjellveien 22,5003,Bergen,nn,families,
John Smith,Kirkegata 3,7011,Trondheim,en,employees,
Kari Telefon,,,,nb,families,98765432
"""


@pytest.fixture
def loaded(tmp_path, engine):
    """The example study (a private copy) and four people in the database."""
    from forms.load import load_study

    folder = tmp_path / "study"
    shutil.copytree(EXAMPLE, folder)
    people = tmp_path / "people.csv"
    people.write_text(PEOPLE, encoding="utf-8")
    with session_scope(engine) as session:
        load_study_into_db(session, load_study(folder))
        import_participants(session, people, study=get_study(session))
    return folder


def codes(engine, **where) -> dict[str, str]:
    with read_scope(engine) as session:
        return {p.contact.name: p.code for p in session.scalars(select(Participant))}


def page_payloads(pdf: Path, dpi: int = 100) -> list[list[str]]:
    doc = pdfium.PdfDocument(pdf)
    try:
        out = []
        for page in doc:
            image = page.render(scale=dpi / 72, grayscale=True).to_pil().convert("L")
            import numpy as np

            out.append(read_qr(np.asarray(image)))
        return out
    finally:
        doc.close()


def test_combined_run_issues_invitations_and_every_page_resolves(
    engine, data_dir, loaded, tmp_path
):
    out = tmp_path / "letters.pdf"
    result = print_letters(engine, data_dir, LetterRun(out=out))
    assert [p.code for p in result.packs] and len(result.packs) == 3
    assert len(result.no_address) == 1, "the phone-only person gets no letter"
    payloads = page_payloads(out)
    assert len(payloads) == result.pages
    secret = load_secret(data_dir)
    with read_scope(engine) as session:
        for pack in result.packs:
            assert pack.first_page % 2 == 1 and pack.pages % 2 == 0, "duplex: own sheets"
            own = payloads[pack.first_page - 1 : pack.last_page]
            found = [parse_payload(t[0]) for t in own if t]
            letter = next(p for p in found if p.page is None)  # the letter's own code
            assert isinstance(letter, PersonalPayload)
            invitation = find_by_token(session, secret, letter.token)
            assert invitation.participant.code == pack.code
            assert invitation.participant.status == ParticipantStatus.INVITED
            forms_seen = set()
            for n, texts in enumerate(own, start=1):
                entry = page_entry(invitation, n)
                if entry is None:
                    assert not texts or parse_payload(texts[0]).page is None
                    continue
                assert parse_payload(texts[0]) == PersonalPayload(letter.base_url, letter.token, n)
                forms_seen.add(entry["form"])
                assert entry["language"] == invitation.participant.language
            group = invitation.participant.group
            assert forms_seen == {"consent", group}
        maps = session.scalars(select(LayoutMap)).all()
        assert {(m.form_version.form_key, m.language) for m in maps} == {
            ("consent", "nb"),
            ("consent", "nn"),
            ("consent", "en"),
            ("families", "nb"),
            ("families", "nn"),
            ("employees", "en"),
        }
        assert all(m.map["pages"] and m.map["geometry"] for m in maps)


def test_manifest_lists_codes_and_ranges_but_never_a_secret(engine, data_dir, loaded, tmp_path):
    out = tmp_path / "letters.pdf"
    result = print_letters(engine, data_dir, LetterRun(out=out))
    sheet = openpyxl.load_workbook(result.manifest).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:6] == ("participant", "group", "language", "pages", "first_page", "last_page")
    assert [r[0] for r in rows[1:]] == [p.code for p in result.packs]
    assert rows[-1][5] == result.pages
    cells = " ".join(str(c) for r in rows for c in r)
    token = next(parse_payload(t[0]) for t in page_payloads(out) if t).token
    assert token not in cells
    doc = pdfium.PdfDocument(out)
    pdf_text = " ".join(doc[n].get_textpage().get_text_range() for n in range(3))
    answer_code = pdf_text.split("Svarkode:")[1].split()[0] if "Svarkode:" in pdf_text else ""
    assert answer_code and answer_code not in cells


def test_reprint_keeps_the_link_and_renew_replaces_it(engine, data_dir, loaded, tmp_path):
    first = tmp_path / "a.pdf"
    print_letters(engine, data_dir, LetterRun(out=first, group="employees"))
    again = tmp_path / "b.pdf"
    print_letters(engine, data_dir, LetterRun(out=again, group="employees"))
    assert page_payloads(first) == page_payloads(again)
    renewed = tmp_path / "c.pdf"
    print_letters(engine, data_dir, LetterRun(out=renewed, group="employees", renew=True))
    old = next(parse_payload(t[0]) for t in page_payloads(first) if t).token
    new = next(parse_payload(t[0]) for t in page_payloads(renewed) if t).token
    assert old != new
    secret = load_secret(data_dir)
    with read_scope(engine) as session:
        assert find_by_token(session, secret, old) is None
        assert find_by_token(session, secret, new) is not None


def test_withdrawn_people_are_left_out_and_only_new_skips_the_invited(
    engine, data_dir, loaded, tmp_path
):
    names = codes(engine)
    with session_scope(engine) as session:
        person = session.scalars(
            select(Participant).where(Participant.code == names["Ola Nordmann"])
        ).one()
        person.status = ParticipantStatus.WITHDRAWN
    result = print_letters(engine, data_dir, LetterRun(out=tmp_path / "a.pdf"))
    assert names["Ola Nordmann"] not in {p.code for p in result.packs}
    assert result.excluded == 1
    with pytest.raises(MailingError, match="nobody to print for.*--only-new"):
        print_letters(engine, data_dir, LetterRun(out=tmp_path / "b.pdf", only_new=True))


def test_simplex_and_split(engine, data_dir, loaded, tmp_path):
    result = print_letters(
        engine,
        data_dir,
        LetterRun(out=tmp_path / "s.pdf", simplex=True, split=True, profile="large"),
    )
    assert len(result.files) == 3
    for pack, path in zip(result.packs, result.files, strict=True):
        assert path.name == f"{pack.code}.pdf" and path.parent.name == "s"
        assert len(pdfium.PdfDocument(path)) == pack.pages
    with read_scope(engine) as session:
        profiles = {p["profile"] for i in session.scalars(select(Invitation)) for p in i.pages}
    assert profiles == {"large"}


@pytest.mark.parametrize(
    "run,match",
    [
        (dict(group="nobody"), "no one in group 'nobody'"),
        (dict(codes=("P-ZZZZ",)), "no participant P-ZZZZ"),
        (dict(profile="tiny"), "unknown print profile"),
    ],
)
def test_bad_runs_are_clear_errors_and_change_nothing(
    engine, data_dir, loaded, tmp_path, run, match
):
    before = dump(engine)
    with pytest.raises(MailingError, match=match):
        print_letters(engine, data_dir, LetterRun(out=tmp_path / "x.pdf", **run))
    assert dump(engine) == before
    assert not (tmp_path / "x.pdf").exists()


def test_a_name_the_font_cannot_print_stops_the_run_before_anything_is_stored(
    engine, data_dir, loaded, tmp_path
):
    with session_scope(engine) as session:
        person = session.scalars(select(Participant).order_by(Participant.id)).first()
        person.contact.name = "王小明"
    before = dump(engine)
    with pytest.raises(MailingError, match="nothing printed: .*no '王小明'"):
        print_letters(engine, data_dir, LetterRun(out=tmp_path / "x.pdf"))
    assert dump(engine) == before


def test_existing_output_needs_force(engine, data_dir, loaded, tmp_path):
    out = tmp_path / "x.pdf"
    out.write_bytes(b"keep me")
    with pytest.raises(MailingError, match="exists; use --force"):
        print_letters(engine, data_dir, LetterRun(out=out))
    assert out.read_bytes() == b"keep me"
    print_letters(engine, data_dir, LetterRun(out=out, force=True))
    assert out.read_bytes().startswith(b"%PDF")


def test_a_study_folder_edited_since_loading_is_refused(engine, data_dir, loaded, tmp_path):
    consent = loaded / "forms" / "consent.yaml"
    text = consent.read_text(encoding="utf-8")
    consent.write_text(text.replace("U-sving", "U-svingen", 1), encoding="utf-8")
    with pytest.raises(MailingError, match="changed since the study was loaded"):
        print_letters(engine, data_dir, LetterRun(out=tmp_path / "x.pdf"))


def test_withdrawal_slip_is_read_as_the_withdrawal_form(engine, data_dir, loaded, tmp_path):
    print_letters(engine, data_dir, LetterRun(out=tmp_path / "a.pdf"))
    code = codes(engine)["Åse Øvrebø"]
    out = tmp_path / "slip.pdf"
    result = print_withdrawal_slip(engine, data_dir, code, out)
    payloads = page_payloads(out)
    assert len(payloads) == result.pages >= 1
    secret = load_secret(data_dir)
    with read_scope(engine) as session:
        payload = parse_payload(payloads[0][0])
        invitation = find_by_token(session, secret, payload.token)
        assert invitation.participant.code == code
        entry = page_entry(invitation, payload.page)
        assert entry["form"] == "withdrawal" and entry["page"] == 1
        assert (
            page_entry(invitation, 1) is None or page_entry(invitation, 1)["form"] != "withdrawal"
        ), "the pack's own pages are kept"
        assert sum(1 for p in invitation.pages if p["form"] != "withdrawal") >= 2
    with pytest.raises(MailingError, match="no participant P-ZZZZ"):
        print_withdrawal_slip(engine, data_dir, "P-ZZZZ", tmp_path / "z.pdf")


def test_blank_copies_get_fresh_serials_every_run(engine, data_dir, loaded, tmp_path):
    first = print_blank(engine, data_dir, "employees", tmp_path / "a.pdf", copies=2)
    second = print_blank(engine, data_dir, "employees", tmp_path / "b.pdf", copies=3)
    assert (first.first_serial, first.last_serial) == (1, 2)
    assert (second.first_serial, second.last_serial) == (3, 5)
    seen = [parse_payload(t[0]) for t in page_payloads(tmp_path / "b.pdf")]
    assert all(isinstance(p, AnonymousPayload) and p.form == "employees" for p in seen)
    assert sorted({p.serial for p in seen}) == [3, 4, 5]
    with read_scope(engine) as session:
        count = session.scalar(select(func.count()).select_from(LayoutMap))
    assert count == 1


def test_a_reprint_after_a_text_change_keeps_old_paper_readable(engine, data_dir, loaded, tmp_path):
    """Same link, but the new pages get page numbers of their own; old ones still resolve."""
    from forms.load import load_study

    first = tmp_path / "a.pdf"
    print_letters(engine, data_dir, LetterRun(out=first, group="employees"))
    slip = tmp_path / "slip.pdf"
    code = codes(engine)["John Smith"]
    print_withdrawal_slip(engine, data_dir, code, slip)
    consent = loaded / "forms" / "consent.yaml"
    consent.write_text(
        consent.read_text(encoding="utf-8").replace("U-sving", "U-svingen", 1), encoding="utf-8"
    )
    with session_scope(engine) as session:
        load_study_into_db(session, load_study(loaded))
    second = tmp_path / "b.pdf"
    print_letters(engine, data_dir, LetterRun(out=second, group="employees"))
    old = [parse_payload(t[0]) for t in page_payloads(first) if t]
    new = [parse_payload(t[0]) for t in page_payloads(second) if t]
    assert old[0].token == new[0].token, "a reprint keeps the link"
    old_n = {p.page for p in old if p.page}
    new_n = {p.page for p in new if p.page}
    assert min(new_n) > max(old_n), "new pages get new numbers"
    secret = load_secret(data_dir)
    with read_scope(engine) as session:
        invitation = find_by_token(session, secret, old[0].token)
        versions = {}
        for n in old_n | new_n:
            entry = page_entry(invitation, n)
            assert entry is not None, f"page {n} no longer resolves"
            if entry["form"] == "consent":
                versions.setdefault(n in old_n, set()).add(entry["version"])
        assert versions[True] != versions[False], "old and new consent versions both kept"
        assert any(p["form"] == "withdrawal" for p in invitation.pages), "slip kept"


def test_a_letter_text_the_font_cannot_print_stops_the_run_before_anything_is_stored(
    engine, data_dir, loaded, tmp_path
):
    from printing.typeface import MissingGlyphError

    letter = loaded / "letters" / "invitation.en.md"
    letter.write_text(letter.read_text(encoding="utf-8") + "\n\n漢字\n", encoding="utf-8")
    before = dump(engine)
    with pytest.raises(MissingGlyphError, match="U\\+6F22"):
        print_letters(engine, data_dir, LetterRun(out=tmp_path / "x.pdf"))
    assert dump(engine) == before
    assert not (tmp_path / "x.pdf").exists()


@pytest.mark.parametrize(
    "address,match",
    [
        ("A\nB\nC\nD\nE", "has 6 lines; at most 4"),
        ("Ein sehr sehr sehr langer Straßenname mit Hausnummer 1234", "too wide"),
    ],
)
def test_an_address_that_does_not_fit_the_window_stops_the_run_first(
    engine, data_dir, loaded, tmp_path, address, match
):
    with session_scope(engine) as session:
        people = session.scalars(select(Participant).order_by(Participant.id)).all()
        people[-2].contact.address = address  # the last one with an address
    before = dump(engine)
    with pytest.raises(MailingError, match=f"nothing printed: .*{match}"):
        print_letters(engine, data_dir, LetterRun(out=tmp_path / "x.pdf"))
    assert dump(engine) == before

"""Real paper: letter packs printed by `deltaker letters`, consent pages ticked and signed
(or not), scanned into an image-only PDF, read by `deltaker scan`; the ledger then holds
grants with the scanned page's image as evidence, and the unsigned form waits in review."""

from __future__ import annotations

import random
import sys
from pathlib import Path

import openpyxl
import pypdfium2 as pdfium
import pytest
from PIL import ImageDraw
from sqlalchemy import select

from consent import ledger
from consent.status import ConsentState
from intake.db import make_engine, read_scope
from intake.evidence import EvidenceStore
from intake.models import Invitation, LayoutMap, Participant, ReviewTask
from tests.scan import synthetic as syn
from webapp.cli import main

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "u-sving"
DPI = 150


def run(monkeypatch, capsys, db_url, data_dir, *args) -> tuple[int, str, str]:
    monkeypatch.setattr(sys, "argv", ["deltaker", *args, "--data", str(data_dir), "--db", db_url])
    capsys.readouterr()
    code = 0
    try:
        main()
    except SystemExit as exc:
        code = int(exc.code or 0)
    out = capsys.readouterr()
    return code, out.out, out.err


def fill_consent_pages(pack: Path, people, maps, plan, out: Path) -> None:
    """Cross the planned consent boxes, sign when planned, scan every consent page 1."""
    book = openpyxl.load_workbook(pack.with_suffix(".manifest.xlsx"), read_only=True)
    rows = list(book.active.iter_rows(values_only=True))
    book.close()
    first = {row[0]: int(row[rows[0].index("first_page")]) for row in rows[1:]}
    pdf = pdfium.PdfDocument(str(pack))
    rng = random.Random(3)
    images = []
    for code, (ticks, signed) in sorted(plan.items()):
        language, pages = people[code]
        entry = next(p for p in pages if p["form"] == "consent" and p["page"] == 1)
        layout = maps[("consent", language)]
        image = pdf[first[code] + entry["n"] - 2].render(scale=DPI / 72).to_pil().convert("RGB")
        draw = ImageDraw.Draw(image)
        s = DPI / 72
        for f in layout["pages"][0]["fields"]:
            rect = (
                f["box"][0] * s,
                f["box"][1] * s,
                (f["box"][0] + f["box"][2]) * s,
                (f["box"][1] + f["box"][3]) * s,
            )
            if f["kind"] == "choice" and f["item"] in ticks:
                syn.draw_mark(draw, rect, "cross", DPI, rng)
            elif f["kind"] == "signature" and signed:
                syn.draw_writing(draw, rect, DPI, rng, signature=True)
        cond = syn.Condition("scan", dpi=DPI, angle=0.4, noise=2)
        images.append(syn.degrade(image, cond, rng, tuple(layout["page_size"])))
    pdf.close()
    syn.to_pdf(images, out, dpi=DPI)


def fill_pages(pdf_path: Path, layout, ticks, out: Path) -> None:
    """Cross ``ticks`` on every page of a printed form (no signature) and scan it."""
    pdf = pdfium.PdfDocument(str(pdf_path))
    rng = random.Random(4)
    images = []
    s = DPI / 72
    for index, page_map in enumerate(layout["pages"]):
        image = pdf[index].render(scale=s).to_pil().convert("RGB")
        draw = ImageDraw.Draw(image)
        for f in page_map["fields"]:
            if f["kind"] == "choice" and f["item"] in ticks:
                rect = (
                    f["box"][0] * s,
                    f["box"][1] * s,
                    (f["box"][0] + f["box"][2]) * s,
                    (f["box"][1] + f["box"][3]) * s,
                )
                syn.draw_mark(draw, rect, "cross", DPI, rng)
        images.append(
            syn.degrade(
                image, syn.Condition("scan", dpi=DPI, noise=2), rng, tuple(layout["page_size"])
            )
        )
    pdf.close()
    syn.to_pdf(images, out, dpi=DPI)


@pytest.mark.slow
def test_scanned_signed_form_grants_and_unsigned_goes_to_review(
    monkeypatch, capsys, db_url, data_dir, tmp_path
):

    def deltaker(*args):
        return run(monkeypatch, capsys, db_url, data_dir, *args)

    assert deltaker("study", "load", str(EXAMPLE))[0] == 0
    people_csv = tmp_path / "people.csv"
    people_csv.write_text(
        "Navn;Adresse;Postnummer;Poststed;Språk\n"
        "Kari Nordmann;Storgata 1;0150;Oslo;nb\n"
        "John Smith;Road 3;5004;Bergen;en\n",
        encoding="utf-8",
    )
    assert deltaker("participants", "import", str(people_csv))[0] == 0
    pack = tmp_path / "pack.pdf"
    code, _, err = deltaker("letters", "--out", str(pack))
    assert code == 0, err
    engine = make_engine(db_url)
    with read_scope(engine) as session:
        people = {}
        for invitation in session.scalars(select(Invitation)):
            person = session.get(Participant, invitation.participant_id)
            people[person.code] = (person.language, list(invitation.pages))
        maps = {
            (m.form_version.form_key, m.language): m.map for m in session.scalars(select(LayoutMap))
        }
    by_language = {language: c for c, (language, _) in people.items()}
    signer, unsigned = by_language["nb"], by_language["en"]
    plan = {signer: ({"group_meetings", "interview"}, True), unsigned: ({"audio"}, False)}
    scanned = tmp_path / "returned.pdf"
    fill_consent_pages(pack, people, maps, plan, scanned)

    code, out, err = deltaker("scan", str(scanned))
    assert code == 0, err
    # an assistant settles what the scanner was unsure of (the truth: only planned ticks);
    # the signer's consent reaches the ledger once nothing about the form is open
    with read_scope(engine) as session:
        open_marks = [
            (t.id, t.item)
            for t in session.scalars(select(ReviewTask))
            if t.item != "signature" and t.status == "open"
        ]
    for task_id, item in open_marks:
        ticked = any(item in ticks for ticks, _ in plan.values())
        value = "yes" if ticked and item in plan[signer][0] else ""
        code, _, err = deltaker("review", "resolve", str(task_id), "--value", value, "--by", "anna")
        assert code == 0, err
    store = EvidenceStore(data_dir)
    with read_scope(engine) as session:
        events = ledger.events_of(session, signer)
        states = {
            i: ledger.item_status(session, signer, i).state
            for i in ("group_meetings", "interview", "audio", "quotes", "contact_again")
        }
        assert ledger.events_of(session, unsigned) == []
        tasks = [
            t.details["reason"]
            for t in session.scalars(select(ReviewTask).where(ReviewTask.item == "signature"))
        ]
        assert ledger.verify(session).ok
    engine.dispose()
    assert states == {
        "group_meetings": ConsentState.GRANTED,
        "interview": ConsentState.GRANTED,
        "audio": ConsentState.DECLINED,
        "quotes": ConsentState.DECLINED,
        "contact_again": ConsentState.DECLINED,
    }
    evidence = events[0].evidence_dict
    assert events[0].channel == "paper" and store.verify(evidence["page_sha256"])
    assert store.verify(evidence["signature_sha256"])  # the signature crop is kept
    assert len(tasks) == 1 and "signature box is empty" in tasks[0]

    # the signer posts back a withdrawal slip with a cross for the group meetings, which the
    # study requires: the person leaves the study
    slip = tmp_path / "slip.pdf"
    code, _, err = deltaker("letters", "--withdrawal-slip", signer, "--out", str(slip))
    assert code == 0, err
    with read_scope(engine) as session:
        slip_map = next(
            m.map
            for m in session.scalars(select(LayoutMap))
            if m.form_version.form_key == "withdrawal" and m.language == people[signer][0]
        )
    scanned_slip = tmp_path / "slip-returned.pdf"
    fill_pages(slip, slip_map, {"group_meetings"}, scanned_slip)
    code, _, err = deltaker("scan", str(scanned_slip))
    assert code == 0, err
    with read_scope(engine) as session:
        assert ledger.item_status(session, signer, "group_meetings").state == ConsentState.WITHDRAWN
        assert ledger.item_status(session, signer, "interview").state == ConsentState.GRANTED
        person = session.scalars(select(Participant).where(Participant.code == signer)).one()
        assert person.status == "withdrawn"
        last = ledger.events_of(session, signer)[-1]
    assert (last.action, last.channel) == ("withdraw", "paper")
    assert store.verify(last.evidence_dict["page_sha256"])
    # no more letters for the person who withdrew
    code, out, err = deltaker("letters", "--out", str(tmp_path / "again.pdf"))
    assert code == 0, err
    assert "Printed 1 packs" in out and "Left out 1 people who withdrew" in out
    # the study deletes on withdrawal: the report says so until the retention run erases
    code, out, _ = deltaker("audit", "report", "--out", str(tmp_path / "audit.xlsx"))
    assert "1 erasure(s) due" in out
    code, out, err = deltaker("retention", "run", "--apply", "--by", "dpo")
    assert code == 0 and f"erase      {signer}" in out, err
    assert not store.exists(evidence["page_sha256"])
    code, out, _ = deltaker("audit", "verify")
    assert code == 0 and out.startswith("ok: ")

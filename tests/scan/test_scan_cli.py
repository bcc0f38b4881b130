"""`deltaker scan` end to end: real letter packs printed by `deltaker letters`, filled in,
scanned into an image-only PDF, read and stored; the same file again is all duplicates."""

from __future__ import annotations

import json
import random
import subprocess
import sys
from pathlib import Path

import openpyxl
import pypdfium2 as pdfium
import pytest
from PIL import ImageDraw
from sqlalchemy import select

from intake.db import make_engine, read_scope
from intake.models import Invitation, LayoutMap, Participant, Response, ReviewTask

from . import synthetic as syn

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "u-sving"
DPI = 200


def deltaker(db_url: str, data_dir: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [
            sys.executable,
            "-c",
            "from webapp.cli import main; main()",
            *args,
            "--data",
            str(data_dir),
            "--db",
            db_url,
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=300,
    )


@pytest.fixture
def printed(db_url, data_dir, tmp_path):
    assert deltaker(db_url, data_dir, "study", "load", str(EXAMPLE)).returncode == 0
    people = tmp_path / "people.csv"
    people.write_text(
        "Navn;Adresse;Postnummer;Poststed;Språk\n"
        "Kari Nordmann;Storgata 1;0150;Oslo;bokmål\n"
        "Åse Ødegård;Vei 2;5003;Bergen;nynorsk\n",
        encoding="utf-8",
    )
    done = deltaker(db_url, data_dir, "participants", "import", str(people), "--group", "familier")
    assert done.returncode == 0, done.stderr
    pack = tmp_path / "pack.pdf"
    done = deltaker(db_url, data_dir, "letters", "--out", str(pack))
    assert done.returncode == 0, done.stderr
    engine = make_engine(db_url)
    with read_scope(engine) as session:
        people = {}
        for invitation in session.scalars(select(Invitation)):
            person = session.get(Participant, invitation.participant_id)
            people[person.code] = (person.language, list(invitation.pages))
        maps = {
            (m.form_version.form_key, m.language): m.map for m in session.scalars(select(LayoutMap))
        }
    engine.dispose()
    return pack, people, maps


def first_pages(pack: Path) -> dict[str, int]:
    """Each person's first page in the pack, from the print manifest beside it."""
    book = openpyxl.load_workbook(pack.with_suffix(".manifest.xlsx"), read_only=True)
    rows = list(book.active.iter_rows(values_only=True))
    book.close()
    column = rows[0].index("first_page")
    return {row[0]: int(row[column]) for row in rows[1:]}


def fill_pack(pack: Path, people, maps, out: Path, rng: random.Random):
    """Cross boxes and sign on the consent pages of every pack; return the scan's truth."""
    pdf = pdfium.PdfDocument(str(pack))
    starts = first_pages(pack)
    images, truth = [], []
    for code, (language, pages) in sorted(people.items()):
        for entry in pages:
            if entry["form"] != "consent":
                continue
            layout = maps[(entry["form"], language)]
            page_map = layout["pages"][entry["page"] - 1]
            index = starts[code] + entry["n"] - 2
            image = pdf[index].render(scale=DPI / 72).to_pil().convert("RGB")
            draw = ImageDraw.Draw(image)
            marked = {}
            s = DPI / 72
            for f in page_map["fields"]:
                rect = (
                    f["box"][0] * s,
                    f["box"][1] * s,
                    (f["box"][0] + f["box"][2]) * s,
                    (f["box"][1] + f["box"][3]) * s,
                )
                if f["kind"] == "choice":
                    syn.draw_mark(draw, rect, "cross", DPI, rng)
                    marked[f["item"]] = [f["value"]]
                elif f["kind"] == "signature":
                    syn.draw_writing(draw, rect, DPI, rng, signature=True)
            cond = syn.Condition("scan", dpi=DPI, angle=0.7, noise=3, upside_down=language == "nn")
            images.append(syn.degrade(image, cond, rng, tuple(layout["page_size"])))
            truth.append((code, entry, marked))
    pdf.close()
    syn.to_pdf(images, out, dpi=DPI)
    return truth


def test_scan_letter_packs_end_to_end(printed, db_url, data_dir, tmp_path):
    pack, people, maps = printed
    scanned = tmp_path / "returned.pdf"
    truth = fill_pack(pack, people, maps, scanned, random.Random(11))
    assert len(truth) >= 2

    first = deltaker(
        db_url, data_dir, "scan", str(scanned), "--json", "--debug-dir", str(tmp_path / "debug")
    )
    assert first.returncode == 0, first.stderr
    results = [json.loads(line) for line in first.stdout.splitlines()]
    assert [r["page_index"] for r in results] == list(range(len(truth)))
    for result, (code, entry, marked) in zip(results, truth, strict=True):
        assert result["participant"] == code
        assert (result["form"], result["page"]) == (entry["form"], entry["page"])
        assert result["status"] in ("ok", "needs_review"), result
        for item, values in marked.items():
            assert result["answers"].get(item) == values, (item, result)
        if people[code][0] == "nn":
            assert result["rotation"] == 180
    assert len(list((tmp_path / "debug").iterdir())) == len(truth)

    again = deltaker(db_url, data_dir, "scan", str(scanned))
    assert again.returncode == 0, again.stderr
    assert f"duplicate {len(truth)}" in again.stdout

    engine = make_engine(db_url)
    with read_scope(engine) as session:
        responses = session.scalars(select(Response)).all()
        assert len(responses) == len(people)  # one paper consent response per person
        for response in responses:
            assert response.channel == "paper"
            assert response.answers
        # Handwritten dates on the consent pages are typed in by a person.
        tasks = session.scalars(select(ReviewTask)).all()
        assert all(t.item != "signature" for t in tasks)
    engine.dispose()


def test_scan_reports_bad_files_in_one_line_each(db_url, data_dir, tmp_path):
    empty = tmp_path / "empty.pdf"
    empty.write_bytes(b"")
    done = deltaker(db_url, data_dir, "scan", str(empty), str(tmp_path / "missing.pdf"))
    assert done.returncode == 1, done.stderr
    assert "empty.pdf page 1: error: the file is empty" in done.stderr
    assert "missing.pdf page 1: error: the file does not exist" in done.stderr
    assert "Read 2 page(s) from 2 file(s): error 2." in done.stdout
    assert "Traceback" not in done.stdout + done.stderr


def _scan_blank_copies(
    db_url, data_dir, tmp_path, language: str, rng: random.Random, *options: str
):
    blank = tmp_path / f"blank-{language}.pdf"
    done = deltaker(
        db_url,
        data_dir,
        "blank",
        "withdrawal",
        "--copies",
        "1",
        "--lang",
        language,
        "--out",
        str(blank),
        *options,
    )
    assert done.returncode == 0, done.stderr
    pdf = pdfium.PdfDocument(str(blank))
    image = pdf[0].render(scale=DPI / 72).to_pil().convert("RGB")
    pdf.close()
    return image


def test_scan_anonymous_copies(db_url, data_dir, tmp_path):
    assert deltaker(db_url, data_dir, "study", "load", str(EXAMPLE)).returncode == 0
    rng = random.Random(4)
    image = _scan_blank_copies(db_url, data_dir, tmp_path, "nb", rng)
    scanned = tmp_path / "anonymous.pdf"
    syn.to_pdf(
        [
            syn.degrade(
                image, syn.Condition("scan", dpi=DPI, angle=-1.0, noise=3), rng, (595.28, 841.89)
            )
        ],
        scanned,
        dpi=DPI,
    )
    done = deltaker(db_url, data_dir, "scan", str(scanned), "--json")
    assert done.returncode == 0, done.stderr
    (result,) = [json.loads(line) for line in done.stdout.splitlines()]
    assert result["form"] == "withdrawal" and result["serial"] and result["participant"] is None
    assert result["status"] in ("ok", "needs_review") and result["language"] == "nb"

    # Printed again in large print, with other box places: the code does not say which,
    # so a page of that version is read but every item goes to a person.
    _scan_blank_copies(db_url, data_dir, tmp_path, "en", rng, "--large-print")
    again = tmp_path / "anonymous-2.pdf"
    syn.to_pdf(
        [
            syn.degrade(
                image, syn.Condition("scan", dpi=DPI, angle=0.5, noise=3), rng, (595.28, 841.89)
            )
        ],
        again,
        dpi=DPI,
    )
    done = deltaker(db_url, data_dir, "scan", str(again), "--json")
    (result,) = [json.loads(line) for line in done.stdout.splitlines()]
    assert result["status"] == "needs_review" and result["answers"] == {}
    assert any("several printed layouts" in flag for flag in result["flags"])


def test_scan_a_scanners_output_folder(printed, db_url, data_dir, tmp_path):
    """A folder stands for its PDF and image files, in name order; other files are left alone."""
    pack, people, maps = printed
    folder = tmp_path / "scanner"
    folder.mkdir()
    truth = fill_pack(pack, people, maps, folder / "b-returned.pdf", random.Random(2))
    (folder / "a-notes.txt").write_text("not a scan")
    (folder / "sub").mkdir()
    (folder / "sub" / "c.pdf").write_bytes(b"%PDF-1.4 never read: sub-folders are not searched")
    done = deltaker(db_url, data_dir, "scan", str(folder))
    assert done.returncode == 0, done.stderr
    assert f"Read {len(truth)} page(s) from 1 file(s)" in done.stdout

    empty = tmp_path / "nothing-here"
    empty.mkdir()
    (empty / "readme.txt").write_text("no scans")
    done = deltaker(db_url, data_dir, "scan", str(empty))
    assert done.returncode == 2
    assert "has no scans in it" in done.stderr and "Traceback" not in done.stderr

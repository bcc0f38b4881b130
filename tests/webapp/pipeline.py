"""The example study end to end, shared by the test-client and browser tests.

Everything is real: the study folder is loaded into a fresh database, letters
are rendered to PDF by printing, and the QR codes are read back with zxing-cpp.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "u-sving"

PEOPLE_CSV = (
    "navn,adresse,postnummer,poststed,språk,gruppe\n"
    "Kari Nordmann,Storgata 1,5003,Bergen,nb,families\n"
    "Per Hansen,Lillegata 2,5004,Bergen,en,families\n"
)
BAD_CSV = (
    "navn,adresse,postnummer,poststed,språk,gruppe\n"
    "Kari Nordmann,Storgata 1,5003,Bergen,nb,families\n"
    ",Lillegata 2,50,Bergen,klingon,families\n"
)


def load_example(data_dir: Path, db_url: str) -> None:
    """What `deltaker study load examples/u-sving` does."""
    from forms.load import load_study
    from intake.db import open_database, session_scope
    from intake.studies import load_study_into_db
    from webapp.settings import Settings

    engine = open_database(Settings(data_dir=data_dir, db_url=db_url))
    try:
        with session_scope(engine) as db:
            load_study_into_db(db, load_study(EXAMPLE))
    finally:
        engine.dispose()


@contextmanager
def example_app(data_dir: Path, db_url: str, **config: Any) -> Iterator[Any]:
    """The web app on the example study, with one recruiter, assistant and dpo
    (each logs in with its role as user name); its engine is closed afterwards."""
    from webapp import create_app
    from webapp.database import EXTENSION

    from .webhelpers import add_staff

    load_example(data_dir, db_url)
    app = create_app({"DATA_DIR": str(data_dir), "DATABASE_URL": db_url, **config})
    for role in ("recruiter", "assistant", "dpo"):
        add_staff(app, role, role)
    try:
        yield app
    finally:
        from webapp import jobs

        jobs.stop(app)  # its embedded worker, if a job started one
        app.extensions[EXTENSION]["engine"].dispose()


def qr_links(pdf: bytes, scale: float = 2.0) -> list[str]:
    """Every QR code's text in a PDF, page by page (rendered with pdfium, read with zxing-cpp)."""
    import pypdfium2 as pdfium
    import zxingcpp

    links: list[str] = []
    document = pdfium.PdfDocument(pdf)
    try:
        for index in range(len(document)):
            image = document[index].render(scale=scale).to_pil().convert("L")
            links.extend(code.text for code in zxingcpp.read_barcodes(image))
    finally:
        document.close()
    return links


def first_answer_path(pdf: bytes) -> str:
    """The path of the first personal answer link (``/r/<token>?p=n``) found in a letter pack."""
    for link in qr_links(pdf):
        parts = urlsplit(link)
        if parts.path.startswith("/r/"):
            return parts.path + (f"?{parts.query}" if parts.query else "")
    raise AssertionError("no personal QR link in the letter pack")


def pdf_text(data: bytes) -> str:
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(data)
    try:
        return "\n".join(document[i].get_textpage().get_text_range() for i in range(len(document)))
    finally:
        document.close()


def scanned_consent_pages(
    pack: bytes, data_dir: Path, db_url: str, out: Path, *, unsure: int = 1, seed: int = 7
) -> int:
    """Fill in every consent page of a letter pack like a person would, and scan it.

    The first ``unsure`` boxes get a cross beside the box (the scanner is unsure:
    a review task), the rest a clear cross; the signature and any text field
    (name in block letters: a handwriting task) are written. Returns the
    number of pages written to ``out`` (an image-only PDF, as a scanner makes).
    """
    import random

    import openpyxl
    import pypdfium2 as pdfium
    from PIL import ImageDraw
    from sqlalchemy import select

    from intake.db import make_engine, read_scope
    from intake.models import LayoutMap, Participant
    from tests.scan import synthetic as syn

    dpi = 200
    rng = random.Random(seed)
    engine = make_engine(db_url)
    with read_scope(engine) as db:
        people = {}
        for person in db.scalars(select(Participant)):
            invitation = max(person.invitations, key=lambda i: i.generation)
            people[person.code] = (person.language, list(invitation.pages))
        maps = {(m.form_version.form_key, m.language): m.map for m in db.scalars(select(LayoutMap))}
    engine.dispose()
    manifest = sorted(data_dir.glob("web-letters/*.manifest.xlsx"))[-1]
    book = openpyxl.load_workbook(manifest, read_only=True)
    rows = list(book.active.iter_rows(values_only=True))
    book.close()
    starts = {row[0]: int(row[rows[0].index("first_page")]) for row in rows[1:]}
    document = pdfium.PdfDocument(pack)
    images = []
    left_unsure = unsure
    for code, (language, pages) in sorted(people.items()):
        for entry in pages:
            if entry["form"] != "consent":
                continue
            layout = maps[(entry["form"], language)]
            page_map = layout["pages"][entry["page"] - 1]
            image = document[starts[code] + entry["n"] - 2].render(scale=dpi / 72).to_pil()
            image = image.convert("RGB")
            draw = ImageDraw.Draw(image)
            s = dpi / 72
            for f in page_map["fields"]:
                x, y, w, h = f["box"]
                rect = (x * s, y * s, (x + w) * s, (y + h) * s)
                if f["kind"] == "choice":
                    kind = "beside" if left_unsure > 0 else "cross"
                    left_unsure -= kind == "beside"
                    syn.draw_mark(draw, rect, kind, dpi, rng)
                elif f["kind"] in ("signature", "text"):
                    syn.draw_writing(draw, rect, dpi, rng, signature=f["kind"] == "signature")
            cond = syn.Condition("scan", dpi=dpi, angle=0.5, noise=3)
            images.append(syn.degrade(image, cond, rng, tuple(layout["page_size"])))
    document.close()
    syn.to_pdf(images, out, dpi=dpi)
    return len(images)

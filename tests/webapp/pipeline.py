"""The example study end to end, shared by the test-client and browser tests.

Everything is real: the study folder is loaded into a fresh database, letters
are rendered to PDF by printing, and the QR codes are read back with zxing-cpp.
"""

from __future__ import annotations

from pathlib import Path
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
    from webapp.cli.common import Settings

    engine = open_database(Settings(data_dir=data_dir, db_url=db_url))
    try:
        with session_scope(engine) as db:
            load_study_into_db(db, load_study(EXAMPLE))
    finally:
        engine.dispose()


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
        return "\n".join(document[i].get_textpage().get_text_range()
                         for i in range(len(document)))
    finally:
        document.close()

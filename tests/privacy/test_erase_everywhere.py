"""Erasure leaves no copy: a person who answered on paper (uploaded on the web) and on the web.

Everything is real: letter packs rendered by the web app, paper filled in and
scanned by the test scan simulator, uploaded through the assistant's page and
read by the sandboxed scanner with debug overlays; then ``deltaker erase``.
Afterwards the whole data folder and every text and binary column of every
table are searched for the person's page images (by SHA-256), QR payloads,
answer code, link token, name and address.
"""

from __future__ import annotations

import hashlib
import io
import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from sqlalchemy import LargeBinary, String, Text, inspect, select, text

from tests.webapp.pipeline import (
    PEOPLE_CSV,
    example_app,
    first_answer_path,
    pdf_text,
    qr_links,
    scanned_consent_pages,
)
from tests.webapp.webhelpers import (
    PACK_NAME,
    csrf,
    import_and_print_on_the_web,
    login,
    upload_scan,
    wait_for_job,
)

ANSWER_CODE = re.compile(r"\b([2-9A-HJ-NP-Z]{4})[- ]([2-9A-HJ-NP-Z]{4})\b")


@pytest.fixture
def app(data_dir, db_url):
    with example_app(data_dir, db_url) as app:
        yield app


def _letters(client) -> bytes:
    imported, made = import_and_print_on_the_web(client, PEOPLE_CSV)
    assert "Imported 2 people" in imported
    found = PACK_NAME.search(made)
    assert found, made
    name = found.group(1)
    return client.post(f"/staff/recruit/letters/{name}", data={"csrf_token": csrf(made)}).data


def _answer_on_the_web(app, path: str) -> None:
    citizen = app.test_client()
    assert citizen.get(path).status_code == 303
    consent_page = citizen.get("/consent")
    boxes = re.findall(r'name="(q_[a-z_]+)" type="checkbox" value="yes"', consent_page.text)
    sent = citizen.post(
        "/consent", data={"csrf_token": csrf(consent_page.text), **{b: "yes" for b in boxes}}
    )
    assert sent.status_code == 303, sent.text
    status = citizen.get("/consents")
    granted = re.findall(r'action="/withdraw/([a-z_]+)"', status.text)
    confirm = citizen.post(f"/withdraw/{granted[-1]}", data={"csrf_token": csrf(status.text)})
    citizen.post(f"/withdraw/{granted[-1]}/confirm", data={"csrf_token": csrf(confirm.text)})


def _cli(deltaker, *args: str) -> tuple[int, str]:
    run = deltaker(*args)
    return run.returncode, run.stdout + run.stderr


def _pages_of(pack: bytes, data_dir: Path, code: str) -> bytes:
    """This person's pages of the letter pack (the print manifest gives the range)."""
    import openpyxl
    import pypdfium2 as pdfium

    manifest = sorted(data_dir.glob("web-letters/*.manifest.xlsx"))[-1]
    book = openpyxl.load_workbook(manifest, read_only=True)
    rows = list(book.active.iter_rows(values_only=True))
    book.close()
    head = list(rows[0])
    row = next(r for r in rows[1:] if r[0] == code)
    first, last = int(row[head.index("first_page")]), int(row[head.index("last_page")])
    source = pdfium.PdfDocument(pack)
    out = pdfium.PdfDocument.new()
    out.import_pages(source, list(range(first - 1, last)))
    buffer = io.BytesIO()
    out.save(buffer)
    out.close()
    source.close()
    return buffer.getvalue()


def _file_texts(path: Path) -> list[str]:
    """What a person could read from a file: PDF text, workbook cells, or the raw bytes."""
    data = path.read_bytes()
    texts = [data.decode("latin-1")]
    if data.startswith(b"%PDF"):
        texts.append(pdf_text(data))
    elif data.startswith(b"PK") and path.suffix == ".xlsx":
        import openpyxl

        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True)
        texts += [
            " ".join(str(v) for v in row if v is not None)
            for sheet in book.worksheets
            for row in sheet.iter_rows(values_only=True)
        ]
        book.close()
    return texts


def _no_copy_left(app, assistant, engine, data_dir, urls, job_url, forbidden_hashes, words):
    """No URL the assistant saw answers, no file or row holds the person's images or words."""
    from webapp.database import EXTENSION

    for url in urls:
        assert assistant.get(url).status_code == 404, url
    assert not any(w in assistant.get(job_url).text for w in words)
    app.extensions[EXTENSION]["engine"].dispose()

    for path in sorted(p for p in data_dir.rglob("*") if p.is_file()):
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
        assert digest not in forbidden_hashes, f"{path} is a page image, crop or overlay"
        for content in _file_texts(path):
            for word in words:
                assert word not in content, f"{path} holds {word!r}"

    with engine.connect() as connection:
        for name in inspect(connection).get_table_names():
            columns = [
                c["name"]
                for c in inspect(connection).get_columns(name)
                if isinstance(c["type"], String | Text | LargeBinary) or "JSON" in str(c["type"])
            ]
            if not columns:
                continue
            quoted = ", ".join(f'"{c}"' for c in columns)
            for row in connection.execute(text(f'SELECT {quoted} FROM "{name}"')):
                for value in row:
                    if value is None:
                        continue
                    if isinstance(value, bytes | memoryview):
                        data = bytes(value)
                        assert hashlib.sha256(data).hexdigest() not in forbidden_hashes, name
                        value = data.decode("latin-1")
                    for word in words:
                        assert word not in str(value), f"{name} holds {word!r}"
    engine.dispose()


@pytest.mark.parametrize("how", ["erase", "retention"])
def test_erase_leaves_no_copy_of_a_paper_and_web_answer(
    app, data_dir, db_url, tmp_path, deltaker, how
) -> None:
    """``erase`` for one person; ``retention run --apply`` after the end date (anonymise)."""
    from intake.db import make_engine
    from intake.models import ContactDetails, Participant, Response, ScannedPage

    recruiter = app.test_client()
    login(recruiter, "recruiter")
    pack = _letters(recruiter)
    answer_path = first_answer_path(pack)
    token = urlsplit(answer_path).path.removeprefix("/r/")
    _answer_on_the_web(app, answer_path)

    engine = make_engine(db_url)
    with engine.connect() as connection:
        code = connection.execute(
            select(Participant.code)
            .join(Response, Response.participant_id == Participant.id)
            .where(Response.channel == "web")
        ).scalar_one()
    code_, out = _cli(
        deltaker,
        "consent",
        "withdraw",
        code,
        "contact_again",
        "--channel",
        "phone",
        "--note",
        "Ringte og ville ikke bli kontaktet igjen.",
        "--by",
        "kari",
    )
    assert code_ == 0, out

    scan = tmp_path / "returned.pdf"
    assert scanned_consent_pages(pack, data_dir, db_url, scan, unsure=1) >= 2
    assistant = app.test_client()
    login(assistant, "assistant")
    started = upload_scan(assistant, scan)
    assert started.status_code == 303
    job_url = started.headers["Location"]
    results = wait_for_job(assistant, job_url)
    assert "overlay" in results

    from scan.debug import overlay_name

    with engine.connect() as connection:
        person = connection.execute(select(Participant).where(Participant.code == code)).one()
        contact = connection.execute(
            select(ContactDetails).where(ContactDetails.participant_id == person.id)
        ).one()
        pages = connection.execute(select(ScannedPage)).all()
    mine = [p for p in pages if (p.result or {}).get("participant") == code]
    others = [p for p in pages if (p.result or {}).get("participant") not in (None, code)]
    assert mine and others, "the batch must hold this person's pages and someone else's"
    images = {p.image_sha256 for p in mine if p.image_sha256}
    crops = {v for p in mine for v in ((p.result or {}).get("crops") or {}).values()}
    overlays = [data_dir / "web-debug" / overlay_name(p.file_name, p.page_index) for p in mine]
    assert all(o.is_file() for o in overlays)
    forbidden_hashes = (
        images | crops | {hashlib.sha256(o.read_bytes()).hexdigest() for o in overlays}
    )
    urls = [f"/staff/intake/overlay/{o.name}" for o in overlays] + [
        f"/staff/intake/evidence/{d}" for d in sorted(images | crops)
    ]
    for url in urls:
        assert assistant.get(url).status_code == 200, url
    own_pages = _pages_of(pack, data_dir, code)
    own_text = pdf_text(own_pages)
    links = qr_links(own_pages)
    assert links and all(token in link for link in links if "/r/" in link)
    answer_codes = {m.group(0) for m in ANSWER_CODE.finditer(own_text)}
    assert answer_codes, "the letter prints an answer code"
    assert contact.name in own_text and contact.address in own_text
    words = {contact.name, contact.address, token, *links, *answer_codes}
    words |= {c.replace("-", "") for c in answer_codes}

    if how == "retention":
        # the example study anonymises at its end: the key, images, crops, writing go
        code_, out = _cli(
            deltaker,
            "retention",
            "run",
            "--apply",
            "--today",
            "2099-01-01",
        )
        assert code_ == 0 and "anonymise" in out, out
        _no_copy_left(app, assistant, engine, data_dir, urls, job_url, forbidden_hashes, words)
        assert not list((data_dir / "uploads").iterdir()), "everyone's pages went: the batch too"
        assert not list((data_dir / "web-letters").glob("*.pdf"))
        code_, out = _cli(deltaker, "audit", "verify")
        assert code_ == 0, out
        return

    code_, out = _cli(
        deltaker,
        "erase",
        code,
        "--by",
        "dpo",
        "--reason",
        "asked on the phone to be deleted",
    )
    assert code_ == 0, out
    receipt = Path(re.search(r"Erasure receipt: (\S+)", out).group(1))
    assert receipt.parent == data_dir / "receipts"
    receipt_text = " ".join(pdf_text(receipt.read_bytes()).split())
    with engine.connect() as connection:
        erase_hash = connection.execute(
            text("SELECT hash FROM consent_events WHERE action = 'erase' AND participant = :c"),
            {"c": code},
        ).scalar_one()
    assert f"Erasure receipt: {code}" in receipt_text
    assert erase_hash in receipt_text
    assert re.search(r"scan overlays (\d+)", receipt_text).group(1) == str(len(overlays))
    assert re.search(r"responses \(answers, paper and web\) (\d+)", receipt_text).group(1) != "0"
    dpo = app.test_client()
    login(dpo, "dpo")
    report = " ".join(pdf_text(dpo.get("/staff/audit/report.pdf").data).split())
    assert "Erasures done" in report and erase_hash[:20] in report.replace(" ", "")

    _no_copy_left(app, assistant, engine, data_dir, urls, job_url, forbidden_hashes, words)

    code_, out = _cli(deltaker, "audit", "verify")
    assert code_ == 0, out

    # shared files stay for the other person, with the erased person's pages blank
    import pypdfium2 as pdfium

    (upload,) = sorted((data_dir / "uploads").iterdir())
    (kept_pack,) = sorted((data_dir / "web-letters").glob("*.pdf"))
    for path, original in ((upload, scan.read_bytes()), (kept_pack, pack)):
        after, before = pdfium.PdfDocument(path.read_bytes()), pdfium.PdfDocument(original)
        assert len(after) == len(before), path
        after.close()
        before.close()
    own_pages_after = {p.page_index for p in mine}
    document = pdfium.PdfDocument(upload.read_bytes())
    for index in range(len(document)):
        objects = list(document[index].get_objects())
        assert (index in own_pages_after) == (not objects), (upload, index)
    document.close()


def test_every_place_of_the_inventory_is_in_the_docs() -> None:
    from privacy.inventory import INVENTORY

    docs = (Path(__file__).resolve().parents[2] / "docs" / "consent.md").read_text()
    for place in INVENTORY:
        row = (
            f"| {place.name} | `{place.where}` | {place.holds} | {place.on_erase} "
            f"| {place.on_anonymise} | {place.on_keep} |"
        )
        assert row in docs, f"docs/consent.md does not list {place.name!r} as the code does"

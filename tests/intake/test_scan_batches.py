"""`deltaker scan` stores pages in batches: a run stopped midway keeps every page it
reported, and a second run stores the rest, each page exactly once."""

from __future__ import annotations

from PIL import Image, ImageDraw
from sqlalchemy import func, select

from intake import scan_resolver
from intake.db import read_scope
from intake.evidence import EvidenceStore
from intake.models import ReviewTask, ScannedPage
from scan.results import PageStatus
from scan.sandbox import read_files
from scan.simulate import to_pdf

PAGES = 7


def _scanned_pdf(path):
    pages = []
    for n in range(PAGES):
        page = Image.new("L", (620, 877), 255)  # A4 at 75 dpi, no code: unidentified
        ImageDraw.Draw(page).text((60, 60 + 20 * n), f"page {n + 1}", fill=0)
        pages.append(page)
    to_pdf(pages, path, dpi=75)


def _stored(engine) -> list[tuple[str, int]]:
    with read_scope(engine) as session:
        return list(session.execute(select(ScannedPage.file_name, ScannedPage.page_index)))


def test_a_run_stopped_midway_keeps_what_it_reported_and_a_rerun_stores_the_rest(
    engine, data_dir, tmp_path, monkeypatch
):
    monkeypatch.setattr(scan_resolver, "BATCH_PAGES", 3)
    scanned = tmp_path / "returned.pdf"
    _scanned_pdf(scanned)

    run = scan_resolver.scan_and_store(engine, data_dir, [scanned])
    reported = [next(run) for _ in range(4)]  # the first batch and one of the second
    run.close()  # the person pressed Ctrl-C
    stored = _stored(engine)
    # Every page reported is stored: the 4th came with its batch (pages 4 to 6), which
    # was committed before any of it was reported; page 7 was never read.
    assert [r.page_index for r in reported] == [0, 1, 2, 3]
    assert len(stored) == 6
    assert [i for _, i in stored] == list(range(len(stored)))
    assert list(EvidenceStore(data_dir).root.rglob(".tmp-*")) == []

    again = list(scan_resolver.scan_and_store(engine, data_dir, [scanned]))
    assert [r.page_index for r in again] == list(range(PAGES))
    statuses = [r.status for r in again]
    assert statuses[: len(stored)] == [PageStatus.DUPLICATE] * len(stored)
    assert PageStatus.DUPLICATE not in statuses[len(stored) :]
    assert sorted(i for _, i in _stored(engine)) == list(range(PAGES))
    with read_scope(engine) as session:
        tasks = session.scalar(select(func.count()).select_from(ReviewTask))
    assert tasks == PAGES  # one "unidentified" task a page, none twice
    store = EvidenceStore(data_dir)
    with read_scope(engine) as session:
        for page in session.scalars(select(ScannedPage)):
            assert page.image_sha256 is not None and store.verify(page.image_sha256)


def test_a_batch_ends_at_its_byte_limit(engine, data_dir, tmp_path, monkeypatch):
    """Pages kept as scanned can be large: a batch holds at most BATCH_BYTES of them."""
    scanned = tmp_path / "returned.pdf"
    _scanned_pdf(scanned)
    sizes: list[int] = []
    store_batch = scan_resolver._store_batch

    def counted(engine, store, results, hashes):
        sizes.append(len(results))
        return store_batch(engine, store, results, hashes)

    monkeypatch.setattr(scan_resolver, "_store_batch", counted)
    monkeypatch.setattr(scan_resolver, "BATCH_PAGES", 100)
    one_page = len(next(read_files([scanned], lambda text: None)).image or b"")
    monkeypatch.setattr(scan_resolver, "BATCH_BYTES", 2 * one_page)
    results = list(scan_resolver.scan_and_store(engine, data_dir, [scanned]))
    assert len(results) == PAGES and sum(sizes) == PAGES
    assert max(sizes) <= 3 and len(sizes) >= 3

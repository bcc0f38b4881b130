"""The one inventory of what Deltaker stores about a person, and the one page wipe.

Erasure (:mod:`privacy.erasure`) and retention (:mod:`privacy.retention`) both
go through this module: :data:`INVENTORY` names every place, and
:func:`wipe_pages` is the only code that empties scanned-page rows, so the two
can never drift apart again. ``docs/consent.md`` lists the same places (a test
checks that every place here is named there).

Files are found while the transaction is open (the rows say which upload and
which page a person's page came from) and removed by :func:`remove_files` only
after the transaction has committed, so a rolled-back erasure never loses files.

An uploaded scan batch holds many people's pages. The batch stays, with the
erased person's pages replaced by blank pages of the same size: the other
people's pages keep their page numbers, so the rows that point at them stay
true. A batch whose every read page is wiped is deleted; so is a one-page
image upload.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from intake.evidence import EvidenceStore
from intake.models import ReviewTask, ScannedPage

#: Where the web app saves uploaded scans, inside the data folder.
UPLOADS_FOLDER = "uploads"
#: Where the web app's scan reader writes its debug overlays, inside the data folder.
OVERLAYS_FOLDER = "web-debug"
#: Where the web app keeps letter packs and their print manifests, inside the data folder.
LETTERS_FOLDER = "web-letters"
#: The sheet name intake.mailing gives a print manifest.
MANIFEST_SHEET = "manifest"
#: What an emptied scanned-page row's status says.
ERASED_PAGE_STATUS = "erased"
_SHA256 = re.compile(r"^[0-9a-f]{64}$")
#: Keys naming a whole uploaded batch file (many people's pages), never one person's file.
_BATCH_KEYS = frozenset({"file_sha256"})
#: Upload types that are one page each (deleted whole when their page is wiped).
_IMAGE_SUFFIXES = frozenset({".png", ".jpg", ".jpeg", ".tif", ".tiff"})


class Done(enum.StrEnum):
    """What erasure or retention does to one place."""

    DELETED = "deleted"
    EMPTIED = "emptied"  # the row stays (so a batch read again stays erased), its content goes
    BLANKED = "blanked"  # the person's pages in a shared file become blank pages
    REVOKED = "revoked"
    KEPT = "kept"
    KEPT_MINUS_WRITING = "written answers, images and crops deleted; ticks kept"


@dataclass(frozen=True)
class Place:
    """One place where something about a person is stored."""

    name: str
    where: str  # a table, or a folder inside the data folder
    holds: str
    on_erase: Done
    on_anonymise: Done  # retention at the study's end, data_at_end: anonymise
    on_keep: Done  # retention at the study's end, data_at_end: keep


#: Every place, in the order docs/consent.md lists them.
INVENTORY: tuple[Place, ...] = (
    Place("participant", "participants", "code, status, language, group",
          Done.KEPT, Done.KEPT, Done.KEPT),
    Place("contact details", "contact_details", "name, address, phone, e-mail",
          Done.DELETED, Done.DELETED, Done.DELETED),
    # deleted with the key: large print can hint at a disability (intake.format_profiles)
    Place("format profile", "format_profiles", "large print, one- or two-sided, easy-read",
          Done.DELETED, Done.DELETED, Done.DELETED),
    Place("responses", "responses", "answers, field states, where they came from",
          Done.DELETED, Done.KEPT_MINUS_WRITING, Done.KEPT),
    Place("scanned pages", "scanned_pages", "the page result (answers, crops, QR identity)",
          Done.EMPTIED, Done.EMPTIED, Done.KEPT),
    Place("review tasks", "review_tasks", "uncertain marks, handwriting, thumbnails",
          Done.DELETED, Done.DELETED, Done.KEPT),
    Place("invitations", "invitations", "keyed hashes of the link and answer code",
          Done.REVOKED, Done.REVOKED, Done.REVOKED),
    Place("web drafts and sessions", "web_answer_drafts, web_sessions",
          "answers typed so far, open sessions", Done.DELETED, Done.DELETED, Done.DELETED),
    Place("evidence files", "evidence/", "page images, signature and handwriting crops",
          Done.DELETED, Done.DELETED, Done.KEPT),
    Place("uploaded scans", f"{UPLOADS_FOLDER}/", "the scanned batch as uploaded on the web",
          Done.BLANKED, Done.BLANKED, Done.KEPT),
    Place("scan overlays", f"{OVERLAYS_FOLDER}/",
          "what the scanner saw, drawn on the page (code, ticks, name, signature)",
          Done.DELETED, Done.DELETED, Done.KEPT),
    Place("letter packs", f"{LETTERS_FOLDER}/*.pdf",
          "letter, information letter, forms: name, address, QR link, answer code",
          Done.BLANKED, Done.BLANKED, Done.BLANKED),
    Place("print manifests", f"{LETTERS_FOLDER}/*.manifest.xlsx",
          "code and page range per pack (the person's row goes)",
          Done.DELETED, Done.DELETED, Done.DELETED),
    Place("consent ledger", "consent_events", "the code, hashes, notes; never a name",
          Done.KEPT, Done.KEPT, Done.KEPT),
    # kept: a job's record is how staff see what ran; it names codes, never a token or an answer
    Place("jobs", "jobs", "long work's arguments and results: codes, file names, counts",
          Done.KEPT, Done.KEPT, Done.KEPT),
    # kept: so nobody is reminded or asked again against their will (intake.contact); no name
    Place("contact history", "reminders, reconsent_letters",
          "which letter went to which code, when, which text version",
          Done.KEPT, Done.KEPT, Done.KEPT),
    # kept: the evidence that the person's data left, by code only (as the ledger keeps it)
    Place("export log", "export_log, export_log_participants",
          "who took whose data out, when, what, how many rows; codes, never a name",
          Done.KEPT, Done.KEPT, Done.KEPT),
)  # fmt: skip


@dataclass(frozen=True)
class PageInFile:
    """One wiped page of an uploaded batch: which file, which page (0-based)."""

    file_sha256: str
    file_name: str
    page_index: int
    whole_file_wiped: bool  # no page of this batch that is still read is left


@dataclass(frozen=True)
class FilesToRemove:
    """Files found in the transaction, removed by :func:`remove_files` once it committed."""

    evidence: tuple[str, ...] = ()  # SHA-256 digests in the evidence store
    pages: tuple[PageInFile, ...] = ()  # pages of uploads (and their overlays)
    letters_of: tuple[str, ...] = ()  # participant codes whose stored letter packs go

    def __or__(self, other: FilesToRemove) -> FilesToRemove:
        return FilesToRemove(
            tuple(sorted(set(self.evidence) | set(other.evidence))),
            tuple(sorted(set(self.pages) | set(other.pages), key=_page_key)),
            tuple(sorted(set(self.letters_of) | set(other.letters_of))),
        )


def _page_key(page: PageInFile) -> tuple[str, int]:
    return page.file_sha256, page.page_index


@dataclass(frozen=True)
class RemovedFiles:
    """What :func:`remove_files` found on disk and removed."""

    evidence_files: int = 0
    overlays: int = 0
    uploads_deleted: int = 0
    upload_pages_blanked: int = 0
    letter_pages_blanked: int = 0
    letter_files_deleted: int = 0  # packs and manifests with nobody else in them
    paths: tuple[str, ...] = field(default=())  # relative to the data folder

    @property
    def total(self) -> int:
        return (
            self.evidence_files + self.overlays + self.uploads_deleted + self.letter_files_deleted
        )

    def summary(self) -> str:
        return (
            f"{self.evidence_files} evidence file(s), {self.overlays} scan overlay(s), "
            f"{self.uploads_deleted} uploaded scan(s) removed, "
            f"{self.upload_pages_blanked} page(s) of shared uploads blanked, "
            f"{self.letter_pages_blanked} letter page(s) blanked, "
            f"{self.letter_files_deleted} letter file(s) deleted"
        )


@dataclass(frozen=True)
class PageWipe:
    pages: int
    files: FilesToRemove


def evidence_digests(value: Any, key: str | None = None) -> Iterator[str]:
    """Every SHA-256 named under a ``*sha256`` key or in ``crops`` (page images, crops...)."""
    if isinstance(value, dict):
        for k, v in value.items():
            # crops are kept as {item id: sha256}: every value names an evidence file
            yield from evidence_digests(v, "crop_sha256" if key == "crops" else str(k))
    elif isinstance(value, list | tuple):
        for v in value:
            yield from evidence_digests(v, key)
    elif (
        isinstance(value, str)
        and key
        and key.endswith("sha256")
        and key not in _BATCH_KEYS
        and _SHA256.match(value)
    ):
        yield value


def wipe_pages(session: Session, pages: Sequence[ScannedPage]) -> PageWipe:
    """Empty these scanned-page rows; returns the files that go with them.

    The row stays (file hash and page number, status ``erased``) so reading the
    same batch again finds the page already read and does not bring it back.
    """
    digests: set[str] = set()
    wiped: list[tuple[str, str, int]] = []
    for page in pages:
        if page.image_sha256:
            digests.add(page.image_sha256)
        digests.update(evidence_digests(page.result))
        if page.status != ERASED_PAGE_STATUS:
            wiped.append((page.file_sha256, page.file_name or "", page.page_index))
        page.image_sha256 = None
        page.result = {"erased": True}
        page.status = ERASED_PAGE_STATUS
        page.response_id = None
    ids = [p.id for p in pages]
    if ids:
        for task in session.scalars(select(ReviewTask).where(ReviewTask.scanned_page_id.in_(ids))):
            if task.thumbnail_sha256:
                digests.add(task.thumbnail_sha256)
            digests.update(evidence_digests(task.details))
    session.flush()
    still_read: dict[str, int] = {
        row[0]: row[1]
        for row in session.execute(
            select(ScannedPage.file_sha256, func.count())
            .where(ScannedPage.file_sha256.in_({w[0] for w in wiped}))
            .where(ScannedPage.status != ERASED_PAGE_STATUS)
            .group_by(ScannedPage.file_sha256)
        )
    }
    located = tuple(
        PageInFile(sha, name, index, still_read.get(sha, 0) == 0) for sha, name, index in wiped
    )
    return PageWipe(len(pages), FilesToRemove(tuple(sorted(digests)), located))


def upload_path(data_dir: Path, file_name: str) -> Path | None:
    """The uploaded file a scanned-page row came from, when the web app saved it here."""
    if not file_name:
        return None
    candidate = data_dir / UPLOADS_FOLDER / Path(file_name).name
    return candidate if candidate.is_file() else None


def overlay_path(data_dir: Path, file_name: str, page_index: int) -> Path:
    from scan.debug import overlay_name

    return data_dir / OVERLAYS_FOLDER / overlay_name(file_name, page_index)


def remove_files(data_dir: Path, files: FilesToRemove) -> RemovedFiles:
    """Delete evidence and overlays, blank or delete uploads; after the commit."""
    store = EvidenceStore(data_dir)
    evidence = sum(1 for digest in files.evidence if store.delete(digest))
    paths: list[str] = []
    overlays = 0
    by_upload: dict[Path, list[PageInFile]] = {}
    for page in files.pages:
        overlay = overlay_path(data_dir, page.file_name, page.page_index)
        if overlay.is_file():
            overlay.unlink()
            overlays += 1
            paths.append(str(overlay.relative_to(data_dir)))
        upload = upload_path(data_dir, page.file_name)
        if upload is not None:
            by_upload.setdefault(upload, []).append(page)
    deleted = blanked = 0
    for upload, pages in sorted(by_upload.items()):
        paths.append(str(upload.relative_to(data_dir)))
        # wiping only ever adds pages: one wipe that left nothing read means nothing is read
        if any(p.whole_file_wiped for p in pages) or upload.suffix.lower() in _IMAGE_SUFFIXES:
            upload.unlink()
            deleted += 1
        else:
            blanked += blank_pdf_pages(upload, [p.page_index for p in pages])
    letter_pages, letter_files = _remove_letters(data_dir, set(files.letters_of), paths)
    return RemovedFiles(
        evidence, overlays, deleted, blanked, letter_pages, letter_files, tuple(paths)
    )


def _remove_letters(data_dir: Path, codes: set[str], paths: list[str]) -> tuple[int, int]:
    """Blank these people's pages in stored letter packs; drop their manifest rows."""
    import openpyxl

    from intake.tables import write_xlsx

    folder = data_dir / LETTERS_FOLDER
    if not codes or not folder.is_dir():
        return 0, 0
    blanked = deleted = 0
    for manifest in sorted(folder.glob("*.manifest.xlsx")):
        book = openpyxl.load_workbook(manifest, read_only=True)
        try:
            rows: list[list[Any]] = [
                list(r) for r in book.worksheets[0].iter_rows(values_only=True)
            ]
        finally:
            book.close()
        if not rows:
            continue
        head = [str(h) for h in rows[0]]
        at = {name: head.index(name) for name in ("participant", "first_page", "last_page", "file")}
        gone = [r for r in rows[1:] if r[at["participant"]] in codes]
        if not gone:
            continue
        kept = [r for r in rows[1:] if r[at["participant"]] not in codes]
        by_file: dict[str, list[int]] = {}
        for row in gone:
            pages = range(int(row[at["first_page"]]) - 1, int(row[at["last_page"]]))
            by_file.setdefault(str(row[at["file"]]), []).extend(pages)
        for name, indexes in by_file.items():
            pack = folder / Path(name).name
            if not pack.is_file():
                continue
            paths.append(str(pack.relative_to(data_dir)))
            if not any(str(r[at["file"]]) == name for r in kept):
                pack.unlink()
                deleted += 1
            else:
                blanked += blank_pdf_pages(pack, indexes)
        paths.append(str(manifest.relative_to(data_dir)))
        if kept:
            write_xlsx(manifest, [(MANIFEST_SHEET, head, kept)], force=True)
        else:
            manifest.unlink()
            deleted += 1
    return blanked, deleted


def blank_pdf_pages(path: Path, indexes: Iterable[int]) -> int:
    """Replace these pages of a PDF by blank pages of the same size (written via a temp file)."""
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(path.read_bytes())
    temporary = path.with_name(path.name + ".tmp")
    try:
        done = 0
        for index in sorted(set(indexes)):
            if not 0 <= index < len(document):
                continue
            width, height = document[index].get_size()
            document.del_page(index)
            document.new_page(width, height, index=index)
            done += 1
        document.save(str(temporary))
    finally:
        document.close()
    temporary.replace(path)  # readers see the old file or the new one, never half of one
    return done


def scrub_database(engine: Engine) -> None:
    """After an erasure has committed: no old copy of a deleted row stays in the WAL file.

    SQLite's write-ahead log keeps the pages as they were before, rows included,
    until a checkpoint; TRUNCATE copies it into the database (where
    ``secure_delete`` has zeroed the rows) and empties it. PostgreSQL's old row
    versions are the server's to vacuum, outside the data folder.
    """
    if engine.dialect.name != "sqlite":
        return
    # outside any transaction: SQLAlchemy's connections always begin one, which blocks this
    raw = engine.raw_connection()
    try:
        cursor = raw.cursor()
        cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        cursor.close()
    finally:
        raw.close()

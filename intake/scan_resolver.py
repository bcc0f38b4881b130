"""Page identity for the scanner, from the database (``scan`` itself touches none).

``DatabaseResolver(session, secret)`` is the callback ``scan`` is given: it turns
a QR payload into a ``scan.results.ResolvedPage``:

- a personal link ``/r/{token}?p={n}``: the invitation (by the token's keyed
  hash), the ``n``-th page of its printed pack (form, version, page, language,
  profile), and the layout map stored when that pack was printed;
- an anonymous copy ``/a/{form}/{version}/{serial}?p={page}``: the layout map
  stored for that form version.

Anything else (another installation's code, a revoked invitation, a form
version never printed) resolves to None, which the scanner reports as
``unknown_form``.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from forms.model import ItemType
from printing.layout_map import LayoutMap, LayoutMapError
from printing.qr import AnonymousPayload, PersonalPayload, QRPayloadError, parse_payload
from scan.results import PageResult, PageStatus, ResolvedPage

from .evidence import EvidenceStore
from .invitations import find_by_token, page_entry
from .models import FormVersion
from .models import LayoutMap as LayoutMapRecord
from .studies import stored_form

if TYPE_CHECKING:
    from scan.sandbox import Limits


class DatabaseResolver:
    """Resolves QR payloads through invitations and stored layout maps (cached per run)."""

    def __init__(self, session: Session, secret: bytes):
        self.session = session
        self.secret = secret
        self._cache: dict[str, ResolvedPage | None] = {}
        self._types: dict[int, dict[str, ItemType]] = {}
        # Every page of a batch has its own code, but they share a few form versions
        # and layout maps: those are looked up and parsed once per run, not per page.
        self._versions: dict[tuple[str, str, int | None], FormVersion | None] = {}
        self._maps: dict[tuple[int, str, str], LayoutMap | None] = {}
        self._all_maps: dict[int, list[LayoutMap]] = {}  # every map of a version (anonymous)

    def __call__(self, text: str) -> ResolvedPage | None:
        if text not in self._cache:
            self._cache[text] = self._resolve(text)
        return self._cache[text]

    def _resolve(self, text: str) -> ResolvedPage | None:
        try:
            payload = parse_payload(text)
        except QRPayloadError:
            return None
        if isinstance(payload, PersonalPayload):
            return self._personal(payload)
        if isinstance(payload, AnonymousPayload):
            return self._anonymous(payload)
        return None

    def _personal(self, payload: PersonalPayload) -> ResolvedPage | None:
        if payload.page is None:
            return None  # the letter's own code: it is not a form page
        invitation = find_by_token(self.session, self.secret, payload.token)
        if invitation is None:
            return None
        entry = page_entry(invitation, payload.page)
        if entry is None or not entry.get("form") or not entry.get("version"):
            return None
        version = self._version(entry["form"], entry["version"], invitation.participant.study_id)
        if version is None:
            return None
        language = entry.get("language") or invitation.participant.language
        profile = entry.get("profile") or "standard"
        key = (version.id, language, profile)
        if key not in self._maps:
            record = self.session.scalars(
                select(LayoutMapRecord).where(
                    LayoutMapRecord.form_version_id == version.id,
                    LayoutMapRecord.language == language,
                    LayoutMapRecord.profile == profile,
                )
            ).first()
            self._maps[key] = _read_map(record)
        layout = self._maps[key]
        if layout is None:
            return None
        return self._page(
            version,
            layout,
            int(entry.get("page") or 1),
            participant=invitation.participant.code,
        )

    def _anonymous(self, payload: AnonymousPayload) -> ResolvedPage | None:
        version = self._version(payload.form, payload.version, None)
        if version is None:
            return None
        if version.id not in self._all_maps:
            records = self.session.scalars(
                select(LayoutMapRecord)
                .where(LayoutMapRecord.form_version_id == version.id)
                .order_by(LayoutMapRecord.id)
            ).all()
            found = [layout for r in records if (layout := _read_map(r)) is not None]
            self._all_maps[version.id] = found if found and len(found) == len(records) else []
        layouts = self._all_maps[version.id]
        if not layouts:
            return None
        # An anonymous code does not say the language or print profile. When the
        # version was printed in several layouts whose boxes differ, the page is read
        # with the first one and flagged, so a person checks every answer on it.
        first = layouts[0]
        ambiguous = any(
            _page_fields(other, payload.page) != _page_fields(first, payload.page)
            for other in layouts[1:]
        )
        return self._page(
            version, first, payload.page, serial=str(payload.serial), layout_uncertain=ambiguous
        )

    def _version(self, form: str, version: str, study_id: int | None) -> FormVersion | None:
        key = (form, version, study_id)
        if key not in self._versions:
            query = select(FormVersion).where(
                FormVersion.form_key == form, FormVersion.text_version == version
            )
            if study_id is not None:
                query = query.where(FormVersion.study_id == study_id)
            self._versions[key] = self.session.scalars(query.order_by(FormVersion.id)).first()
        return self._versions[key]

    def _page(
        self,
        version: FormVersion,
        layout: LayoutMap,
        page: int,
        *,
        participant: str | None = None,
        serial: str | None = None,
        layout_uncertain: bool = False,
    ) -> ResolvedPage | None:
        layout_page = layout.page(page)
        if layout_page is None:
            return None
        if version.id not in self._types:
            form = stored_form(version)
            self._types[version.id] = {item.id: item.type for item in form.items()}
        return ResolvedPage(
            form=version.form_key,
            version=version.text_version,
            language=layout.language,
            page=page,
            layout_page=layout_page,
            page_size=layout.page_size,
            item_types=self._types[version.id],
            participant=participant,
            serial=serial,
            layout_uncertain=layout_uncertain,
        )


def _read_map(record: LayoutMapRecord | None) -> LayoutMap | None:
    """The stored map, read once into types; a map that is not in shape resolves nothing
    (the page then goes to review as not identified, never a crashed batch)."""
    if record is None:
        return None
    try:
        return LayoutMap.from_json(record.map)
    except LayoutMapError:
        return None


def _page_fields(layout: LayoutMap, page: int) -> tuple[object, ...]:
    found = layout.page(page)
    return found.fields if found is not None else ()


# ---------------------------------------------------------------- the scan run


def _sha256_file(path: Path) -> str | None:
    import hashlib

    digest = hashlib.sha256()
    try:
        with open(path, "rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
    except OSError:
        return None
    return digest.hexdigest()


#: Pages stored in one transaction (and one flush of their evidence files to disk).
BATCH_PAGES = 25
#: A batch is stored at the latest this long after its first page was read.
BATCH_SECONDS = 2.0
#: ... or once its page images and crops hold this many bytes (memory stays bounded
#: for 600 dpi colour scans, whose pages are kept as scanned).
BATCH_BYTES = 64 * 1024 * 1024


def scan_and_store(
    engine: Engine,
    data_dir: Path,
    files: Sequence[Path],
    *,
    jobs: int = 1,
    debug_dir: Path | None = None,
    limits: Limits | None = None,
) -> Iterator[PageResult]:
    """Read scanned files in the sandbox and store every page through ``intake.ingest``.

    Yields each page result in input order once it is stored, its ``status`` set
    to ``duplicate`` when this exact page (same file bytes, same page) was stored
    before. Pages are stored in batches (up to :data:`BATCH_PAGES`, or what
    :data:`BATCH_SECONDS` or :data:`BATCH_BYTES` brought), one transaction each
    with its evidence files flushed to disk before the commit: a durable commit
    costs a disk flush, and one per page was most of the cost of storing. A batch
    is stored in a thread of its own while the next is read. An interrupted run
    loses at most the pages in flight (the batch being read, and the one being
    stored if its commit did not happen; nothing of a batch is half stored) and a
    second run of the same files stores the rest, nothing twice.
    """
    import time

    from scan.sandbox import read_files

    from .db import read_scope
    from .secrets import load_secret

    secret = load_secret(data_dir)
    store = EvidenceStore(data_dir)
    names = {str(f): str(f) for f in files}
    hashes = {str(f): h for f in files if (h := _sha256_file(f)) is not None}
    pending: list[PageResult] = []
    started, size = 0.0, 0
    # One writer thread stores a batch while this one goes on answering the workers'
    # identity questions: otherwise every worker stood still while a batch was stored.
    # At most two batches are in flight: the one being stored and the one being read.
    with ThreadPoolExecutor(1, thread_name_prefix="scan-store") as writer:
        storing: Future[list[PageResult]] | None = None
        with read_scope(engine) as lookup:
            resolver = DatabaseResolver(lookup, secret)
            for result in read_files(
                files, resolver, jobs=jobs, debug_dir=debug_dir, limits=limits, names=names
            ):
                if not pending:
                    started, size = time.monotonic(), 0
                pending.append(result)
                size += len(result.image or b"") + sum(map(len, result.crops.values()))
                if (
                    len(pending) >= BATCH_PAGES
                    or size >= BATCH_BYTES
                    or time.monotonic() - started >= BATCH_SECONDS
                ):
                    if storing is not None:
                        yield from storing.result()
                    storing = writer.submit(_store_batch, engine, store, pending, hashes)
                    pending = []
        if storing is not None:
            yield from storing.result()
        yield from _store_batch(engine, store, pending, hashes)


def _store_batch(
    engine: Engine, store: EvidenceStore, results: list[PageResult], hashes: dict[str, str]
) -> list[PageResult]:
    """Store a batch of page results in one transaction; the results, in order, marked."""
    from .db import session_scope
    from .ingest import ingest_page_results

    # A file that cannot even be read has nothing to store or recognise.
    stored = [r for r in results if r.file in hashes]
    if stored:
        with session_scope(engine) as session, store.synced_together():
            report = ingest_page_results(session, stored, evidence=store, file_hashes=hashes)
        for result, status in zip(stored, report.statuses, strict=True):
            if status == PageStatus.DUPLICATE:
                result.status = PageStatus.DUPLICATE
    return results

"""The evidence store: files kept under their SHA-256 (scanned pages, thumbnails, receipts).

Content addressing makes storing idempotent and lets a ledger event name its
evidence by hash; anyone can recompute the hash to check a file is unaltered.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from forms.errors import UserError

EVIDENCE_DIR_NAME = "evidence"


class EvidenceMissing(UserError):
    """No evidence file with this hash is stored."""


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


class EvidenceStore:
    """Files under ``<data_dir>/evidence/ab/abcdef...`` named by their SHA-256."""

    def __init__(self, data_dir: str | os.PathLike[str]):
        self.root = Path(data_dir) / EVIDENCE_DIR_NAME
        #: Files written but not yet flushed to disk, inside ``synced_together``.
        self._unsynced: list[tuple[Path, Path]] | None = None

    def path(self, digest: str) -> Path:
        if len(digest) != 64 or any(c not in "0123456789abcdef" for c in digest):
            raise EvidenceMissing(f"not a SHA-256 hash: {digest!r}")
        return self.root / digest[:2] / digest

    def put(self, data: bytes) -> str:
        """Store ``data`` (once) and return its SHA-256 hex digest."""
        digest = sha256_hex(data)
        target = self.path(digest)
        if target.exists():
            return digest
        target.parent.mkdir(parents=True, exist_ok=True)
        # Temp file + fsync + rename: a crash never leaves a half-written file under a hash.
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".tmp-")
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
                if self._unsynced is None:
                    handle.flush()
                    os.fsync(handle.fileno())
            if self._unsynced is not None:
                # Flushed with the rest of the batch, before the rename makes it visible.
                self._unsynced.append((Path(tmp), target))
                return digest
            os.replace(tmp, target)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        return digest

    @contextmanager
    def synced_together(self) -> Iterator[None]:
        """Files put inside are flushed to disk together when the block ends, before they
        get their names (and before the caller commits rows that name them).

        One flush for a batch of pages instead of one per file. Until the block ends
        a file is only a temp file: a crash leaves no file under a hash whose content
        is not on disk; a block left by an exception removes its temp files.
        """
        if self._unsynced is not None:
            yield  # already inside a batch: the outer block flushes
            return
        pending: list[tuple[Path, Path]] = []
        self._unsynced = pending
        try:
            yield
        except BaseException:
            self._unsynced = None
            for tmp, _ in pending:
                tmp.unlink(missing_ok=True)
            raise
        self._unsynced = None
        try:
            for tmp, _ in pending:
                fd = os.open(tmp, os.O_RDONLY)
                try:
                    os.fsync(fd)
                finally:
                    os.close(fd)
            for tmp, target in pending:
                os.replace(tmp, target)
        except BaseException:
            for tmp, _ in pending:
                tmp.unlink(missing_ok=True)
            raise

    def get(self, digest: str) -> bytes:
        target = self.path(digest)
        try:
            return target.read_bytes()
        except FileNotFoundError as exc:
            raise EvidenceMissing(f"no evidence file {digest}") from exc

    def exists(self, digest: str) -> bool:
        try:
            return self.path(digest).exists()
        except EvidenceMissing:
            return False

    def verify(self, digest: str) -> bool:
        """Whether the stored file still has the hash it is named by."""
        return sha256_hex(self.get(digest)) == digest

    def delete(self, digest: str) -> bool:
        """Remove a file (erasure); returns whether it was there."""
        target = self.path(digest)
        if target.exists():
            target.unlink()
            return True
        return False

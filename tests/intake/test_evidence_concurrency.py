"""Several processes write one evidence folder at once, as web and worker processes on a
shared folder do (docs/deploy.md): the same blobs and different ones, one at a time and in
synced batches, while another process reads whatever has a name.

Content-addressed names and writes under a temporary name renamed into place make
this safe: each blob is stored once under its hash, no file is ever seen torn
(a reader finds a name only once its content is whole), no temporary file stays.
"""

from __future__ import annotations

import hashlib
import multiprocessing
import os
from pathlib import Path

from intake.evidence import EvidenceStore, sha256_hex

WRITERS = 4
SHARED_BLOBS = 12
OWN_BLOBS = 6
#: large enough that a write takes many system calls: a torn file would show
BLOB_BYTES = 1_500_000


def _blob(name: str) -> bytes:
    """Deterministic, incompressible bytes: every process makes the same blob for a name."""
    seed = hashlib.sha256(name.encode()).digest()
    out = bytearray()
    block = seed
    while len(out) < BLOB_BYTES:
        block = hashlib.sha256(block).digest()
        out += block * 64
    return bytes(out[:BLOB_BYTES])


def _write(folder: str, writer: int, start, results) -> None:  # type: ignore[no-untyped-def]
    store = EvidenceStore(folder)
    names = [f"shared-{n}" for n in range(SHARED_BLOBS)] + [
        f"own-{writer}-{n}" for n in range(OWN_BLOBS)
    ]
    if writer % 2:
        names.reverse()  # meet the others from both ends
    start.wait()
    digests = {}
    half = len(names) // 2
    for name in names[:half]:
        digests[name] = store.put(_blob(name))
    with store.synced_together():  # the batch mode scan ingestion uses
        for name in names[half:]:
            digests[name] = store.put(_blob(name))
    results.put((writer, digests))


def _read(folder: str, start, stop, results) -> None:  # type: ignore[no-untyped-def]
    """Read every named file again and again while the writers run: none may be torn."""
    root = Path(folder) / "evidence"
    start.wait()
    checked = torn = 0
    while not stop.is_set():
        for path in root.glob("*/*"):
            if path.name.startswith(".tmp-"):
                continue
            try:
                data = path.read_bytes()
            except FileNotFoundError:
                continue
            checked += 1
            torn += sha256_hex(data) != path.name
    results.put(("reader", (checked, torn)))


def test_concurrent_writers_store_each_blob_once_and_none_torn(tmp_path) -> None:
    context = multiprocessing.get_context("spawn")  # fresh processes, as separate servers are
    start = context.Barrier(WRITERS + 1)
    stop = context.Event()
    results = context.Queue()
    folder = str(tmp_path)
    writers = [
        context.Process(target=_write, args=(folder, n, start, results)) for n in range(WRITERS)
    ]
    reader = context.Process(target=_read, args=(folder, start, stop, results))
    for process in (*writers, reader):
        process.start()
    got = dict(results.get(timeout=300) for _ in writers)
    stop.set()
    _, (checked, torn) = results.get(timeout=60)
    for process in (*writers, reader):
        process.join(timeout=60)
        assert process.exitcode == 0

    expected = {name: sha256_hex(_blob(name)) for name in {n for d in got.values() for n in d}}
    for digests in got.values():
        assert all(expected[name] == digest for name, digest in digests.items())
    assert len(expected) == SHARED_BLOBS + WRITERS * OWN_BLOBS
    files = [p for p in (tmp_path / "evidence").rglob("*") if p.is_file()]
    assert not [p for p in files if p.name.startswith(".tmp-")], "no temporary file stays"
    assert sorted(p.name for p in files) == sorted(expected.values()), "each blob stored once"
    store = EvidenceStore(tmp_path)
    assert all(store.verify(digest) for digest in expected.values()), "none torn"
    assert checked > 0 and torn == 0, f"the reader saw {torn} torn files of {checked}"
    assert all(os.stat(p).st_size == BLOB_BYTES for p in files)

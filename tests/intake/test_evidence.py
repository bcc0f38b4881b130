"""The content-addressed evidence store."""

from __future__ import annotations

import hashlib

import pytest

from forms.errors import UserError
from intake.evidence import EvidenceStore


def test_put_get_is_idempotent_and_verifiable(data_dir):
    store = EvidenceStore(data_dir)
    data = b"%PDF-1.4 a scanned page"
    digest = store.put(data)
    assert digest == hashlib.sha256(data).hexdigest()
    assert store.put(data) == digest
    assert store.get(digest) == data
    assert store.verify(digest)
    store.path(digest).write_bytes(b"tampered")
    assert not store.verify(digest)
    assert list(store.root.rglob(".tmp-*")) == []


@pytest.mark.parametrize("bad", ["", "../../etc/passwd", "A" * 64, "0" * 63])
def test_bad_or_missing_hash_is_a_clear_error(data_dir, bad):
    with pytest.raises(UserError):
        EvidenceStore(data_dir).get(bad)


def test_delete(data_dir):
    store = EvidenceStore(data_dir)
    digest = store.put(b"x")
    assert store.delete(digest) and not store.exists(digest) and not store.delete(digest)


def test_files_put_together_get_their_names_only_when_flushed(data_dir):
    store = EvidenceStore(data_dir)
    with store.synced_together():
        first = store.put(b"page one")
        second = store.put(b"page two")
        # not under their hashes yet: a crash here leaves no file whose bytes may be lost
        assert not store.exists(first) and not store.exists(second)
    assert store.get(first) == b"page one" and store.verify(second)
    assert list(store.root.rglob(".tmp-*")) == []


def test_files_put_together_are_dropped_when_the_batch_fails(data_dir):
    store = EvidenceStore(data_dir)
    with pytest.raises(RuntimeError), store.synced_together():
        digest = store.put(b"a page whose rows were never committed")
        raise RuntimeError("the transaction failed")
    assert not store.exists(digest)
    assert list(store.root.rglob(".tmp-*")) == []
    assert store.exists(store.put(b"after the batch: written at once"))

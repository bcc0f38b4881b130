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

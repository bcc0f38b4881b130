"""docs/study-format.md keeps up with the loader: every key and every item type is documented."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from forms import load
from forms.model import DataAtEnd, FormKind, ItemType, WithdrawalPolicy

DOC = (Path(__file__).resolve().parents[2] / "docs" / "study-format.md").read_text()
DOCUMENTED = set(re.findall(r"`([a-z_]+)`", DOC)) | set(re.findall(r"^\s*([a-z_]+):", DOC, re.M))


def test_every_item_type_has_its_keys_listed():
    assert set(load._ITEM_TYPE_KEYS) == set(ItemType)


@pytest.mark.parametrize(
    "key",
    sorted(
        set(load._STUDY_REQUIRED)
        | set(load._STUDY_OPTIONAL)
        | set(load._CONTACT_KEYS)
        | set(load._CONSENT_ITEM_KEYS)
        | set(load._FORM_KEYS)
        | set(load._SECTION_KEYS)
        | set(load._ALL_ITEM_KEYS)
    ),
)
def test_every_key_is_documented(key):
    assert key in DOCUMENTED


@pytest.mark.parametrize(
    "value",
    [*ItemType, *FormKind, *WithdrawalPolicy, *DataAtEnd],
    ids=str,
)
def test_every_enumerated_value_is_documented(value):
    assert str(value) in DOCUMENTED

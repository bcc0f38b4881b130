"""Safe ids for the names an XLSForm uses: questions, groups and choice values.

pyxform accepts names Deltaker cannot store as a key (``_id``, ``tel.office``, a
name of 80 characters, ``geflüchtete``, ``24/7``, ``0.5``). Such a name is kept as
written (``Item.source_name``, ``Choice.source_value``: the codebook and the
statistics files name it) and a safe key is derived from it: the same file gives
the same keys every time.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Container

from forms.rules import ID_PATTERN

#: Hex digits of the name's SHA-1 digest added when a shortened or cleaned key would clash.
DIGEST_HEX_DIGITS = 8
#: Longest key (ID_PATTERN's limit).
MAX_KEY_LENGTH = 63
#: Letters NFKD does not split into a base letter and a mark.
_LETTERS = str.maketrans({"ß": "ss", "æ": "ae", "ø": "o", "å": "a", "œ": "oe", "ł": "l", "đ": "d"})


def _ascii(name: str) -> str:
    """'Geflüchtete' -> 'gefluchtete'; 'tel.office' -> 'tel_office'; '24/7' -> '24_7'."""
    low = name.strip().lower().translate(_LETTERS)
    plain = "".join(c for c in unicodedata.normalize("NFKD", low) if not unicodedata.combining(c))
    return re.sub(r"[^a-z0-9_-]+", "_", plain).strip("_-")


def _digest(name: str) -> str:
    return hashlib.sha1(name.encode("utf-8")).hexdigest()[:DIGEST_HEX_DIGITS]


def safe_key(name: str, taken: Container[str], prefix: str = "") -> str:
    """A stable key for ``name`` that is not in ``taken``.

    The name in lower case when it is a key already; else its letters without accents
    and other signs as ``_``; when that is too long, empty or taken, the cleaned
    name shortened with the name's digest after it. ``prefix`` (a group's id) is put
    in front when the plain key is taken: the same name in two groups.
    """
    low = name.strip().lower()
    if ID_PATTERN.match(low) and low not in taken:
        return low
    cleaned = _ascii(name) or "q"
    if prefix:
        qualified = f"{prefix}_{cleaned}"
        if ID_PATTERN.match(qualified) and qualified not in taken:
            return qualified
    if ID_PATTERN.match(cleaned) and cleaned not in taken:
        return cleaned
    base = (f"{prefix}_{cleaned}" if prefix else cleaned)[: MAX_KEY_LENGTH - DIGEST_HEX_DIGITS - 1]
    key = f"{base.rstrip('_-') or 'q'}_{_digest(name)}"
    n = 1
    while key in taken:  # only a digest clash; never seen, but a key must be unique
        n += 1
        key = f"{base[: MAX_KEY_LENGTH - DIGEST_HEX_DIGITS - 4]}_{_digest(f'{name}#{n}')}"
    return key

"""Which column holds which field: Norwegian and English headers, any case."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence

from .records import ParticipantImportError

HEADER_ALIASES: dict[str, tuple[str, ...]] = {
    "name": ("navn", "name", "fullt navn", "full name", "fornavn og etternavn", "namn"),
    # Many registers export the name in two columns; they are joined as "first last".
    "first_name": ("fornavn", "first name", "firstname", "given name", "førenamn"),
    "last_name": ("etternavn", "last name", "lastname", "surname", "family name", "etternamn"),
    "address": ("adresse", "address", "gateadresse", "postadresse", "street address"),
    "postcode": (
        "postnummer",
        "postnr",
        "postnr.",
        "postcode",
        "post code",
        "postal code",
        "zip",
        "zip code",
    ),
    "city": ("poststed", "sted", "city", "town", "post town"),
    "language": ("språk", "sprak", "language", "målform", "malform", "lang"),
    "group": ("gruppe", "group"),
    "phone": (
        "telefon",
        "tlf",
        "tlf.",
        "mobil",
        "mobilnummer",
        "telefonnummer",
        "phone",
        "mobile",
        "telephone",
    ),
    "email": ("e-post", "epost", "e-postadresse", "email", "e-mail", "mail"),
    # the optional format profile (intake.format_profiles; docs/intake.md)
    "large_print": ("stor skrift", "stor_skrift", "storskrift", "large print", "large_print"),
    "two_sided": (
        "tosidig",
        "tosidig utskrift",
        "two sided",
        "two_sided",
        "two-sided",
        "duplex",
    ),
    "easy_read": ("lettlest", "lettlest tekst", "easy read", "easy_read", "easy-read"),
}
HEADER_LOOKUP = {alias: key for key, aliases in HEADER_ALIASES.items() for alias in aliases}


def map_headers(headers: Sequence[str], name: str) -> dict[str, int]:
    """Which column holds which field; unknown columns are ignored, missing ones reported."""
    mapping: dict[str, int] = {}
    for index, header in enumerate(headers):
        key = HEADER_LOOKUP.get(norm_header(header))
        if key is None:
            continue
        if key in mapping:
            raise ParticipantImportError(
                f"two columns mean '{key}': '{headers[mapping[key]]}' and '{header}'", file=name
            )
        mapping[key] = index
    has_split_name = {"first_name", "last_name"} <= mapping.keys()
    if "name" in mapping and has_split_name:
        raise ParticipantImportError(
            "both a name column and first/last name columns; keep one of them", file=name
        )
    if "name" not in mapping and not has_split_name:
        shown = ", ".join(f"'{h}'" for h in headers if h.strip())[:200] or "none"
        raise ParticipantImportError(
            "no name column (a column called 'navn' or 'name', or both 'fornavn' and "
            f"'etternavn', is needed); columns found: {shown}",
            file=name,
        )
    if not {"address", "phone", "email"} & mapping.keys():
        raise ParticipantImportError(
            "no way to reach people: add an address (adresse, postnummer, poststed), "
            "phone (telefon) or e-mail (e-post) column",
            file=name,
        )
    if "address" in mapping and not {"postcode", "city"} <= mapping.keys():
        missing = [k for k in ("postcode", "city") if k not in mapping]
        raise ParticipantImportError(
            f"an address column needs {' and '.join(missing)} columns too (postnummer, poststed)",
            file=name,
        )
    return mapping


def norm_header(header: str) -> str:
    text = unicodedata.normalize("NFC", str(header)).replace("\ufeff", "")
    text = re.sub(r"\s+", " ", text).strip().strip("*:").strip().casefold()
    return text

"""Checking every row of a participant file: names, addresses, postcodes, phones, e-mail."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from typing import Any

from forms.languages import ENDONYMS

from ..format_profiles import (
    EASY_READ_HINT,
    EASY_READ_WORDS,
    TWO_SIDED_HINT,
    TWO_SIDED_WORDS,
    YES_NO_HINT,
    FormatProfileError,
    parse_choice,
)
from .headers import map_headers
from .records import PersonRow, Problem, RawTable, Rejected

#: Longest text kept in one cell.
MAX_CELL_CHARS = 500

DEFAULT_LANGUAGES = ("nb", "nn", "en")

LANGUAGE_ALIASES = {
    "nb": "nb",
    "bokmål": "nb",
    "bokmal": "nb",
    "norsk": "nb",
    "norsk bokmål": "nb",
    "no": "nb",
    "nob": "nb",
    "nn": "nn",
    "nynorsk": "nn",
    "nno": "nn",
    "norsk nynorsk": "nn",
    "en": "en",
    "engelsk": "en",
    "english": "en",
    "eng": "en",
    # the web languages beyond nb, nn and en, as staff write them in Norwegian and in English
    # (each language's own name is added below from forms.languages)
    "arabisk": "ar",
    "arabic": "ar",
    "ara": "ar",
    "polsk": "pl",
    "polish": "pl",
    "pol": "pl",
    "ukrainsk": "uk",
    "ukrainian": "uk",
    "ukr": "uk",
    "somali": "so",
    "somalisk": "so",
    "som": "so",
    "tigrinja": "ti",
    "tigrinya": "ti",
    "tir": "ti",
    "persisk": "fa",
    "farsi": "fa",
    "dari": "prs",
    "pashto": "ps",
    "sorani": "ckb",
}
# "العربية", "Polski", "Українська", "Soomaali", "ትግርኛ"...: a language's own name is its alias
for _code, _own_name in ENDONYMS.items():
    LANGUAGE_ALIASES.setdefault(_own_name.casefold(), _code)

_EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_PHONE_CHARS_RE = re.compile(r"^\+?[0-9 ()\-.]+$")


def blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


#: Control characters (Unicode category Cc) but tab, line feed and carriage return,
#: which a cell may hold. ESC, BEL, BS and the like are not text: stored, they would
#: reach letters, exports and terminals.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_CONTROL_NAMES = {0x00: "NUL", 0x07: "BEL", 0x08: "BS", 0x1B: "ESC", 0x7F: "DEL"}


def _control_characters(number: int, raw: dict[str, Any]) -> list[Problem]:
    """A problem for each cell that holds a control character anywhere in it."""
    problems = []
    for key, value in raw.items():
        found = _CONTROL.search(value) if isinstance(value, str) else None
        if found is not None:
            code = ord(found.group())
            label = f"U+{code:04X}" + (f" {_CONTROL_NAMES[code]}" if code in _CONTROL_NAMES else "")
            problems.append(
                Problem(
                    number,
                    key,
                    f"holds a control character ({label}) at position {found.start() + 1}, "
                    "which is not text; delete it and type the text again",
                )
            )
    return problems


def _shown(text: str | None) -> str | None:
    """A rejected cell as written back to the person, its control characters made visible."""
    return None if text is None else _CONTROL.sub("\ufffd", text)


def cell_text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if hasattr(value, "isoformat"):
        value = value.isoformat()
    text = unicodedata.normalize("NFC", str(value)).strip()
    return text or None


def validate_rows(
    table: RawTable,
    name: str,
    *,
    languages: Sequence[str] = DEFAULT_LANGUAGES,
    default_language: str = "nb",
    default_group: str | None = None,
) -> tuple[list[PersonRow], list[Rejected]]:
    """Every row checked on its own and against the rows above it (duplicates)."""
    mapping = map_headers(table.headers, name)
    good: list[PersonRow] = []
    rejected: list[Rejected] = []
    seen: dict[str, dict[str, int]] = {"name_address": {}, "phone": {}, "email": {}}
    for number, cells in table.rows:
        raw = {key: (cells[i] if i < len(cells) else None) for key, i in mapping.items()}
        if all(blank(v) for v in raw.values()):
            continue  # a row with text only in columns we do not read
        problems = _control_characters(number, raw)
        clean = {k: (None if any(p.column == k for p in problems) else v) for k, v in raw.items()}
        person = _validate_row(
            number, clean, problems, table.from_xlsx, languages, default_language, default_group
        )
        if person is not None:
            for kind, key in (
                ("name_address", person.name_address_key),
                ("phone", person.phone_key),
                ("email", person.email_key),
            ):
                if key and key in seen[kind]:
                    what = {
                        "name_address": "name and address",
                        "phone": "phone number",
                        "email": "e-mail address",
                    }[kind]
                    problems.append(Problem(number, None, f"same {what} as row {seen[kind][key]}"))
        if problems:
            shown = {k: _shown(cell_text(v)) for k, v in raw.items()}
            if "name" not in shown:
                parts = (shown.get("first_name"), shown.get("last_name"))
                shown["name"] = " ".join(p for p in parts if p) or None
            rejected.append(Rejected(number, shown, tuple(problems)))
            continue
        assert person is not None
        for kind, key in (
            ("name_address", person.name_address_key),
            ("phone", person.phone_key),
            ("email", person.email_key),
        ):
            if key:
                seen[kind][key] = number
        good.append(person)
    return good, rejected


def _validate_row(
    number, raw, problems, from_xlsx, languages, default_language, default_group
) -> PersonRow | None:
    def text(key: str) -> str | None:
        value = cell_text(raw.get(key))
        if value is not None and len(value) > MAX_CELL_CHARS:
            problems.append(
                Problem(
                    number, key, f"too long ({len(value)} characters; at most {MAX_CELL_CHARS})"
                )
            )
            return None
        return value

    name = text("name")
    if "name" not in raw:  # the name comes in two columns (both present, see map_headers)
        name = " ".join(part for part in (text("first_name"), text("last_name")) if part) or None
    if not name and not any(p.column in ("name", "first_name", "last_name") for p in problems):
        problems.append(Problem(number, "name", "the name is missing"))
    address, city = text("address"), text("city")
    postcode = _postcode(number, raw.get("postcode"), problems, from_xlsx)
    phone = text("phone")
    if phone is not None:
        if not _PHONE_CHARS_RE.match(phone):
            problems.append(Problem(number, "phone", f"'{_short(phone)}' is not a phone number"))
            phone = None
        else:
            digits = re.sub(r"\D", "", phone)
            if not 8 <= len(digits) <= 15:
                problems.append(
                    Problem(
                        number,
                        "phone",
                        f"'{_short(phone)}' is not a phone number "
                        "(8 digits, or + and country code)",
                    )
                )
                phone = None
    email = text("email")
    if email is not None and not _EMAIL_RE.match(email):
        problems.append(Problem(number, "email", f"'{_short(email)}' is not an e-mail address"))
        email = None
    language_text = text("language")
    if language_text is None:
        language = default_language
    else:
        language = LANGUAGE_ALIASES.get(language_text.casefold(), language_text.casefold())
        if language not in languages:
            problems.append(
                Problem(
                    number,
                    "language",
                    f"unknown language '{_short(language_text)}' (use {', '.join(languages)})",
                )
            )
    group = text("group") or default_group
    profile = {key: _profile_cell(number, key, raw.get(key), problems) for key in PROFILE_WORDS}
    has_address = bool(address or postcode or city)
    if has_address and not (address and postcode and city):
        missing = [
            k
            for k, v in (("address", address), ("postcode", postcode), ("city", city))
            if not v and not any(p.column == k for p in problems)
        ]
        if missing:
            problems.append(
                Problem(
                    number,
                    missing[0],
                    f"the postal address is incomplete ({', '.join(missing)} missing)",
                )
            )
    if not (address or phone or email) and not problems:
        problems.append(Problem(number, None, "no address, phone or e-mail to reach the person"))
    if problems or not name:
        return None
    return PersonRow(
        number, name, address, postcode, city, language, group, phone, email, **profile
    )


#: The format-profile columns, the words each takes beyond yes and no, and the hint.
PROFILE_WORDS: dict[str, tuple[dict[str, bool] | None, str]] = {
    "large_print": (None, YES_NO_HINT),
    "two_sided": (TWO_SIDED_WORDS, TWO_SIDED_HINT),
    "easy_read": (EASY_READ_WORDS, EASY_READ_HINT),
}


def _profile_cell(number: int, key: str, value: Any, problems: list[Problem]) -> bool | None:
    try:
        words, hint = PROFILE_WORDS[key]
        return parse_choice(value, words, hint)
    except FormatProfileError as exc:
        problems.append(Problem(number, key, exc.message))
        return None


def _postcode(number: int, value: Any, problems: list[Problem], from_xlsx: bool) -> str | None:
    if blank(value):
        return None
    if from_xlsx and isinstance(value, int | float) and not isinstance(value, bool):
        if float(value).is_integer() and 0 <= value < 10_000:
            return f"{int(value):04d}"  # Excel dropped the leading zero of 0150
    text = cell_text(value) or ""
    if re.fullmatch(r"\d{4}", text):
        return text
    hint = ""
    if re.fullmatch(r"\d{1,3}", text):
        hint = " (did a leading zero get lost? write it as text, like 0150)"
    problems.append(
        Problem(number, "postcode", f"'{_short(text)}' is not a postcode (four digits){hint}")
    )
    return None


def _short(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"

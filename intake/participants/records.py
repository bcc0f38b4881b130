"""What a participant import reads, finds wrong and returns (plain frozen records)."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from forms.errors import UserError

#: The fields of a person, in the order files and exports list them.
FIELDS = ("name", "address", "postcode", "city", "language", "group", "phone", "email")
#: The optional format-profile columns (intake.format_profiles), after FIELDS.
PROFILE_FIELDS = ("large_print", "two_sided", "easy_read")


class ParticipantImportError(UserError):
    """The participant file is unreadable or has invalid rows; nothing was stored."""

    def __init__(self, message: str, *, file: str | None = None, problems: Sequence[Problem] = ()):
        self.problems = tuple(problems)
        super().__init__(message, file=file)


@dataclass(frozen=True)
class Problem:
    row: int  # row number in the file, header = 1
    column: str | None
    message: str

    def format(self) -> str:
        where = f"row {self.row}" + (f", {self.column}" if self.column else "")
        return f"{where}: {self.message}"


@dataclass(frozen=True)
class PersonRow:
    row: int
    name: str
    address: str | None
    postcode: str | None
    city: str | None
    language: str
    group: str | None
    phone: str | None
    email: str | None
    # the format profile's optional columns: None when the cell was blank or absent
    large_print: bool | None = None
    two_sided: bool | None = None
    easy_read: bool | None = None

    @property
    def has_profile(self) -> bool:
        return bool(self.large_print) or self.two_sided is not None or self.easy_read is not None

    @property
    def name_address_key(self) -> str | None:
        if not (self.address and self.postcode):
            return None
        return "|".join(fold(v) for v in (self.name, self.address, self.postcode))

    @property
    def phone_key(self) -> str | None:
        return phone_key(self.phone) if self.phone else None

    @property
    def email_key(self) -> str | None:
        return self.email.strip().casefold() if self.email else None


@dataclass(frozen=True)
class RawTable:
    headers: tuple[str, ...]
    rows: tuple[tuple[int, tuple[Any, ...]], ...]  # (row number, cells)
    from_xlsx: bool


@dataclass(frozen=True)
class Rejected:
    row: int
    cells: dict[str, Any]
    problems: tuple[Problem, ...]


@dataclass(frozen=True)
class ImportResult:
    imported: tuple[str, ...]  # participant codes, in file order
    rejected: tuple[Rejected, ...] = field(default_factory=tuple)
    headers: tuple[str, ...] = ()


def fold(text: str) -> str:
    return re.sub(r"\s+", " ", unicodedata.normalize("NFC", text)).strip().casefold()


def phone_key(phone: str) -> str:
    digits = re.sub(r"\D", "", phone)
    if phone.strip().startswith("+47") or (len(digits) == 10 and digits.startswith("47")):
        digits = digits[2:]
    if digits.startswith("0047"):
        digits = digits[4:]
    return digits

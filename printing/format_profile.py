"""A person's format profile and the one rule that says how a document is printed for them.

A :class:`FormatProfile` is stored once per person (intake.format_profiles reads
and writes it) and every printer takes the *effective* profile of
:func:`effective_profile`: the person's own, then what the command line or the
web form forces for one run. Nothing else decides a letter's language, print
size, sheets or easy-read variant.

- ``language``: the person's language (the participant's ``language``).
- ``large_print``: 18 pt text and 7.5 mm boxes (geometry's ``large`` profile).
- ``two_sided``: ``None`` prints as the run prints (two-sided unless
  ``--simplex``); ``False`` asks for one side only: on a two-sided run every
  page of their pack gets a blank back, so it reads one-sided and still starts
  on a sheet of its own. ``True`` in a ``--simplex`` run cannot be honoured
  (the printer prints one side): the pack is printed one-sided.
- ``easy_read``: ``None`` is the study's default (letters in their easy-to-read
  variant where the study wrote one, the information letter in its standard
  text); ``True`` uses the easy variant of every text that has one (also the
  information letter's study texts); ``False`` the standard text everywhere.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from enum import StrEnum


class Sheets(StrEnum):
    """How one person's pack goes on paper."""

    TWO_SIDED = "two-sided"  # both sides; each form starts on a new sheet; even page count
    ONE_SIDED = "one-sided"  # a two-sided run, but every page gets a blank back
    SIMPLEX = "simplex"  # a one-sided printer: one page per sheet, no blank pages


@dataclass(frozen=True)
class FormatProfile:
    """How one person wants their paper: language, print size, sides, easy-read."""

    language: str = "nb"
    large_print: bool = False
    two_sided: bool | None = None
    easy_read: bool | None = None

    @property
    def print_profile(self) -> str:
        """The layout profile (printing.geometry.PROFILES): ``large`` or ``standard``."""
        return "large" if self.large_print else "standard"

    @property
    def easy_letters(self) -> bool:
        """Letters in their easy-to-read variant (where the study wrote one)."""
        return self.easy_read is not False

    @property
    def easy_information(self) -> bool:
        """The information letter's study texts in their easy variant (where written)."""
        return self.easy_read is True

    def describe(self) -> str:
        """A short English summary for manifests and staff pages: ``nb, large print``."""
        parts = [self.language]
        if self.large_print:
            parts.append("large print")
        if self.two_sided is False:
            parts.append("one-sided")
        elif self.two_sided is True:
            parts.append("two-sided")
        if self.easy_read is True:
            parts.append("easy-read")
        elif self.easy_read is False:
            parts.append("standard text")
        return ", ".join(parts)


@dataclass(frozen=True)
class PrintOverride:
    """What one run forces on everybody: ``--large-print`` / ``--no-large-print``, ``--simplex``.

    ``large_print`` ``None`` keeps each person's own choice.
    """

    large_print: bool | None = None
    duplex: bool = True

    @classmethod
    def from_profile_name(cls, profile: str | None, *, duplex: bool = True) -> PrintOverride:
        """From a run's ``profile`` option: ``None`` (each person's own), large, standard."""
        if profile is None:
            return cls(None, duplex)
        if profile not in ("standard", "large"):
            raise ValueError(f"unknown print profile {profile!r}")
        return cls(profile == "large", duplex)


def effective_profile(
    person: FormatProfile, override: PrintOverride | None = None
) -> FormatProfile:
    """The profile a document is printed with: the person's, then the run's override."""
    if override is None or override.large_print is None:
        return person
    return replace(person, large_print=override.large_print)


def sheets_for(profile: FormatProfile, *, duplex: bool) -> Sheets:
    """How a pack for ``profile`` goes on paper in a run that is ``duplex`` or not."""
    if not duplex:
        return Sheets.SIMPLEX
    return Sheets.ONE_SIDED if profile.two_sided is False else Sheets.TWO_SIDED

"""The one reader and writer of a person's stored format profile.

``profile_of(participant)`` is how every printer learns a person's profile
(printing.format_profile.FormatProfile); nothing else reads the
``format_profiles`` columns. ``set_profile`` changes it (the recruiter's page,
the participant import), and ``parse_choice`` reads a yes/no cell of a
participant list or a form field.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from forms.errors import UserError
from printing.format_profile import FormatProfile

from .models import FormatProfileRecord, Participant, ParticipantStatus, utcnow

#: What a yes/no cell may say (any case), in Norwegian and English; blank is "not said".
YES = ("ja", "j", "yes", "y", "x", "1", "true", "sann")
NO = ("nei", "n", "no", "0", "false", "usann")
#: Words that say the side directly in a `tosidig` / `two_sided` column.
TWO_SIDED_WORDS = {
    "tosidig": True,
    "two-sided": True,
    "two sided": True,
    "dupleks": True,
    "duplex": True,
    "ensidig": False,
    "one-sided": False,
    "one sided": False,
    "simpleks": False,
    "simplex": False,
}
#: Words that say the variant directly in a `lettlest` / `easy_read` column.
EASY_READ_WORDS = {
    "lettlest": True,
    "easy": True,
    "easy-read": True,
    "standard": False,
    "vanlig": False,
}


class FormatProfileError(UserError):
    """A format-profile value cannot be read (a cell, a form field)."""


YES_NO_HINT = "write ja or nei (yes or no)"
TWO_SIDED_HINT = "write ja or nei, tosidig or ensidig (yes or no, two-sided or one-sided)"
EASY_READ_HINT = "write ja or nei, lettlest or standard (yes or no, easy-read or standard)"


def parse_choice(
    value: Any, words: dict[str, bool] | None = None, hint: str = YES_NO_HINT
) -> bool | None:
    """``True``, ``False`` or ``None`` (blank) from a cell; raises for anything else."""
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, int | float):
        if value in (0, 1):
            return bool(value)
        number = int(value) if float(value).is_integer() else value
        raise FormatProfileError(f"'{number}' is not a choice here: {hint}")
    text = str(value).strip().casefold()
    if not text:
        return None
    if text in YES:
        return True
    if text in NO:
        return False
    if words and text in words:
        return words[text]
    shown = str(value).strip()
    shown = shown if len(shown) <= 40 else shown[:39] + "…"
    raise FormatProfileError(f"'{shown}' is not a choice here: {hint}")


def profile_of(participant: Participant) -> FormatProfile:
    """The person's stored format profile (defaults when nothing was said)."""
    stored = participant.format_profile
    if stored is None:
        return FormatProfile(participant.language)
    return FormatProfile(
        participant.language, bool(stored.large_print), stored.two_sided, stored.easy_read
    )


def profile_columns(profile: FormatProfile) -> dict[str, bool | None]:
    """The stored columns of ``profile`` (for bulk inserts: intake.participants.store)."""
    return {
        "large_print": profile.large_print,
        "two_sided": profile.two_sided,
        "easy_read": profile.easy_read,
    }


def is_default(profile: FormatProfile) -> bool:
    return not profile.large_print and profile.two_sided is None and profile.easy_read is None


def set_profile(
    session: Session, participant: Participant, profile: FormatProfile, *, actor: str
) -> FormatProfile:
    """Store ``profile`` for ``participant`` (its language goes on the participant row).

    A profile that says nothing beyond the language leaves no row behind. An
    erased person's profile is gone with them and is not written again.
    """
    if participant.status == ParticipantStatus.ERASED:
        raise FormatProfileError(f"participant {participant.code} is erased")
    participant.language = profile.language
    stored = participant.format_profile
    if is_default(profile):
        if stored is not None:
            participant.format_profile = None
            session.flush()
        return profile_of(participant)
    if stored is None:
        stored = FormatProfileRecord(participant_id=participant.id)
        participant.format_profile = stored
    stored.large_print = profile.large_print
    stored.two_sided = profile.two_sided
    stored.easy_read = profile.easy_read
    stored.updated_at = utcnow()
    stored.updated_by = actor
    session.flush()
    return profile_of(participant)

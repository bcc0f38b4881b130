"""The rules every way into a form shares: YAML, XLSForm and REDCap import, checks.

A form may come from a study folder's YAML or from a spreadsheet, and both must
agree on what an id is, what a language code looks like and which study fields
are texts a citizen reads; so those rules are written here once.
"""

from __future__ import annotations

import re

#: Stable keys (ids, choice values): what spreadsheets and the database store.
ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9_-]{0,62}$")
#: A language code: ``nb``, ``en``, ``se``, ``prs``, with an optional region (``pt-BR``).
LANGUAGE_PATTERN = re.compile(r"^[a-z]{2,3}(-[a-zA-Z0-9]{2,8})?$")

#: The study's text fields (each a :class:`forms.model.Text`), in the order the
#: Sikt-style information letter uses them. Loading, the readability check and
#: anything else that walks "every study text" read this one list.
STUDY_TEXT_FIELDS: tuple[str, ...] = (
    "title",
    "purpose",
    "why_asked",
    "mediated_by",
    "participation",
    "data_collected",
    "no_effect_on_services",
    "access",
    "storage",
    "recognisable",
    "end_of_project",
    "rights",
    "legal_basis",
)
#: Study texts a study may leave out (only studies reached through NAV or a municipality
#: say who passed the letter on).
OPTIONAL_STUDY_TEXT_FIELDS: frozenset[str] = frozenset({"mediated_by"})
#: The study texts every study must have.
REQUIRED_STUDY_TEXT_FIELDS: tuple[str, ...] = tuple(
    name for name in STUDY_TEXT_FIELDS if name not in OPTIONAL_STUDY_TEXT_FIELDS
)


def tidy(text: str) -> str:
    """A text as stored: without the spaces at line ends and the blank lines around it.

    Trailing spaces and the final newline of a YAML block scalar (or of a
    spreadsheet cell) are not content, and must not change a text's version.
    """
    return "\n".join(line.rstrip() for line in text.strip().splitlines())

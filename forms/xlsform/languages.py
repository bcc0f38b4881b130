"""Languages of an XLSForm: the codes and names found in headers and settings.

Names are looked up in ``langcodes``' table of language names (from Unicode
CLDR and the IANA registry, in every language it covers: "Tetun", "Tetum",
"Português", "Kiswahili", "Norsk bokmål" all resolve), not in a hand list.
"""

from __future__ import annotations

import re
from collections.abc import Container, Mapping
from functools import cache

import langcodes
from language_data.names import load_trie, normalize_name
from language_data.util import data_filename

from forms.rules import LANGUAGE_PATTERN

from .problems import Problems

#: Where the table's answer is not the code a Norwegian form means. "Norsk" and
#: "Norwegian" name the macrolanguage ``no``, but a Norwegian form is written in
#: bokmål or nynorsk, and Deltaker's texts are keyed ``nb``/``nn``: plain
#: Norwegian is bokmål, as in most Norwegian software.
PREFERRED_CODES: Mapping[str, str] = {"no": "nb"}

#: Names the table has no entry for that XLSForms in Norway use: "Sámi" names a
#: group of languages, and in a Norwegian form it is Northern Sámi.
LANGUAGE_NAMES: Mapping[str, str] = {"sami": "se", "sámi": "se", "samisk": "se"}


@cache
def _names() -> Container[str]:
    # The table's own exact lookup: langcodes.find also takes a name with letters
    # added ("Klingonish" -> Klingon), and a typo must be an error, not a guess.
    names: Container[str] = load_trie(data_filename("trie/und/name_to_language.marisa"))
    return names


def _by_name(name: str) -> str | None:
    if normalize_name(name) not in _names():
        return None
    try:
        found = langcodes.find(name)
    except LookupError:
        return None
    return str(found)


def _by_code(code: str) -> str | None:
    """A bare code (``nb``, ``pt-br``) when it is a real one, in its shortest form
    (``ewe`` -> ``ee``)."""
    if not LANGUAGE_PATTERN.match(code) or not langcodes.tag_is_valid(code):
        return None
    return langcodes.standardize_tag(code).lower()


def language_code(name: str) -> str | None:
    """The language code for a header's language part, or None when it is not known.

    "English (en)" -> "en"; "Norsk" -> "nb"; "Tetun" -> "tet"; "nb" -> "nb"; "Klingonish" -> None.
    """
    name = name.strip()
    bracket = re.fullmatch(r".*\(\s*([A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,8})?)\s*\)", name)
    if bracket:
        return bracket.group(1).lower()
    low = " ".join(name.lower().split())
    if not low:
        return None
    code = LANGUAGE_NAMES.get(low) or _by_code(low) or _by_name(low)
    return PREFERRED_CODES.get(code, code) if code else None


def default_language_of(settings: Mapping[str, str], errs: Problems) -> str:
    """The settings' default_language as a code; ``en`` when none is given."""
    given = settings.get("default_language")
    if not given:
        return "en"
    code = language_code(given)
    if code is None:
        errs.add(
            f"default_language {given!r} is not a language Deltaker knows; write it with "
            "its code, e.g. 'Norsk (nb)'",
            "settings",
        )
        return "en"
    return code

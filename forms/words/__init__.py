"""Every word a citizen reads that is not written by the study: one table, per area.

Each module holds one area's words, keyed key → {language: text}, in bokmål
(``nb``), nynorsk (``nn``) and English (``en``). ``forms.phrases`` joins them
into the one table that printing, the web pages and the letters look words up
in, and that the readability test reads from end to end. The citizens' web
words are also written in more languages, one module per language in
``forms/words/translations/``; ``joined`` adds them to their keys' entries.
"""

from __future__ import annotations

from collections.abc import Mapping

from . import letter, paper, records, web
from .translations import TRANSLATIONS

#: The areas, in the order their words are joined.
AREAS: Mapping[str, Mapping[str, Mapping[str, str]]] = {
    "paper": paper.WORDS,
    "web": web.WORDS,
    "records": records.WORDS,
    "letter": letter.WORDS,
}

#: The readability register each area is measured in; "easy" unless named here.
AREA_REGISTERS: Mapping[str, str] = {"letter": letter.REGISTER}


def joined() -> dict[str, Mapping[str, str]]:
    """All areas' words in one table; a key used by two areas is a mistake and stops here."""
    table: dict[str, Mapping[str, str]] = {}
    for area, words in AREAS.items():
        for key, entry in words.items():
            if key in table:
                raise ValueError(f"the word key {key!r} in forms/words/{area}.py is used twice")
            table[key] = entry
    for language, texts in TRANSLATIONS.items():
        for key, text in texts.items():
            if key not in table:
                raise ValueError(
                    f"forms/words/translations/{language}.py has the key {key!r}, which no area has"
                )
            table[key] = {**table[key], language: text}
    return table

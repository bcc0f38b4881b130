"""The one table of words citizens read, on paper and on the web, and its lookup.

One entry per key, every entry in bokmål (``nb``), nynorsk (``nn``) and English
(``en``). Texts are for citizens: short sentences, everyday words, "du", no
abbreviations; tests/forms/test_words.py runs the readability check over every
entry. ``phrase(key, language, **fmt)`` fills ``{placeholders}``. The words
printed on a form itself (:data:`FORM_WORDS`: how to mark a box, page numbers)
are written in Portuguese too, so an imported Portuguese form prints them in
Portuguese (:func:`has_form_words`).

Printing, the web pages and the letters about a person's data look their words
up here rather than writing their own, so a person sees the same instruction on
paper and on a phone. The words are kept per area in ``forms/words/``.
"""

from __future__ import annotations

import datetime as dt
import string
from collections.abc import Mapping

from forms.errors import UserError
from forms.words import joined
from forms.words.paper import FORM_KEYS

#: Languages every phrase is written in.
LANGUAGES: tuple[str, ...] = ("nb", "nn", "en")

#: Languages the citizens' web words are written in (forms/words/web.py and the receipt's
#: words of records.py; the others in forms/words/translations/). Paper words are in
#: LANGUAGES only, so a study in another language prints its fixed words in its
#: fallback language (printing.texts) until they are written.
WEB_LANGUAGES: tuple[str, ...] = (*LANGUAGES, "ar", "pl", "uk", "so", "ti")

#: Languages the information letter's fixed wording is written in (forms/words/letter.py,
#: the others in forms/words/translations/): on the web page and on paper alike.
LETTER_LANGUAGES: tuple[str, ...] = WEB_LANGUAGES


class PhraseError(UserError):
    """An unknown phrase key or language, or a placeholder that was not filled in."""


#: Every citizen-facing word, key → {language: text} (the areas live in forms/words/).
PHRASES: Mapping[str, Mapping[str, str]] = joined()

#: The words printed on a form itself (instructions, page furniture); some languages
#: beyond the three have these and no more (forms/words/paper.py).
FORM_WORDS: tuple[str, ...] = FORM_KEYS


def has_form_words(language: str) -> bool:
    """Whether a form in ``language`` prints its instructions in that language."""
    return all(language in PHRASES[key] for key in FORM_WORDS)


#: Each language's name in itself, for the language switch.
LANGUAGE_NAMES: Mapping[str, str] = {"nb": "Bokmål", "nn": "Nynorsk", "en": "English"}

_MONTHS: Mapping[str, tuple[str, ...]] = {
    "nb": (
        "januar",
        "februar",
        "mars",
        "april",
        "mai",
        "juni",
        "juli",
        "august",
        "september",
        "oktober",
        "november",
        "desember",
    ),
    "nn": (
        "januar",
        "februar",
        "mars",
        "april",
        "mai",
        "juni",
        "juli",
        "august",
        "september",
        "oktober",
        "november",
        "desember",
    ),
    "en": (
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ),
    # dates as the web pages write them in the other web languages: "31 grudnia 2027"
    "ar": (
        "يناير",
        "فبراير",
        "مارس",
        "أبريل",
        "مايو",
        "يونيو",
        "يوليو",
        "أغسطس",
        "سبتمبر",
        "أكتوبر",
        "نوفمبر",
        "ديسمبر",
    ),
    "pl": (  # the genitive, as a date says it
        "stycznia",
        "lutego",
        "marca",
        "kwietnia",
        "maja",
        "czerwca",
        "lipca",
        "sierpnia",
        "września",
        "października",
        "listopada",
        "grudnia",
    ),
    "uk": (  # the genitive, as a date says it
        "січня",
        "лютого",
        "березня",
        "квітня",
        "травня",
        "червня",
        "липня",
        "серпня",
        "вересня",
        "жовтня",
        "листопада",
        "грудня",
    ),
    "so": (
        "Janaayo",
        "Febraayo",
        "Maarso",
        "Abriil",
        "Maajo",
        "Juun",
        "Luuliyo",
        "Agoosto",
        "Sebtembar",
        "Oktoobar",
        "Nofembar",
        "Desembar",
    ),
    "ti": (  # the Gregorian months as Eritrea names them
        "ጥሪ",
        "ለካቲት",
        "መጋቢት",
        "ሚያዝያ",
        "ግንቦት",
        "ሰነ",
        "ሓምለ",
        "ነሓሰ",
        "መስከረም",
        "ጥቅምቲ",
        "ሕዳር",
        "ታሕሳስ",
    ),
}

#: "and" before a list's last word; Arabic writes it joined to the word ("أ، ب وج").
_AND: Mapping[str, str] = {
    "nb": "og ",
    "nn": "og ",
    "en": "and ",
    "ar": "و",
    "pl": "i ",
    "uk": "і ",
    "so": "iyo ",
    "ti": "ከምኡ’ውን ",
}

#: The comma between a list's words where it is not ", ".
_COMMA: Mapping[str, str] = {"ar": "، ", "ti": "፣ "}


def _check_language(language: str) -> None:
    if language not in LANGUAGES:
        raise PhraseError(
            f"no standard texts in language {language!r}; choose one of {', '.join(LANGUAGES)}"
        )


def has_phrase(key: str, language: str) -> bool:
    """Whether the standard text ``key`` is written in ``language``."""
    return language in PHRASES.get(key, {})


def known_language(language: str, fallback: str) -> str:
    """``language`` when the table has it, else ``fallback`` (for forms in other languages)."""
    return language if language in LANGUAGES else fallback


def phrase(key: str, language: str, **fmt: object) -> str:
    """The standard text ``key`` in ``language``, with ``{placeholders}`` filled from ``fmt``.

    Raises :class:`PhraseError` for an unknown key or language, or when a
    placeholder the text needs is missing (a half-filled text must never print).
    """
    entry = PHRASES.get(key)
    if entry is None:
        raise PhraseError(f"unknown standard text {key!r}")
    template = entry.get(language)
    if template is None:
        _check_language(language)  # names the languages every text is written in
        raise PhraseError(f"standard text {key!r} is not written in {language!r}")
    needed = placeholders(key)
    missing = sorted(needed - fmt.keys())
    if missing:
        raise PhraseError(
            f"standard text {key!r} needs {', '.join(missing)}; "
            f"call phrase({key!r}, {language!r}, {', '.join(f'{m}=...' for m in missing)})"
        )
    return template.format(**fmt) if needed else template


def placeholders(key: str) -> frozenset[str]:
    """The ``{names}`` the text ``key`` needs (the same in every language)."""
    entry = PHRASES.get(key)
    if entry is None:
        raise PhraseError(f"unknown standard text {key!r}")
    names: set[str] = set()
    for text in entry.values():
        names.update(name for _, name, _, _ in string.Formatter().parse(text) if name)
    return frozenset(names)


def format_date(date: dt.date, language: str) -> str:
    """A date written out for people: "31. desember 2027" / "31 December 2027"."""
    if language not in _MONTHS:
        _check_language(language)
    month = _MONTHS[language][date.month - 1]
    if language not in ("nb", "nn"):  # the ordinal full stop is Norwegian
        return f"{date.day} {month} {date.year}"
    return f"{date.day}. {month} {date.year}"


def join_list(words: list[str] | tuple[str, ...], language: str) -> str:
    """ "a, b og c" / "a, b and c": a list in a sentence (in the letter languages)."""
    if language not in _AND:
        _check_language(language)
    words = [w for w in words if w]
    if len(words) <= 1:
        return "".join(words)
    comma = _COMMA.get(language, ", ")
    return f"{comma.join(words[:-1])} {_AND[language]}{words[-1]}"

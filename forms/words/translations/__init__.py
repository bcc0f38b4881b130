"""The citizens' web words and the information letter in more languages: one module each.

The areas in ``forms/words/`` hold every word in nb, nn and en. The citizens'
web pages (``web.py``, and the words of ``records.py`` the web pages show: the
receipt, the states of a consent, the time of day) and the information letter's
fixed wording (``letter.py``, and the consent declaration's signature lines of
``paper.py``) are written here also in Arabic (``ar``), Polish (``pl``),
Ukrainian (``uk``), Somali (``so``) and Tigrinya (``ti``), one file per language
so a translator works in one file: ``WORDS`` holds the web words, ``LETTER`` the
letter's. ``forms.words.joined`` adds both to the one table; a key here that no
area has stops the import. tests/forms/test_words_languages.py and
tests/forms/test_letter_languages.py check that every key is in every one of these
languages, with the same placeholders, and that each text passes the sentence check.

The texts are written like the Norwegian ones: short sentences, "you" (du),
everyday words. The Somali and Tigrinya texts are a first version; a native
speaker should read them before a study uses them (docs/languages.md).
"""

from __future__ import annotations

from collections.abc import Mapping

from . import ar, pl, so, ti, uk

#: The words of records.py the citizens' web pages show (the receipt page, the consents
#: page's headings, a consent's state, the time of day): written in every web language.
WEB_KEYS_FROM_RECORDS: tuple[str, ...] = (
    "at_time",
    "your_code",
    "receipt_title",
    "receipt_intro",
    "receipt_version",
    "receipt_reference",
    "receipt_change",
    "receipt_yes_heading",
    "receipt_yes_none",
    "receipt_no_heading",
    "receipt_withdrawn_heading",
    "receipt_not_asked_heading",
    "receipt_about_heading",
    "receipt_withdraw_heading",
    "receipt_withdraw_web",
    "receipt_withdraw_slip",
    "receipt_withdraw_phone",
    "state_granted",
    "state_declined",
    "state_withdrawn",
    "state_not asked",
)

#: The words of paper.py the information letter's consent declaration uses (its signature
#: lines): written in every letter language with the letter's own words.
LETTER_KEYS_FROM_PAPER: tuple[str, ...] = ("signature", "date", "name_block_letters")

_MODULES = {"ar": ar, "pl": pl, "uk": uk, "so": so, "ti": ti}

#: language -> {key: text}: the citizens' web words.
WEB_TRANSLATIONS: Mapping[str, Mapping[str, str]] = {
    language: module.WORDS for language, module in _MODULES.items()
}

#: language -> {key: text}: the information letter's fixed wording.
LETTER_TRANSLATIONS: Mapping[str, Mapping[str, str]] = {
    language: module.LETTER for language, module in _MODULES.items()
}

#: language -> {key: text}: both, as ``forms.words.joined`` adds them to the table.
TRANSLATIONS: Mapping[str, Mapping[str, str]] = {
    language: {**module.WORDS, **module.LETTER} for language, module in _MODULES.items()
}

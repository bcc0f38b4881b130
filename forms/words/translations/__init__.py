"""The citizens' web words in more languages: one module per language, key -> text.

The areas in ``forms/words/`` hold every word in nb, nn and en. The citizens'
web pages (``web.py``, and the words of ``records.py`` the web pages show: the
receipt, the states of a consent, the time of day) are written here also in
Arabic (``ar``), Polish (``pl``), Ukrainian (``uk``), Somali (``so``) and
Tigrinya (``ti``), one file per language so a translator works in one file.
``forms.words.joined`` adds them to the one table; a key here that no area has
stops the import. tests/forms/test_words_languages.py checks that every web key
is in every one of these languages and that each text passes the sentence check.

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

#: language -> {key: text}
TRANSLATIONS: Mapping[str, Mapping[str, str]] = {
    "ar": ar.WORDS,
    "pl": pl.WORDS,
    "uk": uk.WORDS,
    "so": so.WORDS,
    "ti": ti.WORDS,
}

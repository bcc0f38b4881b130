"""The information letter's fixed wording in every letter language (issue 15 point 3).

The letter's words (forms/words/letter.py) are measured in the "plain" register, which has
no sentence limit and whose LIX is not measured in these languages; our own sentences are
held to the same 18 words as the nb, nn and en ones (tests/forms/test_information.py).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from forms.information import InformationLetterError, information_letter
from forms.load import load_study
from forms.phrases import LANGUAGES, LETTER_LANGUAGES, PHRASES, join_list, phrase
from forms.readability import measure, split_sentences
from forms.words import letter
from forms.words.translations import LETTER_KEYS_FROM_PAPER, LETTER_TRANSLATIONS
from tests.forms.test_information import MAX_FIXED_SENTENCE_WORDS
from tests.forms.test_words import SAMPLE

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "hverdagen-nb-ar-pl"
LETTER_KEYS = sorted({*letter.WORDS, *LETTER_KEYS_FROM_PAPER})
MORE = [lang for lang in LETTER_LANGUAGES if lang not in LANGUAGES]
#: the one sentence quoted from Sikt's formula, as in test_information
QUOTED = {"letter_declaration"}
#: words that are the same in the language and in bokmål ("telefon" is Polish too)
SAME_WORD = {("pl", "letter_phone")}


def _names(text: str) -> set[str]:
    return set(re.findall(r"\{(\w+)\}", text))


def test_the_letter_languages_are_the_eight_the_issue_names():
    assert set(LETTER_LANGUAGES) >= {"nb", "nn", "en", "ar", "pl", "uk", "so", "ti"}
    assert set(LETTER_TRANSLATIONS) == set(MORE)


@pytest.mark.parametrize("lang", MORE)
def test_a_letter_translation_has_every_letter_key_and_no_other(lang):
    assert set(LETTER_TRANSLATIONS[lang]) == set(LETTER_KEYS)
    empty = [key for key in LETTER_KEYS if not LETTER_TRANSLATIONS[lang][key].strip()]
    assert empty == []
    # a text the same as the English or bokmål one was not translated
    same = [
        key
        for key in LETTER_KEYS
        if LETTER_TRANSLATIONS[lang][key] in (PHRASES[key]["en"], PHRASES[key]["nb"])
        and (lang, key) not in SAME_WORD
    ]
    assert same == [], same


@pytest.mark.parametrize("lang", MORE)
@pytest.mark.parametrize("key", LETTER_KEYS)
def test_each_letter_text_has_the_bokmal_placeholders_and_short_sentences(key, lang):
    text = PHRASES[key][lang]
    assert _names(text) == _names(PHRASES[key]["nb"]), (key, lang)
    filled = phrase(key, lang, **{name: SAMPLE[name] for name in _names(text)})
    assert "{" not in filled
    assert measure(filled).problems(letter.REGISTER, lang) == [], (key, lang, filled)
    if key not in QUOTED:
        for sentence in split_sentences(filled):
            assert len(sentence) <= MAX_FIXED_SENTENCE_WORDS, (key, lang, " ".join(sentence))


#: "you can", once per right in letter_rights
YOU_CAN = {
    "nb": r"\bDu kan\b",
    "nn": r"\bDu kan\b",
    "en": r"\bYou can\b",
    "ar": r"(?<!\w)يمكنك(?!\w)",
    "pl": r"\bMożesz\b",
    "uk": r"\bможеш\b",
    "so": r"\bkartaa\b",
    "ti": r"(?<!\w)ትኽእል(?!\w)",
}


@pytest.mark.parametrize("lang", LETTER_LANGUAGES)
def test_the_rights_are_the_six_of_the_gdpr_and_datatilsynet_keeps_its_name(lang):
    # access, a copy, correction, erasure, restriction, portability: one sentence each
    assert len(re.findall(YOU_CAN[lang], PHRASES["letter_rights"][lang])) == 6
    assert "Datatilsynet" in PHRASES["letter_complaint"][lang]
    assert "Sikt" in PHRASES["letter_sikt_assessment"][lang]


def test_the_bokmal_rights_name_restriction_and_portability():
    rights = PHRASES["letter_rights"]
    assert "stanse bruken" in rights["nb"] and "i en fil" in rights["nb"]
    assert "stanse bruken" in rights["nn"] and "i ei fil" in rights["nn"]
    assert "stop using" in rights["en"] and "in a file" in rights["en"]


@pytest.mark.parametrize("lang", MORE)
def test_the_example_letter_in_each_language_has_no_fixed_word_of_another(lang):
    study = load_study(EXAMPLE)
    if lang not in study.languages:  # uk, so, ti: the same study, its Polish texts as lang
        study = _declared_as(study, lang)
    info = information_letter(study, lang, fallback="en")
    assert (info.language, info.fixed_language) == (lang, lang)
    whole = "\n".join(
        [
            *info.texts(),
            info.declaration.required_note,
            info.declaration.signature_label,
            *info.closing,
        ]
    )
    for key in letter.WORDS:
        for other in ("nb", "en"):
            fixed = PHRASES[key][other]
            if "{" in fixed or len(fixed) <= 3 or (lang, key) in SAME_WORD:
                continue  # "ved", "at": too short to search for
            assert fixed not in whole, (key, other)
    assert phrase("letter_required_note", lang) == info.declaration.required_note
    assert phrase("signature", lang) == info.declaration.signature_label


def _declared_as(study, lang):
    """The example with its Polish texts relabelled ``lang`` (the words are Deltaker's)."""
    import dataclasses

    from forms.model import Text

    def relabel(value):
        if isinstance(value, Text):
            values = dict(value.values)
            if "pl" in values:
                values[lang] = values.pop("pl")
            return dataclasses.replace(value, values=values, easy={})
        return value

    changes = {f.name: relabel(getattr(study, f.name)) for f in dataclasses.fields(study)}
    changes["consent_items"] = tuple(
        dataclasses.replace(ci, text=relabel(ci.text)) for ci in study.consent_items
    )
    changes["languages"] = (*[code for code in study.languages if code != "pl"], lang)
    return dataclasses.replace(study, **changes)


def test_a_language_without_letter_words_still_falls_back_or_stops():
    study = load_study(EXAMPLE)
    study = _declared_as(study, "fa")
    with pytest.raises(InformationLetterError, match="pass fallback='en'"):
        information_letter(study, "fa")
    assert information_letter(study, "fa", fallback="en").fixed_language == "en"
    assert information_letter(study, "fa", fallback="nb").fixed_language == "nb"


def test_lists_in_the_letter_languages():
    assert join_list(["A", "B", "C"], "pl") == "A, B i C"
    assert join_list(["A", "B"], "uk") == "A і B"
    assert join_list(["A", "B"], "so") == "A iyo B"
    assert join_list(["أ", "ب", "ج"], "ar") == "أ، ب وج"
    assert join_list(["ሀ", "ለ", "ሐ"], "ti") == "ሀ፣ ለ ከምኡ’ውን ሐ"
    assert join_list(["A", "B"], "nb") == "A og B"

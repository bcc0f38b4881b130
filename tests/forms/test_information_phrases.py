"""The shared standard texts (forms.phrases)."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from forms.errors import UserError
from forms.phrases import (
    FORM_WORDS,
    LANGUAGES,
    PHRASES,
    WEB_LANGUAGES,
    PhraseError,
    format_date,
    join_list,
    phrase,
    placeholders,
)

#: Easy language: no sentence in a standard text runs over this many words.
MAX_SENTENCE_WORDS = 15


def test_every_key_in_every_language_and_none_empty():
    assert len(PHRASES) >= 30
    for key, entry in PHRASES.items():
        # every text in nb, nn and en; the web's also in the other web languages;
        # the words printed on a form itself in Portuguese too
        extra = {"pt"} if key in FORM_WORDS else set()
        assert set(LANGUAGES) <= set(entry) <= set(WEB_LANGUAGES) | extra, key
        for lang, text in entry.items():
            assert text.strip() == text and text, (key, lang)


def test_placeholders_agree_across_languages():
    for key, entry in PHRASES.items():
        per_lang = {lang: set(re.findall(r"\{(\w+)\}", text)) for lang, text in entry.items()}
        assert len({frozenset(v) for v in per_lang.values()}) == 1, (key, per_lang)


def test_sentences_are_short():
    # The information letter's wording has its own rule (tests/forms/test_information.py:
    # 18 words, and Sikt's declaration formula quoted as Sikt writes it).
    from forms.words import letter

    for key, entry in PHRASES.items():
        if key in letter.WORDS:
            continue
        for lang, text in entry.items():
            # sentences end also at the Arabic question mark and the Ethiopic full stop
            for sentence in re.split(r"(?<=[.!?:؟።፧])\s+", text):
                assert len(sentence.split()) <= MAX_SENTENCE_WORDS, (key, lang, sentence)


def test_the_marking_instruction():
    assert phrase("marking_instruction", "en") == (
        "Put a cross in the box. Wrong box? Fill it in completely and put a cross in the right one."
    )
    assert phrase("marking_instruction", "nb").startswith("Sett et kryss i ruta.")
    assert phrase("marking_instruction", "nn").startswith("Set eit kryss i ruta.")


def test_formatting():
    assert phrase("page_x_of_y", "nb", x=1, y=3) == "Side 1 av 3"
    assert phrase("page_x_of_y", "en", x=2, y=2) == "Page 2 of 2"
    assert phrase("or_go_to_url", "nn", url="d.no") == "Eller gå til d.no og skriv inn svarkoden."
    assert phrase("questions_call", "en", name="Kari", phone="123") == (
        "Do you have questions? Call Kari on 123."
    )
    assert placeholders("page_x_of_y") == {"x", "y"}
    assert phrase("yes", "nb") == "Ja" and phrase("no", "en") == "No"


def test_unknown_key():
    with pytest.raises(PhraseError, match="unknown standard text 'nope'") as info:
        phrase("nope", "nb")
    assert isinstance(info.value, UserError)


@pytest.mark.parametrize("lang", ["de", "", "NB", "no"])
def test_unknown_language(lang):
    with pytest.raises(PhraseError, match="no standard texts in language"):
        phrase("yes", lang)


def test_missing_placeholder():
    with pytest.raises(PhraseError, match="needs y"):
        phrase("page_x_of_y", "nb", x=1)


def test_dates_and_lists():
    day = dt.date(2027, 5, 17)
    assert format_date(day, "nb") == "17. mai 2027"
    assert format_date(day, "nn") == "17. mai 2027"
    assert format_date(day, "en") == "17 May 2027"
    assert join_list(["NAV"], "nb") == "NAV"
    assert join_list(["A", "B", "C"], "nb") == "A, B og C"
    assert join_list(("A", "B"), "en") == "A and B"
    assert join_list([], "en") == ""


@pytest.mark.parametrize("lang", LANGUAGES)
def test_phrases_pass_the_easy_register(lang):
    from forms.readability import measure
    from forms.words import letter
    from tests.forms.test_words import SAMPLE as fill

    # the information letter's wording is measured in its own register (tests/forms/test_words.py)
    keys = [key for key in PHRASES if key not in letter.WORDS]
    texts = [phrase(key, lang, **{k: fill[k] for k in placeholders(key)}) for key in keys]
    assert measure("\n\n".join(texts)).problems("easy") == []


def test_form_words_make_a_language_printable():
    from forms.phrases import has_form_words

    assert [lang for lang in ("nb", "nn", "en", "pt", "tet", "sw") if has_form_words(lang)] == [
        "nb",
        "nn",
        "en",
        "pt",
    ]
    assert phrase("page_x_of_y", "pt", x=1, y=2) == "Página 1 de 2"
    # a letter's words are not in Portuguese: asking for one is the usual clear error
    with pytest.raises(PhraseError, match="no standard texts in language 'pt'"):
        phrase("voluntary", "pt")

"""The citizens' web words in every web language; directions, own names, dates; LIX per language."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import pytest

from forms.languages import direction, endonym, is_rtl
from forms.phrases import LANGUAGES, PHRASES, WEB_LANGUAGES, PhraseError, format_date, phrase
from forms.phrases import placeholders as needs
from forms.readability import LIX_LANGUAGES, NOT_MEASURED, lix_measured, measure
from forms.words import joined, web
from forms.words.translations import TRANSLATIONS, WEB_KEYS_FROM_RECORDS, WEB_TRANSLATIONS
from tests.forms.test_words import SAMPLE

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "hverdagen-nb-ar-pl"
WEB_KEYS = sorted({*web.WORDS, *WEB_KEYS_FROM_RECORDS})
MORE = [lang for lang in WEB_LANGUAGES if lang not in LANGUAGES]


def test_the_web_languages_are_at_least_the_eight_the_issue_names():
    assert set(WEB_LANGUAGES) >= {"nb", "nn", "en", "ar", "pl", "uk", "so", "ti"}
    assert set(TRANSLATIONS) == set(MORE)


@pytest.mark.parametrize("lang", WEB_LANGUAGES)
def test_every_web_key_is_written_in_every_web_language(lang):
    missing = [key for key in WEB_KEYS if not PHRASES[key].get(lang, "").strip()]
    assert missing == [], (lang, missing)


@pytest.mark.parametrize("lang", MORE)
def test_a_translation_has_only_web_keys_and_is_not_left_in_english(lang):
    assert set(WEB_TRANSLATIONS[lang]) == set(WEB_KEYS)
    # a text the same as the English one was not translated ("PDF" in brackets is fine)
    same = [k for k in WEB_KEYS if WEB_TRANSLATIONS[lang][k] == PHRASES[k]["en"] and k != "start"]
    assert same == [], same


@pytest.mark.parametrize("lang", MORE)
@pytest.mark.parametrize("key", WEB_KEYS)
def test_each_translation_fills_the_same_placeholders_and_has_short_sentences(key, lang):
    text = PHRASES[key][lang]
    english = PHRASES[key]["en"]
    assert set(re.findall(r"\{(\w+)\}", text)) == set(re.findall(r"\{(\w+)\}", english))
    filled = phrase(key, lang, **{name: SAMPLE[name] for name in needs(key)})
    # LIX is not measured in these languages; the sentence limit of easy language is
    assert measure(filled).problems("easy", lang) == [], (key, lang, filled)


def test_a_key_in_a_translation_that_no_area_has_stops_the_table(monkeypatch):
    from forms.words import translations

    monkeypatch.setitem(translations.TRANSLATIONS["pl"], "no_such_word", "Nie ma")
    with pytest.raises(ValueError, match="translations/pl.py has the key 'no_such_word'"):
        joined()


def test_paper_words_in_a_web_only_language_are_one_clear_error():
    assert phrase("next", "ar") == "التالي"
    with pytest.raises(PhraseError, match="no standard texts in language 'ar'"):
        phrase("marking_instruction", "ar")


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("ar", "rtl"),
        ("fa", "rtl"),
        ("prs", "rtl"),
        ("ps", "rtl"),
        ("ckb", "rtl"),
        ("ur", "rtl"),
        ("he", "rtl"),
        ("ar-EG", "rtl"),
        ("ku-Arab", "rtl"),
        ("ku", "ltr"),
        ("uz-Arab", "rtl"),
        ("sd-Deva", "ltr"),
        ("nb", "ltr"),
        ("pl", "ltr"),
        ("uk", "ltr"),
        ("so", "ltr"),
        ("ti", "ltr"),
    ],
)
def test_direction_from_the_table(code, expected):
    assert direction(code) == expected
    assert is_rtl(code) == (expected == "rtl")


def test_each_language_is_named_in_itself():
    assert [endonym(c) for c in WEB_LANGUAGES] == [
        "Bokmål",
        "Nynorsk",
        "English",
        "العربية",
        "Polski",
        "Українська",
        "Soomaali",
        "ትግርኛ",
    ]
    assert endonym("ar-EG") == "العربية"
    assert endonym("xx") == "xx"  # a code the table does not know shows as itself


def test_dates_in_the_web_languages():
    day = dt.date(2027, 12, 31)
    assert format_date(day, "nb") == "31. desember 2027"
    assert format_date(day, "en") == "31 December 2027"
    assert format_date(day, "pl") == "31 grudnia 2027"
    assert format_date(day, "uk") == "31 грудня 2027"
    assert format_date(day, "ar") == "31 ديسمبر 2027"
    assert format_date(dt.date(2027, 1, 5), "ti") == "5 ጥሪ 2027"
    with pytest.raises(PhraseError):
        format_date(day, "fa")


# --------------------------------------------------------------------------- LIX per language


def test_lix_is_measured_only_where_it_is_valid():
    assert {"nb", "nn", "en", "sv", "da"} <= LIX_LANGUAGES
    for lang in ("nb", "nn", "en", "sv", "nb-NO", None):
        assert lix_measured(lang), lang
    for lang in ("ar", "pl", "uk", "so", "ti", "fa", "fi"):
        assert not lix_measured(lang), lang


def test_a_text_lix_cannot_measure_gets_no_lix_warning_but_keeps_the_sentence_limit():
    # Polish with long inflected words: a LIX over 60, which would be a wrong warning
    text = " ".join(["Przedstawiciele samorządowych instytucji odpowiedzialnych pracowali."] * 6)
    r = measure(text)
    assert r.words >= 20 and r.lix > 60
    assert any("LIX" in p for p in r.problems("easy", "nb"))  # as if it were Norwegian
    assert r.problems("easy", "pl") == []
    long_sentence = " ".join(["słowo"] * 20) + "."
    assert measure(long_sentence).problems("easy", "pl") != []


def test_ethiopic_and_arabic_sentence_ends_end_sentences():
    assert measure("ሓደ ክልተ። ሰለስተ ኣርባዕተ።").sentences == 2
    assert measure("هل تعرف؟ نعم.").sentences == 2


def test_check_says_not_measured_for_arabic_and_polish(deltaker):
    result = deltaker("check", str(EXAMPLE))
    assert result.returncode == 0, result.stderr
    rows = [line for line in result.stdout.splitlines() if " easy " in line or " plain " in line]
    ar = [line for line in rows if re.search(r"\s(ar|pl)\s+(easy|plain)\s", line)]
    nb = [line for line in rows if re.search(r"\snb\s+(easy|plain)\s", line)]
    assert ar and all(NOT_MEASURED in line for line in ar)
    assert nb and not any(NOT_MEASURED in line for line in nb)
    data = json.loads(deltaker("check", str(EXAMPLE), "--json").stdout)
    by_lang = {t["language"]: t["lix"] for t in data["texts"] if "whole form" in t["where"]}
    assert by_lang["ar"] is None and by_lang["pl"] is None
    assert isinstance(by_lang["nb"], float)

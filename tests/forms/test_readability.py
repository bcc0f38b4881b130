"""LIX and sentence counts on texts counted by hand (counts in the comments)."""

from __future__ import annotations

import pytest

from forms.readability import (
    MIN_WORDS_FOR_LIX,
    citizen_texts,
    is_long_word,
    measure,
    split_sentences,
)
from tests.factories import make_study


def counts(text: str) -> tuple[int, int, int, float]:
    r = measure(text)
    return r.words, r.sentences, r.long_words, round(r.lix, 2)


def test_bokmal_by_hand():
    # "Kommunen inviterer familiene til samtaler om boligsituasjonen." 7 words;
    # "Vi serverer middag." 3 words. Long (> 6 letters): Kommunen, inviterer, familiene,
    # samtaler, boligsituasjonen, serverer = 6. LIX = 10/2 + 100*6/10 = 65.
    text = "Kommunen inviterer familiene til samtaler om boligsituasjonen. Vi serverer middag."
    assert counts(text) == (10, 2, 6, 65.0)


def test_nynorsk_by_hand_with_ae_o_a_as_letters():
    # "Dei tilsette får høyre kva familiane meiner." 7 words;
    # "Møta blir på kvelden, og det blir servert mat." 9 words.
    # Long: tilsette, familiane, kvelden, servert = 4. LIX = 16/2 + 100*4/16 = 33.
    text = (
        "Dei tilsette får høyre kva familiane meiner. "
        "Møta blir på kvelden, og det blir servert mat."
    )
    assert counts(text) == (16, 2, 4, 33.0)
    # "høyrast" has seven letters only if ø is a letter: 3 words, 1 long, LIX 3 + 33.33.
    assert counts("Dei må høyrast.") == (3, 1, 1, 36.33)
    assert is_long_word("kjærleik") and is_long_word("løysinga") and not is_long_word("søster")


def test_english_by_hand_with_abbreviations_and_decimals():
    # "The meeting lasts 1.5 hours, i.e. ninety minutes." 8 words (1.5 and i.e. one word each);
    # "Mr. Berg will come." 4 words. Long: meeting, minutes = 2. LIX = 6 + 16.67.
    text = "The meeting lasts 1.5 hours, i.e. ninety minutes. Mr. Berg will come."
    assert counts(text) == (12, 2, 2, 22.67)


def test_norwegian_abbreviations_decimals_dates_and_ordinals_do_not_end_sentences():
    # "Ta med f.eks. mat og drikke." 6 words; "Møtet varer ca. 2,5 timer." 5 words; no long words.
    assert split_sentences("Ta med f.eks. mat og drikke. Møtet varer ca. 2,5 timer.") == [
        ["Ta", "med", "f.eks.", "mat", "og", "drikke"],
        ["Møtet", "varer", "ca.", "2,5", "timer"],
    ]
    # One sentence: "Vi starter 1.3.2027 kl. 18." 5 words, 1 long (starter). LIX 5 + 20.
    assert counts("Vi starter 1.3.2027 kl. 18.") == (5, 1, 1, 25.0)
    # An ordinal date: "31. desember" does not end the sentence.
    assert counts("Prosjektet slutter 31. desember 2027.")[:2] == (5, 1)
    assert len(split_sentences("Du får svar bl.a. på e-post, dvs. i innboksen. Takk!")) == 2
    assert len(split_sentences("Ring K. Nordmann i dag. Hun svarer.")) == 2


def test_numbers_and_addresses_are_words_but_never_long():
    assert counts("Ring 12345678 eller 4799887766.") == (4, 1, 0, 4.0)
    assert split_sentences("Gå til deltaker.example.no. Eller sikt.no/hjelp.") == [
        ["Gå", "til", "\x00URL\x00"],
        ["Eller", "\x00URL\x00"],
    ]
    # An e-mail address and a web address are one word each; the final full stop still ends.
    assert split_sentences(
        "Skriv til ingrid.haugen@hifj.example.no eller https://deltaker.example.no/r. Takk."
    ) == [
        ["Skriv", "til", "\x00URL\x00", "eller", "\x00URL\x00"],
        ["Takk"],
    ]


def test_markdown_is_stripped_and_headings_and_list_items_are_sentences():
    # Sentences: "Velkommen" | "Du er velkommen til oss" | "Kaffe" | "Boller": 8 words,
    # 4 sentences, 2 long (Velkommen, velkommen). LIX = 2 + 25 = 27.
    text = "# Velkommen\n\nDu er **velkommen** til [oss](https://x.no).\n\n- Kaffe\n- Boller\n"
    assert counts(text) == (8, 4, 2, 27.0)
    assert measure(text).longest_sentence == 5


def test_question_exclamation_and_colon_end_sentences():
    assert len(split_sentences("Vil du være med? Så fint! Ring oss: Vi svarer.")) == 4


def test_paragraph_break_ends_a_sentence_but_a_line_break_does_not():
    assert len(split_sentences("Hilsen\nKari")) == 1
    assert len(split_sentences("Hilsen\n\nKari")) == 2


def test_easy_register_limits_sentence_length_and_lix():
    sixteen = " ".join(["ord"] * 16) + "."
    r = measure(sixteen)
    assert r.longest_sentence == 16
    # The sentence is quoted, cut at 60 characters, so the writer can find it.
    quoted = " ".join(["ord"] * 15) + "…"
    assert r.problems("easy") == [f'a sentence has 16 words (at most 15): "{quoted}"']
    assert r.passes("plain")
    fifteen = measure(" ".join(["ord"] * 15) + ".")
    assert fifteen.passes("easy")


def test_lix_limits_apply_from_the_minimum_length():
    hard = "Samhandlingsprosjektet dokumenterer brukermedvirkning."  # 3 long words of 3
    assert measure(hard).lix > 100
    assert measure(hard).passes("easy")  # too short for LIX to mean anything
    long_hard = " ".join([hard] * 7)  # 21 words, 7 sentences, all long: LIX 3 + 100
    assert measure(long_hard).words >= MIN_WORDS_FOR_LIX
    assert measure(long_hard).problems("plain") == ["LIX 103 is over 40"]


def test_empty_text():
    assert counts("") == (0, 0, 0, 0.0)
    assert measure("# \n\n- \n").words == 0


def test_citizen_texts_cover_information_letter_consent_items_letters_and_forms():
    texts = citizen_texts(make_study())
    wheres = {(t.where, t.language, t.register) for t in texts}
    assert ("study.yaml purpose", "nn", "plain") in wheres
    assert ("study.yaml information letter (all fields)", "en", "plain") in wheres
    assert ("study.yaml consent item audio", "nb", "easy") in wheres
    assert ("letters/invitation.nb.md", "nb", "easy") in wheres
    assert ("forms/families.yaml item housing", "nn", "easy") in wheres
    assert ("forms/consent.yaml (whole form)", "en", "easy") in wheres
    housing = next(
        t for t in texts if t.where == "forms/families.yaml item housing" and t.language == "en"
    )
    assert housing.text == "Where do you live?\n\nI rent\n\nI own\n\nOther"


@pytest.mark.parametrize("register", ["easy", "plain"])
def test_register_names(register):
    assert measure("Hei.").passes(register)

"""The Sikt-style information letter: every section, in order, in every language."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from pathlib import Path

import pytest

from forms.errors import UserError
from forms.information import SECTION_KEYS, InformationLetterError, information_letter
from forms.model import DataAtEnd, Text, WithdrawalPolicy
from tests.factories import make_study

LANGS = ("nb", "nn", "en")
EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "u-sving"

# The heading of each section, as a person sees it, per language (sections 2-12;
# section 1's heading is the title question).
HEADINGS = {
    "nb": [
        "Formål",
        "Hvem er ansvarlig for prosjektet?",
        "Hvorfor får du spørsmål om å være med?",
        "Hva betyr det for deg å være med?",
        "Det er frivillig å være med",
        "Ditt personvern: slik lagrer og bruker vi opplysningene dine",
        "Hva skjer med opplysningene dine når prosjektet er slutt?",
        "Dine rettigheter",
        "Hva gir oss rett til å bruke opplysninger om deg?",
        "Hvor kan du finne ut mer?",
        "Samtykkeerklæring",
    ],
    "nn": [
        "Formål",
        "Kven er ansvarleg for prosjektet?",
        "Kvifor får du spørsmål om å vere med?",
        "Kva betyr det for deg å vere med?",
        "Det er frivillig å vere med",
        "Personvernet ditt: slik lagrar og brukar vi opplysningane dine",
        "Kva skjer med opplysningane dine når prosjektet er slutt?",
        "Rettane dine",
        "Kva gir oss rett til å bruke opplysningar om deg?",
        "Kvar kan du finne ut meir?",
        "Samtykkeerklæring",
    ],
    "en": [
        "Purpose of the project",
        "Who is responsible for the project?",
        "Why are you asked to take part?",
        "What does taking part mean for you?",
        "Taking part is voluntary",
        "Your privacy: how we store and use your information",
        "What happens to your information when the project ends?",
        "Your rights",
        "What gives us the right to use information about you?",
        "Where can you find out more?",
        "Consent declaration",
    ],
}
TITLES = {
    "nb": "Vil du delta i forskningsprosjektet «U-sving»?",
    "nn": "Vil du delta i forskingsprosjektet «U-sving»?",
    "en": "Will you take part in the research project «U-turn»?",
}


@pytest.mark.parametrize("lang", LANGS)
def test_every_section_in_sikt_order(lang):
    letter = information_letter(make_study(), lang)
    assert [s.number for s in letter.sections] == list(range(1, 13))
    assert [s.key for s in letter.sections] == list(SECTION_KEYS)
    assert letter.title == TITLES[lang] == letter.sections[0].heading
    assert [s.heading for s in letter.sections[1:]] == HEADINGS[lang]
    for section in letter.sections:
        assert section.paragraphs, f"section {section.number} is empty"
        assert all(p.strip() == p and p for p in section.paragraphs)


@pytest.mark.parametrize("lang", LANGS)
def test_study_texts_land_in_their_sections(lang):
    study = make_study()
    letter = information_letter(study, lang)

    def has(key, text):
        return any(text.get(lang) in p for p in letter.section(key).paragraphs)

    assert has("purpose", study.purpose)
    assert has("why_asked", study.why_asked) and has("why_asked", study.mediated_by)
    assert has("participation", study.participation)
    assert has("participation", study.data_collected)
    assert has("voluntary", study.no_effect_on_services)
    for field in (study.access, study.storage, study.recognisable):
        assert has("privacy", field)
    assert has("end_of_project", study.end_of_project)
    assert has("rights", study.rights)
    assert has("legal_basis", study.legal_basis)
    assert any("123456" in p for p in letter.section("legal_basis").paragraphs)
    assert any("Datatilsynet" in p for p in letter.section("rights").paragraphs)
    responsible = " ".join(letter.section("responsible").paragraphs)
    assert "Høgskolen" in responsible and "Kommunen" in responsible and "NAV" in responsible
    more = letter.section("more_information").paragraphs
    assert any("Kari Nordmann" in p and "12345678" in p for p in more)
    assert any("personvern@example.no" in p for p in more)
    assert any("Sikt" in p and "personverntjenester@sikt.no" in p for p in more)


def test_fixed_sentences_in_bokmal():
    letter = information_letter(make_study(), "nb")
    voluntary = " ".join(letter.section("voluntary").paragraphs)
    assert "når som helst trekke samtykket ditt" in voluntary
    assert "Du trenger ikke å si hvorfor." in voluntary
    assert "sletter vi alle opplysningene om deg" in voluntary
    end = letter.section("end_of_project").paragraphs[0]
    assert end == "Prosjektet slutter 31. desember 2027. Da sletter vi alle opplysningene om deg."


def test_english_end_date_and_declaration():
    letter = information_letter(make_study(), "en")
    assert (
        letter.section("end_of_project")
        .paragraphs[0]
        .startswith("The project ends on 31 December 2027.")
    )
    d = letter.declaration
    assert d.intro == (
        "I have received and understood information about the project «U-turn», "
        "and I have had the chance to ask questions. I consent to:"
    )
    assert [(i.consent_item, i.text, i.required) for i in d.items] == [
        ("interview", "To take part in an interview", True),
        ("audio", "Audio recording of the interview", False),
    ]
    assert d.until_end == (
        "I consent to my information being used until the project ends on 31 December 2027."
    )
    assert (d.signature_label, d.date_label, d.name_label) == (
        "Signature",
        "Date",
        "Name in capital letters",
    )
    assert letter.section("consent").paragraphs == (d.intro,)


@pytest.mark.parametrize("lang", LANGS)
def test_declaration_lists_every_consent_item(lang):
    study = make_study()
    d = information_letter(study, lang).declaration
    assert [i.consent_item for i in d.items] == [c.id for c in study.consent_items]
    assert [i.text for i in d.items] == [c.text.get(lang) for c in study.consent_items]
    assert "2027" in d.until_end
    assert d.signature_label and d.date_label and d.name_label and d.required_note


def test_withdrawal_policy_keep_changes_section_6():
    keep = information_letter(make_study(withdrawal_policy=WithdrawalPolicy.KEEP), "nb")
    delete = information_letter(make_study(withdrawal_policy=WithdrawalPolicy.DELETE), "nb")
    keep_text = " ".join(keep.section("voluntary").paragraphs)
    assert "beholder vi og bruker i prosjektet" in keep_text
    assert "sletter vi alle" not in keep_text
    assert keep.section("voluntary") != delete.section("voluntary")


@pytest.mark.parametrize(
    "policy, words",
    [
        (DataAtEnd.DELETE, "then delete all"),
        (DataAtEnd.ANONYMISE, "Nobody can link"),
        (DataAtEnd.KEEP, "will be kept"),
    ],
)
def test_data_at_end_sentence(policy, words):
    letter = information_letter(make_study(data_at_end=policy), "en")
    assert words.lower() in letter.section("end_of_project").paragraphs[0].lower()


def test_no_mediator_and_no_partners():
    study = make_study(mediated_by=None, partners=())
    letter = information_letter(study, "nn")
    assert letter.section("why_asked").paragraphs == ("Du har erfaring.",)
    assert letter.section("responsible").paragraphs == ("Høgskolen er ansvarleg for prosjektet.",)


def test_blank_lines_in_a_study_text_make_paragraphs():
    study = make_study(purpose=Text({"nb": "Første.\n\nAndre.", "nn": "x", "en": "x"}))
    assert information_letter(study, "nb").section("purpose").paragraphs == ("Første.", "Andre.")


def test_closing_names_the_signer():
    letter = information_letter(make_study(), "nb")
    assert letter.closing == ("Med vennlig hilsen", "Kari Nordmann", "Prosjektleder", "Høgskolen")


def test_unknown_language_is_a_clear_error():
    with pytest.raises(InformationLetterError, match="'de'") as info:
        information_letter(make_study(), "de")
    assert isinstance(info.value, UserError)


def test_language_the_study_does_not_offer():
    study = make_study(languages=("nb", "en"))
    with pytest.raises(InformationLetterError, match="not offered in 'nn'"):
        information_letter(study, "nn")


def test_texts_cover_everything_in_order():
    letter = information_letter(make_study(end_date=dt.date(2030, 1, 2)), "en")
    texts = letter.texts()
    assert texts[0] == letter.title
    assert "2 January 2030" in " ".join(texts)
    assert texts[-1] == letter.declaration.until_end


def test_letter_is_frozen():
    letter = information_letter(make_study(), "nb")
    with pytest.raises(AttributeError):
        letter.title = "x"  # type: ignore[misc]  # the point: a frozen letter refuses it
    assert replace(letter, title="x").title == "x"


@pytest.mark.parametrize("lang", LANGS)
def test_example_study_letter(lang):
    from forms.load import load_study

    study = load_study(EXAMPLE)
    letter = information_letter(study, lang)
    assert [s.key for s in letter.sections] == list(SECTION_KEYS)
    assert all(s.paragraphs for s in letter.sections)
    assert [i.consent_item for i in letter.declaration.items] == [c.id for c in study.consent_items]
    assert len(letter.declaration.items) >= 5


#: Our fixed sentences stay short; the Sikt declaration formula is quoted as Sikt writes it.
MAX_FIXED_SENTENCE_WORDS = 18


@pytest.mark.parametrize("lang", LANGS)
def test_fixed_wording_is_plain_language(lang):
    from forms.readability import measure, split_sentences
    from forms.words.letter import WORDS as _FIXED

    fill = {
        "title": "U-sving",
        "institution": "Høgskolen",
        "partners": "NAV og kommunen",
        "date": "31. desember 2027",
        "reference": "123456",
        "email": "a@b.no",
        "phone": "12345678",
    }
    for key, texts in _FIXED.items():
        if key == "letter_declaration":
            continue
        for sentence in split_sentences(texts[lang].format(**fill)):
            assert len(sentence) <= MAX_FIXED_SENTENCE_WORDS, (key, " ".join(sentence))
    letter = information_letter(make_study(), lang)
    assert measure("\n\n".join(letter.texts())).passes("plain")


@pytest.mark.parametrize("lang", LANGS)
def test_example_study_letter_passes_plain(lang):
    from forms.load import load_study
    from forms.readability import measure

    letter = information_letter(load_study(EXAMPLE), lang)
    assert measure("\n\n".join(letter.texts())).problems("plain") == []


def test_other_language_with_english_fixed_wording():
    from forms.model import ConsentItem

    # Northern Sámi: a study language the fixed wording is not written in
    sami = Text({"nb": "Vi vil lære.", "se": "Mii háliidit oahppat."})
    study = make_study(
        languages=("nb", "se"),
        purpose=sami,
        consent_items=(ConsentItem("interview", Text({"nb": "Intervju", "se": "Jearahallan"})),),
    )
    with pytest.raises(InformationLetterError, match="pass fallback='en'"):
        information_letter(study, "se")
    letter = information_letter(study, "se", fallback="en")
    assert (letter.language, letter.fixed_language) == ("se", "en")
    assert letter.section("purpose").heading == "Purpose of the project"
    assert letter.section("purpose").paragraphs == ("Mii háliidit oahppat.",)
    assert [i.text for i in letter.declaration.items] == ["Jearahallan"]
    assert letter.declaration.signature_label == "Signature"


def test_polish_has_its_own_fixed_wording():
    from forms.model import ConsentItem

    polish = Text({"nb": "Vi vil lære.", "pl": "Chcemy się uczyć."})
    study = make_study(
        languages=("nb", "pl"),
        purpose=polish,
        consent_items=(ConsentItem("interview", Text({"nb": "Intervju", "pl": "Wywiad"})),),
    )
    letter = information_letter(study, "pl")  # no fallback needed
    assert (letter.language, letter.fixed_language) == ("pl", "pl")
    assert letter.section("purpose").heading == "Cel projektu"
    assert letter.section("purpose").paragraphs == ("Chcemy się uczyć.",)
    assert letter.declaration.signature_label == "Podpis"
    assert information_letter(make_study(), "nn", fallback="en").fixed_language == "nn"

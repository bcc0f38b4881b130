"""The standard short texts that printed forms, letters and the web pages share.

One table, one entry per key, every entry in bokmål (``nb``), nynorsk (``nn``)
and English (``en``). Texts are for citizens: short sentences, everyday words,
"du", no abbreviations. ``phrase(key, language, **fmt)`` fills ``{placeholders}``.

Printing and the web app use these keys rather than writing their own wording,
so a person sees the same instruction on paper and on a phone.
"""

from __future__ import annotations

import datetime as dt
import string
from collections.abc import Mapping

from forms.errors import UserError

#: Languages every phrase is written in.
LANGUAGES: tuple[str, ...] = ("nb", "nn", "en")


class PhraseError(UserError):
    """An unknown phrase key or language, or a placeholder that was not filled in."""


_Entry = Mapping[str, str]

PHRASES: Mapping[str, _Entry] = {
    # --- how to mark a paper form ---------------------------------------------------------
    "marking_instruction": {
        "nb": "Sett et kryss i ruta. Feil rute? Fyll ruta helt, og sett kryss i riktig rute.",
        "nn": "Set eit kryss i ruta. Feil rute? Fyll ruta heilt, og set kryss i rett rute.",
        "en": "Put a cross in the box. Wrong box? Fill it in completely and put a cross "
        "in the right one.",
    },
    "choose_one": {
        "nb": "Sett ett kryss.",
        "nn": "Set eitt kryss.",
        "en": "Put one cross.",
    },
    "choose_any": {
        "nb": "Sett kryss ved alt som passer.",
        "nn": "Set kryss ved alt som passar.",
        "en": "Put a cross by everything that fits.",
    },
    "write_clearly": {
        "nb": "Skriv tydelig med store bokstaver.",
        "nn": "Skriv tydeleg med store bokstavar.",
        "en": "Write clearly in capital letters.",
    },
    "date_format": {
        "nb": "Dag, måned, år",
        "nn": "Dag, månad, år",
        "en": "Day, month, year",
    },
    "number_hint": {
        "nb": "Skriv et tall.",
        "nn": "Skriv eit tal.",
        "en": "Write a number.",
    },
    "required": {
        "nb": "Du må svare på dette.",
        "nn": "Du må svare på dette.",
        "en": "You must answer this.",
    },
    "optional": {
        "nb": "Du kan hoppe over dette.",
        "nn": "Du kan hoppe over dette.",
        "en": "You can skip this.",
    },
    "other_specify": {
        "nb": "Annet. Skriv her:",
        "nn": "Anna. Skriv her:",
        "en": "Other. Write here:",
    },
    "continues_next_page": {
        "nb": "Fortsetter på neste side.",
        "nn": "Held fram på neste side.",
        "en": "Continues on the next page.",
    },
    # --- page furniture ------------------------------------------------------------------
    "page_x_of_y": {
        "nb": "Side {x} av {y}",
        "nn": "Side {x} av {y}",
        "en": "Page {x} of {y}",
    },
    "participant_code": {
        "nb": "Deltakerkode",
        "nn": "Deltakarkode",
        "en": "Participant code",
    },
    "text_version": {
        "nb": "Tekstversjon",
        "nn": "Tekstversjon",
        "en": "Text version",
    },
    "serial_number": {
        "nb": "Løpenummer",
        "nn": "Løpenummer",
        "en": "Serial number",
    },
    "signature": {
        "nb": "Signatur",
        "nn": "Signatur",
        "en": "Signature",
    },
    "date": {
        "nb": "Dato",
        "nn": "Dato",
        "en": "Date",
    },
    "place": {
        "nb": "Sted",
        "nn": "Stad",
        "en": "Place",
    },
    "name_block_letters": {
        "nb": "Navn med store bokstaver",
        "nn": "Namn med store bokstavar",
        "en": "Name in capital letters",
    },
    "yes": {"nb": "Ja", "nn": "Ja", "en": "Yes"},
    "no": {"nb": "Nei", "nn": "Nei", "en": "No"},
    # --- answering on paper or on a phone ------------------------------------------------
    "answer_code": {
        "nb": "Svarkode",
        "nn": "Svarkode",
        "en": "Answer code",
    },
    "scan_with_phone": {
        "nb": "Skann koden med mobilen din.",
        "nn": "Skann koden med mobilen din.",
        "en": "Scan the code with your phone.",
    },
    "or_go_to_url": {
        "nb": "Eller gå til {url} og skriv inn svarkoden.",
        "nn": "Eller gå til {url} og skriv inn svarkoden.",
        "en": "Or go to {url} and type in the answer code.",
    },
    "how_to_answer_title": {
        "nb": "Slik svarer du",
        "nn": "Slik svarar du",
        "en": "How to answer",
    },
    "how_to_answer_paper": {
        "nb": "På papir: Fyll ut skjemaet. Legg det i den frankerte svarkonvolutten, "
        "og send det i posten. Du trenger ikke frimerke.",
        "nn": "På papir: Fyll ut skjemaet. Legg det i den frankerte svarkonvolutten, "
        "og send det i posten. Du treng ikkje frimerke.",
        "en": "On paper: Fill in the form. Put it in the prepaid reply envelope, "
        "and post it. You do not need a stamp.",
    },
    "how_to_answer_phone": {
        "nb": "På mobilen: Skann koden på skjemaet. Da kommer du rett til svarene dine.",
        "nn": "På mobilen: Skann koden på skjemaet. Då kjem du rett til svara dine.",
        "en": "On your phone: Scan the code on the form. It takes you straight to your answers.",
    },
    "how_to_answer_one_way": {
        "nb": "Du trenger bare å svare én gang. Velg den måten som passer deg.",
        "nn": "Du treng berre å svare éin gong. Vel den måten som passar deg.",
        "en": "You only need to answer once. Choose the way that suits you.",
    },
    "questions_call": {
        "nb": "Har du spørsmål? Ring {name} på {phone}.",
        "nn": "Har du spørsmål? Ring {name} på {phone}.",
        "en": "Do you have questions? Call {name} on {phone}.",
    },
    "questions_email": {
        "nb": "Du kan også sende e-post til {email}.",
        "nn": "Du kan også sende e-post til {email}.",
        "en": "You can also send an email to {email}.",
    },
    "voluntary": {
        "nb": "Det er frivillig å være med.",
        "nn": "Det er frivillig å vere med.",
        "en": "Taking part is up to you.",
    },
    # --- web pages -----------------------------------------------------------------------
    "type_answer_code": {
        "nb": "Skriv inn svarkoden fra brevet.",
        "nn": "Skriv inn svarkoden frå brevet.",
        "en": "Type in the answer code from the letter.",
    },
    "send": {"nb": "Send", "nn": "Send", "en": "Send"},
    "next": {"nb": "Neste", "nn": "Neste", "en": "Next"},
    "back": {"nb": "Tilbake", "nn": "Tilbake", "en": "Back"},
    "change_answers": {
        "nb": "Endre svarene",
        "nn": "Endre svara",
        "en": "Change your answers",
    },
    "not_answered": {
        "nb": "Ikke svart",
        "nn": "Ikkje svart",
        "en": "Not answered",
    },
    "language_name": {
        "nb": "Norsk bokmål",
        "nn": "Norsk nynorsk",
        "en": "English",
    },
    "choose_language": {
        "nb": "Velg språk",
        "nn": "Vel språk",
        "en": "Choose language",
    },
    # --- consent and withdrawal ----------------------------------------------------------
    "i_consent_to": {
        "nb": "Jeg samtykker til:",
        "nn": "Eg samtykkjer til:",
        "en": "I consent to:",
    },
    "withdraw_intro": {
        "nb": "Jeg vil ikke lenger være med på:",
        "nn": "Eg vil ikkje lenger vere med på:",
        "en": "I no longer want to take part in:",
    },
    "withdraw_all": {
        "nb": "Jeg vil ikke være med i prosjektet lenger. Jeg trekker meg fra alt.",
        "nn": "Eg vil ikkje vere med i prosjektet lenger. Eg trekkjer meg frå alt.",
        "en": "I no longer want to be in the project. I withdraw from everything.",
    },
    "withdraw_no_reason": {
        "nb": "Du trenger ikke å si hvorfor.",
        "nn": "Du treng ikkje å seie kvifor.",
        "en": "You do not need to say why.",
    },
    "withdraw_how": {
        "nb": "Vil du trekke deg? Bruk den samme koden, send svarslippen, eller ring oss.",
        "nn": "Vil du trekkje deg? Bruk den same koden, send svarslippen, eller ring oss.",
        "en": "Do you want to stop? Use the same code, send the reply slip, or call us.",
    },
    "consent_given": {
        "nb": "Du har sagt ja til:",
        "nn": "Du har sagt ja til:",
        "en": "You have said yes to:",
    },
    "consent_withdrawn": {
        "nb": "Du har trukket samtykket til:",
        "nn": "Du har trekt samtykket til:",
        "en": "You have withdrawn your consent to:",
    },
    "consent_none": {
        "nb": "Du har ikke sagt ja til noe.",
        "nn": "Du har ikkje sagt ja til noko.",
        "en": "You have not said yes to anything.",
    },
    "thank_you": {
        "nb": "Takk for svaret ditt!",
        "nn": "Takk for svaret ditt!",
        "en": "Thank you for your answer!",
    },
    "answer_received": {
        "nb": "Vi har fått svaret ditt.",
        "nn": "Vi har fått svaret ditt.",
        "en": "We have received your answer.",
    },
    "receipt_title": {
        "nb": "Kvittering",
        "nn": "Kvittering",
        "en": "Receipt",
    },
    "receipt_intro": {
        "nb": "Dette har du svart. Ta vare på kvitteringen.",
        "nn": "Dette har du svart. Ta vare på kvitteringa.",
        "en": "This is what you answered. Keep this receipt.",
    },
    "received_on": {
        "nb": "Mottatt {date}",
        "nn": "Motteke {date}",
        "en": "Received {date}",
    },
    "withdrawal_received": {
        "nb": "Vi har fått beskjed om at du vil trekke deg. Takk for at du sa fra.",
        "nn": "Vi har fått beskjed om at du vil trekkje deg. Takk for at du sa frå.",
        "en": "We have got your message that you want to stop. Thank you for telling us.",
    },
}

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
}

_AND: Mapping[str, str] = {"nb": "og", "nn": "og", "en": "and"}


def _check_language(language: str) -> None:
    if language not in LANGUAGES:
        raise PhraseError(
            f"no standard texts in language {language!r}; choose one of {', '.join(LANGUAGES)}"
        )


def phrase(key: str, language: str, **fmt: object) -> str:
    """The standard text ``key`` in ``language``, with ``{placeholders}`` filled from ``fmt``.

    Raises :class:`PhraseError` for an unknown key or language, or when a
    placeholder the text needs is missing (a half-filled text must never print).
    """
    entry = PHRASES.get(key)
    if entry is None:
        raise PhraseError(f"unknown standard text {key!r}")
    _check_language(language)
    template = entry[language]
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
    _check_language(language)
    month = _MONTHS[language][date.month - 1]
    if language == "en":
        return f"{date.day} {month} {date.year}"
    return f"{date.day}. {month} {date.year}"


def join_list(words: list[str] | tuple[str, ...], language: str) -> str:
    """ "a, b og c" / "a, b and c": a list in a sentence."""
    _check_language(language)
    words = [w for w in words if w]
    if len(words) <= 1:
        return "".join(words)
    return f"{', '.join(words[:-1])} {_AND[language]} {words[-1]}"

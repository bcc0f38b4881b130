"""Citizen-facing wording on printed pages: forms.phrases, plus a few print-only texts.

``say(key, language)`` uses the shared standard phrases (so paper and web say
the same thing). A form may be printed in a language the standard table does
not have yet (Polish, Northern Sámi...): its own texts are printed as written
and the standard furniture falls back to English, which is easier to get help
with than a blank.
"""

from __future__ import annotations

from collections.abc import Mapping

from forms.phrases import LANGUAGES, phrase

FALLBACK_LANGUAGE = "en"

#: Texts only paper needs. Easy language: short sentences, everyday words, "du".
PRINT_PHRASES: Mapping[str, Mapping[str, str]] = {
    "blank_page": {
        "nb": "Denne siden er tom med vilje.",
        "nn": "Denne sida er tom med vilje.",
        "en": "This page is blank on purpose.",
    },
    "letter_qr": {
        "nb": "Vil du svare på mobilen? Skann koden.",
        "nn": "Vil du svare på mobilen? Skann koden.",
        "en": "Do you want to answer on your phone? Scan the code.",
    },
    "sent_on_behalf": {
        "nb": "Sendt på vegne av {sender}",
        "nn": "Sendt på vegner av {sender}",
        "en": "Sent on behalf of {sender}",
    },
    "return_address": {
        "nb": "Avsender: {sender}",
        "nn": "Avsendar: {sender}",
        "en": "From: {sender}",
    },
    "withdrawal_title": {
        "nb": "Jeg vil trekke samtykket mitt",
        "nn": "Eg vil trekkje samtykket mitt",
        "en": "I want to withdraw my consent",
    },
    "withdrawal_intro": {
        "nb": "Sett kryss ved det du ikke lenger vil være med på. "
        "Skriv under, og send arket tilbake i svarkonvolutten.",
        "nn": "Set kryss ved det du ikkje lenger vil vere med på. "
        "Skriv under, og send arket tilbake i svarkonvolutten.",
        "en": "Put a cross by what you no longer want to take part in. "
        "Sign, and send the sheet back in the reply envelope.",
    },
    "how_to_answer_keep": {
        "nb": "Behold brevet og informasjonsskrivet. Send bare skjemaene tilbake.",
        "nn": "Ta vare på brevet og informasjonsskrivet. Send berre skjemaa tilbake.",
        "en": "Keep the letter and the information sheet. Send only the forms back.",
    },
    "anonymous_copy": {
        "nb": "Ikke skriv navnet ditt på dette skjemaet.",
        "nn": "Ikkje skriv namnet ditt på dette skjemaet.",
        "en": "Do not write your name on this form.",
    },
}


def print_language(language: str) -> str:
    """The language the standard furniture is printed in for a form in ``language``."""
    return language if language in LANGUAGES else FALLBACK_LANGUAGE


def say(key: str, language: str, **fmt: object) -> str:
    """A standard text (shared phrase or print-only text) in ``language``."""
    lang = print_language(language)
    if key in PRINT_PHRASES:
        return PRINT_PHRASES[key][lang].format(**fmt)
    return phrase(key, lang, **fmt)

"""Languages of an XLSForm: the codes and names found in headers and settings."""

from __future__ import annotations

import re
from collections.abc import Mapping

from forms.rules import LANGUAGE_PATTERN

from .problems import Problems

#: Language names seen in XLSForm headers -> language codes.
LANGUAGE_NAMES: Mapping[str, str] = {
    "english": "en",
    "engelsk": "en",
    "norwegian": "nb",
    "norsk": "nb",
    "bokmål": "nb",
    "bokmal": "nb",
    "norsk bokmål": "nb",
    "norwegian bokmål": "nb",
    "norwegian bokmal": "nb",
    "norsk bokmal": "nb",
    "nynorsk": "nn",
    "norsk nynorsk": "nn",
    "norwegian nynorsk": "nn",
    "sami": "se",
    "sámi": "se",
    "northern sami": "se",
    "nordsamisk": "se",
    "davvisámegiella": "se",
    "swedish": "sv",
    "svenska": "sv",
    "svensk": "sv",
    "danish": "da",
    "dansk": "da",
    "finnish": "fi",
    "suomi": "fi",
    "icelandic": "is",
    "german": "de",
    "deutsch": "de",
    "french": "fr",
    "français": "fr",
    "francais": "fr",
    "spanish": "es",
    "español": "es",
    "espanol": "es",
    "portuguese": "pt",
    "português": "pt",
    "italian": "it",
    "italiano": "it",
    "dutch": "nl",
    "polish": "pl",
    "polski": "pl",
    "lithuanian": "lt",
    "latvian": "lv",
    "estonian": "et",
    "russian": "ru",
    "ukrainian": "uk",
    "romanian": "ro",
    "turkish": "tr",
    "arabic": "ar",
    "persian": "fa",
    "farsi": "fa",
    "dari": "prs",
    "pashto": "ps",
    "urdu": "ur",
    "hindi": "hi",
    "bengali": "bn",
    "punjabi": "pa",
    "tamil": "ta",
    "somali": "so",
    "tigrinya": "ti",
    "amharic": "am",
    "swahili": "sw",
    "kiswahili": "sw",
    "hausa": "ha",
    "yoruba": "yo",
    "igbo": "ig",
    "chinese": "zh",
    "mandarin": "zh",
    "japanese": "ja",
    "korean": "ko",
    "vietnamese": "vi",
    "thai": "th",
    "tagalog": "tl",
    "kurdish": "ku",
    "bosnian": "bs",
    "croatian": "hr",
    "serbian": "sr",
    "albanian": "sq",
    "greek": "el",
    "hungarian": "hu",
    "czech": "cs",
    "slovak": "sk",
    "hebrew": "he",
    "nepali": "ne",
    "burmese": "my",
    "indonesian": "id",
    "malay": "ms",
    "macedonian": "mk",
    "slovenian": "sl",
    "bulgarian": "bg",
}


def language_code(name: str) -> str | None:
    """The language code for a header's language part, or None when it is not known.

    "English (en)" -> "en"; "Norsk" -> "nb"; "nb" -> "nb"; "Klingon" -> None.
    """
    name = name.strip()
    bracket = re.fullmatch(r".*\(\s*([A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,8})?)\s*\)", name)
    if bracket:
        return bracket.group(1).lower()
    low = " ".join(name.lower().split())
    if low in LANGUAGE_NAMES:
        return LANGUAGE_NAMES[low]
    if LANGUAGE_PATTERN.match(low):
        return low
    return None


def default_language_of(settings: Mapping[str, str], errs: Problems) -> str:
    """The settings' default_language as a code; ``en`` when none is given."""
    given = settings.get("default_language")
    if not given:
        return "en"
    code = language_code(given)
    if code is None:
        errs.add(
            f"default_language {given!r} is not a language Deltaker knows; write it with "
            "its code, e.g. 'Norsk (nb)'",
            "settings",
        )
        return "en"
    return code

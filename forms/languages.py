"""What a page needs to know about a language: its writing direction and its own name.

No locale library is locked (no Babel, langcodes or PyICU in requirements.lock),
so the two facts the citizen pages need are small documented tables here:

- **Direction.** A language is right-to-left when it is written in a
  right-to-left script by default. The set below is the ISO 639 codes of the
  languages the studies reach or are likely to reach that are written so:
  Arabic (``ar``), Persian/Farsi (``fa``), Dari (``prs``), Pashto (``ps``),
  Central Kurdish/Sorani (``ckb``), Urdu (``ur``), Sindhi (``sd``), Uyghur
  (``ug``), Hebrew (``he``, old code ``iw``), Yiddish (``yi``), Dhivehi
  (``dv``), Syriac (``syr``) and N'Ko (``nqo``). A script subtag decides over
  the language (``ku-Arab`` is right-to-left, ``sd-Deva`` and ``uz-Arab`` follow
  their script); a region subtag does not matter (``ar-EG`` is right-to-left).
  Guessing from the bidirectional class of a study's letters is not used: one
  Latin name or number in an Arabic text would flip it.
- **Own name (endonym).** The language switch names each language in itself
  ("العربية", "Polski"), so a person finds their own language without reading
  ours. A code the table does not know is shown as the code.

Pure: no framework, nothing of ours.
"""

from __future__ import annotations

from collections.abc import Mapping

#: ISO 639 codes of languages written right to left by default (see the module text).
RTL_LANGUAGES: frozenset[str] = frozenset(
    {"ar", "fa", "prs", "ps", "ckb", "ur", "sd", "ug", "he", "iw", "yi", "dv", "syr", "nqo"}
)

#: ISO 15924 script codes written right to left (for tags such as ``ku-Arab``).
RTL_SCRIPTS: frozenset[str] = frozenset(
    {"arab", "hebr", "thaa", "syrc", "nkoo", "adlm", "rohg", "mand", "samr"}
)

#: Each language's name in itself, for the language switch. The first three are
#: written as the switch has always shown them (people here know "Bokmål").
ENDONYMS: Mapping[str, str] = {
    "nb": "Bokmål",
    "nn": "Nynorsk",
    "en": "English",
    "no": "Norsk",
    "se": "Davvisámegiella",
    "sv": "Svenska",
    "da": "Dansk",
    "fi": "Suomi",
    "de": "Deutsch",
    "fr": "Français",
    "es": "Español",
    "pt": "Português",
    "it": "Italiano",
    "nl": "Nederlands",
    "pl": "Polski",
    "lt": "Lietuvių",
    "lv": "Latviešu",
    "et": "Eesti",
    "ro": "Română",
    "bg": "Български",
    "sr": "Српски",
    "hr": "Hrvatski",
    "bs": "Bosanski",
    "sq": "Shqip",
    "tr": "Türkçe",
    "ru": "Русский",
    "uk": "Українська",
    "ar": "العربية",
    "fa": "فارسی",
    "prs": "دری",
    "ps": "پښتو",
    "ckb": "کوردی",
    "ku": "Kurdî",
    "ur": "اردو",
    "he": "עברית",
    "so": "Soomaali",
    "ti": "ትግርኛ",
    "am": "አማርኛ",
    "om": "Afaan Oromoo",
    "sw": "Kiswahili",
    "ta": "தமிழ்",
    "hi": "हिन्दी",
    "th": "ไทย",
    "vi": "Tiếng Việt",
    "zh": "中文",
    "my": "မြန်မာ",
}


def _parts(code: str) -> tuple[str, str | None]:
    """The language subtag and the script subtag (if any) of a tag like ``ku-Arab-IQ``."""
    subtags = code.replace("_", "-").split("-")
    script = next((s for s in subtags[1:] if len(s) == 4 and s.isalpha()), None)
    return subtags[0].lower(), script.lower() if script else None


def direction(code: str) -> str:
    """``"rtl"`` or ``"ltr"``: the writing direction of the language tag ``code``."""
    language, script = _parts(code)
    if script is not None:
        return "rtl" if script in RTL_SCRIPTS else "ltr"
    return "rtl" if language in RTL_LANGUAGES else "ltr"


def is_rtl(code: str) -> bool:
    return direction(code) == "rtl"


def endonym(code: str) -> str:
    """The language's name in itself (``"العربية"`` for ``ar``); the code when not known."""
    if code in ENDONYMS:
        return ENDONYMS[code]
    language, _ = _parts(code)
    return ENDONYMS.get(language, code)

"""Sorting people's names in any script: a key for lists, without a locale library.

No collation library is locked (no PyICU or pyuca in requirements.lock), and
Python's own ``sorted`` compares code points, which puts "Ærlig" after "Zahra",
"Østby" before "Åse" (ø is U+00F8, å U+00E5: the wrong way round for Norwegian),
"Élise" after every plain letter, and the Ukrainian "Іван" before "Богдан".
:func:`name_key` is the documented rule instead:

1. The name is normalised (NFC), trimmed, its inner spaces made single, and
   case-folded: "  ÅSE   berg" and "Åse Berg" sort together.
2. Names are grouped by the script of their first letter, in a fixed order:
   Latin, Greek, Cyrillic, Armenian, Georgian, Hebrew, Arabic, Syriac, Thaana,
   Ethiopic, then the rest by code point. Within a list, people of one script
   stay together, in that script's own order.
3. Latin follows the Norwegian alphabet: a-z, then æ, ø, å; other accented
   letters sort with their base letter (é with e, ü with u, ł with l), and ä,
   ö go with æ, ø as Norwegian dictionaries do. Cyrillic follows the Ukrainian
   and Russian alphabets (ґ after г, є and ё after е, і and ї after и).
   Arabic sorts by the letter without its hamza or madda (أ, إ, آ with ا) and
   without short-vowel marks; Ethiopic keeps its code point order, which is
   the traditional fidel order (ሀ ለ ሐ መ ...).
4. Ties are broken by the exact name, so the order is total and stable.

Pure: nothing of ours.
"""

from __future__ import annotations

import re
import unicodedata

#: The order of script groups; a script not named here sorts after these.
SCRIPTS: tuple[str, ...] = (
    "LATIN",
    "GREEK",
    "CYRILLIC",
    "ARMENIAN",
    "GEORGIAN",
    "HEBREW",
    "ARABIC",
    "SYRIAC",
    "THAANA",
    "ETHIOPIC",
)

# Latin: letters after z in the Norwegian alphabet, and letters that fold to another.
_LATIN_AFTER_Z = {"æ": 1, "ä": 1, "ø": 2, "ö": 2, "å": 3}
_LATIN_FOLD = {"ł": "l", "đ": "d", "ß": "ss", "þ": "th", "ŋ": "n", "ı": "i", "œ": "oe"}
# Cyrillic letters outside the Russian block order, placed after their neighbour.
_CYRILLIC_AFTER = {"ґ": "г", "є": "е", "ё": "е", "і": "и", "ї": "и"}
_ARABIC_FOLD = {"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ؤ": "و", "ئ": "ي", "ى": "ي", "ة": "ه"}


def _script(ch: str) -> str:
    name = unicodedata.name(ch, "")
    return name.split(" ")[0] if name else ""


def _letter_weight(ch: str) -> tuple[int, ...]:
    """The weight of one folded character within its script."""
    script = _script(ch)
    if script == "LATIN":
        if ch in _LATIN_AFTER_Z:
            return (ord("z") + _LATIN_AFTER_Z[ch], 0)
        if ch in _LATIN_FOLD:
            return tuple(ord(c) for c in _LATIN_FOLD[ch])
        base = unicodedata.normalize("NFD", ch)[0]
        return (ord(base), 1 if base != ch else 0)
    if script == "CYRILLIC":
        if ch in _CYRILLIC_AFTER:
            after = _CYRILLIC_AFTER[ch]
            # ї comes after і, which comes after и
            extra = {"ї": 2}.get(ch, 1)
            return (ord(after), extra)
        return (ord(ch), 0)
    if script == "ARABIC":
        return (ord(_ARABIC_FOLD.get(ch, ch)), 0)
    return (ord(ch), 0)


def name_key(name: str) -> tuple[object, ...]:
    """A sort key for a person's name in any script (see the module text)."""
    text = re.sub(r"\s+", " ", unicodedata.normalize("NFC", name)).strip().casefold()
    first = next((ch for ch in text if ch.isalpha()), "")
    script = _script(first) if first else ""
    group = SCRIPTS.index(script) if script in SCRIPTS else len(SCRIPTS)
    weights: list[tuple[int, ...]] = []
    for ch in text:
        if unicodedata.category(ch) == "Mn":  # Arabic short vowels and other marks
            continue
        if ch.isalpha():
            weights.append(_letter_weight(ch))
        elif ch.isdigit():
            weights.append((1 + unicodedata.digit(ch, 0),))
        elif ch == " ":
            weights.append((0,))  # a space sorts before any letter: "Ali B" before "Alia"
    return (group, script if group == len(SCRIPTS) else "", tuple(weights), name)


def sort_names(names: list[str] | tuple[str, ...]) -> list[str]:
    """Names in the order :func:`name_key` gives."""
    return sorted(names, key=name_key)

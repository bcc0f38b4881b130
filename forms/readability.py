"""How easy a citizen-facing text is to read: LIX, sentence length, long words.

LIX (Björnsson) = words / sentences + 100 x long words / words, where a long
word has more than six letters. It is the measure Norwegian plain-language
work uses, and it is simple enough that a person can count a text by hand and
get the same number as this module, which the tests do.

Counting rules, chosen for Norwegian and English texts with Markdown markup:

- Letters are any Unicode letters, so æ, ø and å count as letters.
- A word is a run of letters (a hyphen or apostrophe inside keeps it one word:
  "e-post" is one word of five letters). A number (12, 2,5, 3.5, 1.1.2027,
  +47 12 34 56 78) is a word but never a long one. A web address or e-mail
  address is one word, never long.
- A sentence ends at ".", "!", "?" or ":" (as in Björnsson's definition), at a
  paragraph break, and at the end of every heading and list item.
- A full stop does not end a sentence inside a number (2,5 / 3.5 / 1.1.2027),
  after a known abbreviation (f.eks., bl.a., dvs., osv., e.g., i.e., Mr. ...),
  after an ordinal number or single initial ("30. juni", "K. Nordmann"), or when
  the next word starts with a small letter.
- Markdown markup (#, *, _, `, >, [text](link), list markers) is not text.

Registers: ``easy`` (lettlest: LIX <= 30 and no sentence over 15 words) and
``plain`` (klarspråk: LIX <= 40).

Which languages are measured. LIX counts a word of more than six letters as
hard. That holds for the Scandinavian languages it was made for (Swedish,
Danish, Norwegian) and for English, German, Dutch, Icelandic and Faroese, where
long words are compounds and loan words. It does not hold elsewhere: Arabic and
Persian join articles, prepositions and pronouns to the word (one "long" word is
a phrase), Ethiopic letters (Tigrinya, Amharic) are whole syllables, and Polish,
Ukrainian, Finnish or Somali inflect every word long. A LIX for them would be a
number that looks exact and is wrong, so for a language outside
:data:`LIX_LANGUAGES` the check says "not measured" instead. The sentence limit
is still held for every language written with spaces between words (sentences
also end at the Arabic "؟", the Urdu "۔" and the Ethiopic "።" and "፧"); for
languages written without spaces (Chinese, Japanese, Thai...) words cannot be
counted this way and nothing is measured.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from .errors import UserError
from .model import Form, Item, Study, Text
from .rules import STUDY_TEXT_FIELDS

#: A word with more than this many letters is a long word (LIX's definition).
LONG_WORD_LETTERS = 6
#: LIX swings wildly on a few words ("Underskrift" alone scores 101), so a text
#: shorter than this is held to the sentence limit only; its words still count
#: in the LIX of the whole form or letter it belongs to.
MIN_WORDS_FOR_LIX = 20


#: Languages (ISO 639) a LIX is valid for (see the module text); others are "not measured".
LIX_LANGUAGES: frozenset[str] = frozenset(
    {"nb", "nn", "no", "sv", "da", "en", "de", "nl", "is", "fo"}
)

#: Languages written without spaces between words: their words cannot be counted here.
UNSPACED_LANGUAGES: frozenset[str] = frozenset(
    {"zh", "ja", "th", "lo", "km", "my", "bo", "dz", "yue", "wuu"}
)

#: What a report says where a language cannot be measured.
NOT_MEASURED = "not measured"


def _base(language: str) -> str:
    return language.replace("_", "-").split("-")[0].lower()


def lix_measured(language: str | None) -> bool:
    """Whether a LIX means something in ``language`` (None: a text of unknown language, yes)."""
    return language is None or _base(language) in LIX_LANGUAGES


def sentences_measured(language: str | None) -> bool:
    """Whether sentence length in words can be counted in ``language``."""
    return language is None or _base(language) not in UNSPACED_LANGUAGES


@dataclass(frozen=True)
class Register:
    """A readability target: the most LIX and the longest sentence (in words) it allows."""

    name: str
    max_lix: float
    max_sentence_words: int | None = None


#: Lettlest (easy-to-read) and klarspråk (plain language).
REGISTERS: dict[str, Register] = {
    "easy": Register("easy", max_lix=30.0, max_sentence_words=15),
    "plain": Register("plain", max_lix=40.0),
}

#: Abbreviations whose full stops never end a sentence (lowercase; matched case-insensitively).
#: Words that are also ordinary words ("min", "no", "kr" before a new sentence) are left out.
ABBREVIATIONS = frozenset(
    {
        # bokmål and nynorsk
        "f.eks.", "t.d.", "bl.a.", "m.a.", "dvs.", "d.v.s.", "osv.", "o.l.", "mv.", "m.m.",
        "ca.", "nr.", "kl.", "tlf.", "evt.", "ev.", "pga.", "p.g.a.", "jf.", "jfr.", "inkl.",
        "ekskl.", "mht.", "vedr.", "adr.", "avd.", "stk.", "hhv.", "iflg.", "iht.", "bl.",
        "o.a.", "mnd.", "sek.", "ref.", "pkt.", "vs.",
        # English
        "e.g.", "i.e.", "etc.", "mr.", "mrs.", "ms.", "dr.", "prof.", "vol.", "approx.",
        "tel.", "p.m.", "a.m.", "cf.", "incl.", "fig.", "u.s.", "u.k.", "jr.", "sr.",
    }
)  # fmt: skip

_URL = re.compile(
    r"(?:https?://|www\.)\S+?(?=[.,:;!?)]*(?:\s|$))"  # a web address, without a final stop
    r"|[\w.+-]+@[\w-]+(?:\.[\w-]+)+"  # an e-mail address
    # a bare domain as letters print it ("sikt.no", "deltaker.example.no")
    r"|(?<![\w.@])[a-z0-9-]+(?:\.[a-z0-9-]+)*\.(?:no|com|org|net|eu|se|dk|uk|io|info)"
    r"(?:/[^\s]*?)?(?=[.,:;!?)]*(?:\s|$))",
    re.UNICODE,
)
#: A number: digits with inner separators (2,5 / 3.5 / 1.1.2027 / 10:30).
_NUMBER = r"[+-]?\d+(?:[.,:/]\d+)*"
#: An abbreviation: letters with inner full stops (f.eks., e.g.) or a listed one (ca., Mr.).
_SINGLE_DOT = sorted((a[:-1] for a in ABBREVIATIONS if a.count(".") == 1), key=len, reverse=True)
_ABBREVIATION = r"(?<![\w.])(?:(?:[^\W\d_]+\.){2,}|(?i:" + "|".join(_SINGLE_DOT) + r")\.)(?![^\W_])"
#: A word: letters, with inner hyphens or apostrophes ("e-post", "don't").
_WORD = r"[^\W\d_]+(?:['’-][^\W\d_]+)*"
_TOKEN = re.compile(
    rf"(?P<url>\x00URL\x00)|(?P<number>{_NUMBER})|(?P<abbreviation>{_ABBREVIATION})"
    rf"|(?P<word>{_WORD})|(?P<stop>[.!?:؟۔።፧]+)"
)
_MD_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_MD_BLOCK_PREFIX = re.compile(r"^\s{0,3}(?:#{1,6}\s+|>\s?|[-*+]\s+|\d+[.)]\s+)")
_MD_INLINE = re.compile(r"[*_`~]+")


@dataclass(frozen=True)
class Readability:
    """The counts and figures of one text."""

    words: int
    sentences: int
    long_words: int
    longest_sentence: int  # in words
    longest_sentence_text: str

    @property
    def lix(self) -> float:
        if not self.words:
            return 0.0
        return self.words / max(self.sentences, 1) + 100.0 * self.long_words / self.words

    @property
    def average_sentence(self) -> float:
        return self.words / self.sentences if self.sentences else 0.0

    @property
    def long_word_share(self) -> float:
        return self.long_words / self.words if self.words else 0.0

    def problems(self, register: Register | str, language: str | None = None) -> list[str]:
        """What breaks the register's limits, in words a writer can act on; [] when fine.

        With ``language``, only what can be measured in it is held (LIX only for
        :data:`LIX_LANGUAGES`; see the module text)."""
        if isinstance(register, str):
            register = REGISTERS[register]
        found = []
        if (
            lix_measured(language)
            and self.words >= MIN_WORDS_FOR_LIX
            and self.lix > register.max_lix
        ):
            found.append(f"LIX {self.lix:.0f} is over {register.max_lix:.0f}")
        limit = register.max_sentence_words
        if limit is not None and sentences_measured(language) and self.longest_sentence > limit:
            found.append(
                f"a sentence has {self.longest_sentence} words (at most {limit}): "
                f'"{_shorten(self.longest_sentence_text)}"'
            )
        return found

    def passes(self, register: Register | str, language: str | None = None) -> bool:
        return not self.problems(register, language)


def _shorten(text: str, limit: int = 60) -> str:
    """The text cut at a word boundary to about ``limit`` characters."""
    if len(text) <= limit:
        return text
    cut = text[:limit]
    return (cut[: cut.rindex(" ")] if " " in cut else cut).rstrip() + "…"


def measure(text: str) -> Readability:
    """Count words, sentences and long words of a text (Markdown allowed)."""
    all_sentences = split_sentences(text)
    words = [w for sentence in all_sentences for w in sentence]
    long_words = sum(1 for w in words if is_long_word(w))
    longest = max(all_sentences, key=len, default=[])
    return Readability(
        words=len(words),
        sentences=len(all_sentences),
        long_words=long_words,
        longest_sentence=len(longest),
        longest_sentence_text=" ".join("<address>" if w.startswith("\x00") else w for w in longest),
    )


def is_long_word(word: str) -> bool:
    """More than six letters; numbers and addresses are never long."""
    if word.startswith("\x00") or word[:1].isdigit() or word[:1] in "+-":
        return False
    return sum(1 for ch in word if ch.isalpha()) > LONG_WORD_LETTERS


def split_sentences(text: str) -> list[list[str]]:
    """The text's sentences, each as its list of words (empty sentences dropped)."""
    sentences: list[list[str]] = []
    for block in _blocks(text):
        sentences.extend(_block_sentences(block))
    return [s for s in sentences if s]


def _blocks(text: str) -> Iterator[str]:
    """Paragraphs, headings and list items: each ends any sentence still open."""
    paragraph: list[str] = []
    for raw in text.splitlines():
        line = _MD_LINK.sub(r"\1", raw)
        if not line.strip() or re.match(r"^\s*(?:[-*_]\s*){3,}$", line):
            if paragraph:
                yield " ".join(paragraph)
            paragraph = []
            continue
        if _MD_BLOCK_PREFIX.match(line):
            if paragraph:
                yield " ".join(paragraph)
            paragraph = [_MD_BLOCK_PREFIX.sub("", line)]
            if re.match(r"^\s{0,3}#", line):  # a heading is a block of its own
                yield " ".join(paragraph)
                paragraph = []
            continue
        paragraph.append(line.strip())
    if paragraph:
        yield " ".join(paragraph)


def _block_sentences(block: str) -> list[list[str]]:
    block = _MD_INLINE.sub("", block)
    block = _URL.sub(" \x00URL\x00 ", block)
    sentences: list[list[str]] = [[]]
    tokens = list(_TOKEN.finditer(block))
    for index, match in enumerate(tokens):
        if match.lastgroup == "stop":
            following = tokens[index + 1] if index + 1 < len(tokens) else None
            if _ends_sentence(block, match, following):
                sentences.append([])
            continue
        sentences[-1].append(match.group())
    return sentences


def _ends_sentence(block: str, stop: re.Match[str], following: re.Match[str] | None) -> bool:
    if stop.group() != ".":
        return True  # "!", "?", ":" (and "?!", "...") always end a sentence
    if following is None:
        return True
    # A single initial: "K. Nordmann".
    start = stop.start()
    last = block[start - 1 : start]
    if last.isalpha() and last.isupper() and (start == 1 or block[start - 2].isspace()):
        return False
    # A full stop followed by a small letter is inside a sentence: "30. juni", "kap. to".
    return not (following.lastgroup == "word" and following.group()[:1].islower())


# --------------------------------------------------------------------------- citizen texts


@dataclass(frozen=True)
class CitizenText:
    """One text a citizen reads, where it is declared, and the register it must pass."""

    where: str
    language: str
    register: str
    text: str


#: Study fields that make up the Sikt-style information letter (plain language).
INFORMATION_FIELDS = STUDY_TEXT_FIELDS


def citizen_texts(study: Study) -> list[CitizenText]:
    """Every citizen-facing text of a study, in every language, with its register.

    The information-letter fields are ``plain`` (their easy variants ``easy``);
    consent items are ``easy``; letters and forms use the register they declare
    (``easy`` unless the YAML says otherwise). A form item's label, hint and
    choice labels form one text, each part its own sentence. Each form and the
    information letter also appear whole, so LIX is measured on enough words.
    """
    found: list[CitizenText] = []

    def add(where: str, text: Text | None, register: str) -> None:
        if text is None:
            return
        for language in study.languages:
            if language in text.values:
                found.append(CitizenText(where, language, register, text.values[language]))
        for language in study.languages:
            if language in text.easy:
                found.append(CitizenText(f"{where} (easy)", language, "easy", text.easy[language]))

    for language in study.languages:
        printed = _composed_information_letter(study, language)
        if printed is not None:
            found.append(CitizenText("information letter (as printed)", language, "plain", printed))
    information = [getattr(study, name) for name in INFORMATION_FIELDS]
    add("study.yaml information letter (all fields)", Text(_join(information).values), "plain")
    for name, text in zip(INFORMATION_FIELDS, information, strict=True):
        add(f"study.yaml {name}", text, "plain")
    for consent_item in study.consent_items:
        add(f"study.yaml consent item {consent_item.id}", consent_item.text, "easy")
    for change in study.consent_changes:  # printed in the re-consent letter
        add(
            f"study.yaml consent change {change.item} {change.version}",
            change.what_changed,
            "easy",
        )
    for letter in study.letters:
        for language in study.languages:
            if language in letter.body.values:
                found.append(
                    CitizenText(
                        f"letters/{letter.id}.{language}.md",
                        language,
                        letter.register,
                        letter.body.values[language],
                    )
                )
            if language in letter.body.easy:
                found.append(
                    CitizenText(
                        f"letters/{letter.id}.{language}.easy.md",
                        language,
                        "easy",
                        letter.body.easy[language],
                    )
                )
    for form in study.forms:
        for where, text in form_texts(form):
            add(where, text, form.register)
    return found


def _composed_information_letter(study: Study, language: str) -> str | None:
    """The whole Sikt-style letter as printed: standard sentences and the study's fields."""
    from .information import information_letter  # late: information is the bigger module

    try:
        letter = information_letter(study, language)
    except UserError:  # e.g. a language the standard sentences are not written in
        return None
    return "\n\n".join(letter.texts())


def form_texts(form: Form) -> Iterator[tuple[str, Text]]:
    """(where, text) for every text a form shows, item parts joined into one text."""
    name = f"forms/{form.id}.yaml"
    whole = [form.title, form.intro]
    for section in form.sections:
        whole.extend([section.title, section.intro])
        for item in section.items:
            whole.extend(_item_parts(item))
    yield f"{name} (whole form)", Text(_join(whole).values)
    yield f"{name} title", _join([form.title, form.intro])
    for section in form.sections:
        if section.title is not None or section.intro is not None:
            yield f"{name} section {section.id}", _join([section.title, section.intro])
        for item in section.items:
            yield f"{name} item {item.id}", _join(_item_parts(item))


def _item_parts(item: Item) -> list[Text | None]:
    parts: list[Text | None] = [item.label, item.hint, item.scale_low, item.scale_high]
    if item.choices:
        parts.extend(choice.label for choice in item.choices)
    return parts


def _join(parts: list[Text | None]) -> Text:
    """Texts joined per language with paragraph breaks, so each part is its own sentence."""
    present = [p for p in parts if p is not None]
    languages = dict.fromkeys(lang for p in present for lang in p.values)
    values = {
        lang: "\n\n".join(p.values[lang] for p in present if lang in p.values) for lang in languages
    }
    # Easy variants are measured on their own: a whole of easy and ordinary texts means nothing.
    easy_languages = dict.fromkeys(lang for p in present for lang in p.easy)
    easy = {
        lang: "\n\n".join(p.easy[lang] for p in present if lang in p.easy)
        for lang in easy_languages
    }
    return Text(values, easy)

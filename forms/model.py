"""The definition model: study, consent items, forms, sections, items, texts.

A form is declared once and this model drives every output (web, print, scan,
spreadsheet, codebook). Everything here is a frozen dataclass; nothing here
imports a framework or another Deltaker package.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from enum import StrEnum


class ItemType(StrEnum):
    """Every kind of item a form can hold. Each output keeps a table keyed by this."""

    SINGLE_CHOICE = "single_choice"
    MULTIPLE_CHOICE = "multiple_choice"
    YES_NO = "yes_no"
    SCALE = "scale"
    SHORT_TEXT = "short_text"
    LONG_TEXT = "long_text"
    NUMBER = "number"
    DATE = "date"
    SIGNATURE = "signature"
    CONSENT = "consent"
    INFO = "info"


#: Item types whose answers are one or more choice values (printed as tick boxes).
CHOICE_TYPES = frozenset(
    {
        ItemType.SINGLE_CHOICE,
        ItemType.MULTIPLE_CHOICE,
        ItemType.YES_NO,
        ItemType.SCALE,
        ItemType.CONSENT,
    }
)
#: Item types answered in writing (printed as a field, typed in by people after a scan).
WRITTEN_TYPES = frozenset(
    {ItemType.SHORT_TEXT, ItemType.LONG_TEXT, ItemType.NUMBER, ItemType.DATE, ItemType.SIGNATURE}
)
#: Item types that ask nothing.
DISPLAY_TYPES = frozenset({ItemType.INFO})


class FormKind(StrEnum):
    CONSENT = "consent"
    QUESTIONNAIRE = "questionnaire"
    REPLY = "reply"
    WITHDRAWAL = "withdrawal"


class WithdrawalPolicy(StrEnum):
    """What happens to data already collected when a person withdraws."""

    DELETE = "delete"  # erase everything collected about the person
    KEEP = "keep"  # keep what was collected before the withdrawal


class DataAtEnd(StrEnum):
    """What happens to the data at the study's end date."""

    DELETE = "delete"
    ANONYMISE = "anonymise"
    KEEP = "keep"


#: The values a yes/no item answers with (stable keys, as for any choice).
YES_NO_VALUES = ("yes", "no")
#: A consent item's single box value ("I consent to this").
CONSENT_VALUE = "yes"


@dataclass(frozen=True)
class Text:
    """A citizen-facing text in several languages, with an optional easy-language variant.

    ``values`` maps a language code (``nb``, ``nn``, ``en``, any code) to the text;
    ``easy`` maps a language code to the easy-language (lettlest) variant.
    """

    values: Mapping[str, str]
    easy: Mapping[str, str] = field(default_factory=dict)

    def get(self, language: str, *, easy: bool = False, fallback: str | None = None) -> str:
        """The text in ``language`` (the easy variant when asked and present).

        Falls back to ``fallback`` then to any language, so a missing translation
        never prints an empty box; ``forms`` validation reports missing ones.
        """
        if easy and language in self.easy:
            return self.easy[language]
        if language in self.values:
            return self.values[language]
        if fallback and fallback in self.values:
            return self.values[fallback]
        return next(iter(self.values.values()), "")

    @property
    def languages(self) -> frozenset[str]:
        return frozenset(self.values)

    @classmethod
    def plain(cls, text: str, language: str = "en") -> Text:
        return cls({language: text})


@dataclass(frozen=True)
class Choice:
    value: str  # stable key, what the spreadsheet and the database store
    label: Text
    # the value as the imported form wrote it (``geflüchtete``, ``24/7``) when that is
    # not a stable key; the codebook and the statistics files name it
    source_value: str | None = None


@dataclass(frozen=True)
class Item:
    """One question (or a piece of information text) on a form."""

    id: str  # stable key
    type: ItemType
    label: Text
    hint: Text | None = None
    required: bool = False
    choices: tuple[Choice, ...] = ()
    # scale: 1..scale_max with labels at both ends
    scale_min: int = 1
    scale_max: int = 5
    scale_low: Text | None = None
    scale_high: Text | None = None
    # consent: the study's consent item this box records
    consent_item: str | None = None
    # long text: how many writing lines to print
    lines: int = 4
    # XLSForm `relevant`, kept for the web form; paper prints every item (a note with
    # one answer as its condition says so in words: forms.references.condition_words)
    relevant: str | None = None
    page_break_before: bool = False
    # the question's name in the imported form (``_id``, ``tel.office``, a name reused in
    # another group) when it is not the id; the codebook and the statistics files name it
    source_name: str | None = None
    line: int | None = field(default=None, compare=False)  # where it was declared

    def options(self) -> tuple[Choice, ...]:
        """The tick boxes this item has, for every choice-like type, in print order.

        Yes/no, scale and consent items get their boxes from the type, so every
        output (print, scan, web, spreadsheet) sees one list.
        """
        if self.type in (ItemType.SINGLE_CHOICE, ItemType.MULTIPLE_CHOICE):
            return self.choices
        if self.type == ItemType.YES_NO:
            return self.choices or (
                Choice("yes", Text({"nb": "Ja", "nn": "Ja", "en": "Yes"})),
                Choice("no", Text({"nb": "Nei", "nn": "Nei", "en": "No"})),
            )
        if self.type == ItemType.SCALE:
            return tuple(
                Choice(str(n), Text({"*": str(n)}))
                for n in range(self.scale_min, self.scale_max + 1)
            )
        if self.type == ItemType.CONSENT:
            return (Choice(CONSENT_VALUE, self.label),)
        return ()

    @property
    def multiple(self) -> bool:
        """Whether more than one option may be marked."""
        return self.type == ItemType.MULTIPLE_CHOICE


@dataclass(frozen=True)
class Section:
    id: str
    title: Text | None
    items: tuple[Item, ...]
    intro: Text | None = None
    page_break_before: bool = False
    line: int | None = field(default=None, compare=False)


@dataclass(frozen=True)
class Form:
    """A consent form, questionnaire, reply slip or withdrawal slip."""

    id: str  # stable key, e.g. "consent", "families"
    kind: FormKind
    title: Text
    sections: tuple[Section, ...]
    intro: Text | None = None
    languages: tuple[str, ...] = ("nb", "nn", "en")
    source: str | None = field(default=None, compare=False)  # file it was loaded from
    # readability register its texts must pass (forms.readability): easy | plain
    register: str = "easy"

    def items(self) -> Iterator[Item]:
        for section in self.sections:
            yield from section.items

    def item(self, item_id: str) -> Item:
        for item in self.items():
            if item.id == item_id:
                return item
        raise KeyError(item_id)

    def answerable(self) -> Iterator[Item]:
        """Items that take an answer (everything but information text)."""
        return (i for i in self.items() if i.type not in DISPLAY_TYPES)


@dataclass(frozen=True)
class ConsentItem:
    """One separate thing a person can agree to (interview, audio recording...)."""

    id: str  # stable key, named in every ledger event
    text: Text
    required: bool = False  # must be granted to take part at all


class ChangeKind(StrEnum):
    """How much a change of a consent text matters to the people who agreed to the old one."""

    MATERIAL = "material"  # people must be asked again (a re-consent letter)
    MINOR = "minor"  # a typo or a clearer word: the old grant stands, nobody is written to


#: The ``item`` of a consent change about the information letter rather than one box.
INFORMATION_LETTER = "information_letter"


@dataclass(frozen=True)
class ConsentChange:
    """study.yaml ``consent_changes:``: the study author's mark on one changed text.

    ``version`` is the new text version (of the consent form holding ``item``,
    or of the information letter) the mark applies to, so a mark written for
    one change never silently covers the next one. A change with no mark
    counts as material.
    """

    item: str  # a consent item id, a consent form id (its title/intro), or INFORMATION_LETTER
    version: str  # 8 hex digits, forms.version
    kind: ChangeKind
    reason: str  # why the author judged it so (for the DPO)
    what_changed: Text | None = None  # material: one easy sentence per language, printed
    line: int | None = field(default=None, compare=False)


@dataclass(frozen=True)
class Contact:
    name: str
    role: Text | None = None
    organisation: str | None = None
    phone: str | None = None
    email: str | None = None
    address: str | None = None


@dataclass(frozen=True)
class Processing:
    """What a data protection officer's records say beyond the information letter.

    The consent records (ISO/IEC TS 27560) and the record of processing
    activities (GDPR Art. 30) read these; every field is optional and
    ``privacy.processing`` derives a default for each one left out (the
    institution as controller, the forms' items as categories of data, the
    tool's own safeguards as security measures), so nobody retypes the study.
    """

    controller: Contact | None = None  # the PII controller; default: the institution
    storage_location: str | None = None  # where the data are kept, in words
    jurisdiction: str = "NO"  # ISO 3166-1 alpha-2 country whose law applies
    data_subjects: tuple[str, ...] = ()  # categories of people
    data_categories: tuple[str, ...] = ()  # categories of personal data
    recipients: tuple[str, ...] = ()
    transfers: tuple[str, ...] = ()  # transfers to third countries (none: empty)
    security_measures: tuple[str, ...] = ()
    withdrawal_phone: str | None = None  # the number people call to withdraw


@dataclass(frozen=True)
class Letter:
    """A letter written in Markdown, one body per language (``letters/<id>.<lang>.md``)."""

    id: str  # e.g. "invitation"
    body: Text
    register: str = "easy"  # readability register the texts must pass: easy | plain


@dataclass(frozen=True)
class Study:
    """Everything a Sikt/NSD-style information letter needs, plus forms and letters."""

    id: str
    title: Text
    languages: tuple[str, ...]
    # 2. purpose
    purpose: Text
    # 3. responsible institution and partners
    institution: str
    partners: tuple[str, ...]
    # 4. why you are asked; contact mediated by an institution (NAV, municipality)
    why_asked: Text
    mediated_by: Text | None
    # 5. what taking part involves (methods, time, what is recorded, data collected)
    participation: Text
    data_collected: Text
    # 6. voluntary; saying no has no effect on services
    no_effect_on_services: Text
    withdrawal_policy: WithdrawalPolicy
    # 7. privacy: who has access, storage and security, recognisable in publications
    access: Text
    storage: Text
    recognisable: Text
    # 8. end of project
    end_date: dt.date
    data_at_end: DataAtEnd
    end_of_project: Text
    # 9. rights
    rights: Text
    # 10. legal basis
    legal_basis: Text
    sikt_reference: str
    # 11. contacts
    project_leader: Contact
    dpo: Contact
    contacts: tuple[Contact, ...]
    # consent declaration items
    consent_items: tuple[ConsentItem, ...]
    forms: tuple[Form, ...]
    letters: tuple[Letter, ...] = ()
    sender: Contact | None = None  # who signs the invitation letter
    base_url: str = "https://deltaker.example.no"  # short web address printed on letters
    default_language: str = "nb"
    # Counts smaller than this are shown as "< N" on reports that may leave the project.
    disclosure_threshold: int = 5
    # records for the data protection officer (consent records, record of processing)
    processing: Processing = field(default_factory=Processing)
    # the author's marks on changed consent texts (material or minor)
    consent_changes: tuple[ConsentChange, ...] = ()
    source_dir: str | None = field(default=None, compare=False)

    def form(self, form_id: str) -> Form:
        for form in self.forms:
            if form.id == form_id:
                return form
        raise KeyError(form_id)

    def letter(self, letter_id: str) -> Letter:
        for letter in self.letters:
            if letter.id == letter_id:
                return letter
        raise KeyError(letter_id)

    def consent_change(self, item: str, version: str) -> ConsentChange | None:
        """The author's mark on the change of ``item`` that made ``version`` (None: unmarked)."""
        for change in self.consent_changes:
            if change.item == item and change.version == version:
                return change
        return None

    def consent_item(self, item_id: str) -> ConsentItem:
        for item in self.consent_items:
            if item.id == item_id:
                return item
        raise KeyError(item_id)

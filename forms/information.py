"""The Sikt/NSD-style information letter and consent declaration, built from a Study.

``information_letter(study, language)`` returns the letter as plain data: twelve
sections in the order Norwegian research projects use (DESIGN.md), each a
heading and paragraphs, and the consent declaration (section 12) with one line
per consent item. Printing and the web app render this one structure, so the
paper letter and the web page say the same thing.

The headings and fixed sentences (forms/words/letter.py) are written in bokmål,
nynorsk and English and, in forms/words/translations/, in Arabic, Polish,
Ukrainian, Somali and Tigrinya (plain language, "du"): LETTER_LANGUAGES. The
study-specific paragraphs come from the Study's fields. Pure: no framework.
"""

from __future__ import annotations

from dataclasses import dataclass

from forms.errors import UserError
from forms.model import Contact, DataAtEnd, Study, Text, WithdrawalPolicy
from forms.phrases import LETTER_LANGUAGES, format_date, join_list, phrase

#: Sikt's data protection services, named in section 11 of every letter.
SIKT_EMAIL = "personverntjenester@sikt.no"
SIKT_PHONE = "73 98 40 40"

#: Section keys in letter order (1-12); printing and tests rely on this order.
SECTION_KEYS: tuple[str, ...] = (
    "invitation",  # 1. title as a question + introduction
    "purpose",  # 2.
    "responsible",  # 3.
    "why_asked",  # 4.
    "participation",  # 5.
    "voluntary",  # 6.
    "privacy",  # 7.
    "end_of_project",  # 8.
    "rights",  # 9.
    "legal_basis",  # 10.
    "more_information",  # 11.
    "consent",  # 12. consent declaration
)


class InformationLetterError(UserError):
    """The letter cannot be written (e.g. the study lacks the language asked for)."""


@dataclass(frozen=True)
class LetterSection:
    number: int  # 1-12, the position in the Sikt order
    key: str  # stable name from SECTION_KEYS
    heading: str
    paragraphs: tuple[str, ...]


@dataclass(frozen=True)
class DeclarationItem:
    consent_item: str  # the study's consent item id (what the ledger records)
    text: str
    required: bool


@dataclass(frozen=True)
class ConsentDeclaration:
    """Section 12 as fields: the opening sentence, one box per item, then signature."""

    heading: str
    intro: str  # "I have received and understood information ... I consent to:"
    items: tuple[DeclarationItem, ...]
    until_end: str  # "I consent to my data being processed until the project ends (date)."
    required_note: str  # explains the mark on items that must be ticked to take part
    signature_label: str
    date_label: str
    name_label: str


@dataclass(frozen=True)
class InformationLetter:
    study_id: str
    language: str  # of the study's texts
    title: str  # the question: "Vil du delta i forskningsprosjektet «…»?"
    sections: tuple[LetterSection, ...]  # all twelve, in order
    declaration: ConsentDeclaration
    closing: tuple[str, ...]  # greeting and who signs
    fixed_language: str = ""  # of the headings and standard sentences (= language, or fallback)

    def section(self, key: str) -> LetterSection:
        for section in self.sections:
            if section.key == key:
                return section
        raise KeyError(key)

    def texts(self) -> tuple[str, ...]:
        """Every sentence a person reads, in order (for readability checks and search)."""
        out: list[str] = [self.title]
        for section in self.sections:
            out.append(section.heading)
            out.extend(section.paragraphs)
        d = self.declaration
        out.extend([d.intro, *(i.text for i in d.items), d.until_end])
        return tuple(out)


def _fixed(key: str, language: str, **fmt: object) -> str:
    """The letter's fixed wording (forms/words/letter.py), from the one table of words."""
    return phrase(key, language, **fmt)


def _text(value: Text | None, language: str, easy: bool = False) -> str:
    return value.get(language, easy=easy).strip() if value is not None else ""


def _paragraphs(*parts: str) -> tuple[str, ...]:
    """Non-empty paragraphs; a study text with blank lines becomes several paragraphs."""
    out: list[str] = []
    for part in parts:
        out.extend(p.strip() for p in part.split("\n\n") if p.strip())
    return tuple(out)


def _contact_line(contact: Contact, role: str, language: str) -> str:
    who = contact.name
    if role:
        who += f", {role}"
    if contact.organisation:
        who += f" {_fixed('letter_at', language)} {contact.organisation}"
    reach = []
    if contact.phone:
        reach.append(f"{_fixed('letter_phone', language)} {contact.phone}")
    if contact.email:
        reach.append(f"{_fixed('letter_email', language)} {contact.email}")
    return who + (": " + ", ".join(reach) if reach else "") + "."


def _end_sentence(policy: DataAtEnd, language: str) -> str:
    return {
        DataAtEnd.DELETE: _fixed("letter_end_delete", language),
        DataAtEnd.ANONYMISE: _fixed("letter_end_anonymise", language),
        DataAtEnd.KEEP: _fixed("letter_end_keep", language),
    }[policy]


def _withdraw_sentence(policy: WithdrawalPolicy, language: str) -> str:
    return {
        WithdrawalPolicy.DELETE: _fixed("letter_withdraw_delete", language),
        WithdrawalPolicy.KEEP: _fixed("letter_withdraw_keep", language),
    }[policy]


def information_letter(
    study: Study, language: str, *, fallback: str | None = None, easy: bool = False
) -> InformationLetter:
    """The study's information letter and consent declaration in ``language``.

    The study's own texts are in ``language``; the fixed wording (headings, the
    standard sentences) exists in :data:`~forms.phrases.LETTER_LANGUAGES`. For
    another language the fixed wording is in ``fallback`` when given (printing and
    the web pages use English), else this is an error. Raises
    :class:`InformationLetterError` also when the study is not offered in ``language``.
    With ``easy`` the study's texts are in their easy-to-read variant where the study
    wrote one (a format profile's easy-read; consent items keep their exact text, as
    the consent form prints it).
    """
    fx = language if language in LETTER_LANGUAGES else fallback
    if fx not in LETTER_LANGUAGES:
        raise InformationLetterError(
            "the information letter's fixed wording is written in "
            f"{', '.join(LETTER_LANGUAGES)} only, not {language!r}; "
            "pass fallback='en' to use English for it"
        )
    if language not in study.languages:
        raise InformationLetterError(
            f"study {study.id!r} is not offered in {language!r} "
            f"(its languages: {', '.join(study.languages)})"
        )
    lang = language
    title = _text(study.title, lang)
    end_date = format_date(study.end_date, fx)

    responsible = [_fixed("letter_responsible", fx, institution=study.institution)]
    if study.partners:
        responsible.append(_fixed("letter_partners", fx, partners=join_list(study.partners, fx)))

    contacts: list[str] = [_fixed("letter_more_intro", fx)]
    seen: set[tuple[str, str | None]] = set()
    leader = study.project_leader
    contacts.append(_contact_line(leader, _fixed("letter_project_leader", fx), fx))
    seen.add((leader.name, leader.email))
    for contact in study.contacts:
        if (contact.name, contact.email) in seen:
            continue
        seen.add((contact.name, contact.email))
        contacts.append(_contact_line(contact, _text(contact.role, lang, easy), fx))
    contacts.append(_contact_line(study.dpo, _fixed("letter_dpo", fx), fx))
    contacts.append(_fixed("letter_sikt_contact", fx, email=SIKT_EMAIL, phone=SIKT_PHONE))

    bodies: tuple[tuple[str, tuple[str, ...]], ...] = (
        (_fixed("letter_title", fx, title=title), (_fixed("letter_intro", fx),)),
        (_fixed("letter_h_purpose", fx), _paragraphs(_text(study.purpose, lang, easy))),
        (_fixed("letter_h_responsible", fx), tuple(responsible)),
        (
            _fixed("letter_h_why_asked", fx),
            _paragraphs(_text(study.why_asked, lang, easy), _text(study.mediated_by, lang, easy)),
        ),
        (
            _fixed("letter_h_participation", fx),
            _paragraphs(
                _text(study.participation, lang, easy), _text(study.data_collected, lang, easy)
            ),
        ),
        (
            _fixed("letter_h_voluntary", fx),
            _paragraphs(
                _fixed("letter_voluntary", fx)
                + " "
                + _withdraw_sentence(study.withdrawal_policy, fx),
                _fixed("letter_no_consequences", fx),
                _text(study.no_effect_on_services, lang, easy),
            ),
        ),
        (
            _fixed("letter_h_privacy", fx),
            _paragraphs(
                _fixed("letter_privacy", fx),
                _text(study.access, lang, easy),
                _text(study.storage, lang, easy),
                _fixed("letter_names_apart", fx),
                _text(study.recognisable, lang, easy),
            ),
        ),
        (
            _fixed("letter_h_end", fx),
            _paragraphs(
                _fixed("letter_end_date", fx, date=end_date)
                + " "
                + _end_sentence(study.data_at_end, fx),
                _text(study.end_of_project, lang, easy),
            ),
        ),
        (
            _fixed("letter_h_rights", fx),
            _paragraphs(
                _fixed("letter_rights", fx),
                _text(study.rights, lang, easy),
                _fixed("letter_complaint", fx),
            ),
        ),
        (
            _fixed("letter_h_legal_basis", fx),
            _paragraphs(
                _fixed("letter_legal_consent", fx),
                _text(study.legal_basis, lang, easy),
                _fixed("letter_sikt_assessment", fx, reference=study.sikt_reference),
            ),
        ),
        (_fixed("letter_h_more", fx), tuple(contacts)),
        (_fixed("letter_h_consent", fx), (_fixed("letter_declaration", fx, title=title),)),
    )
    sections = tuple(
        LetterSection(number=n, key=key, heading=heading, paragraphs=paragraphs)
        for n, (key, (heading, paragraphs)) in enumerate(
            zip(SECTION_KEYS, bodies, strict=True), start=1
        )
    )
    declaration = ConsentDeclaration(
        heading=_fixed("letter_h_consent", fx),
        intro=_fixed("letter_declaration", fx, title=title),
        items=tuple(
            DeclarationItem(ci.id, _text(ci.text, lang), ci.required) for ci in study.consent_items
        ),
        until_end=_fixed("letter_until_end", fx, date=end_date),
        required_note=_fixed("letter_required_note", fx),
        signature_label=phrase("signature", fx),
        date_label=phrase("date", fx),
        name_label=phrase("name_block_letters", fx),
    )
    signer = study.sender or study.project_leader
    closing = tuple(
        line
        for line in (
            _fixed("letter_greeting", fx),
            signer.name,
            _text(signer.role, lang),
            signer.organisation or "",
        )
        if line
    )
    return InformationLetter(
        study_id=study.id,
        language=lang,
        fixed_language=fx,
        title=sections[0].heading,
        sections=sections,
        declaration=declaration,
        closing=closing,
    )

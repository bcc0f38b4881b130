"""The Sikt/NSD-style information letter and consent declaration, built from a Study.

``information_letter(study, language)`` returns the letter as plain data: twelve
sections in the order Norwegian research projects use (DESIGN.md), each a
heading and paragraphs, and the consent declaration (section 12) with one line
per consent item. Printing and the web app render this one structure, so the
paper letter and the web page say the same thing.

The headings and fixed sentences are written here in bokmål, nynorsk and
English (plain language, "du"); the study-specific paragraphs come from the
Study's fields. Pure: no framework.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from forms.errors import UserError
from forms.model import Contact, DataAtEnd, Study, Text, WithdrawalPolicy
from forms.phrases import LANGUAGES, format_date, join_list, phrase

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


# Fixed wording, one entry per language. {placeholders} are filled in below.
_FIXED: Mapping[str, Mapping[str, str]] = {
    "title": {
        "nb": "Vil du delta i forskningsprosjektet «{title}»?",
        "nn": "Vil du delta i forskingsprosjektet «{title}»?",
        "en": "Will you take part in the research project «{title}»?",
    },
    "intro": {
        "nb": "Dette er et spørsmål til deg om å være med i et forskningsprosjekt. "
        "I dette skrivet forteller vi hva prosjektet handler om. "
        "Du får også vite hva det betyr for deg å være med.",
        "nn": "Dette er eit spørsmål til deg om å vere med i eit forskingsprosjekt. "
        "I dette skrivet fortel vi kva prosjektet handlar om. "
        "Du får også vite kva det betyr for deg å vere med.",
        "en": "This is a question to you about taking part in a research project. "
        "In this letter we tell you what the project is about. "
        "You can also read what it means for you to take part.",
    },
    "h_purpose": {"nb": "Formål", "nn": "Formål", "en": "Purpose of the project"},
    "h_responsible": {
        "nb": "Hvem er ansvarlig for prosjektet?",
        "nn": "Kven er ansvarleg for prosjektet?",
        "en": "Who is responsible for the project?",
    },
    "responsible": {
        "nb": "{institution} er ansvarlig for prosjektet.",
        "nn": "{institution} er ansvarleg for prosjektet.",
        "en": "{institution} is responsible for the project.",
    },
    "partners": {
        "nb": "Vi samarbeider med {partners}.",
        "nn": "Vi samarbeider med {partners}.",
        "en": "We work together with {partners}.",
    },
    "h_why_asked": {
        "nb": "Hvorfor får du spørsmål om å være med?",
        "nn": "Kvifor får du spørsmål om å vere med?",
        "en": "Why are you asked to take part?",
    },
    "h_participation": {
        "nb": "Hva betyr det for deg å være med?",
        "nn": "Kva betyr det for deg å vere med?",
        "en": "What does taking part mean for you?",
    },
    "h_voluntary": {
        "nb": "Det er frivillig å være med",
        "nn": "Det er frivillig å vere med",
        "en": "Taking part is voluntary",
    },
    "voluntary": {
        "nb": "Det er frivillig å være med i prosjektet. "
        "Hvis du er med, kan du når som helst trekke samtykket ditt. "
        "Du trenger ikke å si hvorfor.",
        "nn": "Det er frivillig å vere med i prosjektet. "
        "Viss du er med, kan du når som helst trekkje samtykket ditt. "
        "Du treng ikkje å seie kvifor.",
        "en": "Taking part in the project is voluntary. "
        "If you take part, you can withdraw your consent at any time. "
        "You do not need to say why.",
    },
    "withdraw_delete": {
        "nb": "Trekker du deg, sletter vi alle opplysningene om deg.",
        "nn": "Trekkjer du deg, slettar vi alle opplysningane om deg.",
        "en": "If you withdraw, we delete all the information about you.",
    },
    "withdraw_keep": {
        "nb": "Trekker du deg, samler vi ikke inn mer om deg. "
        "Det vi fikk før du trakk deg, beholder vi og bruker i prosjektet.",
        "nn": "Trekkjer du deg, samlar vi ikkje inn meir om deg. "
        "Det vi fekk før du trekte deg, held vi på og brukar i prosjektet.",
        "en": "If you withdraw, we collect nothing more about you. "
        "We keep and use what we got before you withdrew.",
    },
    "no_consequences": {
        "nb": "Det får ingen følger for deg om du sier nei. Det gjelder også om du trekker "
        "deg senere.",
        "nn": "Det får ingen følgjer for deg om du seier nei. Det gjeld også om du trekkjer "
        "deg seinare.",
        "en": "Nothing happens to you if you say no. The same goes if you withdraw later.",
    },
    "h_privacy": {
        "nb": "Ditt personvern: slik lagrer og bruker vi opplysningene dine",
        "nn": "Personvernet ditt: slik lagrar og brukar vi opplysningane dine",
        "en": "Your privacy: how we store and use your information",
    },
    "privacy": {
        "nb": "Vi bruker opplysningene om deg bare til det vi har fortalt om i dette skrivet. "
        "Vi behandler dem fortrolig og følger reglene for personvern.",
        "nn": "Vi brukar opplysningane om deg berre til det vi har fortalt om i dette skrivet. "
        "Vi behandlar dei fortruleg og følgjer reglane for personvern.",
        "en": "We use the information about you only for what this letter tells you about. "
        "We treat it in confidence and follow the privacy rules.",
    },
    "names_apart": {
        "nb": "Navnet ditt og kontaktopplysningene dine lagrer vi for seg, "
        "adskilt fra svarene dine. På svarene står det bare en kode.",
        "nn": "Namnet ditt og kontaktopplysningane dine lagrar vi for seg, "
        "skilde frå svara dine. På svara står det berre ein kode.",
        "en": "We keep your name and contact details on their own, "
        "apart from your answers. Your answers carry only a code.",
    },
    "h_end": {
        "nb": "Hva skjer med opplysningene dine når prosjektet er slutt?",
        "nn": "Kva skjer med opplysningane dine når prosjektet er slutt?",
        "en": "What happens to your information when the project ends?",
    },
    "end_date": {
        "nb": "Prosjektet slutter {date}.",
        "nn": "Prosjektet sluttar {date}.",
        "en": "The project ends on {date}.",
    },
    "end_delete": {
        "nb": "Da sletter vi alle opplysningene om deg.",
        "nn": "Då slettar vi alle opplysningane om deg.",
        "en": "We will then delete all the information about you.",
    },
    "end_anonymise": {
        "nb": "Da sletter vi navn og alt annet som kan vise at det er deg. "
        "Det som er igjen, kan ingen knytte til deg.",
        "nn": "Då slettar vi namn og alt anna som kan vise at det er deg. "
        "Det som er att, kan ingen knyte til deg.",
        "en": "We will then delete your name and everything else that can show it is you. "
        "Nobody can link what is left to you.",
    },
    "end_keep": {
        "nb": "Noen opplysninger blir lagret videre etter at prosjektet er slutt.",
        "nn": "Nokre opplysningar blir lagra vidare etter at prosjektet er slutt.",
        "en": "Some information will be kept after the project ends.",
    },
    "h_rights": {"nb": "Dine rettigheter", "nn": "Rettane dine", "en": "Your rights"},
    "rights": {
        "nb": "Så lenge vi kan finne deg i opplysningene, har du disse rettighetene: "
        "Du kan se hvilke opplysninger vi har om deg. Du kan få en kopi av dem. "
        "Du kan få rettet opplysninger som er feil. "
        "Du kan få slettet opplysninger om deg.",
        "nn": "Så lenge vi kan finne deg i opplysningane, har du desse rettane: "
        "Du kan sjå kva opplysningar vi har om deg. Du kan få ein kopi av dei. "
        "Du kan få retta opplysningar som er feil. "
        "Du kan få sletta opplysningar om deg.",
        "en": "As long as we can find you in the information, you have these rights: "
        "You can see what information we hold about you. You can get a copy of it. "
        "You can have wrong information corrected. "
        "You can have information about you deleted.",
    },
    "complaint": {
        "nb": "Du kan klage til Datatilsynet hvis du mener vi bruker opplysningene dine feil.",
        "nn": "Du kan klage til Datatilsynet viss du meiner vi brukar opplysningane dine feil.",
        "en": "You can complain to Datatilsynet if you think we use your information wrongly. "
        "Datatilsynet is the Norwegian Data Protection Authority.",
    },
    "h_legal_basis": {
        "nb": "Hva gir oss rett til å bruke opplysninger om deg?",
        "nn": "Kva gir oss rett til å bruke opplysningar om deg?",
        "en": "What gives us the right to use information about you?",
    },
    "legal_consent": {
        "nb": "Vi bruker opplysninger om deg fordi du har sagt ja til det (samtykke).",
        "nn": "Vi brukar opplysningar om deg fordi du har sagt ja til det (samtykke).",
        "en": "We use information about you because you have said yes to it (consent).",
    },
    "sikt_assessment": {
        "nb": "Sikt har vurdert prosjektet. De mener at vi følger reglene for personvern. "
        "Saksnummeret hos Sikt er {reference}.",
        "nn": "Sikt har vurdert prosjektet. Dei meiner at vi følgjer reglane for personvern. "
        "Saksnummeret hos Sikt er {reference}.",
        "en": "Sikt has assessed the project. They find that we follow the privacy rules. "
        "The reference number at Sikt is {reference}.",
    },
    "h_more": {
        "nb": "Hvor kan du finne ut mer?",
        "nn": "Kvar kan du finne ut meir?",
        "en": "Where can you find out more?",
    },
    "more_intro": {
        "nb": "Har du spørsmål, eller vil du bruke rettighetene dine? Ta kontakt med:",
        "nn": "Har du spørsmål, eller vil du bruke rettane dine? Ta kontakt med:",
        "en": "Do you have questions, or do you want to use your rights? Contact:",
    },
    "project_leader": {"nb": "prosjektleder", "nn": "prosjektleiar", "en": "project leader"},
    "dpo": {
        "nb": "personvernombudet",
        "nn": "personvernombodet",
        "en": "the data protection officer",
    },
    "at": {"nb": "ved", "nn": "ved", "en": "at"},
    "phone": {"nb": "telefon", "nn": "telefon", "en": "phone"},
    "email": {"nb": "e-post", "nn": "e-post", "en": "email"},
    "sikt_contact": {
        "nb": "Sikt, som gir råd om personvern i forskning: e-post {email}, telefon {phone}.",
        "nn": "Sikt, som gir råd om personvern i forsking: e-post {email}, telefon {phone}.",
        "en": "Sikt, who give advice on privacy in research: email {email}, phone {phone}.",
    },
    "h_consent": {
        "nb": "Samtykkeerklæring",
        "nn": "Samtykkeerklæring",
        "en": "Consent declaration",
    },
    "declaration": {
        "nb": "Jeg har fått og forstått informasjon om prosjektet «{title}», "
        "og jeg har fått stille spørsmål. Jeg samtykker til:",
        "nn": "Eg har fått og forstått informasjon om prosjektet «{title}», "
        "og eg har fått stille spørsmål. Eg samtykkjer til:",
        "en": "I have received and understood information about the project «{title}», "
        "and I have had the chance to ask questions. I consent to:",
    },
    "until_end": {
        "nb": "Jeg samtykker til at opplysningene mine blir brukt til prosjektet er slutt, {date}.",
        "nn": "Eg samtykkjer til at opplysningane mine blir brukte til prosjektet er slutt, "
        "{date}.",
        "en": "I consent to my information being used until the project ends on {date}.",
    },
    "required_note": {
        "nb": "Du må krysse av for det som er merket med *, for å være med.",
        "nn": "Du må krysse av for det som er merkt med *, for å vere med.",
        "en": "To take part, you must tick the items marked with *.",
    },
    "greeting": {
        "nb": "Med vennlig hilsen",
        "nn": "Med venleg helsing",
        "en": "Kind regards",
    },
}


def _fixed(key: str, language: str, **fmt: object) -> str:
    return _FIXED[key][language].format(**fmt)


def _text(value: Text | None, language: str) -> str:
    return value.get(language).strip() if value is not None else ""


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
        who += f" {_fixed('at', language)} {contact.organisation}"
    reach = []
    if contact.phone:
        reach.append(f"{_fixed('phone', language)} {contact.phone}")
    if contact.email:
        reach.append(f"{_fixed('email', language)} {contact.email}")
    return who + (": " + ", ".join(reach) if reach else "") + "."


def _end_sentence(policy: DataAtEnd, language: str) -> str:
    return {
        DataAtEnd.DELETE: _fixed("end_delete", language),
        DataAtEnd.ANONYMISE: _fixed("end_anonymise", language),
        DataAtEnd.KEEP: _fixed("end_keep", language),
    }[policy]


def _withdraw_sentence(policy: WithdrawalPolicy, language: str) -> str:
    return {
        WithdrawalPolicy.DELETE: _fixed("withdraw_delete", language),
        WithdrawalPolicy.KEEP: _fixed("withdraw_keep", language),
    }[policy]


def information_letter(
    study: Study, language: str, *, fallback: str | None = None
) -> InformationLetter:
    """The study's information letter and consent declaration in ``language``.

    The study's own texts are in ``language``; the fixed wording (headings, the
    standard sentences) exists in nb, nn and en. For another language the fixed
    wording is in ``fallback`` when given (printing uses English), else this is an
    error. Raises :class:`InformationLetterError` also when the study is not
    offered in ``language``.
    """
    fx = language if language in LANGUAGES else fallback
    if fx not in LANGUAGES:
        raise InformationLetterError(
            f"the information letter's fixed wording is written in {', '.join(LANGUAGES)} "
            f"only, not {language!r}; pass fallback='en' to use English for it"
        )
    if language not in study.languages:
        raise InformationLetterError(
            f"study {study.id!r} is not offered in {language!r} "
            f"(its languages: {', '.join(study.languages)})"
        )
    lang = language
    title = _text(study.title, lang)
    end_date = format_date(study.end_date, fx)

    responsible = [_fixed("responsible", fx, institution=study.institution)]
    if study.partners:
        responsible.append(_fixed("partners", fx, partners=join_list(study.partners, fx)))

    contacts: list[str] = [_fixed("more_intro", fx)]
    seen: set[tuple[str, str | None]] = set()
    leader = study.project_leader
    contacts.append(_contact_line(leader, _fixed("project_leader", fx), fx))
    seen.add((leader.name, leader.email))
    for contact in study.contacts:
        if (contact.name, contact.email) in seen:
            continue
        seen.add((contact.name, contact.email))
        contacts.append(_contact_line(contact, _text(contact.role, lang), fx))
    contacts.append(_contact_line(study.dpo, _fixed("dpo", fx), fx))
    contacts.append(_fixed("sikt_contact", fx, email=SIKT_EMAIL, phone=SIKT_PHONE))

    bodies: tuple[tuple[str, tuple[str, ...]], ...] = (
        (_fixed("title", fx, title=title), (_fixed("intro", fx),)),
        (_fixed("h_purpose", fx), _paragraphs(_text(study.purpose, lang))),
        (_fixed("h_responsible", fx), tuple(responsible)),
        (
            _fixed("h_why_asked", fx),
            _paragraphs(_text(study.why_asked, lang), _text(study.mediated_by, lang)),
        ),
        (
            _fixed("h_participation", fx),
            _paragraphs(_text(study.participation, lang), _text(study.data_collected, lang)),
        ),
        (
            _fixed("h_voluntary", fx),
            _paragraphs(
                _fixed("voluntary", fx) + " " + _withdraw_sentence(study.withdrawal_policy, fx),
                _fixed("no_consequences", fx),
                _text(study.no_effect_on_services, lang),
            ),
        ),
        (
            _fixed("h_privacy", fx),
            _paragraphs(
                _fixed("privacy", fx),
                _text(study.access, lang),
                _text(study.storage, lang),
                _fixed("names_apart", fx),
                _text(study.recognisable, lang),
            ),
        ),
        (
            _fixed("h_end", fx),
            _paragraphs(
                _fixed("end_date", fx, date=end_date) + " " + _end_sentence(study.data_at_end, fx),
                _text(study.end_of_project, lang),
            ),
        ),
        (
            _fixed("h_rights", fx),
            _paragraphs(_fixed("rights", fx), _text(study.rights, lang), _fixed("complaint", fx)),
        ),
        (
            _fixed("h_legal_basis", fx),
            _paragraphs(
                _fixed("legal_consent", fx),
                _text(study.legal_basis, lang),
                _fixed("sikt_assessment", fx, reference=study.sikt_reference),
            ),
        ),
        (_fixed("h_more", fx), tuple(contacts)),
        (_fixed("h_consent", fx), (_fixed("declaration", fx, title=title),)),
    )
    sections = tuple(
        LetterSection(number=n, key=key, heading=heading, paragraphs=paragraphs)
        for n, (key, (heading, paragraphs)) in enumerate(
            zip(SECTION_KEYS, bodies, strict=True), start=1
        )
    )
    declaration = ConsentDeclaration(
        heading=_fixed("h_consent", fx),
        intro=_fixed("declaration", fx, title=title),
        items=tuple(
            DeclarationItem(ci.id, _text(ci.text, lang), ci.required) for ci in study.consent_items
        ),
        until_end=_fixed("until_end", fx, date=end_date),
        required_note=_fixed("required_note", fx),
        signature_label=phrase("signature", fx),
        date_label=phrase("date", fx),
        name_label=phrase("name_block_letters", fx),
    )
    signer = study.sender or study.project_leader
    closing = tuple(
        line
        for line in (
            _fixed("greeting", fx),
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

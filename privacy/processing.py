"""The record of processing activities (GDPR Art. 30) and the study facts consent records share.

Pure code over the study's stored definition (``studies.definition``, the JSON
``intake.definitions.study_to_json`` writes) and the stored definitions of its
forms: nothing here touches a database. ``study.yaml``'s optional
``processing:`` block says what a data protection officer would otherwise
retype; every field it leaves out gets a default derived from the study:

- controller: the institution, with the project leader's address, phone and e-mail;
- categories of people: people invited to the study, and who answers each questionnaire;
- categories of data: contact details, consent decisions, and one line per form
  from its items (the table :data:`ITEM_DATA_CATEGORY`, one entry per item type);
- recipients: the letter's "who can see the data" text;
- transfers: none outside the jurisdiction;
- security measures: what Deltaker itself does (:data:`TOOL_SECURITY_MEASURES`);
- storage location: the letter's "how we store your data" text.

Art. 30(1) lists what the record holds: (a) the controller and DPO, (b) the
purposes, (c) the categories of people and of data, (d) the recipients,
(e) transfers to third countries, (f) the time limits for erasure, (g) the
security measures. :func:`processing_sections` returns those, in that order.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from forms.model import ItemType

#: The language staff documents are written in when the study has it.
STAFF_LANGUAGE = "en"

#: What one answerable item of each type says about a person, as a category of data.
#: None: the type asks nothing. A test checks that every ItemType is here.
ITEM_DATA_CATEGORY: Mapping[ItemType, str | None] = {
    ItemType.SINGLE_CHOICE: "answers ticked from given choices",
    ItemType.MULTIPLE_CHOICE: "answers ticked from given choices",
    ItemType.YES_NO: "yes/no answers",
    ItemType.SCALE: "ratings on a scale",
    ItemType.SHORT_TEXT: "free text written by the person (may hold anything they write)",
    ItemType.LONG_TEXT: "free text written by the person (may hold anything they write)",
    ItemType.NUMBER: "numbers",
    ItemType.DATE: "dates",
    ItemType.SIGNATURE: "handwritten signatures (image of the signature box)",
    ItemType.CONSENT: "consent decisions per item",
    ItemType.INFO: None,
}

#: Categories of data every study holds, whatever its forms ask.
BASE_DATA_CATEGORIES = (
    "participant code (a pseudonym) and language",
    "contact details for letters: name, address, postcode, city, phone, e-mail "
    "(kept apart from the answers)",
    "consent events: what was agreed to or withdrawn, when, through which channel, "
    "on which text version, with the evidence (scanned page hash or web submission)",
)

#: Categories of data added when the study has paper forms (every study can).
PAPER_DATA_CATEGORY = (
    "images of returned paper pages and of their handwritten fields (kept as evidence)"
)

#: What Deltaker itself does to keep personal data safe (Art. 30(1)(g), Art. 32).
TOOL_SECURITY_MEASURES = (
    "names and addresses are stored apart from answers; exports for analysis carry "
    "participant codes only",
    "every consent event is kept in an append-only, hash-chained ledger that can be "
    "verified (deltaker audit verify)",
    "answer links carry random tokens of at least 128 bits, stored only as keyed hashes",
    "evidence files (page images, crops) are stored under their SHA-256 and checked against it",
    "staff sign in with personal accounts and roles per study (recruiter, assistant, dpo, admin)",
    "every export of personal data is logged (who, when, what, how many people)",
    "uploaded files are parsed in a separate process with memory, CPU and time limits",
    "data are erased or anonymised at the study's end date, and on withdrawal when the "
    "policy says so, with a ledger event recording it",
)

#: What the data become at the end date, in words (DataAtEnd values).
DATA_AT_END_WORDS = {
    "delete": "deleted",
    "anonymise": "anonymised",
    "keep": "kept",
}


@dataclass(frozen=True)
class Controller:
    """The PII controller (ISO/IEC TS 27560 'pii_controllers'; GDPR Art. 4(7))."""

    name: str
    address: str
    phone: str
    email: str


@dataclass(frozen=True)
class Purpose:
    """One consent item: a separate purpose a person can say yes to."""

    id: str
    texts: Mapping[str, str]  # language -> the text on the consent form
    required: bool


@dataclass(frozen=True)
class StudyFacts:
    """What the consent records and the record of processing say about a study."""

    key: str
    title: str
    language: str  # the language the staff texts below are in
    languages: tuple[str, ...]
    purpose: str
    institution: str
    controller: Controller
    leader: str
    dpo: str
    legal_basis: str
    sikt_reference: str
    purposes: tuple[Purpose, ...]
    data_subjects: tuple[str, ...]
    data_categories: tuple[str, ...]
    recipients: tuple[str, ...]
    transfers: tuple[str, ...]
    storage_location: str
    jurisdiction: str
    end_date: dt.date
    data_at_end: str
    end_of_project: str
    security_measures: tuple[str, ...]
    base_url: str
    withdrawal_phone: str
    withdrawal_slip: bool  # the study has a paper withdrawal form
    information_version: str  # forms.version.study_text_version, "" if not stored

    @property
    def retention(self) -> str:
        became = DATA_AT_END_WORDS.get(self.data_at_end, self.data_at_end)
        return f"until {self.end_date.isoformat()}; then the data are {became}"


def _text(value: Any, language: str) -> str:
    if not isinstance(value, Mapping):
        return str(value or "")
    values = value.get("values", {})
    return str(values.get(language) or next(iter(values.values()), ""))


def _contact_line(contact: Mapping[str, Any] | None) -> str:
    if not contact:
        return ""
    parts = (contact.get(k) for k in ("name", "organisation", "phone", "email"))
    return ", ".join(str(p) for p in parts if p)


def _form_categories(form: Mapping[str, Any], language: str) -> list[str]:
    title = _text(form.get("title"), language) or str(form.get("id", ""))
    kinds: list[str] = []
    for section in form.get("sections", ()):
        for item in section.get("items", ()):
            category = ITEM_DATA_CATEGORY.get(ItemType(item["type"]))
            if category and category not in kinds:
                kinds.append(category)
    return [f"«{title}»: {', '.join(kinds)}"] if kinds else []


def study_facts(
    definition: Mapping[str, Any], forms: Sequence[Mapping[str, Any]], *, key: str = ""
) -> StudyFacts:
    """The facts from the stored study definition and its forms' latest stored definitions."""
    languages = tuple(definition.get("languages") or ("nb",))
    default = definition.get("default_language") or languages[0]
    lang = STAFF_LANGUAGE if STAFF_LANGUAGE in languages else default
    processing: Mapping[str, Any] = definition.get("processing") or {}
    leader: Mapping[str, Any] = definition.get("project_leader") or {}
    given: Mapping[str, Any] = processing.get("controller") or {}
    institution = str(definition.get("institution") or "")
    controller = Controller(
        name=str(given.get("name") or institution),
        address=str(given.get("address") or leader.get("address") or ""),
        phone=str(given.get("phone") or leader.get("phone") or ""),
        email=str(given.get("email") or leader.get("email") or ""),
    )
    title = _text(definition.get("title"), lang)
    questionnaires = [f for f in forms if f.get("kind") == "questionnaire"]
    subjects = tuple(processing.get("data_subjects") or ()) or (
        f"people invited to take part in «{title}»",
        *(
            f"people who answer «{_text(f.get('title'), lang) or f.get('id')}»"
            for f in questionnaires
        ),
    )
    categories = tuple(processing.get("data_categories") or ()) or (
        *BASE_DATA_CATEGORIES,
        PAPER_DATA_CATEGORY,
        *(c for f in forms if f.get("kind") != "consent" for c in _form_categories(f, lang)),
    )
    jurisdiction = str(processing.get("jurisdiction") or "NO")
    recipients = tuple(processing.get("recipients") or ()) or (
        _text(definition.get("access"), lang),
    )
    transfers = tuple(processing.get("transfers") or ()) or (
        f"none: the data are not transferred outside {jurisdiction}",
    )
    return StudyFacts(
        key=str(definition.get("id") or key),
        title=title,
        language=lang,
        languages=languages,
        purpose=_text(definition.get("purpose"), lang),
        institution=institution,
        controller=controller,
        leader=_contact_line(leader),
        dpo=_contact_line(definition.get("dpo")),
        legal_basis=_text(definition.get("legal_basis"), lang),
        sikt_reference=str(definition.get("sikt_reference") or ""),
        purposes=tuple(
            Purpose(
                id=str(c["id"]),
                texts=dict((c.get("text") or {}).get("values", {})),
                required=bool(c.get("required", False)),
            )
            for c in definition.get("consent_items", ())
        ),
        data_subjects=subjects,
        data_categories=categories,
        recipients=recipients,
        transfers=transfers,
        storage_location=str(
            processing.get("storage_location") or _text(definition.get("storage"), lang)
        ),
        jurisdiction=jurisdiction,
        end_date=dt.date.fromisoformat(str(definition["end_date"])),
        data_at_end=str(definition.get("data_at_end") or ""),
        end_of_project=_text(definition.get("end_of_project"), lang),
        security_measures=tuple(processing.get("security_measures") or ())
        or TOOL_SECURITY_MEASURES,
        base_url=str(definition.get("base_url") or ""),
        withdrawal_phone=str(processing.get("withdrawal_phone") or leader.get("phone") or ""),
        withdrawal_slip=any(f.get("kind") == "withdrawal" for f in forms),
        information_version=str(definition.get("text_version") or ""),
    )


Section = tuple[str, list[tuple[str, str]]]


def processing_sections(facts: StudyFacts, *, generated: str) -> list[Section]:
    """The record as (heading, [(what, value)]) in the order of GDPR Art. 30(1)."""
    c = facts.controller
    return [
        (
            "Processing activity",
            [
                ("study", f"{facts.key}: {facts.title}"),
                ("record generated", generated),
                ("Sikt reference", facts.sikt_reference),
            ],
        ),
        (
            "(a) Controller and data protection officer",
            [
                ("controller", c.name),
                ("address", c.address),
                ("phone", c.phone),
                ("e-mail", c.email),
                ("project leader", facts.leader),
                ("data protection officer", facts.dpo),
            ],
        ),
        (
            "(b) Purposes of the processing",
            [
                ("purpose", facts.purpose),
                ("legal basis", "consent, GDPR Art. 6(1)(a); " + facts.legal_basis),
                *(
                    (
                        f"consent item {p.id}" + (" (required)" if p.required else ""),
                        p.texts.get(facts.language) or next(iter(p.texts.values()), ""),
                    )
                    for p in facts.purposes
                ),
            ],
        ),
        (
            "(c) Categories of data subjects and of personal data",
            [
                *(("data subjects", s) for s in facts.data_subjects),
                *(("personal data", d) for d in facts.data_categories),
            ],
        ),
        ("(d) Recipients", [("recipient", r) for r in facts.recipients]),
        ("(e) Transfers to third countries", [("transfer", t) for t in facts.transfers]),
        (
            "(f) Time limits for erasure",
            [
                ("retention", facts.retention),
                ("at the end", facts.end_of_project),
                ("storage location", facts.storage_location),
                ("jurisdiction", facts.jurisdiction),
            ],
        ),
        (
            "(g) Technical and organisational security measures",
            [("measure", m) for m in facts.security_measures],
        ),
    ]


def processing_tables(
    facts: StudyFacts, *, generated: str
) -> list[tuple[str, list[str], list[list[Any]]]]:
    """The same record as one workbook sheet: (sheet, headers, rows)."""
    rows = [
        [heading, what, value]
        for heading, pairs in processing_sections(facts, generated=generated)
        for what, value in pairs
    ]
    return [("Record of processing", ["section", "what", "value"], rows)]

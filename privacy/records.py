"""Consent records in the shape of ISO/IEC TS 27560:2023, written as DPV JSON-LD.

Pure code: :func:`build_records` folds plain ledger events
(:class:`consent.events.EventData`) and the study's facts
(:class:`privacy.processing.StudyFacts`) into typed records, one per
participant and consent item the ledger holds events about;
:func:`to_jsonld` writes them in the W3C DPVCG profile ``dpv-27560``.

Sources for the terms (read when this was written):
- "Consent Records and Receipts as per ISO/IEC TS 27560:2023 using DPV", DPVCG
  guide, https://w3id.org/dpv/guides/consent-27560 (w3c/dpv,
  guides/consent-27560.html), sections 8.1-8.5: the field table, cardinalities
  and the DPV property for each ISO field;
- the profile IRIs, https://w3id.org/dpv/schema/dpv-27560 (schema/dpv-27560.html).

How each ISO field is filled is the table in docs/consent.md ("Consent records
and the record of processing").

Events that are not consent decisions (``note``) stay out: they change no
state and their text may hold anything staff wrote. An ``erase`` event ends
every record of the person (``dpv:ConsentTerminated``).

Each record names its last event's ledger number and hash
(``deltaker:lastEventSeq``, ``deltaker:lastEventHash``): `deltaker audit
verify` recomputes the same hash, so a record can be checked against the
ledger (:func:`check_record_hashes`).
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from consent.events import ALL_ITEMS, PARTICIPANT_ACTOR, Action, Channel, EventData

from .processing import StudyFacts

#: The profile the records conform to (ISO/IEC TS 27560 'schema_version').
SCHEMA_VERSION = "https://w3id.org/dpv/schema/dpv-27560#record"
#: Deltaker's own terms (ledger numbers and hashes), which DPV has no words for.
DELTAKER_NS = "urn:deltaker:terms:"
#: Record ids are UUID-5 in this namespace: the same study, person and item, the same id.
RECORD_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "urn:deltaker:consent-record")

JSONLD_CONTEXT: Mapping[str, str] = {
    "dpv": "https://w3id.org/dpv#",
    "pd": "https://w3id.org/dpv/pd#",
    "loc": "https://w3id.org/dpv/loc#",
    "eu-gdpr": "https://w3id.org/dpv/legal/eu/gdpr#",
    "dct": "http://purl.org/dc/terms/",
    "schema": "https://schema.org/",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "deltaker": DELTAKER_NS,
}


class EventState(StrEnum):
    """DPV consent states (dpv:ConsentStatus) a ledger event puts a record in."""

    GIVEN = "dpv:ConsentGiven"
    RENEWED = "dpv:RenewedConsentGiven"
    REFUSED = "dpv:ConsentRefused"
    WITHDRAWN = "dpv:ConsentWithdrawn"
    TERMINATED = "dpv:ConsentTerminated"


#: Consent type (ISO 'event_type') by the channel the decision came through: a signed
#: paper declaration is explicitly expressed, a ticked box on the web is expressed.
CONSENT_TYPE: Mapping[Channel, str] = {
    Channel.PAPER: "dpv:ExplicitlyExpressedConsent",
    Channel.WEB: "dpv:ExpressedConsent",
    Channel.PHONE: "dpv:ExpressedConsent",
    Channel.STAFF: "dpv:ExpressedConsent",
}


@dataclass(frozen=True)
class RecordEvent:
    seq: int  # the ledger event
    time: str  # ISO 8601 UTC, as the ledger stores it
    actor: str  # the ledger's actor: 'participant' or the staff member's user name
    action: str
    state: EventState
    consent_type: str
    channel: str
    text_version: str
    evidence_sha256: str
    ledger_hash: str


@dataclass(frozen=True)
class WithdrawalMethod:
    kind: str  # link | slip | phone
    description: str
    at: str = ""  # a web address or phone number


@dataclass(frozen=True)
class ConsentRecord:
    record_id: str
    schema_version: str
    study: str
    participant: str  # the PII principal id: the participant code
    item: str
    purpose: Mapping[str, str]  # language -> consent item text
    required: bool
    language: str  # the language of the letters the person got
    notice_versions: tuple[str, ...]  # consent form text versions named by the decisions
    information_version: str
    facts: StudyFacts
    withdrawal: tuple[WithdrawalMethod, ...]
    events: tuple[RecordEvent, ...]

    @property
    def last_event(self) -> RecordEvent:
        return self.events[-1]

    @property
    def state(self) -> EventState:
        return self.last_event.state


def record_id(study: str, participant: str, item: str) -> str:
    return str(uuid.uuid5(RECORD_NAMESPACE, f"{study}\n{participant}\n{item}"))


def evidence_sha256(event: EventData) -> str:
    """The scanned page's hash when the event names one; else the hash of the evidence text.

    The evidence text is the ledger's canonical JSON (submission id, staff note), so
    anyone holding the ledger can recompute it, while the record shows no note.
    """
    page = event.evidence_dict.get("page_sha256")
    if isinstance(page, str) and page:
        return page
    return hashlib.sha256(event.evidence.encode("utf-8")).hexdigest()


def withdrawal_methods(facts: StudyFacts) -> tuple[WithdrawalMethod, ...]:
    methods = []
    if facts.base_url:
        methods.append(
            WithdrawalMethod(
                "link",
                "the answer link or code on the letter, page 'what you said yes to'",
                facts.base_url,
            )
        )
    if facts.withdrawal_slip:
        methods.append(WithdrawalMethod("slip", "the paper withdrawal slip, posted back"))
    if facts.withdrawal_phone:
        methods.append(
            WithdrawalMethod("phone", "a phone call to the project", facts.withdrawal_phone)
        )
    return tuple(methods)


def _state(event: EventData, granted_before: bool) -> EventState | None:
    if event.action == Action.GRANT:
        return EventState.RENEWED if granted_before else EventState.GIVEN
    if event.action == Action.DECLINE:
        # saying no after a yes takes the yes back (consent.status)
        return EventState.WITHDRAWN if granted_before else EventState.REFUSED
    if event.action == Action.WITHDRAW:
        return EventState.WITHDRAWN
    if event.action == Action.ERASE:
        return EventState.TERMINATED
    return None


def _history(events: Iterable[EventData], item: str) -> tuple[RecordEvent, ...]:
    history: list[RecordEvent] = []
    granted = False
    kind = CONSENT_TYPE[Channel.WEB]
    for event in events:
        if event.item not in (item, ALL_ITEMS):
            continue
        state = _state(event, granted)
        if state is None:
            continue
        if event.action in (Action.GRANT, Action.DECLINE):
            kind = CONSENT_TYPE.get(Channel(event.channel), kind)
        granted = granted or event.action == Action.GRANT
        history.append(
            RecordEvent(
                seq=event.seq,
                time=event.occurred_at,
                actor=event.actor,
                action=str(event.action),
                state=state,
                consent_type=kind,
                channel=str(event.channel),
                text_version=event.text_version,
                evidence_sha256=evidence_sha256(event),
                ledger_hash=event.hash,
            )
        )
    return tuple(history)


def build_records(
    facts: StudyFacts,
    people: Sequence[tuple[str, str]],
    events: Iterable[EventData],
) -> list[ConsentRecord]:
    """One record per (participant code, language) in ``people`` and consent item with events."""
    by_person: dict[str, list[EventData]] = {}
    for event in events:
        by_person.setdefault(event.participant, []).append(event)
    withdrawal = withdrawal_methods(facts)
    records = []
    for code, language in people:
        mine = by_person.get(code, [])
        for purpose in facts.purposes:
            history = _history(mine, purpose.id)
            # an erase event alone is no consent record: nothing was ever asked
            if not [e for e in history if e.state != EventState.TERMINATED]:
                continue
            versions = tuple(dict.fromkeys(e.text_version for e in history if e.text_version))
            records.append(
                ConsentRecord(
                    record_id=record_id(facts.key, code, purpose.id),
                    schema_version=SCHEMA_VERSION,
                    study=facts.key,
                    participant=code,
                    item=purpose.id,
                    purpose=purpose.texts,
                    required=purpose.required,
                    language=language,
                    notice_versions=versions,
                    information_version=facts.information_version,
                    facts=facts,
                    withdrawal=withdrawal,
                    events=history,
                )
            )
    return records


# --- JSON-LD ---------------------------------------------------------------------------------


def _controller_id(facts: StudyFacts) -> str:
    return f"urn:deltaker:controller:{facts.key}"


def _controller(facts: StudyFacts) -> dict[str, Any]:
    c = facts.controller
    contact: dict[str, Any] = {"@type": "schema:ContactPoint"}
    if c.email:
        contact["schema:email"] = c.email
    if c.phone:
        contact["schema:telephone"] = c.phone
    return {
        "@id": _controller_id(facts),
        "@type": ["dpv:Organisation", "dpv:DataController"],
        "dpv:hasName": c.name,
        "dpv:hasIdentifier": _controller_id(facts),
        "schema:contactPoint": [
            {"@type": "schema:PostalAddress", "schema:streetAddress": c.address},
            contact,
        ],
    }


def _event(record: ConsentRecord, event: RecordEvent) -> dict[str, Any]:
    by_person = event.actor == PARTICIPANT_ACTOR or event.channel == str(Channel.PHONE)
    indicated: Any = (
        "dpv:DataSubject"
        if by_person and event.state != EventState.TERMINATED
        else _controller_id(record.facts)
    )
    data: dict[str, Any] = {
        "@type": [str(event.state), event.consent_type],
        "dpv:isIndicatedAtTime": event.time,
        "dpv:isIndicatedBy": indicated,
        "dpv:hasIndicationMethod": event.channel,
        "dpv:hasDuration": {
            "@type": "dpv:UntilTimeDuration",
            "rdf:value": record.facts.end_date.isoformat(),
        },
        "deltaker:action": event.action,
        "deltaker:actor": event.actor,
        "deltaker:channel": event.channel,
        "deltaker:evidenceSha256": event.evidence_sha256,
        "deltaker:ledgerSeq": event.seq,
        "deltaker:ledgerHash": event.ledger_hash,
    }
    if event.text_version:
        data["dpv:hasNotice"] = f"urn:deltaker:notice:{record.study}:{event.text_version}"
    return data


def _notices(record: ConsentRecord) -> list[dict[str, Any]]:
    notices = [
        {
            "@id": f"urn:deltaker:notice:{record.study}:{version}",
            "@type": "dpv:ConsentNotice",
            "dct:identifier": version,
            "dct:title": "consent declaration (form text version)",
            "dct:language": record.language,
        }
        for version in record.notice_versions
    ]
    if record.information_version:
        notices.append(
            {
                "@id": f"urn:deltaker:notice:{record.study}:{record.information_version}",
                "@type": "dpv:PrivacyNotice",
                "dct:identifier": record.information_version,
                "dct:title": "information letter (text version)",
                "dct:language": record.language,
            }
        )
    return notices


def _withdrawal(method: WithdrawalMethod) -> dict[str, Any]:
    data: dict[str, Any] = {
        "@type": "dpv:WithdrawConsent",
        "dct:identifier": method.kind,
        "dct:description": method.description,
    }
    if method.at:
        data["dpv:isExercisedAt"] = method.at
    return data


def record_jsonld(record: ConsentRecord) -> dict[str, Any]:
    """One record as a JSON-LD node of the dpv-27560 profile."""
    facts = record.facts
    jurisdiction = f"loc:{facts.jurisdiction}"
    last = record.last_event
    return {
        "@id": f"urn:uuid:{record.record_id}",
        "@type": "dpv:ConsentRecord",
        "dct:conformsTo": record.schema_version,
        "dct:identifier": record.record_id,
        "dpv:hasDataSubject": {"@type": "dpv:DataSubject", "dct:identifier": record.participant},
        "dpv:hasNotice": _notices(record),
        "dpv:hasDataController": _controller_id(facts),
        "dpv:hasJurisdiction": jurisdiction,
        "dpv:hasApplicableLaw": "eu-gdpr:GDPR",
        "dpv:hasProcess": {
            "@type": "dpv:Process",
            "dct:identifier": f"{record.study}/{record.item}",
            "dpv:hasPurpose": {
                "@type": "dpv:Purpose",
                "dct:identifier": record.item,
                "dct:description": [
                    {"@language": lang, "@value": text}
                    for lang, text in sorted(record.purpose.items())
                ],
                "skos:broader": "dpv:ResearchAndDevelopment",
            },
            "dpv:hasNecessity": "dpv:Required" if record.required else "dpv:Optional",
            "dpv:hasLegalBasis": "eu-gdpr:A6-1-a",
            "dpv:hasPersonalData": [
                {"@type": "dpv:PersonalData", "dct:description": category}
                for category in facts.data_categories
            ],
            "dpv:hasStorageCondition": [
                {
                    "@type": "dpv:StorageLocation",
                    "dpv:hasLocation": jurisdiction,
                    "dct:description": facts.storage_location,
                },
                {
                    "@type": "dpv:StorageDuration",
                    "dpv:hasDuration": {
                        "@type": "dpv:UntilTimeDuration",
                        "rdf:value": facts.end_date.isoformat(),
                    },
                },
                {"@type": "dpv:StorageDeletion", "dct:description": facts.retention},
            ],
            "dpv:hasDataController": _controller_id(facts),
            "dpv:hasRecipient": [
                {"@type": "dpv:Recipient", "dct:description": r} for r in facts.recipients
            ],
            "dpv:hasJurisdiction": jurisdiction,
            "dpv:hasConsentControl": [_withdrawal(m) for m in record.withdrawal],
        },
        "dpv:hasEntity": [_controller(facts)],
        "dpv:hasConsentStatus": [_event(record, e) for e in record.events],
        "deltaker:study": record.study,
        "deltaker:currentState": str(record.state),
        "deltaker:lastEventSeq": last.seq,
        "deltaker:lastEventHash": last.ledger_hash,
    }


def to_jsonld(records: Sequence[ConsentRecord], *, generated: str) -> dict[str, Any]:
    """The JSON-LD document: the shared context and one graph node per record."""
    context = {**JSONLD_CONTEXT, "skos": "http://www.w3.org/2004/02/skos/core#"}
    return {
        "@context": context,
        "dct:created": generated,
        "@graph": [record_jsonld(r) for r in records],
    }


def check_record_hashes(document: Mapping[str, Any], ledger_hashes: Mapping[int, str]) -> list[str]:
    """What disagrees between the records and the ledger's recomputed event hashes.

    ``ledger_hashes`` maps each event number to the hash `audit verify` computes
    for it now (:meth:`consent.events.EventData.compute_hash`); an empty list means
    every record's last event is in the ledger, unchanged.
    """
    problems = []
    for node in document.get("@graph", ()):
        seq = node.get("deltaker:lastEventSeq")
        named = node.get("deltaker:lastEventHash")
        who = f"record {node.get('dct:identifier')} ({node.get('deltaker:study')})"
        if not isinstance(seq, int) or seq not in ledger_hashes:
            problems.append(f"{who}: its last event #{seq} is not in the ledger")
        elif ledger_hashes[seq] != named:
            problems.append(
                f"{who}: event #{seq} now hashes to {ledger_hashes[seq][:16]}…, "
                f"the record says {str(named)[:16]}…"
            )
    return problems

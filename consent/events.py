"""Consent events as plain data: actions, channels, evidence rules and the hash chain.

Pure code (no database): the ledger stores these fields, the verifier and the
status fold read them. The hash of an event is SHA-256 over a canonical
serialisation of every field except the hash itself, so changing any field, the
sequence number or the link to the previous event changes the hash.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from enum import StrEnum
from typing import Any

from forms.errors import UserError

#: The previous-hash of the very first event in a ledger.
GENESIS_HASH = "0" * 64
#: Bumped if the canonical serialisation ever changes; part of every hashed record.
HASH_SCHEME = 1
#: The item id an event about the whole person (erase, note) carries.
ALL_ITEMS = "*"
#: The actor written when the person acted themselves (web, signed paper).
PARTICIPANT_ACTOR = "participant"

_SHA256 = re.compile(r"^[0-9a-f]{64}$")
_CODE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}$")
#: A study id: whatever the study folder calls it, on one line, without spaces.
_STUDY = re.compile(r"^\S{1,100}$")


class Action(StrEnum):
    GRANT = "grant"
    DECLINE = "decline"
    WITHDRAW = "withdraw"
    ERASE = "erase"
    NOTE = "note"


class Channel(StrEnum):
    PAPER = "paper"
    WEB = "web"
    PHONE = "phone"
    STAFF = "staff"


class ConsentError(UserError):
    """A consent event cannot be recorded as asked (what is wrong is in the message)."""


def utc_iso(moment: dt.datetime | dt.date) -> str:
    """The one textual form of a time that the ledger stores and hashes.

    A date (as written on a signed form) means midnight UTC that day; a naive
    datetime is taken to be UTC already.
    """
    if not isinstance(moment, dt.datetime):
        moment = dt.datetime(moment.year, moment.month, moment.day, tzinfo=dt.UTC)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def canonical_json(value: Any) -> str:
    """Sorted keys, no spaces, UTF-8 text kept as is: the same data give the same bytes."""
    return json.dumps(
        value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
    )


@dataclass(frozen=True)
class EventData:
    """Everything one ledger event holds. ``evidence`` is canonical JSON text."""

    seq: int
    study: str
    participant: str
    item: str
    action: Action
    channel: Channel
    text_version: str
    evidence: str
    actor: str
    occurred_at: str  # utc_iso
    recorded_at: str  # utc_iso
    prev_hash: str
    hash: str = field(default="")

    def hashed_fields(self) -> dict[str, Any]:
        return {
            "scheme": HASH_SCHEME,
            "seq": self.seq,
            "study": self.study,
            "participant": self.participant,
            "item": self.item,
            "action": str(self.action),
            "channel": str(self.channel),
            "text_version": self.text_version,
            "evidence": self.evidence,
            "actor": self.actor,
            "occurred_at": self.occurred_at,
            "recorded_at": self.recorded_at,
            "prev_hash": self.prev_hash,
        }

    def compute_hash(self) -> str:
        return hashlib.sha256(canonical_json(self.hashed_fields()).encode("utf-8")).hexdigest()

    def sealed(self) -> EventData:
        """This event with its hash filled in."""
        return replace(self, hash=self.compute_hash())

    @property
    def evidence_dict(self) -> dict[str, Any]:
        return json.loads(self.evidence) if self.evidence else {}


# --- evidence -----------------------------------------------------------------------------

#: Evidence keys that point at a document the person produced themselves.
DOCUMENT_KEYS = ("page_sha256", "submission_id")


def documentary(evidence: Mapping[str, Any]) -> str | None:
    """The document an event rests on (a scanned page or a web submission), if any."""
    if evidence.get("page_sha256"):
        return f"page:{evidence['page_sha256']}"
    if evidence.get("file_sha256") and evidence.get("page_index") is not None:
        return f"scan:{evidence['file_sha256']}#{evidence['page_index']}"
    if evidence.get("submission_id"):
        return f"submission:{evidence['submission_id']}"
    return None


def check_event_input(
    *,
    study: str,
    participant: str,
    item: str,
    action: Action | str,
    channel: Channel | str,
    text_version: str,
    evidence: Mapping[str, Any],
    actor: str,
) -> tuple[Action, Channel]:
    """Refuse an event that would be poor evidence, with one line saying why.

    - paper: the scanned page's image SHA-256 (``page_sha256``), or, when no image
      was kept, the scanned file's SHA-256 and the page's index in it
      (``file_sha256``, ``page_index``); a grant also needs the signature: the
      signature-box crop's hash (``signature_sha256``), the scanner's reading that
      the box has ink (``signature_state: "marked"``), or the staff member who
      checked the signature in review (``signature_checked_by``);
    - web: the submission id (``submission_id``);
    - phone: a note from the staff member who took the call, and a staff actor;
    - staff: a note (what happened and why staff recorded it).
    """
    try:
        action = Action(action)
    except ValueError:
        raise ConsentError(
            f"unknown action {action!r}; use one of {', '.join(a.value for a in Action)}"
        ) from None
    try:
        channel = Channel(channel)
    except ValueError:
        raise ConsentError(
            f"unknown channel {channel!r}; use one of {', '.join(c.value for c in Channel)}"
        ) from None
    if not isinstance(study, str) or not _STUDY.match(study):
        raise ConsentError(f"study {study!r} is not a valid study id")
    if not isinstance(participant, str) or not _CODE.match(participant):
        raise ConsentError(
            f"participant {participant!r} is not a valid code (letters, digits, - _ . :)"
        )
    if not isinstance(item, str) or not (item == ALL_ITEMS or _CODE.match(item)):
        raise ConsentError(f"consent item {item!r} is not a valid item id")
    if not actor or not isinstance(actor, str) or len(actor) > 200:
        raise ConsentError("every event needs an actor (a staff user name or 'participant')")
    if not isinstance(text_version, str) or len(text_version) > 64:
        raise ConsentError(f"text version {text_version!r} is not valid")
    if action in (Action.GRANT, Action.DECLINE) and not text_version:
        raise ConsentError(f"a {action} must name the text version the person was shown")
    if action in (Action.GRANT, Action.DECLINE, Action.WITHDRAW) and item == ALL_ITEMS:
        raise ConsentError(f"a {action} names one consent item; record one event per item")
    if not isinstance(evidence, Mapping):
        raise ConsentError("evidence must be a mapping of names to values")
    try:
        canonical_json(dict(evidence))
    except (TypeError, ValueError) as exc:
        raise ConsentError(f"evidence cannot be stored as JSON: {exc}") from None
    for key in ("page_sha256", "signature_sha256", "file_sha256"):
        value = evidence.get(key)
        if key in evidence and not (isinstance(value, str) and _SHA256.match(value)):
            raise ConsentError(f"evidence {key} must be 64 lowercase hex characters")
    note = evidence.get("note")
    has_note = isinstance(note, str) and note.strip() != ""
    if channel == Channel.PAPER and action in (Action.GRANT, Action.DECLINE, Action.WITHDRAW):
        scan = evidence.get("file_sha256") and isinstance(evidence.get("page_index"), int)
        if not (evidence.get("page_sha256") or scan):
            raise ConsentError(f"a paper {action} needs the scanned page's SHA-256 as evidence")
        if action == Action.GRANT and not (
            evidence.get("signature_sha256")
            or evidence.get("signature_checked_by")
            or evidence.get("signature_state") == "marked"
        ):
            raise ConsentError(
                "a paper grant needs a signature: the signature crop's hash or the staff "
                "member who checked it"
            )
    if channel == Channel.WEB and action in (Action.GRANT, Action.DECLINE, Action.WITHDRAW):
        if not evidence.get("submission_id"):
            raise ConsentError(f"a web {action} needs the web submission id as evidence")
    if channel == Channel.PHONE:
        if not has_note:
            raise ConsentError("a phone call needs a note from the staff member who took it")
        if actor == PARTICIPANT_ACTOR:
            raise ConsentError("a phone call is recorded by a staff member: give their name")
    if channel == Channel.STAFF and not has_note:
        raise ConsentError("an event recorded by staff needs a note saying what happened")
    if action == Action.NOTE and not has_note:
        raise ConsentError("a note event needs the note text")
    return action, channel

"""Invitations: a participant's answer link (token) and typed answer code.

Both are derived with HMAC-SHA256 from the secret key and the invitation's id
and generation, so printing the same pack again gives the same link and code,
and both are stored only as keyed hashes: the database alone reveals neither.
``renew=True`` revokes the current invitation and issues the next generation
(a new link and code, for a lost letter).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from forms.errors import UserError

from .codes import ANSWER_CODE_LENGTH, encode_symbols, format_answer_code, normalise_answer_code
from .models import Invitation, Participant, ParticipantStatus, utcnow

#: 16 bytes = 128 bits, 22 URL-safe characters: short enough for a small QR code.
TOKEN_BYTES = 16


class InvitationError(UserError):
    """An invitation cannot be issued or found."""


@dataclass(frozen=True)
class IssuedInvitation:
    invitation: Invitation
    token: str  # goes into the QR link, never stored
    answer_code: str  # printed as ABCD-EFGH, never stored

    @property
    def answer_code_display(self) -> str:
        return format_answer_code(self.answer_code)


def _mac(secret: bytes, label: str, message: str) -> bytes:
    return hmac.new(secret, f"{label}\x00{message}".encode(), hashlib.sha256).digest()


def derive_token(secret: bytes, invitation_id: int, generation: int) -> str:
    raw = _mac(secret, "token", f"{invitation_id}:{generation}")[:TOKEN_BYTES]
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def derive_answer_code(secret: bytes, invitation_id: int, generation: int) -> str:
    return encode_symbols(
        _mac(secret, "answer-code", f"{invitation_id}:{generation}"), ANSWER_CODE_LENGTH
    )


def token_hash(secret: bytes, token: str) -> str:
    return _mac(secret, "token-hash", token.strip()).hex()


def answer_code_hash(secret: bytes, code: str) -> str:
    return _mac(secret, "answer-code-hash", normalise_answer_code(code)).hex()


def current_invitation(session: Session, participant: Participant) -> Invitation | None:
    return session.scalars(
        select(Invitation)
        .where(Invitation.participant_id == participant.id, Invitation.revoked.is_(False))
        .order_by(Invitation.generation.desc())
    ).first()


def issue_invitation(
    session: Session, participant: Participant, secret: bytes, *, renew: bool = False
) -> IssuedInvitation:
    """The participant's current invitation (issued now if none), or a new generation.

    Without ``renew`` the same invitation, token and code come back every time,
    so a reprint keeps the link that is already on paper.
    """
    if participant.status == ParticipantStatus.ERASED:
        raise InvitationError(f"participant {participant.code} is erased; no invitation")
    current = current_invitation(session, participant)
    if current is not None and not renew:
        return _issued(current, secret)
    last = session.scalars(
        select(Invitation.generation)
        .where(Invitation.participant_id == participant.id)
        .order_by(Invitation.generation.desc())
    ).first()
    if current is not None:
        current.revoked = True
        current.revoked_at = utcnow()
    # The id is needed for the derivation: insert with unguessable placeholders, then set.
    invitation = Invitation(
        participant=participant,
        generation=(last or 0) + 1,
        token_hash="pending-" + secrets.token_hex(20),
        answer_code_hash="pending-" + secrets.token_hex(20),
        pages=[],
        revoked=False,
    )
    session.add(invitation)
    session.flush()
    issued = _issued(invitation, secret)
    invitation.token_hash = token_hash(secret, issued.token)
    invitation.answer_code_hash = answer_code_hash(secret, issued.answer_code)
    session.flush()
    return issued


def _issued(invitation: Invitation, secret: bytes) -> IssuedInvitation:
    return IssuedInvitation(
        invitation=invitation,
        token=derive_token(secret, invitation.id, invitation.generation),
        answer_code=derive_answer_code(secret, invitation.id, invitation.generation),
    )


def find_by_token(
    session: Session, secret: bytes, token: str, *, include_revoked: bool = False
) -> Invitation | None:
    """The invitation a link's token belongs to (None if unknown or revoked)."""
    if not token or len(token) > 200:
        return None
    invitation = session.scalars(
        select(Invitation).where(Invitation.token_hash == token_hash(secret, token))
    ).first()
    if invitation is None or (invitation.revoked and not include_revoked):
        return None
    return invitation


def find_by_answer_code(
    session: Session, secret: bytes, code: str, *, include_revoked: bool = False
) -> Invitation | None:
    """The invitation a typed answer code belongs to (spaces, dashes, case ignored)."""
    if not code or len(code) > 40:
        return None
    invitation = session.scalars(
        select(Invitation).where(Invitation.answer_code_hash == answer_code_hash(secret, code))
    ).first()
    if invitation is None or (invitation.revoked and not include_revoked):
        return None
    return invitation


def record_printed_pages(invitation: Invitation, pages: list[dict]) -> None:
    """Note what was printed for this invitation (the pack's page list) and when."""
    invitation.pages = [dict(page) for page in pages]
    invitation.printed_at = utcnow()
    participant = invitation.participant
    if participant is not None and participant.status == ParticipantStatus.NEW:
        participant.status = ParticipantStatus.INVITED


def page_entry(invitation: Invitation, n: int) -> dict | None:
    """The ``n``-th printed page of the invitation's pack (``?p=n`` in the QR link)."""
    for page in invitation.pages or []:
        if page.get("n") == n:
            return page
    return None

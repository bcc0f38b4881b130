"""Secrets, invitations (tokens and answer codes) and participant codes."""

from __future__ import annotations

import re
import stat

import pytest
from sqlalchemy import select

from forms.errors import UserError
from intake.codes import UNAMBIGUOUS_ALPHABET, is_participant_code, random_participant_code
from intake.db import read_scope, session_scope
from intake.invitations import (
    find_by_answer_code,
    find_by_token,
    issue_invitation,
    page_entry,
    record_printed_pages,
)
from intake.models import Invitation, Participant
from intake.secrets import SECRET_ENV, load_secret


def test_secret_file_is_created_private_and_stable(data_dir, monkeypatch):
    monkeypatch.delenv(SECRET_ENV, raising=False)
    first = load_secret(data_dir)
    mode = stat.S_IMODE((data_dir / "secret.key").stat().st_mode)
    assert mode == 0o600
    assert len(first) == 32
    assert load_secret(data_dir) == first


def test_secret_from_environment_wins(data_dir, monkeypatch):
    monkeypatch.setenv(SECRET_ENV, "a" * 43)
    assert load_secret(data_dir) != b""
    assert not (data_dir / "secret.key").exists()


@pytest.mark.parametrize("bad", ["short", "!!!not base64!!!"])
def test_bad_secret_is_a_clear_error(data_dir, monkeypatch, bad):
    monkeypatch.setenv(SECRET_ENV, bad)
    with pytest.raises(UserError, match="secret key"):
        load_secret(data_dir)


def test_participant_codes_use_the_unambiguous_alphabet():
    codes = {random_participant_code() for _ in range(500)}
    assert len(codes) > 490
    for code in codes:
        assert is_participant_code(code)
        assert not set(code[2:]) & set("0O1I")
    assert not is_participant_code("P-0O1I")


def _person(session, code="P-ABCD") -> Participant:
    person = Participant(code=code, language="nb", status="new")
    session.add(person)
    session.flush()
    return person


def test_reprint_keeps_the_link_and_renew_revokes_it(engine, data_dir, monkeypatch):
    monkeypatch.delenv(SECRET_ENV, raising=False)
    secret = load_secret(data_dir)
    with session_scope(engine) as session:
        person = _person(session)
        first = issue_invitation(session, person, secret)
        again = issue_invitation(session, person, secret)
        assert (again.token, again.answer_code) == (first.token, first.answer_code)
        assert again.invitation.id == first.invitation.id

        # >= 128 bits, URL-safe, typed code in the unambiguous alphabet
        assert re.fullmatch(r"[A-Za-z0-9_-]{22,}", first.token)
        assert len(first.answer_code) == 8 and set(first.answer_code) <= set(UNAMBIGUOUS_ALPHABET)
        assert re.fullmatch(r"[A-Z2-9]{4}-[A-Z2-9]{4}", first.answer_code_display)

        renewed = issue_invitation(session, person, secret, renew=True)
        assert renewed.token != first.token and renewed.answer_code != first.answer_code
        assert renewed.invitation.generation == 2
        old_token, old_code = first.token, first.answer_code
        new_token, new_code = renewed.token, renewed.answer_code

    with read_scope(engine) as session:
        assert find_by_token(session, secret, old_token) is None
        assert find_by_token(session, secret, old_token, include_revoked=True).generation == 1
        assert find_by_token(session, secret, new_token).generation == 2
        typed = new_code[:4].lower() + " - " + new_code[4:]
        assert find_by_answer_code(session, secret, typed).generation == 2
        assert find_by_answer_code(session, secret, old_code) is None
        assert find_by_token(session, secret, "") is None
        assert find_by_token(session, secret, "x" * 5000) is None
        # Only keyed hashes are stored.
        for inv in session.scalars(select(Invitation)):
            stored = f"{inv.token_hash} {inv.answer_code_hash}"
            for secret_value in (old_token, new_token, old_code, new_code):
                assert secret_value not in stored


def test_tokens_depend_on_the_secret(engine, data_dir):
    with session_scope(engine) as session:
        person = _person(session)
        token = issue_invitation(session, person, b"k" * 32).token
        assert find_by_token(session, b"j" * 32, token) is None
        assert find_by_token(session, b"k" * 32, token) is not None


def test_printed_pages_are_recorded(engine):
    pages = [
        {
            "n": 1,
            "form": "consent",
            "version": "abcd1234",
            "page": 1,
            "language": "nb",
            "profile": "standard",
        },
        {
            "n": 2,
            "form": "families",
            "version": "ffff0000",
            "page": 1,
            "language": "nb",
            "profile": "standard",
        },
    ]
    with session_scope(engine) as session:
        person = _person(session)
        issued = issue_invitation(session, person, b"k" * 32)
        record_printed_pages(issued.invitation, pages)
    with read_scope(engine) as session:
        inv = session.scalars(select(Invitation)).one()
        assert inv.printed_at is not None
        assert page_entry(inv, 2)["form"] == "families"
        assert page_entry(inv, 3) is None
        assert inv.participant.status == "invited"

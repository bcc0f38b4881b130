"""The command line's tables escape what they print: no raw control character reaches a terminal.

The import refuses control characters, but a database can hold rows written some
other way (an old version, a restore, a hand-made fix); they are stored here
directly, bypassing the import.
"""

from __future__ import annotations

import re

import pytest

from intake.db import session_scope
from intake.models import ContactDetails, Participant, ReviewTask, TaskKind
from intake.studies import load_study_into_db
from tests.factories import make_study
from webapp.cli.common import printable

#: ESC (a colour and a screen clear), BEL, BS, a window title (OSC), a C1 CSI, a
#: right-to-left override
EVIL_NAME = "Kari\x1b[2J\x1b[31m Nord\x07mann\x08\x08\x1b]0;pwned\x07\x9b1m\u202eevil"
#: what a terminal must never receive: any C0 control but the line ends and the
#: table's tabs, DEL, C1, the bidi overrides
RAW = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


@pytest.fixture
def evil(engine):
    with session_scope(engine) as session:
        load_study_into_db(session, make_study())
        person = Participant(code="P-EVIL", language="nb", status="new", group="fam\x1bilies")
        session.add(person)
        session.flush()
        session.add(
            ContactDetails(
                participant_id=person.id,
                name=EVIL_NAME,
                address="Gate\x1b[1A 1",
                phone="+47\x07 12345678",
                email="a\x1b@example.no",
            )
        )
        session.add(
            ReviewTask(
                kind=TaskKind.HANDWRITING,
                item="name\x1b[2J",
                old_value="Ola\x1b[31m",
                details={"reason": "unclear\x07"},
            )
        )
        from webapp import staff

        user = staff.add_user(session, "ole", "assistant", "a long enough password 1")
        user.name = "ole\x1b[2Jadmin"
    return engine


def _run(deltaker, *args: str) -> str:
    run = deltaker(*args)
    assert not run.returncode, run.stderr
    return run.stdout + run.stderr


@pytest.mark.parametrize(
    ("args", "shown"),
    [
        (("participants", "list", "--with-contacts", "--by", "tester"), "Kari\\x1b[2J"),
        (("participants", "list"), "fam\\x1bilies"),
        (("review", "list"), "Ola\\x1b[31m"),
        (("users", "list"), "ole\\x1b[2Jadmin"),
    ],
)
def test_stored_control_characters_are_printed_escaped(evil, deltaker, args, shown):
    out = _run(deltaker, *args)
    assert shown in out
    assert not RAW.search(out), repr(RAW.search(out))


def test_printable_escapes_every_control_character():
    assert printable(EVIL_NAME) == (
        "Kari\\x1b[2J\\x1b[31m Nord\\x07mann\\x08\\x08\\x1b]0;pwned\\x07\\x9b1m\\u202eevil"
    )
    assert printable("two\tcells\nand\r\nlines") == "two cells and lines"
    assert printable("Ærlig Øystein Åse") == "Ærlig Øystein Åse"
    assert printable(None) == ""

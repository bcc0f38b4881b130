"""Codes people read, type or scan: participant codes and typed answer codes.

The alphabet leaves out 0/O and 1/I, which people mix up when they read a code
from paper or type it from a letter.
"""

from __future__ import annotations

import re
import secrets

#: 32 symbols: 5 bits each, no 0, O, 1 or I.
UNAMBIGUOUS_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
PARTICIPANT_PREFIX = "P-"
#: 4 symbols = 32**4, about a million codes: plenty for a study, short to write by hand.
PARTICIPANT_CODE_LENGTH = 4
#: 8 symbols = 40 bits, typed in two groups of four.
ANSWER_CODE_LENGTH = 8
ANSWER_CODE_GROUP = 4

_PARTICIPANT_RE = re.compile(rf"^P-[{UNAMBIGUOUS_ALPHABET}]{{4,8}}$")


def random_participant_code(length: int = PARTICIPANT_CODE_LENGTH) -> str:
    return PARTICIPANT_PREFIX + "".join(secrets.choice(UNAMBIGUOUS_ALPHABET) for _ in range(length))


def is_participant_code(text: str) -> bool:
    return bool(_PARTICIPANT_RE.match(text))


def encode_symbols(data: bytes, count: int) -> str:
    """``count`` alphabet symbols from the leading bits of ``data`` (5 bits a symbol)."""
    number = int.from_bytes(data, "big")
    bits = len(data) * 8
    if count * 5 > bits:
        raise ValueError("not enough bytes for that many symbols")
    out = []
    for index in range(count):
        shift = bits - 5 * (index + 1)
        out.append(UNAMBIGUOUS_ALPHABET[(number >> shift) & 0b11111])
    return "".join(out)


def format_answer_code(code: str) -> str:
    """``ABCD2345`` -> ``ABCD-2345`` as printed on the letter."""
    return "-".join(code[i : i + ANSWER_CODE_GROUP] for i in range(0, len(code), ANSWER_CODE_GROUP))


def normalise_answer_code(typed: str) -> str:
    """What a person typed, as hashed: upper case, no spaces, dashes or dots.

    0/O and 1/I are not in the alphabet, so a code with one of them is simply
    wrong; guessing which symbol was meant would accept wrong codes.
    """
    return re.sub(r"[\s\-_.]", "", typed).upper()

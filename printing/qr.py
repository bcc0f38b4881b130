"""QR payloads (DESIGN.md "QR payloads"): build and parse, pure.

A personal page carries ``{base_url}/r/{token}?p={n}`` where ``n`` is the page's
number within the printed letter pack (the invitation's ``pages`` list says
which form page that is). The invitation letter's own code is the bare answer
link ``{base_url}/r/{token}`` (no page: it never comes back by post).
An anonymous copy carries ``{base_url}/a/{form}/{version}/{serial}?p={page}``
where ``page`` is the page within the form.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from forms.errors import UserError

#: Tokens are URL-safe (base64url or base32 alphabets); at least 128 bits means
#: at least 22 base64url characters, but we only insist on a sane shape here.
TOKEN_PATTERN = r"[A-Za-z0-9_-]{16,128}"
FORM_ID_PATTERN = r"[A-Za-z0-9_.-]{1,64}"
VERSION_PATTERN = r"[0-9a-f]{8}"
SERIAL_PATTERN = r"[0-9]{1,12}"
MAX_PAGE = 9999

_PERSONAL = re.compile(rf"^/r/(?P<token>{TOKEN_PATTERN})$")
_ANONYMOUS = re.compile(
    rf"^/a/(?P<form>{FORM_ID_PATTERN})/(?P<version>{VERSION_PATTERN})/(?P<serial>{SERIAL_PATTERN})$"
)
_QUERY = re.compile(r"^p=(?P<page>[0-9]{1,4})$")


class QRPayloadError(UserError):
    """A QR payload that is not one of Deltaker's page identities."""


@dataclass(frozen=True)
class PersonalPayload:
    """A page of a personal letter pack; ``page`` is None on the letter's own code."""

    base_url: str
    token: str
    page: int | None


@dataclass(frozen=True)
class AnonymousPayload:
    """A page of an anonymous serial-numbered copy; ``page`` is the page within the form."""

    base_url: str
    form: str
    version: str
    serial: int
    page: int


Payload = PersonalPayload | AnonymousPayload


def _base(base_url: str) -> str:
    base = base_url.rstrip("/")
    parts = urlsplit(base)
    if parts.scheme not in ("http", "https") or not parts.netloc or parts.query:
        raise QRPayloadError(f"base URL {base_url!r} must look like https://example.no[/path]")
    return base


def _check_page(page: int) -> int:
    if not 1 <= page <= MAX_PAGE:
        raise QRPayloadError(f"page number {page} is out of range 1-{MAX_PAGE}")
    return page


def personal_payload(base_url: str, token: str, page: int | None = None) -> str:
    """``{base_url}/r/{token}?p={page}``, or the bare answer link when ``page`` is None."""
    if not re.fullmatch(TOKEN_PATTERN, token):
        raise QRPayloadError("token must be 16-128 URL-safe characters")
    link = f"{_base(base_url)}/r/{token}"
    return link if page is None else f"{link}?p={_check_page(page)}"


def anonymous_payload(base_url: str, form: str, version: str, serial: int, page: int) -> str:
    """``{base_url}/a/{form}/{version}/{serial}?p={page}``."""
    if not re.fullmatch(FORM_ID_PATTERN, form):
        raise QRPayloadError(f"form id {form!r} cannot go into a QR code")
    if not re.fullmatch(VERSION_PATTERN, version):
        raise QRPayloadError(f"version {version!r} must be 8 lower-case hex digits")
    if not 0 <= serial < 10**12:
        raise QRPayloadError(f"serial {serial} is out of range")
    return f"{_base(base_url)}/a/{form}/{version}/{serial}?p={_check_page(page)}"


def parse_payload(text: str) -> Payload:
    """Read a payload back; anything that is not a Deltaker page identity raises QRPayloadError."""
    shown = text if len(text) <= 80 else text[:77] + "..."
    parts = urlsplit(text.strip())
    if parts.scheme not in ("http", "https") or not parts.netloc or parts.fragment:
        raise QRPayloadError(f"QR code {shown!r} is not a Deltaker link")
    page: int | None = None
    if parts.query:
        query = _QUERY.match(parts.query)
        if not query:
            raise QRPayloadError(f"QR code {shown!r} has an unexpected query {parts.query!r}")
        page = int(query["page"])
        if page < 1:
            raise QRPayloadError(f"QR code {shown!r} has page number 0")
    # The base URL may carry a path (https://host/prefix/r/...), and a form id may
    # itself be "a" or "r": try every "/r/" and "/a/" from the left and take the
    # first whose rest is a whole personal or anonymous path.
    path = parts.path
    for cut in (m.start() for m in re.finditer(r"(?=/[ra]/)", path)):
        base_url = f"{parts.scheme}://{parts.netloc}{path[:cut]}"
        tail = path[cut:]
        personal = _PERSONAL.match(tail)
        if personal:
            return PersonalPayload(base_url, personal["token"], page)
        anonymous = _ANONYMOUS.match(tail)
        if anonymous:
            if page is None:
                raise QRPayloadError(f"QR code {shown!r} of an anonymous copy has no page number")
            return AnonymousPayload(
                base_url, anonymous["form"], anonymous["version"], int(anonymous["serial"]), page
            )
    raise QRPayloadError(f"QR code {shown!r} is not a Deltaker page link")

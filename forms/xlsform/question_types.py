"""XLSForm question types: what each becomes on paper, or why it cannot."""

from __future__ import annotations

import re
from collections.abc import Mapping

from forms.model import ItemType

#: Question types Deltaker prints, by their XLSForm names (aliases included).
SIMPLE_TYPES: Mapping[str, ItemType] = {
    "text": ItemType.SHORT_TEXT,
    "string": ItemType.SHORT_TEXT,
    "phone number": ItemType.SHORT_TEXT,
    "tel": ItemType.SHORT_TEXT,
    "integer": ItemType.NUMBER,
    "int": ItemType.NUMBER,
    "decimal": ItemType.NUMBER,
    "date": ItemType.DATE,
    "note": ItemType.INFO,
    # the old ODK Build names pyxform still reads
    "add text prompt": ItemType.SHORT_TEXT,
    "q string": ItemType.SHORT_TEXT,
    "add integer prompt": ItemType.NUMBER,
    "q int": ItemType.NUMBER,
    "add decimal prompt": ItemType.NUMBER,
    "q decimal": ItemType.NUMBER,
    "add date prompt": ItemType.DATE,
    "q date": ItemType.DATE,
    "add note prompt": ItemType.INFO,
    "q note": ItemType.INFO,
}

#: Metadata and computed fields: nothing for a person to answer, skipped with a warning.
SKIPPED_TYPES: Mapping[str, str] = {
    **dict.fromkeys(
        (
            "start",
            "end",
            "today",
            "deviceid",
            "imei",
            "subscriberid",
            "simserial",
            "phonenumber",
            "username",
            "email",
            "audit",
            "start-geopoint",
            "uri:deviceid",
            "uri:subscriberid",
            "uri:simserial",
            "uri:phonenumber",
            "uri:username",
            "uri:email",
            "xml-external",
            "csv-external",
            # the old ODK Build names of the same
            "get start time",
            "get end time",
            "get today",
            "get device id",
            "get subscriber id",
            "get sim id",
            "get phone number",
        ),
        "it is recorded by the phone app, not answered by a person",
    ),
    **dict.fromkeys(
        ("set form title", "set form id"),
        "an old way to write a setting; put it on the settings sheet",
    ),
    "calculate": "a calculation is done by the phone app; paper cannot compute it",
    "add calculate prompt": "a calculation is done by the phone app; paper cannot compute it",
    "q calculate": "a calculation is done by the phone app; paper cannot compute it",
    "hidden": "a hidden field is never shown to a person",
}

_MEDIA = "a photo, sound, video or file cannot be given on paper"
_PLACE = "a map location cannot be given on paper"
#: Types a paper form cannot hold: an error naming the row, with the reason.
UNSUPPORTED_TYPES: Mapping[str, str] = {
    "geopoint": _PLACE,
    "geotrace": _PLACE,
    "geoshape": _PLACE,
    "gps": _PLACE,
    "location": _PLACE,
    "q geopoint": _PLACE,
    "q location": _PLACE,
    "add location prompt": _PLACE,
    "image": _MEDIA,
    "q image": _MEDIA,
    "q picture": _MEDIA,
    "add image prompt": _MEDIA,
    "add photo prompt": _MEDIA,
    "add audio prompt": _MEDIA,
    "add video prompt": _MEDIA,
    "add file prompt": _MEDIA,
    "photo": _MEDIA,
    "audio": _MEDIA,
    "video": _MEDIA,
    "file": _MEDIA,
    "background-audio": _MEDIA,
    "barcode": "a barcode needs the phone's camera",
    "add barcode prompt": "a barcode needs the phone's camera",
    "acknowledge": "an 'OK' button has no meaning on paper; use a note",
    "trigger": "an 'OK' button has no meaning on paper; use a note",
    "range": "a slider has no place on paper; use select_one with the steps as choices",
    "rank": "ranking cannot be marked with crosses; ask separate questions",
    "time": "Deltaker has no time-of-day question; use text",
    "datetime": "Deltaker has no date-and-time question; use a date and a text",
    "begin repeat": "a repeat (a set of questions answered several times) has no fixed size "
    "on paper; write the questions out once per time",
    "begin_repeat": "a repeat (a set of questions answered several times) has no fixed size "
    "on paper; write the questions out once per time",
    "include": "including another form is not supported; copy its rows in",
    "osm": "a map drawing cannot be given on paper",
    "entity": "ODK entities are not supported",
}
EXTERNAL_REASON = "choices from an outside file cannot be printed; put them on the choices sheet"

#: ``or_other`` and its old spelling, accepted after every way of writing a select
_OR_OTHER = r"(?P<other>\s+(?:or_other|or specify other))?$"
_SELECT_RE = re.compile(
    r"^(?P<kind>select_one|select one|select1|select_multiple|select multiple|"
    r"select all that apply)\s+(?P<list>\S+)" + _OR_OTHER,
    re.IGNORECASE,
)
_SELECT_FROM_RE = re.compile(
    r"^(?P<kind>select one|select all that apply|select multiple) (?:from|using)\s+"
    r"(?P<list>\S+)" + _OR_OTHER,
    re.IGNORECASE,
)
_SELECT_PROMPT_RE = re.compile(
    r"^add (?P<kind>select one|select multiple) prompt using\s+(?P<list>\S+)" + _OR_OTHER,
    re.IGNORECASE,
)
#: ``rank L``: refused with rank's own reason, not as an unknown type
_RANK_RE = re.compile(r"^rank(\s+\S+)?" + _OR_OTHER, re.IGNORECASE)
_EXTERNAL_RE = re.compile(
    r"^(select_one_from_file|select_multiple_from_file|select_one_external|"
    r"select_multiple_external)\b",
    re.IGNORECASE,
)

_TRUE = {"yes", "true", "true()", "1"}
_FALSE = {"", "no", "false", "false()", "0"}


def is_required(raw: str) -> bool | None:
    low = raw.strip().lower()
    if low in _TRUE:
        return True
    if low in _FALSE:
        return False
    return None


def parse_type(raw: str) -> tuple[str, ItemType | None, str | None, bool]:
    """(kind, item type, list name, or_other); kind: item|group|end_group|skip|bad|external."""
    text = " ".join(raw.split())
    low = text.lower()
    if low in ("begin group", "begin_group"):
        return "group", None, None, False
    if low in ("end group", "end_group"):
        return "end_group", None, None, False
    if low in ("end repeat", "end_repeat", "end loop", "end_loop"):
        return "end_repeat", None, None, False
    if _EXTERNAL_RE.match(low):
        return "external", None, None, False
    if _RANK_RE.match(low):
        return "bad", None, None, False
    for pattern in (_SELECT_FROM_RE, _SELECT_PROMPT_RE, _SELECT_RE):
        m = pattern.match(text)
        if m:
            kind = m.group("kind").lower()
            multiple = "multiple" in kind or "all that apply" in kind
            item_type = ItemType.MULTIPLE_CHOICE if multiple else ItemType.SINGLE_CHOICE
            return "item", item_type, m.group("list"), bool(m.group("other"))
    if low in SIMPLE_TYPES:
        return "item", SIMPLE_TYPES[low], None, False
    if low in SKIPPED_TYPES:
        return "skip", None, None, False
    if low in UNSUPPORTED_TYPES or low.startswith("begin loop") or low.startswith("begin_loop"):
        return "bad", None, None, False
    return "unknown", None, None, False


def unsupported_reason(low: str) -> str:
    if low.startswith("begin loop") or low.startswith("begin_loop"):
        return (
            "a loop (the same questions for each choice) cannot be printed as a fixed "
            "form; write the questions out"
        )
    if _RANK_RE.match(low):
        return UNSUPPORTED_TYPES["rank"]
    return UNSUPPORTED_TYPES.get(low, "")

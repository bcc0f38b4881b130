"""The ledger view's query: parsed once from text fields, every filter narrowing on its own."""

from __future__ import annotations

import datetime as dt

import pytest

from privacy.audit import (
    IN_REVIEW,
    LEDGER_STATES,
    LedgerFilterError,
    LedgerQuery,
    LedgerRow,
)


def _row(code="P-AAAA", item="audio", state="granted", day=dt.date(2026, 12, 1), channel="paper"):
    return LedgerRow(code, "answered", item, state, day, channel, "v1", 1 if day else None)


def test_empty_fields_are_no_filter() -> None:
    query = LedgerQuery.from_strings({"participant": " ", "item": "", "from": "", "page": ""})
    assert query == LedgerQuery() and not query.filtered
    assert query.matches(_row()) and query.matches(_row(state="not asked", day=None))


@pytest.mark.parametrize(
    "fields, kept, dropped",
    [
        ({"participant": "aaa"}, _row(), _row(code="P-BBBB")),
        ({"item": "audio"}, _row(), _row(item="quotes")),
        ({"state": "granted"}, _row(), _row(state="withdrawn")),
        ({"state": IN_REVIEW}, _row(state=IN_REVIEW, day=None), _row()),
        ({"channel": "paper"}, _row(), _row(channel="web")),
        ({"from": "2026-12-01"}, _row(), _row(day=dt.date(2026, 11, 30))),
        ({"from": "01.12.2026"}, _row(), _row(day=None)),
        ({"to": "2026-12-01"}, _row(), _row(day=dt.date(2026, 12, 2))),
    ],
)
def test_each_filter_narrows(fields, kept, dropped) -> None:
    query = LedgerQuery.from_strings(fields)
    assert query.filtered and query.matches(kept) and not query.matches(dropped)


@pytest.mark.parametrize(
    "fields, field",
    [
        ({"from": "31.13.2026"}, "from"),
        ({"to": "2026-02-30"}, "to"),
        ({"to": "tomorrow"}, "to"),
        ({"from": "2026-12-02", "to": "2026-12-01"}, "range"),
        ({"state": "maybe"}, "state"),
        ({"channel": "fax"}, "channel"),
    ],
)
def test_a_bad_value_names_its_field(fields, field) -> None:
    with pytest.raises(LedgerFilterError) as caught:
        LedgerQuery.from_strings(fields)
    assert caught.value.field == field and caught.value.message


def test_pages_count_from_one() -> None:
    assert LedgerQuery.from_strings({"page": "3"}).page == 3
    assert LedgerQuery.from_strings({"page": "0"}).page == 1
    assert LedgerQuery.from_strings({"page": "x"}).page == 1
    assert IN_REVIEW in LEDGER_STATES and "not asked" in LEDGER_STATES

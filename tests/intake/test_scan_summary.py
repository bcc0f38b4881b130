"""A scan upload's results as the results page counts and names them (no database needed
for pages whose form is not stored: the ids stay, the counts and outcomes do not change)."""

from __future__ import annotations

from intake.scan_summary import Outcome, PageLine, ScanSummary, outcome, page_lines


def _results() -> list[dict]:
    return [
        {"file": "/x/a.pdf", "page_index": 0, "status": "ok", "form": "f", "needs_review": []},
        {"file": "/x/a.pdf", "page_index": 1, "status": "duplicate", "form": "f"},
        {
            "file": "/x/a.pdf",
            "page_index": 2,
            "status": "needs_review",
            "form": "f",
            "needs_review": ["name"],
            "flags": ["name: handwriting to type in"],
        },
        {
            "file": "/x/a.pdf",
            "page_index": 3,
            "status": "needs_review",
            "form": "f",
            "needs_review": ["name", "q1"],
            "flags": [
                "registration mark 2 not found",
                "name: handwriting to type in",
                "q1: ink beside a box that is not marked",
            ],
        },
        {"file": "b.pdf", "page_index": 0, "status": "unidentified"},
        {"file": "b.pdf", "page_index": 1, "status": "error", "message": "broken"},
        {"file": "b.pdf", "page_index": 2, "status": "unknown_form"},
    ]


def test_outcomes_in_plain_words() -> None:
    assert [outcome(s) for s in ("ok", "duplicate", "needs_review", "unidentified")] == [
        Outcome.READ,
        Outcome.ALREADY_READ,
        Outcome.TO_CHECK,
        Outcome.NOT_RECOGNISED,
    ]
    assert outcome("error") == outcome("unknown_form") == Outcome.NOT_RECOGNISED


def test_counts_and_routine_typing(engine) -> None:
    from intake.db import read_scope

    with read_scope(engine) as db:
        lines: list[PageLine] = page_lines(db, _results())
    assert ScanSummary.of(lines) == ScanSummary(total=7, read=2, check=2, unknown=3)
    typing, mixed = lines[2], lines[3]
    assert typing.routine and not mixed.routine
    assert [(t.item, t.routine, t.reason) for t in mixed.tasks] == [
        ("name", True, "handwriting to type in"),
        ("q1", False, "ink beside a box that is not marked"),
    ]
    # what is about the page as a whole stays a note; the file without its folders
    assert mixed.notes == ("registration mark 2 not found",) and mixed.file == "a.pdf"
    assert lines[5].message == "broken" and lines[0].number == 1

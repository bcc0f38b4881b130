"""A participant list names languages beyond nb, nn and en in Norwegian, English or the
language's own name; names in other scripts come through as written (issue 15 point 3)."""

from __future__ import annotations

from pathlib import Path

from forms.collation import sort_names
from intake.participants import validate_rows
from intake.participants.read import read_table

LIST = (
    "navn;adresse;postnummer;poststed;språk\n"
    "Øystein Lie;Storgata 1;0150;Oslo;bokmål\n"
    "أحمد علي;Storgata 2;0150;Oslo;arabisk\n"
    "Іван Ткаченко;Storgata 3;0150;Oslo;Українська\n"
    "Anna Kowalska;Storgata 4;0150;Oslo;Polski\n"
    "ሰላም ኪዳነ;Storgata 5;0150;Oslo;tigrinja\n"
    "Zahra Ali;Storgata 6;0150;Oslo;العربية\n"
)


def test_languages_by_their_names_and_names_in_their_scripts(tmp_path: Path) -> None:
    path = tmp_path / "people.csv"
    path.write_text(LIST, encoding="utf-8")
    good, rejected = validate_rows(
        read_table(path), path.name, languages=("nb", "ar", "pl", "uk", "ti")
    )
    assert rejected == []
    assert [(p.name, p.language) for p in good] == [
        ("Øystein Lie", "nb"),
        ("أحمد علي", "ar"),
        ("Іван Ткаченко", "uk"),
        ("Anna Kowalska", "pl"),
        ("ሰላም ኪዳነ", "ti"),
        ("Zahra Ali", "ar"),
    ]
    assert sort_names([p.name for p in good]) == [
        "Anna Kowalska",
        "Zahra Ali",
        "Øystein Lie",
        "Іван Ткаченко",
        "أحمد علي",
        "ሰላም ኪዳነ",
    ]


def test_a_language_the_study_does_not_have_is_still_one_clear_problem(tmp_path: Path) -> None:
    path = tmp_path / "people.csv"
    path.write_text(LIST, encoding="utf-8")
    good, rejected = validate_rows(read_table(path), path.name, languages=("nb", "ar"))
    assert len(good) == 3
    messages = [p.message for r in rejected for p in r.problems]
    assert any("unknown language 'Українська' (use nb, ar)" in m for m in messages), messages

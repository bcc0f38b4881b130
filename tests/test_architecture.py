"""The import rules of DESIGN.md, enforced by reading every module's imports."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
OURS = {"forms", "intake", "consent", "printing", "scan", "webapp"}
FRAMEWORKS = {
    "flask",
    "flask_wtf",
    "wtforms",
    "werkzeug",
    "sqlalchemy",
    "alembic",
    "reportlab",
    "openpyxl",
    "waitress",
}

# package -> (our packages it may import, exact modules of ours it may import)
ALLOWED: dict[str, tuple[set[str], set[str]]] = {
    "forms": (set(), set()),
    "printing": ({"forms"}, set()),
    "scan": ({"forms"}, {"printing.layout", "printing.qr", "printing.geometry"}),
    "consent": (
        {"forms"},
        {
            "intake.db",
            "intake.models",
            "intake.evidence",
            "intake.review",
            "printing.reports",
            "printing.fonts",
        },
    ),
    "intake": ({"forms", "printing", "scan", "consent"}, set()),
    "webapp": (OURS, set()),
}
# frameworks no domain package may import (forms: none at all)
FORBIDDEN = {
    "forms": FRAMEWORKS - {"openpyxl"},  # openpyxl only inside the workbook reader and the codebook
    "printing": {"flask", "flask_wtf", "wtforms", "werkzeug", "sqlalchemy", "alembic"},
    "scan": {"flask", "flask_wtf", "wtforms", "werkzeug", "sqlalchemy", "alembic"},
    "consent": {"flask", "flask_wtf", "wtforms", "werkzeug"},
    "intake": {"flask", "flask_wtf", "wtforms", "werkzeug"},
}
OPENPYXL_OK_IN_FORMS = {"forms/workbook.py", "forms/codebook.py"}


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def _modules(package: str) -> list[Path]:
    return sorted((ROOT / package).rglob("*.py"))


@pytest.mark.parametrize("package", sorted(ALLOWED))
def test_packages_import_only_what_design_allows(package: str) -> None:
    allowed_packages, allowed_modules = ALLOWED[package]
    problems = []
    for path in _modules(package):
        rel = path.relative_to(ROOT).as_posix()
        for name in _imports(path):
            top = name.split(".")[0]
            if top in OURS and top != package:
                if top not in allowed_packages and not any(
                    name == m or name.startswith(m + ".") for m in allowed_modules
                ):
                    problems.append(f"{rel} imports {name}")
            if top in FORBIDDEN.get(package, set()):
                if package == "forms" and top == "openpyxl" and rel in OPENPYXL_OK_IN_FORMS:
                    continue
                problems.append(f"{rel} imports framework {name}")
            if package == "forms" and top == "openpyxl" and rel not in OPENPYXL_OK_IN_FORMS:
                problems.append(f"{rel} imports {name}")
    assert not problems, "\n".join(problems)


def test_only_webapp_imports_flask() -> None:
    offenders = [
        path.relative_to(ROOT).as_posix()
        for package in OURS - {"webapp"}
        for path in _modules(package)
        if any(n.split(".")[0] in {"flask", "flask_wtf"} for n in _imports(path))
    ]
    assert offenders == []


def test_forms_model_is_importable_alone() -> None:
    import forms.model  # noqa: F401 - importing is the test

    assert not any(
        n.split(".")[0] in OURS - {"forms"} for n in _imports(ROOT / "forms" / "model.py")
    )


def test_every_item_type_is_in_every_output_table() -> None:
    """One definition drives every output: adding an ItemType means one entry in each table."""
    from forms.codebook import CODING
    from forms.model import ItemType
    from printing.layout import LAYOUT_RULES
    from printing.render import DRAWERS
    from scan.readers import READERS
    from webapp.demo import _ANSWER_BY_TYPE
    from webapp.formgen import FIELD_BUILDERS

    tables = {
        "forms.codebook.CODING": CODING,
        "printing.layout.LAYOUT_RULES": LAYOUT_RULES,
        "printing.render.DRAWERS": DRAWERS,
        "scan.readers.READERS": READERS,
        "webapp.formgen.FIELD_BUILDERS": FIELD_BUILDERS,
        "webapp.demo._ANSWER_BY_TYPE": _ANSWER_BY_TYPE,
    }
    missing = {name: sorted(set(ItemType) - set(table)) for name, table in tables.items()}
    assert {name: m for name, m in missing.items() if m} == {}


def test_ruff_keeps_the_format_and_the_lint_rules() -> None:
    import subprocess
    import sys

    for args in (["check", "."], ["format", "--check", "."]):
        done = subprocess.run(
            [sys.executable, "-m", "ruff", *args],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=False,
        )
        assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-2000:]

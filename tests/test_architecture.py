"""The import rules of DESIGN.md, enforced by reading every module's imports."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
OURS = {"forms", "intake", "consent", "privacy", "printing", "scan", "jobs", "webapp"}
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
    "scan": (
        {"forms"},
        {"printing.layout", "printing.layout_map", "printing.qr", "printing.geometry"},
    ),
    # the consent core knows people only by their code: of intake only the database base
    "consent": ({"forms"}, {"intake.db"}),
    "intake": ({"forms", "printing", "scan", "consent"}, set()),
    # what crosses tables about a person sits above intake and the consent core
    "privacy": ({"forms", "printing", "scan", "consent", "intake"}, set()),
    # durable jobs: thin kinds over the domain functions below, never the web app
    "jobs": ({"forms", "printing", "scan", "consent", "intake", "privacy"}, set()),
    "webapp": (OURS, set()),
}
# frameworks no domain package may import (forms: none at all)
FORBIDDEN = {
    "forms": FRAMEWORKS - {"openpyxl"},  # openpyxl only inside the workbook reader and the codebook
    "printing": {"flask", "flask_wtf", "wtforms", "werkzeug", "sqlalchemy", "alembic"},
    "scan": {"flask", "flask_wtf", "wtforms", "werkzeug", "sqlalchemy", "alembic"},
    "consent": {"flask", "flask_wtf", "wtforms", "werkzeug"},
    "intake": {"flask", "flask_wtf", "wtforms", "werkzeug"},
    "privacy": {"flask", "flask_wtf", "wtforms", "werkzeug"},
    "jobs": {"flask", "flask_wtf", "wtforms", "werkzeug"},
}
OPENPYXL_OK_IN_FORMS = {"forms/workbook.py", "forms/codebook.py"}


def _package_parts(path: Path) -> list[str]:
    """The dotted package a module lives in, as parts (a package's __init__ is its own)."""
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return parts[:-1]


def _imports(path: Path, *, with_names: bool = False) -> set[str]:
    """Every module ``path`` imports, relative imports resolved against its package.

    With ``with_names``, ``from a import b`` also yields ``a.b`` (b may be a module).
    """
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                parts = _package_parts(path)
                base = parts[: len(parts) - node.level + 1]
                module = ".".join([*base, *([node.module] if node.module else [])])
            elif node.module:
                module = node.module
            else:
                continue
            names.add(module)
            if with_names:
                names.update(f"{module}.{alias.name}" for alias in node.names)
    return names


def _imports_module(path: Path, module: str) -> bool:
    return any(n == module or n.startswith(module + ".") for n in _imports(path, with_names=True))


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


def test_only_the_command_line_imports_the_command_line() -> None:
    """The app owns its settings; the CLI reads them, never the other way round."""
    offenders = [
        path.relative_to(ROOT).as_posix()
        for package in OURS
        for path in _modules(package)
        if not path.relative_to(ROOT).as_posix().startswith("webapp/cli/")
        and _imports_module(path, "webapp.cli")
    ]
    assert offenders == []


def test_the_demo_is_imported_by_its_command_only() -> None:
    """`deltaker demo` (webapp/cli/demo_cmd.py) drives webapp/demo.py; the demo knows no CLI."""
    assert not _imports_module(ROOT / "webapp" / "demo.py", "webapp.cli")
    importers = [
        path.relative_to(ROOT).as_posix()
        for package in OURS
        for path in _modules(package)
        if path != ROOT / "webapp" / "demo.py" and _imports_module(path, "webapp.demo")
    ]
    assert importers == ["webapp/cli/demo_cmd.py"]


def test_the_consent_core_imports_nothing_of_intake_but_the_database_base() -> None:
    """A scanned page's result goes scan -> intake -> consent, never back up a layer."""
    offenders = [
        f"{path.relative_to(ROOT).as_posix()} imports {name}"
        for path in _modules("consent")
        for name in sorted(_imports(path, with_names=True))
        if name.split(".")[0] == "intake" and not (name + ".").startswith("intake.db.")
    ]
    assert offenders == []


def test_the_ledger_names_the_participants_table_intake_keeps() -> None:
    # the ledger checks codes against the table by name: it may not import intake's models
    from consent.ledger import _PARTICIPANTS
    from intake.models import Participant

    assert _PARTICIPANTS.name == Participant.__tablename__
    assert set(_PARTICIPANTS.c.keys()) <= set(Participant.__table__.c.keys())


def test_only_the_export_operations_write_the_export_log() -> None:
    """Each export logs itself in privacy.exports; no caller writes (or forgets) the row."""
    writers = {"log_personal_data_export", "ExportLog(", "ExportedParticipant("}
    allowed = {"privacy/exports.py", "intake/participants/store.py", "intake/models.py"}
    offenders = []
    for package in OURS:
        for path in _modules(package):
            name = path.relative_to(ROOT).as_posix()
            text = path.read_text(encoding="utf-8")
            if name not in allowed and name != "intake/participants/__init__.py":
                offenders += [f"{name}: {w}" for w in writers if w in text]
    assert offenders == [], "write the export log through privacy.exports only"


def test_forms_model_is_importable_alone() -> None:
    import forms.model  # noqa: F401 - importing is the test

    assert not any(
        n.split(".")[0] in OURS - {"forms"} for n in _imports(ROOT / "forms" / "model.py")
    )


def test_every_item_type_is_in_every_output_table() -> None:
    """One definition drives every output: adding an ItemType means one entry in each table."""
    from forms.codebook import CODING
    from forms.model import ItemType
    from intake.spreadsheet import CELL_VALUES
    from printing.layout import LAYOUT_RULES
    from printing.render import DRAWERS
    from privacy.processing import ITEM_DATA_CATEGORY
    from scan.readers import READERS
    from webapp.demo import _ANSWER_BY_TYPE
    from webapp.formgen import FIELD_BUILDERS, WEB_TYPES

    tables = {
        "forms.codebook.CODING": CODING,
        "printing.layout.LAYOUT_RULES": LAYOUT_RULES,
        "printing.render.DRAWERS": DRAWERS,
        "scan.readers.READERS": READERS,
        "webapp.formgen.FIELD_BUILDERS": FIELD_BUILDERS,
        "webapp.formgen.WEB_TYPES": WEB_TYPES,
        "intake.spreadsheet.CELL_VALUES": CELL_VALUES,
        "webapp.demo._ANSWER_BY_TYPE": _ANSWER_BY_TYPE,
        "privacy.processing.ITEM_DATA_CATEGORY": ITEM_DATA_CATEGORY,
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


def test_mypy_passes_with_the_pyproject_settings() -> None:
    """`make lint`'s type check, here too so CI runs it (strict for forms, printing, scan
    and the consent core; see [tool.mypy] in pyproject.toml)."""
    import subprocess
    import sys

    done = subprocess.run(
        [sys.executable, "-m", "mypy"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-2000:]

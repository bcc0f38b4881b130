"""The README lists every command and stays inside the repository."""

from __future__ import annotations

import re
from pathlib import Path

import click

from webapp.cli import cli

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"


def command_paths(group: click.Group, prefix: str = "") -> list[str]:
    paths = []
    for name, command in sorted(group.commands.items()):
        paths.append(prefix + name)
        if isinstance(command, click.Group):
            paths.extend(command_paths(command, prefix + name + " "))
    return paths


def test_the_readme_lists_every_command_and_subcommand():
    text = README.read_text(encoding="utf-8")
    paths = command_paths(cli)
    assert len(paths) > 30
    missing = [p for p in paths if not re.search(rf"deltaker {re.escape(p)}(\s|`|$)", text)]
    assert missing == []


def test_the_docs_point_to_nothing_outside_the_repository():
    docs = [README, *sorted((ROOT / "docs").glob("*.md"))]
    outside = {
        str(doc.relative_to(ROOT)): re.findall(r"(?:\.\./)+[\w./-]+", doc.read_text("utf-8"))
        for doc in docs
    }
    assert {doc: links for doc, links in outside.items() if links} == {}
    assert not (ROOT / "intake" / "README.md").exists()  # it lives in docs/intake.md


def test_the_readme_documents_every_exit_code():
    from forms.errors import ExitCode

    text = README.read_text(encoding="utf-8")
    rows = set(re.findall(r"^\| (\d+) \| `([A-Z_]+)` \|", text, flags=re.MULTILINE))
    assert rows == {(str(code.value), code.name) for code in ExitCode}

"""Write a new study folder from the commented template in forms/templates/study."""

from __future__ import annotations

import re
from collections.abc import Iterator
from importlib import resources
from importlib.abc import Traversable
from pathlib import Path

from .errors import UserError
from .rules import ID_PATTERN

#: The template's placeholder study id, replaced by one made from the folder name.
TEMPLATE_ID = "my-study"


class StudyFolderError(UserError):
    """The new study folder cannot be written."""


class StudyFolderExists(StudyFolderError):
    """`deltaker init` never writes into a folder that already holds something."""


def init_study(dest: str | Path) -> list[Path]:
    """Copy the template study into ``dest`` (new or empty); return the files written."""
    target = Path(dest)
    if target.exists() and not target.is_dir():
        raise StudyFolderExists(
            "is a file, not a folder; choose a new folder name", file=str(target)
        )
    if target.is_dir() and any(target.iterdir()):
        raise StudyFolderExists(
            "the folder is not empty; choose a new folder so nothing is overwritten",
            file=str(target),
        )
    study_id = _study_id(target)
    written: list[Path] = []
    template = resources.files("forms") / "templates" / "study"
    try:
        for relative, source in _walk(template, Path()):
            path = target / relative
            path.parent.mkdir(parents=True, exist_ok=True)
            text = source.read_text(encoding="utf-8")
            if relative == Path("study.yaml"):
                text = text.replace(f"id: {TEMPLATE_ID}", f"id: {study_id}", 1)
            path.write_text(text, encoding="utf-8")
            written.append(path)
    except OSError as exc:
        raise StudyFolderError(
            f"cannot write the study folder: {exc.strerror or exc}",
            file=str(exc.filename or target),
        ) from exc
    return written


def _walk(node: Traversable, prefix: Path) -> Iterator[tuple[Path, Traversable]]:
    for child in sorted(node.iterdir(), key=lambda c: c.name):
        if child.name.startswith((".", "__")):
            continue
        if child.is_dir():
            yield from _walk(child, prefix / child.name)
        else:
            yield prefix / child.name, child


def _study_id(target: Path) -> str:
    """The folder's name as a study id, or the template's when it cannot be one."""
    slug = re.sub(r"[^a-z0-9_-]+", "-", target.resolve().name.lower()).strip("-_")
    return slug if ID_PATTERN.match(slug) else TEMPLATE_ID

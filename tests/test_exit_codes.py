"""`deltaker` exits with a code that says what kind of thing went wrong (README table)."""

from __future__ import annotations

import importlib
import pkgutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from forms.errors import ExitCode, UserError

ROOT = Path(__file__).resolve().parents[1]
DELTAKER = Path(sys.executable).parent / "deltaker"
EXAMPLE = ROOT / "examples" / "u-sving"
PACKAGES = ("forms", "printing", "scan", "consent", "intake", "webapp")


def deltaker(*args: str, data: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(DELTAKER), "--data", str(data), *args], capture_output=True, text=True, timeout=120
    )


def test_commands_exit_with_the_code_of_what_went_wrong(tmp_path: Path):
    data = tmp_path / "data"
    existing = tmp_path / "codebook.xlsx"
    existing.write_bytes(b"not replaced")
    cases = [
        (["--version"], ExitCode.OK),
        (["codebook", str(EXAMPLE), "--out", str(tmp_path / "new.xlsx")], ExitCode.OK),
        (["check", str(tmp_path / "nope")], ExitCode.BAD_INPUT),
        (["no-such-command"], ExitCode.USAGE),
        (["layout", "families"], ExitCode.NOT_FOUND),
        (
            ["codebook", str(tmp_path / "nope"), "--out", str(tmp_path / "x.xlsx")],
            ExitCode.NOT_FOUND,
        ),
        (["codebook", str(EXAMPLE), "--out", str(existing)], ExitCode.CONFLICT),
    ]
    for args, code in cases:
        done = deltaker(*args, data=data)
        assert (args, done.returncode) == (args, code), done.stderr
        assert "Traceback" not in done.stderr
    assert existing.read_bytes() == b"not replaced"


def test_a_check_that_found_problems_exits_1_without_a_second_message(tmp_path: Path):
    study = tmp_path / "study"
    subprocess.run([str(DELTAKER), "init", str(study)], check=True, capture_output=True)
    (study / "study.yaml").write_text("title: [unclosed\n")
    done = deltaker("check", str(study), data=tmp_path / "data")
    assert done.returncode == ExitCode.BAD_INPUT
    assert "error: \n" not in done.stdout + done.stderr and "error: " in done.stdout


def test_a_locked_database_is_busy_not_a_bug(tmp_path: Path):
    from webapp.cli import _busy

    path = tmp_path / "locked.sqlite"
    holder = sqlite3.connect(path)
    holder.execute("CREATE TABLE t (x)")
    holder.execute("BEGIN EXCLUSIVE")
    try:
        with pytest.raises(sqlite3.OperationalError) as caught:
            sqlite3.connect(path, timeout=0).execute("INSERT INTO t VALUES (1)")
    finally:
        holder.rollback()
        holder.close()
    busy = _busy(caught.value)
    assert busy is not None and busy.exit_code == ExitCode.BUSY
    assert _busy(ValueError("something else")) is None


def _user_error_classes() -> set[type[UserError]]:
    for package in PACKAGES:
        module = importlib.import_module(package)
        for info in pkgutil.walk_packages(module.__path__, package + "."):
            if ".migrations" not in info.name:
                importlib.import_module(info.name)
    found: set[type[UserError]] = set()
    todo = [UserError]
    while todo:
        cls = todo.pop()
        found.add(cls)
        todo.extend(cls.__subclasses__())
    return found


def test_every_user_error_carries_an_exit_code_of_the_enum():
    classes = _user_error_classes()
    assert len(classes) > 30
    wrong = {c.__qualname__: c.exit_code for c in classes if not isinstance(c.exit_code, ExitCode)}
    assert wrong == {}
    # click's own usage code is never raised by a user error
    assert {c.exit_code for c in classes} <= set(ExitCode) - {
        ExitCode.OK,
        ExitCode.USAGE,
        ExitCode.INTERNAL_ERROR,
        ExitCode.INTERRUPTED,
    }

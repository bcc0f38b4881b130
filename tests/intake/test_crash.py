"""Crash safety: an import killed midway (SIGKILL) leaves nothing half-stored."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

ROWS = 20_000  # the most one import takes: storing lasts long enough to be killed midway


def _deltaker(data_dir: Path, *args: str) -> subprocess.Popen:
    env = dict(os.environ, DELTAKER_DATA=str(data_dir), PYTHONUNBUFFERED="1")
    env.pop("DELTAKER_DATABASE_URL", None)
    return subprocess.Popen(
        [sys.executable, "-c", "from webapp.cli import main; main()", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        cwd=Path(__file__).resolve().parents[2],
    )


def test_killed_import_then_rerun_stores_every_row_exactly_once(tmp_path):
    data_dir = tmp_path / "data"
    people = tmp_path / "people.csv"
    people.write_text(
        "navn;telefon;gruppe\n" + "".join(f"Person {n};9{n:07d};familier\n" for n in range(ROWS)),
        encoding="utf-8",
    )

    # Create the schema first so the kill lands in the import, not in the migration.
    assert _deltaker(data_dir, "db", "upgrade").wait(timeout=120) == 0

    process = _deltaker(data_dir, "participants", "import", str(people))
    assert process.stdout is not None
    line = process.stdout.readline()  # printed after checking, just before storing
    assert line.startswith("Checked the file"), line + process.stderr.read()
    time.sleep(0.1)  # into the bulk inserts (about 20 batches of 1,000)
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=60)
    process.stdout.close()
    process.stderr.close()
    assert process.returncode == -signal.SIGKILL, "the import finished before it was killed"

    database = data_dir / "deltaker.sqlite"
    with sqlite3.connect(database) as connection:
        assert connection.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert connection.execute("SELECT count(*) FROM participants").fetchone() == (0,)
    connection.close()

    rerun = _deltaker(data_dir, "participants", "import", str(people))
    out, err = rerun.communicate(timeout=300)
    assert rerun.returncode == 0, err
    assert f"Imported {ROWS} people." in out
    with sqlite3.connect(database) as connection:
        names = [r[0] for r in connection.execute("SELECT name FROM contact_details")]
        codes = [r[0] for r in connection.execute("SELECT code FROM participants")]
    connection.close()
    assert len(names) == ROWS and len(set(names)) == ROWS
    assert len(set(codes)) == ROWS

    # And a third run finds everyone already stored and stores nothing.
    again = _deltaker(data_dir, "participants", "import", str(people))
    _out, err = again.communicate(timeout=300)
    assert again.returncode == 1 and "already stored" in err and "Traceback" not in err

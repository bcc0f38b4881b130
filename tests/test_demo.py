"""`deltaker demo` (what `make demo` runs) end to end, as a new user would run it."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from openpyxl import load_workbook

ROOT = Path(__file__).resolve().parents[1]


def _demo(data: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [
            sys.executable,
            "-c",
            "from webapp.cli import main; main()",
            "--data",
            str(data),
            "demo",
            "--no-serve",
            *args,
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )


def test_demo_runs_the_example_study_end_to_end_twice(tmp_path):
    data = tmp_path / "demo"
    first = _demo(data)
    assert first.returncode == 0, first.stderr
    out = first.stdout
    assert "0 errors" in out
    assert "Imported 7 people." in out
    assert "Printed 7 packs" in out
    assert "Read 12 page(s)" in out
    # The coffee-stained page: its first code is gone, the second one identifies it.
    assert "1 page(s) had a damaged first QR code" in out
    assert "answered on the web and reached /thanks" in out
    assert out.count("granted    ") >= 10 and "paper" in out and "withdrawn" in out
    assert "ok: " in out and "Traceback" not in out + first.stderr
    for name in ("letters/letters.pdf", "scans/returned.pdf", "results.xlsx", "audit-report.pdf"):
        assert (data / name).stat().st_size > 0, name
    workbook = load_workbook(data / "results.xlsx", read_only=True)
    families = list(workbook["families"].iter_rows(values_only=True))
    channels = {row[families[0].index("channel")] for row in families[1:]}
    assert channels == {"paper", "web"}
    workbook.close()
    # idempotent: the demo wipes only its own folder and runs again
    again = _demo(data)
    assert again.returncode == 0, again.stderr


def test_demo_refuses_a_folder_it_did_not_make(tmp_path):
    precious = tmp_path / "real"
    precious.mkdir()
    (precious / "deltaker.sqlite").write_text("real data")
    done = _demo(precious)
    assert done.returncode == 1
    assert "holds data the demo did not make" in done.stderr
    assert (precious / "deltaker.sqlite").read_text() == "real data"

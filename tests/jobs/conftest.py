"""Shared by the job tests: the example study with N people, and `deltaker` as a subprocess."""

from __future__ import annotations

import os
import re
import secrets
import shutil
import subprocess
import sys
from pathlib import Path

import pypdfium2 as pdfium
import pytest

REDIS_ENV = "DELTAKER_TEST_REDIS_URL"
ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "u-sving"
CODE = re.compile(r"\bP-[A-Z0-9]{4,}\b")


def load_people(engine, tmp_path: Path, count: int) -> Path:
    """The example study (a private copy) and ``count`` people with addresses, stored."""
    from forms.load import load_study
    from intake.db import session_scope
    from intake.participants import import_participants
    from intake.studies import get_study, load_study_into_db

    folder = tmp_path / "study"
    shutil.copytree(EXAMPLE, folder)
    people = tmp_path / "people.csv"
    people.write_text(
        "navn,adresse,postnummer,poststed,språk,gruppe\n"
        + "".join(f"Person {n},Gate {n},0155,Oslo,nb,families\n" for n in range(count)),
        encoding="utf-8",
    )
    with session_scope(engine) as session:
        load_study_into_db(session, load_study(folder))
        import_participants(session, people, study=get_study(session))
    return folder


@pytest.fixture(params=["sqlite", "redis"])
def queue_url(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch):
    """The queue's storage: the default SQLite file, and Redis when a server is given.

    Each test gets a queue of its own on Redis (``?queue=``), emptied afterwards;
    DELTAKER_QUEUE_URL is set so commands run in this process use it too.
    """
    if request.param == "sqlite":
        monkeypatch.delenv("DELTAKER_QUEUE_URL", raising=False)
        yield ""
        return
    base = os.environ.get(REDIS_ENV)
    if not base:
        if os.environ.get("CI"):
            pytest.fail(f"CI has no Redis server: {REDIS_ENV} is not set")
        pytest.skip(f"no Redis server: set {REDIS_ENV}=redis://HOST:PORT/DB (.ci/run does)")
    url = f"{base}{'&' if '?' in base else '?'}queue=t_{secrets.token_hex(6)}"
    monkeypatch.setenv("DELTAKER_QUEUE_URL", url)
    yield url
    from jobs.queue import make_huey

    make_huey(url, Path(".")).flush()


@pytest.fixture
def study_with(engine, tmp_path):
    return lambda count: load_people(engine, tmp_path, count)


def packs_in(pdf: Path) -> list[str]:
    """The participant code of each pack in a letters PDF, in order, read from its text.

    A pack's pages all carry its participant's code (blank backs carry none); a
    new pack starts where the code changes, and its letter has one "Svarkode:".
    """
    doc = pdfium.PdfDocument(pdf)
    try:
        runs: list[str] = []
        answer_labels = 0
        for page in doc:
            text = page.get_textpage().get_text_range()
            answer_labels += text.count("Svarkode:")
            found = set(CODE.findall(text))
            assert len(found) <= 1, f"a page with two people's codes: {found}"
            if found and (not runs or runs[-1] != next(iter(found))):
                runs.append(next(iter(found)))
        assert answer_labels == len(runs), "one answer code per pack"
        return runs
    finally:
        doc.close()


def deltaker_process(data_dir: Path, db_url: str, *args: str, **env: str) -> subprocess.Popen:
    """`deltaker ARGS` as a process of its own, on the test's data folder and database."""
    environ = dict(
        os.environ,
        DELTAKER_DATA=str(data_dir),
        DELTAKER_DATABASE_URL=db_url,
        PYTHONUNBUFFERED="1",
        **env,
    )
    return subprocess.Popen(
        [sys.executable, "-c", "from webapp.cli import main; main()", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=environ,
        cwd=ROOT,
    )

"""`deltaker serve` really serves (waitress; gunicorn with --workers), and its access log
masks link tokens."""

from __future__ import annotations

import http.client
import io
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from tests.webapp.pipeline import load_example
from tests.webapp.served import free_port, request, served, served_process

DELTAKER = Path(sys.executable).with_name("deltaker")


def test_serve_answers_and_masks_tokens_in_its_log(data_dir, tmp_path) -> None:
    db_url = f"sqlite:///{data_dir / 'deltaker.sqlite'}"
    load_example(data_dir, db_url)
    log = tmp_path / "serve.log"
    with served(data_dir, log) as port:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        connection.request("GET", "/r/SECRET-TOKEN-1234567890?p=2")
        response = connection.getresponse()
        response.read()
        assert response.status == 404
        assert response.getheader("Content-Security-Policy")
        connection.request("GET", "/staff/login")
        login = connection.getresponse()
        # no Accept-Language: the staff pages' default language, bokmål
        assert login.status == 200 and b"Logg inn" in login.read()
    text = log.read_text()
    assert "GET /r/*** 404" in text or "GET /r/***?p=2 404" in text
    assert "SECRET-TOKEN" not in text


def test_serve_without_a_study_says_so_in_one_line(tmp_path) -> None:
    result = subprocess.run(
        [str(DELTAKER), "serve", "--data", str(tmp_path / "empty"), "--port", str(free_port())],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    assert "study load" in result.stderr


def test_users_add_reads_the_password_from_stdin(tmp_path) -> None:
    data = str(tmp_path / "d")
    ok = subprocess.run(
        [
            str(DELTAKER),
            "users",
            "add",
            "kari",
            "--role",
            "dpo",
            "--password-stdin",
            "--data",
            data,
        ],
        input="a long password\n",
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert ok.returncode == 0, ok.stderr
    again = subprocess.run(
        [
            str(DELTAKER),
            "users",
            "add",
            "kari",
            "--role",
            "dpo",
            "--password-stdin",
            "--data",
            data,
        ],
        input="a long password\n",
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert again.returncode == 1
    assert again.stderr.strip() == "error: a user called 'kari' already exists"
    listed = subprocess.run(
        [str(DELTAKER), "users", "list", "--data", data], capture_output=True, text=True, timeout=60
    )
    assert "kari\tdpo\tactive" in listed.stdout


def _children(pid: int) -> set[int]:
    """The processes ``pid`` started (from /proc), and theirs."""
    found: set[int] = set()
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            fields = dict(
                line.split(":\t", 1) for line in status.read_text().splitlines() if ":\t" in line
            )
        except OSError:
            continue
        if int(fields.get("PPid", "0").strip()) == pid:
            child = int(fields["Pid"].strip())
            found |= {child} | _children(child)
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/status").read_text().split("State:", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state != "Z"


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="gunicorn serves on Linux")
@pytest.mark.parametrize("stop", [signal.SIGINT, signal.SIGTERM])
def test_serve_with_two_web_processes_runs_jobs_once_and_stops_everything(
    data_dir, tmp_path, stop
) -> None:
    from intake.db import open_database, session_scope
    from intake.mailing import LetterRun
    from intake.participants import import_participants
    from intake.studies import get_study
    from jobs.letters import letter_run_arguments
    from jobs.queue import JobQueue
    from jobs.records import wait_job
    from webapp.settings import Settings

    settings = Settings(data_dir=data_dir, db_url=f"sqlite:///{data_dir / 'deltaker.sqlite'}")
    load_example(data_dir, settings.db_url)
    engine = open_database(settings)
    try:
        people = tmp_path / "people.csv"
        people.write_text(
            "navn,adresse,postnummer,poststed,språk,gruppe\nAse,Gate 1,0155,Oslo,nb,families\n",
            encoding="utf-8",
        )
        with session_scope(engine) as session:
            import_participants(session, people, study=get_study(session))
        out = tmp_path / "letters.pdf"
        log = tmp_path / "serve.log"
        with served_process(data_dir, log, args=("--workers", "2", "--threads", "2")) as (
            port,
            server,
        ):
            answers = {request(port, "/staff/login").status for _ in range(6)}
            assert answers == {200}
            job = JobQueue(engine, data_dir).start(
                "letters", letter_run_arguments(LetterRun(out=out))
            )
            done = wait_job(engine, job.id, timeout=60)
            assert done.state == "succeeded", done.error
            family = _children(server.pid)
            text = log.read_text()
            assert text.count("Booting worker") == 2, text
            consumers = [
                p for p in family if "worker" in Path(f"/proc/{p}/cmdline").read_text().split("\0")
            ]
            assert len(consumers) == 1, "one job consumer, not one per web process"
            assert done.claimed_by.split(":")[1] == str(consumers[0])
            assert len(family) == 3, "two web processes and the consumer"
            server.send_signal(stop)
            server.wait(timeout=30)
        assert server.returncode == 0, log.read_text()
        assert not [p for p in family if _alive(p)], "every process stopped"
        assert "GET /staff/login 200" in log.read_text()
    finally:
        engine.dispose()


def test_a_web_process_of_several_starts_with_two_studies_loaded(data_dir, tmp_path) -> None:
    """Each gunicorn worker loads every study as the master does (not just "the only one",
    which with two loaded is no study at all)."""
    from forms.load import load_study
    from intake.db import open_database, session_scope
    from intake.studies import load_study_into_db
    from tests.webapp.test_study_scope import study_copy
    from webapp.serving import build_wsgi
    from webapp.settings import Settings

    settings = Settings(data_dir=data_dir, db_url=f"sqlite:///{data_dir / 'deltaker.sqlite'}")
    load_example(data_dir, settings.db_url)
    engine = open_database(settings)
    try:
        with session_scope(engine) as db:
            load_study_into_db(db, load_study(study_copy(tmp_path)))
    finally:
        engine.dispose()
    config = {"DATA_DIR": str(data_dir), "DATABASE_URL": settings.db_url, "QUEUE_URL": ""}
    wsgi = build_wsgi(config)
    answers: list[str] = []
    body = b"".join(
        wsgi(
            {
                "REQUEST_METHOD": "GET",
                "PATH_INFO": "/staff/login",
                "SERVER_NAME": "localhost",
                "SERVER_PORT": "80",
                "wsgi.url_scheme": "http",
                "wsgi.input": io.BytesIO(),
                "wsgi.errors": sys.stderr,
            },
            lambda status, headers, *_: answers.append(status),
        )
    )
    assert answers == ["200 OK"] and b"Logg inn" in body

"""`deltaker serve` runs queued jobs in threads of its own, unless --no-worker."""

from __future__ import annotations

import time

from intake.db import open_database, session_scope
from intake.mailing import LetterRun
from intake.participants import import_participants
from intake.studies import get_study
from jobs.letters import letter_run_arguments
from jobs.queue import JobQueue
from jobs.records import get_job, wait_job
from tests.webapp.pipeline import load_example
from tests.webapp.served import served
from webapp.settings import Settings


def test_serve_runs_queued_jobs_unless_told_not_to(data_dir, tmp_path) -> None:
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
        job = JobQueue(engine, data_dir).start("letters", letter_run_arguments(LetterRun(out=out)))
        with served(data_dir, tmp_path / "no-worker.log", args=("--no-worker",)):
            time.sleep(2)
            assert get_job(engine, job.id).state == "queued", "nobody runs it"
        with served(data_dir, tmp_path / "serve.log"):
            done = wait_job(engine, job.id, timeout=60)
        assert done.state == "succeeded", done.error
        assert done.claimed_by and done.result["packs"] == 1 and out.is_file()
    finally:
        engine.dispose()

"""The staff job pages read the jobs table: one web process shows what another started and
a third ran, to the job's owner only."""

from __future__ import annotations

import re
import time

from tests.webapp.pipeline import example_app
from tests.webapp.webhelpers import add_staff, csrf, login, wait_for_job

PEOPLE = "navn,adresse,postnummer,poststed,språk,gruppe\n" + "".join(
    f"Person {n},Gate {n},0155,Oslo,nb,families\n" for n in range(3)
)


def _import_people(app, tmp_path) -> None:
    from intake.participants import import_participants
    from intake.studies import get_study
    from webapp.database import writing

    people = tmp_path / "people.csv"
    people.write_text(PEOPLE, encoding="utf-8")
    with app.app_context(), writing() as db:
        import_participants(db, people, study=get_study(db))


def test_a_job_started_in_one_web_process_is_run_elsewhere_and_shown_by_both(
    data_dir, db_url, tmp_path
) -> None:
    from webapp import create_app, jobs
    from webapp.database import EXTENSION

    with example_app(data_dir, db_url) as first:
        _import_people(first, tmp_path)
        # a second web process on the same data folder and database, running no jobs
        second = create_app(
            {"DATA_DIR": str(data_dir), "DATABASE_URL": db_url, "EMBEDDED_WORKER": False}
        )
        try:
            starter = second.test_client()
            login(starter, "recruiter")
            page = starter.get("/staff/recruit/letters")
            started = starter.post(
                "/staff/recruit/letters", data={"csrf_token": csrf(page.text), "only_new": "y"}
            )
            assert started.status_code == 303
            url = started.headers["Location"]
            time.sleep(0.5)
            waiting = starter.get(url)
            assert 'http-equiv="refresh"' in waiting.text, "nobody runs it yet"
            assert "Making letter packs: 0 of ? people" in waiting.text

            jobs.queue(first)  # the first process's embedded worker takes it from the queue
            viewer = first.test_client()
            login(viewer, "recruiter")
            shown = wait_for_job(viewer, url, tries=300)
            assert "Printed 3 packs" in shown, shown
            made = starter.get(url)
            assert "Printed 3 packs" in made.text, "the starting process sees the result too"
            name = re.search(r'/staff/recruit/letters/(letters-[^"]+\.pdf)', made.text).group(1)
            pdf = starter.post(
                f"/staff/recruit/letters/{name}", data={"csrf_token": csrf(made.text)}
            )
            assert pdf.headers["Content-Type"] == "application/pdf"

            add_staff(first, "recruiter2", "recruiter")
            stranger = second.test_client()
            login(stranger, "recruiter2")
            assert stranger.get(url).status_code == 404, "not their job"
            add_staff(first, "boss", "admin")
            admin = second.test_client()
            login(admin, "boss")
            assert "Printed 3 packs" in admin.get(url).text, "an admin sees every job"
            job_id = int(url.rsplit("/", 1)[1])
            assert starter.get(f"/staff/recruit/reminders/jobs/{job_id}").status_code == 404, (
                "a letter job is not a reminder job"
            )
        finally:
            second.extensions[EXTENSION]["engine"].dispose()

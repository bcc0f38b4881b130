"""Many processes on one PostgreSQL database and one Redis queue, as docs/deploy.md sets up.

Two `deltaker serve` processes (one of them gunicorn with two web processes)
and two `deltaker worker` processes share a database, a queue and a data
folder. A recruiter logs in on one web server, starts a letter run there, and
follows its progress on the other (the session, the CSRF token and the job
are rows in the database, not in any process); the jobs are run by the
workers, both of which take work.
"""

from __future__ import annotations

import contextlib
import http.cookiejar
import os
import re
import secrets
import subprocess
import time
import urllib.parse
import urllib.request
from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path
from urllib.parse import quote

import pytest
from sqlalchemy import text

from intake.db import make_engine, open_database, session_scope
from jobs.records import get_job, list_jobs, wait_job
from tests.jobs.conftest import REDIS_ENV, load_people
from tests.webapp.served import DELTAKER, served_process
from tests.webapp.webhelpers import PASSWORD, csrf
from webapp.settings import Settings

POSTGRES_ENV = "DELTAKER_TEST_POSTGRES_URL"
PEOPLE = 60
PROGRESS = re.compile(r"Making letter packs: (\d+) of (\d+|\?) people")


def _servers_or_skip() -> tuple[str, str]:
    postgres, redis = os.environ.get(POSTGRES_ENV), os.environ.get(REDIS_ENV)
    if postgres and redis:
        return postgres, redis
    missing = " and ".join(n for n, v in ((POSTGRES_ENV, postgres), (REDIS_ENV, redis)) if not v)
    if os.environ.get("CI"):
        pytest.fail(f"CI must run this test: {missing} not set (.ci/run sets them)")
    pytest.skip(f"needs PostgreSQL and Redis: set {missing}")


@pytest.fixture
def shared(tmp_path: Path) -> Iterator[tuple[str, str]]:
    """A PostgreSQL schema and a Redis queue of this test's own: (database URL, queue URL)."""
    postgres, redis = _servers_or_skip()
    schema = "t_" + secrets.token_hex(6)
    admin = make_engine(postgres)
    with admin.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    separator = "&" if "?" in postgres else "?"
    db_url = f"{postgres}{separator}options={quote(f'-csearch_path={schema}')}"
    queue_url = f"{redis}{'&' if '?' in redis else '?'}queue=t_{secrets.token_hex(6)}"
    try:
        yield db_url, queue_url
    finally:
        from jobs.queue import make_huey

        make_huey(queue_url, tmp_path).flush()
        with admin.begin() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


class Browser:
    """A recruiter's browser: one cookie jar for every server (cookies are per host)."""

    def __init__(self) -> None:
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()),
            _NoRedirect(),
        )
        # the staff pages in English, which the assertions read (nb is the default)
        self.opener.addheaders = [("Accept-Language", "en")]

    def get(self, port: int, path: str) -> str:
        with self.opener.open(f"http://127.0.0.1:{port}{path}", timeout=30) as answer:
            return answer.read().decode("utf-8")

    def post(self, port: int, path: str, form: dict[str, str]) -> tuple[int, str]:
        data = urllib.parse.urlencode(form).encode()
        try:
            with self.opener.open(f"http://127.0.0.1:{port}{path}", data, timeout=30) as answer:
                return answer.status, answer.headers.get("Location", "")
        except urllib.error.HTTPError as exc:  # a redirect, not followed
            return exc.code, exc.headers.get("Location", "")


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        return None


def test_two_web_servers_and_two_workers_share_one_database_and_one_queue(
    shared, data_dir, tmp_path
) -> None:
    db_url, queue_url = shared
    env = {"DELTAKER_DATABASE_URL": db_url, "DELTAKER_QUEUE_URL": queue_url}
    engine = open_database(Settings(data_dir=data_dir, db_url=db_url))
    try:
        load_people(engine, tmp_path, PEOPLE)
        from webapp import staff

        with session_scope(engine) as session:
            staff.add_user(session, "kari", "recruiter", PASSWORD)
        with ExitStack() as stack:
            first, _ = stack.enter_context(
                served_process(
                    data_dir, tmp_path / "first.log", env, ("--no-worker", "--workers", "2")
                )
            )
            second, _ = stack.enter_context(
                served_process(data_dir, tmp_path / "second.log", env, ("--no-worker",))
            )
            browser = Browser()
            page = browser.get(first, "/staff/login")
            status, _ = browser.post(
                first,
                "/staff/login",
                {"name": "kari", "password": PASSWORD, "csrf_token": csrf(page)},
            )
            assert status == 303, "logged in on the first server"
            page = browser.get(first, "/staff/recruit/letters")
            status, url = browser.post(
                first, "/staff/recruit/letters", {"csrf_token": csrf(page), "only_new": "y"}
            )
            assert status == 303 and "/jobs/" in url, (status, url)
            path = urllib.parse.urlparse(url).path
            job_id = int(path.rsplit("/", 1)[1])
            time.sleep(1)
            waiting = browser.get(second, path)
            assert "Making letter packs: 0 of ? people" in waiting, "no worker runs yet"
            assert get_job(engine, job_id).state == "queued"

            workers = [
                stack.enter_context(_worker(data_dir, env, tmp_path / f"worker-{n}.log"))
                for n in range(2)
            ]
            # while one worker prints the letters, the other takes the quick jobs
            from jobs.queue import JobQueue

            queue = JobQueue(engine, data_dir, queue_url)
            quick = [
                queue.start("consent_records", {"out": str(tmp_path / f"records-{n}.jsonld")}).id
                for n in range(3)
            ]
            seen: list[tuple[int, int]] = []
            deadline = time.monotonic() + 180
            while time.monotonic() < deadline:
                page = browser.get(second, path)
                found = PROGRESS.search(page)
                if found and found.group(2) != "?":
                    seen.append((int(found.group(1)), int(found.group(2))))
                if 'http-equiv="refresh"' not in page:
                    break
                time.sleep(0.05)
            assert f"Printed {PEOPLE} packs" in page, page
            assert any(0 < done < total for done, total in seen), (
                f"the second server showed the run's progress: {seen[:5]}..."
            )
            assert f"Printed {PEOPLE} packs" in browser.get(first, path), "and the first too"
            finished = [wait_job(engine, job, timeout=60) for job in [job_id, *quick]]
            assert all(job.state == "succeeded" for job in finished), [j.error for j in finished]
            pids = {str(process.pid) for process in workers}
            ran = {job.claimed_by.split(":")[1] for job in finished}
            assert ran == pids, f"both workers took work: {ran} of {pids}"
            assert all(job.attempts == 1 for job in list_jobs(engine)), "each job ran once"
    finally:
        engine.dispose()


@contextlib.contextmanager
def _worker(data_dir: Path, env: dict[str, str], log: Path) -> Iterator[subprocess.Popen[bytes]]:
    """`deltaker worker` in a process of its own, stopped (SIGTERM) when the block ends."""
    with open(log, "wb") as sink:
        process = subprocess.Popen(
            [str(DELTAKER), "worker", "--data", str(data_dir)],
            stdout=sink,
            stderr=subprocess.STDOUT,
            env=dict(os.environ, **env),
        )
        try:
            yield process
        finally:
            process.terminate()
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:  # a worker that does not stop must not hide it
                process.kill()
                process.wait()

"""Several studies in one install: the role-by-route matrix grows a study dimension.

Study A is the example study with a real world in it (people imported and sent
letter packs on the web, a web answer, paper consents scanned and uploaded,
review tasks, ledger events, jobs). Study B is a copy of the same folder under
another id. A recruiter, assistant and dpo who hold their role only in B walk
every staff route with A's objects in the URL: each answers 403 or 404, and
every list and download they may open shows none of A's participant codes,
pack names or job ids. The same walk by A's own staff shows A's codes (so the
check can fail), an admin sees both studies, and the switcher changes which
study (and role) a user with roles in two studies works on.
"""

from __future__ import annotations

import io
import re
import shutil
import sys
from pathlib import Path

import pytest
from sqlalchemy import select

from tests.privacy.test_export_log import _build
from tests.webapp.pipeline import EXAMPLE, example_app
from tests.webapp.webhelpers import PASSWORD, add_staff, csrf, login
from webapp.access import ROLES_ATTRIBUTE

A = "u-sving"
B = "u-sving-b"
B_TITLE = "Studie B – et annet prosjekt"


def study_copy(folder: Path, key: str = B, title: str = B_TITLE) -> Path:
    """The example study folder under another id and title."""
    target = folder / key
    shutil.copytree(EXAMPLE, target)
    text = (target / "study.yaml").read_text(encoding="utf-8")
    text = text.replace("id: u-sving", f"id: {key}", 1)
    text = re.sub(r"(title:\n  nb: ).*", rf"\g<1>{title}", text, count=1)
    (target / "study.yaml").write_text(text, encoding="utf-8")
    return target


def _jobs_of_a(app) -> dict[str, str]:
    """Study A's first job of each kind (its id), by kind."""
    from jobs.models import Job
    from webapp.database import reading

    with app.app_context(), reading() as db:
        found = db.execute(select(Job.kind, Job.id).where(Job.study == A).order_by(Job.id.desc()))
        return {kind: str(job_id) for kind, job_id in found}


def _objects_of_a(app, world) -> dict[str, set[str]]:
    """What must never show to B's staff: A's codes, pack names and job ids."""
    from jobs.models import Job
    from webapp.database import reading

    with app.app_context(), reading() as db:
        jobs = {str(j) for j in db.scalars(select(Job.id).where(Job.study == A))}
    return {"codes": set(world.everyone), "packs": {world.pack}, "jobs": jobs}


#: the job page of each kind: it shows only a job of its own kind
JOB_KIND = {
    "recruit.letter_job": "letters",
    "recruit.reminder_job": "reminders",
    "intake.scan_job": "scan",
}


def _url(rule: str, endpoint: str, world, jobs: dict[str, str]) -> str:
    """The route's URL with study A's objects in it (a job of the page's kind, where A has one)."""
    values = {
        "job_id": jobs.get(JOB_KIND.get(endpoint, ""), min(jobs.values(), key=int)),
        "task_id": str(world.task_id),
        "code": world.page_code,
        "digest": world.page_image,
        "form_id": "consent",
        "user_id": "1",
        "fmt": "pdf" if endpoint.startswith("audit.") else "png",
        "name": world.overlay if endpoint == "intake.overlay" else world.pack,
    }
    url = re.sub(r"<(?:int:)?(\w+)>", lambda m: values[m.group(1)], rule)
    if endpoint in ("audit.access", "audit.access_records"):
        url += f"?code={world.page_code}"
    return url


def _text_of(response) -> str:
    """What a page or download shows, as text (workbooks cell by cell, PDFs page by page)."""
    data = response.data
    if data[:8] == b"\x89PNG\r\n\x1a\n":
        return ""
    if data[:4] == b"%PDF":
        import pypdfium2 as pdfium

        pdf = pdfium.PdfDocument(data)
        return "\n".join(page.get_textpage().get_text_range() for page in pdf)
    if data[:2] == b"PK":
        import openpyxl

        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True)
        cells = [
            str(value)
            for sheet in book.worksheets
            for row in sheet.iter_rows(values_only=True)
            for value in row
            if value is not None
        ]
        book.close()
        return "\n".join(cells)
    return data.decode("utf-8", "replace")  # an image: nothing a person reads as text


def _walk(app, client, role: str, world, jobs: dict[str, str]):
    """(endpoint, url, status, text) for every staff route of ``role``, with A's objects."""
    token = csrf(client.get("/staff/login").text)
    seen = []
    for rule in app.url_map.iter_rules():
        view = app.view_functions[rule.endpoint]
        roles = getattr(view, ROLES_ATTRIBUTE, None)
        if roles is None or role not in roles or rule.endpoint == "auth.switch_study":
            continue
        url = _url(rule.rule, rule.endpoint, world, jobs)
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            if method == "GET":
                response = client.get(url)
            else:
                response = client.post(url, data={"csrf_token": token})
            seen.append((rule.endpoint, url, response.status_code, _text_of(response)))
    return seen


#: route parts that name something of one study (a format or a form name does not)
OBJECTS = ("<int:job_id>", "<int:task_id>", "<code>", "<digest>", "<name>", "<int:user_id>")
#: routes that take their object in the query string
BY_QUERY = {"audit.access", "audit.access_records"}


def _has_object(rule) -> bool:
    return rule.endpoint in BY_QUERY or any(part in rule.rule for part in OBJECTS)


def test_staff_of_study_b_see_nothing_of_study_a_by_any_url(
    app, data_dir, db_url, tmp_path, deltaker
) -> None:
    world = _build(app, data_dir, db_url, tmp_path, deltaker)
    loaded = deltaker("study", "load", str(study_copy(tmp_path)))
    assert loaded.returncode == 0, loaded.stderr
    secret = _objects_of_a(app, world)
    assert secret["jobs"], "the world has jobs of study A"
    jobs = _jobs_of_a(app)
    assert {"letters", "scan"} <= jobs.keys(), "a letter run and a scan"
    job_id = sorted(secret["jobs"], key=int)[0]
    routes_with_objects = {rule.endpoint for rule in app.url_map.iter_rules() if _has_object(rule)}
    problems: list[str] = []
    shown_to_a: set[str] = set()
    refused_to_a: list[str] = []
    for role in ("recruiter", "assistant", "dpo"):
        add_staff(app, f"b-{role}", role, studies=(B,))
        b_client = app.test_client()
        login(b_client, f"b-{role}")
        walked = _walk(app, b_client, role, world, jobs)
        assert walked, role
        for endpoint, url, status, text in walked:
            if endpoint in routes_with_objects:
                if status not in (403, 404):
                    problems.append(f"b-{role} {url}: {status}, not 403/404")
            # the code typed into an access request is shown back in its field, not found
            leaked = {c for c in secret["codes"] | secret["packs"] if c in text and c not in url}
            leaked |= {f"job {j}" for j in secret["jobs"] if f"jobs/{j}" in text}
            if leaked:
                problems.append(f"b-{role} {url}: shows {sorted(leaked)} of study A")
        # the same walk by A's own staff opens every one of those URLs and shows A's codes
        # and pack: the checks above can fail
        a_client = app.test_client()
        login(a_client, role)
        for endpoint, url, status, text in _walk(app, a_client, role, world, jobs):
            shown_to_a |= {c for c in secret["codes"] | secret["packs"] if c in text}
            no_object_of_a = JOB_KIND.get(endpoint) not in (None, *jobs)  # no reminders run
            if endpoint in routes_with_objects and status in (403, 404) and not no_object_of_a:
                refused_to_a.append(f"{role} {url}: {status}")
    assert not problems, "\n".join(problems)
    assert shown_to_a == secret["codes"] | secret["packs"]
    assert refused_to_a == [], "A's own staff must open A's objects"
    _switcher_admin_and_jobs(app, world, job_id)


def _switcher_admin_and_jobs(app, world, job_id: str) -> None:
    from jobs.models import Job
    from webapp.database import reading

    with app.app_context(), reading() as db:
        job = db.get(Job, int(job_id))
        assert job is not None
        kind = job.kind
    job_url = {
        "letters": f"/staff/recruit/letters/jobs/{job_id}",
        "scan": f"/staff/intake/scan/jobs/{job_id}",
    }[kind]
    owner = "recruiter" if kind == "letters" else "assistant"
    # the job's owner holds a role in B as well: on B, A's job is not there
    from webapp import staff
    from webapp.database import writing

    with app.app_context(), writing() as db:
        staff.grant(db, staff.find_user(db, owner), "dpo", (B,))
    client = app.test_client()
    login(client, owner)
    page = client.get(job_url)
    assert page.status_code == 200
    assert 'name="study"' in page.text and f'value="{B}"' in page.text  # the switcher
    switched = client.post(
        "/staff/study", data={"study": B, "csrf_token": csrf(page.text)}, follow_redirects=False
    )
    assert switched.status_code == 303 and switched.headers["Location"].endswith("/staff/audit/")
    assert client.get(job_url).status_code in (403, 404)
    ledger = client.get("/staff/audit/")
    assert ledger.status_code == 200 and not any(c in ledger.text for c in world.everyone)
    assert client.get(f"/staff/audit/participant/{world.page_code}").status_code == 404
    assert client.get("/staff/recruit/").status_code == 403  # not a recruiter in B
    # a study the user holds no role in (or that does not exist): refused alike
    for other in ("no-such-study", "u-sving-c"):
        again = client.post("/staff/study", data={"study": other, "csrf_token": csrf(ledger.text)})
        assert again.status_code == 303
        assert "no role in that study" in client.get("/staff/audit/").text
    back = client.post("/staff/study", data={"study": A, "csrf_token": csrf(ledger.text)})
    assert back.status_code == 303
    assert client.get(job_url).status_code == 200
    # an admin sees both studies and every job
    add_staff(app, "boss", "admin")
    admin = app.test_client()
    login(admin, "boss")
    users = admin.get("/staff/users")
    assert f'value="{A}"' in users.text and f'value="{B}"' in users.text
    assert admin.get(job_url).status_code == 200
    # the admin adds a user on the web: with several studies, they must say which
    form = {"name": "web-b", "role": "recruiter", "password": PASSWORD}
    vague = admin.post("/staff/users", data={**form, "csrf_token": csrf(users.text)})
    assert vague.status_code == 200 and "Choose the studies this user works on." in vague.text
    added = admin.post(
        "/staff/users", data={**form, "studies": [B], "csrf_token": csrf(users.text)}
    )
    assert added.status_code == 303
    assert f"{B}: recruiter" in admin.get("/staff/users").text
    # a single-study user sees no switcher
    add_staff(app, "only-b", "dpo", studies=(B,))
    single = app.test_client()
    login(single, "only-b")
    home = single.get("/staff/audit/")
    assert home.status_code == 200 and 'name="study"' not in home.text and B in home.text


def test_a_citizen_of_study_b_sees_study_b(data_dir, db_url, tmp_path) -> None:
    from intake.invitations import issue_invitation
    from intake.models import Participant, StudyRecord
    from webapp.database import EXTENSION, writing

    with example_app(data_dir, db_url) as app:
        from forms.load import load_study
        from intake.studies import load_study_into_db

        with app.app_context(), writing() as db:
            load_study_into_db(db, load_study(study_copy(tmp_path)))
            record = db.scalar(select(StudyRecord).where(StudyRecord.key == B))
            person = Participant(code="P-B0B1", language="nb", status="invited", study_id=record.id)
            db.add(person)
            db.flush()
            token = issue_invitation(db, person, app.extensions[EXTENSION]["secret"]).token
        client = app.test_client()
        assert client.get(f"/r/{token}").status_code == 303
        shown = client.get("/information")
        assert shown.status_code == 200, shown.status_code
        assert B_TITLE in shown.text
        assert "sammen om et bedre hjem" not in shown.text


def _add(deltaker, monkeypatch, *args: str):
    monkeypatch.setattr(sys, "stdin", io.StringIO(PASSWORD + "\n"))
    return deltaker("users", "add", *args, "--password-stdin")


def test_users_add_takes_studies(deltaker, monkeypatch, tmp_path) -> None:
    # no study loaded yet: the role is install-wide, as before
    early = _add(deltaker, monkeypatch, "early", "--role", "recruiter")
    assert early.returncode == 0 and "every study" in early.stdout
    assert deltaker("study", "load", str(EXAMPLE)).returncode == 0
    only = _add(deltaker, monkeypatch, "only", "--role", "dpo")
    assert only.returncode == 0 and f"{A}: dpo" in only.stdout  # the only loaded study
    assert deltaker("study", "load", str(study_copy(tmp_path))).returncode == 0
    both = _add(deltaker, monkeypatch, "both", "--role", "assistant", "--study", A, "--study", B)
    assert both.returncode == 0 and f"{A}: assistant, {B}: assistant" in both.stdout
    ambiguous = _add(deltaker, monkeypatch, "vague", "--role", "dpo")
    assert ambiguous.returncode != 0
    assert f"several studies are loaded ({A}, {B})" in ambiguous.stderr
    assert "--study" in ambiguous.stderr and "Traceback" not in ambiguous.stderr
    unknown = _add(deltaker, monkeypatch, "lost", "--role", "dpo", "--study", "nope")
    assert unknown.returncode != 0
    assert unknown.stderr.strip().splitlines() == [
        f"error: no study 'nope' is loaded; loaded studies: {A}, {B}"
    ]
    admin = _add(deltaker, monkeypatch, "boss", "--role", "admin", "--study", A)
    assert admin.returncode != 0 and "admin is install-wide" in admin.stderr
    granted = deltaker("users", "grant", "only", "--role", "recruiter", "--study", B)
    assert granted.returncode == 0 and f"{A}: dpo, {B}: recruiter" in granted.stdout
    revoked = deltaker("users", "revoke", "only", "--study", A)
    assert revoked.returncode == 0 and revoked.stdout.strip() == f"only: {B}: recruiter"
    listed = deltaker("users", "list").stdout
    assert f"both\tassistant\tactive\t{A}: assistant, {B}: assistant" in listed
    assert "early\trecruiter\tactive\trecruiter (every study)" in listed
    missing = deltaker("users", "grant", "nobody", "--role", "dpo", "--study", A)
    assert missing.returncode != 0 and "no user called 'nobody'" in missing.stderr


def test_migration_gives_existing_users_every_loaded_study(settings) -> None:
    from forms.load import load_study
    from intake.db import make_engine, open_database, read_scope, session_scope, upgrade
    from intake.studies import load_study_into_db
    from webapp import staff
    from webapp.models import StaffUser

    engine = make_engine(settings.db_url)
    upgrade(engine, "0007_jobs")
    with session_scope(engine) as db:
        load_study_into_db(db, load_study(EXAMPLE))
        for name, role in (("old-recruiter", "recruiter"), ("old-admin", "admin")):
            db.execute(
                StaffUser.__table__.insert().values(
                    name=name,
                    role=role,
                    password_hash="x",
                    failed_logins=0,
                    active=True,
                    created_at=staff.utcnow(),
                )
            )
    engine.dispose()
    upgraded = open_database(settings)
    try:
        with read_scope(upgraded) as db:
            users = {u.name: u for u in staff.list_users(db)}
            assert staff.roles_in_studies(db, users["old-recruiter"]) == {A: "recruiter"}
            assert staff.role_labels(db, users["old-admin"]) == "admin"
            assert staff.logged_in(db, users["old-recruiter"]).role == "recruiter"
    finally:
        upgraded.dispose()


@pytest.fixture
def app(data_dir, db_url):
    with example_app(data_dir, db_url) as app:
        yield app

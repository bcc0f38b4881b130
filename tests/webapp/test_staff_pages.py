"""Staff pages with the test client: uploads and their errors, manual entry, exports, limits."""

from __future__ import annotations

import io

import pytest
from sqlalchemy import select

from tests.webapp.pipeline import example_app
from tests.webapp.webhelpers import add_staff, csrf, login, wait_for_job
from webapp.database import reading


@pytest.fixture
def app(data_dir, db_url):
    with example_app(data_dir, db_url, MAX_UPLOAD_MB=1) as app:
        yield app


def _upload(client, url: str, page_url: str, field: str, name: str, data: bytes):
    page = client.get(page_url)
    return client.post(
        url,
        content_type="multipart/form-data",
        data={"csrf_token": csrf(page.text), field: (io.BytesIO(data), name)},
    )


@pytest.mark.parametrize(
    "name, data, message",
    [
        ("people.txt", b"navn\nKari", "Use an .xlsx or .csv file."),
        ("people.csv", b"", "the file is empty"),
        ("people.csv", b"navn,adresse\n", "needs postcode and city columns"),
        ("people.xlsx", b"PK\x03\x04 not really a workbook", "not a real .xlsx file"),
        ("people.csv", b"shoe size,colour\n42,blue\n", "no name column"),
        ("people.csv", b'navn\nKari\n=HYPERLINK("x")\n,\n', "Nothing was imported"),
    ],
)
def test_bad_participant_lists_are_one_clear_message_and_store_nothing(
    app, name, data, message
) -> None:
    from intake.models import Participant

    client = app.test_client()
    login(client, "recruiter")
    response = _upload(client, "/staff/recruit/import", "/staff/recruit/", "file", name, data)
    assert response.status_code == 400
    assert message in response.text, response.text
    assert "Traceback" not in response.text and "/uploads/" not in response.text
    with app.app_context(), reading() as db:
        assert list(db.scalars(select(Participant))) == []


def test_skip_invalid_imports_good_rows_and_lists_the_others(app) -> None:
    client = app.test_client()
    login(client, "recruiter")
    page = client.get("/staff/recruit/")
    response = client.post(
        "/staff/recruit/import",
        content_type="multipart/form-data",
        data={
            "csrf_token": csrf(page.text),
            "skip_invalid": "y",
            "file": (
                io.BytesIO(
                    b"navn,adresse,postnummer,poststed\nKari,Gata 1,5003,Bergen\n"
                    b",Gata 2,12,Bergen\n"
                ),
                "people.csv",
            ),
        },
    )
    assert response.status_code == 200
    assert "Imported 1 person. Left out 1 row with problems." in response.text
    assert "Rows left out" in response.text and "<td>3</td>" in response.text


def test_uploads_over_the_limit_are_refused(app) -> None:
    client = app.test_client()
    login(client, "assistant")
    response = _upload(
        client,
        "/staff/intake/scan",
        "/staff/intake/",
        "files",
        "big.pdf",
        b"%PDF-1.4\n" + b"0" * (2 * 1024 * 1024),
    )
    assert response.status_code == 413
    assert "Traceback" not in response.text


def test_a_broken_scan_gives_a_per_file_result_not_a_crash(app) -> None:
    client = app.test_client()
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"  # the words asserted below
    login(client, "assistant")
    response = _upload(
        client,
        "/staff/intake/scan",
        "/staff/intake/",
        "files",
        "broken.pdf",
        b"%PDF-1.4 this is not a real pdf",
    )
    assert response.status_code == 303
    import time

    for _ in range(300):
        job = client.get(response.headers["Location"])
        if 'http-equiv="refresh"' not in job.text:
            break
        time.sleep(0.1)
    # one result, saying what is wrong
    assert "1 page: 0 read, 0 to check, 1 unknown" in job.text
    assert '<td class="bad">not recognised: ' in job.text and "Traceback" not in job.text


def test_manual_entry_uses_the_generated_form_and_is_stored_once(app) -> None:
    from intake.models import Participant, Response
    from webapp.database import writing

    with app.app_context(), writing() as db:
        db.add(Participant(code="P-MAN1", language="nb", status="invited"))
    client = app.test_client()
    login(client, "assistant")
    page = client.get("/staff/intake/manual")
    chosen = client.post(
        "/staff/intake/manual",
        data={
            "csrf_token": csrf(page.text),
            "participant": "p-man1",
            "serial": "",
            "form": "families",
        },
    )
    assert chosen.status_code == 303
    form_page = client.get(chosen.headers["Location"])
    assert form_page.status_code == 200 and "<legend>" in form_page.text
    import re

    data = {
        "csrf_token": csrf(form_page.text),
        "entry_id": re.search(r'name="entry_id" value="([^"]+)"', form_page.text).group(1),
    }
    for name, value in re.findall(
        r'name="(q_[a-z0-9_]+)" type="radio" value="([^"]+)"', form_page.text
    ):
        data.setdefault(name, value)
    stored = client.post(chosen.headers["Location"], data=data)
    assert stored.status_code == 303
    again = client.post(chosen.headers["Location"], data=data)  # the same entry twice
    assert again.status_code == 303
    with app.app_context(), reading() as db:
        responses = list(db.scalars(select(Response)))
    assert len(responses) == 1 and responses[0].channel == "manual"
    assert responses[0].entered_by == "assistant"


def test_manual_entry_for_an_unknown_person_says_so(app) -> None:
    client = app.test_client()
    login(client, "assistant")
    page = client.get("/staff/intake/manual/families?participant=P-NOPE")
    response = client.post(
        "/staff/intake/manual/families?participant=P-NOPE", data={"csrf_token": csrf(page.text)}
    )
    assert response.status_code == 200
    assert "no participant with code P-NOPE" in response.text


def test_results_export_is_logged(app) -> None:
    from openpyxl import load_workbook

    from intake.models import ExportLog

    client = app.test_client()
    login(client, "assistant")
    page = client.get("/staff/intake/exports")
    assert client.get("/staff/intake/exports/results.xlsx").status_code == 405  # no export by GET
    response = client.post(
        "/staff/intake/exports/results.xlsx", data={"csrf_token": csrf(page.text)}
    )
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.data), read_only=True)
    assert {"families", "codebook", "consent status"} <= set(book.sheetnames)
    book.close()
    with app.app_context(), reading() as db:
        [entry] = list(db.scalars(select(ExportLog)))
    assert entry.actor == "assistant"


@pytest.mark.parametrize(
    "url",
    [
        "/staff/intake/evidence/" + "0" * 64,
        "/staff/intake/evidence/../../secret.key",
        "/staff/intake/overlay/..%2Fsecret.key",
        "/staff/intake/overlay/secret.key",
    ],
)
def test_file_routes_serve_nothing_outside_their_folders(app, url) -> None:
    client = app.test_client()
    login(client, "assistant")
    assert client.get(url).status_code in (403, 404)


def test_dpo_pages_show_verify_checkpoint_and_retention(app) -> None:
    client = app.test_client()
    login(client, "dpo")
    page = client.get("/staff/audit/verify?run=1")
    assert 'id="verify-result" class="good">ok: 0 events' in page.text
    assert "Current checkpoint" in page.text
    bad = client.get("/staff/audit/verify?run=1&checkpoint=nonsense")
    assert "Could not verify" in bad.text
    retention = client.get("/staff/audit/retention")
    assert retention.status_code == 200 and "ends on 2027" in retention.text
    access = client.get("/staff/audit/access?code=P-NOPE")
    assert access.status_code == 404 and "No letter made" in access.text


def test_letter_run_errors_show_on_the_job_page(app) -> None:
    import time

    client = app.test_client()
    login(client, "recruiter")
    page = client.get("/staff/recruit/letters")
    started = client.post(
        "/staff/recruit/letters", data={"csrf_token": csrf(page.text), "only_new": "y"}
    )
    for _ in range(100):
        job = client.get(started.headers["Location"])
        if 'http-equiv="refresh"' not in job.text:
            break
        time.sleep(0.1)
    assert "No packs were made" in job.text and "nobody to print for" in job.text
    other = app.test_client()
    add_staff(app, "recruiter2", "recruiter")
    login(other, "recruiter2")
    assert other.get(started.headers["Location"]).status_code == 404  # not their job


def test_an_unidentified_page_is_assigned_from_the_review_queue(app) -> None:
    import re

    from PIL import Image, ImageDraw

    from intake.models import Participant, Response, ReviewTask
    from webapp.database import writing

    with app.app_context(), writing() as db:
        db.add(Participant(code="P-ASG1", language="nb", status="invited"))
    image = Image.new("L", (1240, 1754), 255)  # an A4 page at 150 dpi with no QR code
    ImageDraw.Draw(image).text((100, 100), "a page with no code", fill=0)
    pdf = io.BytesIO()
    image.save(pdf, format="PDF", resolution=150.0)
    client = app.test_client()
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"  # the words asserted below
    login(client, "assistant")
    started = _upload(
        client, "/staff/intake/scan", "/staff/intake/", "files", "odd.pdf", pdf.getvalue()
    )
    done = wait_for_job(client, started.headers["Location"], tries=600)
    assert '<td class="bad">not recognised: no readable QR code' in done
    queue = client.get("/staff/intake/review")
    task_id = int(re.search(r'id="task-(\d+)"', queue.text).group(1))
    assert "Assign" in queue.text
    wrong = client.post(
        f"/staff/intake/review/{task_id}",
        data={"csrf_token": csrf(queue.text), "participant": "P-NOPE", "form": "consent"},
        follow_redirects=True,
    )
    assert "was not changed" in wrong.text and "P-NOPE" in wrong.text
    client.post(
        f"/staff/intake/review/{task_id}",
        data={"csrf_token": csrf(queue.text), "participant": "p-asg1", "form": "families"},
    )
    assert "Nothing to review." in client.get("/staff/intake/review").text
    with app.app_context(), reading() as db:
        task = db.get(ReviewTask, task_id)
        [response] = list(db.scalars(select(Response)))
        form_key = response.form_version.form_key
    assert task.status == "done" and task.resolved_by == "assistant"
    assert form_key == "families" and response.channel == "manual"

"""`deltaker ... --background` and `deltaker jobs`: ids, wait's exit codes, show, list, cancel.

The jobs are run by the real runner in this process (what a worker does with a
queue message), so the commands see real rows.
"""

from __future__ import annotations

import io

from jobs.runner import run_job


def test_a_background_letter_run_is_queued_run_and_waited_for(
    engine, data_dir, study_with, deltaker, tmp_path
):
    study_with(2)
    out = tmp_path / "letters.pdf"
    queued = deltaker("letters", "--out", str(out), "--background")
    assert queued.returncode == 0, queued.stderr
    job_id = int(queued.stdout.strip())
    assert f"deltaker jobs wait {job_id}" in queued.stderr
    assert not out.exists(), "queued, not printed"
    assert "queued" in deltaker("jobs", "show", str(job_id)).stdout
    assert run_job(engine, data_dir, job_id)
    assert not run_job(engine, data_dir, job_id), "a message delivered twice runs once"
    waited = deltaker("jobs", "wait", str(job_id), "--timeout", "5")
    assert waited.returncode == 0 and f"job {job_id} succeeded" in waited.stdout
    assert out.is_file()
    shown = deltaker("jobs", "show", str(job_id)).stdout
    assert "succeeded" in shown and str(out) in shown and "2/2" in shown
    listed = deltaker("jobs", "list").stdout
    assert [line.split()[:4] for line in listed.splitlines()[1:]] == [
        [str(job_id), "letters", "succeeded", "2/2"]
    ]
    again = deltaker("letters", "--out", str(out), "--background")
    assert again.returncode == 1 and "exists; use --force" in again.stderr


def test_wait_exits_non_zero_with_the_job_error(engine, data_dir, study_with, deltaker, tmp_path):
    study_with(1)
    queued = deltaker(
        "letters", "--out", str(tmp_path / "x.pdf"), "--group", "nobody", "--background"
    )
    job_id = int(queued.stdout.strip())
    run_job(engine, data_dir, job_id)
    waited = deltaker("jobs", "wait", str(job_id))
    assert waited.returncode == 1
    assert f"job {job_id} failed" in waited.stderr and "nobody to print for" in waited.stderr
    assert "Traceback" not in waited.stderr


def test_wait_times_out_on_a_queued_job_and_a_cancelled_job_is_not_run(
    engine, data_dir, study_with, deltaker, tmp_path
):
    study_with(1)
    out = tmp_path / "x.pdf"
    job_id = int(deltaker("letters", "--out", str(out), "--background").stdout.strip())
    timed = deltaker("jobs", "wait", str(job_id), "--timeout", "0.3")
    assert timed.returncode == 4 and "still queued" in timed.stderr
    assert "cancelled" in deltaker("jobs", "cancel", str(job_id)).stdout
    assert not run_job(engine, data_dir, job_id)
    waited = deltaker("jobs", "wait", str(job_id))
    assert waited.returncode == 1 and "cancelled" in waited.stderr
    assert not out.exists()
    missing = deltaker("jobs", "wait", "999")
    assert missing.returncode == 3 and "no job 999" in missing.stderr


def test_a_background_scan_records_every_page_once(engine, data_dir, deltaker, tmp_path):
    from PIL import Image, ImageDraw

    pages = []
    for n in range(2):
        image = Image.new("L", (1240, 1754), 255)  # A4 at 150 dpi, no code on it
        ImageDraw.Draw(image).text((100, 100), f"page {n}", fill=0)
        pages.append(image)
    scan = tmp_path / "scan.pdf"
    buffer = io.BytesIO()
    pages[0].save(buffer, format="PDF", resolution=150.0, save_all=True, append_images=pages[1:])
    scan.write_bytes(buffer.getvalue())
    assert deltaker("db", "upgrade").returncode == 0
    queued = deltaker("scan", str(scan), "--background")
    assert queued.returncode == 0, queued.stderr
    job_id = int(queued.stdout.strip())
    assert run_job(engine, data_dir, job_id)
    assert deltaker("jobs", "wait", str(job_id)).returncode == 0
    from jobs.records import get_job

    result = get_job(engine, job_id).result
    assert [(p["page_index"], p["status"]) for p in result["pages"]] == [
        (0, "unidentified"),
        (1, "unidentified"),
    ]
    assert "pages" in deltaker("jobs", "show", str(job_id)).stdout
    bad = deltaker("scan", str(scan), "--background", "--json")
    assert bad.returncode == 2 and "--json" in bad.stderr

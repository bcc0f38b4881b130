"""`export`, `consent records` and `retention run --apply` with `--background`.

Each queues a job of its kind (jobs/exports.py), the real runner runs it (what a
worker does with the queue message), and `deltaker jobs wait` exits 0 and
prints what the job gave.
"""

from __future__ import annotations

import datetime as dt
import json

import openpyxl
from sqlalchemy import func, select

from forms.model import DataAtEnd
from intake.db import read_scope
from intake.models import ContactDetails, ExportLog
from jobs.records import get_job
from jobs.runner import run_job
from tests.consent.test_commands import fill, make


def _queued(run) -> int:
    assert run.returncode == 0, run.stderr
    job_id = int(run.stdout.strip())
    assert f"deltaker jobs wait {job_id}" in run.stderr
    return job_id


def test_a_background_export_of_all_responses(engine, data_dir, study_with, deltaker, tmp_path):
    study_with(2)
    out = tmp_path / "results.xlsx"
    job_id = _queued(deltaker("export", "--out", str(out), "--background", "--by", "kari"))
    assert not out.exists(), "queued, not written"
    assert get_job(engine, job_id).kind == "export"
    assert run_job(engine, data_dir, job_id)
    waited = deltaker("jobs", "wait", str(job_id), "--timeout", "5")
    assert waited.returncode == 0, waited.stderr
    assert f"job {job_id} succeeded" in waited.stdout and f"Wrote {out}" in waited.stdout
    assert "participants: 2 rows" in waited.stdout
    assert "participants" in openpyxl.load_workbook(out).sheetnames
    with read_scope(engine) as session:
        logged = session.execute(select(ExportLog.actor, ExportLog.kind)).all()
    assert [tuple(row) for row in logged] == [("kari", "results")], "logged as who asked"
    again = deltaker("export", "--out", str(out), "--background")
    assert again.returncode == 1 and "exists; use --force" in again.stderr, "refused at once"


def test_a_background_csv_export_keeps_its_separator(
    engine, data_dir, study_with, deltaker, tmp_path
):
    study_with(1)
    out = tmp_path / "results.csv"
    job_id = _queued(deltaker("export", "--out", str(out), "--sep", ";", "--background"))
    assert run_job(engine, data_dir, job_id)
    assert deltaker("jobs", "wait", str(job_id)).returncode == 0
    written = [f for f in get_job(engine, job_id).result["files"] if "participants" in f]
    assert written and ";" in open(written[0], encoding="utf-8-sig").readline()


def test_background_consent_records(engine, data_dir, deltaker, tmp_path):
    fill(engine, data_dir)
    out = tmp_path / "records.jsonld"
    job_id = _queued(deltaker("consent", "records", "--out", str(out), "--background"))
    assert run_job(engine, data_dir, job_id)
    waited = deltaker("jobs", "wait", str(job_id))
    assert waited.returncode == 0, waited.stderr
    assert f"Wrote {out}" in waited.stdout and "for 2 participant(s)" in waited.stdout
    assert json.loads(out.read_text())["@graph"]
    assert deltaker("consent", "records", "--out", str(out), "--check", str(out)).returncode == 0
    wrong = deltaker("consent", "records", "--out", str(tmp_path / "r.json"), "--background")
    assert wrong.returncode != 0 and ".jsonld" in wrong.stderr
    both = deltaker("consent", "records", "--check", str(out), "--background")
    assert both.returncode == 2 and "--check answers at once" in both.stderr


def test_a_background_retention_run(engine, data_dir, deltaker):
    fill(
        engine,
        data_dir,
        make({"data_at_end": DataAtEnd.ANONYMISE, "end_date": dt.date(2026, 1, 1)}),
    )
    dry = deltaker("retention", "run", "--today", "2027-01-01", "--background")
    assert dry.returncode == 2 and "add --apply" in dry.stderr
    job_id = _queued(
        deltaker("retention", "run", "--today", "2027-01-01", "--apply", "--background")
    )
    with read_scope(engine) as session:
        assert session.scalar(select(func.count()).select_from(ContactDetails)) == 2, "queued"
    assert run_job(engine, data_dir, job_id)
    waited = deltaker("jobs", "wait", str(job_id))
    assert waited.returncode == 0, waited.stderr
    assert "anonymise" in waited.stdout and "evidence file(s) removed" in waited.stdout
    with read_scope(engine) as session:
        assert session.scalar(select(func.count()).select_from(ContactDetails)) == 0
    steps = get_job(engine, job_id).result["steps"]
    assert sorted(s["participant"] for s in steps) == ["P-AAAA", "P-BBBB"]

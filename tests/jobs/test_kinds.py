"""The thin job kinds over exports and retention run through the real runner."""

from __future__ import annotations

import json

import openpyxl
import pytest

from jobs import records
from jobs.kinds import UnknownJobKind
from jobs.runner import run_job


def _run(engine, data_dir, kind: str, arguments: dict) -> records.JobView:
    job = records.create_job(engine, kind, arguments)
    assert run_job(engine, data_dir, job.id)
    return records.get_job(engine, job.id)


def test_an_export_of_all_responses_as_a_job(engine, data_dir, study_with, tmp_path):
    study_with(2)
    out = tmp_path / "results.xlsx"
    done = _run(engine, data_dir, "export", {"out": str(out), "actor": "kari"})
    assert done.state == "succeeded", done.error
    assert done.result["files"] == [str(out)]
    assert "participants" in openpyxl.load_workbook(out).sheetnames
    again = _run(engine, data_dir, "export", {"out": str(out)})
    assert again.state == "failed" and "exists" in again.error, "a new job does not overwrite"


def test_consent_records_and_a_retention_run_as_jobs(engine, data_dir, study_with, tmp_path):
    study_with(1)
    out = tmp_path / "records.jsonld"
    done = _run(engine, data_dir, "consent_records", {"out": str(out), "actor": "kari"})
    assert done.state == "succeeded", done.error
    assert done.result["files"] == [str(out)] and json.loads(out.read_text())
    kept = _run(engine, data_dir, "retention", {"today": "2026-01-01"})
    assert kept.state == "succeeded" and kept.result["steps"] == [], "nothing is due yet"
    assert kept.total == 0


def test_an_unknown_kind_is_refused_when_the_job_is_made(engine):
    with pytest.raises(UnknownJobKind, match="no job kind 'nope'"):
        records.create_job(engine, "nope", {})

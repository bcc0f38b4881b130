"""Job kinds that write exports and run retention (thin layers over intake and privacy).

Each writes its file under a temporary name and renames it when complete
(intake.tables.atomic_path), so a killed attempt leaves no half file; a later
attempt writes the job's own file again (``force``). The export log gets one
entry per completed attempt: an attempt killed after logging and before the
job was marked done logs the export twice (the file is the same).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from intake.db import session_scope

from .kinds import JobContext, job_kind


@job_kind("export")
def export_job(context: JobContext) -> dict[str, Any]:
    """Every response as a workbook (or csv, sav, dta): `deltaker export` as a job."""
    from privacy.exports import results

    args = context.arguments
    out = Path(args["out"])
    result = results(
        context.engine,
        out,
        actor=args.get("actor") or "job",
        study_key=args.get("study"),
        file_format=args.get("file_format"),
        labels=bool(args.get("labels")),
        with_contacts=bool(args.get("with_contacts")),
        sep=args.get("sep") or ",",
        force=bool(args.get("force")) or context.attempt > 1,
    )
    return {"files": [str(f) for f in result.files], "rows": dict(result.rows)}


@job_kind("consent_records")
def consent_records_job(context: JobContext) -> dict[str, Any]:
    """The ISO/IEC TS 27560 consent records as JSON-LD: `deltaker consent records` as a job."""
    from privacy.dpo_files import write_consent_records

    args = context.arguments
    with session_scope(context.engine) as session:
        written = write_consent_records(
            session,
            Path(args["out"]),
            actor=args.get("actor") or "job",
            study=args.get("study"),
            participant=args.get("participant"),
            force=bool(args.get("force")) or context.attempt > 1,
        )
    return {
        "files": [str(written.path)],
        "records": written.records,
        "participants": written.participants,
    }


@job_kind("retention")
def retention_job(context: JobContext) -> dict[str, Any]:
    """Erase or anonymise what the policy says must go: `deltaker retention run --apply`.

    A rerun plans again: people handled by an earlier attempt are not in the
    plan any more. (Files an attempt killed between its commit and their removal
    meant to remove stay; the erasure itself is in the ledger and the database.)
    """
    from intake.studies import load_policy
    from privacy.inventory import remove_files, scrub_database
    from privacy.retention import apply_retention, plan_retention

    args = context.arguments
    day = dt.date.fromisoformat(args["today"]) if args.get("today") else dt.date.today()
    with session_scope(context.engine) as session:
        plan = plan_retention(session, load_policy(session, args.get("study")), day)
        result = (
            apply_retention(session, plan, actor=args.get("actor") or "retention")
            if plan.steps
            else None
        )
    # progress after the commit: on SQLite a write inside the transaction would wait for it
    context.selected(len(plan.steps))
    removed = 0
    if result is not None:
        scrub_database(context.engine)
        removed = remove_files(context.data_dir, result.files).evidence_files
    context.step(len(plan.steps))
    return {
        "steps": [
            {"action": s.action, "participant": s.participant, "why": s.why} for s in plan.steps
        ],
        "summary": plan.summary(),
        "evidence_files_removed": removed,
    }

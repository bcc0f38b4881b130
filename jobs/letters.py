"""Job kinds that print: letter runs and reminders (thin layers over intake's functions).

A letter run is made idempotent here, around :func:`intake.mailing.print_letters`:

- the selection is fixed on the first attempt and stored in the job's result,
  so a run resumed after its worker died prints the same people (``--only-new``
  would otherwise leave out those the dead attempt already marked invited);
- the combined PDF is written under a temporary name and renamed only when
  complete (intake.tables.atomic_path), so a killed attempt leaves no half
  file, and a resumed attempt renders every pack again into a new one: each
  pack is in the output exactly once. Invitations are reused on a reprint, so
  the resumed pack carries the same link and answer code;
- a later attempt may overwrite the job's own output (the earlier attempt may
  have renamed it just before it died) and removes the temporary files a
  killed attempt left beside it.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path
from typing import Any

from intake.db import read_scope
from intake.mailing import LetterRun, LetterRunResult, print_letters, select_participants
from intake.studies import get_study

from .kinds import JobContext, job_kind


def letter_run_arguments(run: LetterRun) -> dict[str, Any]:
    """A :class:`LetterRun` as the job's JSON arguments."""
    values = dataclasses.asdict(run)
    values["out"] = str(run.out)
    values["date"] = run.date.isoformat() if run.date else None
    values["codes"] = list(run.codes)
    return values


#: The argument naming who a letter run is logged as an export for (a run queued from
#: the command line writes its PDF outside the data folder: it has left the tool, as
#: `deltaker letters` has). A web run writes into the data folder; its download is logged.
LOG_AS = "log_as"


def letter_run_from(arguments: dict[str, Any]) -> LetterRun:
    values = dict(arguments)
    values.pop(LOG_AS, None)
    values["out"] = Path(values["out"])
    values["date"] = dt.date.fromisoformat(values["date"]) if values.get("date") else None
    values["codes"] = tuple(values.get("codes") or ())
    return LetterRun(**values)


def letter_result(result: LetterRunResult) -> dict[str, Any]:
    return {
        "packs": len(result.packs),
        "pages": result.pages,
        "files": [str(f) for f in result.files],
        "manifest": str(result.manifest),
        "excluded": result.excluded,
        "no_address": list(result.no_address),
        "codes": [p.code for p in result.packs],
    }


def _remove_leftovers(out: Path) -> None:
    """Temporary files a killed attempt left beside ``out`` (atomic_path's naming)."""
    for name in (out.name, out.stem + ".manifest.xlsx"):
        for tmp in out.parent.glob(f".{name}.*.tmp"):
            tmp.unlink(missing_ok=True)


@job_kind("letters")
def letters_job(context: JobContext) -> dict[str, Any]:
    run = letter_run_from(context.arguments)
    selection = context.previous.get("selection")
    if selection is None:
        with read_scope(context.engine) as session:
            people, excluded = select_participants(session, get_study(session, run.study_key), run)
            selection = {"codes": [p.code for p in people], "excluded": excluded}
        if people:  # with nobody, print_letters below says why in its own words
            context.selected(len(people), selection=selection)
    if selection["codes"]:
        run = dataclasses.replace(run, codes=tuple(selection["codes"]), only_new=False)
    if context.attempt > 1:
        run = dataclasses.replace(run, force=True)
        _remove_leftovers(run.out)
    context.done = 0
    options: dict[str, Any] = {
        "progress": lambda count: context.step(count),
        "on_selected": lambda count: context.selected(count),
    }
    log_as = context.arguments.get(LOG_AS)
    if log_as:
        from privacy.exports import letters

        result = letters(context.engine, context.data_dir, run, actor=log_as, **options)
    else:
        result = print_letters(context.engine, context.data_dir, run, **options)
    made = letter_result(result)
    made["excluded"] = selection["excluded"]
    made["selection"] = selection
    return made


def _reminders_done(context: JobContext, out: Path) -> dict[str, Any] | None:
    from intake.reminders import reminders_sent

    if not out.is_file():
        return None
    with read_scope(context.engine) as session:
        sent = [r.code for r in reminders_sent(session) if r.file == out.name]
    if not sent:
        return None
    return {"sent": sent, "pages": None, "out": str(out)}


@job_kind("reminders")
def reminders_job(context: JobContext) -> dict[str, Any]:
    from intake.reminders import ReminderRun, send_reminders

    values = dict(context.arguments)
    values["out"] = Path(values["out"])
    values.pop("now", None)
    run = ReminderRun(**values)
    if context.attempt > 1:
        # intake prints and records reminders in one transaction: when an earlier
        # attempt's file is in place and its reminders are recorded, it committed
        done = _reminders_done(context, run.out)
        if done is not None:
            return done
        run = dataclasses.replace(run, force=True)
        _remove_leftovers(run.out)
    result = send_reminders(context.engine, context.data_dir, run)
    return {
        "sent": list(result.sent),
        "pages": result.pages,
        "out": str(result.out) if result.out else None,
    }

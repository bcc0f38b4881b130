"""Commands of the forms area: `deltaker check`, `deltaker init`, `deltaker redcap`, `quexml`.

Registered in webapp/cli/__init__.py; `xlsform` and `codebook` live in forms_content_cmds.
"""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import click

from forms.errors import ProblemsReported
from forms.model import FormKind
from forms.quexml import form_yaml as quexml_form_yaml
from forms.quexml import import_quexml
from forms.readability import MIN_WORDS_FOR_LIX, NOT_MEASURED, REGISTERS
from forms.redcap import form_yaml as redcap_form_yaml
from forms.redcap import import_redcap
from forms.template import init_study
from forms.validate import CheckReport, check_study
from printing.printable import print_errors

from .common import with_settings
from .forms_content_cmds import FORCE_OPTION, KIND_OPTION, run_import

#: Narrowest "where" column of the readability report (characters); it widens to fit.
WHERE_WIDTH = 40


@click.command("check")
@click.argument("study_dir", type=click.Path(file_okay=False))
@click.option("--json", "as_json", is_flag=True, help="Print one JSON document instead of text.")
@click.option("--strict", is_flag=True, help="Exit 1 on readability warnings too.")
@with_settings
def check_cmd(study_dir: str, as_json: bool, strict: bool, settings) -> None:
    """Validate a study folder and report how readable every text is.

    Every form is laid out in each language and print profile, so a study
    that passes check prints. Prints errors with file and line, then one line
    per citizen-facing text:
    where it is, language, register, LIX, longest sentence, verdict. Exits 1
    when there are errors (with --strict also when a text is over its limits).
    """
    report = check_study(study_dir)
    if report.study is not None and not report.errors:
        # The layout step: what passes check must print (forms cannot import printing).
        report = replace(report, errors=print_errors(report.study))
    unmarked = _unmarked_changes(report.study, settings) if not report.errors else []
    if as_json:
        click.echo(json.dumps(report.to_json(), ensure_ascii=False, indent=2))
    else:
        _print_report(report)
    for warning in unmarked:  # on stderr, so the JSON on stdout keeps its agreed shape
        click.echo(f"warning: {warning}", err=True)
    if report.errors or (strict and (report.warnings or report.notes or unmarked)):
        raise ProblemsReported()


def _unmarked_changes(study, settings) -> list[str]:
    """Consent texts changed since the study was loaded (or between loads) with no mark.

    Only when the data folder already holds a database with this study: check
    never creates one.
    """
    from intake.db import read_scope
    from intake.reconsent import marked_changes, unmarked
    from intake.studies import StudyNotFound, get_study

    if study is None or not _has_database(settings):
        return []
    from intake.db import open_database

    engine = open_database(settings)
    try:
        with read_scope(engine) as session:
            try:
                record = get_study(session, study.id)
            except StudyNotFound:
                return []
            changes = unmarked(marked_changes(session, record, folder=study))
    finally:
        engine.dispose()
    return [
        f"study.yaml consent_changes: the change of '{c.item}' (form {c.form}, "
        f"{c.old_version} -> {c.new_version}) is not marked; it counts as material, so "
        "everyone who agreed to the old text gets a re-consent letter. Mark it "
        f"'kind: material' or 'kind: minor' with 'version: {c.new_version}' and a reason"
        for c in changes
    ]


def _has_database(settings) -> bool:
    url = settings.db_url
    if not url.startswith("sqlite:///"):
        return True  # a server database named on purpose
    return Path(url.removeprefix("sqlite:///")).is_file()


def _print_report(report: CheckReport) -> None:
    for error in report.errors:
        click.echo(f"error: {error.format()}")
    if report.errors:
        count = len(report.errors)
        click.echo(f"{report.path}: {_plural(count, 'error')}; fix them and run check again.")
        return
    study = report.study
    if study is None:  # a report with no errors always holds the study it read
        raise RuntimeError(f"{report.path}: checked without errors, yet no study was read")
    limits = "; ".join(
        f"{r.name}: LIX <= {r.max_lix:.0f}"
        + (f", sentences <= {r.max_sentence_words} words" if r.max_sentence_words else "")
        for r in REGISTERS.values()
    )
    click.echo(
        f"{report.path}: study '{study.id}' is valid: {_plural(len(study.forms), 'form')}, "
        f"{_plural(len(study.letters), 'letter')}, "
        f"{_plural(len(study.consent_items), 'consent item')}, "
        f"languages {', '.join(study.languages)}."
    )
    click.echo(f"\nReadability ({limits}).")
    click.echo(
        f"LIX is held against the limit from {MIN_WORDS_FOR_LIX} words; "
        "shorter texts show it in brackets; a language LIX is not made for says "
        f"'{NOT_MEASURED}'."
    )
    width = max([WHERE_WIDTH, *(len(t.text.where) for t in report.texts)])
    click.echo(f"{'where':<{width}} lang register {'LIX':>12}  longest  verdict")
    for t in report.texts:
        r = t.readability
        click.echo(
            f"{t.text.where:<{width}} {t.text.language:<4} {t.text.register:<8} "
            f"{t.lix_shown:>12}  "
            f"{r.longest_sentence:7d}  {t.verdict}"
        )
    for t in report.warnings:
        for problem in t.problems:
            click.echo(
                f"warning: {t.text.where} ({t.text.language}, {t.text.register}): {problem}",
                err=True,
            )
    for note in report.notes:
        click.echo(f"warning: {note}", err=True)
    warnings = len(report.warnings) + len(report.notes)
    click.echo(f"\n0 errors, {_plural(warnings, 'warning')}, {len(report.texts)} texts checked.")


@click.command("init")
@click.argument("directory", type=click.Path(file_okay=False))
@with_settings
def init_cmd(directory: str, settings) -> None:
    """Write a new study folder from a commented template (never overwrites)."""
    written = init_study(directory)
    click.echo(f"Wrote {_plural(len(written), 'file')} to {directory}.")
    click.echo(f"Edit them, then run: deltaker check {directory}")


@click.command("redcap")
@click.argument("file", type=click.Path(dir_okay=False))
@click.option(
    "--out",
    "out",
    type=click.Path(dir_okay=False),
    default=None,
    help="Write the form as a study form file (e.g. my-study/forms/baseline.yaml).",
)
@click.option(
    "--form",
    "form_name",
    default=None,
    metavar="NAME",
    help="The instrument to import (its Form Name); needed when the dictionary holds several.",
)
@click.option("--id", "form_id", default=None, help="Form id (default: the Form Name).")
@click.option(
    "--lang",
    "language",
    default="en",
    show_default=True,
    help="The language the dictionary's texts are in.",
)
@KIND_OPTION
@FORCE_OPTION
@with_settings
def redcap_cmd(
    file: str,
    out: str | None,
    form_name: str | None,
    form_id: str | None,
    language: str,
    kind: str,
    force: bool,
    settings,
) -> None:
    """Import one instrument of a REDCap data dictionary (.csv, web or API export).

    Prints what was imported and every warning (fields left out, branching
    logic kept for the web only). Every problem is listed with its row and
    column. With --out, writes a form file for a study folder; run
    `deltaker check` on the study afterwards.
    """
    run_import(
        file,
        out,
        force,
        lambda: import_redcap(
            file, form=form_name, form_id=form_id, kind=FormKind(kind), language=language
        ),
        redcap_form_yaml,
    )


@click.command("quexml")
@click.argument("file", type=click.Path(dir_okay=False))
@click.option(
    "--out",
    "out",
    type=click.Path(dir_okay=False),
    default=None,
    help="Write the form as a study form file (e.g. my-study/forms/survey.yaml).",
)
@click.option("--id", "form_id", default=None, help="Form id (default: the file's name).")
@click.option(
    "--lang",
    "language",
    default="en",
    show_default=True,
    help="The language the questionnaire's texts are in.",
)
@KIND_OPTION
@FORCE_OPTION
@with_settings
def quexml_cmd(
    file: str,
    out: str | None,
    form_id: str | None,
    language: str,
    kind: str,
    force: bool,
    settings,
) -> None:
    """Import a queXML questionnaire (.xml, as queXF and LimeSurvey write it).

    Prints what was imported and every warning (matrices printed as separate
    questions, skips kept for the web only, parts left out). Every problem is
    listed with where it is in the file; nothing is written then. With --out,
    writes a form file for a study folder; run `deltaker check` on the study
    afterwards.
    """
    run_import(
        file,
        out,
        force,
        lambda: import_quexml(file, form_id=form_id, kind=FormKind(kind), language=language),
        quexml_form_yaml,
    )


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"


COMMANDS: list[click.Command] = [check_cmd, init_cmd, redcap_cmd, quexml_cmd]

# forms-content's commands (`xlsform`, `codebook`) live in their own module.
from .forms_content_cmds import COMMANDS as _CONTENT_COMMANDS  # noqa: E402 - after COMMANDS

COMMANDS += _CONTENT_COMMANDS

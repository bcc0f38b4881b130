"""Commands of forms-content: `deltaker xlsform` and `deltaker codebook`.

Thin: each parses its arguments, calls one function in ``forms`` and prints the
result. Registered through webapp/cli/forms_cmds.py's COMMANDS.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from forms.codebook import write_codebooks_xlsx
from forms.errors import (
    ConflictError,
    DefinitionErrors,
    NotFoundError,
    ProblemsReported,
    UserError,
)
from forms.model import Form, FormKind
from forms.xlsform import form_yaml, import_xlsform_isolated

from .common import with_settings

XLSFORM_SUFFIXES = (".xlsx", ".xlsm", ".xls")
YAML_SUFFIXES = (".yaml", ".yml")


class OutputExistsError(ConflictError):
    """The output file is there already and --force was not given."""


def _print_all_and_exit(exc: DefinitionErrors) -> None:
    """Every problem on its own line (main() would show only the first), then exit 1 (bad input)."""
    for error in exc.errors:
        click.echo(f"error: {error.format()}", err=True)
    click.echo(
        f"{len(exc.errors)} problem{'s' if len(exc.errors) != 1 else ''}; nothing was written.",
        err=True,
    )
    raise ProblemsReported()


def _check_output(path: Path, force: bool) -> None:
    if path.exists() and not force:
        raise OutputExistsError(f"{path} exists already; give --force to replace it")


def _summary(form: Form) -> str:
    questions = sum(1 for _ in form.answerable())
    return (
        f"form '{form.id}' ({form.kind}): {len(form.sections)} section"
        f"{'s' if len(form.sections) != 1 else ''}, {questions} question"
        f"{'s' if questions != 1 else ''}, languages {', '.join(form.languages)}"
    )


#: ``--kind`` of the form importers (xlsform, redcap, quexml).
KIND_OPTION = click.option(
    "--kind",
    type=click.Choice([k.value for k in FormKind]),
    default=FormKind.QUESTIONNAIRE.value,
    show_default=True,
)
#: ``--force`` of the form importers.
FORCE_OPTION = click.option("--force", is_flag=True, help="Replace the --out file if it exists.")


def run_import(
    file: str,
    out: str | None,
    force: bool,
    do_import: Callable[[], Any],
    to_yaml: Callable[[Any], str],
) -> None:
    """What every form importer does around its own reader: refuse to overwrite ``out``
    before reading, list every problem (nothing written), else say what was imported,
    each warning, and write the form file."""
    if out:
        _check_output(Path(out), force)
    try:
        result = do_import()
    except DefinitionErrors as exc:
        _print_all_and_exit(exc)
        return
    click.echo(f"{file}: {_summary(result.form)}.")
    for warning in result.warnings:
        click.echo(f"warning: {warning}", err=True)
    if out:
        write_form_file(Path(out), to_yaml(result), result.form.languages)


@click.command("xlsform")
@click.argument("file", type=click.Path(dir_okay=False))
@click.option(
    "--out",
    "out",
    type=click.Path(dir_okay=False),
    default=None,
    help="Write the form as a study form file (e.g. my-study/forms/survey.yaml).",
)
@click.option(
    "--id", "form_id", default=None, help="Form id (default: settings form_id or the file name)."
)
@KIND_OPTION
@FORCE_OPTION
@with_settings
def xlsform_cmd(
    file: str, out: str | None, form_id: str | None, kind: str, force: bool, settings
) -> None:
    """Import an XLSForm (.xlsx or .xls from ODK or KoboToolbox).

    Prints what was imported and every warning (rows skipped, conditions kept
    for the web only). Every problem in the file is listed with its sheet and
    row. With --out, writes a form file for a study folder; run
    `deltaker check` on the study afterwards.
    """
    # an XLSForm may come from anywhere: read it in a worker with limits (DESIGN.md)
    run_import(
        file,
        out,
        force,
        lambda: import_xlsform_isolated(file, form_id=form_id, kind=FormKind(kind)),
        form_yaml,
    )


def write_form_file(path: Path, text: str, languages: tuple[str, ...]) -> None:
    """Write an imported form and say what `deltaker check` will still ask to fix."""
    try:
        path.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise UserError(f"cannot write {path}: {exc.strerror or exc}") from None
    click.echo(f"Wrote {path}.")
    from forms.load import load_form

    try:
        load_form(path, languages=languages)
    except DefinitionErrors as exc:
        click.echo(
            f"Before `deltaker check` passes, fix {len(exc.errors)} thing"
            f"{'s' if len(exc.errors) != 1 else ''} in {path}:"
        )
        for error in exc.errors:
            click.echo(f"  {error.format()}")


def _forms_of(source: Path, wanted: tuple[str, ...]) -> list[Form]:
    if source.is_dir():
        from forms.load import load_study

        forms = list(load_study(source).forms)
    elif source.suffix.lower() in YAML_SUFFIXES:
        from forms.load import load_form

        forms = [load_form(source)]
    elif source.suffix.lower() in XLSFORM_SUFFIXES:
        result = import_xlsform_isolated(source)
        for warning in result.warnings:
            click.echo(f"warning: {warning}", err=True)
        forms = [result.form]
    else:
        raise UserError(
            f"{source}: give a study folder, a form .yaml file or an XLSForm (.xlsx or .xls)"
        )
    if wanted:
        known = {f.id for f in forms}
        missing = [w for w in wanted if w not in known]
        if missing:
            raise UserError(
                f"{source}: no form {', '.join(map(repr, missing))}; the forms "
                f"are {', '.join(sorted(known))}"
            )
        forms = [f for f in forms if f.id in wanted]
    return forms


@click.command("codebook")
@click.argument("source", type=click.Path())
@click.option(
    "--out",
    "out",
    type=click.Path(dir_okay=False),
    required=True,
    help="The .xlsx file to write (or .xml with --format ddi).",
)
@click.option(
    "--format",
    "file_format",
    type=click.Choice(["xlsx", "ddi"]),
    default=None,
    help="xlsx (a sheet per form) or ddi (DDI-Codebook 2.5 XML). Default: from --out.",
)
@click.option(
    "--form",
    "wanted",
    multiple=True,
    metavar="ID",
    help="Only this form (repeat for several). Default: every form.",
)
@click.option(
    "--lang",
    "languages",
    multiple=True,
    metavar="CODE",
    help="Label languages (repeat for several). Default: each form's own.",
)
@click.option("--force", is_flag=True, help="Replace the --out file if it exists.")
@with_settings
def codebook_cmd(
    source: str,
    out: str,
    file_format: str | None,
    wanted: tuple[str, ...],
    languages: tuple[str, ...],
    force: bool,
    settings,
) -> None:
    """Write the codebook: every item, its column names, values and labels.

    SOURCE is a study folder (a sheet per form), one form .yaml file, or an
    XLSForm. Column names are those of `deltaker export`.
    """
    out_path = Path(out)
    fmt = file_format or ("ddi" if out_path.suffix.lower() == ".xml" else "xlsx")
    if fmt == "xlsx" and out_path.suffix.lower() != ".xlsx":
        raise UserError(f"{out}: the codebook is written as .xlsx; name the file *.xlsx")
    if fmt == "ddi" and out_path.suffix.lower() != ".xml":
        raise UserError(f"{out}: a DDI codebook is XML; name the file *.xml")
    _check_output(out_path, force)
    path = Path(source)
    if not path.exists():
        raise NotFoundError(f"{source}: no such file or folder")
    try:
        forms = _forms_of(path, wanted)
    except DefinitionErrors as exc:
        _print_all_and_exit(exc)
        return
    if fmt == "ddi":
        _write_ddi(out_path, path, forms, languages)
    else:
        write_codebooks_xlsx(out_path, forms, languages or None)
    click.echo(
        f"Wrote {out_path}: codebook of {len(forms)} form{'s' if len(forms) != 1 else ''}"
        f" ({', '.join(f.id for f in forms)})."
    )


def _write_ddi(out: Path, source: Path, forms: list[Form], languages: tuple[str, ...]) -> None:
    from forms.ddi import ddi_codebook

    if source.is_dir():
        from forms.load import load_study

        study = load_study(source)
        language = languages[0] if languages else study.default_language
        title = study.title.get(language)
    else:
        language = languages[0] if languages else forms[0].languages[0]
        title = forms[0].title.get(language)
    try:
        out.write_bytes(ddi_codebook(forms, title=title, language=language))
    except OSError as exc:
        raise UserError(f"cannot write {out}: {exc.strerror or exc}") from None


COMMANDS: list[click.Command] = [xlsform_cmd, codebook_cmd]

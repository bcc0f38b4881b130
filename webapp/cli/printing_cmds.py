"""Printing commands: letter packs, withdrawal slips, anonymous copies, layout maps.

FORM (for `blank` and `layout`) is either a form id of the study loaded in the
database (`families`), or the path of a form YAML file (`forms/families.yaml`).
A form file inside a study folder is read with its study (base URL, languages,
consent items); a form file on its own prints with the default base URL.
Only forms from the database get their layout map stored and their serials
reserved (so two runs never print the same serial).
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import click

from forms.errors import UserError

from .common import cli_actor, printable, progress, with_settings


class PrintingUsageError(UserError):
    """A printing command was called with options that do not go together."""


def _form_file(form: str) -> Path | None:
    path = Path(form)
    if path.suffix.lower() in (".yaml", ".yml") or path.is_file():
        if not path.is_file():
            raise PrintingUsageError(f"form file {form} does not exist")
        return path
    return None


def _load_form_file(path: Path):
    """(form, study id, base URL) from a form file, with its study when it sits in one."""
    from forms.load import load_form, load_study
    from forms.model import Study

    study_dir = path.resolve().parent.parent
    if path.resolve().parent.name == "forms" and (study_dir / "study.yaml").is_file():
        study = load_study(study_dir)
        for form in study.forms:
            if form.source and Path(form.source).resolve() == path.resolve():
                return form, study.id, study.base_url
        stem = path.stem
        for form in study.forms:
            if form.id == stem:
                return form, study.id, study.base_url
    form = load_form(path)
    return form, "standalone", Study.base_url


def _profile(large_print: bool | None) -> str:
    return "large" if large_print else "standard"


def _override(large_print: bool | None) -> str | None:
    """`--large-print` / `--no-large-print` for people with a format profile: None keeps
    each person's own (printing.format_profile.effective_profile)."""
    if large_print is None:
        return None
    return "large" if large_print else "standard"


@click.command("letters")
@click.option(
    "--out",
    "out",
    type=click.Path(dir_okay=False),
    default=None,
    help="The PDF to write (its manifest goes beside it as NAME.manifest.xlsx).",
)
@click.option("--group", default=None, help="Only participants in this group.")
@click.option(
    "--participant",
    "codes",
    multiple=True,
    metavar="CODE",
    help="Only this participant (repeat for more).",
)
@click.option("--only-new", is_flag=True, help="Only people who have not been sent a letter.")
@click.option("--simplex", is_flag=True, help="One-sided printing (no blank backs).")
@click.option("--split", is_flag=True, help="One PDF per person, in a folder named like --out.")
@click.option(
    "--large-print/--no-large-print",
    "large_print",
    default=None,
    help="Large (18 pt text, bigger boxes) or standard print for everybody in this run "
    "(default: each person's format profile).",
)
@click.option(
    "--renew",
    is_flag=True,
    help="New link and answer code for each person (the old ones stop working).",
)
@click.option(
    "--date",
    "date",
    default=None,
    metavar="YYYY-MM-DD",
    help="Date printed on the letters (default today).",
)
@click.option(
    "--withdrawal-slip",
    "slip",
    default=None,
    metavar="CODE",
    help="Print this participant's personal withdrawal slip instead of packs.",
)
@click.option(
    "--reconsent",
    is_flag=True,
    help="Re-consent packs for people whose grant rests on a materially changed consent text.",
)
@click.option(
    "--dry-run", is_flag=True, help="With --reconsent: only list who would get one, and why."
)
@click.option("--study", "study_key", default=None, help="Study id (if several are loaded).")
@click.option(
    "--study-dir",
    default=None,
    type=click.Path(file_okay=False),
    help="The study folder, if it moved since `deltaker study load`.",
)
@click.option("--force", is_flag=True, help="Overwrite existing output files.")
@click.option(
    "--by",
    "actor",
    default=None,
    help="Who prints (logged, and recorded with each re-consent; default: your user name).",
)
@click.option(
    "--background",
    is_flag=True,
    help="Queue the run as a job and print its id (see `deltaker jobs`).",
)
@with_settings
def letters(
    settings,
    background,
    out,
    group,
    codes,
    only_new,
    simplex,
    split,
    large_print,
    renew,
    date,
    slip,
    reconsent,
    dry_run,
    study_key,
    study_dir,
    force,
    actor,
) -> None:
    """Letter packs for participants in the database, ready to print and post.

    With --reconsent: a short letter saying what changed and the new consent
    form, only for people whose current grant rests on a consent text that a
    material (or unmarked) change replaced; see `deltaker consent changes`.
    """
    from intake.db import open_database
    from intake.mailing import LetterRun
    from privacy.exports import letters as print_letters
    from privacy.exports import withdrawal_slip

    if dry_run and not reconsent:
        raise PrintingUsageError("--dry-run goes with --reconsent")
    if background and (reconsent or slip):
        raise PrintingUsageError(
            "--background queues a letter run; --reconsent and --withdrawal-slip run at once"
        )
    if reconsent:
        if group or codes or only_new or split or renew or slip:
            raise PrintingUsageError(
                "--reconsent chooses the people itself; leave out --group, --participant, "
                "--only-new, --split, --renew and --withdrawal-slip"
            )
        _reconsent(
            settings, out, dry_run, simplex, large_print, date, actor, study_key, study_dir, force
        )
        return
    if not out:
        raise PrintingUsageError("say where to write the PDF with --out FILE.pdf")
    if not out.lower().endswith(".pdf"):
        raise PrintingUsageError(f"--out {out}: the file name must end in .pdf")
    printed_on = None
    if date:
        try:
            printed_on = dt.date.fromisoformat(date)
        except ValueError:
            raise PrintingUsageError(f"--date {date}: write the date as YYYY-MM-DD") from None
    engine = open_database(settings)
    try:
        if slip:
            if group or codes or only_new or split or renew:
                raise PrintingUsageError(
                    "--withdrawal-slip prints one slip; leave out --group, --participant, "
                    "--only-new, --split and --renew"
                )
            result = withdrawal_slip(
                engine,
                settings.data_dir,
                slip,
                Path(out),
                actor=cli_actor(actor),
                study_key=study_key,
                study_dir=study_dir,
                profile=_override(large_print),
                force=force,
            )
            click.echo(
                f"Wrote the withdrawal slip for {result.code} "
                f"({result.pages} page(s)) to {result.out}."
            )
            return
        run = LetterRun(
            out=Path(out).resolve() if background else Path(out),
            group=group,
            only_new=only_new,
            simplex=simplex,
            split=split,
            profile=_override(large_print),
            renew=renew,
            date=printed_on,
            study_key=study_key,
            study_dir=str(Path(study_dir).resolve()) if background and study_dir else study_dir,
            codes=tuple(codes),
            force=force,
        )
        if background:
            _queue_letters(settings, run, cli_actor(actor))
            return
        state: dict = {}

        def selected(count: int) -> None:
            state["bar"] = progress(range(count), length=count, label="Letter packs")
            state["it"] = state["bar"].__enter__()

        def step(count: int) -> None:
            if hasattr(state.get("it"), "update"):
                state["it"].update(count)

        try:
            printed = print_letters(
                engine,
                settings.data_dir,
                run,
                actor=cli_actor(actor),
                progress=step,
                on_selected=selected,
            )
        finally:
            if "bar" in state:
                state["bar"].__exit__(None, None, None)
    finally:
        engine.dispose()
    where = f"{len(printed.files)} files in {Path(out).with_suffix('')}" if split else str(out)
    click.echo(f"Printed {len(printed.packs)} packs, {printed.pages} pages: {where}")
    click.echo(f"Manifest: {printed.manifest}")
    if printed.excluded:
        click.echo(f"Left out {printed.excluded} people who withdrew, declined or were erased.")
    if printed.no_address:
        click.echo(
            f"Left out {len(printed.no_address)} people with no postal address: "
            f"{', '.join(printed.no_address)}"
        )


def _printed_on(date: str | None) -> dt.date | None:
    if not date:
        return None
    try:
        return dt.date.fromisoformat(date)
    except ValueError:
        raise PrintingUsageError(f"--date {date}: write the date as YYYY-MM-DD") from None


def _reconsent(
    settings, out, dry_run, simplex, large_print, date, actor, study_key, study_dir, force
) -> None:
    """`deltaker letters --reconsent`: print (or list) the re-consent packs."""
    from intake.db import open_database
    from intake.reconsent import ReconsentRun
    from privacy.exports import reconsent_letters

    if not dry_run and not out:
        raise PrintingUsageError("say where to write the PDF with --out FILE.pdf (or --dry-run)")
    if out and not out.lower().endswith(".pdf"):
        raise PrintingUsageError(f"--out {out}: the file name must end in .pdf")
    run = ReconsentRun(
        out=Path(out or "reconsent.pdf"),
        dry_run=dry_run,
        profile=_override(large_print),
        simplex=simplex,
        date=_printed_on(date),
        study_key=study_key,
        study_dir=study_dir,
        actor=cli_actor(actor),
        force=force,
    )
    engine = open_database(settings)
    try:
        result = reconsent_letters(engine, settings.data_dir, run)
    finally:
        engine.dispose()
    chosen = [c for c in result.plan if c.selected]
    if dry_run:
        click.echo(f"Would send {len(chosen)} re-consent letters (dry run: nothing printed):")
        for c in chosen:
            click.echo(printable(f"  {c.code}: {', '.join(c.items)} on {', '.join(c.on_versions)}"))
    else:
        click.echo(
            f"Printed {len(result.sent)} re-consent packs, {result.pages} pages: {result.out}"
        )
    if result.left_out:
        click.echo(f"Not written to ({len(result.left_out)}):")
        for c in result.left_out:
            click.echo(printable(f"  {c.code}: {c.reason}"))


def _queue_letters(settings, run, actor: str) -> None:
    """`letters --background`: check what can be checked now, then queue the run."""
    from intake.mailing import MailingError, manifest_path
    from jobs.letters import LOG_AS, letter_run_arguments

    from .jobs_cmds import submit

    if not run.force and not run.split:
        for path in (run.out, manifest_path(run.out)):
            if path.exists():
                raise MailingError(f"{path} exists; use --force to overwrite it")
    run.out.parent.mkdir(parents=True, exist_ok=True)
    submit(settings, "letters", {**letter_run_arguments(run), LOG_AS: actor})


@click.command("blank")
@click.argument("form")
@click.option("--copies", type=int, required=True, help="How many copies.")
@click.option(
    "--out", "out", type=click.Path(dir_okay=False), required=True, help="The PDF to write."
)
@click.option("--lang", "language", default=None, help="Language (default the form's first).")
@click.option("--large-print", is_flag=True, help="Large print.")
@click.option(
    "--first-serial",
    type=int,
    default=None,
    help="First serial (form files only; database forms continue where the last run stopped).",
)
@click.option("--simplex", is_flag=True, help="One-sided printing (no blank backs).")
@click.option("--study", "study_key", default=None, help="Study id (if several are loaded).")
@click.option("--force", is_flag=True, help="Overwrite FILE.pdf if it exists.")
@with_settings
def blank(
    settings, form, copies, out, language, large_print, first_serial, simplex, study_key, force
) -> None:
    """Serial-numbered anonymous copies of FORM (a form id in the database or a YAML file)."""
    from intake.tables import atomic_path
    from printing.blank import render_blank

    path = _form_file(form)
    with progress(range(copies), length=copies, label="Copies") as bar:
        step = bar.update if hasattr(bar, "update") else None
        if path is not None:
            loaded, study_id, base_url = _load_form_file(path)
            with atomic_path(Path(out), force=force) as tmp, open(tmp, "wb") as handle:
                result = render_blank(
                    handle,
                    loaded,
                    study_id=study_id,
                    base_url=base_url,
                    copies=copies,
                    first_serial=first_serial or 1,
                    language=language,
                    profile=_profile(large_print),
                    duplex=not simplex,
                    on_copy=step,
                )
        else:
            if first_serial is not None:
                raise PrintingUsageError(
                    "--first-serial is for form files; database forms number on by themselves"
                )
            from intake.db import open_database
            from intake.mailing import print_blank

            engine = open_database(settings)
            try:
                result = print_blank(
                    engine,
                    settings.data_dir,
                    form,
                    Path(out),
                    copies=copies,
                    language=language,
                    profile=_profile(large_print),
                    study_key=study_key,
                    force=force,
                    duplex=not simplex,
                    progress=step,
                )
            finally:
                engine.dispose()
    click.echo(
        f"Wrote {result.copies} copies of {result.form} (version {result.version}), "
        f"serials {result.first_serial}-{result.last_serial}, {result.pages} pages: {out}"
    )


@click.command("layout")
@click.argument("form")
@click.option("--lang", "language", default=None, help="Language (default the form's first).")
@click.option("--large-print", is_flag=True, help="The large-print layout.")
@click.option(
    "--version",
    "version",
    default=None,
    help="A form version from the database (default the newest).",
)
@click.option("--json", "as_json", is_flag=True, help="Print the layout map as JSON.")
@click.option("--study", "study_key", default=None, help="Study id (if several are loaded).")
@with_settings
def layout(settings, form, language, large_print, version, as_json, study_key) -> None:
    """The layout map of FORM (a form id in the database or a YAML file)."""
    from printing.layout import layout_form

    path = _form_file(form)
    profile = _profile(large_print)
    if path is not None:
        if version:
            raise PrintingUsageError("--version is for forms in the database, not form files")
        loaded, study_id, _ = _load_form_file(path)
        language = language or loaded.languages[0]
        if language not in loaded.languages:
            raise PrintingUsageError(
                f"form '{loaded.id}' has no texts in '{language}' "
                f"(its languages: {', '.join(loaded.languages)})"
            )
        layout_map = layout_form(loaded, language, profile).to_map(study_id)
    else:
        from intake.db import open_database, read_scope
        from intake.mailing import stored_form_for, stored_layout_map

        engine = open_database(settings)
        try:
            with read_scope(engine) as session:
                found = stored_form_for(session, form, study_key=study_key, version=version)
                language = language or found.form.languages[0]
                layout_map = stored_layout_map(
                    session, form, language, profile, study_key=study_key, version=found.version
                )
        finally:
            engine.dispose()
    if as_json:
        click.echo(json.dumps(layout_map, ensure_ascii=False, indent=1))
        return
    click.echo(
        f"{layout_map['study']} / {layout_map['form']} version {layout_map['version']} "
        f"({layout_map['language']}, {layout_map['profile']}), geometry "
        f"{layout_map['geometry']}"
    )
    for page in layout_map["pages"]:
        kinds: dict[str, int] = {}
        for f in page["fields"]:
            kinds[f["kind"]] = kinds.get(f["kind"], 0) + 1
        summary = ", ".join(f"{n} {k}" for k, n in sorted(kinds.items())) or "no fields"
        click.echo(f"  page {page['page']}: {summary}")


COMMANDS: list[click.Command] = [letters, blank, layout]

"""Scan commands: read scanned paper forms and store what they say.

``deltaker scan`` is a thin layer over ``intake.scan_resolver.scan_and_store``
(which reads through ``scan`` in sandboxed workers and stores through
``intake.ingest``).
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import click

from forms.errors import ProblemsReported
from scan.results import PageStatus

from .common import cli_actor, progress, with_settings

#: The summary's order: the page statuses as DESIGN.md lists them.
STATUS_ORDER = tuple(PageStatus)
#: Pages whose reason is printed one by one (they are not in the data).
PROBLEM_STATUSES = frozenset({PageStatus.ERROR, PageStatus.UNIDENTIFIED, PageStatus.UNKNOWN_FORM})
#: What a folder given to ``deltaker scan`` is searched for (a scanner's output folder).
SCAN_SUFFIXES = (".pdf", ".png", ".jpg", ".jpeg", ".tif", ".tiff")


def scan_inputs(paths: tuple[Path, ...]) -> list[Path]:
    """Files as given; a folder stands for its scan files (not its sub-folders), by name."""
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            found = sorted(
                (p for p in path.iterdir() if p.is_file() and p.suffix.lower() in SCAN_SUFFIXES),
                key=lambda p: p.name,
            )
            if not found:
                raise click.UsageError(
                    f"the folder {path} has no scans in it "
                    f"({', '.join(SCAN_SUFFIXES)} files are read)"
                )
            files.extend(found)
        else:
            files.append(path)
    return files


def _queue_scan(
    settings, files: tuple[Path, ...], as_json: bool, debug_dir: Path | None, processes: int
) -> None:
    from .jobs_cmds import submit

    if as_json:
        raise click.UsageError(
            "--json prints pages as they are read; leave it out with --background"
        )
    if debug_dir is not None:
        # overlays in a folder outside the data folder are an export, logged by the
        # command that writes them; a queued run has no one at the terminal to log as
        raise click.UsageError(
            "--debug-dir writes overlays while you wait; leave it out with --background"
        )
    missing = [str(f) for f in files if not f.is_file()]
    if missing:
        raise click.UsageError(f"no such file: {missing[0]}")
    arguments = {
        "files": [str(f.resolve()) for f in files],
        "debug_dir": str(debug_dir.resolve()) if debug_dir else None,
        "processes": processes,
    }
    submit(settings, "scan", arguments)


@click.command("scan")
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "--json", "as_json", is_flag=True, help="One JSON object per page (DESIGN.md format)."
)
@click.option(
    "--debug-dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Write each page with the boxes, marks and states drawn on it.",
)
@click.option(
    "--jobs",
    type=click.IntRange(1, 64),
    default=1,
    show_default=True,
    help="Worker processes (use the number of CPU cores).",
)
@click.option(
    "--background",
    is_flag=True,
    help="Queue the reading as a job and print its id (see `deltaker jobs`).",
)
@with_settings
def scan_command(
    settings,
    files: tuple[Path, ...],
    as_json: bool,
    debug_dir: Path | None,
    jobs: int,
    background: bool,
) -> None:
    """Read scanned PDFs or images (PNG, JPEG, TIFF) and store every page's answers.

    FILES may also be folders: their PDF and image files are read in name order.

    Every page gives one result: ok, needs_review (a person must check a mark or
    type in handwriting), unidentified, unknown_form, duplicate (read before) or
    error (with the reason). The same file read twice is stored once. The exit
    code is 1 when a page could not be read (the others are stored).
    """
    from intake.db import open_database
    from intake.scan_resolver import scan_and_store

    files = tuple(scan_inputs(files))
    if background:
        _queue_scan(settings, files, as_json, debug_dir, jobs)
        return
    engine = open_database(settings)
    from scan.read import BILEVEL_WARNING, SECOND_CODE_FLAG

    counts: Counter[PageStatus] = Counter()
    problems: list[str] = []
    bilevel = 0
    second_code = 0
    try:
        if debug_dir is None:
            pages = scan_and_store(engine, settings.data_dir, list(files), jobs=jobs)
        else:  # the overlays show names and signatures, in a folder outside: logged
            from privacy.exports import scan_with_overlays

            pages = scan_with_overlays(
                engine,
                settings.data_dir,
                list(files),
                jobs=jobs,
                debug_dir=debug_dir,
                actor=cli_actor(None),
            )
        with progress(pages, label="Reading pages") as bar:
            for result in bar:
                counts[result.status] += 1
                bilevel += BILEVEL_WARNING in result.flags
                second_code += SECOND_CODE_FLAG in result.flags
                if as_json:
                    click.echo(json.dumps(result.to_json(), ensure_ascii=False))
                elif result.status in PROBLEM_STATUSES:
                    problems.append(
                        f"{result.file} page {result.page_index + 1}: "
                        f"{result.status}: {result.message}"
                    )
    finally:
        engine.dispose()
    total = sum(counts.values())
    summary = ", ".join(f"{status} {counts[status]}" for status in STATUS_ORDER if counts[status])
    if as_json:
        click.echo(f"Read {total} page(s): {summary}.", err=True)
        if counts[PageStatus.ERROR]:
            raise ProblemsReported()
        return
    for line in problems:
        click.echo(line, err=True)
    if bilevel:
        click.echo(
            f"{bilevel} page(s) were scanned in black and white: light pencil marks can "
            "be lost. Scan in greyscale to be sure."
        )
    if second_code:
        click.echo(
            f"{second_code} page(s) had a damaged first QR code (top right) and were "
            "identified by the second one (bottom left)."
        )
    click.echo(f"Read {total} page(s) from {len(files)} file(s): {summary}.")
    if (
        counts[PageStatus.NEEDS_REVIEW]
        or counts[PageStatus.UNIDENTIFIED]
        or counts[PageStatus.UNKNOWN_FORM]
    ):
        click.echo("Pages to check are waiting in the review queue.")
    if debug_dir is not None:
        click.echo(f"Debug pictures are in {debug_dir}.")
    if counts[PageStatus.ERROR]:
        # The pages that could be read are stored; the exit code tells a script that some were not.
        raise ProblemsReported()


COMMANDS: list[click.Command] = [scan_command]

"""`deltaker demo`: the example study end to end, then the web app (see webapp/demo.py)."""

from __future__ import annotations

import random
import shlex
from pathlib import Path

import click

from ..settings import Settings
from .common import with_settings

DEFAULT_STUDY = "examples/u-sving"


def _run(settings: Settings, *args: str) -> None:
    """Run one real `deltaker` command in this process, showing it as a person would type it."""
    from . import cli

    click.secho(f"\n$ deltaker {shlex.join(args)}", bold=True)
    full = ["--data", str(settings.data_dir), "--db", settings.db_url, *args]
    code = cli.main(args=full, prog_name="deltaker", standalone_mode=False)
    if code not in (None, 0):
        raise click.ClickException(f"`deltaker {shlex.join(args)}` ended with exit code {code}")


@click.command("demo")
@click.argument(
    "study_dir", default=DEFAULT_STUDY, type=click.Path(exists=True, file_okay=False, dir_okay=True)
)
@click.option(
    "--serve/--no-serve",
    default=True,
    show_default=True,
    help="End by serving the web app with demo staff accounts.",
)
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8080, show_default=True, type=click.IntRange(1, 65535))
@click.option("--seed", default=7, show_default=True, help="Seed for the simulated answers.")
@with_settings
def demo(study_dir: str, serve: bool, host: str, port: int, seed: int, settings: Settings) -> None:
    """The example study end to end: check, load, import people, print letters, read
    returned paper forms, take web answers, export, audit; then serve the web app.

    The data folder (--data, `make demo` uses instance/demo) is wiped first, but
    only if the demo made it or it is empty.
    """
    from webapp import demo as run

    data = settings.data_dir
    if settings.db_url != Settings.resolve(str(data), None).db_url:
        raise run.DemoError(
            "the demo runs on the embedded SQLite database in its data "
            "folder; leave out --db and DELTAKER_DATABASE_URL"
        )
    run.prepare_data_dir(data)
    rng = random.Random(seed)
    people = data / "people.csv"
    people.write_text(run.PEOPLE_CSV, encoding="utf-8")
    letters = data / "letters" / "letters.pdf"
    letters.parent.mkdir(exist_ok=True)

    _run(settings, "check", study_dir)
    _run(settings, "study", "load", study_dir)
    _run(settings, "participants", "import", str(people))
    _run(settings, "participants", "list")
    _run(settings, "letters", "--out", str(letters))

    click.secho("\n# Some families post their forms back; the assistant scans them.", fg="cyan")
    scanned = run.simulate_paper_returns(settings, letters, rng)
    _run(settings, "scan", str(scanned), "--debug-dir", str(data / "scans" / "debug"))
    _run(settings, "review", "list")
    click.secho(
        "\n# The assistant types in the handwriting; signed consent forms then reach the ledger.",
        fg="cyan",
    )
    for task, value in run.handwriting_to_type(settings):
        _run(settings, "review", "resolve", str(task), "--value", value, "--by", "demo-assistant")

    click.secho("\n# Some families scan the QR code and answer on their phones.", fg="cyan")
    for code, end in run.simulate_web_answers(settings, rng):
        click.echo(f"  {code} answered on the web and reached {end}")

    withdrawer = run.first_web_participant(settings)
    _run(
        settings,
        "consent",
        "withdraw",
        withdrawer,
        "audio",
        "--channel",
        "phone",
        "--note",
        "Called and asked us not to record the interview.",
        "--by",
        "demo-assistant",
    )
    _run(settings, "consent", "status")
    _run(settings, "export", "--out", str(data / "results.xlsx"), "--force")
    _run(settings, "audit", "verify")
    _run(settings, "audit", "report", "--out", str(data / "audit-report.pdf"))
    _run(settings, "access", withdrawer, "--out", str(data / f"access-{withdrawer}.pdf"))

    accounts = run.create_accounts(settings)
    click.secho("\nWhat the demo made, in " + str(data) + ":", bold=True)
    for path in sorted(Path(data).rglob("*")):
        if path.suffix in (".pdf", ".xlsx") and "debug" not in path.parts:
            click.echo(f"  {path}")
    click.secho("\nDemo staff accounts (log in at /staff/login):", bold=True)
    for account in accounts:
        click.echo(f"  {account.role:<10} {account.name:<16} password: {account.password}")
    if serve:
        _run(settings, "serve", "--host", host, "--port", str(port))


COMMANDS: list[click.Command] = [demo]

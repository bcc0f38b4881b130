"""Every way personal data leaves is logged: every web route and every command, each once.

Every route of the web app and every ``deltaker`` command is in one of the
tables below: either it hands out personal data (then it is called for real,
by a logged-in staff user of its role or on the command line, and exactly one
new export-log row must name the right kind, actor and people), or it says why
it does not. A route or command that is in neither table fails the test:
classify it here.

The world they are called on is real and the example study's: three people
imported and sent letter packs on the web, one answering on the web, the
consent pages filled in on paper, scanned and uploaded (page images, crops,
review tasks, overlays).
"""

from __future__ import annotations

import getpass
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from tests.privacy.test_erase_everywhere import _answer_on_the_web
from tests.webapp.pipeline import example_app, first_answer_path, scanned_consent_pages
from tests.webapp.webhelpers import (
    PACK_NAME,
    csrf,
    import_and_print_on_the_web,
    login,
    upload_scan,
    wait_for_job,
)

PEOPLE = (
    "navn,adresse,postnummer,poststed,språk,gruppe\n"
    "Kari Nordmann,Storgata 1,5003,Bergen,nb,families\n"
    "Per Hansen,Lillegata 2,5004,Bergen,en,families\n"
    "Siri Berg,Fjellveien 3,5005,Bergen,nb,families\n"
)


@dataclass
class World:
    """What the calls need: codes, the stored letter pack, an image, an overlay, a task."""

    everyone: set[str]
    web_code: str
    web_path: str  # the web answerer's personal link
    pack: str  # the letter pack's file name in web-letters/
    pack_people: set[str]  # who is in it
    page_code: str  # whose scanned page ...
    page_image: str  # ... this evidence digest is
    overlay: str  # that page's overlay file name
    task_id: int  # a review task with an image
    task_code: str
    event_seq: int  # a consent event with a scanned page as evidence
    event_code: str
    in_ledger: set[str]  # codes with consent events
    answered: set[str]  # codes with responses
    scan: Path  # the scanned batch (to read again on the command line)
    clients: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Web:
    """A route that hands out personal data: who calls it, how, what the log must say."""

    role: str  # a staff role, or "citizen" (in their own session)
    kind: str
    request: Callable[[World], tuple[str, str]]  # (method, url)
    codes: Callable[[World], set[str]]


@dataclass(frozen=True)
class Cli:
    """A command (with the options that make it hand out personal data)."""

    kind: str
    args: Callable[[World, Path], list[str]]
    codes: Callable[[World], set[str]] | None  # None: a subset of everyone, as many as logged
    actor: str | None = None  # None: cli:<os user>


def _everyone(world: World) -> set[str]:
    return world.everyone  # the report's status table and the participants sheet list everyone


# --------------------------------------------------------------------------- the web

WEB: dict[str, Web | str] = {
    "citizen.consent_record": Web(
        "citizen", "consent_records", lambda w: ("GET", "/consent-record.jsonld"),
        lambda w: {w.web_code},
    ),
    "citizen.receipt_pdf": Web(
        "citizen", "consent_receipt", lambda w: ("GET", "/receipt.pdf"), lambda w: {w.web_code}
    ),
    "audit.report_file": Web(
        "dpo", "consent_audit_report", lambda w: ("GET", "/staff/audit/report.pdf"),
        _everyone,
    ),
    "audit.access": Web(
        "dpo", "access_request", lambda w: ("GET", f"/staff/audit/access?code={w.page_code}"),
        lambda w: {w.page_code},
    ),
    "audit.access_records": Web(
        "dpo", "consent_records",
        lambda w: ("GET", f"/staff/audit/access/records.jsonld?code={w.web_code}"),
        lambda w: {w.web_code},
    ),
    "intake.evidence": Web(
        "assistant", "evidence_image",
        lambda w: ("GET", f"/staff/intake/evidence/{w.page_image}"), lambda w: {w.page_code},
    ),
    "intake.overlay": Web(
        "assistant", "scan_overlay", lambda w: ("GET", f"/staff/intake/overlay/{w.overlay}"),
        lambda w: {w.page_code},
    ),
    "intake.export_results": Web(
        "assistant", "results", lambda w: ("POST", "/staff/intake/exports/results.xlsx"),
        lambda w: w.everyone,
    ),
    "recruit.download_pack": Web(
        "recruiter", "letter_pack", lambda w: ("POST", f"/staff/recruit/letters/{w.pack}"),
        lambda w: w.pack_people,
    ),
    # --- pages and actions that hand out no personal data (pages on screen show codes only)
    "static": "style sheets, scripts, images of the app itself",
    "citizen.home": "the start page",
    "citizen.start": "the start page",
    "citizen.code": "typing the answer code",
    "citizen.open_link": "opens the person's own session (a redirect)",
    "citizen.anonymous_copy": "an anonymous copy's empty form",
    "citizen.information": "the study's information letter (the same for everyone)",
    "citizen.consent": "the consent form the person fills in (their own session)",
    "citizen.consents": "the person's own consents on screen, in their own session",
    "citizen.receipt": "the person's own receipt on screen to print, in their own session",
    "citizen.questions": "the person's own questionnaire, in their own session",
    "citizen.switch_language": "a language choice",
    "citizen.thanks": "a thank-you page",
    "citizen.withdraw": "asks to confirm a withdrawal",
    "citizen.withdraw_confirm": "records a withdrawal",
    "auth.home": "the staff start page",
    "auth.login": "logging in",
    "auth.logout": "logging out",
    "auth.users": "staff accounts, not participants",
    "auth.disable": "staff accounts, not participants",
    "auth.unlock": "staff accounts, not participants",
    "auth.switch_study": "which study the staff pages show, nothing downloaded",
    "auth.language": "a staff user's own language choice",
    "audit.home": "a page on screen: codes and consent states, no file",
    "audit.participant": "a page on screen: one code's events (images go through intake.evidence)",
    "audit.report": "the page with the report's download links",
    "audit.retention": "a page on screen: the retention plan by code",
    "audit.verify": "the ledger's hash check",
    "intake.home": "the upload page (codes and statuses of recent pages)",
    "intake.scan": "an upload: data comes in",
    "intake.scan_job": "a page on screen: page results by code (overlays: intake.overlay)",
    "intake.exports": "the page with the export button",
    "intake.manual": "choosing a form to type in",
    "intake.manual_form": "typing in a paper form: data comes in",
    "intake.review": "a page on screen: the review queue (images go through intake.evidence)",
    "intake.review_question": "a page on screen: one question's open tasks (images: evidence)",
    "intake.resolve": "a correction: data comes in",
    "recruit.home": "a page on screen: codes, groups, statuses",
    "recruit.import_list": "an upload: data comes in",
    "recruit.participant": "a page on screen: one code and its format profile",
    "recruit.letters": "prints packs into the data folder (downloads go through download_pack)",
    "recruit.letter_job": "the letter job's progress page",
    "recruit.reminders": "prints reminders into the data folder (downloads: download_pack)",
    "recruit.reminder_job": "the reminder job's progress page",
    "recruit.overview": "counts per group and week",
    "recruit.overview_chart": "the counts as a chart, small counts hidden",
}  # fmt: skip

# --------------------------------------------------------------------------- the command line


COMMANDS: dict[str, list[Cli] | str] = {
    "export": [
        Cli("results", lambda w, t: ["--out", str(t / "r.xlsx")], _everyone),
        Cli("results_with_contacts", lambda w, t: ["--out", str(t / "c.csv"), "--with-contacts"],
            _everyone),
        Cli("results", lambda w, t: ["--out", str(t / "r.sav")], lambda w: w.answered),
    ],
    # without --with-contacts: codes, groups and statuses only
    "participants list": [
        Cli("participants_list_with_contacts", lambda w, t: ["--with-contacts", "--by", "ola"],
            _everyone, actor="ola"),
    ],
    "review image": [
        Cli("evidence_image", lambda w, t: [str(w.task_id), "--out", str(t / "task.png")],
            lambda w: {w.task_code}),
    ],
    "letters": [
        Cli("letters", lambda w, t: ["--participant", w.web_code, "--out", str(t / "l.pdf")],
            lambda w: {w.web_code}),
        Cli("withdrawal_slip",
            lambda w, t: ["--withdrawal-slip", w.page_code, "--out", str(t / "slip.pdf")],
            lambda w: {w.page_code}),
    ],
    "reminders": [
        Cli("reminders", lambda w, t: ["--after", "0", "--out", str(t / "rem.pdf")], None),
    ],
    "scan": [
        Cli("scan_overlays", lambda w, t: [str(w.scan), "--debug-dir", str(t / "debug")], None),
    ],
    "consent records": [
        Cli("consent_records", lambda w, t: ["--out", str(t / "records.jsonld")],
            lambda w: w.in_ledger),
    ],
    "audit evidence": [
        Cli("consent_evidence", lambda w, t: [str(w.event_seq), "--out", str(t / "ev")],
            lambda w: {w.event_code}),
    ],
    "audit report": [
        Cli("consent_audit_report", lambda w, t: ["--out", str(t / "audit.pdf")], _everyone),
        Cli("consent_audit_report", lambda w, t: ["--out", str(t / "audit.xlsx")], _everyone),
    ],
    "access": [
        Cli("access_request", lambda w, t: [w.page_code, "--out", str(t / "access.pdf")],
            lambda w: {w.page_code}),
    ],
    # last: it erases the person
    "erase": [
        Cli("erasure_receipt",
            lambda w, t: [w.web_code, "--by", "dpo-kari", "--reason", "asked to be deleted",
                          "--receipt", str(t / "receipt.pdf")],
            lambda w: {w.web_code}, actor="dpo-kari"),
    ],
    # --- commands that hand out no personal data
    "check": "checks a study folder",
    "init": "writes an example study folder",
    "quexml": "imports a questionnaire",
    "jobs list": "queued work: kinds, states, counts",
    "jobs show": "one job's state and result: codes, file names, counts, never a name",
    "jobs wait": "waits for a job and says how it ended",
    "jobs cancel": "cancels a job",
    "worker": "runs queued jobs (each job's own function logs what it hands out)",
    "redcap": "imports a data dictionary",
    "xlsform": "imports a form",
    "codebook": "the forms' codebook, no answers",
    "db upgrade": "the schema",
    "study load": "loads a study folder",
    "participants import": "data comes in (rejected rows go back to the file's own owner)",
    "participants profile": "shows or sets one code's format profile; no name, no file",
    "review list": "the review queue by code, on the terminal",
    "review resolve": "a correction: data comes in",
    "blank": "anonymous copies with serial numbers",
    "layout": "a form's geometry",
    "consent withdraw": "records a withdrawal",
    "consent status": "codes and consent states, on the terminal",
    "consent history": "one code's events, on the terminal",
    "consent changes": "who must be asked again, by code",
    "audit verify": "the ledger's hash check",
    "audit checkpoint": "the ledger's head hash",
    "audit processing": "the record of processing names no participant",
    "retention run": "erases or anonymises (its erasures write no file)",
    "serve": "starts the web app",
    "users add": "staff accounts",
    "users list": "staff accounts",
    "users grant": "staff accounts",
    "users revoke": "staff accounts",
    "report recruitment": "counts per group and week, small counts hidden",
    "demo": "runs the other commands in a demo folder (each of them logs itself)",
}  # fmt: skip


def _routes(app) -> set[str]:
    return {rule.endpoint for rule in app.url_map.iter_rules()}


def _commands() -> set[str]:
    import click

    from webapp.cli import cli

    def walk(command: click.Command, path: list[str]) -> set[str]:
        if isinstance(command, click.Group):
            found: set[str] = set()
            for name, sub in command.commands.items():
                found |= walk(sub, [*path, name])
            return found
        return {" ".join(path)}

    return walk(cli, [])


def test_every_route_and_command_is_classified(tmp_path) -> None:
    from webapp import create_app

    data = tmp_path / "data"
    app = create_app({"DATA_DIR": str(data), "DATABASE_URL": f"sqlite:///{data}/x.sqlite"})
    routes = _routes(app)
    new = sorted(routes - set(WEB))
    assert not new, (
        f"routes {new} are not classified: add each to WEB in {__file__}, as handing out "
        "personal data (then it must log through privacy.exports) or with the reason it does not"
    )
    assert not sorted(set(WEB) - routes), "WEB names routes that no longer exist"
    commands = _commands()
    new = sorted(commands - set(COMMANDS))
    assert not new, (
        f"commands {new} are not classified: add each to COMMANDS in {__file__}, as handing out "
        "personal data (then it must log through privacy.exports) or with the reason it does not"
    )
    assert not sorted(set(COMMANDS) - commands), "COMMANDS names commands that no longer exist"


# --------------------------------------------------------------------------- the world


@pytest.fixture
def app(data_dir, db_url):
    with example_app(data_dir, db_url) as app:
        yield app


def _build(app, data_dir: Path, db_url: str, tmp_path: Path, deltaker) -> World:
    from consent.models import ConsentEvent
    from intake.db import make_engine
    from intake.models import Participant, Response, ReviewTask, ScannedPage
    from scan.debug import overlay_name

    recruiter = app.test_client()
    login(recruiter, "recruiter")
    imported, made = import_and_print_on_the_web(recruiter, PEOPLE)
    assert "Imported 3 people" in imported
    pack_name = PACK_NAME.search(made).group(1)
    pack = (data_dir / "web-letters" / pack_name).read_bytes()
    web_path = first_answer_path(pack)
    _answer_on_the_web(app, web_path)

    scan = tmp_path / "returned.pdf"
    assert scanned_consent_pages(pack, data_dir, db_url, scan, unsure=0) >= 2
    assistant = app.test_client()
    login(assistant, "assistant")
    started = upload_scan(assistant, scan)
    assert "overlay" in wait_for_job(assistant, started.headers["Location"])

    _type_in_handwriting(app)
    pack_people = set(_codes(app))
    # one more person, sent a letter on the command line, who never answers (for reminders)
    late = tmp_path / "late.csv"
    late.write_text(PEOPLE.splitlines()[0] + "\nOla Vik,Sjøgata 4,5006,Bergen,nb,families\n")
    assert deltaker("participants", "import", str(late)).returncode == 0
    (newcomer,) = set(_codes(app)) - pack_people
    sent = deltaker("letters", "--participant", newcomer, "--out", str(tmp_path / "late.pdf"))
    assert sent.returncode == 0, sent.stderr
    engine = make_engine(db_url)
    try:
        with engine.connect() as db:
            everyone = set(db.scalars(select(Participant.code)))
            web_code = db.scalars(
                select(Participant.code)
                .join(Response, Response.participant_id == Participant.id)
                .where(Response.channel == "web")
            ).first()
            answered = set(
                db.scalars(
                    select(Participant.code).join(
                        Response, Response.participant_id == Participant.id
                    )
                )
            )
            pages = [
                p
                for p in db.execute(select(ScannedPage)).all()
                if p.image_sha256 and (p.result or {}).get("participant")
            ]
            page = pages[0]
            task = db.execute(
                select(ReviewTask.id, Participant.code)
                .join(Response, ReviewTask.response_id == Response.id)
                .join(Participant, Response.participant_id == Participant.id)
                .where(ReviewTask.thumbnail_sha256.is_not(None))
            ).first()
            event = db.execute(
                select(ConsentEvent.seq, ConsentEvent.participant).where(
                    ConsentEvent.evidence.contains("page_sha256")
                )
            ).first()
            in_ledger = set(db.scalars(select(ConsentEvent.participant)))
    finally:
        engine.dispose()
    assert task is not None and event is not None and web_code
    return World(
        everyone=everyone,
        web_code=web_code,
        web_path=web_path,
        pack=pack_name,
        pack_people=pack_people,
        page_code=page.result["participant"],
        page_image=page.image_sha256,
        overlay=overlay_name(page.file_name, page.page_index),
        task_id=task[0],
        task_code=task[1],
        event_seq=event[0],
        event_code=event[1],
        in_ledger=in_ledger,
        answered=answered,
        scan=scan,
    )


def _codes(app) -> list[str]:
    from intake.models import Participant
    from webapp.database import reading

    with app.app_context(), reading() as db:
        return list(db.scalars(select(Participant.code)))


def _type_in_handwriting(app) -> None:
    """The first paper consent's name and date typed in: its consent goes to the ledger."""
    from intake.models import ReviewTask, TaskKind
    from intake.review import resolve_task
    from webapp.database import writing

    with app.app_context(), writing() as db:
        tasks = list(
            db.scalars(
                select(ReviewTask)
                .where(ReviewTask.kind == TaskKind.HANDWRITING)
                .order_by(ReviewTask.id)
            )
        )
        first = [t for t in tasks if t.response_id == tasks[0].response_id]
        for task in first:
            value = "03.12.2026" if task.item == "signed_on" else "Kari Nordmann"
            resolve_task(db, task.id, value, by="assistant")


def _new_rows(app, after: int) -> list[tuple[Any, list[str]]]:
    from intake.models import ExportLog
    from webapp.database import reading

    with app.app_context(), reading() as db:
        rows = list(db.scalars(select(ExportLog).where(ExportLog.id > after)))
        return [(row, [p.code for p in row.people]) for row in rows]


def _last_id(app) -> int:
    from intake.models import ExportLog
    from webapp.database import reading

    with app.app_context(), reading() as db:
        return db.scalar(select(func.max(ExportLog.id))) or 0


def _client(app, world: World, role: str):
    if role not in world.clients:
        client = app.test_client()
        if role == "citizen":
            assert client.get(world.web_path).status_code == 303
        else:
            login(client, role)
        world.clients[role] = client
    return world.clients[role]


def _call_web(app, world: World, call: Web):
    client = _client(app, world, call.role)
    method, url = call.request(world)
    if method == "GET":
        return client.get(url)
    # a POST carries the CSRF token of a page of the same area
    area = "/staff/intake/exports" if "/intake/" in url else "/staff/recruit/letters"
    return client.post(url, data={"csrf_token": csrf(client.get(area).text)})


def _check(
    problems: list[str], what: str, rows, kind: str, actor: str, codes, everyone: set[str]
) -> None:
    if len(rows) != 1:
        problems.append(f"{what}: {len(rows)} new log rows, not 1")
        return
    (row, logged) = rows[0]
    if row.kind != kind or row.actor != actor:
        problems.append(f"{what}: logged {row.kind!r} by {row.actor!r}, not {kind!r} by {actor!r}")
    if codes is not None and set(logged) != codes:
        problems.append(f"{what}: logged people {sorted(logged)}, not {sorted(codes)}")
    if row.rows < 1:
        problems.append(f"{what}: {row.rows} rows logged")
    if row.participants != len(logged) or not logged:
        problems.append(f"{what}: {row.participants} people counted, {len(logged)} named")
    if codes is None and not set(logged) <= everyone:
        problems.append(f"{what}: logged unknown people {sorted(logged)}")


def test_every_download_writes_one_log_row(app, data_dir, db_url, tmp_path, deltaker) -> None:
    world = _build(app, data_dir, db_url, tmp_path, deltaker)
    problems: list[str] = []
    for endpoint, call in WEB.items():
        if isinstance(call, str):
            continue
        before = _last_id(app)
        response = _call_web(app, world, call)
        if response.status_code != 200:
            problems.append(f"{endpoint}: answered {response.status_code}")
            continue
        actor = "participant" if call.role == "citizen" else call.role
        rows = _new_rows(app, before)
        _check(problems, endpoint, rows, call.kind, actor, call.codes(world), world.everyone)
    me = f"cli:{getpass.getuser()}"
    for command, calls in COMMANDS.items():
        if isinstance(calls, str):
            continue
        for number, cli in enumerate(calls):
            folder = tmp_path / f"out-{command.replace(' ', '-')}-{number}"
            folder.mkdir()
            args = cli.args(world, folder)
            before = _last_id(app)
            run = deltaker(*command.split(), *args)
            what = f"deltaker {command} {' '.join(args)}"
            if run.returncode not in (0, 1) or (run.returncode == 1 and command != "scan"):
                problems.append(f"{what}: exit {run.returncode}: {run.stderr[-300:]}")
                continue
            codes = cli.codes(world) if cli.codes is not None else None
            rows = _new_rows(app, before)
            _check(problems, what, rows, cli.kind, cli.actor or me, codes, world.everyone)
    assert not problems, "\n".join(problems)


def test_the_dpo_report_shows_people_and_rows(app, data_dir, deltaker, tmp_path) -> None:
    """The report's export section: who, what, how many people, how many rows."""
    import openpyxl

    from intake.models import Participant
    from webapp.database import writing

    with app.app_context(), writing() as db:
        for code in ("P-AAAA", "P-BBBB"):
            db.add(Participant(code=code, language="nb", status="invited"))
    run = deltaker("participants", "list", "--with-contacts", "--by", "ola")
    assert run.returncode == 0, run.stderr
    out = tmp_path / "audit.xlsx"
    assert deltaker("audit", "report", "--out", str(out)).returncode == 0
    book = openpyxl.load_workbook(out, read_only=True)
    exports = list(book["Exports"].iter_rows(values_only=True))
    people = list(book["Exported people"].iter_rows(min_row=2, values_only=True))
    book.close()
    assert sorted(row[1:] for row in people) == [
        ("participants_list_with_contacts", "P-AAAA"),
        ("participants_list_with_contacts", "P-BBBB"),
    ]
    assert exports[0][-2:] == ("people", "rows")
    assert exports[1][1:3] == ("ola", "participants_list_with_contacts")
    assert exports[1][-2:] == (2, 2)

"""Issue 16 end to end: 30 people invited, answers on paper and the web, declines, a withdrawal.

Everything is real: the example study loaded into a fresh database, letter
packs rendered, consent pages filled in by pen and scanned (scan.simulate) and
read by `deltaker scan`, web answers through the app's pages, a decline and a
withdrawal by phone recorded as staff would, and `deltaker reminders` with the
clock moved (``--now``).
"""

from __future__ import annotations

import datetime as dt
import random
import shutil
from pathlib import Path

import pypdfium2 as pdfium
import pytest
from click.testing import CliRunner
from PIL import ImageDraw
from sqlalchemy import select

from consent import ledger
from consent.events import Action, Channel
from forms.load import load_study
from intake.db import read_scope, session_scope
from intake.invitations import current_invitation, issue_invitation
from intake.mailing import LetterRun, manifest_path, print_letters
from intake.models import Participant, Reminder
from intake.participants import import_participants
from intake.secrets import load_secret
from intake.studies import form_version, get_layout_map, get_study, load_study_into_db
from scan.simulate import Condition, degrade, draw_mark, draw_writing, to_pdf
from tests.webapp.pipeline import EXAMPLE, qr_links
from webapp.cli import cli
from webapp.demo import answer_on_the_web, web_answers

SCAN_DPI = 150
PAPER, WEB, DECLINE, WITHDRAW = range(0, 10), range(10, 18), range(18, 20), range(20, 21)
OTHERS = range(21, 30)


def _people_csv(count: int) -> str:
    lines = ["navn,adresse,postnummer,poststed,språk,gruppe"]
    for n in range(count):
        language = ("nb", "nn", "en")[n % 3]
        lines.append(f"Person {n + 1},Storgata {n + 1},5003,Bergen,{language},families")
    return "\n".join(lines) + "\n"


def _fill_consent_pages(engine, codes: list[str], letters: Path, out: Path) -> int:
    """Each person crosses every consent box on their consent form, signs, and posts it."""
    import openpyxl

    rng = random.Random(16)
    book = openpyxl.load_workbook(manifest_path(letters), read_only=True)
    rows = list(book.active.iter_rows(values_only=True))
    book.close()
    first = {row[0]: int(row[rows[0].index("first_page")]) for row in rows[1:]}
    scale = SCAN_DPI / 72
    images = []
    document = pdfium.PdfDocument(str(letters))
    try:
        with read_scope(engine) as session:
            record = get_study(session)
            for code in codes:
                person = session.scalars(select(Participant).where(Participant.code == code)).one()
                for entry in current_invitation(session, person).pages:
                    if entry["form"] != "consent":
                        continue
                    version = form_version(session, record, entry["form"], entry["version"])
                    stored = get_layout_map(session, version, entry["language"], entry["profile"])
                    fields = stored.map["pages"][entry["page"] - 1]["fields"]
                    image = document[first[code] + entry["n"] - 2].render(scale=scale).to_pil()
                    image = image.convert("RGB")
                    draw = ImageDraw.Draw(image)
                    for f in fields:
                        x, y, w, h = (v * scale for v in f["box"])
                        rect = (x, y, x + w, y + h)
                        if f["kind"] == "choice" and f.get("value") in (None, "yes"):
                            draw_mark(draw, rect, "cross", SCAN_DPI, rng)
                        elif f["kind"] in ("signature", "text"):
                            draw_writing(
                                draw, rect, SCAN_DPI, rng, signature=f["kind"] == "signature"
                            )
                    condition = Condition("office", dpi=SCAN_DPI, angle=0.4, noise=2)
                    images.append(degrade(image, condition, rng, tuple(stored.map["page_size"])))
    finally:
        document.close()
    to_pdf(images, out, dpi=SCAN_DPI)
    return len(images)


@pytest.fixture
def recruited(tmp_path, data_dir, db_url, engine):
    """30 people invited; 10 answer on paper, 8 on the web, 2 decline and 1 withdraws by phone."""
    folder = tmp_path / "study"
    shutil.copytree(EXAMPLE, folder)
    people = tmp_path / "people.csv"
    people.write_text(_people_csv(30), encoding="utf-8")
    with session_scope(engine) as session:
        load_study_into_db(session, load_study(folder))
        import_participants(session, people, study=get_study(session))
    letters = tmp_path / "letters.pdf"
    print_letters(engine, data_dir, LetterRun(out=letters))
    with read_scope(engine) as session:
        codes = [p.code for p in session.scalars(select(Participant).order_by(Participant.id))]
    runner = CliRunner()
    env = {"DELTAKER_DATA": str(data_dir), "DELTAKER_DATABASE_URL": db_url}

    scans = tmp_path / "returned.pdf"
    assert _fill_consent_pages(engine, [codes[i] for i in PAPER], letters, scans) >= 10
    scanned = runner.invoke(cli, ["scan", str(scans)], env=env)
    assert scanned.exit_code == 0, scanned.output

    from webapp import create_app

    app = create_app({"DATA_DIR": str(data_dir), "DATABASE_URL": db_url})
    secret = load_secret(data_dir)
    study = load_study(folder)
    forms = [f for f in study.forms if f.id in ("consent", "families")]
    rng = random.Random(8)
    with session_scope(engine) as session:
        tokens = {}
        for i in WEB:
            person = session.scalars(select(Participant).where(Participant.code == codes[i])).one()
            tokens[codes[i]] = issue_invitation(session, person, secret).token
    for token in tokens.values():
        answers: dict[str, list[str]] = {}
        for form in forms:
            answers.update(web_answers(form, rng))
        answer_on_the_web(app, token, answers)
    from webapp.database import EXTENSION

    app.extensions[EXTENSION]["engine"].dispose()

    consent_version = next(f for f in study.forms if f.id == "consent")
    from forms.version import text_version

    with session_scope(engine) as session:
        for i in DECLINE:  # "no thanks" on the phone: recorded in the ledger only
            for item in study.consent_items:
                ledger.record(
                    session,
                    study=study.id,
                    participant=codes[i],
                    item=item.id,
                    action=Action.DECLINE,
                    channel=Channel.PHONE,
                    text_version=text_version(consent_version),
                    evidence={"note": "rang and said no thanks"},
                    actor="recruiter",
                    occurred_at=dt.datetime.now(dt.UTC),
                )
    for i in WITHDRAW:
        withdrawn = runner.invoke(
            cli,
            [
                "consent",
                "withdraw",
                codes[i],
                "--channel",
                "phone",
                "--note",
                "does not want letters",
                "--by",
                "recruiter",
            ],
            env=env,
        )
        assert withdrawn.exit_code == 0, withdrawn.output
    return {"codes": codes, "env": env, "runner": runner, "folder": folder}


def _dry_run(recruited, *args: str) -> tuple[list[str], dict[str, str]]:
    result = recruited["runner"].invoke(
        cli, ["reminders", "--dry-run", *args], env=recruited["env"]
    )
    assert result.exit_code == 0, result.output
    selected, reasons, section = [], {}, "in"
    for line in result.output.splitlines():
        if line.startswith("Not reminded"):
            section = "out"
        elif line.startswith("  ") and section == "in":
            selected.append(line.strip())
        elif line.startswith("  "):
            code, why = line.strip().split(": ", 1)
            reasons[code] = why
    return selected, reasons


def test_reminders_select_exactly_the_people_who_have_not_answered(recruited, engine, tmp_path):
    codes, runner, env = recruited["codes"], recruited["runner"], recruited["env"]
    later = (dt.datetime.now(dt.UTC) + dt.timedelta(days=15)).isoformat()

    selected, reasons = _dry_run(recruited, "--after", "14")
    assert selected == [], "the letters went out today: too early to remind anyone"

    selected, reasons = _dry_run(recruited, "--after", "14", "--now", later)
    assert selected == [codes[i] for i in OTHERS]
    for i in PAPER:
        assert reasons[codes[i]].startswith("a paper answer has come in"), codes[i]
    for i in WEB:
        assert reasons[codes[i]] == "has answered"
    for i in DECLINE:
        assert reasons[codes[i]] == "declined to take part"
    for i in WITHDRAW:  # the example study deletes on withdrawal: erased at once
        assert reasons[codes[i]] in ("withdrew from the study", "erased")

    out = tmp_path / "reminders.pdf"
    printed = runner.invoke(
        cli,
        ["reminders", "--after", "14", "--now", later, "--out", str(out), "--by", "recruiter"],
        env=env,
    )
    assert printed.exit_code == 0, printed.output
    assert "Printed 9 reminders, 9 pages" in printed.output, "one page each"

    # The same answer link as the invitation letter's own code, one per reminder.
    links = qr_links(out.read_bytes(), scale=1.5)
    secret = load_secret(Path(env["DELTAKER_DATA"]))
    with read_scope(engine) as session:
        rows = list(session.scalars(select(Reminder).order_by(Reminder.id)))
        assert len(rows) == 9 and {r.letter for r in rows} == {"reminder"}
        expected = []
        for i in OTHERS:
            person = session.scalars(select(Participant).where(Participant.code == codes[i])).one()
            invitation = current_invitation(session, person)
            assert [r.invitation_id for r in rows if r.participant_id == person.id] == [
                invitation.id
            ]
            from intake.invitations import derive_token

            expected.append(derive_token(secret, invitation.id, invitation.generation))
    assert [link.rsplit("/r/", 1)[1] for link in links] == expected

    again_later = (dt.datetime.now(dt.UTC) + dt.timedelta(days=40)).isoformat()
    selected, reasons = _dry_run(recruited, "--after", "14", "--max", "1", "--now", again_later)
    assert selected == []
    for i in OTHERS:
        assert reasons[codes[i]] == "has had the most reminders allowed"
    second = runner.invoke(
        cli,
        [
            "reminders",
            "--after",
            "14",
            "--max",
            "1",
            "--now",
            again_later,
            "--out",
            str(tmp_path / "again.pdf"),
        ],
        env=env,
    )
    assert second.exit_code != 0
    assert "nobody to remind" in second.output + str(second.exception)
    assert not (tmp_path / "again.pdf").exists()
    with read_scope(engine) as session:
        assert len(list(session.scalars(select(Reminder)))) == 9, "nothing recorded"

    # The recruiter's page shows every reminder; the web's dry run asks the same rule.
    from tests.webapp.webhelpers import add_staff, login
    from webapp import create_app
    from webapp.database import EXTENSION

    app = create_app(
        {"DATA_DIR": env["DELTAKER_DATA"], "DATABASE_URL": env["DELTAKER_DATABASE_URL"]}
    )
    try:
        add_staff(app, "recruiter", "recruiter")
        client = app.test_client()
        login(client, "recruiter")
        page = client.get("/staff/recruit/")
        assert page.text.count("1 (last ") == 9
        dry = client.get("/staff/recruit/reminders?after=0&max_reminders=2")
        assert dry.status_code == 200
        # The reminders were recorded at the moved clock's time: today they are "recent".
        assert "Would get a reminder: 0" in dry.text
        assert dry.text.count("the last letter was sent too recently") == 9
        assert "declined to take part" in dry.text
        assert client.get("/staff/recruit/reminders?after=abc").status_code == 400
    finally:
        app.extensions[EXTENSION]["engine"].dispose()


def test_the_recruitment_overview_counts_and_draws_the_same_people(recruited, engine, tmp_path):
    from intake.recruitment import overview_table, recruitment_overview
    from intake.recruitment_report import render_chart
    from tests.webapp.pipeline import ROOT, pdf_text
    from tests.webapp.webhelpers import add_staff, login
    from webapp import create_app
    from webapp.database import EXTENSION

    runner, env = recruited["runner"], recruited["env"]
    with read_scope(engine) as session:
        overview = recruitment_overview(session, get_study(session))
    (families,) = overview.groups
    assert families.invited == 30
    assert (families.paper, families.web, families.both) == (10, 8, 0)
    assert families.withdrawn == 1
    assert overview.total.answered == 18
    assert sum(w.letters for w in overview.weeks) == 30
    headers, rows = overview_table(overview)
    assert rows[0][headers.index("withdrawn")] == "< 5", "small counts never leave the project"
    assert rows[0][headers.index("invited")] == "30"

    artifacts = ROOT / "test-artifacts"
    artifacts.mkdir(exist_ok=True)
    png = render_chart(overview, "png")
    assert png.startswith(b"\x89PNG")
    (artifacts / "recruitment-overview.png").write_bytes(png)

    out = tmp_path / "overview.pdf"
    made = runner.invoke(
        cli,
        ["report", "recruitment", "--out", str(out), "--chart", str(tmp_path / "c.svg")],
        env=env,
    )
    assert made.exit_code == 0, made.output
    text = pdf_text(out.read_bytes())
    document = pdfium.PdfDocument(str(out))
    try:
        document[0].render(scale=1.2).to_pil().save(artifacts / "recruitment-overview-pdf.png")
    finally:
        document.close()
    assert "Recruitment overview" in text and "< 5" in text and "30" in text
    assert (tmp_path / "c.svg").read_text().lstrip().startswith("<?xml")
    for code in recruited["codes"]:
        assert code not in text, "counts only, never codes"

    app = create_app(
        {"DATA_DIR": env["DELTAKER_DATA"], "DATABASE_URL": env["DELTAKER_DATABASE_URL"]}
    )
    try:
        add_staff(app, "recruiter", "recruiter")
        client = app.test_client()
        login(client, "recruiter")
        page = client.get("/staff/recruit/overview")
        assert page.status_code == 200 and "<td>30</td>" in page.text
        chart = client.get("/staff/recruit/overview.png")
        assert chart.status_code == 200 and chart.mimetype == "image/png"
        assert "overview.png" in client.get("/staff/recruit/").text
        assert client.get("/staff/recruit/overview.gif").status_code == 404

        # The same reminders from the web, as a job.
        from tests.webapp.webhelpers import csrf

        dry = client.get("/staff/recruit/reminders?after=0&max_reminders=1")
        assert "Would get a reminder: 9" in dry.text
        started = client.post(
            "/staff/recruit/reminders",
            data={"csrf_token": csrf(dry.text), "after": "0", "max_reminders": "1", "group": ""},
        )
        assert started.status_code == 303, started.text
        import time

        for _ in range(200):
            job = client.get(started.headers["Location"])
            if "Printed" in job.text or "error-summary" in job.text:
                break
            time.sleep(0.1)
        assert "Printed 9 reminders, 9 pages." in job.text, job.text
        with read_scope(engine) as session:
            sent_by = [r.sent_by for r in session.scalars(select(Reminder))]
        assert sent_by == ["recruiter"] * 9
    finally:
        app.extensions[EXTENSION]["engine"].dispose()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--after", "14"], "--out FILE.pdf"),
        (["--after", "14", "--out", "r.txt"], "must end in .pdf"),
        (["--after", "14", "--dry-run", "--now", "next week"], "is not a date or time"),
        (["--after", "-1", "--dry-run"], "--after must be 0 days or more"),
        (["--after", "14", "--dry-run", "--max", "0"], "--max must be 1 or more"),
    ],
)
def test_bad_reminder_options_are_one_clear_line(
    settings, engine, capsys, monkeypatch, args, message
):
    import sys

    from webapp.cli import main

    argv = ["deltaker", "reminders", *args, "--data", str(settings.data_dir), "--db"]
    monkeypatch.setattr(sys, "argv", [*argv, settings.db_url])
    with pytest.raises(SystemExit) as stopped:
        main()
    assert stopped.value.code != 0
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err, err

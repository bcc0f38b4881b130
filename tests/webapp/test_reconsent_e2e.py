"""Issue 16 point 2 end to end: a consent text changes and only the people it affects
are asked again.

The example study is loaded and letters printed for six people. Two grant on
paper (filled in by pen, scanned with scan.simulate, read by `deltaker scan`),
two on the web (one of them says no to the audio recording), one withdraws by
phone and one never answers. Then the audio text is changed in study.yaml,
marked material with its easy "what changed" sentences, and the study loaded
again. `deltaker letters --reconsent` prints packs for exactly the three
people whose audio grant rests on the old text; one answers the new form on
paper and one on the web, and the ledger moves their audio grant to the new
version while the third stays valid on the old one. The audit report shows
both versions, and the recruiter's page shows the letters sent. A change marked
minor prints nobody.
"""

from __future__ import annotations

import datetime as dt
import os
import random
import shutil
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import openpyxl
import pypdfium2 as pdfium
import pytest
import zxingcpp
from PIL import ImageDraw
from sqlalchemy import select

from consent import ledger
from forms.load import load_study
from forms.version import text_version
from intake.db import read_scope, session_scope
from intake.invitations import current_invitation, issue_invitation, page_entry
from intake.mailing import LetterRun, print_letters
from intake.models import Participant, ReconsentLetter
from intake.participants import import_participants
from intake.secrets import load_secret
from intake.studies import form_version, get_layout_map, get_study, load_study_into_db
from scan.simulate import Condition, degrade, draw_mark, draw_writing, to_pdf
from tests.webapp.pipeline import EXAMPLE
from webapp.demo import answer_on_the_web

SCAN_DPI = 150
NAMES = [
    "Kari Paper",
    "Ola Paper",
    "Siri Web",
    "Nils Noaudio",
    "Per Declined",
    "Eva Silent",
    "Lise Withdrawn",
]
LANGUAGES = ["nb", "nn", "en", "nb", "nb", "en", "nn"]
ALL_YES = {
    "group_meetings": ["yes"],
    "interview": ["yes"],
    "audio": ["yes"],
    "quotes": ["yes"],
    "contact_again": ["yes"],
    "name": ["SIRI WEB"],
}

OLD_AUDIO = {
    "nb": "At dere tar opp lyd når jeg blir intervjuet",
    "nn": "At de tek opp lyd når eg blir intervjua",
    "en": "That you record the sound when I am interviewed",
}
NEW_AUDIO = {
    "nb": "At dere tar opp lyd når jeg blir intervjuet, og at en annen forsker hører opptaket",
    "nn": "At de tek opp lyd når eg blir intervjua, og at ein annan forskar høyrer opptaket",
    "en": "That you record the sound when I am interviewed, and another researcher hears it",
}
WHAT_CHANGED = {
    "nb": "Nå får også en annen forsker høre lydopptaket.",
    "nn": "No får også ein annan forskar høyre lydopptaket.",
    "en": "Now another researcher will also hear the sound recording.",
}


def _people_csv() -> str:
    lines = ["navn,adresse,postnummer,poststed,språk,gruppe"]
    for n, (name, language) in enumerate(zip(NAMES, LANGUAGES, strict=True)):
        lines.append(f"{name},Storgata {n + 1},5003,Bergen,{language},families")
    return "\n".join(lines) + "\n"


def _tokens(engine, data_dir: Path) -> dict[str, str]:
    """Each person's link token (the same one on every letter they get)."""
    secret = load_secret(data_dir)
    with session_scope(engine) as session:
        return {
            p.code: issue_invitation(session, p, secret).token
            for p in session.scalars(select(Participant).order_by(Participant.id))
            if p.status != "erased"
        }


def fill_consent_pages(engine, data_dir: Path, pdf: Path, codes: set[str], out: Path) -> int:
    """People in ``codes`` cross every yes box on each consent page of ``pdf`` and sign.

    Pages are found by their QR code (the token and ``?p=``) and filled by the
    layout map stored for the form version that page carries, as a person
    would fill whatever paper lies in front of them.
    """
    by_token = {token: code for code, token in _tokens(engine, data_dir).items()}
    rng = random.Random(162)
    scale = SCAN_DPI / 72
    images = []
    document = pdfium.PdfDocument(str(pdf))
    try:
        with read_scope(engine) as session:
            record = get_study(session)
            people = {p.code: p for p in session.scalars(select(Participant))}
            for index in range(len(document)):
                page = document[index]
                image = page.render(scale=scale).to_pil().convert("RGB")
                found = [urlsplit(c.text) for c in zxingcpp.read_barcodes(image.convert("L"))]
                links = [u for u in found if u.path.startswith("/r/") and "p" in parse_qs(u.query)]
                if not links:
                    continue
                code = by_token[links[0].path.removeprefix("/r/")]
                if code not in codes:
                    continue
                invitation = current_invitation(session, people[code])
                entry = page_entry(invitation, int(parse_qs(links[0].query)["p"][0]))
                if entry is None or entry["form"] != "consent":
                    continue
                version = form_version(session, record, "consent", entry["version"])
                stored = get_layout_map(session, version, entry["language"], entry["profile"])
                draw = ImageDraw.Draw(image)
                for f in stored.map["pages"][entry["page"] - 1]["fields"]:
                    x, y, w, h = (v * scale for v in f["box"])
                    rect = (x, y, x + w, y + h)
                    if f["kind"] == "choice" and f.get("value") in (None, "yes"):
                        draw_mark(draw, rect, "cross", SCAN_DPI, rng)
                    elif f["kind"] in ("signature", "text"):
                        draw_writing(draw, rect, SCAN_DPI, rng, signature=f["kind"] == "signature")
                condition = Condition("office", dpi=SCAN_DPI, angle=0.3, noise=2)
                images.append(degrade(image, condition, rng, tuple(stored.map["page_size"])))
    finally:
        document.close()
    to_pdf(images, out, dpi=SCAN_DPI)
    return len(images)


def _review_all(engine) -> int:
    """An assistant types in the names and confirms the marks the scanner was unsure of."""
    from intake.review import open_tasks, resolve_task

    done = 0
    with session_scope(engine) as session:
        for task in open_tasks(session):
            if task.kind == "handwriting" and task.item == "name":
                value: object = "BLOCK LETTERS"
            elif task.kind == "handwriting" and task.item == "signed_on":
                value = dt.date.today().isoformat()
            elif task.kind == "handwriting":
                value = "signed"
            else:
                value = ["yes"]
            resolve_task(session, task.id, value, by="assistant-anna")
            done += 1
    return done


def _change_audio(folder: Path, kind: str) -> str:
    """Change the audio text in study.yaml, mark the change ``kind``; the new version."""
    path = folder / "study.yaml"
    text = path.read_text(encoding="utf-8")
    for language in ("nb", "nn", "en"):
        text = text.replace(
            f"{language}: {OLD_AUDIO[language]}\n", f"{language}: {NEW_AUDIO[language]}\n"
        )
    path.write_text(text, encoding="utf-8")
    new = text_version(load_study(folder).form("consent"))
    mark = [
        "consent_changes:",
        "  - item: audio",
        f"    version: {new}",
        f"    kind: {kind}",
        "    reason: The recording is now also heard by a second researcher.",
    ]
    if kind == "material":
        mark.append("    what_changed:")
        mark += [f"      {lang}: {sentence}" for lang, sentence in WHAT_CHANGED.items()]
    path.write_text(text.rstrip("\n") + "\n\n" + "\n".join(mark) + "\n", encoding="utf-8")
    return new


@pytest.fixture
def granted(tmp_path, data_dir, db_url, engine, deltaker):
    """Seven people: three grant the audio recording, one says no to it, one grants it
    but declines what the study requires, one withdraws everything, one is silent."""
    folder = tmp_path / "study"
    shutil.copytree(EXAMPLE, folder)
    people = tmp_path / "people.csv"
    people.write_text(_people_csv(), encoding="utf-8")
    with session_scope(engine) as session:
        load_study_into_db(session, load_study(folder))
        import_participants(session, people, study=get_study(session))
    letters = tmp_path / "letters.pdf"
    print_letters(engine, data_dir, LetterRun(out=letters))
    with read_scope(engine) as session:
        codes = [p.code for p in session.scalars(select(Participant).order_by(Participant.id))]
        old = form_version(session, get_study(session), "consent").text_version

    scans = tmp_path / "returned.pdf"
    assert fill_consent_pages(engine, data_dir, letters, {codes[0], codes[1]}, scans) >= 2
    scanned = deltaker("scan", str(scans))
    assert scanned.returncode == 0, scanned.stderr
    _review_all(engine)

    from webapp import create_app
    from webapp.database import EXTENSION

    tokens = _tokens(engine, data_dir)
    app = create_app({"DATA_DIR": str(data_dir), "DATABASE_URL": db_url})
    try:
        answer_on_the_web(app, tokens[codes[2]], ALL_YES)
        no_audio = {k: v for k, v in ALL_YES.items() if k != "audio"}
        answer_on_the_web(app, tokens[codes[3]], no_audio)
        answer_on_the_web(app, tokens[codes[6]], ALL_YES)
    finally:
        app.extensions[EXTENSION]["engine"].dispose()
    withdrawn = deltaker(
        "consent", "withdraw", codes[6], "--note", "does not want letters", "--by", "anna"
    )
    assert withdrawn.returncode == 0, withdrawn.stderr
    from consent.events import Action, Channel

    with session_scope(engine) as session:  # typed in from a signed paper form by staff:
        for item, action in (("audio", Action.GRANT), ("group_meetings", Action.DECLINE)):
            ledger.record(  # yes to the audio, no to the meetings the study requires
                session,
                study="u-sving",
                participant=codes[4],
                item=item,
                action=action,
                channel=Channel.STAFF,
                text_version=old,
                evidence={"note": "signed form handed in at the office"},
                actor="anna",
                occurred_at=dt.datetime.now(dt.UTC),
            )
    with read_scope(engine) as session:
        book = ledger.status_book(session)
    for code in (*codes[:3], codes[4]):
        status = book.get(code, "audio")
        assert (str(status.state), status.text_version) == ("granted", old), code
    assert str(book.get(codes[3], "audio").state) != "granted"
    assert str(book.get(codes[5], "audio").state) == "not asked"
    return {"codes": codes, "folder": folder, "old": old, "app_config": (data_dir, db_url)}


def _pdf_pages(path: Path) -> list[str]:
    document = pdfium.PdfDocument(str(path))
    try:
        return [document[i].get_textpage().get_text_range() for i in range(len(document))]
    finally:
        document.close()


def test_a_material_change_asks_exactly_the_people_on_the_old_text(
    granted, engine, data_dir, db_url, deltaker, tmp_path
):
    codes, folder, old = granted["codes"], granted["folder"], granted["old"]
    new = _change_audio(folder, "material")
    loaded = deltaker("study", "load", str(folder))
    assert loaded.returncode == 0, loaded.stderr
    with read_scope(engine) as session:
        assert form_version(session, get_study(session), "consent").text_version == new

    changes = deltaker("consent", "changes")
    assert changes.returncode == 0, changes.stderr
    assert f"consent {old} -> {new}: audio: material: The recording is now" in changes.stdout
    assert "Re-consent letters (material changes): 3 people" in changes.stdout

    dry = deltaker("letters", "--reconsent", "--dry-run")
    assert dry.returncode == 0, dry.stderr
    assert "Would send 3 re-consent letters" in dry.stdout
    for code in codes[:3]:
        assert f"  {code}: audio on {old}" in dry.stdout
    # granted the audio recording on the old text, but left the study: never written to
    assert f"  {codes[4]}: declined to take part" in dry.stdout
    assert codes[3] not in dry.stdout and codes[5] not in dry.stdout  # no audio grant
    assert codes[6] not in dry.stdout  # withdrew everything (and was erased)
    assert not (tmp_path / "reconsent.pdf").exists()

    out = tmp_path / "reconsent.pdf"
    printed = deltaker("letters", "--reconsent", "--out", str(out), "--by", "anna")
    assert printed.returncode == 0, printed.stderr
    assert "Printed 3 re-consent packs, 12 pages" in printed.stdout  # two sheets each
    pages = _pdf_pages(out)
    text = "\n".join(pages)
    for n in range(3):
        assert NAMES[n] in text and codes[n] in text
        assert WHAT_CHANGED[LANGUAGES[n]] in text.replace("\r\n", " ").replace("\n", " ")
    for n in (3, 4, 5, 6):
        assert NAMES[n] not in text and codes[n] not in text
    assert new in text and old not in text  # the new form is printed, never the old one
    assert "Vi har endret samtykket" in text and "We have changed the consent" in text
    assert "Slik svarer du på nytt" in text  # its own "how to answer"
    # the same link as the invitation, on the letter and on every form page
    tokens = _tokens(engine, data_dir)
    links = []
    document = pdfium.PdfDocument(str(out))
    for i in range(len(document)):
        image = document[i].render(scale=2).to_pil().convert("L")
        links += [urlsplit(c.text).path for c in zxingcpp.read_barcodes(image)]
    document.close()
    assert {link.removeprefix("/r/") for link in links} == {tokens[c] for c in codes[:3]}
    with read_scope(engine) as session:
        sent = session.scalars(select(ReconsentLetter).order_by(ReconsentLetter.id)).all()
        ids = {p.id: p.code for p in session.scalars(select(Participant))}
        assert sorted(ids[r.participant_id] for r in sent) == sorted(codes[:3])
        assert {(r.text_version, r.old_versions, r.items, r.sent_by) for r in sent} == {
            (new, old, "audio", "anna")
        }
        assert len(sent) == 3
    artifacts = Path(os.environ.get("DELTAKER_ARTIFACTS", tmp_path))
    artifacts.mkdir(parents=True, exist_ok=True)
    document = pdfium.PdfDocument(str(out))
    for i in range(3):
        document[i].render(scale=90 / 72).to_pil().save(artifacts / f"reconsent-{i + 1}.png")
    document.close()

    # a paper answer on the new form (Kari) and a web answer (Ola) move the item
    scans = tmp_path / "reconsent-returned.pdf"
    assert fill_consent_pages(engine, data_dir, out, {codes[0]}, scans) >= 1
    scanned = deltaker("scan", str(scans))
    assert scanned.returncode == 0, scanned.stderr
    _review_all(engine)
    from tests.webapp.webhelpers import add_staff, login
    from webapp import create_app
    from webapp.database import EXTENSION

    app = create_app({"DATA_DIR": str(data_dir), "DATABASE_URL": db_url})
    try:
        looking = app.test_client()  # Ola scans the QR code: the consent page is open again
        assert looking.get(f"/r/{tokens[codes[1]]}?p=1").status_code == 303
        page = looking.get("/consent")
        assert page.status_code == 200
        assert "Vi har endra teksten i samtykket. Les han, og svar på nytt." in page.text
        assert NEW_AUDIO["nn"] in page.text
        answer_on_the_web(app, tokens[codes[1]], {**ALL_YES, "name": ["OLA PAPER"]})
        add_staff(app, "recruiter", "recruiter")
        client = app.test_client()
        login(client, "recruiter")
        page = client.get("/staff/recruit/")
        assert page.status_code == 200
        assert "Re-consent" in page.text
        from babel.dates import format_date

        day = format_date(dt.date.today(), "medium", locale="en")  # the staff page's way
        assert f"1 (last {day}, consent {new}: audio)" in page.text
    finally:
        app.extensions[EXTENSION]["engine"].dispose()

    with read_scope(engine) as session:
        book = ledger.status_book(session)
        events = [e for e in ledger.iter_events(session) if e.item == "audio"]
    assert book.get(codes[0], "audio").text_version == new
    assert str(book.get(codes[0], "audio").state) == "granted"
    assert book.get(codes[1], "audio").text_version == new
    # Siri has not answered yet: her old grant stays valid
    assert (str(book.get(codes[2], "audio").state), book.get(codes[2], "audio").text_version) == (
        "granted",
        old,
    )
    moved = [e for e in events if e.participant in codes[:2] and e.text_version == new]
    assert {e.participant for e in moved} == set(codes[:2])
    assert {str(e.channel) for e in moved} == {"paper", "web"}

    # now only Siri is left on the old text
    again = deltaker("letters", "--reconsent", "--dry-run")
    assert "Would send 1 re-consent letters" in again.stdout and codes[2] in again.stdout

    # the audit report: grants per text version, both versions
    report = tmp_path / "audit.xlsx"
    audit = deltaker("audit", "report", "--out", str(report))
    assert audit.returncode == 0, audit.stderr
    book_x = openpyxl.load_workbook(report, read_only=True)
    rows = [tuple(r) for r in book_x["Per text version"].iter_rows(values_only=True)]
    book_x.close()
    by_version = {(r[0], r[1]): r[2] for r in rows[1:]}
    assert by_version[("audio", old)] == 2  # Siri, and Per who left the study
    assert by_version[("audio", new)] == 2  # Kari on paper, Ola on the web


def test_a_minor_change_prints_nobody(granted, engine, deltaker, tmp_path):
    folder = granted["folder"]
    _change_audio(folder, "minor")
    assert deltaker("study", "load", str(folder)).returncode == 0
    changes = deltaker("consent", "changes")
    assert ": audio: minor: The recording is now" in changes.stdout
    wrong = deltaker("letters", "--dry-run")
    assert wrong.returncode != 0 and "--dry-run goes with --reconsent" in wrong.stderr
    wrong = deltaker("letters", "--reconsent", "--group", "families", "--dry-run")
    assert wrong.returncode != 0 and "--reconsent chooses the people itself" in wrong.stderr
    assert "Re-consent letters (material changes): 0 people" in changes.stdout
    dry = deltaker("letters", "--reconsent", "--dry-run")
    assert dry.returncode == 0 and "Would send 0 re-consent letters" in dry.stdout
    out = tmp_path / "reconsent.pdf"
    printed = deltaker("letters", "--reconsent", "--out", str(out))
    assert printed.returncode != 0
    assert "nobody to write to" in printed.stderr and "Traceback" not in printed.stderr
    assert not out.exists()
    with read_scope(engine) as session:
        assert session.scalars(select(ReconsentLetter)).first() is None
    # nor does the web ask anyone again: the consent page stays closed behind the link
    from webapp import create_app
    from webapp.database import EXTENSION

    data_dir, db_url = granted["app_config"]
    app = create_app({"DATA_DIR": str(data_dir), "DATABASE_URL": db_url})
    try:
        client = app.test_client()
        assert (
            client.get(f"/r/{_tokens(engine, data_dir)[granted['codes'][2]]}?p=1").status_code
            == 303
        )
        page = client.get("/consent")
        assert page.status_code == 303 and page.headers["Location"].endswith("/consents")
    finally:
        app.extensions[EXTENSION]["engine"].dispose()


def test_an_unmarked_change_counts_as_material_and_check_names_it(
    granted, engine, deltaker, tmp_path
):
    codes, folder, old = granted["codes"], granted["folder"], granted["old"]
    new = _change_audio(folder, "material")
    text = (folder / "study.yaml").read_text(encoding="utf-8")
    (folder / "study.yaml").write_text(text.split("\nconsent_changes:")[0] + "\n", "utf-8")
    check = deltaker("check", str(folder))
    assert check.returncode == 0, check.stderr
    assert (
        f"warning: study.yaml consent_changes: the change of 'audio' (form consent, "
        f"{old} -> {new}) is not marked; it counts as material" in check.stderr
    )
    assert deltaker("check", "--strict", str(folder)).returncode == 1
    assert deltaker("study", "load", str(folder)).returncode == 0
    changes = deltaker("consent", "changes")
    assert "audio: not marked, counts as material" in changes.stdout
    out = tmp_path / "reconsent.pdf"
    printed = deltaker("letters", "--reconsent", "--out", str(out))
    assert printed.returncode == 0, printed.stderr
    text = " ".join(_pdf_pages(out)).replace("\n", " ")
    # no sentence of the author's: the letter names the changed text itself
    assert "Vi har endret teksten om dette:" in text
    assert all(codes[n] in text for n in range(3))


def test_reconsent_packs_follow_the_format_profile(granted, engine, deltaker, tmp_path):
    """The first person reads large print on one side of the paper; the others as before."""
    from collections import Counter

    import pdfplumber

    from intake.format_profiles import set_profile
    from printing.format_profile import FormatProfile

    codes, folder = granted["codes"], granted["folder"]
    _change_audio(folder, "material")
    assert deltaker("study", "load", str(folder)).returncode == 0
    with session_scope(engine) as session:
        first = session.scalars(select(Participant).where(Participant.code == codes[0])).one()
        set_profile(session, first, FormatProfile("nb", True, False), actor="anna")
    out = tmp_path / "reconsent.pdf"
    printed = deltaker("letters", "--reconsent", "--out", str(out))
    assert printed.returncode == 0, printed.stderr
    sizes: dict[str, set[float]] = {code: set() for code in codes[:3]}
    blanks = 0
    with pdfplumber.open(out) as doc:
        total = len(doc.pages)
        for page in doc.pages:
            text = page.extract_text() or ""
            if text.strip() == "Denne siden er tom med vilje.":
                blanks += 1
                continue
            common = Counter(round(c["size"], 1) for c in page.chars if c["text"].strip())
            for code in sizes:
                if code in text:
                    sizes[code].add(common.most_common(1)[0][0])
    assert 18.0 in sizes[codes[0]] and 14.0 not in sizes[codes[0]]
    assert sizes[codes[1]] and 18.0 not in sizes[codes[1]] | sizes[codes[2]]
    own = total - 8  # the two others: two sheets (four pages) each
    assert blanks >= own // 2, "one-sided: a blank back after each of the first person's pages"

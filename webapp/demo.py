"""`deltaker demo`: the bundled example study end to end, as a new user would run it.

Each step is the real command a person would type (printed as ``$ deltaker ...``
so the demo also teaches the command line), run in this process on a data
folder of its own. Between the commands the demo plays the citizens: it fills
in some returned paper forms (drawn onto the printed pages, then degraded like
an office scanner) and answers some invitations on the web through the real
app's pages. At the end it serves the web app with demo staff accounts.

The demo's data folder is wiped at the start of each run, but only when it is
empty or was made by the demo (it holds :data:`MARKER`), so pointing ``--data``
at real data by mistake destroys nothing.
"""

from __future__ import annotations

import random
import re
import secrets
import shutil
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from forms.errors import UserError
from forms.model import Form, Item, ItemType
from printing.layout_map import FieldKind, LayoutField, LayoutMap

MARKER = ".deltaker-demo"
#: Made-up people (names and addresses invented for the demo).
PEOPLE_CSV = """navn;adresse;postnummer;poststed;språk;gruppe;telefon
Kari Nordmann;Storgata 1;5003;Bergen;nb;families;
Per Hansen;Lillegata 2 B;5004;Bergen;nn;families;
Amina Hassan;Fjellveien 14;5019;Bergen;en;families;+47 912 34 567
Ola Berg;Kirkegata 3;5015;Bergen;nb;families;
Marta Kowalska;Sandviksveien 40;5035;Bergen;nb;families;
Ingrid Dahl;Rådhusgata 10;5014;Bergen;nb;employees;
Jonas Lie;Markeveien 5;5012;Bergen;nn;employees;
"""
#: How many of the families answer on paper and how many on the web.
PAPER_ANSWERS = 2
WEB_ANSWERS = 2
DEMO_ROLES = ("recruiter", "assistant", "dpo", "admin")
#: The consent items each web citizen leaves unticked (everyone agrees to the rest).
WEB_DECLINES = ("quotes",)


class DemoError(UserError):
    """The demo cannot run as asked (its data folder holds other data, ...)."""


@dataclass(frozen=True)
class DemoAccount:
    name: str
    role: str
    password: str


def prepare_data_dir(data_dir: Path) -> None:
    """Start from an empty folder; refuse a folder the demo did not make."""
    if data_dir.exists() and any(data_dir.iterdir()):
        if not (data_dir / MARKER).exists():
            raise DemoError(
                f"{data_dir} holds data the demo did not make; give the demo an empty folder "
                "with --data"
            )
        shutil.rmtree(data_dir)
    data_dir.mkdir(parents=True, exist_ok=True)
    (data_dir / MARKER).write_text("made by `deltaker demo`; wiped by the next demo run\n")


def web_answers(
    form: Form, rng: random.Random, *, declines: Sequence[str] = ()
) -> dict[str, list[str]]:
    """Plausible answers to every item of ``form``, as the web pages post them."""
    answers: dict[str, list[str]] = {}
    for item in form.answerable():
        value = _ANSWER_BY_TYPE[item.type](item, rng)
        if item.type == ItemType.CONSENT and (item.consent_item or item.id) in declines:
            continue
        if value:
            answers[item.id] = value
    return answers


def _choose_one(item: Item, rng: random.Random) -> list[str]:
    return [rng.choice(item.options()).value]


def _choose_some(item: Item, rng: random.Random) -> list[str]:
    options = [o.value for o in item.options()]
    return sorted(rng.sample(options, k=min(2, len(options))))


_ANSWER_BY_TYPE: dict[ItemType, Callable[[Item, random.Random], list[str]]] = {
    ItemType.SINGLE_CHOICE: _choose_one,
    ItemType.MULTIPLE_CHOICE: _choose_some,
    ItemType.YES_NO: _choose_one,
    ItemType.SCALE: _choose_one,
    ItemType.SHORT_TEXT: lambda item, rng: ["Bergen"],
    ItemType.LONG_TEXT: lambda item, rng: ["Det hjalp å møte andre i samme situasjon."],
    ItemType.NUMBER: lambda item, rng: [str(rng.randint(1, 4))],
    ItemType.DATE: lambda item, rng: ["01.10.2026"],
    ItemType.SIGNATURE: lambda item, rng: [],
    ItemType.CONSENT: lambda item, rng: ["yes"],
    ItemType.INFO: lambda item, rng: [],
}


def answer_on_the_web(app, token: str, answers: dict[str, list[str]]) -> str:
    """Play one citizen: open the QR link, consent, answer every page. Returns the end page.

    Goes through the real pages with the app's test client; CSRF is checked on
    every post, so the token is read from each page as a browser would. Each
    page gets the answers of the items it shows.
    """
    client = app.test_client()
    response = client.get(f"/r/{token}?p=1")
    if response.status_code != 303:
        raise DemoError(f"the answer link did not open (HTTP {response.status_code})")
    location = "/consent"
    for _ in range(40):  # a guard: a questionnaire has far fewer pages
        page = client.get(location)
        if page.status_code != 200:
            raise DemoError(f"{location} answered HTTP {page.status_code}")
        data: dict[str, list[str] | str] = {"csrf_token": _csrf(page.text)}
        for item_id in sorted(set(re.findall(r'name="q_([a-z0-9_]+)"', page.text))):
            if item_id in answers:
                data[f"q_{item_id}"] = answers[item_id]
        sent = client.post(location, data=data)
        if sent.status_code != 303:
            raise DemoError(f"{location} refused the demo's answers (HTTP {sent.status_code})")
        location = sent.headers["Location"]
        if not (location.startswith("/consent") or location.startswith("/questions/")):
            return location
    raise DemoError("the questionnaire did not end")


def _csrf(html: str) -> str:
    found = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html) or re.search(
        r'name="csrf_token" value="([^"]+)"', html
    )
    if not found:
        raise DemoError("a page had no CSRF token")
    return found.group(1)


def new_accounts() -> list[DemoAccount]:
    """One account per role, each with a fresh random password printed on the console."""
    return [DemoAccount(f"demo-{role}", role, secrets.token_urlsafe(9)) for role in DEMO_ROLES]


# ------------------------------------------------------------ the demo's citizens


def _families(session) -> list:
    """The families in import order: the first answer on paper, the next on the web."""
    from sqlalchemy import select

    from intake.models import Participant

    query = select(Participant).where(Participant.group == "families").order_by(Participant.id)
    return list(session.scalars(query))


def _forms(session) -> dict[str, Form]:
    from intake.studies import get_study, latest_versions, stored_form

    return {fv.form_key: stored_form(fv) for fv in latest_versions(session, get_study(session))}


def simulate_web_answers(settings, rng: random.Random) -> list[tuple[str, str]]:
    """Families after the paper ones open their QR link and answer every page on the web."""
    from intake.db import open_database, session_scope
    from intake.invitations import issue_invitation
    from intake.secrets import load_secret
    from webapp import create_app

    engine = open_database(settings)
    secret = load_secret(settings.data_dir)
    try:
        with session_scope(engine) as session:
            forms = _forms(session)
            people = _families(session)[PAPER_ANSWERS : PAPER_ANSWERS + WEB_ANSWERS]
            tokens = [(p.code, issue_invitation(session, p, secret).token) for p in people]
    finally:
        engine.dispose()
    app = create_app({"DATA_DIR": str(settings.data_dir), "DATABASE_URL": settings.db_url})
    done = []
    for code, token in tokens:
        answers: dict[str, list[str]] = {}
        for form in forms.values():
            answers.update(web_answers(form, rng, declines=WEB_DECLINES))
        done.append((code, answer_on_the_web(app, token, answers)))
    return done


def first_web_participant(settings) -> str:
    """The code of the first family that answered on the web (the demo's withdrawer)."""
    from intake.db import open_database, read_scope

    engine = open_database(settings)
    try:
        with read_scope(engine) as session:
            return _families(session)[PAPER_ANSWERS].code
    finally:
        engine.dispose()


def create_accounts(settings) -> list[DemoAccount]:
    """One staff account per role with a fresh password (what `deltaker users add` does)."""
    from intake.db import open_database, session_scope
    from webapp import staff

    accounts = new_accounts()
    engine = open_database(settings)
    try:
        with session_scope(engine) as session:
            for account in accounts:
                staff.add_user(session, account.name, account.role, account.password)
    finally:
        engine.dispose()
    return accounts


#: Resolution of the demo's simulated scans (an office scanner's common setting).
SCAN_DPI = 200
PT_PER_INCH = 72.0


def simulate_paper_returns(settings, letters: Path, rng: random.Random) -> Path:
    """The first families fill in their printed forms by pen; an office scanner reads them.

    Marks go where each page's stored layout map says the boxes are: crosses
    for answers, writing in text fields, a signature. The second family also
    changes its mind once (fills a box in completely, the printed way to undo
    a cross, then crosses another) and feeds its pages upside down. The first
    family spills coffee over the first page's top code, so that page is read
    by its second code.
    """
    import pypdfium2 as pdfium
    from openpyxl import load_workbook
    from PIL import Image, ImageDraw

    from intake.db import open_database, read_scope
    from intake.invitations import current_invitation
    from intake.mailing import manifest_path
    from intake.studies import form_version, get_layout_map, get_study
    from scan.simulate import Condition, degrade, to_pdf

    sheet = load_workbook(manifest_path(letters), read_only=True)["manifest"]
    rows = list(sheet.iter_rows(values_only=True))
    first_page = {row[0]: _whole_number(row[4]) for row in rows[1:]}
    engine = open_database(settings)
    images: list[Image.Image] = []
    document = pdfium.PdfDocument(str(letters))
    try:
        with read_scope(engine) as session:
            record = get_study(session)
            for person_index, person in enumerate(_families(session)[:PAPER_ANSWERS]):
                invitation = current_invitation(session, person)
                if invitation is None:  # the demo printed a letter for every family
                    raise RuntimeError(f"demo: {person.code} has no letter to answer")
                changes_mind = person_index == 1
                for entry in invitation.pages:
                    version = form_version(session, record, entry["form"], entry["version"])
                    stored = get_layout_map(session, version, entry["language"], entry["profile"])
                    if stored is None:  # printing stored the map of every page it printed
                        raise RuntimeError(f"demo: no layout map for {entry['form']}")
                    layout = LayoutMap.from_json(stored.map)
                    page_map = layout.pages[entry["page"] - 1]
                    index = first_page[person.code] + entry["n"] - 2
                    image = document[index].render(scale=SCAN_DPI / PT_PER_INCH).to_pil()
                    image = image.convert("RGB")
                    _fill(ImageDraw.Draw(image), page_map.fields, rng, changes_mind)
                    if person_index == 0 and not images:
                        _spill_coffee(ImageDraw.Draw(image), page_map.qr)
                    condition = Condition(
                        "office scanner", dpi=SCAN_DPI, angle=0.6, noise=3, upside_down=changes_mind
                    )
                    images.append(degrade(image, condition, rng, layout.page_size))
    finally:
        document.close()
        engine.dispose()
    out = settings.data_dir / "scans" / "returned.pdf"
    out.parent.mkdir(parents=True, exist_ok=True)
    to_pdf(images, out, dpi=SCAN_DPI)
    click_echo(f"  {len(images)} pages filled in by {PAPER_ANSWERS} families, scanned to {out}")
    return out


def _fill(draw, fields: Sequence[LayoutField], rng: random.Random, changes_mind: bool) -> None:
    """Mark one page: one answer per question, writing in written fields, a signature."""
    from scan.simulate import draw_mark, draw_writing

    scale = SCAN_DPI / PT_PER_INCH
    by_item: dict[str, list[LayoutField]] = {}
    for field in fields:
        by_item.setdefault(field.item, []).append(field)
    cancelled = False
    for group in by_item.values():
        boxes = [f for f in group if f.kind == FieldKind.CHOICE]
        rects = {id(f): _scaled(_corners(f.box), scale) for f in group}
        if boxes:
            if len(boxes) == 1:  # a consent box: everyone agrees in the demo
                chosen = boxes
            else:
                chosen = [rng.choice(boxes)]
            if changes_mind and not cancelled and len(boxes) > 2:
                undo = next(b for b in boxes if b is not chosen[0])
                draw_mark(draw, rects[id(undo)], "fill", SCAN_DPI, rng)
                cancelled = True
            for box in chosen:
                draw_mark(draw, rects[id(box)], "cross", SCAN_DPI, rng)
        else:
            for written in group:
                draw_writing(
                    draw,
                    rects[id(written)],
                    SCAN_DPI,
                    rng,
                    signature=written.kind == FieldKind.SIGNATURE,
                )


def _spill_coffee(draw, qr_box: Sequence[float]) -> None:
    """A brown stain over most of the page's first QR code: beyond its error correction."""
    scale = SCAN_DPI / PT_PER_INCH
    x, y, x1, y1 = (v * scale for v in _corners(qr_box))
    inset = (x1 - x) * 0.18
    draw.ellipse((x + inset, y + inset, x1 - inset * 0.3, y1 - inset * 0.5), fill=(120, 80, 45))


def _scaled(
    rect: tuple[float, float, float, float], scale: float
) -> tuple[float, float, float, float]:
    x0, y0, x1, y1 = rect
    return x0 * scale, y0 * scale, x1 * scale, y1 * scale


def _whole_number(cell: object) -> int:
    """A number cell of the print manifest (written by us as a whole number)."""
    if not isinstance(cell, int | float | str):
        raise ValueError(f"demo: the print manifest holds {cell!r} where a page number belongs")
    return int(cell)


def _corners(box: Sequence[float]) -> tuple[float, float, float, float]:
    x, y, w, h = box
    return x, y, x + w, y + h


def click_echo(text: str) -> None:
    import click

    click.echo(text)


#: The name a family writes in block letters on its consent form.
BLOCK_LETTERS = "KARI NORDMANN"
#: What the demo's assistant reads from the handwriting, by item type.
TYPED_IN: dict[ItemType, str] = {
    ItemType.SHORT_TEXT: "Mer hjelp med bolig",
    ItemType.LONG_TEXT: "Det hjalp å snakke med andre.",
    ItemType.NUMBER: "3",
    ItemType.DATE: "20.11.2026",
}


def handwriting_to_type(settings) -> list[tuple[int, str]]:
    """The open handwriting tasks and what the assistant types in for each: (task, value)."""
    from intake.db import open_database, read_scope
    from intake.review import open_tasks

    engine = open_database(settings)
    try:
        with read_scope(engine) as session:
            forms = _forms(session)
            typed = []
            for task in open_tasks(session):
                form = next((f for f in forms.values() if _has_item(f, task.item)), None)
                if task.kind == "handwriting" and form is not None and task.item is not None:
                    item = form.item(task.item)
                    value = BLOCK_LETTERS if "name" in item.id else TYPED_IN.get(item.type)
                    if value:
                        typed.append((task.id, value))
            return typed
    finally:
        engine.dispose()


def _has_item(form: Form, item_id: str | None) -> bool:
    return any(item.id == item_id for item in form.items())

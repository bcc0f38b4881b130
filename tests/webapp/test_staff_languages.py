"""The staff pages in bokmål, nynorsk and English (Flask-Babel, webapp/translations).

Every staff text is an English gettext message; these tests read the code and the
templates the way ``make translations`` does (babel.cfg) and check each message is
translated in nb and nn, that no English is left outside ``_()`` in the staff
templates, that each user gets their own language, that dates and numbers are
written the Norwegian way, and that the committed .mo files match their .po files.
Screenshots of three pages in bokmål go to test-artifacts/webapp/ (80-...).
"""

from __future__ import annotations

import datetime as dt
import io
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.mofile import read_mo, write_mo
from babel.messages.pofile import read_po
from click.testing import CliRunner

from tests.webapp import browser as b
from tests.webapp.test_browser import _login
from tests.webapp.webhelpers import PASSWORD, add_staff, csrf, login

ROOT = Path(__file__).resolve().parents[2]
TRANSLATIONS = ROOT / "webapp" / "translations"
TEMPLATES = ROOT / "webapp" / "templates"
STAFF_TEMPLATE_FOLDERS = ("staff", "auth", "recruit", "intake", "audit", "errors")
#: gettext's own names (_, gettext, ngettext...) and the lazy one the WTForms classes use
KEYWORDS = {**DEFAULT_KEYWORDS, "lazy_gettext": None}


def _extracted() -> list[tuple[str, int, str | tuple[str, ...]]]:
    """(file, line, msgid) for every message in the code and templates, as babel.cfg says."""
    with (ROOT / "babel.cfg").open(encoding="utf-8") as cfg:
        method_map, options_map = parse_mapping_cfg(cfg)
    found = []
    for name, line, message, _comments, _context in extract_from_dir(
        str(ROOT), method_map, options_map, keywords=KEYWORDS
    ):
        msgid = message if isinstance(message, str) else tuple(m for m in message if m)
        found.append((name, line, msgid[0] if len(msgid) == 1 else msgid))
    return found


def _catalogue(language: str):
    path = TRANSLATIONS / language / "LC_MESSAGES" / "messages.po"
    with path.open("rb") as po:
        return read_po(po, locale=language)


# ---------------------------------------------------------------- (a) translated


@pytest.mark.parametrize("language", ["nb", "nn"])
def test_every_staff_message_is_translated(language: str) -> None:
    catalogue = _catalogue(language)
    extracted = _extracted()
    assert len(extracted) > 150, "the extraction found the staff texts"
    untranslated = []
    for name, line, msgid in extracted:
        key = msgid if isinstance(msgid, str) else msgid[0]
        entry = catalogue.get(key)
        strings = (
            ()
            if entry is None
            else ((entry.string,) if isinstance(entry.string, str) else tuple(entry.string))
        )
        if entry is None or entry.fuzzy or not strings or not all(s.strip() for s in strings):
            untranslated.append(f"{name}:{line}: {key!r}")
    assert untranslated == [], (
        f"not translated in {language} (run `make translations`, then fill in "
        f"webapp/translations/{language}/LC_MESSAGES/messages.po):\n" + "\n".join(untranslated)
    )


def test_translations_keep_their_placeholders() -> None:
    """A translation names the same %(values)s as its English text (else the page fails)."""
    placeholder = re.compile(r"%\((\w+)\)[sdr]")
    wrong = []
    for language in ("nb", "nn", "en"):
        for entry in _catalogue(language):
            if not entry.id:
                continue
            ids = (entry.id,) if isinstance(entry.id, str) else entry.id
            strings = (entry.string,) if isinstance(entry.string, str) else entry.string
            wanted = set(placeholder.findall(ids[-1])) | ({"num"} if len(ids) > 1 else set())
            for text in strings:
                if text and not set(placeholder.findall(text)) <= wanted:
                    wrong.append(f"{language}: {text!r}")
                if text and set(placeholder.findall(ids[0])) - {"num"} - set(
                    placeholder.findall(text)
                ):
                    wrong.append(f"{language}: {text!r} leaves out a value")
    assert wrong == []


# ---------------------------------------------------------------- (b) nothing left unwrapped


class _Texts(HTMLParser):
    """The words a reader sees (text and alt/title/aria-label/placeholder) with their lines."""

    SHOWN_ATTRIBUTES = ("alt", "title", "aria-label", "placeholder")

    def __init__(self) -> None:
        super().__init__()
        self.found: list[tuple[int, str]] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style"):
            self._skip += 1
        for name, value in attrs:
            if name in self.SHOWN_ATTRIBUTES and value:
                self.found.append((self.getpos()[0], value))

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style") and self._skip:
            self._skip -= 1

    def handle_data(self, data: str) -> None:
        if not self._skip and data.strip():
            self.found.append((self.getpos()[0], data.strip()))


_JINJA = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}", re.DOTALL)
_CLASS_BLOCK = re.compile(r"\{% block main_class %\}.*?\{% endblock %\}")
#: a word of two or more letters: English a reader would see
_WORD = re.compile(r"[A-Za-zÆØÅæøå]{2,}")


def _bare_words(source: str, name: str) -> list[str]:
    """``name:line: text`` for each text outside Jinja code that has a word in it."""
    # a CSS class name is no text; Jinja code is replaced by as many newlines as it
    # had, so the lines stay right
    source = _CLASS_BLOCK.sub("", source)
    html = _JINJA.sub(lambda m: "\n" * m.group(0).count("\n"), source)
    parser = _Texts()
    parser.feed(html)
    return [f"{name}:{line}: {text!r}" for line, text in parser.found if _WORD.search(text)]


def test_no_english_is_left_outside_gettext_in_the_staff_templates() -> None:
    templates = [
        path
        for folder in STAFF_TEMPLATE_FOLDERS
        for path in sorted((TEMPLATES / folder).glob("*.html"))
    ]
    assert len(templates) >= 18
    bare = [
        word
        for template in templates
        for word in _bare_words(
            template.read_text(encoding="utf-8"), template.relative_to(TEMPLATES).as_posix()
        )
    ]
    assert bare == [], "wrap these in {{ _('...') }}:\n" + "\n".join(bare)


def test_the_check_finds_a_bare_word() -> None:
    """The heuristic above is not blind: plain text and an alt text, not Jinja or _()."""
    found = _bare_words(
        '{% block x %}<h1>{{ _("Fine") }}</h1>\n<p>Left bare</p>'
        '<img alt="Bare alt" src="{{ url }}">{% if a %}\n{% endif %}<p>{{ n }} %</p>{% endblock %}',
        "probe.html",
    )
    assert found == ["probe.html:2: 'Left bare'", "probe.html:2: 'Bare alt'"]


# ---------------------------------------------------------------- (c) each user's language


@pytest.mark.parametrize(
    "language, words",
    [
        ("nb", ["Deltakere", "Last opp en deltakerliste", "Logg ut", "Brevpakker"]),
        ("nn", ["Deltakarar", "Last opp ei deltakarliste", "Logg ut", "Brevpakkar"]),
        ("en", ["Participants", "Upload a participant list", "Log out", "Letter packs"]),
    ],
)
def test_each_user_sees_their_own_language(app, client, language: str, words) -> None:
    add_staff(app, f"rec-{language}", "recruiter", language=language)
    # the browser asks for another language: the user's own choice wins
    login(client, f"rec-{language}", language="en" if language != "en" else "nb")
    page = client.get("/staff/recruit/").text
    assert f'<html lang="{language}"' in page
    for word in words:
        assert word in page, (language, word)


def test_assistant_pages_in_nynorsk(app, client) -> None:
    add_staff(app, "ast-nn", "assistant", language="nn")
    login(client, "ast-nn")
    page = client.get("/staff/intake/").text
    assert "Skanna skjema" in page and "Til kontroll" in page and "Scanned forms" not in page
    assert "Skannede skjema" not in page


@pytest.mark.parametrize(
    "accept, language, word",
    [
        ("nn-NO,nn;q=0.9,en;q=0.5", "nn", "Brukarnamn"),
        ("nb-NO,nb;q=0.9", "nb", "Brukernavn"),
        ("no;q=0.9,en;q=0.8", "en", "User name"),  # "no" is not one of ours: the next one
        ("en-GB,en;q=0.9", "en", "User name"),
        ("de-DE,fr;q=0.8", "nb", "Brukernavn"),  # none of ours: bokmål
        ("", "nb", "Brukernavn"),
    ],
)
def test_the_login_page_follows_the_browser(client, accept: str, language: str, word) -> None:
    page = client.get("/staff/login", headers={"Accept-Language": accept}).text
    assert f'<html lang="{language}"' in page and word in page


def test_a_user_changes_their_language_on_the_language_page(app, client) -> None:
    add_staff(app, "ast", "assistant")
    login(client, "ast", language="en")
    assert "Scanned forms" in client.get("/staff/intake/").text  # the browser's
    form = client.get("/staff/language")
    assert form.status_code == 200 and "<html" in form.text
    refused = client.post("/staff/language", data={"language": "nn"})
    assert refused.status_code == 400, "no CSRF token, no change"
    assert "Scanned forms" in client.get("/staff/intake/").text
    saved = client.post(
        "/staff/language",
        data={"language": "nn", "csrf_token": csrf(form.text)},
        follow_redirects=True,
    )
    assert "Lagra. Sidene for tilsette er no på dette språket." in saved.text, saved.text
    assert "Skanna skjema" in client.get("/staff/intake/").text
    bad = client.post("/staff/language", data={"language": "sv", "csrf_token": csrf(saved.text)})
    assert bad.status_code == 200 and "Skanna skjema" in client.get("/staff/intake/").text
    back = client.post(
        "/staff/language",
        data={"language": "", "csrf_token": csrf(saved.text)},
        follow_redirects=True,
    )
    assert "Saved. The staff pages are now in this language." in back.text  # the browser's


def test_users_add_takes_a_language(data_dir, db_url) -> None:
    from intake.db import open_database, read_scope
    from webapp import staff
    from webapp.cli import cli
    from webapp.settings import Settings

    args = ["--data", str(data_dir), "--db", db_url, "users", "add", "kari", "--role", "dpo"]
    runner = CliRunner()
    added = runner.invoke(cli, [*args, "--language", "nn", "--password-stdin"], PASSWORD + "\n")
    assert added.exit_code == 0, added.output
    wrong = runner.invoke(cli, [*args, "--language", "sv", "--password-stdin"], PASSWORD + "\n")
    assert wrong.exit_code != 0 and "unknown language 'sv'" in str(wrong.exception)
    engine = open_database(Settings(data_dir=data_dir, db_url=db_url))
    try:
        with read_scope(engine) as db:
            assert [(u.name, u.language) for u in staff.list_users(db)] == [("kari", "nn")]
    finally:
        engine.dispose()


def test_error_pages_of_staff_pages_follow_the_staff_language(app, client) -> None:
    add_staff(app, "dpo-nn", "dpo", language="nn")
    login(client, "dpo-nn")
    page = client.get("/staff/recruit/")  # not a DPO's page
    assert page.status_code == 403 and '<html lang="nn"' in page.text


# ---------------------------------------------------------------- (d) dates and numbers


def test_dates_and_numbers_are_written_the_norwegian_way(app) -> None:
    from webapp.i18n import staff_date, staff_datetime, staff_number

    moment = dt.datetime(2026, 12, 3, 13, 5, tzinfo=dt.UTC)  # 14:05 in Oslo (winter)
    summer = dt.datetime(2026, 6, 3, 12, 5, tzinfo=dt.UTC)  # 14:05 in Oslo (summer)
    shown = {}
    for language in ("nb", "nn", "en"):
        with app.test_request_context("/staff/login", headers={"Accept-Language": language}):
            shown[language] = (
                staff_datetime(moment),
                staff_datetime(summer),
                staff_date(moment.date()),
                staff_number(1234567),
                staff_number(1234.5),
            )
    assert shown["nb"] == (
        "3. des. 2026 14:05",
        "3. juni 2026 14:05",
        "3. des. 2026",
        "1\xa0234\xa0567",
        "1\xa0234,5",
    )
    assert shown["nn"][0] == "3. des. 2026 14:05" and shown["nn"][3] == "1\xa0234\xa0567"
    assert shown["en"] == (
        "Dec 3, 2026 14:05",
        "Jun 3, 2026 14:05",
        "Dec 3, 2026",
        "1,234,567",
        "1,234.5",
    )


def test_a_page_shows_its_dates_in_norwegian(app, client) -> None:
    """The users page: a locked account's time, in Oslo time and the Norwegian way."""
    from webapp.database import writing
    from webapp.models import StaffUser

    add_staff(app, "boss", "admin", language="nb")
    add_staff(app, "ola", "recruiter")
    with app.app_context(), writing() as db:
        from sqlalchemy import select

        user = db.scalar(select(StaffUser).where(StaffUser.name == "ola"))
        assert user is not None
        user.locked_until = dt.datetime(2099, 12, 3, 13, 5, tzinfo=dt.UTC)
    login(client, "boss")
    page = client.get("/staff/users").text
    assert "låst til 3. des. 2099 14:05" in page, page


# ---------------------------------------------------------------- (e) compiled catalogues


@pytest.mark.parametrize("language", ["nb", "nn", "en"])
def test_the_committed_mo_files_match_their_po_files(language: str) -> None:
    folder = TRANSLATIONS / language / "LC_MESSAGES"
    catalogue = _catalogue(language)
    compiled = io.BytesIO()
    write_mo(compiled, catalogue)
    with (folder / "messages.mo").open("rb") as mo:
        committed = read_mo(mo)
    fresh = read_mo(io.BytesIO(compiled.getvalue()))

    def pairs(cat) -> dict:
        def key(value):
            return value if isinstance(value, str) else tuple(value)

        return {key(m.id): key(m.string) for m in cat if m.id}

    assert pairs(committed) == pairs(fresh), (
        f"webapp/translations/{language}/LC_MESSAGES/messages.mo is out of date: "
        "run `make translations`"
    )


def test_the_package_ships_the_catalogues() -> None:
    import tomllib

    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    data = pyproject["tool"]["setuptools"]["package-data"]["webapp"]
    assert any(pattern.startswith("translations/") for pattern in data)


# ---------------------------------------------------------------- screenshots in bokmål

pages_in_bokmal = [
    ("recruiter", "/staff/recruit/", "80-nb-recruiter-home", "Deltakere"),
    ("admin", "/staff/users", "81-nb-users", "Brukere for ansatte"),
    ("assistant", "/staff/intake/exports", "82-nb-exports", "Last ned resultatene"),
]


@pytest.mark.browser
@pytest.mark.slow
def test_screenshots_of_staff_pages_in_bokmal(chromium, app) -> None:
    from sqlalchemy import update

    from tests.webapp.webhelpers import add_person
    from webapp.database import writing
    from webapp.models import StaffUser

    add_person(app)  # the study and one participant: the chart and a row to show
    for role, _url, _name, _word in pages_in_bokmal:
        add_staff(app, f"nb-{role}", role, language="nb")
    add_staff(app, "ola", "dpo")
    with app.app_context(), writing() as db:  # a locked account shows its time
        locked = dt.datetime(2099, 12, 3, 13, 5, tzinfo=dt.UTC)
        db.execute(update(StaffUser).where(StaffUser.name == "ola").values(locked_until=locked))
    with b.serve(app) as base:
        for role, url, name, word in pages_in_bokmal:
            # an English browser: the user's own bokmål wins
            context = chromium.new_context(locale="en-GB", java_script_enabled=False)
            page = _login(context, base, f"nb-{role}")
            page.goto(f"{base}{url}")
            assert page.locator("html").get_attribute("lang") == "nb"
            assert word in page.content()
            b.shot(page, name)
            context.close()

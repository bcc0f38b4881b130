"""Citizen pages in any study language: lang and dir per page, the switch in each language's
own name, the fixed words in the page's language (issue 15 points 2 and 3)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from forms.load import load_study
from tests.webapp.webhelpers import add_person, csrf

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "hverdagen-nb-ar-pl"


@pytest.fixture
def study():
    return load_study(EXAMPLE)


def _html_tag(text: str) -> str:
    match = re.search(r"<html[^>]*>", text)
    assert match, text[:200]
    return match.group()


def _switch(client, lang: str) -> None:
    page = client.get("/start")
    response = client.post(
        "/language", data={"csrf_token": csrf(page.text), "lang": lang, "next": "/start"}
    )
    assert response.status_code == 303


@pytest.mark.parametrize(
    ("lang", "direction", "words"),
    [
        ("ar", "rtl", ["أوافق على:", "أرسل موافقتي"]),
        ("pl", "ltr", ["Zgadzam się na:", "Wyślij zgodę"]),
        ("nb", "ltr", ["Jeg sier ja til:", "Send samtykket"]),
    ],
)
def test_a_person_sees_the_pages_in_their_language_and_direction(
    app, client, lang, direction, words
) -> None:
    person = add_person(app, code="P-AR01", language=lang)
    client.get(f"/r/{person.token}")
    for path in ("/start", "/consent", "/information", "/consents"):
        page = client.get(path, follow_redirects=True)
        assert page.status_code == 200, path
        assert _html_tag(page.text) == f'<html lang="{lang}" dir="{direction}">', path
    consent = client.get("/consent").text
    for word in words:
        assert word in consent
    # the study's own texts in that language too
    title = {"ar": "الموافقة", "pl": "Zgoda", "nb": "Samtykke"}[lang]
    assert f"<h1>{title}" in consent or f">{title}<" in consent


def test_the_switch_names_each_language_in_itself_with_its_lang_and_dir(app, client) -> None:
    person = add_person(app, code="P-AR02", language="nb")
    client.get(f"/r/{person.token}")
    page = client.get("/start").text
    buttons = re.findall(r'<button type="submit" lang="([^"]+)" dir="([^"]+)"[^>]*>([^<]+)<', page)
    assert buttons == [("nb", "ltr", "Bokmål"), ("ar", "rtl", "العربية"), ("pl", "ltr", "Polski")]


def test_switching_to_a_study_language_beyond_nb_nn_en(app, client) -> None:
    person = add_person(app, code="P-AR03", language="nb")
    client.get(f"/r/{person.token}")
    _switch(client, "ar")
    page = client.get("/consent").text
    assert _html_tag(page) == '<html lang="ar" dir="rtl">'
    assert "أرسل موافقتي" in page
    _switch(client, "pl")
    assert _html_tag(client.get("/consent").text) == '<html lang="pl" dir="ltr">'
    _switch(client, "en")  # not a language of this study: nothing changes
    assert _html_tag(client.get("/consent").text) == '<html lang="pl" dir="ltr">'


def test_an_answer_error_is_in_arabic(app, client) -> None:
    person = add_person(app, code="P-AR04", language="ar")
    client.get(f"/r/{person.token}")
    page = client.get("/consent")
    sent = client.post("/consent", data={"csrf_token": csrf(page.text)}, follow_redirects=True)
    assert "لكي تشارك، يجب أن توافق على: أن أجيب عن الأسئلة" in sent.text
    assert "يجب تصحيح شيء" in sent.text  # the error summary's heading


def test_the_error_pages_follow_the_session_language(app, client) -> None:
    person = add_person(app, code="P-AR05", language="nb")
    client.get(f"/r/{person.token}")
    _switch(client, "ar")
    missing = client.get("/no-such-page")
    assert missing.status_code == 404
    assert _html_tag(missing.text) == '<html lang="ar" dir="rtl">'
    assert "لم نجد هذه الصفحة" in missing.text


def test_the_example_studies_in_nb_nn_en_stay_left_to_right(client, person) -> None:
    client.get(f"/r/{person.token}")
    page = client.get("/start").text
    assert _html_tag(page) == '<html lang="nb" dir="ltr">'


def test_the_stylesheet_uses_logical_sides_only() -> None:
    css = (Path(__file__).resolve().parents[2] / "webapp" / "static" / "site.css").read_text()
    rules = re.sub(r"/\*.*?\*/", "", css, flags=re.S)
    physical = re.findall(
        r"(?:margin|padding|border)-(?:left|right)|(?<![-\w])(?:left|right)\s*:|"
        r"text-align:\s*(?:left|right)|float:\s*(?:left|right)",
        rules,
    )
    assert physical == []


def test_the_receipt_page_in_arabic_marks_its_bokmal_words(app, client) -> None:
    # the receipt's words are printing's (nb, nn, en) until right-to-left print is done
    person = add_person(app, code="P-AR06", language="ar")
    client.get(f"/r/{person.token}")
    page = client.get("/consent")
    client.post(
        "/consent",
        data={"csrf_token": csrf(page.text), "q_c_questionnaire": "y"},
        follow_redirects=True,
    )
    receipt = client.get("/receipt").text
    assert _html_tag(receipt) == '<html lang="ar" dir="rtl">'
    assert '<h1 lang="nb" dir="ltr">Kvittering for samtykket ditt</h1>' in receipt
    assert "<li>أن أجيب عن الأسئلة</li>" in receipt  # the study's own words, in Arabic


def _study_in(tmp_path: Path, code: str):
    """The example with its Polish texts declared as ``code``: a study in nb, ar and ``code``
    (the texts are not that language; the test is about Deltaker's own words)."""
    import shutil

    folder = tmp_path / f"study-{code}"
    shutil.copytree(EXAMPLE, folder)
    for path in folder.rglob("*.yaml"):
        text = path.read_text(encoding="utf-8")
        text = text.replace("languages: [nb, ar, pl]", f"languages: [nb, ar, {code}]")
        text = re.sub(r"(^\s*|[{,]\s*)pl:", rf"\g<1>{code}:", text, flags=re.M)
        path.write_text(text, encoding="utf-8")
    (folder / "letters" / "invitation.pl.md").rename(folder / "letters" / f"invitation.{code}.md")
    return load_study(folder)


@pytest.mark.parametrize(
    ("code", "send", "name"),
    [
        ("uk", "Надіслати згоду", "Українська"),
        ("so", "Dir oggolaanshahayga", "Soomaali"),
        ("ti", "ፍቓደይ ስደድ", "ትግርኛ"),
    ],
)
def test_the_other_web_languages_render_every_citizen_page(
    data_dir, db_url, tmp_path, code, send, name
) -> None:
    from webapp import create_app
    from webapp.database import EXTENSION

    app = create_app(
        {"DATA_DIR": str(data_dir), "DATABASE_URL": db_url, "STUDY": _study_in(tmp_path, code)}
    )
    try:
        client = app.test_client()
        person = add_person(app, code=f"P-{code.upper()}01", language=code)
        client.get(f"/r/{person.token}")
        for path in ("/start", "/consent", "/information", "/consents"):
            page = client.get(path)
            assert page.status_code == 200, path
            assert _html_tag(page.text) == f'<html lang="{code}" dir="ltr">', path
            assert f'lang="{code}" dir="ltr" aria-current="true">{name}<' in page.text
        assert send in client.get("/consent").text
    finally:
        app.extensions[EXTENSION]["engine"].dispose()


def test_the_code_page_offers_the_study_languages_before_anyone_is_known(client) -> None:
    page = client.get("/code").text
    assert re.findall(r'<button type="submit" lang="([^"]+)"', page) == ["nb", "ar", "pl"]
    response = client.post(
        "/language", data={"csrf_token": csrf(page), "lang": "ar", "next": "/code"}
    )
    assert response.status_code == 303
    page = client.get("/code").text
    assert _html_tag(page) == '<html lang="ar" dir="rtl">'
    assert "اكتب رمز الإجابة" in page


@pytest.mark.parametrize("lang", ["ar", "pl"])
def test_the_information_and_consent_pages_have_the_letter_words_in_the_page_language(
    app, client, lang
) -> None:
    # issue 15 point 3: the letter's fixed sentences in Arabic and Polish, none in nb or en
    from forms.phrases import PHRASES

    person = add_person(app, code=f"P-{lang.upper()}L1", language=lang)
    client.get(f"/r/{person.token}")
    information = client.get("/information").text
    consent = client.get("/consent").text
    note = PHRASES["letter_required_note"]
    assert f'<p class="hint">{note[lang]}</p>' in consent  # in the page's language, no lang=
    assert note["nb"] not in consent and note["en"] not in consent
    for key in ("letter_h_rights", "letter_voluntary", "letter_h_consent", "letter_greeting"):
        assert PHRASES[key][lang] in information, key
        assert PHRASES[key]["nb"] not in information and PHRASES[key]["en"] not in information
    assert "Datatilsynet" in information
    # the sentences are the page's language: no lang attribute of another language on them
    assert re.findall(r"<(?:h1|h2|p)[^>]* lang=", information + consent) == []
    assert f"<h2>{PHRASES['letter_h_rights'][lang]}</h2>" in information

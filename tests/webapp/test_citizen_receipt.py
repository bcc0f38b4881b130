"""The receipt: what a person says yes to now, apart from what they said no to or took back.

Walked through the app as a citizen does it: the consent page answered (yes to two
items, no to one), then one yes taken back. The consents page, the receipt page and
the receipt PDF must then all say the same three things, each in its own place.
"""

from __future__ import annotations

import re
from dataclasses import replace
from html import unescape

import pytest

from forms.model import ConsentItem, Item, ItemType
from tests.factories import make_consent_form, make_study, t
from tests.webapp.webhelpers import csrf

QUOTES = ConsentItem(
    "quotes",
    t(
        "Sitater fra deg i rapporten",
        "Sitat frå deg i rapporten",
        "Quotes from you in the report",
    ),
)

#: (yes, no, taken back) after the walk, and the headings that keep them apart
WORDS = {
    "nb": {
        "yes": "Å være med på intervju",
        "no": "Sitater fra deg i rapporten",
        "back": "Lydopptak av intervjuet",
        "no_heading": "Du har sagt nei til:",
        "back_heading": "Du har trukket tilbake:",
        "yes_heading": "Du har sagt ja til:",
        "print": "Velg «Skriv ut» i nettleseren.",
        "button": "Nynorsk",
    },
    "nn": {
        "yes": "Å vere med på intervju",
        "no": "Sitat frå deg i rapporten",
        "back": "Lydopptak av intervjuet",
        "no_heading": "Du har sagt nei til:",
        "back_heading": "Du har trekt tilbake:",
        "yes_heading": "Du har sagt ja til:",
        "print": "Vel «Skriv ut» i nettlesaren.",
    },
    "en": {
        "yes": "To take part in an interview",
        "no": "Quotes from you in the report",
        "back": "Audio recording of the interview",
        "no_heading": "You said no to:",
        "back_heading": "You took back your yes to:",
        "yes_heading": "You said yes to:",
        "print": "Choose «Print» in your browser.",
    },
}


def receipt_study():
    """The factory study with a third consent item, quotes, on its consent form."""
    base = make_study()
    form = make_consent_form()
    declaration = form.sections[0]
    quotes = Item(
        "c_quotes", ItemType.CONSENT, t("Sitater", "Sitat", "Quotes"), consent_item="quotes"
    )
    items = (*declaration.items[:3], quotes, *declaration.items[3:])
    form = replace(form, sections=(replace(declaration, items=items),))
    return replace(
        base,
        consent_items=(*base.consent_items, QUOTES),
        forms=(form, *base.forms[1:]),
    )


@pytest.fixture
def study():
    return receipt_study()


def answer_and_take_back(client, person) -> None:
    """Yes to the interview and the recording, no to quotes; then the recording taken back."""
    client.get(f"/r/{person.token}")
    page = client.get("/consent").text
    sent = client.post(
        "/consent",
        data={"q_c_interview": "yes", "q_c_audio": "yes", "csrf_token": csrf(page)},
    )
    assert sent.status_code == 303, sent.text
    page = client.get("/consents").text
    confirm = client.post("/withdraw/audio", data={"csrf_token": csrf(page)})
    done = client.post("/withdraw/audio/confirm", data={"csrf_token": csrf(confirm.text)})
    assert done.status_code == 200


def choose(client, language: str, back: str) -> None:
    if language == "nb":
        return
    page = client.get(back).text
    client.post("/language", data={"lang": language, "next": back, "csrf_token": csrf(page)})


def visible(html: str) -> str:
    """The page's words in one line each space apart, as a person reads them."""
    main = html.split('<main id="main"', 1)[1].split(">", 1)[1].split("</main>", 1)[0]
    main = main.split('<div class="no-print">', 1)[0]
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", main))).strip()


def between(words: str, start: str, end: str | None) -> str:
    assert start in words, (start, words)
    rest = words.split(start, 1)[1] if start else words
    return rest.split(end, 1)[0] if end and end in rest else rest


def pdf_words(data: bytes) -> str:
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(data)
    try:
        text = " ".join(pdf[i].get_textpage().get_text_range() for i in range(len(pdf)))
    finally:
        pdf.close()
    return re.sub(r"\s+", " ", text).strip()


@pytest.mark.parametrize("language", ["nb", "nn", "en"])
def test_the_consents_page_lists_only_the_yes_and_the_rest_apart(client, person, language):
    w = WORDS[language]
    answer_and_take_back(client, person)
    choose(client, language, "/consents")
    html = client.get("/consents").text
    words = visible(html)
    said_yes = between(words, "", w["no_heading"])
    assert w["yes"] in said_yes
    assert w["no"] not in said_yes and w["back"] not in said_yes
    assert html.count('action="/withdraw/') == 1  # only a yes can be taken back
    assert 'action="/withdraw/interview"' in html
    assert between(words, w["no_heading"], w["back_heading"]).strip() == w["no"]
    assert w["back"] in between(words, w["back_heading"], None)
    assert w["yes"] not in between(words, w["no_heading"], None)
    # the page leads to the receipt to read and to the PDF
    assert 'href="/receipt"' in html and 'href="/receipt.pdf"' in html


@pytest.mark.parametrize("language", ["nb", "nn", "en"])
def test_the_receipt_page_and_the_pdf_say_the_same(client, person, study, language):
    w = WORDS[language]
    answer_and_take_back(client, person)
    choose(client, language, "/receipt")
    response = client.get("/receipt")
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("text/html")
    html = response.text
    words = visible(html)
    said_yes = between(words, w["yes_heading"], w["no_heading"])
    assert said_yes.strip() == w["yes"]
    assert between(words, w["no_heading"], w["back_heading"]).strip() == w["no"]
    assert w["back"] in between(words, w["back_heading"], None)
    # the code, not a name; the text version agreed to; when; how to withdraw
    assert person.code in words and "Kari Nordmann" in words
    from webapp.portal import text_version

    version = text_version(study.forms[0])
    assert version in words
    assert re.search(r"\b20\d\d\b", words)  # the date in words, with the year
    assert "svarslippen" in words or "reply slip" in words
    assert "deltaker.example.no" in words
    # printing needs no script: a hint, and the PDF stays a download beside it
    assert "<script" not in html
    assert w["print"] in html and 'href="/receipt.pdf"' in html
    # the PDF is drawn from the same parts: every line of the page is in it
    pdf = pdf_words(client.get("/receipt.pdf").data)
    for block in re.findall(r"<(?:h1|h2|p|li)>(.*?)</(?:h1|h2|p|li)>", html.split("no-print")[0]):
        line = re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", "", block))).strip()
        assert line in pdf, line
    assert version in pdf and person.code in pdf


def test_thanks_and_withdrawn_pages_lead_to_the_receipt_page(client, person) -> None:
    client.get(f"/r/{person.token}")
    page = client.get("/consent").text
    client.post("/consent", data={"q_c_interview": "yes", "csrf_token": csrf(page)})
    thanks = client.get("/thanks").text
    assert 'href="/receipt"' in thanks and "Se kvitteringen" in thanks
    assert 'href="/receipt.pdf"' in thanks


def test_the_receipt_page_needs_an_open_visit(client, person) -> None:
    assert "Tiden gikk ut" in client.get("/receipt").text

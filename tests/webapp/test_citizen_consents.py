"""Coming back: current consents, withdrawing one item after one confirmation."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.webapp.webhelpers import csrf
from webapp.database import reading, writing


def _grant(app, person, item: str) -> None:
    """A web grant in the real ledger (what consent's hand_over records for a web consent)."""
    from consent.events import Action, Channel
    from consent.ledger import record

    with app.app_context(), writing() as db:
        record(
            db,
            study=app.config["STUDY"],
            participant=person.code,
            item=item,
            action=Action.GRANT,
            channel=Channel.WEB,
            text_version="abcd1234",
            evidence={"submission_id": f"s-{item}"},
            actor="participant",
            occurred_at=dt.datetime.now(dt.UTC),
        )


def _events(app, person):
    from consent.ledger import events_of

    with app.app_context(), reading() as db:
        return [(e.item, str(e.action), str(e.channel)) for e in events_of(db, person.code)]


@pytest.fixture
def granted(app, person):
    _grant(app, person, "interview")
    _grant(app, person, "audio")
    return person


def test_coming_back_shows_current_consents(client, granted) -> None:
    response = client.get(f"/r/{granted.token}")
    assert response.headers["Location"] == "/start"
    assert client.get("/start").headers["Location"] == "/consents"
    page = client.get("/consents").text
    assert page.count("Trekk samtykket") == 2
    assert "Å være med på intervju" in page and "Lydopptak av intervjuet" in page


def test_withdrawing_asks_once_then_records_one_event(app, client, granted) -> None:
    client.get(f"/r/{granted.token}")
    page = client.get("/consents").text
    confirm = client.post("/withdraw/audio", data={"csrf_token": csrf(page)})
    assert confirm.status_code == 200
    assert "Er du sikker?" in confirm.text
    assert len(_events(app, granted)) == 2  # asking changed nothing
    done = client.post("/withdraw/audio/confirm", data={"csrf_token": csrf(confirm.text)})
    assert done.status_code == 200
    assert "Samtykket er trukket for: Lydopptak av intervjuet." in done.text
    assert 'href="/receipt.pdf"' in done.text
    assert _events(app, granted)[-1] == ("audio", "withdraw", "web")
    page = client.get("/consents").text
    assert page.count("Trekk samtykket") == 1 and "Du har trukket tilbake:" in page
    # confirming again (a reload) records nothing more
    client.post("/withdraw/audio/confirm", data={"csrf_token": csrf(page)})
    assert len(_events(app, granted)) == 3


def test_withdraw_needs_post_and_a_csrf_token(app, client, granted) -> None:
    client.get(f"/r/{granted.token}")
    assert client.get("/withdraw/audio").status_code == 405
    assert client.get("/withdraw/audio/confirm").status_code == 405
    response = client.post("/withdraw/audio/confirm", data={"csrf_token": "forged"})
    assert "Det du skrev, er ikke borte" in response.text  # asked to press again
    assert len(_events(app, granted)) == 2


@pytest.mark.parametrize("item", ["nope", "interview'--", "x" * 200])
def test_withdrawing_an_unknown_item_is_a_plain_404(app, client, granted, item) -> None:
    client.get(f"/r/{granted.token}")
    page = client.get("/consents").text
    response = client.post(f"/withdraw/{item}/confirm", data={"csrf_token": csrf(page)})
    assert response.status_code == 404
    assert len(_events(app, granted)) == 2


def test_without_a_session_nothing_can_be_withdrawn(app, client, granted) -> None:
    page = client.get("/code").text
    response = client.post("/withdraw/audio/confirm", data={"csrf_token": csrf(page)})
    assert "Tiden gikk ut" in response.text
    assert len(_events(app, granted)) == 2


def _pdf_text(data: bytes) -> str:
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(data)
    try:
        return "\n".join(pdf[i].get_textpage().get_text_range() for i in range(len(pdf)))
    finally:
        pdf.close()


def test_receipt_names_what_was_agreed_and_the_text_version(app, client, granted) -> None:
    client.get(f"/r/{granted.token}")
    response = client.get("/receipt.pdf")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/pdf"
    text = _pdf_text(response.data)
    assert "abcd1234" in text and granted.code in text
    assert "Å være med på intervju" in text


@pytest.mark.parametrize(
    "language, expected",
    [
        ("nb", "22. november 2026 kl. 03:32"),
        ("en", "22 November 2026 at 03:32"),
        ("nn", "1. juli 2026 kl. 14:05"),
    ],
)
def test_receipt_times_are_norwegian_time_in_words(language, expected) -> None:
    from webapp.portal import citizen_time

    stamp = "2026-07-01T12:05:00Z" if language == "nn" else "2026-11-22T02:32:59.797640Z"
    assert citizen_time(stamp, language) == expected

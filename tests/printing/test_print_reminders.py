"""The reminder letter: the study's own text, one page, and a clear message when it is missing."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from forms.load import load_study
from printing.letters import Addressee, Credentials, PackError
from printing.reminders import ReminderPrinter
from printing.render import new_canvas
from tests.factories import make_study
from tests.webapp.pipeline import pdf_text, qr_links

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "u-sving"
PERSON = Addressee("P-7K3M", "Kari Nordmann", ("Storgata 1", "5003 Bergen"), "nb")
CREDS = Credentials("A" * 22, "7K3M-QX2P")


@pytest.mark.parametrize("language", ["nb", "nn", "en"])
def test_the_example_reminder_is_one_page_with_the_answer_link_and_code(language):
    printer = ReminderPrinter(load_study(EXAMPLE), language)
    buffer = io.BytesIO()
    canvas = new_canvas(buffer, title="reminder")
    assert printer.draw(canvas, PERSON, CREDS) == 1
    canvas.save()
    pdf = buffer.getvalue()
    assert qr_links(pdf) == ["https://deltaker.example.no/r/" + "A" * 22]
    text = pdf_text(pdf)
    assert "7K3M-QX2P" in text and "Kari Nordmann" in text
    assert len(printer.version) == 8


def test_a_study_without_a_reminder_letter_gets_one_clear_message():
    with pytest.raises(PackError, match=r"add letters/reminder\.<language>\.md"):
        ReminderPrinter(make_study(), "nb")

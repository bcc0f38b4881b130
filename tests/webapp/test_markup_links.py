"""Phone numbers and e-mail addresses in citizens' texts are tap-to-call and tap-to-write links."""

from __future__ import annotations

import pytest

from webapp.markup import contact_links, letter_html


@pytest.mark.parametrize(
    ("text", "link"),
    [
        ("Ring 73 98 40 40.", '<a href="tel:+4773984040">73 98 40 40</a>'),
        ("Tlf. +47 22 33 44 55", '<a href="tel:+4722334455">+47 22 33 44 55</a>'),
        ("mobil 91234567", '<a href="tel:+4791234567">91234567</a>'),
        ("Skriv til ola@nav.no.", '<a href="mailto:ola@nav.no">ola@nav.no</a>'),
        ("a.b+c@hiof.no", '<a href="mailto:a.b+c@hiof.no">a.b+c@hiof.no</a>'),
    ],
)
def test_numbers_and_addresses_become_links(text, link):
    assert link in contact_links(text)


@pytest.mark.parametrize(
    "text",
    [
        "org.nr. 974 760 673",
        "konto 1234 56 78903",
        "Dato 31.12.2025, postnummer 0150",
        "1234567",
        "<script>alert(1)</script> 22 33 44 55",
    ],
)
def test_other_numbers_and_markup_are_left_alone(text):
    html = str(contact_links(text))
    assert "<script>" not in html
    if "22 33 44 55" in text:
        assert html.count("<a ") == 1
    else:
        assert "<a " not in html


def test_letters_link_them_too():
    html = str(letter_html("**Ring** 22 33 44 55\n\nhei@x.no"))
    assert '<a href="tel:+4722334455">22 33 44 55</a>' in html
    assert '<a href="mailto:hei@x.no">hei@x.no</a>' in html

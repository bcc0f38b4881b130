"""Citizen pages on an old phone, in a real headless Chromium: where focus goes after an error.

A screen-reader or keyboard user must hear what is wrong after a failed send,
without JavaScript: the error summary takes the focus by itself (``autofocus``).
"""

from __future__ import annotations

import re

import pytest

from tests.webapp import browser as b

pytestmark = [pytest.mark.browser, pytest.mark.slow]

#: an old phone's screen, in CSS pixels
PHONE = {"width": 360, "height": 640}


@pytest.fixture
def site(app, person):
    """The test study served on a real port, with one invited person."""
    with b.serve(app) as base:
        yield base, person


def _focused_class(page) -> str:
    return page.evaluate("document.activeElement ? document.activeElement.className : ''")


def test_a_wrong_code_moves_focus_to_the_error_summary(chromium, site) -> None:
    base, _person = site
    context = chromium.new_context(viewport=PHONE, java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{base}/code")
    page.locator("#code").fill("AAAA-BBBB")
    with page.expect_navigation():
        page.locator("button[type=submit]").last.click()
    assert page.locator(".error-summary").count() == 1
    b.shot(page, "20-citizen-code-error-focus")
    assert "error-summary" in _focused_class(page)
    context.close()


def test_a_failed_send_of_the_questions_moves_focus_to_the_error_summary(chromium, site) -> None:
    base, person = site
    context = chromium.new_context(viewport=PHONE, java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{base}/r/{person.token}")
    page.goto(f"{base}/consent")
    page.locator("input[type=checkbox]").first.check()
    with page.expect_navigation():
        page.get_by_role("button", name="Send samtykket").click()
    assert "/questions/" in page.url
    # send the first page empty: its required questions are not answered
    with page.expect_navigation():
        page.get_by_role("button", name=re.compile("Neste|Send svarene")).click()
    if not page.locator(".error-summary").count():
        pytest.skip("the example's first page has no required question")
    b.shot(page, "21-citizen-questions-error-focus")
    assert "error-summary" in _focused_class(page)
    context.close()


def test_phone_numbers_and_e_mail_addresses_are_links(chromium, site) -> None:
    base, person = site
    context = chromium.new_context(viewport=PHONE)
    page = context.new_page()
    page.goto(f"{base}/r/{person.token}")
    page.goto(f"{base}/information")
    b.shot(page, "22-citizen-information-links")
    phones = page.locator("a[href^='tel:']")
    mails = page.locator("a[href^='mailto:']")
    assert phones.count() >= 1 and mails.count() >= 1
    # Sikt's number, dialled with the country code whatever way it is written
    assert page.locator("a[href='tel:+4773984040']").count() >= 1
    assert page.locator("a[href='mailto:personverntjenester@sikt.no']").count() >= 1
    context.close()


#: the header and the language switch may take at most this share of the first screen
HEADER_SHARE_MAX = 1 / 5


@pytest.mark.parametrize("lang", ["nb", "nn", "en"])
def test_the_header_and_language_switch_take_at_most_a_fifth_of_the_screen(
    chromium, site, lang
) -> None:
    base, person = site
    context = chromium.new_context(viewport=PHONE)
    page = context.new_page()
    page.goto(f"{base}/r/{person.token}")
    if lang != "nb":
        name = {"nn": "Nynorsk", "en": "English"}[lang]
        with page.expect_navigation():
            page.get_by_role("button", name=name).click()
    for path in ("/start", "/consent", "/code"):
        page.goto(base + path)
        box = page.locator("nav.lang-switch").bounding_box()
        assert box is not None
        b.shot(page, f"23-citizen-header-{lang}{path.replace('/', '-')}")
        bottom = box["y"] + box["height"]
        assert bottom <= PHONE["height"] * HEADER_SHARE_MAX, f"{path}: {bottom:.0f} px"
    context.close()

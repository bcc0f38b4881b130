"""The receipt page on an old phone (360 px), in a real headless Chromium, with axe-core.

The person says yes to two things and no to one, then takes one yes back. The
receipt page must list the one yes, and apart from it the no and the taken-back
item; it must be readable at 360 px and print without the header and the
language switch. Screenshots go to test-artifacts/webapp/.
"""

from __future__ import annotations

import re

import pytest

from tests.webapp import browser as b
from tests.webapp.test_citizen_receipt import WORDS, receipt_study

pytestmark = [pytest.mark.browser, pytest.mark.slow]

PHONE = {"width": 360, "height": 640}
LANGUAGE_BUTTONS = {"nb": "Bokmål", "nn": "Nynorsk", "en": "English"}


@pytest.fixture
def study():
    return receipt_study()


@pytest.fixture(scope="module")
def axe() -> str:
    return b.axe_source()


def go(page, locator) -> None:
    with page.expect_navigation():
        locator.click()


def _answer_and_take_back(page, base: str, token: str) -> None:
    page.goto(f"{base}/r/{token}")
    page.goto(f"{base}/consent")
    page.locator("input[name=q_c_interview]").check()
    page.locator("input[name=q_c_audio]").check()
    go(page, page.get_by_role("button", name="Send samtykket"))
    page.goto(f"{base}/consents")
    go(page, page.get_by_role("button", name=re.compile("Trekk samtykket.*Lydopptak")))
    go(page, page.get_by_role("button", name="Ja, trekk samtykket"))
    assert "Samtykket er trukket" in page.content()


def _list_under(page, heading: str) -> list[str]:
    """The items of the list that follows ``heading`` on the page."""
    items = page.locator(f"h2:text-is('{heading}') + ul > li")
    return [items.nth(i).inner_text().strip() for i in range(items.count())]


def test_the_receipt_page_at_360_px_in_three_languages(chromium, app, person, axe) -> None:
    problems: list[str] = []
    with b.serve(app) as base:
        context = chromium.new_context(viewport=PHONE, bypass_csp=True)
        page = context.new_page()
        _answer_and_take_back(page, base, person.token)
        go(page, page.get_by_role("link", name="Se kvitteringen"))
        assert page.url.endswith("/receipt")
        for lang in ("nb", "nn", "en"):
            w = WORDS[lang]
            if page.locator("html").get_attribute("lang") != lang:
                go(page, page.get_by_role("button", name=LANGUAGE_BUTTONS[lang]))
            assert page.locator("html").get_attribute("lang") == lang
            assert _list_under(page, w["yes_heading"]) == [w["yes"]]
            assert _list_under(page, w["no_heading"]) == [w["no"]]
            assert _list_under(page, w["back_heading"]) == [w["back"]]
            assert person.code in page.inner_text("main")
            name = f"60-citizen-receipt-{lang}"
            b.shot(page, name)
            problems += [f"{name}: {v}" for v in b.check_axe(page, axe, name)]
            if not b.no_sideways_scroll(page):
                problems.append(f"{name}: scrolls sideways at {PHONE['width']} px")
            # nothing on the page is cut off or laid over its neighbour at 360 px
            too_wide = page.evaluate(
                """() => [...document.querySelectorAll('main *')]
                    .filter(e => e.getBoundingClientRect().right > window.innerWidth + 1)
                    .map(e => e.tagName + ' ' + e.textContent.slice(0, 40))"""
            )
            problems += [f"{name}: wider than the screen: {e}" for e in too_wide]
            # printed: the receipt only, without the header, language switch and links
            page.emulate_media(media="print")
            assert not page.locator("nav.lang-switch").is_visible()
            assert not page.locator("header.site").is_visible()
            assert not page.get_by_role("link", name=re.compile("PDF")).is_visible()
            assert page.locator("h1").is_visible()
            b.shot(page, f"61-citizen-receipt-print-{lang}")
            page.emulate_media(media="screen")
        context.close()
    assert problems == []

"""The citizen walk in Arabic and Polish on an old phone, in a real headless Chromium, with axe.

Arabic is right to left: every page says ``dir="rtl"``, the layout mirrors (the
tick boxes and the text start on the right), nothing scrolls sideways at 360 px,
also with text at 200 %, and axe-core finds nothing serious. Polish runs the
same walk left to right. Screenshots go to test-artifacts/webapp/ (7x-...).
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest

from tests.webapp import browser as b
from tests.webapp.test_citizen_languages import EXAMPLE
from tests.webapp.webhelpers import add_person

pytestmark = [pytest.mark.browser, pytest.mark.slow]

PHONE = {"width": 360, "height": 640}
BIG_TEXT = "html { font-size: 225% !important; }"  # 200 % of the page's own 112.5 %

#: what the walk clicks and expects, per language
WORDS = {
    "ar": {
        "send_consent": "أرسل موافقتي",
        "next": re.compile("التالي|أرسل إجاباتي"),
        "thanks": "شكرًا!",
        "mine": "هذا ما وافقت عليه",
        "yes_item": "أن أجيب عن الأسئلة",
        "withdraw": "اسحب الموافقة",
        "withdraw_yes": "نعم، اسحب موافقتي",
        "withdrawn": "سحبت موافقتك على: أن أجيب عن الأسئلة.",
    },
    "pl": {
        "send_consent": "Wyślij zgodę",
        "next": re.compile("Dalej|Wyślij odpowiedzi"),
        "thanks": "Dziękujemy!",
        "mine": "Na to się zgadzasz",
        "yes_item": "Na odpowiedzi na pytania",
        "withdraw": "Wycofaj zgodę",
        "withdraw_yes": "Tak, wycofaj moją zgodę",
        "withdrawn": "Twoja zgoda jest wycofana: Na odpowiedzi na pytania.",
    },
}


@pytest.fixture
def study():
    from forms.load import load_study

    return load_study(EXAMPLE)


@pytest.fixture(scope="module")
def axe() -> str:
    return b.axe_source()


def go(page, locator) -> None:
    with page.expect_navigation():
        locator.click()


def _look(page, axe: str, name: str, lang: str, problems: list[str]) -> None:
    """One page: its language and direction, a screenshot, axe, no sideways scrolling."""
    html = page.locator("html")
    direction = "rtl" if lang == "ar" else "ltr"
    if html.get_attribute("lang") != lang or html.get_attribute("dir") != direction:
        problems.append(
            f"{name}: html lang={html.get_attribute('lang')} dir={html.get_attribute('dir')}"
        )
    b.shot(page, name)
    problems += [f"{name}: {v}" for v in b.check_axe(page, axe, name)]
    if not b.no_sideways_scroll(page):
        problems.append(f"{name}: scrolls sideways at {page.viewport_size['width']} px")
    too_wide = page.evaluate(
        """() => [...document.querySelectorAll('main *')]
            .filter(e => { const r = e.getBoundingClientRect();
                           return r.right > window.innerWidth + 1 || r.left < -1; })
            .map(e => e.tagName + ' ' + e.textContent.slice(0, 40))"""
    )
    problems += [f"{name}: outside the screen: {e}" for e in too_wide]


def _boxes_on_the_start_side(page, lang: str) -> list[str]:
    """Each option's box where the line starts: on the right in Arabic, on the left in Polish."""
    rows = page.evaluate(
        """() => [...document.querySelectorAll('ul.options li')].map(li => {
            const box = li.querySelector('input').getBoundingClientRect();
            const label = li.querySelector('label').getBoundingClientRect();
            return [li.textContent.trim().slice(0, 30), box.left, box.right,
                    label.left, label.right];
        })"""
    )
    assert rows, "no options on the page"
    wrong = []
    for text, box_left, box_right, label_left, label_right in rows:
        if lang == "ar" and not box_left >= label_right - 1:
            wrong.append(f"{text}: the box is not to the right of its words")
        if lang != "ar" and not box_right <= label_left + 1:
            wrong.append(f"{text}: the box is not to the left of its words")
    return wrong


def _text_starts_on_the_right(page) -> bool:
    """The first heading's text hugs the right edge of main (Arabic: text-align start)."""
    return page.evaluate(
        """() => { const h = document.querySelector('main h1');
                   const range = document.createRange(); range.selectNodeContents(h);
                   const text = range.getBoundingClientRect();
                   const main = h.getBoundingClientRect();
                   return Math.abs(main.right - text.right) < 2 && text.left > main.left + 1; }"""
    )


@pytest.mark.parametrize("lang", ["ar", "pl"])
def test_the_citizen_walk_at_360_px(chromium, app, axe, lang) -> None:
    words = WORDS[lang]
    person = add_person(app, code=f"P-{lang.upper()}01", language=lang)
    problems: list[str] = []
    with b.serve(app) as base:
        context = chromium.new_context(viewport=PHONE, bypass_csp=True)
        page = context.new_page()
        page.goto(f"{base}/r/{person.token}")
        assert urlsplit(page.url).path == "/start"
        _look(page, axe, f"70-{lang}-letter", lang, problems)
        if lang == "ar":
            assert _text_starts_on_the_right(page)
        page.goto(f"{base}/information")
        _look(page, axe, f"71-{lang}-information", lang, problems)
        # phone numbers and e-mail addresses read left to right on a right-to-left page too
        directions = page.evaluate(
            """() => [...document.querySelectorAll('a[href^="tel:"], a[href^="mailto:"]')]
                .map(a => getComputedStyle(a).direction + ' ' + getComputedStyle(a).unicodeBidi)"""
        )
        assert directions and set(directions) == {"ltr isolate"}
        page.goto(f"{base}/consent")
        _look(page, axe, f"72-{lang}-consent", lang, problems)
        problems += _boxes_on_the_start_side(page, lang)
        page.add_style_tag(content=BIG_TEXT)  # 200 % text: still fits, still mirrors
        _look(page, axe, f"72-{lang}-consent-200pct", lang, problems)
        problems += _boxes_on_the_start_side(page, lang)
        # send without the required yes: the error summary in the page's language
        go(page, page.get_by_role("button", name=words["send_consent"]))
        _look(page, axe, f"73-{lang}-consent-error", lang, problems)
        page.get_by_label(words["yes_item"]).check()
        go(page, page.get_by_role("button", name=words["send_consent"]))
        step = 0
        while "/questions/" in page.url:
            step += 1
            _look(page, axe, f"74-{lang}-questions-{step}", lang, problems)
            problems += _boxes_on_the_start_side(page, lang)
            for group in page.locator("fieldset").all():
                radios = group.locator("input[type=radio]")
                if radios.count():
                    radios.first.check()
            go(page, page.get_by_role("button", name=words["next"]))
            assert step < 10
        assert urlsplit(page.url).path == "/thanks"
        assert words["thanks"] in page.content()
        _look(page, axe, f"75-{lang}-thanks", lang, problems)
        # with 200 % text the consents page still fits and mirrors
        page.goto(f"{base}/consents")
        page.add_style_tag(content=BIG_TEXT)
        assert words["mine"] in page.content()
        _look(page, axe, f"76-{lang}-consents-200pct", lang, problems)
        # taking a yes back is as easy, in the same language
        page.goto(f"{base}/consents")
        go(page, page.get_by_role("button", name=re.compile(words["withdraw"])))
        _look(page, axe, f"78-{lang}-withdraw-confirm", lang, problems)
        go(page, page.get_by_role("button", name=words["withdraw_yes"]))
        assert words["withdrawn"] in page.content()
        _look(page, axe, f"79-{lang}-withdrawn", lang, problems)
        context.close()
    assert problems == []


def test_a_phone_number_in_arabic_text_keeps_its_digit_order(chromium) -> None:
    """Without isolation the bidi algorithm would show "+47 22 33 44 55" as "55 44 33 22 +47"."""
    css = (EXAMPLE.parents[1] / "webapp" / "static" / "site.css").read_text(encoding="utf-8")
    context = chromium.new_context(viewport=PHONE)
    page = context.new_page()
    page.set_content(
        '<html lang="ar" dir="rtl"><body><p id="with">اتصل بنا على '
        '<a href="tel:+4722334455">+47 22 33 44 55</a> اليوم.</p>'
        '<p id="bare">اتصل بنا على <span>+47 22 33 44 55</span> اليوم.</p></body></html>'
    )
    page.add_style_tag(content=css)
    order = """sel => { const node = document.querySelector(sel).firstChild;
        const at = (s) => { const r = document.createRange(); const i = node.data.indexOf(s);
                            r.setStart(node, i); r.setEnd(node, i + s.length);
                            return r.getBoundingClientRect().left; };
        return at('+47') < at('55'); }"""
    assert page.evaluate(order, "#with a")  # +47 on the left, as it is dialled
    assert not page.evaluate(order, "#bare span")  # what the rule prevents
    context.close()

"""The assistant's and the DPO's work pages in a real browser: the inline save, screenshots.

Screenshots go to test-artifacts/webapp/ (staff-scan-results, staff-review-by-question,
staff-ledger-filtered, and the same three in bokmål as staff-nb-...): look at them after a
change to these pages. The checks of wording ask for English (the browser's language).
"""

from __future__ import annotations

import pytest

from tests.webapp import browser as b
from tests.webapp.pipeline import example_app
from tests.webapp.test_browser import _login, go
from tests.webapp.test_staff_work_pages import (
    _open_tasks,
    _resolve_everything,
    scan_returned_forms,
)
from tests.webapp.webhelpers import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.fixture(scope="module")
def axe() -> str:
    return b.axe_source()


@pytest.fixture
def site(data_dir, db_url, tmp_path):
    with example_app(data_dir, db_url) as app, b.serve(app) as base:
        scanned = scan_returned_forms(app, data_dir, db_url, tmp_path)
        yield app, base, scanned


def _nb_login(context, base: str, name: str):
    """Log in on the bokmål login page (its labels are Norwegian: the fields by name)."""
    page = context.new_page()
    page.goto(f"{base}/staff/login")
    page.locator("input[name=name]").fill(name)
    page.locator("input[name=password]").fill(PASSWORD)
    go(page, page.locator("form button[type=submit]").first)
    return page


def test_answers_are_saved_in_place_and_the_pages_read_plainly(chromium, site, axe) -> None:
    app, base, scanned = site
    problems: list[str] = []

    def look(page, name: str) -> None:
        b.shot(page, name)
        problems.extend(f"{name}: {v}" for v in b.check_axe(page, axe, name))

    # first in bokmål, as a Norwegian browser asks for the pages, before anything is saved
    for role, path, name, word in (
        ("assistant", scanned.job_url.removeprefix("http://localhost"), "scan-results", "sider"),
        ("assistant", "/staff/intake/review/question?form=consent&item=name", "review", "Lagre"),
        ("dpo", "/staff/audit/?state=in+review&item=interview", "ledger-filtered", "rader"),
    ):
        context = chromium.new_context(viewport={"width": 1280, "height": 900}, locale="nb-NO")
        page = _nb_login(context, base, role)
        page.goto(base + path)
        assert page.locator("html").get_attribute("lang") == "nb"
        assert word in page.locator("main").inner_text(), name
        look(page, f"staff-nb-{name}")
        context.close()

    context = chromium.new_context(viewport={"width": 1280, "height": 900})
    page = _login(context, base, "assistant")
    page.goto(base + scanned.job_url.removeprefix("http://localhost"))
    assert "2 pages: 0 read, 2 to check, 0 unknown" in page.locator("#scan-summary").inner_text()
    look(page, "staff-scan-results")

    page.goto(f"{base}/staff/intake/review/question?form=consent&item=name")
    look(page, "staff-review-by-question")
    page.evaluate("window.notReloaded = true")
    cards = page.locator("form[data-inline-save]")
    assert cards.count() == 2
    first = cards.first
    first.locator("input[type=text]").fill("KARI NORDMANN")
    first.locator("input[type=text]").press("Enter")
    page.wait_for_selector("form[data-inline-save].saved", timeout=10_000)
    # saved by the script: the same page (no reload), the card says so, focus moved on
    assert page.evaluate("window.notReloaded") is True
    assert first.locator(".saved-note").inner_text() == "Saved."
    assert page.evaluate("document.activeElement.id") == cards.nth(1).locator(
        "input[type=text]"
    ).get_attribute("id")
    assert len(_open_tasks(app, "name")) == 1
    assert page.locator("#open-count").inner_text() == "1 answer to see to"
    look(page, "staff-review-by-question-saved")

    # a wrong date: the message beside the box, nothing stored, still no reload
    page.goto(f"{base}/staff/intake/review/question?form=consent&item=signed_on")
    page.evaluate("window.notReloaded = true")
    date_card = page.locator("form[data-inline-save]").first
    date_card.locator("input[type=text]").fill("Per Hansen")
    date_card.locator("button[type=submit]").click()
    message = date_card.locator(".error-message")
    message.wait_for(state="visible", timeout=10_000)
    assert "Write a date" in message.inner_text()
    assert page.evaluate("window.notReloaded") is True
    assert len(_open_tasks(app, "signed_on")) == 2
    context.close()

    # without JavaScript the same form posts and comes back to the same question
    context = chromium.new_context(java_script_enabled=False)
    page = _login(context, base, "assistant")
    page.goto(f"{base}/staff/intake/review/question?form=consent&item=name")
    card = page.locator("form[data-inline-save]").first
    card.locator("input[type=text]").fill("PER HANSEN")
    go(page, card.locator("button[type=submit]"))
    assert page.url.endswith("/staff/intake/review/question?form=consent&item=name")
    assert "Nothing left for this question." in page.content()
    context.close()

    context = chromium.new_context(viewport={"width": 1280, "height": 900})
    dpo = _login(context, base, "dpo")
    dpo.goto(f"{base}/staff/audit/?state=in+review&item=interview")
    assert "2 rows" in dpo.locator("#ledger-count").inner_text()
    look(dpo, "staff-ledger-filtered")
    dpo.goto(f"{base}/staff/audit/?from=31.13.2026")
    assert "is not a date" in dpo.locator(".error-summary").inner_text()
    look(dpo, "staff-ledger-bad-date")
    _resolve_everything(scanned)  # the forms go into the ledger
    go(dpo, dpo.get_by_role("link", name="Clear the filters"))
    go(dpo, dpo.locator("table a").first)
    # one person's page: their one signed form, five consent boxes
    assert "/staff/audit/participant/P-" in dpo.url
    assert dpo.locator("tbody tr").count() == 5
    look(dpo, "staff-ledger-person")
    context.close()
    assert not problems, problems

"""End to end in a real headless Chromium: a citizen, an assistant and a DPO, with axe-core.

Screenshots of every step go to test-artifacts/webapp/.
"""

from __future__ import annotations

import io
import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from tests.webapp import browser as b
from tests.webapp.pipeline import (
    PEOPLE_CSV,
    example_app,
    first_answer_path,
    pdf_text,
    scanned_consent_pages,
)
from tests.webapp.webhelpers import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.fixture(scope="module")
def axe() -> str:
    return b.axe_source()


@pytest.fixture
def site(data_dir, db_url, tmp_path):
    with example_app(data_dir, db_url) as app, b.serve(app) as base:
        yield base


def go(page, locator) -> None:
    """Click something that loads a new page, and wait until it has loaded."""
    with page.expect_navigation():
        locator.click()


def _login(context, base: str, name: str):
    page = context.new_page()
    page.goto(f"{base}/staff/login")
    page.get_by_label("User name").fill(name)
    page.get_by_label("Password").fill(PASSWORD)
    go(page, page.get_by_role("button", name="Log in"))
    return page


def _recruit(chromium, base: str, tmp_path: Path) -> bytes:
    context = chromium.new_context(accept_downloads=True)
    page = _login(context, base, "recruiter")
    people = tmp_path / "people.csv"
    people.write_text(PEOPLE_CSV, encoding="utf-8")
    page.set_input_files("input[type=file]", str(people))
    go(page, page.get_by_role("button", name="Upload and import"))
    assert "Imported 2 people" in page.content()
    b.shot(page, "01-recruiter-imported")
    page.goto(f"{base}/staff/recruit/letters")
    go(page, page.get_by_role("button", name="Make letter packs"))
    b.shot(page, "02-recruiter-letters-progress")
    page.wait_for_selector("text=Printed 2 packs", timeout=120_000)  # the page refreshes itself
    b.shot(page, "03-recruiter-letters-done")
    with page.expect_download() as download:
        page.get_by_role("button", name=re.compile("Download letters-")).first.click()
    pack = Path(download.value.path()).read_bytes()
    context.close()
    return pack


def _citizen_page(page, axe: str, name: str, problems: list[str]) -> None:
    """Screenshot, axe, and reflow at 320 px for one citizen page."""
    b.shot(page, name)
    for violation in b.check_axe(page, axe, name):
        problems.append(f"{name}: {violation}")
    if not b.no_sideways_scroll(page):
        problems.append(f"{name}: scrolls sideways at {page.viewport_size['width']} px")


def test_citizen_answers_withdraws_and_staff_see_it(
    chromium, site, axe, tmp_path, data_dir, db_url
) -> None:
    pack = _recruit(chromium, site, tmp_path)
    path = first_answer_path(pack)
    problems: list[str] = []

    # an old phone: 320 px wide; axe needs to run a script, so CSP is bypassed for it
    phone = chromium.new_context(
        viewport={"width": 320, "height": 640}, bypass_csp=True, accept_downloads=True
    )
    page = phone.new_page()
    page.goto(site + path)
    assert urlsplit(page.url).path == "/start"  # the token is gone from the address
    assert "Vil du være med og gjøre hjelpen bedre?" in page.content()
    _citizen_page(page, axe, "10-citizen-letter", problems)
    for name, lang in (("Nynorsk", "nn"), ("English", "en"), ("Bokmål", "nb")):
        go(page, page.get_by_role("button", name=name))
        assert page.locator("html").get_attribute("lang") == lang
        if lang != "nb":
            _citizen_page(page, axe, f"10-citizen-letter-{lang}", problems)
    go(page, page.get_by_role("link", name="Les hele informasjonsskrivet"))
    _citizen_page(page, axe, "11-citizen-information", problems)
    page.goto(f"{site}/consent")
    boxes = page.locator("input[type=checkbox]")
    assert boxes.count() >= 3
    assert all(not boxes.nth(i).is_checked() for i in range(boxes.count()))
    _citizen_page(page, axe, "12-citizen-consent", problems)
    for i in range(boxes.count() - 1):  # yes to everything but the last item
        boxes.nth(i).check()
    go(page, page.get_by_role("button", name="Send samtykket"))
    # the questionnaire: first show the error summary, then answer each page
    step = 0
    while "/questions/" in page.url:
        step += 1
        if step == 1:
            go(page, page.get_by_role("button", name=re.compile("Neste|Send svarene")))
            if page.locator(".error-summary").count():
                _citizen_page(page, axe, "13-citizen-errors", problems)
        _citizen_page(page, axe, f"14-citizen-questions-{step}", problems)
        groups = page.locator("fieldset")
        for i in range(groups.count()):
            radios = groups.nth(i).locator("input[type=radio]")
            if radios.count():
                radios.first.check()
        go(page, page.get_by_role("button", name=re.compile("Neste|Send svarene")))
        assert step < 20
    assert urlsplit(page.url).path == "/thanks"
    _citizen_page(page, axe, "15-citizen-thanks", problems)
    with page.expect_download() as download:
        page.get_by_role("link", name="Last ned kvittering (PDF)").click()
    receipt = pdf_text(Path(download.value.path()).read_bytes())
    assert "P-" in receipt
    phone.close()

    # days later, with 200 % text: the same link shows the consents; withdraw one
    later = chromium.new_context(
        viewport={"width": 640, "height": 900}, bypass_csp=True, accept_downloads=True
    )
    page = later.new_page()
    page.goto(site + path)
    page.add_style_tag(content="html { font-size: 225% !important; }")
    page.goto(f"{site}/consents")
    page.add_style_tag(content="html { font-size: 225% !important; }")
    withdraw_buttons = page.get_by_role("button", name=re.compile("Trekk samtykket"))
    granted = withdraw_buttons.count()
    assert granted >= 2
    _citizen_page(page, axe, "20-citizen-consents-200pct", problems)
    go(page, withdraw_buttons.first)
    assert "Er du sikker?" in page.content()
    _citizen_page(page, axe, "21-citizen-withdraw-confirm", problems)
    go(page, page.get_by_role("button", name="Ja, trekk samtykket"))
    assert "Samtykket er trukket" in page.content()
    _citizen_page(page, axe, "22-citizen-withdrawn", problems)
    page.goto(f"{site}/consents")
    assert page.get_by_role("button", name=re.compile("Trekk samtykket")).count() == granted - 1
    page.goto(f"{site}/r/not-a-real-token")
    _citizen_page(page, axe, "23-citizen-wrong-link", problems)
    page.goto(f"{site}/code")
    _citizen_page(page, axe, "24-citizen-code", problems)
    go(page, page.get_by_role("button", name="Gå videre"))  # nothing typed
    _citizen_page(page, axe, "25-citizen-code-error", problems)
    page.goto(f"{site}/a/families/3f2a9c1e/000123?p=1")
    _citizen_page(page, axe, "26-citizen-anonymous-copy", problems)
    later.close()
    assert problems == []

    # the export and the audit report show it; the DPO verifies the chain
    staff = chromium.new_context(accept_downloads=True)
    assistant = _login(staff, site, "assistant")
    assistant.goto(f"{site}/staff/intake/exports")
    with assistant.expect_download() as download:
        assistant.get_by_role("button", name="Download results (.xlsx)").click()
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(Path(download.value.path()).read_bytes()), read_only=True)
    consent_rows = list(book["consent status"].iter_rows(values_only=True))
    assert any("withdrawn" in [str(c) for c in row] for row in consent_rows)
    book.close()
    staff.close()
    dpo_context = chromium.new_context(accept_downloads=True)
    dpo = _login(dpo_context, site, "dpo")
    dpo.goto(f"{site}/staff/audit/verify")
    go(dpo, dpo.get_by_role("button", name="Verify now"))
    assert dpo.locator("#verify-result").inner_text().startswith("ok:")
    b.shot(dpo, "30-dpo-verify")
    dpo.goto(f"{site}/staff/audit/")
    b.shot(dpo, "31-dpo-ledger")
    assert "withdrawn" in dpo.content()
    dpo.goto(f"{site}/staff/audit/report")
    with dpo.expect_download() as download:
        dpo.get_by_role("link", name="Download report (PDF)").click()
    assert "withdraw" in pdf_text(Path(download.value.path()).read_bytes()).lower()
    dpo_context.close()


def test_assistant_uploads_a_scan_and_resolves_review_tasks(
    chromium, site, tmp_path, data_dir, db_url
) -> None:
    pack = _recruit(chromium, site, tmp_path)
    scan = tmp_path / "returned.pdf"
    assert scanned_consent_pages(pack, data_dir, db_url, scan, unsure=1) >= 1
    context = chromium.new_context()
    page = _login(context, site, "assistant")
    page.set_input_files("input[type=file]", str(scan))
    go(page, page.get_by_role("button", name="Upload and read"))
    page.wait_for_selector("text=Results of this upload", timeout=120_000)
    b.shot(page, "40-assistant-scan-results")
    assert page.locator("a", has_text="overlay").count() >= 1
    # Why a page needs a person is said beside it (here: the cross beside a box).
    assert "ink beside a box" in page.locator("td.notes").first.inner_text()
    page.goto(f"{site}/staff/intake/review")
    b.shot(page, "41-assistant-review-queue")
    open_tasks = page.locator("section[id^=task-]").count()
    assert open_tasks >= 1
    for _ in range(open_tasks):
        section = page.locator("section[id^=task-]").first
        written = section.locator("input[type=text][name=value]")
        if written.count():
            # a date field takes a date (review corrections go through the item's type)
            label = section.locator("label").first.inner_text()
            written.fill("01.12.2026" if re.search("dato|date", label, re.I) else "Per Hansen")
        go(page, section.get_by_role("button").first)
    b.shot(page, "42-assistant-review-done")
    assert page.locator("section[id^=task-]").count() == 0
    assert "Nothing to review." in page.content()
    context.close()

    # the checked paper consents are in the ledger, with the scanned page as evidence
    context = chromium.new_context()
    dpo = _login(context, site, "dpo")
    go(dpo, dpo.get_by_role("link", name=re.compile(r"^P-")).first)
    b.shot(dpo, "43-dpo-participant-ledger")
    assert "paper" in dpo.content() and "grant" in dpo.content()
    images = dpo.locator("img.crop")
    assert images.count() >= 1
    loaded = "img => img.complete && img.naturalWidth > 0"
    assert dpo.evaluate(loaded, images.first.element_handle())
    context.close()


STAFF_PAGES = {
    "recruiter": ["/staff/recruit/", "/staff/recruit/letters"],
    "assistant": [
        "/staff/intake/",
        "/staff/intake/review",
        "/staff/intake/manual",
        "/staff/intake/exports",
    ],
    "dpo": [
        "/staff/audit/",
        "/staff/audit/verify?run=1",
        "/staff/audit/report",
        "/staff/audit/retention",
        "/staff/audit/access",
    ],
}


def test_staff_pages_have_no_serious_accessibility_problems(chromium, site, axe) -> None:
    problems = []
    for role, paths in STAFF_PAGES.items():
        context = chromium.new_context(bypass_csp=True)
        page = _login(context, site, role)
        for path in paths:
            page.goto(site + path)
            name = "50-staff" + path.replace("/", "-").replace("?", "-").replace("=", "-")
            problems += [f"{path}: {v}" for v in b.check_axe(page, axe, name)]
        context.close()
    assert problems == []

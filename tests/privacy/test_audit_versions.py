"""The audit report after a consent text changed: grants per text version, and the
recruitment chart with the disclosure threshold applied.

A study is loaded, two people grant the audio recording on the web, the audio
text is changed and the study loaded again, and one of them answers again on
the web: the ledger moves that person's grant to the new version, the other's
stays on the old one, and the report (data, workbook sheet and PDF) shows both.
"""

from __future__ import annotations

import io
import os
from dataclasses import replace
from pathlib import Path

import pdfplumber

from consent import ledger
from forms.model import Section
from intake.db import read_scope, session_scope
from intake.ingest import ingest_web_submission
from intake.models import Participant
from intake.studies import form_version, get_study, load_study_into_db
from printing.reports import RECRUITMENT_CHART_ASPECT, audit_report_pdf
from privacy.audit import build_report, report_tables
from tests.factories import make_consent_form, make_study, t


def changed_study():
    """The factory study with the audio text made wider: a material change."""
    form = make_consent_form()
    items = tuple(
        replace(
            item,
            label=t(
                "Lydopptak, som vi også deler med en annen forsker",
                "Lydopptak, som vi også deler med ein annan forskar",
                "Audio recording, which we also share with another researcher",
            ),
        )
        if item.id == "c_audio"
        else item
        for item in form.sections[0].items
    )
    changed = replace(form, sections=(Section("declaration", None, items),))
    base = make_study()
    return replace(base, forms=tuple(changed if f.id == "consent" else f for f in base.forms))


def consent_version(session) -> str:
    return form_version(session, get_study(session), "consent").text_version


def test_grants_per_text_version_after_a_changed_text(engine, tmp_path):
    with session_scope(engine) as session:
        load_study_into_db(session, make_study())
        for code in ("P-AAAA", "P-BBBB", "P-CCCC"):
            session.add(Participant(code=code, language="nb", status="invited"))
    with read_scope(engine) as session:
        old = consent_version(session)
    with session_scope(engine) as session:
        for n, code in enumerate(("P-AAAA", "P-BBBB")):
            ingest_web_submission(
                session,
                submission_id=f"web-{n}",
                form="consent",
                participant=code,
                answers={"c_audio": ["yes"], "c_interview": ["yes"]},
            )
    with session_scope(engine) as session:
        report = load_study_into_db(session, changed_study())
    new = dict(report.added)["consent"]
    assert new != old
    with session_scope(engine) as session:
        ingest_web_submission(
            session,
            submission_id="web-again",
            form="consent",
            participant="P-AAAA",
            answers={"c_audio": ["yes"], "c_interview": ["yes"]},
        )
    with read_scope(engine) as session:
        book = ledger.status_book(session)
        data = build_report(session)
    assert book.get("P-AAAA", "audio").text_version == new
    assert book.get("P-BBBB", "audio").text_version == old
    by_version = {(item, version): n for item, version, n in data.grants_by_version}
    assert by_version == {
        ("interview", old): 1,
        ("interview", new): 1,
        ("audio", old): 1,
        ("audio", new): 1,
    }
    sheets = {name: rows for name, _, rows in report_tables(data)}
    assert sorted(map(tuple, sheets["Per text version"])) == sorted(data.grants_by_version)

    # The PDF: the table with both versions, and the recruitment chart as an image.
    assert data.recruitment_chart.startswith(b"\x89PNG")
    assert data.disclosure_threshold == 5
    pdf = audit_report_pdf(data, tmp_path / "audit.pdf")
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        text = " ".join((p.extract_text() or "").replace("\n", " ") for p in doc.pages)
        images = [image for page in doc.pages for image in page.images]
    assert "Grants per consent text version" in text
    assert old in text and new in text
    assert "Recruitment overview" in text and '"< 5"' in text
    assert images, "the recruitment chart is drawn into the PDF"
    artifacts = Path(os.environ.get("DELTAKER_ARTIFACTS", tmp_path))
    artifacts.mkdir(parents=True, exist_ok=True)
    # pages as pictures to look at, drawn by pdfium (a dependency) so no poppler is needed
    import pypdfium2 as pdfium

    for number, page in enumerate(pdfium.PdfDocument(pdf), start=1):
        page.render(scale=60 / 72).to_pil().save(artifacts / f"audit-{number}.png")


def test_the_audit_report_keeps_the_chart_shape_of_intake():
    from intake.recruitment_report import CHART_SIZE_IN

    assert RECRUITMENT_CHART_ASPECT == CHART_SIZE_IN[1] / CHART_SIZE_IN[0]


def test_no_study_no_chart(engine):
    with read_scope(engine) as session:
        data = build_report(session)
    assert data.recruitment_chart == b"" and data.grants_by_version == ()
    assert audit_report_pdf(data).startswith(b"%PDF")

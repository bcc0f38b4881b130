"""printing/reports.py on its own: the citizen texts are complete, the PDFs read back."""

from __future__ import annotations

import io

import pdfplumber
import pytest

from printing.reports import (
    TEXTS,
    AuditReportData,
    ItemCounts,
    ReceiptData,
    audit_report_pdf,
    consent_receipt_pdf,
)


def test_every_language_has_every_citizen_text():
    keys = set(TEXTS["en"])
    for language, table in TEXTS.items():
        assert set(table) == keys, language
        assert all(value.strip() for value in table.values()), language


def words(pdf: bytes) -> str:
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        return " ".join((p.extract_text() or "").replace("\n", " ") for p in doc.pages)


@pytest.mark.parametrize(
    ("language", "needles"),
    [
        ("nb", ("Kvittering for samtykket ditt", "Lydopptak Nei", "tekst-versjon 3f2a9c1e")),
        ("nn", ("Kvittering for samtykket ditt", "Du las tekst-versjon 3f2a9c1e")),
        (
            "en",
            (
                "Receipt for your consent",
                "Interview Yes",
                "Audio recording No",
                "text version 3f2a9c1e",
                "Reference: sub-42",
            ),
        ),
    ],
)
def test_receipt_names_what_was_agreed_and_the_text_version(tmp_path, language, needles):
    items = {
        "nb": (("Intervju", True), ("Lydopptak", False)),
        "nn": (("Intervju", True), ("Lydopptak", False)),
        "en": (("Interview", True), ("Audio recording", False)),
    }[language]
    data = ReceiptData(
        language=language,
        participant="P-7K3M",
        study_title="U-sving",
        when="2026-11-21",
        channel="web",
        text_version="3f2a9c1e",
        items=items,
        reference="sub-42",
        events=(1, 2),
        leader="Kari, 123",
    )
    out = tmp_path / "receipt.pdf"
    pdf = consent_receipt_pdf(data, out)
    assert out.read_bytes() == pdf and pdf.startswith(b"%PDF")
    text = words(pdf)
    for needle in needles:
        assert needle in text, needle
    assert "P-7K3M" in text


def test_an_empty_ledger_still_makes_a_report_with_a_chart():
    data = AuditReportData(
        study="s",
        title="",
        generated_at="2026-11-22 01:00 UTC",
        verification="ok: 0 events, head 000",
        verified_ok=True,
        checkpoint="",
        event_count=0,
        head_hash="0" * 64,
        withdrawal_policy="delete",
        data_at_end="delete",
        end_date="2027-12-31",
        counts=(ItemCounts("interview", 0, 0, 0, 3),),
        items=(),
        history=(),
        grants_without_evidence=(),
        overdue_erasures=(),
        exports=(),
    )
    text = words(audit_report_pdf(data))
    assert "Ledger check: ok: 0 events" in text and "Consent overview" in text
    assert "None: every erasure the policy asks for is done." in text


# texts that hold placeholders are measured with typical values filled in
SAMPLE = {
    "study": "U-sving",
    "date": "2026-11-22",
    "code": "P-7K3M",
    "form": "Samtykke",
    "channel": "på papir",
    "leader": "Kari Nordmann",
    "dpo": "Ola",
    "version": "3f2a9c1e",
    "reference": "sub-42",
    "n": 1,
}


@pytest.mark.parametrize("language", sorted(TEXTS))
def test_citizen_texts_are_easy_to_read(language):
    from forms.readability import measure

    prose = [value.format(**SAMPLE) for value in TEXTS[language].values() if len(value.split()) > 3]
    for sentence_block in prose:
        problems = measure(sentence_block).problems("easy")
        assert not problems, (sentence_block, problems)
    whole = measure("\n\n".join(prose))
    assert whole.passes("easy"), whole.problems("easy")

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
        (
            "nb",
            (
                "Kvittering for samtykket ditt",
                "Du har sagt ja til: • Intervju",
                "Du har sagt nei til: • Lydopptak",
                "Du har trukket tilbake: • Sitater",
                "tekst-versjon 3f2a9c1e",
                "Eller gå til deltaker.example.no og skriv inn svarkoden",
                "svarslippen",
                "ring oss på 123",
            ),
        ),
        (
            "nn",
            (
                "Kvittering for samtykket ditt",
                "Du har sagt nei til: • Lydopptak",
                "Du har trekt tilbake: • Sitat",
                "Du las tekst-versjon 3f2a9c1e",
            ),
        ),
        (
            "en",
            (
                "Receipt for your consent",
                "You said yes to: • Interview",
                "You said no to: • Audio recording",
                "You took back your yes to: • Quotes",
                "text version 3f2a9c1e",
                "Reference: sub-42",
                "Or call us on 123",
            ),
        ),
    ],
)
def test_receipt_names_what_was_agreed_and_the_text_version(tmp_path, language, needles):
    names = {
        "nb": ("Intervju", "Lydopptak", "Sitater"),
        "nn": ("Intervju", "Lydopptak", "Sitat"),
        "en": ("Interview", "Audio recording", "Quotes"),
    }[language]
    data = ReceiptData(
        language=language,
        participant="P-7K3M",
        study_title="U-sving",
        when="2026-11-21",
        channel="web",
        text_version="3f2a9c1e",
        items=tuple(zip(names, ("granted", "declined", "withdrawn"), strict=True)),
        reference="sub-42",
        events=(1, 2),
        leader="Kari, 123",
        address="deltaker.example.no",
        phone="123",
    )
    out = tmp_path / "receipt.pdf"
    pdf = consent_receipt_pdf(data, out)
    assert out.read_bytes() == pdf and pdf.startswith(b"%PDF")
    text = words(pdf)
    for needle in needles:
        assert needle in text, needle
    assert "P-7K3M" in text
    # what was said no to or taken back is never under the yes heading
    said_yes = text.split(TEXTS[language]["receipt_yes_heading"])[1]
    said_yes = said_yes.split(TEXTS[language]["receipt_no_heading"])[0]
    assert names[0] in said_yes and names[1] not in said_yes and names[2] not in said_yes


def test_a_receipt_with_no_yes_says_so_in_words():
    data = ReceiptData("nb", "P-1", "U", "i dag", "web", "v1", (("Intervju", "withdrawn"),), "")
    text = words(consent_receipt_pdf(data))
    assert "Du har ikke sagt ja til noe nå." in text
    assert "Du har trukket tilbake: • Intervju" in text
    assert "Referanse" not in text  # no reference, no empty line for it


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
    "url": "deltaker.example.no",
    "phone": "22 33 44 55",
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

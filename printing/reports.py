"""Consent documents drawn from plain data: the DPO audit report, access requests, receipts.

This module knows nothing of the database or the ledger: privacy/audit.py and
privacy/access.py build the frozen dataclasses below and hand them in, so the
same data can also go to a spreadsheet or a web page. Every function returns
the PDF as bytes (and writes it to ``path`` when given).

Citizen-facing texts (access request, receipt) are in bokmål, nynorsk and
English, in easy language: short sentences, everyday words, "du".
"""

from __future__ import annotations

import io
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from reportlab.graphics.charts.barcharts import VerticalBarChart
from reportlab.graphics.charts.legends import Legend
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    Image,
    KeepTogether,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)
from reportlab.platypus.flowables import Flowable

from forms.phrases import LANGUAGES, PHRASES, known_language, phrase
from forms.words.records import WORDS as RECORD_WORDS

from .typeface import font_name

# --- geometry and type (points) -------------------------------------------------------------

MARGIN_PT = 18 * mm
BODY_SIZE_PT = 9.0
CITIZEN_BODY_SIZE_PT = 12.0  # easy-to-read documents use a larger type
#: A person whose format profile asks for large print (printing.format_profile): the
#: same 18 pt as a large-print letter pack (printing.geometry's ``large`` profile).
CITIZEN_LARGE_BODY_SIZE_PT = 18.0
HEADING_SIZE_PT = 15.0
LARGE_HEADING_SIZE_PT = 24.0
CHART_HEIGHT_PT = 190.0
#: Height over width of intake/recruitment_report.py's chart (CHART_SIZE_IN = 11 x 4.6 in);
#: printing may not import intake, so the figure's shape is repeated here and a test ties them.
RECRUITMENT_CHART_ASPECT = 4.6 / 11.0
CHART_BAR_GAP_PT = 6.0
TABLE_PAD_PT = 2.5

STATE_COLOURS = {
    "granted": colors.HexColor("#2e7d32"),
    "declined": colors.HexColor("#9e9e9e"),
    "withdrawn": colors.HexColor("#c62828"),
    "not asked": colors.HexColor("#e0e0e0"),
}


# --- plain data handed in --------------------------------------------------------------------


@dataclass(frozen=True)
class ItemCounts:
    item: str
    granted: int
    declined: int
    withdrawn: int
    not_asked: int


@dataclass(frozen=True)
class AuditItemRow:
    participant: str
    participant_status: str
    item: str
    state: str
    since: str
    channel: str
    text_version: str


@dataclass(frozen=True)
class AuditEventRow:
    seq: int
    participant: str
    item: str
    action: str
    channel: str
    text_version: str
    evidence: str
    actor: str
    occurred: str
    recorded: str

    def cells(self) -> list[object]:
        """The row in column order, for the PDF table and the xlsx sheet alike."""
        return [
            self.seq,
            self.participant,
            self.item,
            self.action,
            self.channel,
            self.text_version,
            self.evidence,
            self.actor,
            self.occurred,
            self.recorded,
        ]


@dataclass(frozen=True)
class AuditReportData:
    study: str
    title: str
    generated_at: str
    verification: str
    verified_ok: bool
    checkpoint: str
    event_count: int
    head_hash: str
    withdrawal_policy: str
    data_at_end: str
    end_date: str
    counts: tuple[ItemCounts, ...]
    items: tuple[AuditItemRow, ...]
    history: tuple[AuditEventRow, ...]
    grants_without_evidence: tuple[AuditEventRow, ...]
    overdue_erasures: tuple[tuple[str, str, str], ...]  # participant, due since, why
    exports: tuple[tuple[object, ...], ...]  # when, who, what, file, format, people, rows
    erased: tuple[str, ...] = ()
    # one row per erase event: participant, when, by, what was removed, the event's hash
    erasures: tuple[tuple[str, str, str, str, str], ...] = ()
    evidence_checked: bool = False
    evidence_problems: tuple[tuple[int, str, str, str], ...] = ()  # event, who, file, problem
    #: (item, text version, people whose current grant rests on it), for re-consent rounds
    grants_by_version: tuple[tuple[str, str, int], ...] = ()
    #: the recruitment overview chart (PNG, small counts already hidden), when a study is loaded
    recruitment_chart: bytes = b""
    #: (when, what, participant code): whose data each export carried (the workbook's sheet)
    exported_people: tuple[tuple[str, str, str], ...] = ()
    disclosure_threshold: int = 0


@dataclass(frozen=True)
class ErasureReceiptData:
    """What one erasure removed, for the data protection officer (a staff document)."""

    study: str
    participant: str
    erased_at: str
    actor: str
    reason: str
    event_seq: int
    event_hash: str
    rows: tuple[tuple[str, int], ...]  # (what, how many) in the database
    files: tuple[tuple[str, int], ...]  # (what, how many) in the data folder
    generated_at: str


@dataclass(frozen=True)
class AccessResponse:
    form: str
    channel: str
    received: str
    answers: tuple[tuple[str, str], ...]  # (question, answer)


@dataclass(frozen=True)
class AccessConsent:
    item: str  # the consent item's text in the person's language
    state: str  # granted | declined | withdrawn | not asked
    since: str


@dataclass(frozen=True)
class AccessEvent:
    when: str
    item: str
    action: str
    channel: str
    text_version: str


@dataclass(frozen=True)
class AccessData:
    language: str
    participant: str
    study_title: str
    generated: str
    contact: tuple[tuple[str, str], ...]  # (field key, value): name, address, phone, email...
    responses: tuple[AccessResponse, ...]
    consents: tuple[AccessConsent, ...]
    history: tuple[AccessEvent, ...]
    leader: str = ""  # who to contact, one line
    dpo: str = ""
    status: str = ""  # participant status key (invited, withdrawn, erased...)
    scanned_pages: int = 0  # pictures of paper forms kept as evidence
    # the person's consent records (privacy/records.py): consent item text, record id,
    # the ledger number and hash of its last event
    records: tuple[tuple[str, str, str], ...] = ()
    large_print: bool = False  # the person's effective format profile


#: The receipt's groups in the order a person reads them: what they said yes to first,
#: then, apart and in words, what they said no to, took back, or have not answered.
#: States are consent.status.ConsentState values (printing may not import consent).
RECEIPT_GROUPS: tuple[tuple[str, str], ...] = (
    ("granted", "receipt_yes_heading"),
    ("declined", "receipt_no_heading"),
    ("withdrawn", "receipt_withdrawn_heading"),
    ("not asked", "receipt_not_asked_heading"),
)


@dataclass(frozen=True)
class ReceiptData:
    language: str
    participant: str
    study_title: str
    when: str
    channel: str  # web | paper
    text_version: str
    # (consent item text, state): state is a RECEIPT_GROUPS key (granted, declined...)
    items: tuple[tuple[str, str], ...]
    reference: str  # the web submission id or the page hash
    events: tuple[int, ...] = field(default=())  # ledger event numbers
    leader: str = ""
    address: str = ""  # the short web address where the answer code opens the pages
    phone: str = ""  # who to call to withdraw
    large_print: bool = False  # the person's effective format profile

    def said(self, state: str) -> tuple[str, ...]:
        """The items' texts in one state (``granted``: only what holds now)."""
        return tuple(item for item, item_state in self.items if item_state == state)


@dataclass(frozen=True)
class ReceiptPart:
    """One piece of the receipt as both the PDF and the web page show it.

    ``kind`` is ``title``, ``text`` (a paragraph), ``heading`` or ``list`` (``items``).
    """

    kind: str
    text: str = ""
    items: tuple[str, ...] = ()


def receipt_parts(data: ReceiptData) -> tuple[ReceiptPart, ...]:
    """The receipt's words in reading order: the one source of the PDF and the web page,
    so the two can never say different things."""
    lang = known_language(data.language, "nb")
    parts = [
        ReceiptPart("title", text(lang, "receipt_title")),
        ReceiptPart("text", text(lang, "receipt_intro", study=data.study_title, date=data.when)),
    ]
    for state, heading in RECEIPT_GROUPS:
        items = data.said(state)
        if state == "granted" and not items:
            parts += [ReceiptPart("heading", text(lang, heading))]
            parts += [ReceiptPart("text", text(lang, "receipt_yes_none"))]
        elif items:
            parts += [ReceiptPart("heading", text(lang, heading)), ReceiptPart("list", items=items)]
    parts += [
        ReceiptPart("heading", text(lang, "receipt_about_heading")),
        ReceiptPart("text", text(lang, "receipt_version", version=data.text_version)),
        ReceiptPart("text", text(lang, "your_code", code=data.participant)),
    ]
    if data.reference:
        parts.append(ReceiptPart("text", text(lang, "receipt_reference", reference=data.reference)))
    parts += [
        ReceiptPart("heading", text(lang, "receipt_withdraw_heading")),
        ReceiptPart("text", text(lang, "receipt_change")),
    ]
    if data.address:
        parts.append(ReceiptPart("text", text(lang, "receipt_withdraw_web", url=data.address)))
    parts.append(ReceiptPart("text", text(lang, "receipt_withdraw_slip")))
    if data.phone:
        parts.append(ReceiptPart("text", text(lang, "receipt_withdraw_phone", phone=data.phone)))
    if data.leader:
        parts.append(ReceiptPart("text", text(lang, "questions_contact", leader=data.leader)))
    return tuple(parts)


# --- citizen texts ---------------------------------------------------------------------------

#: The keys of the words these letters use (forms/words/records.py, and the paper's yes and no).
_KEYS = (*RECORD_WORDS, "yes", "no")

#: The same words by language, read from the one table (the shape the report tests walk).
TEXTS: Mapping[str, Mapping[str, str]] = {
    language: {key: PHRASES[key][language] for key in _KEYS} for language in LANGUAGES
}
CITIZEN_LANGUAGES = LANGUAGES


def text(language: str, key: str, **values: object) -> str:
    """A citizen text in ``language`` (bokmål when the table has no such language).

    A key the table does not have (an event channel added later) prints as itself.
    """
    if key not in PHRASES:
        return key
    return phrase(key, known_language(language, "nb"), **values)


# --- building blocks -------------------------------------------------------------------------


def citizen_styles(large_print: bool) -> dict[str, ParagraphStyle]:
    """The type of a letter to a citizen: 12 pt, or 18 pt for a large-print profile."""
    if large_print:
        return _styles(CITIZEN_LARGE_BODY_SIZE_PT, LARGE_HEADING_SIZE_PT)
    return _styles(CITIZEN_BODY_SIZE_PT)


def _styles(body_size: float, heading_size: float = HEADING_SIZE_PT) -> dict[str, ParagraphStyle]:
    regular, bold = font_name(False), font_name(True)
    leading = body_size * 1.35
    return {
        "body": ParagraphStyle(
            "body",
            fontName=regular,
            fontSize=body_size,
            leading=leading,
            spaceAfter=body_size * 0.5,
        ),
        "cell": ParagraphStyle(
            "cell", fontName=regular, fontSize=body_size * 0.9, leading=body_size * 1.1
        ),
        "h1": ParagraphStyle(
            "h1",
            fontName=bold,
            fontSize=heading_size,
            leading=heading_size * 1.3,
            spaceAfter=8,
        ),
        "h2": ParagraphStyle(
            "h2",
            fontName=bold,
            fontSize=body_size + 2,
            leading=(body_size + 2) * 1.3,
            spaceBefore=10,
            spaceAfter=4,
            keepWithNext=1,
        ),  # never a heading alone at a page's foot
    }


def _p(value: object, style: ParagraphStyle) -> Paragraph:
    return Paragraph(escape(str(value if value is not None else "")), style)


def _table(
    headers: Sequence[str],
    rows: Sequence[Sequence[object]],
    styles: Mapping[str, ParagraphStyle],
    widths: Sequence[float] | None = None,
) -> Table:
    cell = styles["cell"]
    bold = ParagraphStyle("cellbold", parent=cell, fontName=font_name(True))
    body = [[_p(v, cell) for v in row] for row in rows]
    # reportlab's stubs spell each command's shape apart; these are plain GRID/VALIGN/... rows
    style: list[Any] = [
        ("GRID", (0, 0), (-1, -1), 0.25, colors.grey),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("TOPPADDING", (0, 0), (-1, -1), TABLE_PAD_PT),
        ("BOTTOMPADDING", (0, 0), (-1, -1), TABLE_PAD_PT),
    ]
    if any(headers):
        body = [[_p(h, bold) for h in headers], *body]
        style.append(("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#eeeeee")))
    table = Table(body, colWidths=widths, repeatRows=1 if any(headers) else 0)
    table.setStyle(TableStyle(style))
    return table


def _fractions(total: float, *shares: float) -> list[float]:
    return [total * share for share in shares]


def _footer(label: str, language: str | None = None) -> Callable[[Canvas, Any], None]:
    def draw(canvas: Canvas, doc: Any) -> None:  # doc: the page template's document
        canvas.saveState()
        canvas.setFont(font_name(False), 8)
        page = text(language, "page_n", n=doc.page) if language else f"Page {doc.page}"
        canvas.drawString(MARGIN_PT, MARGIN_PT / 2, label)
        canvas.drawRightString(doc.pagesize[0] - MARGIN_PT, MARGIN_PT / 2, page)
        canvas.restoreState()

    return draw


def _build(
    story: list[Flowable],
    *,
    title: str,
    footer: str,
    pagesize: tuple[float, float] = A4,
    language: str | None = None,
    path: str | Path | None = None,
) -> bytes:
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=pagesize,
        leftMargin=MARGIN_PT,
        rightMargin=MARGIN_PT,
        topMargin=MARGIN_PT,
        bottomMargin=MARGIN_PT,
        title=title,
        author="Deltaker",
        lang=language or "en",
    )
    on_page = _footer(footer, language)
    doc.build(story, onFirstPage=on_page, onLaterPages=on_page)
    data = buffer.getvalue()
    if path is not None:
        Path(path).write_bytes(data)
    return data


def consent_chart(counts: Sequence[ItemCounts], width: float) -> Drawing:
    """Grouped bars per consent item: how many people granted, declined, withdrew."""
    drawing = Drawing(width, CHART_HEIGHT_PT)
    chart = VerticalBarChart()
    chart.x, chart.y = 40, 45
    # reportlab takes any number for geometry; its stubs say int
    chart.width, chart.height = width - 170, CHART_HEIGHT_PT - 65  # type: ignore[assignment]
    series = ("granted", "declined", "withdrawn", "not asked")
    chart.data = [[getattr(c, s.replace(" ", "_")) for c in counts] or [0] for s in series]
    chart.groupSpacing = CHART_BAR_GAP_PT  # type: ignore[assignment]  # stubs say int
    chart.categoryAxis.categoryNames = [c.item for c in counts] or ["(no items)"]
    chart.categoryAxis.labels.fontName = font_name(False)
    chart.categoryAxis.labels.fontSize = 8
    chart.valueAxis.labels.fontName = font_name(False)
    chart.valueAxis.labels.fontSize = 8
    chart.valueAxis.valueMin = 0
    top = max([max(row) for row in chart.data] + [1])
    chart.valueAxis.valueMax = top + 1
    chart.valueAxis.valueStep = max(1, round(top / 5))
    for index, name in enumerate(series):
        chart.bars[index].fillColor = STATE_COLOURS[name]
        chart.bars[index].strokeColor = colors.black
        chart.bars[index].strokeWidth = 0.3
    drawing.add(chart)
    legend = Legend()
    legend.x, legend.y = width - 115, CHART_HEIGHT_PT - 30  # type: ignore[assignment]  # stubs: int
    legend.fontName = font_name(False)
    legend.fontSize = 8
    legend.colorNamePairs = [(STATE_COLOURS[s], s) for s in series]
    legend.columnMaximum = len(series)  # one column, one line per state
    drawing.add(legend)
    drawing.add(
        String(40, 20, "people per consent item and state", fontName=font_name(False), fontSize=8)
    )
    return drawing


# --- the DPO report --------------------------------------------------------------------------


def audit_report_pdf(report: AuditReportData, path: str | Path | None = None) -> bytes:
    """The data protection officer's report (landscape A4, English: staff document)."""
    styles = _styles(BODY_SIZE_PT)
    pagesize = landscape(A4)
    width = pagesize[0] - 2 * MARGIN_PT
    story: list[Flowable] = [
        _p(f"Consent audit report: {report.study} {report.title}".strip(), styles["h1"]),
        _p(
            f"Generated {report.generated_at}. "
            f"Withdrawal policy: {report.withdrawal_policy or '?'}; "
            f"at the end date {report.end_date or '?'} the data are: {report.data_at_end or '?'}.",
            styles["body"],
        ),
    ]
    check = ParagraphStyle(
        "check",
        parent=styles["h2"],
        textColor=colors.HexColor("#2e7d32" if report.verified_ok else "#c62828"),
    )
    story += [
        _p(f"Ledger check: {report.verification}", check),
        _p(
            f"Checkpoint given: {report.checkpoint or 'none'}. Write down the head hash and count "
            "above; a later check against them shows whether the ledger was rewritten or cut "
            "short.",
            styles["body"],
        ),
        _p("Consent overview", styles["h2"]),
        consent_chart(report.counts, width),
        _table(
            ["item", "granted", "declined", "withdrawn", "not asked"],
            [[c.item, c.granted, c.declined, c.withdrawn, c.not_asked] for c in report.counts],
            styles,
        ),
        _p("Grants per consent text version", styles["h2"]),
        _p(
            "People whose current grant rests on each text version of the consent form. "
            "After a material change, grants on an old version stay valid until the person "
            "answers the re-consent letter (or as the study's policy says).",
            styles["body"],
        ),
    ]
    if report.grants_by_version:
        story.append(_table(["item", "text version", "grants"], report.grants_by_version, styles))
    else:
        story.append(_p("No grants recorded.", styles["body"]))
    if report.recruitment_chart:
        story += [
            _p("Recruitment overview", styles["h2"]),
            _p(
                f"Counts from 1 to {report.disclosure_threshold - 1} are drawn hatched and "
                f'labelled "< {report.disclosure_threshold}" (the study\'s disclosure threshold).',
                styles["body"],
            ),
            Image(
                io.BytesIO(report.recruitment_chart),
                width=width,
                height=width * RECRUITMENT_CHART_ASPECT,
            ),
        ]
    story.append(
        _p(
            "Erasures due (withdrawals or the end date under a delete or anonymise policy)",
            styles["h2"],
        )
    )
    if report.overdue_erasures:
        story.append(_table(["participant", "due since", "why"], report.overdue_erasures, styles))
    else:
        story.append(_p("None: every erasure the policy asks for is done.", styles["body"]))
    story.append(
        _p("Evidence files (scanned pages and signature crops named by events)", styles["h2"])
    )
    if not report.evidence_checked:
        story.append(_p("Not checked.", styles["body"]))
    elif report.evidence_problems:
        story.append(
            _table(["event", "participant", "file", "problem"], report.evidence_problems, styles)
        )
    else:
        story.append(_p("Every file named by an event is there and unaltered.", styles["body"]))
    story.append(
        _p("Grants without documentary evidence (no scanned page or web submission)", styles["h2"])
    )
    event_headers = [
        "#",
        "participant",
        "item",
        "action",
        "channel",
        "text",
        "evidence",
        "actor",
        "occurred",
        "recorded",
    ]
    event_widths = _fractions(width, 0.04, 0.08, 0.11, 0.07, 0.06, 0.08, 0.24, 0.08, 0.12, 0.12)

    if report.grants_without_evidence:
        story.append(
            _table(
                event_headers,
                [e.cells() for e in report.grants_without_evidence],
                styles,
                event_widths,
            )
        )
    else:
        story.append(_p("None.", styles["body"]))
    story.append(_p("Erasures done (one erase event each)", styles["h2"]))
    if report.erasures:
        story.append(
            _table(
                ["participant", "when", "by", "removed", "event hash"],
                report.erasures,
                styles,
                _fractions(width, 0.1, 0.14, 0.1, 0.36, 0.3),
            )
        )
    else:
        story.append(_p("None.", styles["body"]))
    story.append(_p("Exports of personal data", styles["h2"]))
    if report.exports:
        story.append(
            _table(
                ["when", "who", "what", "file", "format", "people", "rows"],
                report.exports,
                styles,
                _fractions(width, 0.12, 0.1, 0.2, 0.38, 0.06, 0.07, 0.07),
            )
        )
    else:
        story.append(_p("None recorded.", styles["body"]))
    story.append(_p("Status per participant and item", styles["h2"]))
    story.append(
        _table(
            ["participant", "participant status", "item", "state", "since", "channel", "text"],
            [
                [
                    r.participant,
                    r.participant_status,
                    r.item,
                    r.state,
                    r.since,
                    r.channel,
                    r.text_version,
                ]
                for r in report.items
            ],
            styles,
        )
    )
    story.append(_p("Full history (every ledger event, in order)", styles["h2"]))
    story.append(_table(event_headers, [e.cells() for e in report.history], styles, event_widths))
    return _build(
        story,
        title=f"Consent audit {report.study}",
        pagesize=pagesize,
        footer=f"Deltaker consent audit · {report.study} · {report.generated_at} · "
        f"head {report.head_hash[:16]}",
        path=path,
    )


def erasure_receipt_pdf(data: ErasureReceiptData, path: str | Path | None = None) -> bytes:
    """The erasure receipt (A4, English: a staff document for the DPO's file)."""
    styles = _styles(BODY_SIZE_PT)
    width = A4[0] - 2 * MARGIN_PT
    widths = _fractions(width, 0.75, 0.25)
    story: list[Flowable] = [
        _p(f"Erasure receipt: {data.participant}", styles["h1"]),
        _p(
            f"Study {data.study}. Erased {data.erased_at} by {data.actor}. Why: {data.reason}",
            styles["body"],
        ),
        _p("Removed from the database", styles["h2"]),
        _table(["what", "how many"], data.rows, styles, widths),
        _p("Removed from the data folder", styles["h2"]),
        _table(["what", "how many"], data.files, styles, widths),
        _p("The record in the consent ledger", styles["h2"]),
        _p(
            f"Erase event #{data.event_seq}, hash {data.event_hash}. "
            "'deltaker audit verify' checks that this event is still in the ledger, unchanged. "
            "The ledger keeps the participant code only, never a name.",
            styles["body"],
        ),
    ]
    return _build(
        story,
        title=f"Erasure receipt {data.participant}",
        footer=f"Deltaker erasure receipt · {data.study} · {data.participant} · "
        f"{data.generated_at}",
        path=path,
    )


# --- citizen documents -----------------------------------------------------------------------


def access_request_pdf(data: AccessData, path: str | Path | None = None) -> bytes:
    """Everything held about one person, in their language and in easy language."""
    lang = known_language(data.language, "nb")
    styles = citizen_styles(data.large_print)
    body = styles["body"]
    width = A4[0] - 2 * MARGIN_PT
    two, three, four = (
        _fractions(width, 0.6, 0.4),
        _fractions(width, 0.55, 0.2, 0.25),
        _fractions(width, 0.18, 0.42, 0.2, 0.2),
    )
    story: list[Flowable] = [
        _p(text(lang, "access_title"), styles["h1"]),
        _p(text(lang, "access_intro", study=data.study_title, date=data.generated), body),
        _p(text(lang, "your_code", code=data.participant), body),
    ]
    if data.status == "erased":
        story.append(_p(text(lang, "erased"), body))
    elif data.status == "withdrawn":
        story.append(_p(text(lang, "left_project"), body))
    story.append(_p(text(lang, "contact_heading"), styles["h2"]))
    if data.contact:
        story.append(_p(text(lang, "contact_intro"), body))
        story.append(
            _table(
                ["", ""],
                [[text(lang, f"field_{k}"), v] for k, v in data.contact],
                styles,
                _fractions(width, 0.3, 0.7),
            )
        )
    else:
        story.append(_p(text(lang, "no_contact"), body))
    story.append(_p(text(lang, "answers_heading"), styles["h2"]))
    if not data.responses:
        story.append(_p(text(lang, "no_answers"), body))
    if data.scanned_pages:
        story.append(_p(text(lang, "pages_kept", n=data.scanned_pages), body))
    for response in data.responses:
        story.append(
            KeepTogether(
                [
                    _p(
                        text(
                            lang,
                            "answered_on",
                            form=response.form,
                            date=response.received,
                            channel=text(lang, f"channel_{response.channel}"),
                        ),
                        body,
                    ),
                    _table(["", ""], response.answers or [["", ""]], styles, two),
                    Spacer(1, 6),
                ]
            )
        )
    story.append(_p(text(lang, "consent_heading"), styles["h2"]))
    story.append(
        _table(
            ["", "", ""],
            [
                [
                    c.item,
                    text(lang, f"state_{c.state}"),
                    text(lang, "since", date=c.since) if c.since else "",
                ]
                for c in data.consents
            ],
            styles,
            three,
        )
    )
    story.append(_p(text(lang, "history_heading"), styles["h2"]))
    if data.history:
        story.append(
            _table(
                ["", "", "", ""],
                [
                    [
                        e.when,
                        e.item,
                        text(lang, f"action_{e.action}"),
                        text(lang, f"channel_{e.channel}"),
                    ]
                    for e in data.history
                ],
                styles,
                four,
            )
        )
    else:
        story.append(_p(text(lang, "no_history"), body))
    if data.records:
        story.append(_p(text(lang, "records_heading"), styles["h2"]))
        story.append(_p(text(lang, "records_intro"), body))
        # a record id (a UUID) has no spaces to break at: it gets the widest column
        story.append(_table(["", "", ""], data.records, styles, _fractions(width, 0.24, 0.5, 0.26)))
    story.append(_p(text(lang, "rights_heading"), styles["h2"]))
    story.append(_p(text(lang, "rights"), body))
    if data.leader:
        story.append(_p(text(lang, "questions_contact", leader=data.leader), body))
    if data.dpo:
        story.append(_p(text(lang, "dpo", dpo=data.dpo), body))
    return _build(
        story,
        title=text(lang, "access_title"),
        language=lang,
        footer=f"{data.study_title} · {data.participant}",
        path=path,
    )


def consent_receipt_pdf(data: ReceiptData, path: str | Path | None = None) -> bytes:
    """A receipt of exactly what a person agreed to, naming the text version they read.

    Drawn from receipt_parts, as the web page's receipt is.
    """
    lang = known_language(data.language, "nb")
    styles = citizen_styles(data.large_print)
    body = styles["body"]
    bullet = ParagraphStyle(
        "bullet", parent=body, leftIndent=14, bulletIndent=2, bulletFontName=font_name(False)
    )
    style_of = {"title": styles["h1"], "heading": styles["h2"], "text": body}
    story: list[Flowable] = []
    for part in receipt_parts(data):
        if part.kind == "list":
            story += [Paragraph(escape(item), bullet, bulletText="•") for item in part.items]
        else:
            story.append(_p(part.text, style_of[part.kind]))
    return _build(
        story,
        title=text(lang, "receipt_title"),
        language=lang,
        footer=f"{data.study_title} · {data.participant} · {data.text_version}",
        path=path,
    )

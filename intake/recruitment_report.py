"""The recruitment overview drawn: a chart (matplotlib, PNG or SVG) and a PDF report.

The chart has two panels: per group, invited -> answered (paper only, web
only, both) -> consented per item -> withdrawn; and per week, letters and
reminders sent and answers arriving by channel. Both the chart and the PDF
may leave the project, so every count from 1 up to one less than the study's
disclosure threshold is drawn as a hatched bar of the threshold's height
labelled "< 5" and written "< 5" in the tables.

matplotlib is used through its object API with the Agg canvas (no pyplot, no
global backend), so web requests drawing charts at the same time do not share
state.
"""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.backends.backend_svg import FigureCanvasSVG
from matplotlib.figure import Figure

from .recruitment import RecruitmentOverview, overview_table, shown, weekly_table
from .tables import atomic_path

CHART_SIZE_IN = (11.0, 4.6)
CHART_DPI = 110
#: A fixed legend place: matplotlib's default "best" search warns when it takes over a
#: second (it does on a busy machine), and tests turn warnings into errors.
LEGEND_LOC = "upper right"
#: Colour-blind safe (Okabe-Ito).
COLOURS = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442")


def _bars(axes, positions, values, width, colour, label, threshold, suppress) -> None:
    heights = [threshold if suppress and 0 < v < threshold else v for v in values]
    bars = axes.bar(positions, heights, width, color=colour, label=label, edgecolor=colour)
    for bar, value in zip(bars, values, strict=True):
        hidden = suppress and 0 < value < threshold
        if hidden:
            bar.set_hatch("///")
            bar.set_facecolor("white")
        axes.annotate(
            shown(value, threshold, suppress=suppress),
            (bar.get_x() + bar.get_width() / 2, bar.get_height()),
            ha="center",
            va="bottom",
            fontsize=7,
            xytext=(0, 1),
            textcoords="offset points",
        )


def _figure(overview: RecruitmentOverview, suppress: bool) -> Figure:
    figure = Figure(figsize=CHART_SIZE_IN, dpi=CHART_DPI, layout="constrained")
    funnel, weekly = figure.subplots(1, 2, width_ratios=(3, 2))
    t = overview.threshold
    stages = ["invited", "paper only", "web only", "both", *overview.items, "withdrawn"]
    groups = overview.groups or ()
    width = 0.8 / max(len(groups), 1)
    for n, g in enumerate(groups):
        values = [
            g.invited,
            g.paper,
            g.web,
            g.both,
            *(g.consented.get(i, 0) for i in overview.items),
            g.withdrawn,
        ]
        positions = [s + (n - (len(groups) - 1) / 2) * width for s in range(len(stages))]
        _bars(funnel, positions, values, width, COLOURS[n % len(COLOURS)], g.group, t, suppress)
    funnel.set_xticks(range(len(stages)))
    funnel.set_xticklabels(
        [
            s if s in ("invited", "paper only", "web only", "both", "withdrawn") else f"yes: {s}"
            for s in stages
        ],
        rotation=30,
        ha="right",
        fontsize=8,
    )
    funnel.set_ylabel("people")
    funnel.set_title("Per group: invited, answered, consented, withdrawn", fontsize=10)
    if groups:
        funnel.legend(fontsize=8, frameon=False, loc=LEGEND_LOC)
    series = (
        ("letters sent", "letters"),
        ("reminders sent", "reminders"),
        ("paper answers", "paper"),
        ("web answers", "web"),
    )
    width = 0.8 / len(series)
    for n, (label, attr) in enumerate(series):
        values = [getattr(w, attr) for w in overview.weeks]
        positions = [k + (n - (len(series) - 1) / 2) * width for k in range(len(values))]
        _bars(weekly, positions, values, width, COLOURS[n], label, t, suppress)
    weekly.set_xticks(range(len(overview.weeks)))
    weekly.set_xticklabels([f"{w.week:%d.%m}" for w in overview.weeks], fontsize=8)
    weekly.set_xlabel("week starting")
    weekly.set_title("Per week", fontsize=10)
    weekly.legend(fontsize=8, frameon=False, loc=LEGEND_LOC)
    for axes in (funnel, weekly):
        axes.spines[["top", "right"]].set_visible(False)
        axes.yaxis.get_major_locator().set_params(integer=True)
    if suppress:  # an axis label, so the constrained layout keeps it clear of the ticks
        funnel.set_xlabel(f'Hatched bars: fewer than {t} people ("< {t}")', fontsize=8)
    return figure


def render_chart(
    overview: RecruitmentOverview, fmt: str = "png", *, suppress: bool = True
) -> bytes:
    """The overview chart as PNG or SVG bytes."""
    figure = _figure(overview, suppress)
    buffer = io.BytesIO()
    if fmt == "png":
        FigureCanvasAgg(figure).print_png(buffer)
    elif fmt == "svg":
        FigureCanvasSVG(figure).print_svg(buffer)
    else:
        raise ValueError(f"unknown chart format {fmt!r}")
    return buffer.getvalue()


def write_recruitment_pdf(
    overview: RecruitmentOverview, out: Path, *, force: bool = False, today: dt.date | None = None
) -> Path:
    """The recruitment overview PDF: the chart and the tables behind it, small counts hidden."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.lib.units import mm
    from reportlab.platypus import Image, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    from printing.typeface import font_name

    styles = getSampleStyleSheet()
    for style in styles.byName.values():
        style.fontName = font_name(False)
    body, heading = styles["BodyText"], styles["Heading2"]
    heading.fontName = font_name(True)
    png = render_chart(overview, "png", suppress=True)
    width = landscape(A4)[0] - 30 * mm
    chart = Image(io.BytesIO(png), width=width, height=width * CHART_SIZE_IN[1] / CHART_SIZE_IN[0])
    t = overview.threshold

    small = styles["BodyText"].clone("small", fontName=font_name(True), fontSize=7, leading=8)

    def table(headers, rows) -> Table:
        # Headers wrap and columns share the page width, however many consent items there are.
        first = 32 * mm
        rest = (width - first) / max(len(headers) - 1, 1)
        cells = [[Paragraph(h, small) for h in headers], *[list(r) for r in rows]]
        grid = Table(cells, repeatRows=1, colWidths=[first] + [rest] * (len(headers) - 1))
        grid.setStyle(
            TableStyle(
                [
                    ("FONT", (0, 0), (-1, -1), font_name(False), 8),
                    ("FONT", (0, 0), (-1, 0), font_name(True), 8),
                    ("GRID", (0, 0), (-1, -1), 0.3, colors.grey),
                    ("ALIGN", (1, 0), (-1, -1), "RIGHT"),
                ]
            )
        )
        return grid

    story = [
        Paragraph(f"Recruitment overview: {overview.study}", styles["Title"]),
        Paragraph(
            f"Made {(today or dt.date.today()).isoformat()}. Counts from 1 to {t - 1} are "
            f'shown as "&lt; {t}" (the study\'s disclosure threshold). People are counted, '
            "never named.",
            body,
        ),
        chart,
        Paragraph("Per group", heading),
        table(*overview_table(overview, suppress=True)),
        Spacer(1, 4 * mm),
        Paragraph("Per week", heading),
        table(*weekly_table(overview, suppress=True)),
    ]
    out = Path(out)
    with atomic_path(out, force=force) as tmp:
        SimpleDocTemplate(
            str(tmp),
            pagesize=landscape(A4),
            title=f"Recruitment overview {overview.study}",
            leftMargin=15 * mm,
            rightMargin=15 * mm,
            topMargin=12 * mm,
            bottomMargin=12 * mm,
        ).build(story)
    return out

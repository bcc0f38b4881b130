"""The record of processing activities (GDPR Art. 30) as a PDF, from plain sections.

privacy/processing.py builds the sections (heading, [(what, value)]); this
module only draws them, in the style of the DPO's audit report (A4, English:
a staff document).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from reportlab.lib.pagesizes import A4
from reportlab.platypus.flowables import Flowable

from .reports import BODY_SIZE_PT, MARGIN_PT, _build, _fractions, _p, _styles, _table

#: Share of the table width the "what" column takes; the value gets the rest.
LABEL_SHARE = 0.28


def processing_pdf(
    title: str,
    sections: Sequence[tuple[str, Sequence[tuple[str, str]]]],
    path: str | Path | None = None,
    *,
    footer: str = "",
) -> bytes:
    """One heading and one two-column table per section; returns the PDF bytes."""
    styles = _styles(BODY_SIZE_PT)
    width = A4[0] - 2 * MARGIN_PT
    story: list[Flowable] = [_p(title, styles["h1"])]
    for heading, rows in sections:
        story.append(_p(heading, styles["h2"]))
        story.append(
            _table(
                ["", ""],
                [[what, value] for what, value in rows] or [["", "(none)"]],
                styles,
                _fractions(width, LABEL_SHARE, 1 - LABEL_SHARE),
            )
        )
    return _build(story, title=title, footer=footer or title, path=path)

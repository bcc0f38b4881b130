"""Anonymous serial-numbered copies of a form (`deltaker blank`).

Each copy carries its own serial in every page's QR code
(``{base_url}/a/{form}/{version}/{serial}?p={page}``) and in clear text, so a
returned copy is identified without knowing who filled it in. Copies are drawn
a few at a time and streamed into the output (memory flat in the number).
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, BinaryIO

from forms.errors import UserError
from forms.model import Form

from .layout import layout_form
from .letters import draw_anonymous_copy
from .pdfjoin import PdfJoiner, release_memory
from .render import FormPrinter, new_canvas

#: Copies drawn into one in-memory PDF before it is streamed out.
CHUNK_COPIES = 25
MAX_COPIES = 100_000


class BlankError(UserError):
    """Bad arguments for anonymous copies."""


@dataclass(frozen=True)
class BlankResult:
    form: str
    version: str
    copies: int
    pages: int
    first_serial: int
    last_serial: int
    layout_map: dict[str, Any]


def render_blank(
    out: BinaryIO,
    form: Form,
    *,
    study_id: str,
    base_url: str,
    copies: int,
    first_serial: int = 1,
    language: str | None = None,
    profile: str = "standard",
    duplex: bool = True,
    on_copy: Callable[[int], None] | None = None,
) -> BlankResult:
    """Write ``copies`` anonymous copies of ``form`` to ``out``; serials count up from
    ``first_serial``. For duplex printing (the default) every copy starts on a new sheet."""
    if not 1 <= copies <= MAX_COPIES:
        raise BlankError(f"--copies must be between 1 and {MAX_COPIES}, not {copies}")
    if first_serial < 1:
        raise BlankError(f"the first serial must be 1 or more, not {first_serial}")
    language = language or form.languages[0]
    if language not in form.languages:
        raise BlankError(
            f"form {form.id!r} has no texts in {language!r} "
            f"(its languages: {', '.join(form.languages)})"
        )
    study = _Study(study_id, base_url)
    printer = FormPrinter(layout_form(form, language, profile))
    joiner = PdfJoiner(out, title=f"{form.id} ({language})")
    pages = 0
    serial = first_serial
    remaining = copies
    while remaining:
        chunk = min(CHUNK_COPIES, remaining)
        buffer = io.BytesIO()
        canvas = new_canvas(buffer)
        for _ in range(chunk):
            pages += draw_anonymous_copy(canvas, study, printer, serial, duplex=duplex)
            serial += 1
        canvas.save()
        joiner.append(buffer.getvalue())
        del canvas, buffer
        release_memory()
        remaining -= chunk
        if on_copy:
            on_copy(chunk)
    joiner.close()
    layout = printer.layout
    return BlankResult(
        form.id,
        layout.text_version,
        copies,
        pages,
        first_serial,
        serial - 1,
        layout.to_map(study_id),
    )


@dataclass(frozen=True)
class _Study:
    """The two study fields an anonymous copy needs (duck-typed for draw_anonymous_copy)."""

    id: str
    base_url: str

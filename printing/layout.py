"""Page geometry of a form: pure and deterministic (same input, same numbers).

``layout_form(form, language, profile)`` places every text line, tick box,
writing field, the QR code and the four registration marks on each page, in
points from the page's top-left corner. ``FormLayout.to_map`` turns that into
DESIGN.md's layout map, the only thing the scanner reads. Rendering
(``printing.render``) draws exactly what is here and adds nothing that moves.

Rules, from easy-to-read guidance: body text 14 pt (large print 18 pt), one
sans-serif font, left aligned and ragged right, lines of at most about 60
characters, line spacing 1.35, tick boxes of 6 mm (large print 7.5 mm) with
4-5 mm between options. An item is never split across pages; a section heading
stays with its first item; a choice list stays with its question.

Layout-map field kinds: ``choice`` (one per tick box, with its ``value``),
``text`` (short and long text, number and date: handwriting typed in after the
scan) and ``signature``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

from forms.errors import UserError
from forms.model import Form, Item, ItemType, Section
from forms.version import geometry_fingerprint, text_version

from . import geometry as g
from .geometry import Box, Profile, Size
from .layout_map import FieldKind, LayoutField, LayoutMap, LayoutPage
from .texts import say as phrase
from .typeface import ink_extent, text_width


class LayoutError(UserError):
    """A form cannot be laid out (an item taller than a page, an unknown profile...)."""


# --- the pieces of a page ----------------------------------------------------------------


@dataclass(frozen=True)
class TextLine:
    """One line of text; ``y`` is the baseline, from the top of the page."""

    x: float
    y: float
    text: str
    size: float
    bold: bool = False


@dataclass(frozen=True)
class Field:
    """A place to answer: a tick box (``choice``), a writing field or a signature field."""

    item: str
    type: ItemType
    # A FieldKind on form pages; letter pages carry their per-person places ('slot') alike.
    kind: str
    box: Box
    value: str | None = None
    guide_lines: int = 0  # writing lines drawn inside a long-text field
    # The tight box of a choice's printed option text (the words beside the box, or a
    # scale's number above it): the scanner looks for ink on the text around it.
    label: Box | None = None


@dataclass(frozen=True)
class Example:
    """An example box in the marking instruction: ``crossed`` or ``cancelled``."""

    box: Box
    style: str


@dataclass(frozen=True)
class PageLayout:
    page: int  # 1-based, within the form
    qr: Box
    qr2: Box  # the second code (same payload), for a page whose first code is damaged
    marks: tuple[Box, ...]
    lines: tuple[TextLine, ...]
    fields: tuple[Field, ...]
    examples: tuple[Example, ...]
    identity: tuple[float, float]  # baseline where render writes the participant code/serial
    footer: tuple[float, float]  # baseline of "page x of y" and the version line


@dataclass(frozen=True)
class FormLayout:
    form: str
    language: str
    profile: str
    page_size: Size
    pages: tuple[PageLayout, ...]
    text_version: str
    geometry: str

    def to_layout_map(self, study_id: str, version: str | None = None) -> LayoutMap:
        """What the scanner needs of this layout: DESIGN.md's layout map as types."""
        return LayoutMap(
            study=study_id,
            form=self.form,
            version=version or self.text_version,
            language=self.language,
            page_size=(round(self.page_size[0], 2), round(self.page_size[1], 2)),
            pages=tuple(
                LayoutPage(
                    page=p.page,
                    qr=p.qr,
                    qr2=p.qr2,
                    marks=p.marks,
                    fields=tuple(
                        LayoutField(f.item, FieldKind(f.kind), f.box, value=f.value, label=f.label)
                        for f in p.fields
                    ),
                )
                for p in self.pages
            ),
            geometry=self.geometry,
            profile=self.profile,
        )

    def to_map(self, study_id: str, version: str | None = None) -> dict[str, Any]:
        """DESIGN.md's layout map (plus ``geometry`` and ``profile``), JSON-ready."""
        return self.to_layout_map(study_id, version).to_json()


# --- text wrapping -------------------------------------------------------------------------


def measure(profile: Profile, available: float, size: float | None = None) -> float:
    """Line length for body text: the column, but never more than ~60 characters."""
    size = size or profile.body_pt
    # An average character of Norwegian running text in this font (measured on a
    # pangram-like sample): keeps lines near MAX_LINE_CHARS whatever the size.
    sample = "Vil du være med og fortelle om hvordan du bor nå?"
    per_char = text_width(sample, size) / len(sample)
    return min(available, per_char * g.MAX_LINE_CHARS)


def wrap(text: str, width: float, size: float, *, bold: bool = False) -> list[str]:
    """Greedy word wrap by measured width; a word longer than a line is cut by characters."""
    lines: list[str] = []
    for paragraph in text.split("\n"):
        words = paragraph.split()
        if not words:
            lines.append("")
            continue
        current = ""
        for word in words:
            candidate = f"{current} {word}" if current else word
            if text_width(candidate, size, bold=bold) <= width:
                current = candidate
                continue
            if current:
                lines.append(current)
            while text_width(word, size, bold=bold) > width:
                cut = _fit_chars(word, width, size, bold)
                lines.append(word[:cut])
                word = word[cut:]
            current = word
        lines.append(current)
    return lines


def _fit_chars(word: str, width: float, size: float, bold: bool) -> int:
    cut = len(word)
    while cut > 1 and text_width(word[:cut], size, bold=bold) > width:
        cut -= 1
    return cut


# --- blocks: a laid-out piece at a relative position ------------------------------------------


@dataclass
class Block:
    """Content laid out from (0, 0); placed on a page by shifting it down by ``y``."""

    height: float = 0.0
    lines: list[TextLine] = field(default_factory=list)
    fields: list[Field] = field(default_factory=list)
    examples: list[Example] = field(default_factory=list)

    def text(
        self,
        x: float,
        text: str,
        width: float,
        size: float,
        *,
        bold: bool = False,
        spacing: float = g.LINE_SPACING,
    ) -> float:
        """Append wrapped text starting at the current bottom; returns its height."""
        line_pt = size * spacing
        top = self.height
        wrapped = wrap(text, width, size, bold=bold)
        for n, line in enumerate(wrapped):
            if line:
                # Baseline about 0.8 of the font size below the line box's top.
                baseline = top + n * line_pt + (line_pt - size) / 2 + size * 0.8
                self.lines.append(TextLine(x, baseline, line, size, bold))
        used = len(wrapped) * line_pt
        self.height = top + used
        return used

    def gap(self, points: float) -> None:
        self.height += points

    def shifted(self, dx: float, dy: float) -> Block:
        return Block(
            self.height,
            [replace(t, x=t.x + dx, y=t.y + dy) for t in self.lines],
            [_shift_field(f, dx, dy) for f in self.fields],
            [replace(e, box=_shift(e.box, dx, dy)) for e in self.examples],
        )


def _shift(box: Box, dx: float, dy: float) -> Box:
    return (box[0] + dx, box[1] + dy, box[2], box[3])


def _shift_field(f: Field, dx: float, dy: float) -> Field:
    label = _shift(f.label, dx, dy) if f.label is not None else None
    return replace(f, box=_shift(f.box, dx, dy), label=label)


def _r(box: Box) -> Box:
    x, y, w, h = box
    return round(x, 2), round(y, 2), round(w, 2), round(h, 2)


def _round_field(f: Field) -> Field:
    return replace(f, box=_r(f.box), label=_r(f.label) if f.label is not None else None)


def _text_box(lines: list[TextLine]) -> Box | None:
    """The tight box of printed lines: from the first line's ascent to the last line's
    descent, as wide as the widest line (further where a glyph reaches past its advance)."""
    if not lines:
        return None
    x0 = y0 = float("inf")
    x1 = y1 = float("-inf")
    for line in lines:
        left, right, above, below = ink_extent(line.text, line.size, bold=line.bold)
        x0, x1 = min(x0, line.x + left), max(x1, line.x + right)
        y0, y1 = min(y0, line.y - above), max(y1, line.y + below)
    return (x0, y0, x1 - x0, y1 - y0)


@dataclass(frozen=True)
class Context:
    language: str
    profile: Profile
    width: float  # the content column


# --- one layout rule per item type --------------------------------------------------------


def _label(block: Block, item: Item, ctx: Context, hint: str | None = None) -> None:
    p = ctx.profile
    # No "*" for required items: a symbol to decode is a hurdle in easy language,
    # and paper cannot enforce it anyway (the web form and review do).
    label = item.label.get(ctx.language)
    block.text(0, label, measure(p, ctx.width), p.body_pt, bold=True)
    extra = [item.hint.get(ctx.language)] if item.hint else []
    if hint:
        extra.append(hint)
    for text in extra:
        block.text(0, text, measure(p, ctx.width), p.body_pt)
    block.gap(p.option_gap_pt / 2)


def _option_rows(block: Block, item: Item, ctx: Context) -> None:
    """Tick boxes one under the other, each label beside its box."""
    p = ctx.profile
    box = p.checkbox_pt
    label_x = box + 3 * g.MM
    width = measure(p, ctx.width - label_x)
    for n, choice in enumerate(item.options()):
        if n:
            block.gap(p.option_gap_pt)
        top = block.height
        label = choice.label.get(ctx.language)
        rows = len(wrap(label, width, p.body_pt))
        text_h = rows * p.line_pt
        # Centre the box on the first line of its label.
        box_y = top + max(0.0, (p.line_pt - box) / 2)
        text_top = top + max(0.0, (box - p.line_pt) / 2)
        block.height = text_top
        first_line = len(block.lines)
        block.text(label_x, label, width, p.body_pt)
        block.fields.append(
            Field(
                item.id,
                item.type,
                FieldKind.CHOICE,
                (0.0, box_y, box, box),
                value=choice.value,
                label=_text_box(block.lines[first_line:]),
            )
        )
        block.height = max(top + text_h, box_y + box, block.height)


def _choice(item: Item, ctx: Context) -> Block:
    block = Block()
    key = "choose_any" if item.multiple else "choose_one"
    _label(block, item, ctx, phrase(key, ctx.language) if _standard(ctx) else None)
    _option_rows(block, item, ctx)
    return block


def _yes_no(item: Item, ctx: Context) -> Block:
    block = Block()
    _label(block, item, ctx)
    _option_rows(block, item, ctx)
    return block


def _consent(item: Item, ctx: Context) -> Block:
    """One box beside the thing consented to (the label is the consent text)."""
    block = Block()
    if item.hint:
        block.text(
            0, item.hint.get(ctx.language), measure(ctx.profile, ctx.width), ctx.profile.body_pt
        )
    _option_rows(block, item, ctx)
    return block


def _scale(item: Item, ctx: Context) -> Block:
    """Numbers above a row of boxes; what the ends mean is said in words first."""
    p = ctx.profile
    block = Block()
    _label(block, item, ctx)
    ends = []
    if item.scale_low:
        ends.append(f"{item.scale_min} = {item.scale_low.get(ctx.language)}")
    if item.scale_high:
        ends.append(f"{item.scale_max} = {item.scale_high.get(ctx.language)}")
    for text in ends:
        block.text(0, text, measure(p, ctx.width), p.body_pt)
    block.gap(p.option_gap_pt / 2)
    options = item.options()
    column = min(20 * g.MM, ctx.width / max(1, len(options)))
    if column < p.checkbox_pt + 2 * g.MM:
        raise LayoutError(
            f"item {item.id!r}: a scale of {len(options)} steps does not fit across the page"
        )
    number_top = block.height
    box_y = number_top + p.line_pt
    for n, choice in enumerate(options):
        x = n * column
        label = choice.label.get(ctx.language)
        label_x = x + (p.checkbox_pt - text_width(label, p.body_pt)) / 2
        baseline = number_top + (p.line_pt - p.body_pt) / 2 + p.body_pt * 0.8
        number = TextLine(label_x, baseline, label, p.body_pt)
        block.lines.append(number)
        block.fields.append(
            Field(
                item.id,
                item.type,
                FieldKind.CHOICE,
                (x, box_y, p.checkbox_pt, p.checkbox_pt),
                value=choice.value,
                label=_text_box([number]),
            )
        )
    block.height = box_y + p.checkbox_pt
    return block


def _written(
    kind: FieldKind,
    width_of: Callable[[Context], float],
    height_of: Callable[[Item, Profile], float],
    hint_key: str | None = None,
    guide_lines: Callable[[Item], int] = lambda item: 0,
) -> Callable[[Item, Context], Block]:
    def rule(item: Item, ctx: Context) -> Block:
        block = Block()
        _label(block, item, ctx, phrase(hint_key, ctx.language) if hint_key else None)
        block.fields.append(
            Field(
                item.id,
                item.type,
                kind,
                (0.0, block.height, width_of(ctx), height_of(item, ctx.profile)),
                guide_lines=guide_lines(item),
            )
        )
        block.height += height_of(item, ctx.profile)
        return block

    return rule


def _info(item: Item, ctx: Context) -> Block:
    block = Block()
    for n, paragraph in enumerate(p for p in item.label.get(ctx.language).split("\n\n")):
        if n:
            block.gap(ctx.profile.line_pt / 2)
        block.text(0, paragraph.strip(), measure(ctx.profile, ctx.width), ctx.profile.body_pt)
    return block


def _standard(ctx: Context) -> bool:
    return ctx.language in ("nb", "nn", "en")


_FULL = lambda ctx: ctx.width  # noqa: E731 - tiny width rules read best inline
_NARROW = lambda ctx: min(ctx.width, 60 * g.MM)  # noqa: E731
_SIGN = lambda ctx: min(ctx.width, 110 * g.MM)  # noqa: E731

#: How each item type is laid out. A test checks every ItemType has a rule.
LAYOUT_RULES: dict[ItemType, Callable[[Item, Context], Block]] = {
    ItemType.SINGLE_CHOICE: _choice,
    ItemType.MULTIPLE_CHOICE: _choice,
    ItemType.YES_NO: _yes_no,
    ItemType.SCALE: _scale,
    ItemType.CONSENT: _consent,
    ItemType.SHORT_TEXT: _written(FieldKind.TEXT, _FULL, lambda i, p: p.text_field_pt),
    ItemType.LONG_TEXT: _written(
        FieldKind.TEXT,
        _FULL,
        lambda i, p: max(1, i.lines) * p.writing_line_pt,
        guide_lines=lambda i: max(1, i.lines),
    ),
    ItemType.NUMBER: _written(FieldKind.TEXT, _NARROW, lambda i, p: p.text_field_pt, "number_hint"),
    ItemType.DATE: _written(FieldKind.TEXT, _NARROW, lambda i, p: p.text_field_pt, "date_format"),
    ItemType.SIGNATURE: _written(FieldKind.SIGNATURE, _SIGN, lambda i, p: p.signature_pt),
    ItemType.INFO: _info,
}


# --- pages ---------------------------------------------------------------------------------


def _header(form: Form, ctx: Context, page_size: Size) -> tuple[Block, float, tuple[float, float]]:
    """Title beside the QR code, the identity line, then the marking instruction.

    Returns the header block (absolute coordinates), where content may start,
    and the identity baseline.
    """
    p = ctx.profile
    qr = g.qr_box(page_size)
    left = g.MARGIN_LEFT_PT
    title_width = qr[0] - left - 6 * g.MM
    block = Block()
    block.height = g.QR_TOP_PT
    block.text(0, form.title.get(ctx.language), title_width, p.title_pt, bold=True, spacing=1.2)
    block.gap(2 * g.MM)
    identity_top = block.height
    identity = (left, identity_top + (p.line_pt - p.body_pt) / 2 + p.body_pt * 0.8)
    block.height = max(identity_top + p.line_pt, qr[1] + qr[3]) + 4 * g.MM
    # Marking instruction: an example of a cross and of a filled (cancelled) box.
    example = p.checkbox_pt
    top = block.height
    text_x = 2 * example + 8 * g.MM
    block.examples.append(Example((0.0, top, example, example), "crossed"))
    block.examples.append(Example((example + 3 * g.MM, top, example, example), "cancelled"))
    block.text(
        text_x,
        phrase("marking_instruction", ctx.language),
        measure(p, ctx.width - text_x),
        p.body_pt,
    )
    block.height = max(block.height, top + example) + p.item_gap_pt
    shifted = block.shifted(left, 0.0)
    return shifted, shifted.height, identity


def _footer_top(page_size: Size, profile: Profile) -> float:
    """Where content must end: above the footer line and clear of the second code."""
    above_footer = page_size[1] - g.MARGIN_BOTTOM_PT - profile.line_pt - 6 * g.MM
    return min(above_footer, g.qr2_box(page_size)[1] - 2 * g.MM)


def _section_head(section: Section, ctx: Context) -> Block:
    block = Block()
    if section.title:
        block.text(
            0,
            section.title.get(ctx.language),
            measure(ctx.profile, ctx.width),
            ctx.profile.heading_pt,
            bold=True,
        )
        block.gap(2 * g.MM)
    if section.intro:
        block.text(
            0, section.intro.get(ctx.language), measure(ctx.profile, ctx.width), ctx.profile.body_pt
        )
        block.gap(ctx.profile.option_gap_pt)
    return block


#: A signature field and the date beside it (saves a row: a consent form then
#: often fits on one sheet, and the two are never on different pages).
SIGNATURE_WIDTH_PT = 110 * g.MM
SIDE_GAP_PT = 6 * g.MM
MIN_DATE_WIDTH_PT = 45 * g.MM


def _sign_and_date(item: Item, pair: Item | None, ctx: Context) -> bool:
    return (
        pair is not None
        and item.type == ItemType.SIGNATURE
        and pair.type == ItemType.DATE
        and not pair.page_break_before
        and ctx.width - SIGNATURE_WIDTH_PT - SIDE_GAP_PT >= MIN_DATE_WIDTH_PT
    )


def _side_by_side(left: Item, right: Item, ctx: Context) -> Block:
    left_ctx = replace(ctx, width=SIGNATURE_WIDTH_PT)
    right_ctx = replace(ctx, width=ctx.width - SIGNATURE_WIDTH_PT - SIDE_GAP_PT)
    a = LAYOUT_RULES[left.type](left, left_ctx)
    b = LAYOUT_RULES[right.type](right, right_ctx).shifted(SIGNATURE_WIDTH_PT + SIDE_GAP_PT, 0)
    return Block(max(a.height, b.height), a.lines + b.lines, a.fields + b.fields, [])


def _stack(*blocks: Block) -> Block:
    out = Block()
    for b in blocks:
        moved = b.shifted(0.0, out.height)
        out.lines += moved.lines
        out.fields += moved.fields
        out.examples += moved.examples
        out.height += b.height
    return out


def layout_form(
    form: Form, language: str, profile: str = "standard", page_size: Size = g.A4
) -> FormLayout:
    """Every page of ``form`` in ``language``: pure, deterministic geometry."""
    if profile not in g.PROFILES:
        raise LayoutError(f"unknown print profile {profile!r}; use one of {', '.join(g.PROFILES)}")
    prof = g.PROFILES[profile]
    width = page_size[0] - g.MARGIN_LEFT_PT - g.MARGIN_RIGHT_PT
    ctx = Context(language, prof, width)
    header, content_top, identity = _header(form, ctx, page_size)
    content_bottom = _footer_top(page_size, prof)
    room = content_bottom - content_top
    qr2 = g.qr2_box(page_size)
    # "Page x of y" sits right of the second code, on the footer's usual baseline.
    footer = (
        qr2[0] + qr2[2] + g.QR2_TEXT_GAP_PT,
        page_size[1] - g.MARGIN_BOTTOM_PT - prof.body_pt * 0.25,
    )

    # Units that must stay on one page: each item, with its section's head on the first.
    units: list[tuple[Block, bool, str]] = []
    if form.intro:
        intro = Block()
        intro.text(0, form.intro.get(language), measure(prof, width), prof.body_pt)
        units.append((intro, False, "the form's introduction"))
    for section in form.sections:
        head = _section_head(section, ctx)
        items = list(section.items)
        n = 0
        while n < len(items):
            item = items[n]
            pair = items[n + 1] if n + 1 < len(items) else None
            if pair is not None and _sign_and_date(item, pair, ctx):
                body = _side_by_side(item, pair, ctx)
                what = f"items {item.id!r} and {pair.id!r}"
                step = 2
            else:
                body = LAYOUT_RULES[item.type](item, ctx)
                what = f"item {item.id!r}"
                step = 1
            if n == 0:
                body = _stack(head, body) if head.height else body
            brk = item.page_break_before or (n == 0 and section.page_break_before)
            units.append((body, brk, what))
            n += step

    pages: list[list[Block]] = [[]]
    y = content_top
    for body, brk, what in units:
        if body.height > room:
            raise LayoutError(
                f"{what} of form {form.id!r} is too tall for one page "
                f"({body.height / g.MM:.0f} mm, room {room / g.MM:.0f} mm); split it"
            )
        if pages[-1] and (brk or y + body.height > content_bottom):
            pages.append([])
            y = content_top
        pages[-1].append(body.shifted(g.MARGIN_LEFT_PT, y))
        y += body.height + prof.item_gap_pt

    marks = g.marks(page_size)
    qr = g.qr_box(page_size)
    out = []
    for number, blocks in enumerate(pages, start=1):
        lines = [*header.lines]
        fields: list[Field] = []
        for b in blocks:
            lines += b.lines
            fields += b.fields
        out.append(
            PageLayout(
                page=number,
                qr=qr,
                qr2=qr2,
                marks=marks,
                lines=tuple(_round_line(t) for t in lines),
                fields=tuple(_round_field(f) for f in fields),
                examples=tuple(replace(e, box=_r(e.box)) for e in header.examples),
                identity=(round(identity[0], 2), round(identity[1], 2)),
                footer=(round(footer[0], 2), round(footer[1], 2)),
            )
        )
    return FormLayout(
        form=form.id,
        language=language,
        profile=profile,
        page_size=page_size,
        pages=tuple(out),
        text_version=text_version(form),
        geometry=geometry_fingerprint(form),
    )


def _round_line(t: TextLine) -> TextLine:
    return replace(t, x=round(t.x, 2), y=round(t.y, 2))

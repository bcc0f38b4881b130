"""Page geometry of a form: pure and deterministic (same input, same numbers).

``layout_form(form, language, profile)`` places every text line, tick box,
writing field, the QR code and the four registration marks on each page, in
points from the page's top-left corner. ``FormLayout.to_map`` turns that into
DESIGN.md's layout map, the only thing the scanner reads. Rendering
(``printing.render``) draws exactly what is here and adds nothing that moves.

Rules, from easy-to-read guidance: body text 14 pt (large print 18 pt), one
sans-serif font, left aligned and ragged right, lines of at most about 60
characters, line spacing 1.35, tick boxes of 6 mm (large print 7.5 mm) with
4-5 mm between options. An item that fits on a page is never split across
pages; a section heading stays with its first item; a choice list stays with
its question. Only what is taller than a whole page flows: a long choice list
into columns (when every option label is short enough for one) and on across
pages, the question repeated with "(continued)" on each further page; a long
text (an information text, the form's introduction) breaks between paragraphs,
and between lines only where one paragraph is taller than a page. Whatever
still does not fit raises LayoutError, which `deltaker check` reports.

Layout-map field kinds: ``choice`` (one per tick box, with its ``value``),
``text`` (short and long text, number and date: handwriting typed in after the
scan) and ``signature``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

from bidi import get_base_level

from forms.errors import UserError
from forms.languages import is_rtl
from forms.model import Choice, Form, Item, ItemType, Section
from forms.references import paper_form
from forms.version import geometry_fingerprint, text_version

from . import geometry as g
from .geometry import Box, Profile, Size
from .layout_map import FieldKind, LayoutField, LayoutMap, LayoutPage
from .texts import form_language
from .texts import form_say as phrase
from .typeface import has_rtl, ink_extent, text_width


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
    rtl: bool = False  # the paragraph runs right to left (its language's direction)


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
    #: The language runs right to left: the page is mirrored (printing.layout.mirror_page).
    rtl: bool = False

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
        # A paragraph's direction is that of its first letter (Unicode bidi rule P2):
        # an Arabic paragraph runs right to left, even with a Latin name inside.
        wrapped: list[tuple[str, bool]] = []
        for paragraph in text.split("\n"):
            rtl = bool(get_base_level(paragraph)) if paragraph.strip() else False
            wrapped += [(line, rtl) for line in wrap(paragraph, width, size, bold=bold)]
        for n, (line, rtl) in enumerate(wrapped):
            if line:
                # Baseline about 0.8 of the font size below the line box's top.
                baseline = top + n * line_pt + (line_pt - size) / 2 + size * 0.8
                self.lines.append(TextLine(x, baseline, line, size, bold, rtl))
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
        left, right, above, below = ink_extent(line.text, line.size, bold=line.bold, rtl=line.rtl)
        x0, x1 = min(x0, line.x + left), max(x1, line.x + right)
        y0, y1 = min(y0, line.y - above), max(y1, line.y + below)
    return (x0, y0, x1 - x0, y1 - y0)


@dataclass(frozen=True)
class Context:
    language: str
    profile: Profile
    width: float  # the content column


#: Room between a tick box and its label.
OPTION_TEXT_GAP_PT = 3 * g.MM
#: Most columns a long choice list flows into: three keep 50 mm a column on A4,
#: room for a box and a word or two at 14 pt.
MAX_CHOICE_COLUMNS = 3
#: Space between two columns of options: wide enough that a label never seems
#: to belong to the box on its right.
COLUMN_GUTTER_PT = 8 * g.MM
#: Most lines an option label may wrap to in a column; longer labels keep one column.
MAX_COLUMN_LABEL_LINES = 2
#: A flowing item starts on the current page only if at least this much room is
#: left (about three options): a question alone at a page's foot is easy to miss.
MIN_FLOW_ROOM_PT = 40 * g.MM


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
    for n, choice in enumerate(item.options()):
        if n:
            block.gap(ctx.profile.option_gap_pt)
        _option_row(block, item, choice, ctx)


def _option_row(block: Block, item: Item, choice: Choice, ctx: Context) -> None:
    """One tick box with its label beside it, at the block's current bottom."""
    p = ctx.profile
    box = p.checkbox_pt
    label_x = box + OPTION_TEXT_GAP_PT
    width = measure(p, ctx.width - label_x)
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
    return _stack(*_paragraphs(item.label.get(ctx.language), ctx))


def _paragraphs(text: str, ctx: Context) -> list[Block]:
    """One block a paragraph, each after the first opening with the paragraph gap."""
    blocks = []
    for n, paragraph in enumerate(text.split("\n\n")):
        block = Block()
        if n:
            block.gap(ctx.profile.line_pt / 2)
        block.text(0, paragraph.strip(), measure(ctx.profile, ctx.width), ctx.profile.body_pt)
        blocks.append(block)
    return blocks


def _standard(ctx: Context) -> bool:
    """Whether the form's language has its own instructions (else none are added per item)."""
    return form_language(ctx.language) == ctx.language


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


# --- right to left ------------------------------------------------------------------------


def _mirror_box(box: Box, left: float, right: float) -> Box:
    x, y, w, h = box
    return (left + right - x - w, y, w, h)


def _inside(inner: Box, outer: Box, slack: float = 0.01) -> bool:
    return (
        inner[0] >= outer[0] - slack
        and inner[1] >= outer[1] - slack
        and inner[0] + inner[2] <= outer[0] + outer[2] + slack
        and inner[1] + inner[3] <= outer[1] + outer[3] + slack
    )


def mirror_block(block: Block, left: float, right: float) -> None:
    """Mirror ``block`` in place between ``left`` and ``right``, for a right-to-left page.

    Each text line then ends where it began (right aligned, ragged left) and runs
    right to left; boxes, fields and examples swap sides (a tick box goes to the
    right of its option). A choice's label box is measured again on the mirrored
    lines, so the layout map holds where the ink really is.
    """
    lines = block.lines
    mirrored = []
    for t in lines:
        # Right to left where the paragraph is, or where the line has right-to-left
        # letters; English furniture (a language without its own form words) stays
        # left to right inside, only aligned right.
        rtl = t.rtl or has_rtl(t.text)
        width = text_width(t.text, t.size, bold=t.bold, rtl=rtl)
        mirrored.append(replace(t, x=left + right - t.x - width, rtl=rtl))
    ink = [_text_box([t]) for t in lines]  # each line's ink, once for all the labels
    fields = []
    for f in block.fields:
        label = f.label
        if label is not None:
            own = [mirrored[n] for n, box in enumerate(ink) if _inside(box or label, label)]
            label = _text_box(own)
        fields.append(replace(f, box=_mirror_box(f.box, left, right), label=label))
    block.lines = mirrored
    block.fields = fields
    block.examples = [replace(e, box=_mirror_box(e.box, left, right)) for e in block.examples]


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
    if is_rtl(ctx.language):
        # The title mirrors in its own column (the QR code stays at the top right),
        # the marking instruction across the page; the identity ends where the title does.
        title = [t for t in block.lines if t.y < identity_top]
        rest = [t for t in block.lines if t.y >= identity_top]
        mirrored = Block(block.height, title, [], [])
        mirror_block(mirrored, 0.0, title_width)
        instruction = Block(block.height, rest, [], block.examples)
        mirror_block(instruction, 0.0, ctx.width)
        block = Block(block.height, mirrored.lines + instruction.lines, [], instruction.examples)
        identity = (left + title_width, identity[1])
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


# --- flowing what is taller than a page ----------------------------------------------------

#: Lays out a tall item over pages: (room on the first page, room on a full page)
#: -> one block a page; an empty first block means "start on a fresh page".
Flow = Callable[[float, float], list[Block]]


@dataclass
class Unit:
    """What the pager places: kept whole when it fits on a page, else flowed."""

    body: Block
    brk: bool
    what: str
    flow: Flow | None = None


def _choice_columns(item: Item, ctx: Context, room: float, head: float) -> int:
    """How many columns a choice list too tall for one page flows into.

    The fewest that bring it onto one page, else the most its labels allow: a
    label must wrap to at most MAX_COLUMN_LABEL_LINES lines and no word may be cut.
    """
    p = ctx.profile
    allowed = 1
    for cols in range(2, MAX_CHOICE_COLUMNS + 1):
        width = measure(p, _column_width(ctx, cols) - p.checkbox_pt - OPTION_TEXT_GAP_PT)
        labels = [c.label.get(ctx.language) for c in item.options()]
        if all(
            len(wrap(label, width, p.body_pt)) <= MAX_COLUMN_LABEL_LINES
            and all(text_width(word, p.body_pt) <= width for word in label.split())
            for label in labels
        ):
            allowed = cols
    for cols in range(2, allowed + 1):
        cells = _cells(item, ctx, cols)
        if _fits(cells, len(cells), cols, room - head, p.option_gap_pt):
            return cols
    return allowed


def _column_width(ctx: Context, cols: int) -> float:
    return (ctx.width - (cols - 1) * COLUMN_GUTTER_PT) / cols


def _cells(item: Item, ctx: Context, cols: int) -> list[Block]:
    column = replace(ctx, width=_column_width(ctx, cols))
    cells = []
    for choice in item.options():
        cell = Block()
        _option_row(cell, item, choice, column)
        cells.append(cell)
    return cells


def _column_height(cells: list[Block], gap: float) -> float:
    return sum(c.height for c in cells) + gap * max(0, len(cells) - 1)


def _fits(cells: list[Block], count: int, cols: int, room: float, gap: float) -> bool:
    """Whether the first ``count`` cells, read down column after column, fit in ``room``."""
    rows = -(-count // cols)
    return all(
        _column_height(cells[c * rows : min(count, (c + 1) * rows)], gap) <= room
        for c in range(cols)
    )


def _columns_block(cells: list[Block], cols: int, ctx: Context) -> Block:
    """Cells placed down the first column, then the next (how a list is read)."""
    rows = -(-len(cells) // cols)
    gap = ctx.profile.option_gap_pt
    out = Block()
    for c in range(cols):
        column = _stack_gapped(cells[c * rows : (c + 1) * rows], gap)
        moved = column.shifted(c * (_column_width(ctx, cols) + COLUMN_GUTTER_PT), 0.0)
        out.lines += moved.lines
        out.fields += moved.fields
        out.height = max(out.height, column.height)
    return out


def _stack_gapped(blocks: list[Block], gap: float) -> Block:
    out = Block()
    for n, b in enumerate(blocks):
        if n:
            out.gap(gap)
        moved = b.shifted(0.0, out.height)
        out.lines += moved.lines
        out.fields += moved.fields
        out.height += b.height
    return out


def _choice_flow(item: Item, ctx: Context, head: Block) -> Flow:
    """A choice list over columns and pages; ``head`` is its question (and section head)."""
    p = ctx.profile

    def flow(first_room: float, room: float) -> list[Block]:
        cols = _choice_columns(item, ctx, room, head.height)
        cells = _cells(item, ctx, cols)
        again = Block()
        label = f"{item.label.get(ctx.language)} {phrase('continued', ctx.language)}"
        again.text(0, label, measure(p, ctx.width), p.body_pt, bold=True)
        again.gap(p.option_gap_pt / 2)
        parts: list[Block] = []
        top, avail, start = head, first_room, 0
        while start < len(cells):
            rest = cells[start:]
            count = 0
            while count < len(rest) and _fits(
                rest, count + 1, cols, avail - top.height, p.option_gap_pt
            ):
                count += 1
            if count == 0:
                if avail < room:
                    # Nothing fits below the question here: try a fresh page.
                    if not parts:
                        parts.append(Block())
                    top, avail = (head if start == 0 else again), room
                    continue
                raise LayoutError(
                    f"item {item.id!r}: option {item.options()[start].value!r} "
                    "is too tall for one page"
                )
            parts.append(_stack(top, _columns_block(rest[:count], cols, ctx)))
            start += count
            top, avail = again, room
        return parts

    return flow


def _text_flow(pieces: list[Block], what: str, ctx: Context, head: Block | None = None) -> Flow:
    """Text over pages: between paragraphs, between lines in a paragraph taller than a page."""

    def flow(first_room: float, room: float) -> list[Block]:
        parts: list[Block] = []
        page = head if head is not None else Block()
        avail = first_room
        queue = list(pieces)
        while queue:
            piece = queue.pop(0)
            if page.height + piece.height <= avail:
                page = _stack(page, piece)
                continue
            if piece.height > room:
                first, rest = _split_lines(piece, avail - page.height)
                if not first.lines and not page.lines and avail >= room:
                    raise LayoutError(f"{what}: a line of it is taller than a page")
                if first.lines:
                    page = _stack(page, first)
                if rest.lines:
                    queue.insert(0, rest)
            else:
                queue.insert(0, _without_leading_gap(piece))
            parts.append(page)
            page, avail = Block(), room
        parts.append(page)
        return parts

    return flow


def _line_top(line: TextLine) -> float:
    """The top of a text line's box (Block.text puts the baseline this far down in it)."""
    line_pt = line.size * g.LINE_SPACING
    return line.y - (line_pt - line.size) / 2 - line.size * 0.8


def _without_leading_gap(piece: Block) -> Block:
    """A paragraph opening a page needs no paragraph gap above it."""
    if not piece.lines:
        return piece
    top = _line_top(piece.lines[0])
    moved = piece.shifted(0.0, -top)
    moved.height = piece.height - top
    return moved


def _split_lines(piece: Block, room: float) -> tuple[Block, Block]:
    """A text-only block cut between two lines: what fits in ``room``, and the rest."""
    keep = [t for t in piece.lines if _line_top(t) + t.size * g.LINE_SPACING <= room]
    rest = piece.lines[len(keep) :]
    if not rest:
        return Block(piece.height, keep), Block()
    first = Block(_line_top(rest[0]), keep)
    return first, _without_leading_gap(Block(piece.height, rest))


def layout_form(
    form: Form, language: str, profile: str = "standard", page_size: Size = g.A4
) -> FormLayout:
    """Every page of ``form`` in ``language``: pure, deterministic geometry."""
    if profile not in g.PROFILES:
        raise LayoutError(f"unknown print profile {profile!r}; use one of {', '.join(g.PROFILES)}")
    prof = g.PROFILES[profile]
    width = page_size[0] - g.MARGIN_LEFT_PT - g.MARGIN_RIGHT_PT
    ctx = Context(language, prof, width)
    # versions name the form as written; the pages show it as paper can
    # (a blank for an earlier answer, a note's condition in words)
    source, form = form, paper_form(form, language)
    header, content_top, identity = _header(form, ctx, page_size)
    content_bottom = _footer_top(page_size, prof)
    room = content_bottom - content_top
    qr2 = g.qr2_box(page_size)
    # "Page x of y" sits right of the second code, on the footer's usual baseline.
    footer = (
        qr2[0] + qr2[2] + g.QR2_TEXT_GAP_PT,
        page_size[1] - g.MARGIN_BOTTOM_PT - prof.body_pt * 0.25,
    )

    # Units kept on one page if they fit: each item, with its section's head on the first.
    units: list[Unit] = []
    if form.intro:
        intro = Block()
        intro.text(0, form.intro.get(language), measure(prof, width), prof.body_pt)
        what = "the form's introduction"
        pieces = _paragraphs(form.intro.get(language), ctx)
        units.append(Unit(intro, False, what, _text_flow(pieces, what, ctx)))
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
            flow = None
            lead = head if n == 0 else Block()
            if step == 1 and item.type in (ItemType.SINGLE_CHOICE, ItemType.MULTIPLE_CHOICE):
                question = Block()
                key = "choose_any" if item.multiple else "choose_one"
                _label(question, item, ctx, phrase(key, language) if _standard(ctx) else None)
                flow = _choice_flow(item, ctx, _stack(lead, question))
            elif step == 1 and item.type == ItemType.INFO:
                flow = _text_flow(_paragraphs(item.label.get(language), ctx), what, ctx, lead)
            if n == 0:
                body = _stack(head, body) if head.height else body
            brk = item.page_break_before or (n == 0 and section.page_break_before)
            units.append(Unit(body, brk, what, flow))
            n += step

    pages: list[list[Block]] = [[]]
    y = content_top
    for unit in units:
        body = unit.body
        if body.height > room and unit.flow is None:
            raise LayoutError(
                f"{unit.what} of form {form.id!r} is too tall for one page "
                f"({body.height / g.MM:.0f} mm, room {room / g.MM:.0f} mm); split it"
            )
        if body.height <= room:
            if pages[-1] and (unit.brk or y + body.height > content_bottom):
                pages.append([])
                y = content_top
            pages[-1].append(body.shifted(g.MARGIN_LEFT_PT, y))
            y += body.height + prof.item_gap_pt
            continue
        if pages[-1] and (unit.brk or content_bottom - y < MIN_FLOW_ROOM_PT):
            pages.append([])
            y = content_top
        assert unit.flow is not None  # for mypy: a unit taller than a page has a flow
        try:
            parts = unit.flow(content_bottom - y, room)
        except LayoutError as exc:
            raise LayoutError(f"form {form.id!r}: {exc}") from None
        for number, part in enumerate(parts):
            if number:
                pages.append([])
                y = content_top
            if part.lines or part.fields:
                pages[-1].append(part.shifted(g.MARGIN_LEFT_PT, y))
                y += part.height + prof.item_gap_pt

    marks = g.marks(page_size)
    qr = g.qr_box(page_size)
    rtl = is_rtl(language)
    out = []
    for number, blocks in enumerate(pages, start=1):
        lines = [*header.lines]
        fields: list[Field] = []
        for b in blocks:
            if rtl:
                b = Block(b.height, list(b.lines), list(b.fields), list(b.examples))
                mirror_block(b, g.MARGIN_LEFT_PT, g.MARGIN_LEFT_PT + width)
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
        text_version=text_version(source),
        geometry=geometry_fingerprint(source),
        rtl=rtl,
    )


def _round_line(t: TextLine) -> TextLine:
    return replace(t, x=round(t.x, 2), y=round(t.y, 2))

"""Letter packs: what one person finds in the envelope.

A pack is, in order: (a) the easy-language invitation letter, with the name
and address placed for a left-window envelope, the date, the sender, a
personal QR code, the typed answer code and the short web address; (b) the
information letter (forms.information: all Sikt sections); (c) the consent
form; (d) the questionnaire or reply form for the person's group, if any; (e)
a short "how to answer" page. Every page that can come back carries its QR
page identity, the registration marks, the participant code, "page x of y",
the form's text version and the marking instruction (see printing.render).

Everything that is the same for everybody in one language is laid out once per
:class:`PackPrinter`; drawing one person's pack only adds their name, address,
codes and QR codes. For duplex printing every returnable form starts on a new
sheet and the pack has an even number of pages, so the next pack in a combined
file starts on a new sheet too. A person whose format profile asks for one side
only gets a blank back after every page (printing.format_profile.Sheets).
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol, TypedDict

from reportlab.pdfgen.canvas import Canvas

from forms.errors import UserError
from forms.information import information_letter
from forms.languages import is_rtl
from forms.model import Form, FormKind, ItemType, Study
from forms.phrases import format_date

from . import geometry as g
from .format_profile import FormatProfile, Sheets, sheets_for
from .layout import Block, Field, FormLayout, TextLine, layout_form, measure, mirror_block
from .qr import anonymous_payload, personal_payload
from .render import FormPrinter, Stamp, draw_line, draw_qr, draw_string, draw_text
from .texts import FALLBACK_LANGUAGE, form_say, print_language, say
from .typeface import check_glyphs, has_rtl, text_width

#: Up to this many short last paragraphs are the letter's closing ("Best wishes" /
#: "Ingrid Haugen, Høgskolen i Fjordby"): the QR box goes before them.
CLOSING_MAX_CHARS = 90
CLOSING_MAX_PARAGRAPHS = 3


class PackError(UserError):
    """A letter pack cannot be made (no such form, missing address, bad text...)."""


@dataclass(frozen=True)
class Addressee:
    """Who a pack is for: the participant code, and name and address for the window."""

    code: str  # participant code, e.g. P-7K3M
    name: str
    address_lines: tuple[str, ...]  # street, "0150 Oslo"
    language: str


@dataclass(frozen=True)
class Credentials:
    """The personal link and the typed answer code (never stored, never logged)."""

    token: str
    answer_code: str  # as printed, e.g. "7K3M-QX2P"


class PackPageEntry(TypedDict):
    """One entry of an invitation's ``pages`` list (DESIGN.md / intake.models.Invitation)."""

    n: int
    form: str | None
    version: str | None
    page: int | None
    language: str
    profile: str


@dataclass(frozen=True)
class PackPage:
    """One physical page of a pack. ``form`` is set on pages that can come back."""

    n: int  # 1-based within the pack (the ``?p=`` of the QR code)
    kind: str  # letter | information | form | how_to_answer | blank
    form: str | None = None
    version: str | None = None
    page: int | None = None  # within the form
    doc_page: int | None = None  # within its letter (for letter and information pages)

    def as_json(self, language: str, profile: str) -> PackPageEntry:
        """The invitation's ``pages`` entry (DESIGN.md / intake.models.Invitation)."""
        return {
            "n": self.n,
            "form": self.form,
            "version": self.version,
            "page": self.page,
            "language": language,
            "profile": profile,
        }


# --- flowing letter text ----------------------------------------------------------------


@dataclass
class FlowPage:
    lines: list[TextLine] = field(default_factory=list)
    slots: dict[str, tuple[float, float, float, float]] = field(default_factory=dict)


def _markdown_blocks(text: str) -> list[tuple[str, str]]:
    """A tiny Markdown subset: '# heading', '- bullet', paragraphs (lines joined).

    ``**bold**`` markers are dropped: emphasis by weight only, and only for headings.
    """
    blocks: list[tuple[str, str]] = []
    for chunk in re.split(r"\n\s*\n", text.strip()):
        lines = [line.strip() for line in chunk.splitlines() if line.strip()]
        paragraph: list[str] = []
        for line in lines:
            line = line.replace("**", "").replace("__", "")
            if line.startswith("#"):
                if paragraph:
                    blocks.append(("p", " ".join(paragraph)))
                    paragraph = []
                blocks.append(("h", line.lstrip("#").strip()))
            elif line[:2] in ("- ", "* "):
                if paragraph:
                    blocks.append(("p", " ".join(paragraph)))
                    paragraph = []
                blocks.append(("li", line[2:].strip()))
            else:
                paragraph.append(line)
        if paragraph:
            blocks.append(("p", " ".join(paragraph)))
    return blocks


class Flow:
    """Lays text blocks down the page, starting new pages as needed (never mid-block)."""

    def __init__(
        self, profile: g.Profile, page_size: g.Size, first_top: float, *, rtl: bool = False
    ):
        self.profile = profile
        self.rtl = rtl  # a right-to-left language: every block is mirrored (right aligned)
        self.page_size = page_size
        self.width = page_size[0] - g.MARGIN_LEFT_PT - g.MARGIN_RIGHT_PT
        self.top = g.MARGIN_TOP_PT
        self.bottom = page_size[1] - g.MARGIN_BOTTOM_PT - profile.line_pt - 3 * g.MM
        self.pages: list[FlowPage] = [FlowPage()]
        self.y = first_top
        self._keep: Block | None = None  # a heading waiting for its first paragraph
        self._last = ""  # the kind of the block laid down before

    def block(self, kind: str, text: str) -> None:
        p = self.profile
        b = Block()
        if self._last == "li" and kind in ("p", "strong"):
            b.gap(p.line_pt / 2)  # a list ends with the space a paragraph ends with
        self._last = kind
        if kind == "title":
            b.text(0, text, measure(p, self.width, p.title_pt), p.title_pt, bold=True, spacing=1.2)
            b.gap(p.line_pt / 2)
        elif kind == "h":
            b.gap(p.line_pt / 2)
            b.text(0, text, measure(p, self.width, p.heading_pt), p.heading_pt, bold=True)
            b.gap(1 * g.MM)
        elif kind == "li":
            indent = 6 * g.MM
            b.text(indent, text, measure(p, self.width - indent), p.body_pt)
            if b.lines:
                b.lines.insert(0, TextLine(2 * g.MM, b.lines[0].y, "•", p.body_pt))
            b.gap(1 * g.MM)
        elif kind == "strong":
            b.text(0, text, measure(p, self.width), p.body_pt, bold=True)
        else:
            b.text(0, text, measure(p, self.width), p.body_pt)
            b.gap(p.line_pt / 2)
        self.add(b, keep_with_next=kind in ("h", "title"))

    def add(self, block: Block, *, keep_with_next: bool = False) -> None:
        if self._keep is not None:
            held, self._keep = self._keep, None
            joined = Block()
            joined.height = held.height
            moved = block.shifted(0, held.height)
            joined.lines = held.lines + moved.lines
            joined.fields = moved.fields
            joined.height += block.height
            block = joined
        if keep_with_next:
            self._keep = block
            return
        if self.y + block.height > self.bottom and self.pages[-1].lines:
            self.pages.append(FlowPage())
            self.y = self.top
        if self.y + block.height > self.bottom:
            raise PackError("a letter paragraph is too long for one page; split it")
        if self.rtl:
            block = Block(block.height, list(block.lines), list(block.fields), [])
            mirror_block(block, 0.0, self.width)
        placed = block.shifted(g.MARGIN_LEFT_PT, self.y)
        self.pages[-1].lines += placed.lines
        for f in placed.fields:
            self.pages[-1].slots[f.item] = f.box
        self.y += block.height

    def finish(self) -> list[FlowPage]:
        if self._keep is not None:
            held, self._keep = self._keep, None
            self.add(held)
        return self.pages


def _sender_lines(study: Study, language: str) -> list[str]:
    sender = study.sender or study.project_leader
    lines = [sender.name]
    if sender.role:
        lines.append(sender.role.get(language))
    lines.append(sender.organisation or study.institution)
    return [line for line in lines if line]


def _short_url(base_url: str) -> str:
    return re.sub(r"^https?://", "", base_url.rstrip("/"))


# --- the pack --------------------------------------------------------------------------------


def pack_forms(study: Study, group: str | None) -> tuple[Form, ...]:
    """The forms in a pack: consent forms, then the group's questionnaire or reply form.

    A form is a group's form when its id is the group's name (``families``,
    ``employees``); without a group, or when no form is named for it, every
    questionnaire is included. Withdrawal slips are printed on request only.
    """
    consent = [f for f in study.forms if f.kind == FormKind.CONSENT]
    named = [f for f in study.forms if f.id == group and f.kind != FormKind.WITHDRAWAL]
    rest = named or [f for f in study.forms if f.kind == FormKind.QUESTIONNAIRE]
    return tuple(consent + [f for f in rest if f not in consent])


class PackPrinter:
    """Lays out a study's pack once for one format profile; draws it per person.

    ``fmt`` (the effective printing.format_profile.FormatProfile) decides the
    print size, the easy-read variants and the sheets; without it ``profile``
    and ``duplex`` do, as before format profiles.
    """

    #: The "how to answer" page right after the letters (on the letter's back) rather
    #: than after the forms.
    how_to_first = False

    def __init__(
        self,
        study: Study,
        language: str,
        *,
        forms: Sequence[Form] | None = None,
        profile: str = "standard",
        duplex: bool = True,
        date: dt.date | None = None,
        page_size: g.Size = g.A4,
        fmt: FormatProfile | None = None,
    ):
        if language not in study.languages:
            raise PackError(
                f"study {study.id!r} has no texts in {language!r} "
                f"(its languages: {', '.join(study.languages)})"
            )
        self.study = study
        self.language = language
        self.say_lang = print_language(language)
        self.fmt = fmt or FormatProfile(language, large_print=profile == "large")
        profile = self.fmt.print_profile
        self.sheets = sheets_for(self.fmt, duplex=duplex)
        self.profile_name = profile
        self.forms = tuple(forms if forms is not None else pack_forms(study, None))
        self.layouts: list[FormLayout] = [
            layout_form(f, language, profile, page_size) for f in self.forms
        ]
        self.profile = g.PROFILES[profile]
        self.printers = [FormPrinter(layout) for layout in self.layouts]
        self.duplex = duplex
        self.date = date or dt.date.today()
        self.page_size = page_size
        self.letter = self._invitation_letter()
        self.information = self._information_letter()
        self.how_to = self._how_to_answer()
        for pages in (self.letter, self.information, self.how_to):
            for page in pages:
                for line in page.lines:
                    check_glyphs(line.text, bold=line.bold, where="the letter pack")
        self.pages = self._plan()

    @functools.cached_property
    def rtl(self) -> bool:
        """The letter's language runs right to left: its pages mirror (asked on every
        page drawn for every person; the language does not change)."""
        return is_rtl(self.language)

    # -- layout of the letters (once) ------------------------------------------------------

    def _invitation_letter(self) -> list[FlowPage]:
        try:
            body = self.study.letter("invitation").body.get(
                self.language, easy=self.fmt.easy_letters
            )
        except KeyError:
            body = say("voluntary", self.say_lang)
        return self._personal_letter(body)

    def _personal_letter(self, body: str) -> list[FlowPage]:
        """A letter in the envelope window's shape, with the QR panel before its closing."""
        p = self.profile
        window_bottom = g.WINDOW_BOX[1] + g.WINDOW_BOX[3]
        flow = Flow(p, self.page_size, window_bottom + 8 * g.MM, rtl=self.rtl)
        blocks = _markdown_blocks(body)
        # The QR box goes after the letter's text but before a short closing
        # greeting ("Vennlig hilsen ..."), so the greeting still ends the letter.
        closing: list[tuple[str, str]] = []
        while (
            len(blocks) > 1
            and len(closing) < CLOSING_MAX_PARAGRAPHS
            and blocks[-1][0] == "p"
            and len(blocks[-1][1]) <= CLOSING_MAX_CHARS
        ):
            closing.insert(0, blocks.pop())
        for kind, text in blocks:
            flow.block("title" if kind == "h" and not flow.pages[0].lines else kind, text)
        flow.add(self._qr_panel())
        for kind, text in closing:
            flow.block(kind, text)
        return flow.finish()

    def _qr_panel(self) -> Block:
        """The personal QR code with a one-line instruction, the answer code and the address."""
        p, lang = self.profile, self.say_lang
        panel = Block()
        panel.gap(p.line_pt / 2)
        size = 30 * g.MM
        text_x = size + 6 * g.MM
        width = measure(p, self.page_size[0] - g.MARGIN_LEFT_PT - g.MARGIN_RIGHT_PT - text_x)
        panel.text(text_x, say("letter_qr", lang), width, p.body_pt, bold=True)
        panel.gap(2 * g.MM)
        code_top = panel.height
        panel.text(text_x, say("answer_code", lang) + ":", width, p.body_pt)
        panel.fields.append(_slot("answer_code", text_x, panel.height, p.heading_pt))
        panel.height += p.heading_pt * 1.4
        panel.gap(2 * g.MM)
        panel.text(
            text_x, say("or_go_to_url", lang, url=_short_url(self.study.base_url)), width, p.body_pt
        )
        panel.fields.append(_slot("letter_qr", 0, code_top - p.line_pt - 2 * g.MM, size))
        panel.height = max(panel.height, code_top - p.line_pt + size) + p.line_pt / 2
        return panel

    def _information_letter(self) -> list[FlowPage]:
        letter = information_letter(
            self.study,
            self.language,
            fallback=FALLBACK_LANGUAGE,
            easy=self.fmt.easy_information,
        )
        flow = Flow(self.profile, self.page_size, g.MARGIN_TOP_PT, rtl=self.rtl)
        flow.block("title", letter.title)
        for section in letter.sections:
            if section.number > 1:
                flow.block("h", section.heading)
            for paragraph in section.paragraphs:
                flow.block("p", paragraph)
        for item in letter.declaration.items:
            flow.block("li", item.text)
        flow.block("p", letter.declaration.until_end)
        for line in letter.closing:
            flow.block("strong", line)
        return flow.finish()

    def _how_to_answer(self) -> list[FlowPage]:
        lang = self.say_lang
        flow = Flow(self.profile, self.page_size, g.MARGIN_TOP_PT, rtl=self.rtl)
        flow.block("title", say("how_to_answer_title", lang))
        flow.block("p", say("how_to_answer_one_way", lang))
        flow.block("p", say("how_to_answer_paper", lang))
        flow.block("p", say("how_to_answer_phone", lang))
        flow.block("p", say("how_to_answer_keep", lang))
        leader = self.study.project_leader
        if leader.phone:
            flow.block("p", say("questions_call", lang, name=leader.name, phone=leader.phone))
        if leader.email:
            flow.block("p", say("questions_email", lang, email=leader.email))
        flow.block("p", say("withdraw_how", lang))
        return flow.finish()

    # -- the page plan (the same for every person) -----------------------------------------

    def _plan(self) -> tuple[PackPage, ...]:
        pages: list[PackPage] = []

        def add(
            kind: str,
            *,
            form: str | None = None,
            version: str | None = None,
            page: int | None = None,
            doc_page: int | None = None,
        ) -> None:
            pages.append(PackPage(len(pages) + 1, kind, form, version, page, doc_page))

        def new_sheet() -> None:
            if self.duplex and len(pages) % 2:
                add("blank")

        def how_to() -> None:
            for n, _ in enumerate(self.how_to, start=1):
                add("how_to_answer", doc_page=n)

        for n, _ in enumerate(self.letter, start=1):
            add("letter", doc_page=n)
        for n, _ in enumerate(self.information, start=1):
            add("information", doc_page=n)
        if self.how_to_first:
            how_to()
        for form, layout in zip(self.forms, self.layouts, strict=True):
            new_sheet()
            for page in layout.pages:
                add("form", form=form.id, version=layout.text_version, page=page.page)
        new_sheet()
        if not self.how_to_first:
            how_to()
            new_sheet()
        if self.sheets == Sheets.ONE_SIDED:
            return one_sided(pages)
        return tuple(pages)

    def pages_json(self, n_offset: int = 0) -> list[PackPageEntry]:
        """The invitation's ``pages`` list: the pages that can come back.

        ``n_offset`` shifts the ``?p=`` numbers, so a reprint whose pages differ
        from what is already on paper gets numbers of its own (see intake.mailing).
        """
        entries = [p.as_json(self.language, self.profile_name) for p in self.pages if p.form]
        return [{**entry, "n": entry["n"] + n_offset} for entry in entries]

    def layout_maps(self) -> list[tuple[Form, dict[str, Any]]]:
        return [
            (form, layout.to_map(self.study.id))
            for form, layout in zip(self.forms, self.layouts, strict=True)
        ]

    # -- drawing one person's pack ---------------------------------------------------------

    def draw(self, canvas: Canvas, person: Addressee, creds: Credentials, n_offset: int = 0) -> int:
        """Draw ``person``'s whole pack onto ``canvas`` (one showPage per page).

        Page ``k`` of the pack carries ``?p={k + n_offset}`` in its QR code.
        """
        for text, where in [
            (person.name, "the name"),
            (person.code, "the participant code"),
            *((line, "the address") for line in person.address_lines),
        ]:
            check_glyphs(text, where=f"{where} of {person.code}")
        problem = address_problem(person)
        if problem:
            raise PackError(problem)
        for page in self.pages:
            self._draw_page(canvas, page, person, creds, n_offset)
            canvas.showPage()
        return len(self.pages)

    def _draw_page(
        self,
        canvas: Canvas,
        page: PackPage,
        person: Addressee,
        creds: Credentials,
        n_offset: int = 0,
    ) -> None:
        height = self.page_size[1]
        lang = self.say_lang
        if page.kind == "form":
            if page.form is None or page.page is None:  # _plan sets both on every form page
                raise ValueError(f"pack page {page.n} is a form page without its form")
            index = [f.id for f in self.forms].index(page.form)
            layout = self.layouts[index]
            lang = layout.language
            self.printers[index].draw_page(
                canvas,
                page.page,
                Stamp(
                    payload=personal_payload(self.study.base_url, creds.token, page.n + n_offset),
                    identity=f"{form_say('participant_code', lang)}: {person.code}",
                    page_label=form_say("page_x_of_y", lang, x=page.page, y=len(layout.pages)),
                    meta=f"{page.form} · {form_say('text_version', lang)} {layout.text_version}",
                ),
            )
            return
        if page.kind == "blank":
            _centre_note(canvas, form_say("blank_page", lang), self.page_size)
            return
        doc = {
            "letter": self.letter,
            "information": self.information,
            "how_to_answer": self.how_to,
        }[page.kind]
        if page.doc_page is None:  # _plan sets it on every letter and information page
            raise ValueError(f"pack page {page.n} ({page.kind}) has no page of its document")
        flow_page = doc[page.doc_page - 1]
        for line in flow_page.lines:
            draw_line(canvas, line, height)
        if page.kind == "letter" and page.doc_page == 1:
            self._letter_head(canvas, person)
        if "letter_qr" in flow_page.slots:
            draw_qr(
                canvas,
                personal_payload(self.study.base_url, creds.token),
                flow_page.slots["letter_qr"],
                height,
            )
        if "answer_code" in flow_page.slots:
            x, y, _, size = flow_page.slots["answer_code"]
            # Right to left, the code ends at the mirrored slot's right edge.
            at = x + size if self.rtl else x
            draw_text(
                canvas, at, y + size, creds.answer_code, size, height, bold=True, right=self.rtl
            )
        footer_y = height - g.MARGIN_BOTTOM_PT
        start, end = g.MARGIN_LEFT_PT, self.page_size[0] - g.MARGIN_RIGHT_PT
        if len(doc) > 1:
            draw_text(
                canvas,
                end if self.rtl else start,
                footer_y,
                say("page_x_of_y", lang, x=page.doc_page, y=len(doc)),
                self.profile.body_pt,
                height,
                right=self.rtl,
                rtl=self.rtl,
            )
        draw_text(
            canvas,
            start if self.rtl else end,
            footer_y,
            person.code,
            g.META_SIZE_PT,
            height,
            right=not self.rtl,
        )

    def _letter_head(self, canvas: Canvas, person: Addressee) -> None:
        """Sender at the top, address in the envelope window, date on the right.

        Right to left, the sender moves to the top right; the address stays in the
        envelope's window (left aligned, as the post reads it) and the date stays
        on the right, clear of the window.
        """
        height = self.page_size[1]
        sender = _sender_lines(self.study, self.language)
        y = g.MARGIN_TOP_PT + 12
        sender_x = self.page_size[0] - g.MARGIN_RIGHT_PT if self.rtl else g.MARGIN_LEFT_PT
        for n, line in enumerate(sender[:2] + sender[3:] if len(sender) > 3 else sender):
            draw_text(
                canvas,
                sender_x,
                y,
                line,
                11.0,
                height,
                bold=n == 0,
                right=self.rtl,
                rtl=self.rtl and has_rtl(line),
            )
            y += 11 * g.LINE_SPACING
        wx, wy, ww, _ = g.WINDOW_BOX
        x = wx + g.WINDOW_PLAY_PT
        y = wy + g.WINDOW_PLAY_PT + g.RETURN_ADDRESS_PT
        org = (self.study.sender or self.study.project_leader).organisation
        back = say("return_address", self.say_lang, sender=org or self.study.institution)
        draw_text(canvas, x, y, back, g.RETURN_ADDRESS_PT, height)
        y += g.RETURN_ADDRESS_PT * 0.8 + g.ADDRESS_PT * g.LINE_SPACING
        for n, line in enumerate((person.name, *person.address_lines)):
            draw_text(canvas, x, y, line, g.ADDRESS_PT, height, bold=n == 0)
            y += g.ADDRESS_PT * g.LINE_SPACING
        right = self.page_size[0] - g.MARGIN_RIGHT_PT
        draw_text(
            canvas,
            right,
            wy + g.WINDOW_PLAY_PT + self.profile.body_pt,
            format_date(self.date, self.say_lang),
            self.profile.body_pt,
            height,
            right=True,
        )


def one_sided(pages: Sequence[PackPage]) -> tuple[PackPage, ...]:
    """A pack for one side of the paper on a two-sided run: a blank back after every page.

    Blank backs already in the plan (a form starting on a new sheet) are dropped
    first, so every printed page is alone on its sheet and the pack, with an even
    page count, ends on a sheet of its own.
    """
    out: list[PackPage] = []
    for page in pages:
        if page.kind == "blank":
            continue
        out.append(
            PackPage(len(out) + 1, page.kind, page.form, page.version, page.page, page.doc_page)
        )
        out.append(PackPage(len(out) + 1, "blank"))
    return tuple(out)


def _slot(name: str, x: float, y: float, size: float) -> Field:
    """A place filled per person (the QR code, the answer code), carried like a field."""
    return Field(name, ItemType.INFO, "slot", (x, y, size, size))


def _centre_note(canvas: Canvas, text: str, page_size: g.Size) -> None:
    check_glyphs(text)
    x = (page_size[0] - text_width(text, 12.0)) / 2
    draw_string(canvas, x, page_size[1] / 2, text, 12.0)


#: Address lines (below the name) that fit in the window under the return address.
MAX_ADDRESS_LINES = (
    int(
        (g.WINDOW_BOX[3] - 2 * g.WINDOW_PLAY_PT - g.RETURN_ADDRESS_PT * 1.6)
        // (g.ADDRESS_PT * g.LINE_SPACING)
    )
    - 1
)


def address_problem(person: Addressee) -> str | None:
    """Why the name and address would not fit the envelope window, or None."""
    if len(person.address_lines) > MAX_ADDRESS_LINES:
        return (
            f"the address of {person.code} has {len(person.address_lines)} lines; "
            f"at most {MAX_ADDRESS_LINES} fit in the envelope window"
        )
    left = g.WINDOW_BOX[0] + g.WINDOW_PLAY_PT
    right = g.WINDOW_BOX[0] + g.WINDOW_BOX[2] - g.WINDOW_PLAY_PT
    for line in (person.name, *person.address_lines):
        if left + text_width(line, g.ADDRESS_PT, bold=True) > right:
            return (
                f"the name or address of {person.code} is too wide for the envelope "
                f"window: {line!r}"
            )
    return None


# --- anonymous serial-numbered copies ----------------------------------------------------------


class HasBaseUrl(Protocol):
    """What an anonymous copy needs of its study: the address its QR codes point to."""

    @property
    def base_url(self) -> str: ...


def draw_anonymous_copy(
    canvas: Canvas, study: HasBaseUrl, printer: FormPrinter, serial: int, *, duplex: bool = False
) -> int:
    """One anonymous copy of a form (all its pages) with ``serial`` in every QR code.

    With ``duplex`` a copy with an odd number of pages gets a blank back, so the
    next copy starts on a sheet of its own.
    """
    layout = printer.layout
    lang = layout.language  # only form words on an anonymous copy
    for page in layout.pages:
        printer.draw_page(
            canvas,
            page.page,
            Stamp(
                payload=anonymous_payload(
                    study.base_url, layout.form, layout.text_version, serial, page.page
                ),
                identity=f"{form_say('serial_number', lang)}: {serial}",
                page_label=form_say("page_x_of_y", lang, x=page.page, y=len(layout.pages)),
                meta=f"{layout.form} · {form_say('text_version', lang)} {layout.text_version}",
            ),
        )
        canvas.showPage()
    if duplex and len(layout.pages) % 2:
        _centre_note(canvas, form_say("blank_page", lang), layout.page_size)
        canvas.showPage()
        return len(layout.pages) + 1
    return len(layout.pages)

"""Re-consent letters: what changed, then the new consent form, on the person's own link.

A pack is a short letter (the study's ``letters/reconsent.<lang>.md``, checked
by ``deltaker check`` like every letter) that says in easy words what changed
(the author's ``what_changed`` sentences from study.yaml), with the same QR
code and answer code as the invitation; a "how to answer again" page of its
own; then the consent form pages in the new text version, stamped and mapped
like any pack's form pages, so the scanner reads a returned form as usual.

The letter's layout and drawing are :class:`printing.letters.PackPrinter`'s:
only which letter, which pages and the how-to wording differ.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from forms.model import Form, Study

from . import geometry as g
from .format_profile import FormatProfile
from .letters import Flow, FlowPage, PackError, PackPrinter
from .reminders import letter_text, letter_version
from .texts import say

#: The letter's id in the study folder: letters/reconsent.<lang>.md.
RECONSENT_LETTER = "reconsent"
#: Where the "what changed" sentences go in the letter (a line of its own).
WHAT_CHANGED = "{what_changed}"


def reconsent_text(
    study: Study, language: str, what_changed: Sequence[str], *, easy: bool = True
) -> str:
    """The letter's text with the sentences about what changed, one bullet each.

    The sentences replace a ``{what_changed}`` line; a letter without one gets
    them after its heading, so the change is never left out.
    """
    text = letter_text(study, RECONSENT_LETTER, language, what="re-consent", easy=easy)
    if not what_changed:
        raise PackError("a re-consent letter needs at least one sentence on what changed")
    bullets = "\n".join(f"- {sentence}" for sentence in what_changed)
    if WHAT_CHANGED in text:
        return text.replace(WHAT_CHANGED, f"\n{bullets}\n")
    head, _, rest = text.partition("\n")
    if head.startswith("#"):
        return f"{head}\n\n{bullets}\n\n{rest}"
    return f"{bullets}\n\n{text}"


class ReconsentPrinter(PackPrinter):
    """Lays out one re-consent pack for one language and one set of changes.

    The "how to answer again" page goes on the back of the letter, so a pack
    is two sheets: the letter, then the form on a sheet of its own.
    """

    how_to_first = True

    def __init__(
        self,
        study: Study,
        language: str,
        forms: Sequence[Form],
        what_changed: Sequence[str],
        *,
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
        easy = fmt.easy_letters if fmt is not None else True
        self.text = reconsent_text(study, language, what_changed, easy=easy)
        self.version = letter_version(self.text)
        super().__init__(
            study,
            language,
            forms=forms,
            profile=profile,
            duplex=duplex,
            date=date,
            page_size=page_size,
            fmt=fmt,
        )

    def _invitation_letter(self) -> list[FlowPage]:
        return self._personal_letter(self.text)

    def _information_letter(self) -> list[FlowPage]:
        return []  # the letter says what changed; the rest of the information stands

    def _how_to_answer(self) -> list[FlowPage]:
        lang = self.say_lang
        flow = Flow(self.profile, self.page_size, g.MARGIN_TOP_PT, rtl=self.rtl)
        flow.block("title", say("reconsent_how_title", lang))
        for key in (
            "reconsent_how_form",
            "reconsent_how_paper",
            "reconsent_how_phone",
            "reconsent_how_until",
            "reconsent_how_no",
        ):
            flow.block("p", say(key, lang))
        leader = self.study.project_leader
        if leader.phone:
            flow.block("p", say("questions_call", lang, name=leader.name, phone=leader.phone))
        flow.block("p", say("withdraw_how", lang))
        return flow.finish()

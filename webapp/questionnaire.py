"""The questionnaire's flow on the web, as pure functions of the form and the answers.

Which page comes next, which questions a page shows (``relevant``), which
answers are sent, which required answer is still missing, which consent boxes
must be ticked: the views ask these questions and only store and redirect.
Nothing here needs a request, a session or a database, so tests drive the flow
directly with a form definition and a dict of answers (``{item_id: [value]}``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping

from forms.model import Form, Item, ItemType, Study
from forms.references import filled_item

from .formgen import web_items
from .relevance import is_relevant

Answers = Mapping[str, list[str]]

#: The item types the web consent page shows (a signature is given on paper).
CONSENT_PAGE_TYPES = frozenset({ItemType.CONSENT, ItemType.INFO})


def page_count(form: Form) -> int:
    """How many pages the form has on the web: one per section."""
    return len(form.sections)


def has_page(form: Form, page: int) -> bool:
    return 1 <= page <= page_count(form)


def resume_page(form: Form, saved_page: int) -> int:
    """The page to open a half-answered form on: the last page saved, within the form."""
    return min(max(saved_page, 1), page_count(form))


def items_on_page(form: Form, page: int, answers: Answers) -> list[Item]:
    """The page's items, without those whose ``relevant`` is false for the other pages' answers,
    each text showing the person's earlier answers where it refers to them (``{{town}}``).

    Answers on the page itself do not count: a question's condition on a
    neighbour is decided when the person moves on, never half-way.
    """
    section = form.sections[page - 1]
    on_page = {i.id for i in section.items}
    elsewhere = {k: v for k, v in answers.items() if k not in on_page}
    return [
        filled_item(i, form, answers) for i in section.items if is_relevant(i.relevant, elsewhere)
    ]


def answerable_on_page(form: Form, page: int) -> list[Item]:
    """Every item on the page that takes an answer on the web, shown or not.

    Saving a page replaces the answers to all of these, so the old answer to a
    question that is no longer relevant is dropped too.
    """
    return web_items(form.sections[page - 1].items)


def relevant_answers(form: Form, answers: Answers) -> dict[str, list[str]]:
    """The answers to send: those to questions that are relevant for the other answers."""
    ids = {i.id for i in form.items()}
    return {
        k: v
        for k, v in answers.items()
        if k not in ids or is_relevant(form.item(k).relevant, answers)
    }


def first_page_missing(form: Form, answers: Answers) -> int | None:
    """The first page with a relevant required question not answered; None when complete."""
    for number, section in enumerate(form.sections, start=1):
        for item in web_items(section.items):
            if item.required and not answers.get(item.id) and is_relevant(item.relevant, answers):
                return number
    return None


def next_questionnaire(
    questionnaires: Iterable[Form],
    answered: Iterable[str],
    progress: Callable[[Form], tuple[bool, int]],
) -> tuple[Form, int] | None:
    """The first questionnaire not yet answered, and the page to open it on.

    ``answered`` are the form ids already answered on the web or on paper;
    ``progress(form)`` tells (submitted, saved page) of the person's draft.
    """
    done = set(answered)
    for form in questionnaires:
        if form.id in done:
            continue
        submitted, saved_page = progress(form)
        if not submitted:
            return form, resume_page(form, saved_page)
    return None


def consent_items(form: Form) -> list[Item]:
    """What the web consent page shows: the boxes and the texts around them.

    On the web the consent boxes are the whole declaration: the send button
    signs and dates.
    """
    return [i for i in form.items() if i.type in CONSENT_PAGE_TYPES]


def required_consent(study: Study, consent_item: str) -> bool:
    """Whether taking part needs a yes to this consent item."""
    try:
        return study.consent_item(consent_item).required
    except KeyError:
        return False


def missing_consents(study: Study, items: Iterable[Item], answers: Answers) -> list[Item]:
    """The consent boxes that must be ticked to take part and were not."""
    return [
        item
        for item in items
        if item.type == ItemType.CONSENT
        and item.consent_item
        and required_consent(study, item.consent_item)
        and item.id not in answers
    ]

"""An earlier answer inside a text (``{{question_id}}``), and notes shown only after some answer.

A label may repeat what the person answered before ("You said {{town}}. How long
have you lived there?"). Paper cannot know the answer: it prints a blank line
(:data:`BLANK`) the person can read as "what you wrote above". The web form
fills in the answer from the person's draft (:func:`filled_item`). XLSForm's
``${name}`` becomes ``{{id}}`` at import; a ``${...}`` left in a study's text is
a mistake that `deltaker check` names.

A note or question whose ``relevant`` is one answer to one choice question
(``${cough} = 'yes'``, ``selected(${cough}, 'yes')``) is printed on paper with
that condition in words (:func:`condition_words`); paper cannot evaluate more.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import replace

from .model import CHOICE_TYPES, Choice, Form, Item, ItemType, Section, Text
from .phrases import PHRASES, phrase

#: A reference to an earlier answer in a text: ``{{town}}`` (the item's id).
REFERENCE = re.compile(r"\{\{\s*([a-z0-9][a-z0-9_-]{0,62})\s*\}\}")
#: An XLSForm reference that import did not turn into one of ours.
XLSFORM_REFERENCE = re.compile(r"\$\{[^}]*\}")
#: What paper prints for an answer it cannot know: a line to read, not a box to fill.
BLANK = "____"

_EQUALS = re.compile(r"""^\s*\$\{([^}]+)\}\s*=\s*(['"])([^'"]*)\2\s*$""")
_SELECTED = re.compile(r"""^\s*selected\(\s*\$\{([^}]+)\}\s*,\s*(['"])([^'"]*)\2\s*\)\s*$""")


def references(text: str) -> list[str]:
    """The item ids ``text`` refers to, in order."""
    return REFERENCE.findall(text)


def on_paper(text: str) -> str:
    """``text`` as printed: each reference a blank line."""
    return REFERENCE.sub(BLANK, text)


def _text_on_paper(text: Text | None) -> Text | None:
    if text is None:
        return None
    return replace(
        text,
        values={k: on_paper(v) for k, v in text.values.items()},
        easy={k: on_paper(v) for k, v in text.easy.items()},
    )


def simple_condition(expression: str | None) -> tuple[str, str] | None:
    """(item id, value) when ``expression`` is one answer to one question, else None.

    ``${cough} = 'yes'`` and ``selected(${cough}, 'yes')`` -> ("cough", "yes").
    """
    if not expression:
        return None
    found = _EQUALS.match(expression) or _SELECTED.match(expression)
    if found is None:
        return None
    return found.group(1).strip(), found.group(3)


def _question_words(label: str) -> str:
    """A question's label short enough to name it in a sentence."""
    first = label.split("\n")[0].strip()
    return first.rstrip("?:.!").strip()


def condition_answer(
    expression: str | None, items: Mapping[str, Item]
) -> tuple[Item, Choice] | None:
    """The question and the answer a condition asks for, when it is one answer to one
    choice question among ``items`` (by id); None when paper cannot say it in words."""
    condition = simple_condition(expression)
    if condition is None:
        return None
    ident, value = condition
    asked = items.get(ident)
    if asked is None or asked.type not in CHOICE_TYPES:
        return None
    choice = next((c for c in asked.options() if c.value == value), None)
    return None if choice is None else (asked, choice)


def condition_words(item: Item, form: Form, language: str) -> str | None:
    """Words like 'Read this only if you answered "Yes" to "Do you cough"' for an item
    shown after one answer ("Answer only if ..." for a question).

    None when the condition is not one answer to one choice question of ``form``,
    or when the standard texts have no ``language``.
    """
    key = "only_if_answered" if item.type == ItemType.INFO else "answer_only_if_answered"
    if language not in PHRASES[key]:
        return None
    found = condition_answer(item.relevant, {i.id: i for i in form.items()})
    if found is None:
        return None
    asked, choice = found
    return phrase(
        key,
        language,
        answer=on_paper(choice.label.get(language)),
        label=_question_words(on_paper(asked.label.get(language))),
    )


def paper_form(form: Form, language: str) -> Form:
    """``form`` as paper shows it in ``language``: blanks for references, and each item
    that follows one answer saying so (a note before its text, a question in its hint)."""

    def item(it: Item) -> Item:
        label = _text_on_paper(it.label) or it.label
        hint = _text_on_paper(it.hint)
        # a consent box's label is the consent text itself: nothing is added to it
        words = condition_words(it, form, language) if it.type != ItemType.CONSENT else None
        if words is not None and it.type == ItemType.INFO:
            opened = f"{words}\n\n{label.get(language)}"
            label = replace(label, values={**label.values, language: opened})
        elif words is not None:
            said = f"{words} {hint.get(language)}" if hint else words
            hint = replace(
                hint or Text({}), values={**(hint.values if hint else {}), language: said}
            )
        return replace(
            it,
            label=label,
            hint=hint,
            choices=tuple(replace(c, label=_text_on_paper(c.label) or c.label) for c in it.choices),
        )

    def section(sec: Section) -> Section:
        return replace(
            sec,
            title=_text_on_paper(sec.title),
            intro=_text_on_paper(sec.intro),
            items=tuple(item(it) for it in sec.items),
        )

    return replace(
        form,
        title=_text_on_paper(form.title) or form.title,
        intro=_text_on_paper(form.intro),
        sections=tuple(section(s) for s in form.sections),
    )


def answer_words(item: Item, values: Sequence[str], language: str) -> str:
    """What a person answered, as they would say it: choice labels, or what they wrote."""
    labels = {c.value: c.label.get(language) for c in item.options()}
    return ", ".join(labels.get(v, v) for v in values)


def filled(text: Text | None, form: Form, answers: Mapping[str, Sequence[str]]) -> Text | None:
    """``text`` with each reference replaced by the person's answer (a blank when none)."""
    if text is None or not any(REFERENCE.search(v) for v in text.values.values()):
        return text
    items = {i.id: i for i in form.items()}

    def fill(language: str, value: str) -> str:
        def one(m: re.Match[str]) -> str:
            ident = m.group(1)
            given = answers.get(ident)
            if not given or ident not in items:
                return BLANK
            return answer_words(items[ident], given, language)

        return REFERENCE.sub(one, value)

    return replace(
        text,
        values={k: fill(k, v) for k, v in text.values.items()},
        easy={k: fill(k, v) for k, v in text.easy.items()},
    )


def filled_item(item: Item, form: Form, answers: Mapping[str, Sequence[str]]) -> Item:
    """``item`` with the person's earlier answers in its texts (for the web form)."""
    label = filled(item.label, form, answers) or item.label
    hint = filled(item.hint, form, answers)
    choices = tuple(
        replace(c, label=filled(c.label, form, answers) or c.label) for c in item.choices
    )
    return replace(item, label=label, hint=hint, choices=choices)

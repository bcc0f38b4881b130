"""WTForms built from a form definition: a table keyed by ItemType gives each type its field.

The same definition drives print and scan; here each item becomes a field with
its label in the person's language, plain-language error messages, and nothing
pre-selected. Answers travel as ``{item_id: [value, ...]}`` (choices) or
``{item_id: [text]}`` (written answers), the shape the scanner also reports.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from flask_wtf import FlaskForm
from wtforms import Field, RadioField, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import StopValidation, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from forms.answers import AnswerProblem, parse_date, parse_written
from forms.model import Item, ItemType

from . import texts

try:  # WTForms 3.3 wants choice objects; older versions take (value, label) pairs
    from wtforms import SelectChoice  # type: ignore[attr-defined]  # not in types-WTForms yet
except ImportError:  # pragma: no cover - older WTForms
    SelectChoice = None


def choice(value: str, label: str) -> Any:
    """One option for a choice field, in the form this WTForms version expects."""
    return SelectChoice(value, label) if SelectChoice is not None else (value, label)


class MultiCheckboxField(SelectMultipleField):
    """Several tick boxes, one per choice (a list of checkboxes, no select box)."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


@dataclass(frozen=True)
class FieldContext:
    item: Item
    language: str

    @property
    def label(self) -> str:
        return self.item.label.get(self.language)

    def message(self, key: str) -> str:
        return texts.error(key, self.language, label=self.label)

    def choices(self) -> list[Any]:
        return [choice(c.value, c.label.get(self.language)) for c in self.item.options()]


def _required(ctx: FieldContext) -> Callable[[Any, Field], None]:
    def check(_form: Any, field: Field) -> None:
        data = field.data
        empty = data is None or data == [] or (isinstance(data, str) and not data.strip())
        if empty:
            if ctx.item.required:
                field.errors[:] = []  # type: ignore[index]  # a list; the stubs say Sequence
                raise StopValidation(ctx.message("required"))
            field.errors[:] = []  # type: ignore[index]  # a list; the stubs say Sequence
            raise StopValidation()

    return check


def _one_of(ctx: FieldContext) -> Callable[[Any, Field], None]:
    allowed = {c.value for c in ctx.item.options()}

    def check(_form: Any, field: Field) -> None:
        values = field.data if isinstance(field.data, list) else [field.data]
        if any(v not in allowed for v in values):
            raise ValidationError(ctx.message("choice"))

    return check


def _written(ctx: FieldContext) -> Callable[[Any, Field], None]:
    # the same per-type check as manual entry and review corrections (forms.answers)
    def check(_form: Any, field: Field) -> None:
        try:
            parse_written(ctx.item.type, field.data or "")
        except AnswerProblem as exc:
            raise ValidationError(ctx.message(exc.reason.value)) from exc

    return check


def _radio(ctx: FieldContext) -> Field:
    return RadioField(
        ctx.label,
        choices=ctx.choices(),
        validate_choice=False,
        default=None,
        validators=[_required(ctx), _one_of(ctx)],
    )


def _checkboxes(ctx: FieldContext) -> Field:
    return MultiCheckboxField(
        ctx.label,
        choices=ctx.choices(),
        validate_choice=False,
        validators=[_required(ctx), _one_of(ctx)],
    )


def _short_text(ctx: FieldContext) -> Field:
    return StringField(ctx.label, validators=[_required(ctx), _written(ctx)])


def _long_text(ctx: FieldContext) -> Field:
    return TextAreaField(ctx.label, validators=[_required(ctx), _written(ctx)])


def _number_field(ctx: FieldContext) -> Field:
    return StringField(
        ctx.label,
        validators=[_required(ctx), _written(ctx)],
        render_kw={"inputmode": "numeric", "autocomplete": "off"},
    )


def _date_field(ctx: FieldContext) -> Field:
    return StringField(
        ctx.label, validators=[_required(ctx), _written(ctx)], render_kw={"autocomplete": "off"}
    )


def _consent(ctx: FieldContext) -> Field:
    # one box per consent item, never pre-ticked; "required" is checked by the view
    # so that the message can say how to decline.
    return MultiCheckboxField(
        ctx.label, choices=ctx.choices(), validate_choice=False, validators=[_one_of(ctx)]
    )


def _none(_ctx: FieldContext) -> None:
    return None


def _no_hint(_item: Item, _language: str) -> str | None:
    return None


def _scale_hint(item: Item, language: str) -> str | None:
    # the words of the scale's two ends, so that "1" and "5" mean something on a phone
    if not (item.scale_low and item.scale_high):
        return None
    return texts.ui(
        "scale_hint",
        language,
        low=item.scale_low.get(language),
        high_n=item.scale_max,
        high=item.scale_high.get(language),
    )


def _date_hint(_item: Item, language: str) -> str | None:
    return texts.ui("date_hint", language)


def _first(values: list[str]) -> Any:
    return values[0] if values else None


def _all(values: list[str]) -> Any:
    return list(values)


def _as_typed(values: list[str]) -> list[str]:
    return values


def _iso_date(values: list[str]) -> list[str]:
    # a date the person typed as 31.12.2025 is stored as 2025-12-31; one the parser
    # does not know is kept as typed (the form's own check has stopped it already)
    parsed = parse_date(values[0]) if values else None
    return [parsed.isoformat()] if parsed else values


@dataclass(frozen=True)
class WebType:
    """How one item type appears on the web and how its answers go in and out of the form."""

    #: the WTForms field; ``None`` means shown as text, or not on the web (a signature
    #: is given on paper; on the web the send button is the act of consent)
    field: Callable[[FieldContext], Field | None]
    #: answered by choosing boxes in a fieldset with a legend, not by typing
    grouped: bool = False
    #: any number of boxes may be ticked, so the field's data is a list
    multiple: bool = False
    #: shown on the page even though it takes no answer (an info text)
    shown_without_field: bool = False
    #: the type's own help after the item's hint, in the page's language
    hint: Callable[[Item, str], str | None] = _no_hint
    #: stored answers as the ``data`` the field is filled with
    to_data: Callable[[list[str]], Any] = _first
    #: what the person typed, as it is stored
    stored: Callable[[list[str]], list[str]] = _as_typed


_CHOOSE_ONE = WebType(_radio, grouped=True)

#: Every item type on the web (tests/test_architecture.py checks none is missing).
WEB_TYPES: dict[ItemType, WebType] = {
    ItemType.SINGLE_CHOICE: _CHOOSE_ONE,
    ItemType.MULTIPLE_CHOICE: WebType(_checkboxes, grouped=True, multiple=True, to_data=_all),
    ItemType.YES_NO: _CHOOSE_ONE,
    ItemType.SCALE: WebType(_radio, grouped=True, hint=_scale_hint),
    ItemType.SHORT_TEXT: WebType(_short_text),
    ItemType.LONG_TEXT: WebType(_long_text),
    ItemType.NUMBER: WebType(_number_field),
    ItemType.DATE: WebType(_date_field, hint=_date_hint, stored=_iso_date),
    ItemType.SIGNATURE: WebType(_none),
    ItemType.CONSENT: WebType(_consent, grouped=True, multiple=True, to_data=_all),
    ItemType.INFO: WebType(_none, shown_without_field=True),
}

#: Each type's field builder (read from WEB_TYPES).
FIELD_BUILDERS: dict[ItemType, Callable[[FieldContext], Field | None]] = {
    kind: web.field for kind, web in WEB_TYPES.items()
}

#: Types answered by choosing (a fieldset with a legend), as opposed to typing.
GROUPED_TYPES = frozenset(kind for kind, web in WEB_TYPES.items() if web.grouped)


def field_name(item: Item) -> str:
    """The HTML name of an item's field (prefixed: item ids may clash with WTForms' own names)."""
    return f"q_{item.id}"


def web_items(items: Iterable[Item]) -> list[Item]:
    """The items that take an answer on the web."""
    return [i for i in items if FIELD_BUILDERS[i.type](FieldContext(i, "nb")) is not None]


def build_form_class(items: Iterable[Item], language: str) -> type[FlaskForm]:
    """A FlaskForm class with one field per answerable item, labels in ``language``."""
    attrs: dict[str, Any] = {}
    for item in items:
        field = FIELD_BUILDERS[item.type](FieldContext(item, language))
        if field is not None:
            attrs[field_name(item)] = field
    return type("GeneratedForm", (FlaskForm,), attrs)


def to_form_data(items: Iterable[Item], answers: Mapping[str, list[str]]) -> dict[str, Any]:
    """Stored answers as the ``data`` a generated form is filled with."""
    data: dict[str, Any] = {}
    for item in items:
        values = answers.get(item.id)
        if values is None:
            continue
        data[field_name(item)] = WEB_TYPES[item.type].to_data(values)
    return data


def answers_from(form: FlaskForm, items: Iterable[Item]) -> dict[str, list[str]]:
    """What the person gave, as ``{item_id: [value, ...]}``; unanswered items are left out."""
    answers: dict[str, list[str]] = {}
    for item in items:
        field = getattr(form, field_name(item), None)
        if field is None:
            continue
        data = field.data
        if isinstance(data, list):
            values = [str(v) for v in data if v]
        elif data is None or (isinstance(data, str) and not data.strip()):
            values = []
        else:
            values = [str(data).strip()]
        if values:
            answers[item.id] = WEB_TYPES[item.type].stored(values)
    return answers

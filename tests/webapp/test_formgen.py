"""The generated web forms: one builder per item type, plain messages, nothing pre-selected."""

from __future__ import annotations

import pytest
from werkzeug.datastructures import MultiDict

from forms.model import Item, ItemType, Text
from tests.factories import make_consent_form, make_questionnaire
from webapp.formgen import FIELD_BUILDERS, answers_from, build_form_class, field_name, web_items


def test_every_item_type_has_a_web_builder() -> None:
    assert set(FIELD_BUILDERS) == set(ItemType)


def test_answerable_types_get_fields_and_display_types_do_not() -> None:
    form = make_questionnaire()
    items = list(form.items())
    shown = {i.type for i in web_items(items)}
    assert ItemType.INFO not in shown
    assert {
        ItemType.SINGLE_CHOICE,
        ItemType.MULTIPLE_CHOICE,
        ItemType.YES_NO,
        ItemType.SCALE,
        ItemType.SHORT_TEXT,
        ItemType.LONG_TEXT,
        ItemType.NUMBER,
        ItemType.DATE,
    } <= shown
    signature = Item("sig", ItemType.SIGNATURE, Text({"nb": "Signatur"}))
    assert web_items([signature]) == []  # signed on paper; on the web the send button signs


def _form(app, items, data, language="nb"):
    with app.test_request_context(method="POST", data=data):
        cls = build_form_class(items, language)
        form = cls(formdata=MultiDict(data), meta={"csrf": False})
        ok = form.validate()
        return (
            ok,
            {name: list(f.errors) for name, f in form._fields.items() if f.errors},
            answers_from(form, items),
        )


@pytest.mark.parametrize(
    "language, expected",
    [
        ("nb", "Du må svare på dette: Hvor bor du?"),
        ("nn", "Du må svare på dette: Kvar bur du?"),
        ("en", "Please answer this: Where do you live?"),
    ],
)
def test_required_messages_in_each_language(app, language, expected) -> None:
    items = list(make_questionnaire().items())
    ok, errors, _ = _form(app, items, {}, language)
    assert not ok
    assert errors == {"q_housing": [expected]}


@pytest.mark.parametrize(
    "data, field",
    [
        ({"q_housing": "castle"}, "q_housing"),
        ({"q_housing": "rent", "q_help": ["nav", "mars"]}, "q_help"),
        ({"q_housing": "rent", "q_satisfied": "0"}, "q_satisfied"),
        ({"q_housing": "rent", "q_rooms": "3.5"}, "q_rooms"),
        ({"q_housing": "rent", "q_rooms": "=1+1"}, "q_rooms"),
        ({"q_housing": "rent", "q_moved": "yesterday"}, "q_moved"),
        ({"q_housing": "rent", "q_moved": "2024-13-01"}, "q_moved"),
        ({"q_housing": "rent", "q_name": "x" * 501}, "q_name"),
    ],
)
def test_bad_answers_are_refused_on_the_right_field(app, data, field) -> None:
    ok, errors, _ = _form(app, list(make_questionnaire().items()), data)
    assert not ok and list(errors) == [field]


def test_answers_come_back_in_the_scanner_shape(app) -> None:
    data = {
        "q_housing": "own",
        "q_help": ["nav", "family"],
        "q_children": "no",
        "q_satisfied": "5",
        "q_rooms": " 4 ",
        "q_moved": "1.2.2020",
        "q_name": "  Ada ",
        "q_story": "",
    }
    ok, errors, answers = _form(app, list(make_questionnaire().items()), data)
    assert ok, errors
    assert answers == {
        "housing": ["own"],
        "help": ["nav", "family"],
        "children": ["no"],
        "satisfied": ["5"],
        "rooms": ["4"],
        "moved": ["2020-02-01"],
        "name": ["Ada"],
    }


def test_consent_boxes_are_separate_and_not_pre_ticked(app) -> None:
    items = [i for i in make_consent_form().items() if i.type == ItemType.CONSENT]
    with app.test_request_context():
        form = build_form_class(items, "nb")(meta={"csrf": False})
        html = "".join(str(getattr(form, field_name(i))) for i in items)
    assert html.count('type="checkbox"') == 2
    assert "checked" not in html

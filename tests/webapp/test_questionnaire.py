"""The questionnaire's flow, driven without a request: pages, relevance, what is sent."""

from __future__ import annotations

from dataclasses import replace

from forms.model import Item, ItemType, Section
from tests.factories import make_consent_form, make_questionnaire, make_study, t
from webapp import questionnaire as flow


def two_pages():
    """Page 1 asks about children; page 2 asks how many, only of people who have children."""
    base = make_questionnaire()
    first = Section("s1", t("Om deg"), tuple(i for i in base.items() if i.id in ("children",)))
    second = Section(
        "s2",
        t("Barn"),
        (
            Item(
                "kids",
                ItemType.NUMBER,
                t("Hvor mange barn?"),
                required=True,
                relevant="${children} = 'yes'",
            ),
            Item("story", ItemType.LONG_TEXT, t("Fortell mer")),
        ),
    )
    return replace(base, sections=(first, second))


def test_a_question_is_left_out_when_the_other_pages_say_so():
    form = two_pages()
    assert [i.id for i in flow.items_on_page(form, 2, {"children": ["no"]})] == ["story"]
    assert [i.id for i in flow.items_on_page(form, 2, {"children": ["yes"]})] == ["kids", "story"]
    # not answered yet: cannot be decided, so the question is shown
    assert [i.id for i in flow.items_on_page(form, 2, {})] == ["kids", "story"]
    # the page's own answers do not decide its questions half-way
    assert [i.id for i in flow.items_on_page(form, 2, {"kids": ["2"]})] == ["kids", "story"]
    assert [i.id for i in flow.answerable_on_page(form, 2)] == ["kids", "story"]


def test_the_send_waits_for_a_relevant_required_answer_and_drops_irrelevant_ones():
    form = two_pages()
    assert flow.first_page_missing(form, {"children": ["yes"]}) == 2
    assert flow.first_page_missing(form, {"children": ["no"]}) is None
    assert flow.first_page_missing(form, {"children": ["yes"], "kids": ["2"]}) is None
    sent = flow.relevant_answers(form, {"children": ["no"], "kids": ["2"], "story": ["x"]})
    assert sent == {"children": ["no"], "story": ["x"]}


def test_pages_and_where_a_person_comes_back_to():
    form = two_pages()
    assert flow.page_count(form) == 2
    assert [flow.has_page(form, n) for n in (0, 1, 2, 3)] == [False, True, True, False]
    assert [flow.resume_page(form, n) for n in (0, 1, 2, 9)] == [1, 1, 2, 2]
    other = replace(make_questionnaire(), id="second")
    progress = {"families": (True, 2), "second": (False, 0)}
    following = flow.next_questionnaire([form, other], [], lambda f: progress[f.id])
    assert following == (other, 1)
    assert flow.next_questionnaire([form, other], ["second"], lambda f: progress[f.id]) is None


def test_the_consent_page_needs_the_required_boxes():
    study = make_study()
    items = flow.consent_items(make_consent_form())
    assert [i.id for i in items] == ["understood", "c_interview", "c_audio"]
    missing = flow.missing_consents(study, items, {"c_audio": ["yes"]})
    assert [i.id for i in missing] == ["c_interview"]
    assert flow.missing_consents(study, items, {"c_interview": ["yes"]}) == []
    assert flow.required_consent(study, "no-such-item") is False

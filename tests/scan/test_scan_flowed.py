"""A choice list taller than a page flows over columns and pages: print it, tick a
choice on a later page, scan it, and read back exactly that choice (issue 14, point 4)."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from forms.model import Choice, Form, FormKind, Item, ItemType, Section, Text
from scan.pages import iter_pages
from scan.read import read_page

from . import synthetic as syn


def long_list_form(choices: int) -> Form:
    countries = tuple(
        Choice(f"land{n:03d}", Text({"nb": f"Land {n}", "nn": f"Land {n}", "en": f"Country {n}"}))
        for n in range(choices)
    )
    return Form(
        f"lang-liste-{choices}",
        FormKind.QUESTIONNAIRE,
        Text({"nb": "Hvor kommer du fra?", "nn": "Kvar kjem du frå?", "en": "Where are you from?"}),
        (
            Section(
                "s",
                None,
                (
                    Item("alder", ItemType.NUMBER, Text({"nb": "Hvor gammel er du?"})),
                    Item(
                        "land",
                        ItemType.SINGLE_CHOICE,
                        Text({"nb": "Hvor er du født?"}),
                        choices=countries,
                    ),
                    Item("ferdig", ItemType.YES_NO, Text({"nb": "Er du ferdig?"})),
                ),
            ),
        ),
        languages=("nb",),
    )


@pytest.mark.parametrize("choices", [60, 178])
def test_a_choice_ticked_on_a_later_page_is_read_back(tmp_path: Path, choices: int) -> None:
    form = long_list_form(choices)
    layout = syn.form_map(form, "nb", "standard")
    pages = layout["pages"]
    on_page = [[f["value"] for f in p["fields"] if f["item"] == "land"] for p in pages]
    # Every choice has exactly one box, over more than one page.
    assert sorted(v for values in on_page for v in values) == [
        c.value for c in form.sections[0].items[1].choices
    ]
    assert sum(1 for values in on_page if values) >= 2
    second = next(n for n, values in enumerate(on_page) if values and n > 0)
    wanted = on_page[second][len(on_page[second]) // 2]
    resolver = syn.FormsResolver([(form, "nb", "standard")])
    rng = random.Random(choices)
    cond = syn.CONDITION_BY_NAME["normal"]
    sheets = [
        syn.fill_page(
            form,
            "nb",
            "standard",
            p["page"],
            [syn.Mark("land", wanted, "cross")] if n == second else [],
            cond,
            rng,
        )
        for n, p in enumerate(pages)
    ]
    pdf = tmp_path / "scan.pdf"
    syn.to_pdf([s.image for s in sheets], pdf, dpi=cond.dpi)
    results = [read_page(p, resolver, file=pdf.name)[0] for p in iter_pages(pdf)]
    assert [r.page for r in results] == [p["page"] for p in pages]
    for n, result in enumerate(results):
        assert result.status in ("ok", "needs_review"), result.message
        if n == second:
            assert result.answers["land"] == [wanted]
        else:
            assert result.answers.get("land", []) == []

"""XLSForm `relevant` decided on the server: false only when surely false."""

from __future__ import annotations

import pytest

from webapp.relevance import is_relevant

ANSWERS = {"children": ["yes"], "rooms": ["3"], "help": ["nav", "family"], "name": ["Ada"]}


@pytest.mark.parametrize(
    "expression, expected",
    [
        (None, True),
        ("", True),
        ("${children} = 'yes'", True),
        ("${children} = 'no'", False),
        ("${children} != 'no'", True),
        ('${children} = "yes"', True),
        ("${rooms} > 2", True),
        ("${rooms} >= 4", False),
        ("${rooms} < 3.5", True),
        ("selected(${help}, 'nav')", True),
        ("selected(${help}, 'kommune')", False),
        ("not(selected(${help}, 'kommune'))", True),
        ("${children} = 'yes' and ${rooms} > 5", False),
        ("${children} = 'no' or ${rooms} = 3", True),
        ("(${children} = 'no' or ${rooms} = 3) and ${name} != ''", True),
        ("true()", True),
        ("false()", False),
        # cannot be decided: show the question
        ("${story} = 'x'", True),  # not answered (yet)
        ("selected(${story}, 'x')", True),
        ("string-length(${name}) > 2", True),  # a function this evaluator does not know
        ("${children} = ", True),
        ("${children} = 'yes' garbage", True),
        ("))((", True),
        ("${rooms} > 'many'", False),
    ],
)
def test_relevant(expression, expected) -> None:
    assert is_relevant(expression, ANSWERS) is expected

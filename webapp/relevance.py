"""XLSForm ``relevant`` on the web, without JavaScript: decided on the server between pages.

A question whose condition is false for the answers already given (on earlier
pages) is left out of its page and out of the send. A condition that cannot be
decided yet (it names a question on the same page, not yet answered) or that
uses something this small evaluator does not know, shows the question:
asking one question too many is better than losing one.

Supported: ``${q} = 'v'``, ``!=``, ``<``, ``<=``, ``>``, ``>=`` (numbers compare as
numbers), ``selected(${q}, 'v')``, ``not(...)``, ``and``, ``or``, parentheses,
``''`` for "not answered", ``true()`` and ``false()``.
"""

from __future__ import annotations

import operator
import re
from collections.abc import Callable, Mapping, Sequence
from typing import Any

_TOKEN = re.compile(
    r"""\s*(?:
    (?P<ref>\$\{[A-Za-z_][A-Za-z0-9_.-]*\})
  | (?P<str>'[^']*'|"[^"]*")
  | (?P<num>-?\d+(?:\.\d+)?)
  | (?P<op><=|>=|!=|=|<|>)
  | (?P<punct>[(),])
  | (?P<word>[A-Za-z_][A-Za-z0-9_-]*)
)""",
    re.VERBOSE,
)


class Unknown(Exception):
    """The condition cannot be decided (yet): show the question."""


def _tokens(expression: str) -> list[tuple[str, str]]:
    out, position = [], 0
    expression = expression.strip()
    while position < len(expression):
        match = _TOKEN.match(expression, position)
        if match is None or match.end() == position:
            raise Unknown(expression)
        kind = match.lastgroup or ""
        out.append((kind, match.group(kind)))
        position = match.end()
    return out


class _Parser:
    def __init__(self, tokens: list[tuple[str, str]], answers: Mapping[str, Sequence[str]]):
        self.tokens = tokens
        self.at = 0
        self.answers = answers

    def peek(self) -> tuple[str, str] | None:
        return self.tokens[self.at] if self.at < len(self.tokens) else None

    def take(self, value: str | None = None) -> tuple[str, str]:
        token = self.peek()
        if token is None or (value is not None and token[1] != value):
            raise Unknown(value or "end")
        self.at += 1
        return token

    def expression(self) -> bool:
        result = self.conjunction()
        while self.peek() == ("word", "or"):
            self.take()
            right = self.conjunction()
            result = result or right
        return result

    def conjunction(self) -> bool:
        result = self.comparison()
        while self.peek() == ("word", "and"):
            self.take()
            right = self.comparison()
            result = result and right
        return result

    def comparison(self) -> bool:
        left = self.value()
        token = self.peek()
        if token is None or token[0] != "op":
            if isinstance(left, bool):
                return left
            raise Unknown("a value alone")
        op = self.take()[1]
        right = self.value()
        return _compare(left, op, right)

    def value(self) -> object:
        kind, text = self.take()
        if kind == "ref":
            name = text[2:-1]
            values = self.answers.get(name)
            if values is None:
                raise Unknown(name)  # not answered (or on this page): cannot tell yet
            return values[0] if len(values) == 1 else " ".join(values)
        if kind == "str":
            return text[1:-1]
        if kind == "num":
            return float(text)
        if kind == "punct" and text == "(":
            result = self.expression()
            self.take(")")
            return result
        if kind == "word":
            return self.function(text)
        raise Unknown(text)

    def function(self, name: str) -> object:
        self.take("(")
        if name in ("true", "false"):
            self.take(")")
            return name == "true"
        if name == "not":
            result = self.expression()
            self.take(")")
            return not result
        if name == "selected":
            kind, ref = self.take()
            if kind != "ref":
                raise Unknown("selected() needs a question")
            self.take(",")
            wanted = self.value()
            self.take(")")
            values = self.answers.get(ref[2:-1])
            if values is None:
                raise Unknown(ref)
            return str(wanted) in values
        raise Unknown(name)


#: Answers are texts, numbers or None; a pair that cannot be ordered raises TypeError (caught).
_ORDER: dict[str, Callable[[Any, Any], object]] = {
    "<": operator.lt,
    "<=": operator.le,
    ">": operator.gt,
    ">=": operator.ge,
}


def _compare(left: object, op: str, right: object) -> bool:
    if isinstance(left, float) or isinstance(right, float):
        try:
            # float() of an answer that is no number raises, and that is caught here
            left, right = float(left), float(right)  # type: ignore[arg-type]
        except (TypeError, ValueError):
            return op == "!="
    if op == "=":
        return left == right
    if op == "!=":
        return left != right
    try:
        return bool(_ORDER[op](left, right))
    except TypeError:
        raise Unknown(op) from None


def is_relevant(expression: str | None, answers: Mapping[str, Sequence[str]]) -> bool:
    """False only when the condition is surely false for ``answers``; True otherwise."""
    if not expression or not expression.strip():
        return True
    try:
        parser = _Parser(_tokens(expression), answers)
        result = parser.expression()
        if parser.peek() is not None:
            return True
        return bool(result)
    except Unknown:
        return True

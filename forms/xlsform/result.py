"""The outcome of an XLSForm import: the form, the warnings and the choice filters."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from forms.model import Form

from .problems import ImportWarning


@dataclass(frozen=True)
class ChoiceFilter:
    """An XLSForm choice_filter, kept for the web form (paper prints every choice).

    ``attributes`` holds, per choice value, the extra columns of the choices sheet
    (e.g. ``{"king": {"cf": "washington"}}``) the expression refers to.
    """

    expression: str
    attributes: Mapping[str, Mapping[str, str]]


@dataclass(frozen=True)
class XLSFormImport:
    form: Form
    warnings: tuple[ImportWarning, ...] = ()
    choice_filters: Mapping[str, ChoiceFilter] = field(default_factory=dict)

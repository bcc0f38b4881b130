"""The parts of a study the consent ledger acts on: items, withdrawal and end-of-study policy.

Built from a loaded :class:`forms.model.Study` or from the study's stored
definition (``studies.definition`` JSON, as intake stores it), so consent
commands work from the database alone; :func:`intake.studies.load_policy`
reads that definition (consent knows no intake table).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from forms.model import DataAtEnd, Study, Text, WithdrawalPolicy

from .events import ConsentError


class StudyMissing(ConsentError):
    """No study (or not the one named) is loaded into the database."""


@dataclass(frozen=True)
class PolicyItem:
    id: str
    text: Text
    required: bool


@dataclass(frozen=True)
class StudyPolicy:
    key: str
    title: Text
    consent_items: tuple[PolicyItem, ...]
    withdrawal_policy: WithdrawalPolicy
    data_at_end: DataAtEnd
    end_date: dt.date
    default_language: str = "nb"
    leader: Mapping[str, Any] | None = None  # name, phone, email, organisation
    dpo: Mapping[str, Any] | None = None
    institution: str = ""

    @property
    def item_ids(self) -> tuple[str, ...]:
        return tuple(i.id for i in self.consent_items)

    def item(self, item_id: str) -> PolicyItem:
        for item in self.consent_items:
            if item.id == item_id:
                return item
        raise ConsentError(
            f"{item_id!r} is not a consent item of study {self.key} "
            f"(known: {', '.join(self.item_ids)})"
        )

    @classmethod
    def from_study(cls, study: Study) -> StudyPolicy:
        def contact(c: Any) -> dict[str, Any] | None:
            if c is None:
                return None
            return {
                "name": c.name,
                "phone": c.phone,
                "email": c.email,
                "organisation": c.organisation,
            }

        return cls(
            key=study.id,
            title=study.title,
            consent_items=tuple(PolicyItem(c.id, c.text, c.required) for c in study.consent_items),
            withdrawal_policy=study.withdrawal_policy,
            data_at_end=study.data_at_end,
            end_date=study.end_date,
            default_language=study.default_language,
            leader=contact(study.project_leader),
            dpo=contact(study.dpo),
            institution=study.institution,
        )

    @classmethod
    def from_definition(cls, key: str, data: Mapping[str, Any]) -> StudyPolicy:
        def text(value: Any) -> Text:
            if isinstance(value, Mapping):
                return Text(dict(value.get("values", {})), dict(value.get("easy", {})))
            return Text({})

        try:
            return cls(
                key=key,
                title=text(data.get("title")),
                consent_items=tuple(
                    PolicyItem(c["id"], text(c.get("text")), bool(c.get("required", False)))
                    for c in data.get("consent_items", ())
                ),
                withdrawal_policy=WithdrawalPolicy(data["withdrawal_policy"]),
                data_at_end=DataAtEnd(data["data_at_end"]),
                end_date=dt.date.fromisoformat(str(data["end_date"])),
                default_language=data.get("default_language") or "nb",
                leader=data.get("project_leader"),
                dpo=data.get("dpo"),
                institution=data.get("institution") or "",
            )
        except (KeyError, ValueError, TypeError) as exc:
            raise StudyMissing(
                f"the stored definition of study {key} is incomplete ({exc})"
            ) from None

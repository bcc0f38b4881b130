"""Re-consent after a consent text changed: what changed, and who rests on the old text.

Loading a study again keeps every old version of a form (intake.studies), and
every grant in the ledger names the text version of the consent form it was
given on (consent.events.EventData.text_version). So the changes between the
two newest versions of a consent form can be listed per item and language
(:func:`consent_changes`, a readable difflib diff), and the people whose current
grant of an item rests on an older version can be found (:func:`reconsent_plan`),
through the one contact rule (intake.contact.may_send), so nobody who declined,
withdrew or was erased is written to.

Grants on an old version stay valid: the ledger is not touched here. A new
paper or web answer on the new version is recorded as a grant (or decline)
naming the new version, which moves the item there.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from consent import ledger
from consent.status import ConsentState
from forms.model import Form, FormKind, ItemType, Text

from .contact import LetterKind, Reason, decide_all, study_policy
from .models import FormVersion, Participant, StudyRecord
from .studies import stored_form

#: Lines of unchanged text shown around each change in a diff.
DIFF_CONTEXT_LINES = 1
#: The part name of texts about the whole form rather than one item.
WHOLE_FORM = "(form)"


@dataclass(frozen=True)
class TextChange:
    """One text of a consent form that differs between two versions, in one language."""

    form: str
    old_version: str
    new_version: str
    part: str  # the item id, or "title" / "intro"
    consent_item: str | None  # the consent item this text is the box of, if any
    language: str
    old: str
    new: str

    @property
    def diff(self) -> list[str]:
        """A readable diff of the two texts, word by word on lines (difflib ndiff)."""
        return [
            line.rstrip("\n")
            for line in difflib.unified_diff(
                self.old.splitlines() or [""],
                self.new.splitlines() or [""],
                fromfile=self.old_version,
                tofile=self.new_version,
                n=DIFF_CONTEXT_LINES,
                lineterm="",
            )
        ]


def _texts(text: Text | None) -> dict[str, str]:
    if text is None:
        return {}
    found = dict(text.values)
    found.update({f"{lang} (easy)": value for lang, value in text.easy.items()})
    return found


def _parts(form: Form) -> dict[str, tuple[str | None, dict[str, str]]]:
    """Every text of a form by part: (consent item, texts by language)."""
    parts: dict[str, tuple[str | None, dict[str, str]]] = {
        "title": (None, _texts(form.title)),
        "intro": (None, _texts(form.intro)),
    }
    for item in form.items():
        texts = _texts(item.label)
        for name, extra in (("hint", item.hint),):
            texts.update({f"{lang} {name}": v for lang, v in _texts(extra).items()})
        for choice in item.choices:
            texts.update(
                {f"{lang} choice {choice.value}": v for lang, v in _texts(choice.label).items()}
            )
        parts[item.id] = (item.consent_item if item.type == ItemType.CONSENT else None, texts)
    return parts


def diff_forms(old: Form, new: Form, old_version: str, new_version: str) -> list[TextChange]:
    """The texts that differ between two versions of a form (added and removed parts too)."""
    before, after = _parts(old), _parts(new)
    changes: list[TextChange] = []
    for part in [*after, *(p for p in before if p not in after)]:
        item_before, texts_before = before.get(part, (None, {}))
        item_after, texts_after = after.get(part, (None, {}))
        for language in sorted(set(texts_before) | set(texts_after)):
            was, now = texts_before.get(language, ""), texts_after.get(language, "")
            if was != now:
                changes.append(
                    TextChange(
                        form=new.id,
                        old_version=old_version,
                        new_version=new_version,
                        part=part,
                        consent_item=item_after or item_before,
                        language=language,
                        old=was,
                        new=now,
                    )
                )
    return changes


def consent_versions(session: Session, study: StudyRecord) -> dict[str, list[FormVersion]]:
    """Every stored version of each consent form, oldest first."""
    found: dict[str, list[FormVersion]] = {}
    for version in session.scalars(
        select(FormVersion)
        .where(FormVersion.study_id == study.id, FormVersion.kind == str(FormKind.CONSENT))
        .order_by(FormVersion.id)
    ):
        found.setdefault(version.form_key, []).append(version)
    return found


def consent_changes(session: Session, study: StudyRecord) -> list[TextChange]:
    """What changed between the two newest versions of every consent form of ``study``."""
    changes: list[TextChange] = []
    for versions in consent_versions(session, study).values():
        if len(versions) < 2:
            continue
        old, new = versions[-2], versions[-1]
        changes += diff_forms(
            stored_form(old), stored_form(new), old.text_version, new.text_version
        )
    return changes


def changes_table(changes: list[TextChange]) -> tuple[list[str], list[list[str]]]:
    """The changes as (headers, rows), one row per part and language."""
    headers = [
        "form",
        "old version",
        "new version",
        "part",
        "consent item",
        "language",
        "old",
        "new",
    ]
    rows = [
        [
            c.form,
            c.old_version,
            c.new_version,
            c.part,
            c.consent_item or WHOLE_FORM,
            c.language,
            c.old,
            c.new,
        ]
        for c in changes
    ]
    return headers, rows


@dataclass(frozen=True)
class ReconsentCandidate:
    """One person whose current grant of ``items`` rests on an older consent text."""

    code: str
    items: tuple[str, ...]
    on_versions: tuple[str, ...]
    reason: Reason  # Reason.MAY_SEND, or why the contact rule says no


def reconsent_plan(
    session: Session, study: StudyRecord, items: set[str] | None = None
) -> list[ReconsentCandidate]:
    """People whose current grant of an item (of ``items``; None: any) rests on an old text.

    "Old" is any version of the consent form but the newest. Each person is
    asked through intake.contact.may_send; those it refuses are kept in the list
    with the reason, so a dry run can say why they get nothing.
    """
    newest = {versions[-1].text_version for versions in consent_versions(session, study).values()}
    older = {
        v.text_version for versions in consent_versions(session, study).values() for v in versions
    } - newest
    book = ledger.status_book(session)
    on_old: dict[str, dict[str, str]] = {}
    for (code, item), status in sorted(book.items.items()):
        if items is not None and item not in items:
            continue
        if status.state == ConsentState.GRANTED and status.text_version in older:
            on_old.setdefault(code, {})[item] = status.text_version or ""
    people = list(
        session.scalars(
            select(Participant).where(Participant.code.in_(on_old)).order_by(Participant.code)
        )
    )
    policy = study_policy(study)
    return [
        ReconsentCandidate(
            code=person.code,
            items=tuple(sorted(on_old[person.code])),
            on_versions=tuple(sorted(set(on_old[person.code].values()))),
            reason=decision.reason,
        )
        for person, decision in decide_all(session, people, LetterKind.RECONSENT, policy)
    ]

"""Re-consent after a consent text changed: what changed, and who rests on the old text.

Loading a study again keeps every old version of a form (intake.studies), and
every grant in the ledger names the text version of the consent form it was
given on (consent.events.EventData.text_version). So the changes between the
two newest versions of a consent form can be listed per item and language
(:func:`consent_changes`, a readable difflib diff), and the people whose current
grant of an item rests on an older version can be found (:func:`reconsent_plan`),
through the one contact rule (intake.contact.may_send), so nobody who declined,
withdrew or was erased is written to.

Which changes count is the study author's call: study.yaml's
``consent_changes:`` marks each change ``material`` or ``minor``
(:func:`marked_changes`); an unmarked change counts as material.
:func:`send_reconsent` prints a re-consent pack (printing.reconsent) for each
person a material change has overtaken and records one
:class:`intake.models.ReconsentLetter` per person, in one transaction.

Grants on an old version stay valid: the ledger is not touched here. A new
paper or web answer on the new version is recorded as a grant (or decline)
naming the new version, which moves the item there.
"""

from __future__ import annotations

import datetime as dt
import difflib
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from consent import ledger
from consent.status import ConsentState
from forms.errors import UserError
from forms.model import ChangeKind, Form, FormKind, ItemType, Study, Text
from forms.version import text_version
from printing.format_profile import FormatProfile, PrintOverride, effective_profile
from printing.letters import Credentials
from printing.reconsent import ReconsentPrinter
from printing.render import new_canvas
from printing.texts import say

from .contact import LetterKind, Reason, decide_all, reasons_summary, study_policy
from .db import read_scope, session_scope
from .definitions import consent_changes_from_json
from .format_profiles import profile_of
from .invitations import issue_invitation, record_printed_pages
from .mailing import addressee, page_numbers, store_maps, study_for_printing
from .models import FormVersion, Participant, ReconsentLetter, StudyRecord, utcnow
from .secrets import load_secret
from .studies import get_study, stored_form
from .tables import atomic_path

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
class MarkedChange:
    """What changed for one consent item (or a consent form's own texts) in one step.

    One step is two consecutive stored versions of a consent form. ``marked``
    says whether study.yaml's ``consent_changes:`` has a mark for it; an
    unmarked change counts as material (people are asked again rather than
    silently kept on a text they never saw).
    """

    form: str
    old_version: str
    new_version: str
    item: str  # the consent item, or the form id for the form's title and introduction
    kind: ChangeKind
    marked: bool
    reason: str
    what_changed: Text | None  # the easy sentence per language (material, marked)

    @property
    def material(self) -> bool:
        return self.kind == ChangeKind.MATERIAL


def marked_changes(
    session: Session, study: StudyRecord, folder: Study | None = None
) -> list[MarkedChange]:
    """Every change per item between consecutive versions of each consent form, with its mark.

    The marks are read from the study as last loaded (its stored definition);
    with ``folder`` (the study folder as it is now, maybe not loaded yet) from
    the folder instead, and a consent form in the folder that is newer than the
    newest stored version counts as the next step.
    """
    source = folder.consent_changes if folder is not None else None
    if source is None:
        source = consent_changes_from_json(study.definition)
    marks = {(c.item, c.version): c for c in source}
    found: list[MarkedChange] = []
    for key, versions in consent_versions(session, study).items():
        steps = [
            (stored_form(old), old.text_version, stored_form(new), new.text_version)
            for old, new in zip(versions, versions[1:], strict=False)
        ]
        if folder is not None:
            try:
                now = folder.form(key)
            except KeyError:
                now = None
            if now is not None and text_version(now) not in {v.text_version for v in versions}:
                last = versions[-1]
                steps.append((stored_form(last), last.text_version, now, text_version(now)))
        for old_form, old_version, new_form, new_version in steps:
            items: list[str] = []
            for change in diff_forms(old_form, new_form, old_version, new_version):
                item = change.consent_item or key
                if item not in items:
                    items.append(item)
            for item in items:
                mark = marks.get((item, new_version))
                found.append(
                    MarkedChange(
                        form=key,
                        old_version=old_version,
                        new_version=new_version,
                        item=item,
                        kind=mark.kind if mark else ChangeKind.MATERIAL,
                        marked=mark is not None,
                        reason=mark.reason if mark else "",
                        what_changed=mark.what_changed if mark else None,
                    )
                )
    return found


def unmarked(changes: list[MarkedChange]) -> list[MarkedChange]:
    """The changes study.yaml has no mark for (each counts as material)."""
    return [c for c in changes if not c.marked]


@dataclass(frozen=True)
class ReconsentCandidate:
    """One person whose current grant of ``items`` rests on an older consent text."""

    code: str
    items: tuple[str, ...]
    on_versions: tuple[str, ...]
    reason: Reason  # Reason.MAY_SEND, or why the contact rule says no
    changes: tuple[MarkedChange, ...] = ()  # material only: the changes that ask them again

    @property
    def selected(self) -> bool:
        return self.reason == Reason.MAY_SEND


def _has_later_versions(session: Session, study: StudyRecord) -> bool:
    """Whether any consent form of ``study`` has more than one stored version.

    One small query, no definitions read: every citizen page asks (awaits_reconsent),
    and most studies never change a consent text.
    """
    most = session.scalar(
        select(func.count(FormVersion.id))
        .where(FormVersion.study_id == study.id, FormVersion.kind == str(FormKind.CONSENT))
        .group_by(FormVersion.form_key)
        .order_by(func.count(FormVersion.id).desc())
        .limit(1)
    )
    return (most or 0) > 1


def _material_after(
    session: Session, study: StudyRecord
) -> dict[tuple[str, str], tuple[MarkedChange, ...]]:
    """(item, version granted on) -> the material changes of that item since that version."""
    if not _has_later_versions(session, study):
        return {}  # one text per consent form: nothing can have overtaken a grant
    steps = marked_changes(session, study)
    found: dict[tuple[str, str], tuple[MarkedChange, ...]] = {}
    for key, versions in consent_versions(session, study).items():
        newest = stored_form(versions[-1])
        on_form = [i.consent_item for i in newest.items() if i.type == ItemType.CONSENT]
        order = [v.text_version for v in versions]
        for j, version in enumerate(order):
            later = set(order[j + 1 :])
            for item in on_form:
                if item is None:
                    continue
                hits = tuple(
                    c
                    for c in steps
                    if c.form == key
                    and c.new_version in later
                    and c.material
                    and c.item in (item, key)
                )
                if hits:
                    found[item, version] = hits
    return found


def awaits_reconsent(session: Session, study: StudyRecord, code: str) -> tuple[str, ...]:
    """The items of ``code`` whose current grant a material change has overtaken.

    The web's consent page opens again for these people (a new answer moves
    the items to the new text); empty for everybody else.
    """
    overtaken = _material_after(session, study)
    found = []
    for item in sorted({item for item, _ in overtaken}):
        status = ledger.item_status(session, code, item)
        if status.state == ConsentState.GRANTED and (item, status.text_version) in overtaken:
            found.append(item)
    return tuple(found)


def reconsent_plan(
    session: Session,
    study: StudyRecord,
    items: set[str] | None = None,
    *,
    material: bool = False,
) -> list[ReconsentCandidate]:
    """People whose current grant of an item (of ``items``; None: any) rests on an old text.

    "Old" is any version of the consent form but the newest. With ``material``
    only grants that a material change (or an unmarked one) has overtaken count:
    those are the people a re-consent letter goes to. Each person is asked
    through intake.contact.may_send; those it refuses are kept in the list with
    the reason, so a dry run can say why they get nothing.
    """
    newest = {versions[-1].text_version for versions in consent_versions(session, study).values()}
    older = {
        v.text_version for versions in consent_versions(session, study).values() for v in versions
    } - newest
    overtaken = _material_after(session, study) if material else {}
    book = ledger.status_book(session)
    on_old: dict[str, dict[str, str]] = {}
    why: dict[str, list[MarkedChange]] = {}
    for (code, item), status in sorted(book.items.items()):
        if items is not None and item not in items:
            continue
        if status.state != ConsentState.GRANTED or status.text_version not in older:
            continue
        if material:
            hits = overtaken.get((item, status.text_version or ""))
            if not hits:
                continue
            why.setdefault(code, []).extend(h for h in hits if h not in why.get(code, []))
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
            changes=tuple(why.get(person.code, ())),
        )
        for person, decision in decide_all(session, people, LetterKind.RECONSENT, policy)
    ]


# --- printing the re-consent packs -----------------------------------------------------------


@dataclass(frozen=True)
class ReconsentRun:
    """What `deltaker letters --reconsent` was asked to do."""

    out: Path
    dry_run: bool = False
    profile: str | None = None  # None: each person's format profile; large/standard: forced
    simplex: bool = False
    date: dt.date | None = None
    now: dt.datetime | None = None  # when the letters count as sent; tests move it
    study_key: str | None = None
    study_dir: str | None = None
    actor: str | None = None
    force: bool = False


@dataclass(frozen=True)
class ReconsentResult:
    plan: tuple[ReconsentCandidate, ...]
    out: Path | None  # None on a dry run
    pages: int
    sent: tuple[str, ...]  # participant codes

    @property
    def left_out(self) -> tuple[ReconsentCandidate, ...]:
        return tuple(c for c in self.plan if not c.selected)


class ReconsentError(UserError):
    """Re-consent letters cannot be made as asked."""


def what_changed(study: Study, candidate: ReconsentCandidate, language: str) -> list[str]:
    """The sentences the letter prints: the author's, or a plain one for an unmarked change."""
    sentences: list[str] = []
    for change in candidate.changes:
        if change.what_changed is not None:
            sentence = change.what_changed.get(language, easy=True)
        else:
            try:
                about = study.consent_item(change.item).text.get(language, easy=True)
            except KeyError:  # the form's own title or introduction changed
                about = study.form(change.form).title.get(language, easy=True)
            sentence = say("reconsent_changed_text", language, item=about)
        if sentence not in sentences:
            sentences.append(sentence)
    return sentences


def send_reconsent(engine: Engine, data_dir: Path, run: ReconsentRun) -> ReconsentResult:
    """Plan, and unless ``run.dry_run`` print and record the re-consent packs."""
    if run.profile not in (None, "standard", "large"):
        raise ReconsentError(f"unknown print profile {run.profile!r}")
    out = Path(run.out)
    if not run.dry_run and out.exists() and not run.force:
        raise ReconsentError(f"{out} exists; use --force to overwrite it")
    with read_scope(engine) as session:
        record = get_study(session, run.study_key)
        plan = tuple(reconsent_plan(session, record, material=True))
    if run.dry_run:
        return ReconsentResult(plan, None, 0, ())
    if not any(c.selected for c in plan):
        raise ReconsentError("nobody to write to: " + _why_nobody(plan))
    secret = load_secret(data_dir)
    wanted = {c.code for c in plan if c.selected}
    now = run.now or utcnow()
    sent: list[str] = []
    pages = 0
    with session_scope(engine) as session:
        record = get_study(session, run.study_key)
        study = study_for_printing(session, record, run.study_dir)
        versions = consent_versions(session, record)
        for form in study.forms:
            if form.id in versions and text_version(form) != versions[form.id][-1].text_version:
                raise ReconsentError(
                    f"form '{form.id}' in the study folder is not the version loaded last; "
                    f"run `deltaker study load` first"
                )
        # Asked again inside the writing transaction: an answer or a withdrawal
        # that came in since the plan was read must still stop the letter.
        fresh = [
            c
            for c in reconsent_plan(session, record, material=True)
            if c.selected and c.code in wanted
        ]
        people = {
            p.code: p
            for p in session.scalars(
                select(Participant).where(Participant.code.in_([c.code for c in fresh]))
            )
        }
        override = PrintOverride.from_profile_name(run.profile, duplex=not run.simplex)
        printers: dict[
            tuple[FormatProfile, tuple[str, ...], tuple[str, ...]], ReconsentPrinter
        ] = {}
        jobs: list[tuple[ReconsentCandidate, ReconsentPrinter]] = []
        for candidate in fresh:
            person = people[candidate.code]
            if person.language not in study.languages:
                raise ReconsentError(
                    f"{person.code}: language '{person.language}' is not in the study"
                )
            forms = tuple(
                study.form(key) for key in dict.fromkeys(c.form for c in candidate.changes)
            )
            sentences = tuple(what_changed(study, candidate, person.language))
            fmt = effective_profile(profile_of(person), override)
            key = (fmt, tuple(f.id for f in forms), sentences)
            if key not in printers:
                printers[key] = ReconsentPrinter(
                    study,
                    fmt.language,
                    forms,
                    sentences,
                    duplex=override.duplex,
                    date=run.date or now.date(),
                    fmt=fmt,
                )
                store_maps(session, record, printers[key], forms, fmt.language, fmt.print_profile)
            jobs.append((candidate, printers[key]))
        with atomic_path(out, force=True) as tmp:
            canvas = new_canvas(str(tmp), title="Deltaker re-consent")
            for candidate, printer in jobs:
                person = people[candidate.code]
                issued = issue_invitation(session, person, secret)  # the same link and code
                offset, entries = page_numbers(issued.invitation.pages or [], printer)
                record_printed_pages(issued.invitation, entries)
                pages += printer.draw(
                    canvas,
                    addressee(person),
                    Credentials(issued.token, issued.answer_code_display),
                    offset,
                )
                for form in printer.forms:
                    session.add(
                        ReconsentLetter(
                            participant_id=person.id,
                            invitation_id=issued.invitation.id,
                            sent_at=now,
                            form=form.id,
                            text_version=text_version(form),
                            old_versions=" ".join(candidate.on_versions),
                            items=" ".join(candidate.items),
                            letter_version=printer.version,
                            language=person.language,
                            file=out.name,
                            sent_by=run.actor,
                        )
                    )
                sent.append(person.code)
            canvas.save()
            session.flush()
    return ReconsentResult(plan, out, pages, tuple(sent))


def _why_nobody(plan: tuple[ReconsentCandidate, ...]) -> str:
    if not plan:
        return (
            "no grant rests on a consent text a material change has replaced "
            "(minor changes send no letters)"
        )
    return reasons_summary(candidate.reason for candidate in plan)


@dataclass(frozen=True)
class SentReconsent:
    code: str
    sent_at: dt.datetime
    form: str
    text_version: str
    items: str
    language: str
    file: str | None


def reconsent_sent(session: Session, codes: list[str] | None = None) -> list[SentReconsent]:
    """Every re-consent letter recorded (optionally for some people), oldest first."""
    query = (
        select(Participant.code, ReconsentLetter)
        .join(Participant, ReconsentLetter.participant_id == Participant.id)
        .order_by(ReconsentLetter.sent_at, ReconsentLetter.id)
    )
    if codes is not None:
        query = query.where(Participant.code.in_(codes))
    return [
        SentReconsent(code, r.sent_at, r.form, r.text_version, r.items, r.language, r.file)
        for code, r in session.execute(query)
    ]

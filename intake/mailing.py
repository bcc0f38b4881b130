"""Batch mail merge: letter packs for the participants in the database.

``print_letters`` selects people (a group, only those not yet sent anything;
never people who withdrew, declined or were erased: intake.contact decides),
creates or reuses each person's invitation (a reprint keeps the same link and
answer code; ``renew`` revokes and reissues), renders their packs a few at a
time and streams them into one
print-ready PDF (or one PDF per person), records each invitation's page list,
stores the layout map of every form version the first time it is printed, and
writes a print manifest beside the PDF. The manifest and the log never hold a
token or an answer code: those exist only on the paper.

``print_withdrawal_slip`` prints one person's withdrawal form, identified by
the same personal link, so the scanner reads it like any other page.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import IO, Any

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from forms.errors import UserError
from forms.load import load_study
from forms.model import Form, FormKind, Study
from forms.version import text_version
from printing.format_profile import FormatProfile, PrintOverride, effective_profile
from printing.layout import layout_form
from printing.letters import (
    Addressee,
    Credentials,
    PackError,
    PackPrinter,
    address_problem,
    pack_forms,
)
from printing.pdfjoin import PdfJoiner, release_memory
from printing.qr import personal_payload
from printing.render import FormPrinter, Stamp, new_canvas
from printing.texts import say
from printing.typeface import missing_glyphs

from .contact import LetterKind, decide_all, study_policy
from .db import read_scope, session_scope
from .format_profiles import profile_of
from .invitations import current_invitation, issue_invitation, record_printed_pages
from .models import Participant, ParticipantStatus, StudyRecord
from .secrets import load_secret
from .studies import StudyNotFound, form_version, get_layout_map, get_study, store_layout_map
from .tables import atomic_path, write_xlsx

#: Packs rendered into one in-memory PDF before it is streamed to the output file.
CHUNK_PACKS = 20

MANIFEST_HEADERS = (
    "participant",
    "group",
    "language",
    "pages",
    "first_page",
    "last_page",
    "file",
    "printed",
    "format",
)


class MailingError(UserError):
    """Letters cannot be printed as asked (nobody selected, study changed, bad address...)."""


class LayoutChanged(MailingError):
    """A form version was printed before with a different layout: old paper must stay readable."""


@dataclass(frozen=True)
class LetterRun:
    """What `deltaker letters` was asked to do."""

    out: Path
    group: str | None = None
    only_new: bool = False
    simplex: bool = False
    split: bool = False
    # None: each person's own format profile; "large" / "standard": forced for this run
    # (`letters --large-print` / `--no-large-print`)
    profile: str | None = None
    renew: bool = False
    date: dt.date | None = None
    study_key: str | None = None
    study_dir: str | None = None
    codes: tuple[str, ...] = ()  # only these participants
    force: bool = False


@dataclass(frozen=True)
class PrintedPack:
    code: str
    group: str | None
    language: str
    pages: int
    first_page: int
    last_page: int
    file: str
    format: str = ""  # the effective format profile, e.g. "nb, large print, one-sided"


@dataclass(frozen=True)
class LetterRunResult:
    packs: tuple[PrintedPack, ...]
    pages: int
    files: tuple[Path, ...]
    manifest: Path
    excluded: int  # people left out because they withdrew, declined or were erased
    date: dt.date
    no_address: tuple[str, ...] = ()  # codes of people left out for want of an address


def manifest_table(result: LetterRunResult) -> tuple[tuple[str, ...], list[tuple]]:
    """The print manifest as (headers, rows): codes and page ranges, never codes to log in."""
    rows = [
        (
            p.code,
            p.group or "",
            p.language,
            p.pages,
            p.first_page,
            p.last_page,
            p.file,
            result.date.isoformat(),
            p.format,
        )
        for p in result.packs
    ]
    return MANIFEST_HEADERS, rows


def manifest_path(out: Path) -> Path:
    return out.with_name(out.stem + ".manifest.xlsx")


# --- study and selection -----------------------------------------------------------------------


def study_for_printing(session: Session, record: StudyRecord, study_dir: str | None) -> Study:
    """The study's full definition, from its folder; every form must be loaded as it is now."""
    folder = study_dir or record.source_dir
    if not folder:
        raise MailingError(
            f"study '{record.key}' was loaded without a folder; give it with --study-dir"
        )
    if not Path(folder).is_dir():
        raise MailingError(f"the study folder {folder} is gone; give it with --study-dir")
    study = load_study(folder)
    if study.id != record.key:
        raise MailingError(f"{folder} holds study '{study.id}', not '{record.key}'")
    for form in study.forms:
        try:
            form_version(session, record, form.id, text_version(form))
        except StudyNotFound:
            raise MailingError(
                f"form '{form.id}' in {folder} has changed since the study was loaded; "
                f"run `deltaker study load {folder}` first"
            ) from None
    return study


def select_participants(
    session: Session, record: StudyRecord, run: LetterRun
) -> tuple[list[Participant], int]:
    """The people to print for, in import order, and how many were left out as withdrawn.

    Who may get a letter at all is decided by :func:`intake.contact.may_send`.
    """
    query = (
        select(Participant)
        .where((Participant.study_id == record.id) | Participant.study_id.is_(None))
        .order_by(Participant.id)
    )
    if run.group:
        query = query.where(Participant.group == run.group)
    people = list(session.scalars(query))
    if run.codes:
        known = {p.code for p in people}
        unknown = [c for c in run.codes if c not in known]
        if unknown:
            raise MailingError(f"no participant {', '.join(unknown)} in this study")
        people = [p for p in people if p.code in run.codes]
    decided = decide_all(session, people, LetterKind.INVITATION, study_policy(record))
    excluded = sum(1 for _, decision in decided if not decision.allowed)
    people = [p for p, decision in decided if decision.allowed]
    if run.only_new:
        people = [p for p in people if p.status == ParticipantStatus.NEW]
    return people, excluded


def _has_address(participant: Participant) -> bool:
    contact = participant.contact
    return bool(contact and (contact.address or "").strip())


def addressee(participant: Participant) -> Addressee:
    contact = participant.contact
    if contact is None or not contact.name:
        raise MailingError(f"participant {participant.code} has no name and address to print")
    lines = [line.strip() for line in (contact.address or "").splitlines() if line.strip()]
    town = " ".join(part for part in (contact.postcode, contact.city) if part)
    if town:
        lines.append(town)
    if not lines:
        raise MailingError(f"participant {participant.code} has no postal address")
    return Addressee(participant.code, contact.name, tuple(lines), participant.language)


def _check_people(people: Sequence[Participant], study: Study) -> None:
    """Every problem with names, addresses and languages, before anything is written."""
    problems: list[str] = []
    for person in people:
        try:
            who = addressee(person)
        except MailingError as exc:
            problems.append(exc.message)
            continue
        if person.language not in study.languages:
            problems.append(f"{person.code}: language '{person.language}' is not in the study")
        for text in (who.name, *who.address_lines):
            missing = missing_glyphs(text, bold=True)
            if missing:
                problems.append(f"{person.code}: the print font has no {''.join(missing)!r}")
                break
        else:
            window = address_problem(who)
            if window:
                problems.append(window)
    if problems:
        more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
        raise MailingError(f"nothing printed: {problems[0]}{more}")


# --- layout maps -----------------------------------------------------------------------------


def store_maps(
    session: Session,
    record: StudyRecord,
    printer: PackPrinter | FormPrinter,
    forms: Sequence[Form],
    language: str,
    profile: str,
) -> None:
    layouts = printer.layouts if isinstance(printer, PackPrinter) else [printer.layout]
    for form, layout in zip(forms, layouts, strict=True):
        version = form_version(session, record, form.id, layout.text_version)
        current = layout.to_map(record.key)
        stored = get_layout_map(session, version, language, profile)
        if stored is None:
            store_layout_map(session, version, language, profile, current)
        elif stored.map != current:
            raise LayoutChanged(
                f"form '{form.id}' version {layout.text_version} ({language}, {profile}) was "
                "printed before with another layout; paper in people's hands follows the old "
                "one. Change the form's text (a new version) or print it with the old code"
            )


def page_numbers(existing: list[dict], pack: PackPrinter) -> tuple[int, list[dict]]:
    """The ``?p=`` offset for a (re)print of ``pack`` and the invitation's new page list.

    Paper already out must stay readable: when this pack's pages are exactly the
    ones printed before (a plain reprint) the numbers are reused; when they differ
    (a new form version, another language or profile) the new pages get numbers
    after every number used so far, and the old entries are kept. Entries added
    later (withdrawal slips) are kept too.
    """
    fresh = pack.pages_json()
    by_n = {entry["n"]: entry for entry in existing}
    if all(by_n.get(entry["n"]) == entry for entry in fresh):
        offset = 0
    else:
        offset = max(by_n, default=0)
        fresh = pack.pages_json(offset)
    merged = dict(by_n)
    for entry in fresh:
        merged[entry["n"]] = entry
    return offset, [merged[n] for n in sorted(merged)]


# --- the run ---------------------------------------------------------------------------------


def print_letters(
    engine: Engine,
    data_dir: Path,
    run: LetterRun,
    progress: Callable[[int], None] | None = None,
    on_selected: Callable[[int], None] | None = None,
) -> LetterRunResult:
    """Print packs as ``run`` says; see the module docstring."""
    secret = load_secret(data_dir)
    date = run.date or dt.date.today()
    out = Path(run.out)
    override = print_override(run.profile, duplex=not run.simplex)
    with read_scope(engine) as session:
        record = get_study(session, run.study_key)
        study = study_for_printing(session, record, run.study_dir)
        people, excluded = select_participants(session, record, run)
        if not people:
            raise MailingError("nobody to print for: " + _why_nobody(run, excluded))
        unreachable = [p.code for p in people if not _has_address(p)]
        people = [p for p in people if _has_address(p)]
        if not people:
            raise MailingError(
                f"nobody to print for: {len(unreachable)} selected people "
                f"have no postal address; {_why_nobody(run, excluded)}"
            )
        _check_people(people, study)
        ids = [p.id for p in people]
        kinds = {(effective_profile(profile_of(p), override), p.group) for p in people}

    printers: dict[tuple[FormatProfile, tuple[str, ...]], PackPrinter] = {}

    def printer_for(fmt: FormatProfile, group: str | None) -> PackPrinter:
        forms = pack_forms(study, group)
        key = (fmt, tuple(f.id for f in forms))
        if key not in printers:
            printers[key] = PackPrinter(
                study, fmt.language, forms=forms, duplex=override.duplex, date=date, fmt=fmt
            )
        return printers[key]

    # Lay out every kind of pack before anything is stored: a text the font cannot
    # print or a form too tall for a page stops the run with nothing written.
    for fmt, group in sorted(kinds, key=lambda k: (k[0].describe(), k[1] or "")):
        printer_for(fmt, group)
    if on_selected:
        on_selected(len(ids))

    packs: list[PrintedPack] = []
    files: list[Path] = []
    mapped: set[int] = set()
    if run.split:
        folder = out.with_suffix("")
        if folder.exists() and any(folder.iterdir()) and not run.force:
            raise MailingError(f"{folder} exists and is not empty; use --force")
        folder.mkdir(parents=True, exist_ok=True)
    manifest = manifest_path(out)
    if not run.force:
        for path in ([] if run.split else [out]) + [manifest]:
            if path.exists():
                raise MailingError(f"{path} exists; use --force to overwrite it")
    with _combined(out, run) as joiner:
        for start in range(0, len(ids), CHUNK_PACKS):
            chunk_ids = ids[start : start + CHUNK_PACKS]
            with session_scope(engine) as session:
                record = get_study(session, run.study_key)
                buffer = io.BytesIO()
                canvas = new_canvas(buffer, title="Deltaker")
                for pid in chunk_ids:
                    person = session.get_one(Participant, pid)
                    fmt = effective_profile(profile_of(person), override)
                    pack = printer_for(fmt, person.group)
                    if id(pack) not in mapped:  # once per run and pack kind is enough
                        store_maps(
                            session, record, pack, pack.forms, fmt.language, fmt.print_profile
                        )
                        mapped.add(id(pack))
                    issued = issue_invitation(session, person, secret, renew=run.renew)
                    offset, pages = page_numbers(issued.invitation.pages or [], pack)
                    record_printed_pages(issued.invitation, pages)
                    creds = Credentials(issued.token, issued.answer_code_display)
                    if run.split:
                        path = out.with_suffix("") / f"{person.code}.pdf"
                        with atomic_path(path, force=True) as tmp:
                            single = new_canvas(str(tmp), title=person.code)
                            count = pack.draw(single, addressee(person), creds, offset)
                            single.save()
                        files.append(path)
                        packs.append(
                            PrintedPack(
                                person.code,
                                person.group,
                                person.language,
                                count,
                                1,
                                count,
                                path.name,
                                fmt.describe(),
                            )
                        )
                    else:
                        count = pack.draw(canvas, addressee(person), creds, offset)
                        first = (packs[-1].last_page if packs else 0) + 1
                        packs.append(
                            PrintedPack(
                                person.code,
                                person.group,
                                person.language,
                                count,
                                first,
                                first + count - 1,
                                out.name,
                                fmt.describe(),
                            )
                        )
                if joiner is not None:  # None when every pack gets a file of its own
                    canvas.save()
                    joiner.append(buffer.getvalue())
                del canvas, buffer
            release_memory()
            if progress:
                progress(len(chunk_ids))
    if not run.split:
        files.append(out)
    result = LetterRunResult(
        tuple(packs),
        sum(p.pages for p in packs),
        tuple(files),
        manifest,
        excluded,
        date,
        tuple(unreachable),
    )
    headers, rows = manifest_table(result)
    write_xlsx(manifest, [("manifest", headers, rows)], force=True)
    return result


def print_override(profile: str | None, *, duplex: bool = True) -> PrintOverride:
    """A run's ``profile`` option as the override every person's profile goes through."""
    try:
        return PrintOverride.from_profile_name(profile, duplex=duplex)
    except ValueError:
        raise MailingError(f"unknown print profile {profile!r}") from None


def _why_nobody(run: LetterRun, excluded: int) -> str:
    parts = []
    if run.group:
        parts.append(f"no one in group '{run.group}'")
    if run.only_new:
        parts.append("everyone selected has been sent a letter before (--only-new)")
    if excluded:
        parts.append(f"{excluded} withdrew, declined or were erased")
    return "; ".join(parts) or "no participants imported (deltaker participants import FILE)"


class _combined:
    """The combined output PDF: written under a temporary name, renamed when complete."""

    def __init__(self, out: Path, run: LetterRun):
        self.out = out
        self.run = run
        self._atomic: AbstractContextManager[Path] | None = None
        self._file: IO[bytes] | None = None
        self.joiner: PdfJoiner | None = None

    def __enter__(self) -> PdfJoiner | None:
        if self.run.split:
            return None
        self._atomic = atomic_path(self.out, force=True)
        tmp = self._atomic.__enter__()
        self._file = open(tmp, "wb")  # noqa: SIM115 - closed in __exit__
        self.joiner = PdfJoiner(self._file, title="Deltaker")
        return self.joiner

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> bool:
        if self._atomic is None:
            return False
        try:
            if exc_type is None and self.joiner is not None:
                self.joiner.close()
        finally:
            if self._file is not None:
                self._file.close()
        return bool(self._atomic.__exit__(exc_type, exc, traceback))


# --- the withdrawal slip -----------------------------------------------------------------------


@dataclass(frozen=True)
class SlipResult:
    code: str
    form: str
    pages: int
    out: Path


def print_withdrawal_slip(
    engine: Engine,
    data_dir: Path,
    code: str,
    out: Path,
    *,
    study_key: str | None = None,
    study_dir: str | None = None,
    profile: str | None = None,
    force: bool = False,
) -> SlipResult:
    """One person's withdrawal form, on their personal link (new page numbers in their pack).

    Printed in the person's format profile (language, print size); ``profile``
    (``large`` / ``standard``) overrides the print size.

    The slip's pages are added to the invitation's ``pages`` list (after the
    pack's own), so a scanned slip resolves to the withdrawal form like any page.
    """
    secret = load_secret(data_dir)
    out = Path(out)
    with session_scope(engine) as session:
        record = get_study(session, study_key)
        study = study_for_printing(session, record, study_dir)
        forms = [f for f in study.forms if f.kind == FormKind.WITHDRAWAL]
        if not forms:
            raise MailingError(f"study '{study.id}' has no withdrawal form (kind: withdrawal)")
        form = forms[0]
        person = session.scalars(select(Participant).where(Participant.code == code)).first()
        if person is None:
            raise MailingError(f"no participant {code}")
        if person.status == ParticipantStatus.ERASED:
            raise MailingError(f"participant {code} is erased")
        fmt = effective_profile(profile_of(person), print_override(profile))
        language = fmt.language if fmt.language in form.languages else form.languages[0]
        profile = fmt.print_profile
        printer = FormPrinter(layout_form(form, language, profile))
        store_maps(session, record, printer, [form], language, profile)
        had_invitation = current_invitation(session, person) is not None
        issued = issue_invitation(session, person, secret)
        invitation = issued.invitation
        pages = list(invitation.pages or [])
        first_n = max((p["n"] for p in pages), default=0) + 1
        layout = printer.layout
        new: list[dict[str, Any]] = [
            {
                "n": first_n + i,
                "form": form.id,
                "version": layout.text_version,
                "page": page.page,
                "language": language,
                "profile": profile,
            }
            for i, page in enumerate(layout.pages)
        ]
        invitation.pages = pages + new  # keep the pack's pages readable
        if not had_invitation and person.status == ParticipantStatus.NEW:
            person.status = ParticipantStatus.INVITED
        lang = printer.layout.language
        with atomic_path(out, force=force) as tmp:
            canvas = new_canvas(str(tmp), title=f"{form.id} {code}")
            for entry, page in zip(new, layout.pages, strict=True):
                printer.draw_page(
                    canvas,
                    page.page,
                    Stamp(
                        payload=personal_payload(study.base_url, issued.token, entry["n"]),
                        identity=f"{say('participant_code', lang)}: {code}",
                        page_label=say("page_x_of_y", lang, x=page.page, y=len(layout.pages)),
                        meta=f"{form.id} · {say('text_version', lang)} {layout.text_version}",
                    ),
                )
                canvas.showPage()
            canvas.save()
    return SlipResult(code, form.id, len(new), out)


__all__ = [
    "LetterRun",
    "LetterRunResult",
    "MailingError",
    "LayoutChanged",
    "PackError",
    "manifest_table",
    "print_letters",
    "print_withdrawal_slip",
    "select_participants",
]


# --- anonymous copies and layout maps of forms in the database ----------------------------------

SERIALS_FILE = "serials.json"


def allocate_serials(data_dir: Path, key: str, count: int) -> int:
    """Reserve ``count`` serials for ``key`` (study/form); returns the first.

    Kept in a small JSON file in the data folder, under a file lock, so two runs
    never print the same serial; a serial is never reused even if a run fails.
    """
    import fcntl
    import json

    path = Path(data_dir) / SERIALS_FILE
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "a+", encoding="utf-8") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        handle.seek(0)
        text = handle.read()
        try:
            counters = json.loads(text) if text.strip() else {}
        except json.JSONDecodeError:
            raise MailingError(f"{path} is damaged; fix or remove it") from None
        first = int(counters.get(key, 0)) + 1
        counters[key] = first + count - 1
        handle.seek(0)
        handle.truncate()
        handle.write(json.dumps(counters, indent=1, sort_keys=True))
        handle.flush()
    return first


@dataclass(frozen=True)
class StoredForm:
    form: Form
    study_id: str
    base_url: str
    version: str


def stored_form_for(
    session: Session, form_key: str, *, study_key: str | None = None, version: str | None = None
) -> StoredForm:
    """A form as loaded in the database (the newest version unless ``version`` is given)."""
    from .studies import stored_form

    record = get_study(session, study_key)
    fv = form_version(session, record, form_key, version)
    base_url = (record.definition or {}).get("base_url") or Study.base_url
    return StoredForm(stored_form(fv), record.key, base_url, fv.text_version)


def stored_layout_map(
    session: Session,
    form_key: str,
    language: str,
    profile: str,
    *,
    study_key: str | None = None,
    version: str | None = None,
) -> dict:
    """The layout map printed for a form version, or the one it would be printed with now."""
    record = get_study(session, study_key)
    fv = form_version(session, record, form_key, version)
    stored = get_layout_map(session, fv, language, profile)
    if stored is not None:
        return stored.map
    found = stored_form_for(session, form_key, study_key=study_key, version=fv.text_version)
    if language not in found.form.languages:
        raise MailingError(f"form '{form_key}' has no texts in '{language}'")
    return layout_form(found.form, language, profile).to_map(record.key, fv.text_version)


def print_blank(
    engine: Engine,
    data_dir: Path,
    form_key: str,
    out: Path,
    *,
    copies: int,
    language: str | None = None,
    profile: str = "standard",
    study_key: str | None = None,
    force: bool = False,
    duplex: bool = True,
    progress: Callable[[int], None] | None = None,
):
    """Anonymous copies of a loaded form: serials reserved, layout map stored."""
    from printing.blank import MAX_COPIES, BlankError, render_blank

    if not 1 <= copies <= MAX_COPIES:
        raise BlankError(f"--copies must be between 1 and {MAX_COPIES}, not {copies}")
    with session_scope(engine) as session:
        found = stored_form_for(session, form_key, study_key=study_key)
        record = get_study(session, study_key)
        language = language or found.form.languages[0]
        if language not in found.form.languages:
            raise MailingError(f"form '{form_key}' has no texts in '{language}'")
        printer = FormPrinter(layout_form(found.form, language, profile))
        store_maps(session, record, printer, [found.form], language, profile)
    first = allocate_serials(data_dir, f"{found.study_id}/{form_key}", copies)
    with atomic_path(Path(out), force=force) as tmp, open(tmp, "wb") as handle:
        return render_blank(
            handle,
            found.form,
            study_id=found.study_id,
            base_url=found.base_url,
            copies=copies,
            first_serial=first,
            language=language,
            profile=profile,
            duplex=duplex,
            on_copy=progress,
        )

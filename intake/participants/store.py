"""Storing checked participants, and the tables of who is stored."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from ..codes import random_participant_code
from ..models import (
    ContactDetails,
    ExportedParticipant,
    ExportLog,
    FormatProfileRecord,
    Participant,
    ParticipantStatus,
    StudyRecord,
    utcnow,
)
from .check import DEFAULT_LANGUAGES, validate_rows
from .read import read_table, read_table_isolated
from .records import (
    FIELDS,
    PROFILE_FIELDS,
    ImportResult,
    ParticipantImportError,
    PersonRow,
    Problem,
    RawTable,
    Rejected,
)


def _database_duplicates(session: Session, people: Sequence[PersonRow]) -> dict[int, Problem]:
    """Problems for rows that match someone already stored (by the keys above)."""
    found: dict[int, Problem] = {}
    checks = (
        ("name_address_key", "name and address", lambda p: p.name_address_key),
        ("phone_key", "phone number", lambda p: p.phone_key),
        ("email_key", "e-mail address", lambda p: p.email_key),
    )
    for column_name, what, key_of in checks:
        keys = {key_of(p) for p in people if key_of(p)}
        if not keys:
            continue
        column = getattr(ContactDetails, column_name)
        known: dict[str, str] = {}
        key_list = sorted(keys)
        for start in range(0, len(key_list), 500):  # stay under bound-parameter limits
            chunk = key_list[start : start + 500]
            for key, code in session.execute(
                select(column, Participant.code)
                .join(Participant, Participant.id == ContactDetails.participant_id)
                .where(column.in_(chunk))
            ):
                known[key] = code
        for person in people:
            key = key_of(person)
            if key and key in known and person.row not in found:
                found[person.row] = Problem(
                    person.row, None, f"same {what} as participant {known[key]}, already stored"
                )
    return found


def new_codes(session: Session, count: int) -> list[str]:
    """``count`` fresh participant codes, unique among themselves and in the database."""
    taken = set(session.scalars(select(Participant.code)))
    codes: list[str] = []
    misses = 0
    while len(codes) < count:
        # Lengthen codes if the 4-symbol space gets crowded (about a million codes).
        length = 4 if misses < 200 else 5
        code = random_participant_code(length)
        if code in taken:
            misses += 1
            continue
        taken.add(code)
        codes.append(code)
    return codes


def import_participants(
    session: Session,
    path: str | Path,
    *,
    study: StudyRecord | None = None,
    group: str | None = None,
    skip_invalid: bool = False,
    on_checked: Any = None,
    isolated: bool = True,
    table: RawTable | None = None,
) -> ImportResult:
    """Read, check and store everyone in the file, in the caller's transaction.

    Raises :class:`ParticipantImportError` with every problem and stores nothing
    when any row is invalid, unless ``skip_invalid``. ``on_checked(n)`` is called
    after checking, before storing (the command prints progress there).
    ``isolated`` parses the file in a worker process with limits (the default;
    tests of the checking rules may read in-process). A ``table`` already read
    (with :func:`read_table_isolated`, before the transaction began, so no lock
    is held while a big file is parsed) is used as it is.
    """
    name = str(path)
    if table is None:
        table = read_table_isolated(path) if isolated else read_table(path)
    languages: Sequence[str] = DEFAULT_LANGUAGES
    default_language = "nb"
    if study is not None:
        languages = tuple(study.definition.get("languages") or DEFAULT_LANGUAGES)
        default_language = study.definition.get("default_language") or languages[0]
    good, rejected = validate_rows(
        table, name, languages=languages, default_language=default_language, default_group=group
    )
    duplicates = _database_duplicates(session, good)
    if duplicates:
        still_good = []
        for person in good:
            if person.row in duplicates:
                rejected.append(
                    Rejected(person.row, _person_cells(person), (duplicates[person.row],))
                )
            else:
                still_good.append(person)
        good = still_good
    rejected.sort(key=lambda r: r.row)
    if rejected and not skip_invalid:
        problems = [p for r in rejected for p in r.problems]
        raise ParticipantImportError(
            f"{len(problems)} problem(s) in {len(rejected)} row(s); nothing was imported "
            f"(first: {problems[0].format()})",
            file=name,
            problems=problems,
        )
    if not good and not rejected:
        raise ParticipantImportError("the file has a header row but no people", file=name)
    if on_checked is not None:
        on_checked(len(good))
    codes = new_codes(session, len(good))
    _store(session, good, codes, study)
    return ImportResult(tuple(codes), tuple(rejected), tuple(FIELDS))


#: Rows per bulk INSERT while storing (bounded memory, few round trips).
STORE_BATCH = 1_000


def _store(
    session: Session, people: Sequence[PersonRow], codes: Sequence[str], study: StudyRecord | None
) -> None:
    """Bulk inserts in the caller's transaction: nothing is visible until it commits."""
    study_id = study.id if study is not None else None
    now = utcnow()
    for start in range(0, len(people), STORE_BATCH):
        batch = list(
            zip(
                people[start : start + STORE_BATCH], codes[start : start + STORE_BATCH], strict=True
            )
        )
        ids = session.scalars(
            insert(Participant).returning(Participant.id, sort_by_parameter_order=True),
            [
                {
                    "study_id": study_id,
                    "code": code,
                    "group": person.group,
                    "language": person.language,
                    "status": ParticipantStatus.NEW.value,
                    "created_at": now,
                }
                for person, code in batch
            ],
        ).all()
        session.execute(
            insert(ContactDetails),
            [
                {
                    "participant_id": pid,
                    "name": person.name,
                    "address": person.address,
                    "postcode": person.postcode,
                    "city": person.city,
                    "phone": person.phone,
                    "email": person.email,
                    "name_address_key": person.name_address_key,
                    "phone_key": person.phone_key,
                    "email_key": person.email_key,
                }
                for pid, (person, _code) in zip(ids, batch, strict=True)
            ],
        )
        profiles = [
            {
                "participant_id": pid,
                "large_print": bool(person.large_print),
                "two_sided": person.two_sided,
                "easy_read": person.easy_read,
                "updated_at": now,
                "updated_by": "import",
            }
            for pid, (person, _code) in zip(ids, batch, strict=True)
            if person.has_profile
        ]
        if profiles:
            session.execute(insert(FormatProfileRecord), profiles)


def _person_cells(person: PersonRow) -> dict[str, Any]:
    return {key: getattr(person, key) for key in FIELDS}


def rejected_table(result: ImportResult) -> tuple[list[str], list[list[Any]]]:
    """The rejected rows as (headers, rows), with the row number and the problems."""
    # the format-profile columns too when the file had them, so a fixed row loses nothing
    keys = [*FIELDS] + [k for k in PROFILE_FIELDS if any(k in r.cells for r in result.rejected)]
    headers = ["row", *keys, "problems"]
    rows = [
        [r.row, *(r.cells.get(k) for k in keys), "; ".join(p.message for p in r.problems)]
        for r in result.rejected
    ]
    return headers, rows


def participants_table(
    session: Session, *, with_contacts: bool = False, study: StudyRecord | None = None
) -> tuple[list[str], Iterator[list[Any]]]:
    """Everyone stored: codes, group, language, status (contacts only when asked).

    Rows come lazily, in batches from the database (an export may hold many).
    """
    headers = ["code", "group", "language", "status"]
    columns: list[Any] = [
        Participant.code,
        Participant.group,
        Participant.language,
        Participant.status,
    ]
    if with_contacts:
        headers += ["name", "address", "postcode", "city", "phone", "email"]
        columns += [
            ContactDetails.name,
            ContactDetails.address,
            ContactDetails.postcode,
            ContactDetails.city,
            ContactDetails.phone,
            ContactDetails.email,
        ]
    query = select(*columns).order_by(Participant.id).execution_options(yield_per=2_000)
    if with_contacts:
        query = query.outerjoin(ContactDetails, ContactDetails.participant_id == Participant.id)
    if study is not None:
        query = query.where(Participant.study_id == study.id)

    def rows() -> Iterator[list[Any]]:
        for row in session.execute(query):
            yield list(row)

    return headers, rows()


def log_personal_data_export(
    session: Session,
    *,
    actor: str,
    kind: str,
    path: str,
    file_format: str,
    codes: Iterable[str],
    rows: int,
) -> ExportLog:
    """Write the one log row of an export (the DPO report lists these).

    Only :mod:`privacy.exports` calls this: each export there makes its bytes and
    logs them in one function, so no caller can forget (a test checks that no
    other module calls it). ``codes`` are the people whose data went out.
    """
    people = sorted(set(codes))
    entry = ExportLog(
        actor=actor,
        kind=kind,
        path=path,
        file_format=file_format,
        participants=len(people),
        rows=rows,
        people=[ExportedParticipant(code=code) for code in people],
    )
    session.add(entry)
    session.flush()
    return entry

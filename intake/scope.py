"""Which rows belong to one study, for pages and files that must show one study only.

Several studies can be loaded into one install. A participant belongs to the
study they were imported into (``participants.study_id``; people stored before
studies were told apart, with no study, count as in every study, as elsewhere
in intake and privacy). A response belongs to its form version's study, a
review task to its response's study, and a file that shows people (a letter
pack, a scan overlay, an evidence image) to the study of every person in it.
A page nobody could identify, or a file that shows nobody, belongs to no study
yet: it is shown in every study, so that somebody can deal with it.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from sqlalchemy import ColumnElement, or_, select
from sqlalchemy.orm import Session

from .models import FormVersion, Participant, Response, ReviewTask, ScannedPage, StudyRecord


def of_study(record: StudyRecord) -> ColumnElement[bool]:
    """The condition on ``Participant`` for the people of ``record``."""
    return or_(Participant.study_id == record.id, Participant.study_id.is_(None))


def study_codes(session: Session, record: StudyRecord) -> set[str]:
    """The participant codes of study ``record``."""
    return set(session.scalars(select(Participant.code).where(of_study(record))))


def codes_in_study(session: Session, record: StudyRecord, codes: Iterable[str]) -> bool:
    """True when every one of ``codes`` is a participant of ``record`` (no codes: True)."""
    wanted = set(codes)
    if not wanted:
        return True
    found = set(
        session.scalars(
            select(Participant.code).where(Participant.code.in_(wanted), of_study(record))
        )
    )
    return found == wanted


def participant_in_study(session: Session, record: StudyRecord, code: str) -> bool:
    """True when ``code`` is a participant of ``record`` (an unknown code: False)."""
    return (
        session.scalar(
            select(Participant.id).where(Participant.code == code, of_study(record)).limit(1)
        )
        is not None
    )


def response_in_study(response: Response | None, record: StudyRecord) -> bool:
    """True for a response of ``record``'s forms (no response: True, it belongs nowhere yet)."""
    return response is None or response.form_version.study_id == record.id


def task_in_study(session: Session, record: StudyRecord, task: ReviewTask) -> bool:
    """True when review task ``task`` is about study ``record`` (or about no study yet)."""
    if task.response is not None:
        return response_in_study(task.response, record)
    if task.scanned_page_id is not None:
        page = session.get(ScannedPage, task.scanned_page_id)
        if page is not None:
            return page_in_study(session, record, page)
    return True


def page_in_study(session: Session, record: StudyRecord, page: ScannedPage) -> bool:
    """True for a scanned page of ``record`` (read into its forms, or naming its people)."""
    if page.response_id is not None:
        return response_in_study(session.get(Response, page.response_id), record)
    named = (page.result or {}).get("participant")
    if isinstance(named, str) and named:
        return participant_in_study(session, record, named)
    return True


def recent_pages(session: Session, record: StudyRecord, limit: int) -> list[ScannedPage]:
    """The newest ``limit`` scanned pages of study ``record``, newest first."""
    query = (
        select(ScannedPage)
        .outerjoin(Response, ScannedPage.response_id == Response.id)
        .outerjoin(FormVersion, Response.form_version_id == FormVersion.id)
        .where(or_(FormVersion.study_id == record.id, ScannedPage.response_id.is_(None)))
        .order_by(ScannedPage.id.desc())
    )
    pages: list[ScannedPage] = []
    for page in session.scalars(query.execution_options(yield_per=500)):
        if page.response_id is None and not page_in_study(session, record, page):
            continue
        pages.append(page)
        if len(pages) >= limit:
            break
    return pages


def several_studies(session: Session) -> bool:
    """True when more than one study is loaded (only then is anything left out by study)."""
    from sqlalchemy import func

    return (session.scalar(select(func.count()).select_from(StudyRecord)) or 0) > 1


def rows_of_study(rows: Iterable[list], column: int, codes: set[str]) -> Iterator[list]:
    """The rows whose participant code (at ``column``) is one of ``codes`` (or empty)."""
    for row in rows:
        code = row[column]
        if not code or code in codes:
            yield row

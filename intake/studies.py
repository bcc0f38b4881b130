"""Studies and form versions in the database, and the layout maps of printed versions.

Loading a study again adds a new version of every form whose text changed and
keeps the old ones: paper printed from an old version must stay readable.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from consent.policy import StudyMissing, StudyPolicy
from forms.errors import NotFoundError
from forms.model import Form, Study

from .definitions import form_from_json, form_to_json, study_to_json
from .models import FormVersion, LayoutMap, StudyRecord, utcnow


class StudyNotFound(NotFoundError):
    """No study, form or form version with that name is loaded."""


@dataclass(frozen=True)
class LoadReport:
    study: str
    added: tuple[tuple[str, str], ...]  # (form, text version) new in this load
    unchanged: tuple[tuple[str, str], ...]


def fingerprints(form: Form) -> tuple[str, str]:
    """(text version, geometry fingerprint) from forms.version."""
    from forms.version import geometry_fingerprint, text_version

    return text_version(form), geometry_fingerprint(form)


def load_study_into_db(session: Session, study: Study) -> LoadReport:
    """Store the study and any new form versions (old versions are kept)."""
    record = session.scalars(select(StudyRecord).where(StudyRecord.key == study.id)).first()
    definition = study_to_json(study)
    title = dict(study.title.values)
    if record is None:
        record = StudyRecord(
            key=study.id, title=title, definition=definition, source_dir=study.source_dir
        )
        session.add(record)
        session.flush()
    elif record.definition != definition or record.title != title:
        record.definition = definition
        record.title = title
        record.source_dir = study.source_dir
        record.updated_at = utcnow()
    added: list[tuple[str, str]] = []
    unchanged: list[tuple[str, str]] = []
    for form in study.forms:
        version, geometry = fingerprints(form)
        existing = session.scalars(
            select(FormVersion).where(
                FormVersion.study_id == record.id,
                FormVersion.form_key == form.id,
                FormVersion.text_version == version,
            )
        ).first()
        if existing is not None:
            unchanged.append((form.id, version))
            continue
        session.add(
            FormVersion(
                study_id=record.id,
                form_key=form.id,
                kind=str(form.kind),
                text_version=version,
                geometry=geometry,
                definition=form_to_json(form),
            )
        )
        added.append((form.id, version))
    session.flush()
    return LoadReport(study.id, tuple(added), tuple(unchanged))


def get_study(session: Session, key: str | None = None) -> StudyRecord:
    """The study named ``key``, or the only loaded one when ``key`` is None."""
    if key is not None:
        record = session.scalars(select(StudyRecord).where(StudyRecord.key == key)).first()
        if record is None:
            raise StudyNotFound(f"no study '{key}' is loaded (deltaker study load STUDY_DIR)")
        return record
    records = session.scalars(select(StudyRecord).order_by(StudyRecord.id)).all()
    if not records:
        raise StudyNotFound("no study is loaded yet (deltaker study load STUDY_DIR)")
    if len(records) > 1:
        names = ", ".join(r.key for r in records)
        raise StudyNotFound(f"several studies are loaded ({names}); say which with --study")
    return records[0]


def load_policy(session: Session, key: str | None = None) -> StudyPolicy:
    """The consent policy of study ``key``, or of the only loaded study when ``key`` is None."""
    query = select(StudyRecord).order_by(StudyRecord.id)
    if key is not None:
        query = query.where(StudyRecord.key == key)
    records = session.scalars(query).all()
    if not records:
        if key is not None:
            raise StudyMissing(f"no study '{key}' is loaded (deltaker study load STUDY_DIR)")
        raise StudyMissing("no study is loaded yet (deltaker study load STUDY_DIR)")
    if len(records) > 1:
        names = ", ".join(r.key for r in records)
        raise StudyMissing(f"several studies are loaded ({names}); say which with --study")
    return StudyPolicy.from_definition(records[0].key, records[0].definition)


def form_version(
    session: Session, study: StudyRecord, form_key: str, version: str | None = None
) -> FormVersion:
    """A stored form version (the newest when ``version`` is None)."""
    query = select(FormVersion).where(
        FormVersion.study_id == study.id, FormVersion.form_key == form_key
    )
    if version is not None:
        query = query.where(FormVersion.text_version == version)
    found = session.scalars(query.order_by(FormVersion.id.desc())).first()
    if found is None:
        what = f"form '{form_key}'" + (f" version {version}" if version else "")
        raise StudyNotFound(f"{what} is not loaded for study '{study.key}'")
    return found


def latest_versions(session: Session, study: StudyRecord) -> list[FormVersion]:
    """The newest version of every form of the study, in load order."""
    newest: dict[str, FormVersion] = {}
    for fv in session.scalars(
        select(FormVersion).where(FormVersion.study_id == study.id).order_by(FormVersion.id)
    ):
        newest[fv.form_key] = fv
    return list(newest.values())


def stored_form(version: FormVersion) -> Form:
    """The :class:`Form` as it was when this version was loaded."""
    return form_from_json(version.definition)


def store_layout_map(
    session: Session,
    version: FormVersion,
    language: str,
    profile: str,
    layout_map: dict[str, Any],
) -> LayoutMap:
    """Keep the layout map of a version the first time it is printed; later calls keep it.

    The first printed map wins: paper already in people's hands was printed
    from it, even if the layout code has changed since.
    """
    existing = get_layout_map(session, version, language, profile)
    if existing is not None:
        return existing
    record = LayoutMap(
        form_version_id=version.id,
        language=language,
        profile=profile,
        geometry=str(layout_map.get("geometry") or version.geometry),
        map=layout_map,
    )
    session.add(record)
    session.flush()
    return record


def get_layout_map(
    session: Session, version: FormVersion, language: str, profile: str = "standard"
) -> LayoutMap | None:
    return session.scalars(
        select(LayoutMap).where(
            LayoutMap.form_version_id == version.id,
            LayoutMap.language == language,
            LayoutMap.profile == profile,
        )
    ).first()

"""Which study a page shows, loaded once per app and study.

Tests and the demo hand a ``Study`` in (config ``STUDY``) or name a study folder
(``STUDY_DIR``); otherwise the studies loaded into the database (``deltaker study
load``) are used through intake. One install may hold several studies: a staff
page asks for the study its user works on, a citizen's page for the study of
the person's invitation (``current_study(key)``). Without a key, the only
loaded study is meant; with several loaded that is :class:`NoStudy`.
"""

from __future__ import annotations

import time
from typing import Any

from flask import current_app

from forms.errors import UserError
from forms.model import Study

from .database import EXTENSION, reading


class NoStudy(UserError):
    """The web app has no study to show (none loaded, or several and none named)."""


#: how often a running server looks whether `deltaker study load` changed a study
RECHECK_SECONDS = 30.0


def current_study(key: str | None = None) -> Study:
    """Study ``key`` (None: the configured or only one), read again after `deltaker study load`."""
    cache: dict[str, Any] = current_app.extensions[EXTENSION]
    configured = _configured(cache)
    if configured is not None and key in (None, configured.id):
        return configured
    studies: dict[str | None, Study] = cache.setdefault("studies", {})
    if _database_changed(cache):
        studies.clear()
    study = studies.get(key)
    if study is None:
        study, stamp = _from_database(key)
        cache.setdefault("stamp", stamp)
        cache.setdefault("checked", time.monotonic())
        studies[key] = study
    return study


def _configured(cache: dict[str, Any]) -> Study | None:
    """The study handed in by config (``STUDY`` or ``STUDY_DIR``), if any."""
    study = cache.get("study")
    if study is not None:
        return study
    study = current_app.config.get("STUDY")
    if study is None and current_app.config.get("STUDY_DIR"):
        from forms.load import load_study

        study = load_study(current_app.config["STUDY_DIR"])
    if study is not None:
        cache["study"] = study
    return study


def preload_studies() -> list[str]:
    """Load every study a page may show now (a server fails before it listens, not later)."""
    from sqlalchemy import select

    from intake.models import StudyRecord

    with reading() as db:
        keys = list(db.scalars(select(StudyRecord.key).order_by(StudyRecord.id)))
    configured = _configured(current_app.extensions[EXTENSION])
    if not keys and configured is None:
        raise NoStudy("no study is loaded; run `deltaker study load STUDY_DIR` first")
    for key in keys:
        current_study(key)
    if keys or configured is None:
        return keys
    return [configured.id]


def _stamp(db) -> tuple:
    from sqlalchemy import func, select

    from intake.models import FormVersion, StudyRecord

    return (
        db.scalar(select(func.max(StudyRecord.updated_at))),
        db.scalar(select(func.count()).select_from(FormVersion)),
        db.scalar(select(func.count()).select_from(StudyRecord)),
    )


def _database_changed(cache: dict) -> bool:
    if "stamp" not in cache or time.monotonic() - cache.get("checked", 0.0) < RECHECK_SECONDS:
        return False
    cache["checked"] = time.monotonic()
    with reading() as db:
        stamp = _stamp(db)
    if stamp == cache["stamp"]:
        return False
    cache["stamp"] = stamp
    return True


def _from_database(key: str | None) -> tuple[Study, tuple]:
    """A study loaded with `deltaker study load`, read from its folder as the letters were."""
    from intake.mailing import study_for_printing
    from intake.studies import StudyNotFound, get_study

    with reading() as db:
        try:
            record = get_study(db, key)
        except StudyNotFound as exc:
            raise NoStudy(exc.message) from None
        return study_for_printing(db, record, None), _stamp(db)

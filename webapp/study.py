"""Which study the web app serves, loaded once per app.

Tests and the demo hand a ``Study`` in (config ``STUDY``) or name a study folder
(``STUDY_DIR``); otherwise the study loaded into the database (``deltaker study
load``) is used through intake.
"""

from __future__ import annotations

import time

from flask import current_app

from forms.errors import UserError
from forms.model import Study

from .database import EXTENSION, reading


class NoStudy(UserError):
    """The web app has no study to show."""


#: how often a running server looks whether `deltaker study load` changed the study
RECHECK_SECONDS = 30.0


def current_study() -> Study:
    """The study served; a study from the database is read again after `deltaker study load`."""
    cache = current_app.extensions[EXTENSION]
    study = cache.get("study")
    if study is not None and not _database_changed(cache):
        return study
    study = current_app.config.get("STUDY")
    if study is None and current_app.config.get("STUDY_DIR"):
        from forms.load import load_study

        study = load_study(current_app.config["STUDY_DIR"])
    if study is None:
        study, cache["stamp"] = _from_database()
        cache["checked"] = time.monotonic()
    if study is None:
        raise NoStudy("no study is loaded; run `deltaker study load STUDY_DIR` first")
    cache["study"] = study
    return study


def _stamp(db) -> tuple:
    from sqlalchemy import func, select

    from intake.models import FormVersion, StudyRecord

    return (
        db.scalar(select(func.max(StudyRecord.updated_at))),
        db.scalar(select(func.count()).select_from(FormVersion)),
    )


def _database_changed(cache: dict) -> bool:
    if "stamp" not in cache or time.monotonic() - cache.get("checked", 0.0) < RECHECK_SECONDS:
        return False
    cache["checked"] = time.monotonic()
    with reading() as db:
        return _stamp(db) != cache["stamp"]


def _from_database() -> tuple[Study, tuple]:
    """The study loaded with `deltaker study load`, read from its folder as the letters were."""
    from intake.mailing import study_for_printing
    from intake.studies import get_study

    with reading() as db:
        return study_for_printing(db, get_study(db), None), _stamp(db)

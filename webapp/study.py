"""Which study the web app serves, loaded once per app.

Tests and the demo hand a ``Study`` in (config ``STUDY``) or name a study folder
(``STUDY_DIR``); otherwise the study loaded into the database (``deltaker study
load``) is used through intake.
"""

from __future__ import annotations

from flask import current_app

from forms.errors import UserError
from forms.model import Study

from .database import EXTENSION, reading


class NoStudy(UserError):
    """The web app has no study to show."""


def current_study() -> Study:
    cache = current_app.extensions[EXTENSION]
    study = cache.get("study")
    if study is not None:
        return study
    study = current_app.config.get("STUDY")
    if study is None and current_app.config.get("STUDY_DIR"):
        from forms.load import load_study

        study = load_study(current_app.config["STUDY_DIR"])
    if study is None:
        study = _from_database()
    if study is None:
        raise NoStudy("no study is loaded; run `deltaker study load STUDY_DIR` first")
    cache["study"] = study
    return study


def _from_database() -> Study | None:
    """The study loaded with `deltaker study load`, read from its folder as the letters were."""
    from intake.mailing import study_for_printing
    from intake.studies import get_study

    with reading() as db:
        return study_for_printing(db, get_study(db), None)

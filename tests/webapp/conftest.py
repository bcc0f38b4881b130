"""Web app fixtures: a fresh app on the test's database, participants with invitations, staff."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.factories import make_study
from tests.webapp import browser as b
from tests.webapp.webhelpers import STEADY_WINDOW_MINUTES, Person, add_person


@pytest.fixture
def study():
    return make_study()


@pytest.fixture
def app(data_dir: Path, db_url: str, study) -> Iterator[Flask]:
    from webapp import create_app

    app = create_app(
        {
            "DATA_DIR": str(data_dir),
            "DATABASE_URL": db_url,
            "STUDY": study,
            "CODE_WINDOW_MINUTES": STEADY_WINDOW_MINUTES,
            "TESTING": True,
        }
    )
    yield app
    from webapp import jobs
    from webapp.database import EXTENSION

    jobs.stop(app)  # its embedded worker, if a job started one
    app.extensions[EXTENSION]["engine"].dispose()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def person(app: Flask) -> Person:
    return add_person(app)


@pytest.fixture(scope="module")
def chromium():
    """Headless Chromium for a test module; skips (fails under CI=true) when it is missing."""
    if not b.CHROMIUM.exists():
        b.missing(f"{b.CHROMIUM} is not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(b.CHROMIUM), args=b.CHROMIUM_ARGS)
        yield browser
        browser.close()

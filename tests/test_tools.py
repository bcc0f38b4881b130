"""The skip-or-fail rule for programs outside Python that tests call."""

from __future__ import annotations

import shutil

import pytest

from tests.tools import require_tool


def test_a_present_program_gives_its_path(monkeypatch):
    monkeypatch.setattr(shutil, "which", lambda name: f"/opt/bin/{name}")
    monkeypatch.delenv("CI", raising=False)
    assert require_tool("pdftoppm") == "/opt/bin/pdftoppm"


def test_a_missing_program_skips_outside_ci(monkeypatch):
    monkeypatch.setattr(shutil, "which", lambda name: None)
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception, match="pdftoppm is not installed.*poppler-utils"):
        require_tool("pdftoppm")


def test_a_missing_program_fails_under_ci(monkeypatch):
    monkeypatch.setattr(shutil, "which", lambda name: None)
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="pdfinfo is not installed.*CI=true"):
        require_tool("pdfinfo")

"""Programs outside Python that some tests call (poppler's pdftoppm and pdfinfo).

A fresh machine may not have them: there the tests that need one skip and say
why. Under CI=true they must run, so a missing program fails the test instead
of hiding it (as the browser tests do with Chromium).
"""

from __future__ import annotations

import os
import shutil

import pytest

#: program -> the Debian package that brings it
DEBIAN_PACKAGES = {"pdftoppm": "poppler-utils", "pdfinfo": "poppler-utils"}


def on_ci() -> bool:
    return os.environ.get("CI", "").lower() == "true"


def require_tool(name: str) -> str:
    """The program's full path; skips the calling test when it is missing, fails under CI."""
    path = shutil.which(name)
    if path is not None:
        return path
    package = DEBIAN_PACKAGES.get(name)
    reason = f"{name} is not installed" + (f" (Debian package {package})" if package else "")
    if on_ci():
        pytest.fail(f"{reason}; CI=true: tests that need it must run")
    pytest.skip(reason)

"""Real headless Chromium (Playwright) and axe-core for the browser tests.

Chromium is Debian's (/usr/bin/chromium); axe-core comes from the npm registry
into a cache folder outside the repository. Without them the browser tests skip,
except under CI=true, where they fail.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from tests.tools import on_ci

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
AXE_DIR = Path(os.environ.get("DELTAKER_AXE_DIR", Path.home() / ".cache" / "deltaker-axe"))
AXE_VERSION = "4"
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "webapp"
#: axe results that fail a page
BLOCKING_IMPACTS = ("serious", "critical")


def missing(reason: str) -> None:
    if on_ci():
        pytest.fail(f"{reason} (CI=true: browser tests must run)")
    pytest.skip(reason)


def axe_source() -> str:
    script = AXE_DIR / "node_modules" / "axe-core" / "axe.min.js"
    if not script.is_file():
        npm = shutil.which("npm")
        if npm is None:
            missing("npm is not installed, so axe-core cannot be fetched")
        AXE_DIR.mkdir(parents=True, exist_ok=True)
        package = AXE_DIR / "package.json"
        if not package.exists():
            package.write_text(json.dumps({"name": "deltaker-axe", "private": True}))
        result = subprocess.run(
            [
                npm,
                "install",
                "--no-audit",
                "--no-fund",
                "--prefix",
                str(AXE_DIR),
                f"axe-core@{AXE_VERSION}",
            ],
            capture_output=True,
            text=True,
            timeout=300,
        )
        if result.returncode != 0 or not script.is_file():
            missing(f"npm could not install axe-core: {result.stderr.strip()[-300:]}")
    return script.read_text(encoding="utf-8")


@contextmanager
def serve(app) -> Iterator[str]:
    """The app on a free localhost port, in a thread; yields its base URL."""
    from werkzeug.serving import make_server

    from webapp.security import masked_request_handler

    server = make_server(
        "127.0.0.1", 0, app, threaded=True, request_handler=masked_request_handler()
    )
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=10)
        server.server_close()


def check_axe(page, source: str, name: str) -> list[dict]:
    """Run axe-core on the page; the serious and critical violations (also written to a file)."""
    page.evaluate(source)
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    bad = [
        {
            "id": v["id"],
            "impact": v["impact"],
            "help": v["help"],
            "nodes": [n["target"] for n in v["nodes"]][:5],
        }
        for v in result["violations"]
        if v["impact"] in BLOCKING_IMPACTS
    ]
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / f"{name}.axe.json").write_text(json.dumps(result["violations"], indent=1))
    return bad


def no_sideways_scroll(page) -> bool:
    return page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth + 1")


def shot(page, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)

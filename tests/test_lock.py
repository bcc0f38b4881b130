"""requirements.lock pins what pyproject.toml allows, and the venv holds exactly that."""

from __future__ import annotations

import re
import sys
import tomllib
from importlib import metadata
from pathlib import Path

import pytest
from packaging.markers import Marker
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[1]
LOCK = ROOT / "requirements.lock"
#: a pin line: "name==version \" or "name==version ; marker \"
#: what python3 -m venv puts in by itself (pip freeze leaves them out too), and ourselves
VENV_TOOLS = {"pip", "setuptools", "wheel", "deltaker"}
PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s;\\]+)\s*(?:;\s*(.+?))?\s*\\?$")


def pins_for_this_python() -> dict[str, str]:
    pins: dict[str, str] = {}
    for line in LOCK.read_text().splitlines():
        match = PIN.match(line)
        if match and (match[3] is None or Marker(match[3]).evaluate()):
            pins[canonicalize_name(match[1])] = match[2]
    return pins


def declared_requirements() -> list[Requirement]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    declared = project["dependencies"] + project["optional-dependencies"]["test"]
    return [Requirement(r) for r in declared]


def test_every_declared_dependency_is_pinned_within_its_range():
    pins = pins_for_this_python()
    wrong = {
        str(req): pins.get(canonicalize_name(req.name))
        for req in declared_requirements()
        if (req.marker is None or req.marker.evaluate())
        and not req.specifier.contains(pins.get(canonicalize_name(req.name), "0"), prereleases=True)
    }
    assert wrong == {}, "pyproject.toml and requirements.lock disagree: run `make lock`"


def test_every_pin_carries_a_hash():
    blocks = re.split(r"\n(?=[A-Za-z0-9])", LOCK.read_text())
    unhashed = [b.split()[0] for b in blocks if PIN.match(b.splitlines()[0]) and "--hash" not in b]
    assert unhashed == []


@pytest.mark.skipif(
    not (Path(sys.prefix) / ".installed-stamp").exists(),
    reason="this environment was not installed from the lock by `make install`",
)
def test_the_venv_holds_exactly_the_locked_versions():
    installed = {
        canonicalize_name(d.metadata["Name"]): d.version
        for d in metadata.distributions()
        if canonicalize_name(d.metadata["Name"]) not in VENV_TOOLS
    }
    assert installed == pins_for_this_python()

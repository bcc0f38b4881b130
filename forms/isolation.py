"""Untrusted files at arm's length: a reader in a fresh process with memory, CPU and time limits.

DESIGN.md: uploaded spreadsheets (and PDFs, see ``scan.sandbox``) are parsed in
a worker process with limits, so a hostile file costs a clear error, never the
caller's memory or a hung batch. The worker is a plain ``python -c`` process:
nothing is inherited from the caller and its main module is not re-imported.

The caller names a function ``module:function`` that takes the JSON request and
returns bytes; what the bytes mean is the caller's business (JSON for plain
values, so that a reader subverted by a file cannot send back code).
"""

from __future__ import annotations

import importlib
import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

#: The worker's address space, imports of openpyxl and lxml included.
DEFAULT_MEMORY_BYTES = 1_000_000_000
DEFAULT_CPU_SECONDS = 60
DEFAULT_WALL_SECONDS = 120.0


@dataclass(frozen=True)
class Limits:
    memory_bytes: int = DEFAULT_MEMORY_BYTES
    cpu_seconds: int = DEFAULT_CPU_SECONDS
    wall_seconds: float = DEFAULT_WALL_SECONDS


class LimitBroken(Exception):
    """The worker ran out of time or was stopped (memory, CPU); ``reason`` says which."""

    def __init__(self, reason: str):
        self.reason = reason
        super().__init__(reason)


def run_limited(entry: str, request: dict[str, Any], limits: Limits = Limits()) -> bytes:
    """Call ``entry`` (``module:function``) on ``request`` in a limited worker; its bytes."""
    root = str(Path(__file__).resolve().parents[1])
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join(p for p in (root, os.environ.get("PYTHONPATH", "")) if p),
    }
    message = json.dumps(
        {
            "entry": entry,
            "request": request,
            "memory_bytes": limits.memory_bytes,
            "cpu_seconds": limits.cpu_seconds,
        }
    )
    try:
        done = subprocess.run(
            [sys.executable, "-c", "from forms.isolation import _worker; _worker()"],
            input=message.encode(),
            capture_output=True,
            timeout=limits.wall_seconds,
            env=env,
            check=False,
        )
    except subprocess.TimeoutExpired:
        raise LimitBroken(f"took longer than {limits.wall_seconds:g} s and was stopped") from None
    if done.returncode != 0 or not done.stdout:
        raise LimitBroken(
            f"broke the memory or CPU limit and was stopped (exit code {done.returncode})"
        )
    return done.stdout


def _worker() -> None:
    """The worker: limits first, then the reader; its bytes to stdout."""
    import resource

    message = json.loads(sys.stdin.read())
    memory, cpu = message["memory_bytes"], message["cpu_seconds"]
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 1))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    module_name, function_name = message["entry"].split(":")
    function = getattr(importlib.import_module(module_name), function_name)
    sys.stdout.buffer.write(function(message["request"]))
    sys.stdout.flush()

"""Job kinds that read: scanned files (a thin layer over intake.scan_resolver.scan_and_store).

Reading is idempotent in intake already: each page is stored in its own
transaction and a page read before is reported as ``duplicate`` and stored
nothing. A resumed job keeps the page results its earlier attempt recorded (by
file and page) and adds the rest, so the job's list holds every page once. The
list keeps only what the job's page shows (:data:`SHOWN`).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from .kinds import JobContext, job_kind

#: what the job keeps of a page result: what its page shows. Never the answers (they
#: are stored with the response) nor the QR payload (it holds the person's link token)
SHOWN = (
    "file",
    "page_index",
    "status",
    "message",
    "participant",
    "serial",
    "form",
    "page",
    "needs_review",
    "flags",
)


@job_kind("scan")
def scan_job(context: JobContext) -> dict[str, Any]:
    from intake.scan_resolver import scan_and_store
    from scan.debug import overlay_name

    files = [Path(f) for f in context.arguments["files"]]
    debug = context.arguments.get("debug_dir")
    debug_dir = Path(debug) if debug else None
    pages: list[dict[str, Any]] = list(context.previous.get("pages") or [])
    seen = {(p.get("file"), p.get("page_index")) for p in pages}
    context.done = len(pages)
    for result in scan_and_store(
        context.engine,
        context.data_dir,
        files,
        jobs=int(context.arguments.get("processes") or 1),
        debug_dir=debug_dir,
    ):
        full = result.to_json()
        data = {name: full.get(name) for name in SHOWN}
        key = (data.get("file"), data.get("page_index"))
        if key in seen:
            continue  # recorded by an earlier attempt, with its first status
        seen.add(key)
        overlay = overlay_name(result.file, result.page_index)
        data["overlay"] = overlay if debug_dir and (debug_dir / overlay).is_file() else None
        pages.append(data)
        context.step(pages=pages)
    return {"pages": pages}

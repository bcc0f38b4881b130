"""Benchmark: the consent ledger on a SQLite file: appending, verifying, folding.

Appends N consent events through ``consent.ledger.record`` (checked, hashed,
chained; in batches of --batch events per write transaction) for --people
participants, then times ``verify`` (recompute the whole chain) and the status
fold, and reports events per second and peak RSS. Baselines measured in the
same run: the same rows inserted with a plain SQLAlchemy core INSERT (no checks,
no hashing), and hashing alone (EventData.sealed on the same rows in memory).

    .venv/bin/python bench/consent_ledger.py [--events 20000] [--people 2000] [--batch 500]
"""

from __future__ import annotations

import argparse
import datetime as dt
import resource
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import insert  # noqa: E402 - after the path set-up above

from consent import ledger  # noqa: E402
from consent.events import (  # noqa: E402
    GENESIS_HASH,
    Action,
    Channel,
    EventData,
    canonical_json,
    utc_iso,
)
from consent.models import ConsentEvent  # noqa: E402
from intake.db import open_database, read_scope, session_scope  # noqa: E402
from intake.models import Participant  # noqa: E402
from webapp.settings import Settings  # noqa: E402

ITEMS = ("interview", "audio", "quotes", "group_meetings", "contact_again")
WHEN = dt.datetime(2026, 11, 1, tzinfo=dt.UTC)


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: kB


def plan(events: int, people: int) -> list[tuple[str, str, Action, int]]:
    """(participant, item, action, n): grants first, a withdrawal every 7th event."""
    out = []
    for n in range(events):
        code = f"P-{n % people:05d}"
        item = ITEMS[(n // people) % len(ITEMS)]
        action = Action.WITHDRAW if n % 7 == 6 else Action.GRANT
        out.append((code, item, action, n))
    return out


def evidence(action: Action, n: int) -> dict:
    if action == Action.WITHDRAW:
        return {"note": "called to withdraw"}
    return {"submission_id": f"sub-{n}"}


def fresh(folder: Path, name: str, people: int):
    settings = Settings(data_dir=folder / name, db_url=f"sqlite:///{folder / name}.sqlite")
    engine = open_database(settings)
    with session_scope(engine) as session:
        session.add_all(Participant(code=f"P-{n:05d}", language="nb") for n in range(people))
    return engine


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=20_000)
    parser.add_argument("--people", type=int, default=2_000)
    parser.add_argument("--batch", type=int, default=500)
    args = parser.parse_args()
    steps = plan(args.events, args.people)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)

        engine = fresh(folder, "ledger", args.people)
        start = time.perf_counter()
        for first in range(0, len(steps), args.batch):
            with session_scope(engine) as session:
                for code, item, action, n in steps[first : first + args.batch]:
                    ledger.record(
                        session,
                        study="bench",
                        participant=code,
                        item=item,
                        action=action,
                        channel=Channel.PHONE if action == Action.WITHDRAW else Channel.WEB,
                        text_version="3f2a9c1e",
                        evidence=evidence(action, n),
                        actor="kari" if action == Action.WITHDRAW else "participant",
                        occurred_at=WHEN,
                        now=WHEN,
                    )
        append_s = time.perf_counter() - start

        start = time.perf_counter()
        with read_scope(engine) as session:
            result = ledger.verify(session)
        verify_s = time.perf_counter() - start
        assert result.ok and result.count == len(steps), result.summary()

        start = time.perf_counter()
        with read_scope(engine) as session:
            book = ledger.status_book(session)
        fold_s = time.perf_counter() - start
        engine.dispose()

        # baseline 1: hashing alone, in memory
        start = time.perf_counter()
        prev = GENESIS_HASH
        for seq, (code, item, action, n) in enumerate(steps, start=1):
            prev = (
                EventData(
                    seq,
                    "bench",
                    code,
                    item,
                    action,
                    Channel.WEB,
                    "3f2a9c1e",
                    canonical_json(evidence(action, n)),
                    "participant",
                    utc_iso(WHEN),
                    utc_iso(WHEN),
                    prev,
                )
                .sealed()
                .hash
            )
        hash_s = time.perf_counter() - start

        # baseline 2: the same rows with a plain INSERT, same batches, no checks or chain reads
        plain = fresh(folder, "plain", args.people)
        start = time.perf_counter()
        for first in range(0, len(steps), args.batch):
            rows = [
                {
                    "seq": n + 1,
                    "study": "bench",
                    "participant": code,
                    "item": item,
                    "action": str(action),
                    "channel": "web",
                    "text_version": "3f2a9c1e",
                    "evidence": canonical_json(evidence(action, n)),
                    "actor": "participant",
                    "occurred_at": utc_iso(WHEN),
                    "recorded_at": utc_iso(WHEN),
                    "prev_hash": f"{n:064x}",
                    "hash": f"{n + 1:064x}",
                }
                for code, item, action, n in steps[first : first + args.batch]
            ]
            with session_scope(plain) as session:
                session.execute(insert(ConsentEvent), rows)
        insert_s = time.perf_counter() - start
        plain.dispose()

    n = len(steps)
    print(f"events: {n}, participants: {args.people}, batch: {args.batch}")
    print(
        f"append (record: checks, status, hash, chain): {append_s:8.2f} s  "
        f"{n / append_s:9.0f} events/s"
    )
    print(
        f"  baseline plain INSERT, same batches:         {insert_s:8.2f} s  "
        f"{n / insert_s:9.0f} events/s  (record is {append_s / insert_s:.1f}x)"
    )
    print(
        f"  baseline hashing alone, in memory:           {hash_s:8.2f} s  "
        f"{n / hash_s:9.0f} events/s"
    )
    print(
        f"verify (recompute the whole chain):             {verify_s:8.2f} s  "
        f"{n / verify_s:9.0f} events/s  ({verify_s / hash_s:.1f}x hashing alone)"
    )
    print(
        f"status fold:                                    {fold_s:8.2f} s  "
        f"{n / fold_s:9.0f} events/s  ({len(book.items)} person-item states)"
    )
    print(f"peak RSS: {peak_rss_mb():.0f} MB")


if __name__ == "__main__":
    main()

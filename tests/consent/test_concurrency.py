"""Two processes appending to one real database at the same time make one linear chain."""

from __future__ import annotations

import multiprocessing

from consent import ledger
from intake.db import read_scope, session_scope
from tests.consent.helpers import add_people, append_worker

PER_PROCESS = 40


def test_two_processes_appending_concurrently_make_one_valid_chain(ledger_engine):
    with session_scope(ledger_engine) as s:
        add_people(s, "P-AAAA", "P-BBBB")
    url = ledger_engine.url.render_as_string(hide_password=False)
    context = multiprocessing.get_context("spawn")
    go = context.Barrier(2)
    workers = [
        context.Process(target=append_worker, args=(url, code, PER_PROCESS, go))
        for code in ("P-AAAA", "P-BBBB")
    ]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=120)
    assert [w.exitcode for w in workers] == [0, 0]
    with read_scope(ledger_engine) as s:
        result = ledger.verify(s)
        events = list(ledger.iter_events(s))
    assert result.ok, result.summary()
    assert result.count == 2 * PER_PROCESS
    assert [e.seq for e in events] == list(range(1, 2 * PER_PROCESS + 1))
    # every event of both writers is in the one chain (the order between them is the
    # scheduler's business: SQLite's busy wait may let one writer run ahead)
    owners = sorted(e.participant for e in events)
    assert owners == ["P-AAAA"] * PER_PROCESS + ["P-BBBB"] * PER_PROCESS

"""No one is contacted against their will: random histories through the real letter paths.

Every example writes a random history into a real SQLite database (people
with any status, consent events recorded through the ledger by web and phone,
erasures, letters printed days ago, answers on paper and the web, reminders
already sent), then asks the real selections (``select_participants`` for
invitations, ``plan_reminders``, ``decide_all`` for re-consent) and checks
them against the folded ledger: nobody who declined, withdrew or was erased
is ever selected. The transaction is rolled back after each example.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy.orm import Session

from consent import ledger
from consent.events import ALL_ITEMS, Action, Channel, ConsentError
from consent.status import ConsentState
from intake.contact import (
    NEVER_CONTACT,
    ContactFacts,
    LetterKind,
    Reason,
    ReminderRules,
    decide_all,
    may_send,
    study_policy,
)
from intake.mailing import LetterRun, select_participants
from intake.models import (
    ContactDetails,
    FormVersion,
    Invitation,
    Participant,
    ParticipantStatus,
    Reminder,
    Response,
    StudyRecord,
)
from intake.reminders import ReminderRun, plan_reminders
from intake.studies import load_study_into_db
from tests.factories import make_study

NOW = dt.datetime(2026, 12, 1, 12, 0, tzinfo=dt.UTC)
ITEMS = ("interview", "audio")  # make_study: interview is required
SAID_NO = (ConsentState.DECLINED, ConsentState.WITHDRAWN)

event = st.tuples(
    st.sampled_from(["grant", "decline", "withdraw", "erase"]),
    st.sampled_from(ITEMS),
    st.booleans(),  # a new document (web submission) rather than a phone call
)
person = st.fixed_dictionaries(
    {
        "status": st.sampled_from(list(ParticipantStatus)),
        "events": st.lists(event, max_size=6),
        "printed_days_ago": st.one_of(st.none(), st.integers(0, 60)),
        "answered": st.sampled_from([None, "paper", "web"]),
        "reminders": st.integers(0, 2),
        "address": st.booleans(),
    }
)


def _write(session: Session, record: StudyRecord, people: list[dict]) -> list[Participant]:
    version = session.query(FormVersion).filter_by(study_id=record.id).first()
    rows = []
    documents = 0
    for n, spec in enumerate(people):
        code = f"P-{n:04d}"
        p = Participant(code=code, study_id=record.id, language="nb", status=spec["status"])
        p.contact = ContactDetails(
            name=f"Person {n}", address="Storgata 1" if spec["address"] else None
        )
        session.add(p)
        session.flush()
        if spec["printed_days_ago"] is not None:
            printed = NOW - dt.timedelta(days=spec["printed_days_ago"])
            session.add(
                Invitation(
                    participant_id=p.id,
                    generation=1,
                    token_hash=f"t{n}",
                    answer_code_hash=f"a{n}",
                    pages=[],
                    printed_at=printed,
                )
            )
            for _ in range(spec["reminders"]):
                session.add(
                    Reminder(
                        participant_id=p.id,
                        sent_at=printed,
                        letter="reminder",
                        letter_version="00000000",
                        language="nb",
                    )
                )
        if spec["answered"]:
            session.add(
                Response(
                    form_version_id=version.id,
                    participant_id=p.id,
                    channel=spec["answered"],
                    answers={},
                    field_states={},
                    source={},
                )
            )
        session.flush()
        for action, item, new_document in spec["events"]:
            documents += 1
            if action == "erase":
                kwargs = dict(item=ALL_ITEMS, channel=Channel.STAFF, evidence={"note": "asked"})
            elif new_document:
                kwargs = dict(
                    item=item, channel=Channel.WEB, evidence={"submission_id": f"s{documents}"}
                )
            else:
                kwargs = dict(item=item, channel=Channel.PHONE, evidence={"note": "on the phone"})
            try:
                ledger.record(
                    session,
                    study=record.key,
                    participant=code,
                    action=Action(action),
                    text_version="v1",
                    actor="recruiter",
                    occurred_at=NOW - dt.timedelta(days=1),
                    now=NOW,
                    **kwargs,
                )
            except ConsentError:
                pass  # refused (a grant after a withdrawal without a new form): not written
        rows.append(p)
    return rows


def _barred(book, p: Participant) -> bool:
    """The issue's words: declined, withdrew or was erased (read from the ledger and status)."""
    if p.status in (ParticipantStatus.WITHDRAWN, ParticipantStatus.ERASED):
        return True
    if p.code in book.erased:
        return True
    states = {item: book.state(p.code, item) for item in ITEMS}
    return states["interview"] in SAID_NO or all(s in SAID_NO for s in states.values())


@pytest.fixture
def study_engine(engine):
    with Session(engine) as session:
        load_study_into_db(session, make_study())
        session.commit()
    return engine


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(people=st.lists(person, min_size=1, max_size=5), after=st.integers(0, 30))
def test_no_letter_path_selects_a_person_who_said_no(study_engine, people, after):
    with Session(study_engine) as session:
        try:
            record = session.query(StudyRecord).one()
            rows = _write(session, record, people)
            book = ledger.status_book(session)
            barred = {p.code for p in rows if _barred(book, p)}
            said_anything_no = {
                p.code for p in rows if any(book.state(p.code, i) in SAID_NO for i in ITEMS)
            }

            invited, _ = select_participants(session, record, LetterRun(out=Path("x.pdf")))
            assert not barred & {p.code for p in invited}

            plan = plan_reminders(
                session, record, ReminderRun(out=Path("x.pdf"), after_days=after, now=NOW)
            )
            reminded = {c.code for c in plan.selected}
            assert not barred & reminded
            assert not said_anything_no & reminded, "a 'no' to any item is an answer"
            answered = {p.code for p, spec in zip(rows, people, strict=True) if spec["answered"]}
            assert not answered & reminded
            for choice in plan.choices:
                if choice.code in barred:
                    assert choice.reason in NEVER_CONTACT

            policy = study_policy(record)
            again = decide_all(session, rows, LetterKind.RECONSENT, policy)
            assert not barred & {p.code for p, d in again if d.allowed}
        finally:
            session.rollback()


def test_a_person_with_no_answer_and_an_old_letter_is_reminded_once():
    from consent.policy import PolicyItem, StudyPolicy
    from forms.model import DataAtEnd, Text, WithdrawalPolicy

    policy = StudyPolicy(
        key="s",
        title=Text({}),
        consent_items=(
            PolicyItem("interview", Text({}), True),
            PolicyItem("audio", Text({}), False),
        ),
        withdrawal_policy=WithdrawalPolicy.DELETE,
        data_at_end=DataAtEnd.DELETE,
        end_date=dt.date(2027, 1, 1),
    )
    rules = ReminderRules(NOW, dt.timedelta(days=14), 1)
    sent = (NOW - dt.timedelta(days=20),)
    facts = ContactFacts("P-1", "invited", letters_sent=sent)
    assert may_send(facts, LetterKind.REMINDER, policy, rules).allowed
    assert (
        may_send(
            ContactFacts("P-1", "invited", letters_sent=sent, reminders_sent=1),
            LetterKind.REMINDER,
            policy,
            rules,
        ).reason
        == Reason.MAX_REMINDERS
    )
    recent = ContactFacts("P-1", "invited", letters_sent=(NOW - dt.timedelta(days=3),))
    assert may_send(recent, LetterKind.REMINDER, policy, rules).reason == Reason.TOO_RECENT
    only_audio = ContactFacts("P-1", "answered", states={"audio": ConsentState.WITHDRAWN})
    assert may_send(only_audio, LetterKind.RECONSENT, policy).allowed, "still takes part"
    nowhere = ContactFacts("P-1", "answered", has_address=False)
    assert may_send(nowhere, LetterKind.RECONSENT, policy).reason == Reason.NO_ADDRESS
    declined = ContactFacts("P-1", "invited", states={"interview": ConsentState.DECLINED})
    for kind in LetterKind:
        assert may_send(declined, kind, policy, rules).reason == Reason.DECLINED

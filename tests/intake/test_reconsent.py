"""Re-consent after a consent text changed: the diff per item and language, and who
rests on the old text.

A study is loaded, people answer on the web, the audio text is changed and the
study loaded again. ``deltaker consent changes`` shows the audio change in each
language, and lists exactly the people whose current audio or interview grant
rests on the old version; a new web answer moves a person to the new version
and off the list; someone who withdrew is never written to.
"""

from __future__ import annotations

import datetime as dt
import json

import pytest

from consent import ledger
from intake.contact import Reason
from intake.db import read_scope, session_scope
from intake.ingest import ingest_web_submission
from intake.models import ContactDetails, Participant
from intake.reconsent import changes_table, consent_changes, diff_forms, reconsent_plan
from intake.studies import form_version, get_study, load_study_into_db
from privacy.withdrawal import withdraw_and_erase
from tests.factories import make_consent_form, make_study
from tests.privacy.test_audit_versions import changed_study

YES = {"c_audio": ["yes"], "c_interview": ["yes"]}


def _run(deltaker, *args: str) -> tuple[int, str, str]:
    run = deltaker(*args)
    return run.returncode, run.stdout, run.stderr


@pytest.fixture
def answered(engine):
    with session_scope(engine) as session:
        load_study_into_db(session, make_study())
        for code in ("P-AAAA", "P-BBBB", "P-CCCC", "P-DDDD", "P-EEEE"):
            # a re-consent pack goes by post: everyone here has an address
            contact = ContactDetails(name=f"Person {code}", address="Storgata 1")
            session.add(Participant(code=code, language="nb", status="invited", contact=contact))
    with session_scope(engine) as session:
        for code, answers in (
            ("P-AAAA", YES),
            ("P-BBBB", YES),
            ("P-CCCC", {"c_interview": ["yes"]}),  # no to audio: only the interview rests on it
            ("P-DDDD", YES),
            # no to the interview, which the study requires: declined to take part
            ("P-EEEE", {"c_audio": ["yes"]}),
        ):
            ingest_web_submission(
                session,
                submission_id=f"web-{code}",
                form="consent",
                participant=code,
                answers=answers,
            )
        # P-DDDD then withdraws everything by phone: never written to again
        policy = get_study(session).key
        from intake.studies import load_policy

        withdraw_and_erase(
            session,
            policy=load_policy(session, policy),
            participant="P-DDDD",
            items=(),
            channel="phone",
            actor="anna",
            evidence={"note": "rang and said stop"},
            occurred_at=dt.datetime.now(dt.UTC),
        )
    with read_scope(engine) as session:
        old = form_version(session, get_study(session), "consent").text_version
    with session_scope(engine) as session:
        new = dict(load_study_into_db(session, changed_study()).added)["consent"]
    return engine, old, new


def test_changes_are_listed_per_item_and_language(answered):
    engine, old, new = answered
    with read_scope(engine) as session:
        changes = consent_changes(session, get_study(session))
    assert [(c.part, c.consent_item, c.language) for c in changes] == [
        ("c_audio", "audio", "en"),
        ("c_audio", "audio", "nb"),
        ("c_audio", "audio", "nn"),
    ]
    en = changes[0]
    assert (en.old_version, en.new_version) == (old, new)
    assert "-Audio recording" in en.diff
    assert "+Audio recording, which we also share with another researcher" in en.diff
    headers, rows = changes_table(changes)
    assert headers[3:6] == ["part", "consent item", "language"] and len(rows) == 3


def test_only_people_on_the_old_text_are_selected_and_a_new_answer_moves_them(answered):
    engine, old, new = answered
    with read_scope(engine) as session:
        plan = reconsent_plan(session, get_study(session))
    assert [(c.code, c.items, c.on_versions, c.reason) for c in plan] == [
        ("P-AAAA", ("audio", "interview"), (old,), Reason.MAY_SEND),
        ("P-BBBB", ("audio", "interview"), (old,), Reason.MAY_SEND),
        ("P-CCCC", ("interview",), (old,), Reason.MAY_SEND),
        # saying no to a required item took P-EEEE out of the study: never written to
        ("P-EEEE", ("audio",), (old,), Reason.WITHDRAWN),
    ]
    with read_scope(engine) as session:
        only_audio = reconsent_plan(session, get_study(session), {"audio"})
    assert [c.code for c in only_audio] == ["P-AAAA", "P-BBBB", "P-EEEE"]

    with session_scope(engine) as session:  # P-AAAA answers again on the new text
        ingest_web_submission(
            session, submission_id="web-again", form="consent", participant="P-AAAA", answers=YES
        )
    with read_scope(engine) as session:
        book = ledger.status_book(session)
        plan = reconsent_plan(session, get_study(session))
    assert book.get("P-AAAA", "audio").text_version == new
    assert book.get("P-BBBB", "audio").text_version == old  # still valid until they answer
    assert str(book.get("P-BBBB", "audio").state) == "granted"
    assert [c.code for c in plan] == ["P-BBBB", "P-CCCC", "P-EEEE"]


def test_consent_changes_command(answered, deltaker):
    engine, old, new = answered
    code, out, err = _run(deltaker, "consent", "changes")
    assert code == 0, err
    assert f"consent {old} -> {new}: c_audio (consent item audio), nb" in out
    assert "    +Lydopptak, som vi også deler med en annen forsker" in out
    assert "Grants resting on an older text: 4 people, 3 may be written to." in out
    assert "P-EEEE: audio on " + old + ": withdrew from the study" in out
    assert "P-DDDD" not in out
    # study.yaml marks nothing: the audio change counts as material
    assert f"  consent {old} -> {new}: audio: not marked, counts as material" in out
    # only the audio text changed: P-CCCC (interview only) is not asked again
    assert "Re-consent letters (material changes): 2 people" in out
    code, out, err = _run(deltaker, "consent", "changes", "--json")
    lines = [json.loads(line) for line in out.splitlines()]
    assert {line["language"] for line in lines} == {"nb", "nn", "en"}


def test_one_version_no_changes(engine, deltaker):
    with session_scope(engine) as session:
        load_study_into_db(session, make_study())
    code, out, _ = _run(deltaker, "consent", "changes")
    assert code == 0 and "No consent text has changed" in out
    assert "0 people" in out


def test_no_study_is_one_clear_line(engine, deltaker):
    code, _, err = _run(deltaker, "consent", "changes")
    assert code != 0 and "no study is loaded yet" in err and "Traceback" not in err


def test_added_and_removed_texts_are_changes_too():
    form = make_consent_form()
    fewer = make_consent_form(intro=None)
    from forms.model import Text

    more = make_consent_form(intro=Text({"nb": "Les dette først."}))
    assert diff_forms(fewer, fewer, "a", "a") == []
    added = diff_forms(form, more, "a", "b")
    assert [(c.part, c.language, c.old, c.new) for c in added] == [
        ("intro", "nb", "", "Les dette først.")
    ]

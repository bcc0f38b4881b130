"""The consent records (ISO/IEC TS 27560) on the web: the citizen's own, and the DPO's."""

from __future__ import annotations

import json

from sqlalchemy import select

from tests.privacy.test_consent_records import validator
from tests.webapp.test_citizen_consents import _grant
from tests.webapp.webhelpers import add_staff, login
from webapp.database import reading


def _logged(app) -> list[tuple[str, str, int]]:
    from intake.models import ExportLog

    with app.app_context(), reading() as db:
        return [
            (e.actor, e.kind, e.participants)
            for e in db.scalars(select(ExportLog).order_by(ExportLog.id))
        ]


def test_the_citizen_downloads_their_own_record(app, client, person) -> None:
    _grant(app, person, "interview")
    _grant(app, person, "audio")
    ended = client.get("/consent-record.jsonld")  # no session: the "time ran out" page
    assert "Tiden gikk ut" in ended.text and "dpv:ConsentRecord" not in ended.text
    client.get(f"/r/{person.token}")
    page = client.get("/consents").text
    # the link sits beside the receipt's
    assert ('href="/receipt.pdf"' in page) == ('href="/consent-record.jsonld"' in page)
    response = client.get("/consent-record.jsonld")
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("application/ld+json")
    document = json.loads(response.data)
    assert validator().is_valid(document)
    assert {r["dpv:hasDataSubject"]["dct:identifier"] for r in document["@graph"]} == {person.code}
    assert len(document["@graph"]) == 2
    assert _logged(app) == [("participant", "consent_records", 1)]


def test_the_dpo_gets_the_same_record_beside_the_access_letter(app, client, person) -> None:
    _grant(app, person, "interview")
    add_staff(app, "kari", "dpo")
    login(client, "kari")
    page = client.get("/staff/audit/access").text
    assert 'action="/staff/audit/access/records.jsonld"' in page
    response = client.get(f"/staff/audit/access/records.jsonld?code={person.code}")
    assert response.status_code == 200
    document = json.loads(response.data)
    assert validator().is_valid(document)
    [record] = document["@graph"]
    assert record["dpv:hasDataSubject"]["dct:identifier"] == person.code
    missing = client.get("/staff/audit/access/records.jsonld?code=P-NONE")
    assert missing.status_code == 404 and "P-NONE" in missing.text
    assert client.get("/staff/audit/access/records.jsonld?code=<x>").status_code == 404
    assert _logged(app) == [("kari", "consent_records", 1)]

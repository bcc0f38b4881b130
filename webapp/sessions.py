"""Server-side sessions: the cookie carries a random id; the data live in ``web_sessions``.

Logging out deletes the row, so a copied cookie stops working at once. Staff and
citizen sessions have their own idle and absolute timeouts. Only the SHA-256 of
the cookie value is stored, so a database dump holds no usable session.

A session is stored only when there is something to keep (a login, a chosen
language, what a person typed before their session ran out). A visitor without
one gets :data:`ANONYMOUS_CSRF` as the session's CSRF value, so Flask-WTF signs
the same stateless token for every anonymous form and an anonymous page view
writes nothing and sets no cookie. A response that sets no cookie cannot replace
a logged-in person's cookie either, whoever sent the request.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import secrets
from typing import Any

from flask import Flask, Request, Response
from flask.sessions import SessionInterface, SessionMixin
from sqlalchemy import delete
from werkzeug.datastructures import CallbackDict

from .database import reading, writing
from .models import WebSession, utcnow

COOKIE_NAME = "deltaker_session"
SESSION_ID_BYTES = 32
#: last_seen is written at most this often, so plain page views do not all write
TOUCH_INTERVAL = dt.timedelta(seconds=60)
#: sessions nobody logged into (a chosen language, typed values kept) live this long
ANONYMOUS_IDLE = dt.timedelta(hours=2)
#: a citizen's timed-out session stays this long, so that a form sent after the timeout
#: can still be known as this invitation's and what was typed kept for it
LAPSED_KEPT = dt.timedelta(hours=2)

KIND_KEY = "_kind"
USER_KEY = "_user"
INVITATION_KEY = "_invitation"
CSRF_KEY = "csrf_token"  # Flask-WTF's WTF_CSRF_FIELD_NAME default
#: the CSRF value of every visitor without a stored session. Flask-WTF signs it with the
#: app's secret key and a time stamp; stored sessions get a random value of their own
#: (40 hex digits), so an anonymous token never fits a logged-in person's forms.
ANONYMOUS_CSRF = "anonymous"


def _hash(session_id: str) -> str:
    return hashlib.sha256(session_id.encode("ascii", "replace")).hexdigest()


class ServerSession(CallbackDict, SessionMixin):
    """The session dict of one request, with the bookkeeping to save it."""

    def __init__(
        self,
        initial: dict[str, Any] | None = None,
        session_id: str | None = None,
        *,
        touch: bool = False,
        expired: bool = False,
        lapsed_invitation: int | None = None,
    ):
        def on_update(self: ServerSession) -> None:
            self.modified = True

        super().__init__(initial if initial is not None else {CSRF_KEY: ANONYMOUS_CSRF}, on_update)
        self.session_id = session_id
        self.modified = False
        self.touch = touch
        # the request carried a session that has timed out (views may say so kindly)
        self.expired = expired
        # the timed-out session belonged to this invitation (the cookie proves the browser)
        self.lapsed_invitation = lapsed_invitation
        self.regenerate = False
        self.destroy = False

    @property
    def kind(self) -> str:
        return self.get(KIND_KEY, "anonymous")

    def worth_keeping(self) -> bool:
        """Whether the data hold more than the anonymous CSRF value (else nothing is stored)."""
        return any(k != CSRF_KEY or v != ANONYMOUS_CSRF for k, v in self.items())


def server_session(session: SessionMixin) -> ServerSession:
    """The request's session as ours (DatabaseSessionInterface makes every session one)."""
    if not isinstance(session, ServerSession):
        raise TypeError("the app runs without webapp.sessions.DatabaseSessionInterface")
    return session


def start(session: SessionMixin, kind: str, **ids: int) -> None:
    """Begin a fresh session of ``kind`` under a new id (no fixation), dropping the old data."""
    session = server_session(session)
    session.clear()
    session[KIND_KEY] = kind
    if "user_id" in ids:
        session[USER_KEY] = ids["user_id"]
    if "invitation_id" in ids:
        session[INVITATION_KEY] = ids["invitation_id"]
    # Flask-WTF keeps its CSRF secret under this key and makes one on first use; making it
    # here saves the next page a second session write.
    session[CSRF_KEY] = secrets.token_hex(20)
    session.regenerate = True


def end(session: SessionMixin) -> None:
    """End the session everywhere: the row is deleted and the cookie cleared."""
    session = server_session(session)
    session.clear()
    session.destroy = True


def _limits(app: Flask, kind: str) -> tuple[dt.timedelta, dt.timedelta]:
    cfg = app.config
    if kind == "staff":
        return (
            dt.timedelta(minutes=cfg["STAFF_IDLE_MINUTES"]),
            dt.timedelta(hours=cfg["STAFF_ABSOLUTE_HOURS"]),
        )
    if kind == "citizen":
        return (
            dt.timedelta(minutes=cfg["CITIZEN_IDLE_MINUTES"]),
            dt.timedelta(hours=cfg["CITIZEN_ABSOLUTE_HOURS"]),
        )
    return ANONYMOUS_IDLE, ANONYMOUS_IDLE


class DatabaseSessionInterface(SessionInterface):
    serializer = json

    def open_session(self, app: Flask, request: Request) -> ServerSession:
        raw = request.cookies.get(COOKIE_NAME)
        if not raw or len(raw) > 128:
            return ServerSession()
        with reading() as db:
            row = db.get(WebSession, _hash(raw))
        if row is None:
            return ServerSession(expired=True)
        now = utcnow()
        idle, absolute = _limits(app, row.kind)
        if now - row.last_seen > idle or now - row.created_at > absolute:
            with writing() as db:
                db.execute(delete(WebSession).where(WebSession.id_hash == row.id_hash))
            lapsed = row.invitation_id if row.kind == "citizen" else None
            return ServerSession(expired=True, lapsed_invitation=lapsed)
        try:
            data = json.loads(row.data)
        except ValueError:
            data = {}
        return ServerSession(data, raw, touch=now - row.last_seen > TOUCH_INTERVAL)

    def save_session(self, app: Flask, session: SessionMixin, response: Response) -> None:
        session = server_session(session)
        domain = self.get_cookie_domain(app)
        path = self.get_cookie_path(app)
        if session.destroy or (session.regenerate and session.session_id):
            if session.session_id:
                with writing() as db:
                    db.execute(
                        delete(WebSession).where(WebSession.id_hash == _hash(session.session_id))
                    )
            if session.destroy:
                response.delete_cookie(COOKIE_NAME, domain=domain, path=path)
                return
            session.session_id = None
        if not session.session_id and not session.worth_keeping():
            if session.expired:
                response.delete_cookie(COOKIE_NAME, domain=domain, path=path)
            return
        now = utcnow()
        payload = json.dumps(dict(session), separators=(",", ":"))
        if not session.session_id:
            session.session_id = secrets.token_urlsafe(SESSION_ID_BYTES)
            with writing() as db:
                if secrets.randbelow(50) == 0:
                    _purge_expired(app, db, now)
                db.add(
                    WebSession(
                        id_hash=_hash(session.session_id),
                        kind=session.get(KIND_KEY, "anonymous"),
                        user_id=session.get(USER_KEY),
                        invitation_id=session.get(INVITATION_KEY),
                        data=payload,
                        created_at=now,
                        last_seen=now,
                    )
                )
        elif session.modified or session.touch:
            with writing() as db:
                row = db.get(WebSession, _hash(session.session_id))
                if row is None:  # ended by another request meanwhile (logout elsewhere)
                    response.delete_cookie(COOKIE_NAME, domain=domain, path=path)
                    return
                row.data = payload
                row.last_seen = now
        else:
            return
        response.set_cookie(
            COOKIE_NAME,
            session.session_id,
            httponly=True,
            samesite="Lax",
            secure=bool(app.config["PRODUCTION"]),
            domain=domain,
            path=path,
        )


def _purge_expired(app: Flask, db: Any, now: dt.datetime) -> None:
    """Now and then, drop sessions that can no longer be used."""
    for kind in ("anonymous", "staff", "citizen"):
        idle, _absolute = _limits(app, kind)
        kept = idle + LAPSED_KEPT if kind == "citizen" else idle
        db.execute(
            delete(WebSession).where(WebSession.kind == kind, WebSession.last_seen < now - kept)
        )

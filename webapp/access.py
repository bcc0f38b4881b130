"""Who may see a staff page: every staff view names its roles with :func:`roles_required`.

The decorator records the roles on the view, so a test can walk every route and
check each one refuses everybody else.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, TypeVar

from flask import abort, g, redirect, request, session, url_for
from sqlalchemy import select

from .database import reading
from .models import StaffUser
from .sessions import KIND_KEY, USER_KEY
from .staff import LoggedIn, logged_in

F = TypeVar("F", bound=Callable[..., Any])
ROLES_ATTRIBUTE = "deltaker_roles"
#: the study a staff session works on, chosen with the switcher in the staff header
STUDY_KEY = "_study"


def current_staff() -> LoggedIn | None:
    """The logged-in staff member of this request, checked against the database.

    Their role is the one they hold in the session's current study (the one
    chosen with the switcher, else their first study): every staff page shows
    that study only.
    """
    if "staff" in g:
        return g.staff
    g.staff = None
    if session.get(KIND_KEY) == "staff" and session.get(USER_KEY) is not None:
        with reading() as db:
            user = db.scalar(select(StaffUser).where(StaffUser.id == session[USER_KEY]))
            if user is not None and user.active:
                g.staff = logged_in(db, user, session.get(STUDY_KEY))
    return g.staff


def staff_study() -> str | None:
    """The key of the study the logged-in staff member works on now (None: none loaded)."""
    who = current_staff()
    if who is None:
        abort(403)
    return who.study


def staff_user_id() -> int:
    """The logged-in staff member's id, in a view behind ``roles_required``."""
    who = current_staff()
    if who is None:
        abort(403)
    return who.user_id


def roles_required(*roles: str) -> Callable[[F], F]:
    """Only staff with one of ``roles`` get in; others get 403, anonymous users the login page."""

    def decorate(view: F) -> F:
        @functools.wraps(view)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            staff = current_staff()
            if staff is None:
                if request.method == "GET":
                    return redirect(url_for("auth.login", next=request.path), code=303)
                abort(401)
            if staff.role not in roles:
                abort(403)
            return view(*args, **kwargs)

        setattr(wrapper, ROLES_ATTRIBUTE, frozenset(roles))
        # functools.wraps keeps the view's signature, but mypy sees (*Any, **Any) -> Any
        return wrapper  # type: ignore[return-value]

    return decorate


def role_home(role: str) -> str:
    """The first page of ``role`` (a user with no role in any study: the login page)."""
    return {
        "recruiter": "recruit.home",
        "assistant": "intake.home",
        "dpo": "audit.home",
        "admin": "auth.users",
    }.get(role, "auth.login")

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
from .staff import LoggedIn

F = TypeVar("F", bound=Callable[..., Any])
ROLES_ATTRIBUTE = "deltaker_roles"


def current_staff() -> LoggedIn | None:
    """The logged-in staff member of this request, checked against the database."""
    if "staff" in g:
        return g.staff
    g.staff = None
    if session.get(KIND_KEY) == "staff" and session.get(USER_KEY) is not None:
        with reading() as db:
            user = db.scalar(select(StaffUser).where(StaffUser.id == session[USER_KEY]))
            if user is not None and user.active:
                g.staff = LoggedIn(user.id, user.name, user.role, user.language)
    return g.staff


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
    return {
        "recruiter": "recruit.home",
        "assistant": "intake.home",
        "dpo": "audit.home",
        "admin": "auth.users",
    }[role]

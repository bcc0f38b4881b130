"""Staff accounts: adding users, checking passwords, disabling and unlocking.

Plain functions over a SQLAlchemy session, so ``deltaker users add`` and the web
login share them. Passwords are kept only as salted scrypt hashes (werkzeug).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session
from werkzeug.security import check_password_hash, generate_password_hash

from forms.errors import NotFoundError, UserError

from .i18n import _
from .models import StaffUser, utcnow

ROLES = ("recruiter", "assistant", "dpo", "admin")
#: the staff pages' languages (webapp.i18n.STAFF_LANGUAGES; written here so the CLI needs no Flask)
LANGUAGES = ("nb", "nn", "en")
MIN_PASSWORD_CHARS = 10
MAX_PASSWORD_CHARS = 200
NAME_PATTERN = re.compile(r"[A-Za-z0-9._@-]{2,80}")
# Checked when the user name is unknown, so a wrong name takes as long as a wrong password.
_DUMMY_HASH = generate_password_hash("not a real password, only for timing")


class StaffError(UserError):
    """A staff account cannot be added or changed as asked."""


class UnknownStaffUser(StaffError, NotFoundError):
    """No staff account with that id."""


class LoginFailed(UserError):
    """Wrong user name or password (the message never says which)."""


@dataclass(frozen=True)
class LoggedIn:
    user_id: int
    name: str
    role: str
    language: str | None = None  # the staff pages' language; None: the browser's


def check_role(role: str) -> str:
    if role not in ROLES:
        raise StaffError(
            _("unknown role %(role)r; use one of: %(roles)s", role=role, roles=", ".join(ROLES))
        )
    return role


def check_language(language: str | None) -> str | None:
    if language is not None and language not in LANGUAGES:
        raise StaffError(
            _(
                "unknown language %(language)r; use one of: %(languages)s",
                language=language,
                languages=", ".join(LANGUAGES),
            )
        )
    return language


def check_password(password: str) -> str:
    if len(password) < MIN_PASSWORD_CHARS:
        raise StaffError(
            _(
                "the password is too short: use at least %(count)s characters",
                count=MIN_PASSWORD_CHARS,
            )
        )
    if len(password) > MAX_PASSWORD_CHARS:
        raise StaffError(
            _(
                "the password is too long: use at most %(count)s characters",
                count=MAX_PASSWORD_CHARS,
            )
        )
    return password


def add_user(
    db: Session, name: str, role: str, password: str, *, language: str | None = None
) -> StaffUser:
    """Add a staff user; the name must be new. ``language`` None: the browser's."""
    if not NAME_PATTERN.fullmatch(name):
        raise StaffError(
            _(
                "the user name %(name)r is not allowed: use 2 to 80 letters, digits or . _ @ -",
                name=name,
            )
        )
    check_role(role)
    check_language(language)
    check_password(password)
    if db.scalar(select(StaffUser.id).where(StaffUser.name == name)) is not None:
        raise StaffError(_("a user called %(name)r already exists", name=name))
    user = StaffUser(
        name=name,
        role=role,
        password_hash=generate_password_hash(password),
        failed_logins=0,
        active=True,
        created_at=utcnow(),
        language=language,
    )
    db.add(user)
    db.flush()
    return user


def list_users(db: Session) -> list[StaffUser]:
    return list(db.scalars(select(StaffUser).order_by(StaffUser.name)))


def authenticate(db: Session, name: str, password: str) -> LoggedIn:
    """The user for a correct name and password; one answer for every wrong case.

    A password hash is checked whatever the name (a dummy one for an unknown or
    disabled user), so the answer and its timing say nothing about which names
    exist. No account is locked here: wrong tries are throttled per (address,
    user name) by the login page (webapp/views/auth.py), so nobody elsewhere can
    lock a user out.
    """
    user = db.scalar(select(StaffUser).where(StaffUser.name == name))
    if user is None or not user.active:
        check_password_hash(_DUMMY_HASH, password)
        raise LoginFailed("wrong user name or password")
    if not check_password_hash(user.password_hash, password):
        raise LoginFailed("wrong user name or password")
    return LoggedIn(user.id, user.name, user.role, user.language)


def set_language(db: Session, user_id: int, language: str | None) -> StaffUser:
    """A user's staff-page language (None: follow the browser)."""
    user = db.get(StaffUser, user_id)
    if user is None:
        raise UnknownStaffUser(_("no such user"))
    user.language = check_language(language)
    return user


def check_dummy_password(password: str) -> None:
    """Spend the time of one password check (a refused login answers no faster)."""
    check_password_hash(_DUMMY_HASH, password)


def disable(db: Session, user_id: int) -> StaffUser:
    """Take a user's access away (someone leaving the project); their sessions end too."""
    from sqlalchemy import delete

    from .models import WebSession

    user = db.get(StaffUser, user_id)
    if user is None:
        raise UnknownStaffUser(_("no such user"))
    user.active = False
    db.execute(delete(WebSession).where(WebSession.user_id == user_id))
    return user


def unlock(db: Session, user_id: int) -> StaffUser:
    """Clear a lock left by an older version (the caller clears the login throttle)."""
    user = db.get(StaffUser, user_id)
    if user is None:
        raise UnknownStaffUser(_("no such user"))
    user.locked_until = None
    user.failed_logins = 0
    return user

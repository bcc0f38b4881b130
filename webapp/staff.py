"""Staff accounts: adding users, checking passwords, disabling and unlocking.

Plain functions over a SQLAlchemy session, so ``deltaker users add`` and the web
login share them. Passwords are kept only as salted scrypt hashes (werkzeug).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session
from werkzeug.security import check_password_hash, generate_password_hash

from forms.errors import NotFoundError, UserError

from .i18n import STAFF_LANGUAGES, _
from .models import StaffRole, StaffUser, utcnow

ROLES = ("recruiter", "assistant", "dpo", "admin")
#: the role that is install-wide: it is never given per study
ADMIN = "admin"
#: the staff pages' languages
LANGUAGES = STAFF_LANGUAGES
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
    """A logged-in staff member, as one request sees them.

    ``role`` is their role in ``study``, the study their staff pages show now
    (an admin's role is ``admin`` whatever the study); ``studies`` are the
    studies they may switch to. ``role`` is empty when they hold no role in any
    loaded study: every staff page then refuses them.
    """

    user_id: int
    name: str
    role: str
    study: str | None = None
    studies: tuple[str, ...] = field(default=())
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


def loaded_studies(db: Session) -> list[tuple[int, str]]:
    """(id, key) of every loaded study, in load order."""
    from intake.models import StudyRecord

    return [
        (r.id, r.key)
        for r in db.execute(select(StudyRecord.id, StudyRecord.key).order_by(StudyRecord.id))
    ]


def _study_ids(db: Session, keys: Sequence[str]) -> list[int]:
    """The ids of the studies ``keys``; an unknown key is one message naming the loaded ones."""
    loaded = dict((key, id_) for id_, key in loaded_studies(db))
    unknown = [k for k in keys if k not in loaded]
    if unknown:
        names = ", ".join(loaded) or "none yet (deltaker study load STUDY_DIR)"
        raise StaffError(f"no study {unknown[0]!r} is loaded; loaded studies: {names}")
    return [loaded[k] for k in dict.fromkeys(keys)]


def _role_rows(
    db: Session, role: str, studies: Sequence[str], all_studies: bool
) -> list[int | None]:
    """The study ids a new role is given in (None: every study, also those loaded later).

    Without studies named: the only loaded study, or every study when none is
    loaded yet; when several are loaded the caller must say which.
    """
    if role == ADMIN:
        if studies:
            raise StaffError("admin is install-wide: leave out --study")
        return []
    if studies and all_studies:
        raise StaffError("give either --study or --all-studies, not both")
    if all_studies:
        return [None]
    if studies:
        return list(_study_ids(db, studies))
    loaded = loaded_studies(db)
    if not loaded:
        return [None]
    if len(loaded) == 1:
        return [loaded[0][0]]
    names = ", ".join(key for _, key in loaded)
    raise StaffError(
        f"several studies are loaded ({names}): say which with --study ID (repeatable), "
        "or give the role in every study with --all-studies"
    )


def check_new_role(
    db: Session, role: str, studies: Sequence[str] = (), *, all_studies: bool = False
) -> None:
    """Raise the error :func:`add_user` would raise for this role and these studies."""
    check_role(role)
    _role_rows(db, role, studies, all_studies)


def grant(
    db: Session,
    user: StaffUser,
    role: str,
    studies: Sequence[str] = (),
    *,
    all_studies: bool = False,
) -> list[int | None]:
    """Give ``user`` ``role`` in ``studies`` (a role already held there is replaced)."""
    check_role(role)
    if user.role == ADMIN:
        raise StaffError(f"{user.name} is an admin, which is install-wide already")
    targets = _role_rows(db, role, studies, all_studies)
    for study_id in targets:
        row = db.scalar(
            select(StaffRole).where(
                StaffRole.user_id == user.id,
                StaffRole.study_id.is_(None)
                if study_id is None
                else StaffRole.study_id == study_id,
            )
        )
        if row is None:
            db.add(StaffRole(user_id=user.id, study_id=study_id, role=role))
        else:
            row.role = role
    db.flush()
    return targets


def revoke(
    db: Session, user: StaffUser, studies: Sequence[str] = (), *, all_studies: bool = False
) -> int:
    """Take ``user``'s roles away in ``studies`` (or the install-wide one); how many went."""
    from sqlalchemy import delete

    if not studies and not all_studies:
        raise StaffError("say which roles go: --study ID (repeatable) or --all-studies")
    query = delete(StaffRole).where(StaffRole.user_id == user.id)
    if all_studies:
        query = query.where(StaffRole.study_id.is_(None))
    else:
        query = query.where(StaffRole.study_id.in_(_study_ids(db, studies)))
    result = db.execute(query)
    return int(getattr(result, "rowcount", 0) or 0)


def find_user(db: Session, name: str) -> StaffUser:
    user = db.scalar(select(StaffUser).where(StaffUser.name == name))
    if user is None:
        raise UnknownStaffUser(f"no user called {name!r}")
    return user


def roles_in_studies(db: Session, user: StaffUser) -> dict[str, str]:
    """{study key: role} for every loaded study ``user`` holds a role in, in load order.

    An admin holds ``admin`` in every study; an install-wide row gives its role
    in every study; a row for one study wins over the install-wide one there.
    """
    loaded = loaded_studies(db)
    if user.role == ADMIN:
        return {key: ADMIN for _, key in loaded}
    rows = {
        r.study_id: r.role
        for r in db.scalars(select(StaffRole).where(StaffRole.user_id == user.id))
    }
    everywhere = rows.get(None)
    held = {}
    for id_, key in loaded:
        role = rows.get(id_, everywhere)
        if role is not None:
            held[key] = role
    return held


def role_labels(db: Session, user: StaffUser) -> str:
    """The roles for a list: ``admin``, ``recruiter (every study)``, ``a: dpo, b: recruiter``."""
    if user.role == ADMIN:
        return ADMIN
    keys = dict(loaded_studies(db))
    rows = list(
        db.scalars(select(StaffRole).where(StaffRole.user_id == user.id).order_by(StaffRole.id))
    )
    parts = [
        f"{r.role} (every study)"
        if r.study_id is None
        else f"{keys.get(r.study_id, '?')}: {r.role}"
        for r in rows
    ]
    return ", ".join(parts) or "no role"


def logged_in(db: Session, user: StaffUser, wanted: str | None = None) -> LoggedIn:
    """``user`` working on study ``wanted`` if they hold a role there, else on their first study."""
    held = roles_in_studies(db, user)
    studies = tuple(held)
    study = wanted if wanted in held else (studies[0] if studies else None)
    if study is not None:
        role = held[study]
    elif user.role == ADMIN:
        role = ADMIN
    else:  # no study loaded yet: the install-wide role, as before several studies
        role = (
            db.scalar(
                select(StaffRole.role).where(
                    StaffRole.user_id == user.id, StaffRole.study_id.is_(None)
                )
            )
            or ""
        )
    return LoggedIn(user.id, user.name, role, study, studies, user.language)


def add_user(
    db: Session,
    name: str,
    role: str,
    password: str,
    *,
    studies: Sequence[str] = (),
    all_studies: bool = False,
    language: str | None = None,
) -> StaffUser:
    """Add a staff user with ``role`` in ``studies``; the name must be new.

    Without ``studies``: the only loaded study, or every study when none is
    loaded yet (a fresh install); with several loaded, name them or say
    ``all_studies``. An admin is install-wide and takes no studies.
    ``language`` None: the staff pages follow the browser.
    """
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
    targets = _role_rows(db, role, studies, all_studies)
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
    for study_id in targets:
        db.add(StaffRole(user_id=user.id, study_id=study_id, role=role))
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
    return logged_in(db, user)


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

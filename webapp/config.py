"""Web app settings: defaults, then DELTAKER_* environment variables, then the caller's overrides.

Nothing is read at import time: :func:`load_config` is called by ``create_app``.
Every setting is listed once in :data:`DEFAULTS`; its type decides how an
environment value is parsed, so a new setting needs one line here.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any

from forms.errors import UserError

from .settings import DEFAULT_DATA_DIR

#: Every setting the web app reads, with its default. Durations carry their unit in the name.
DEFAULTS: dict[str, Any] = {
    # where the data live (same meaning as the command line's --data / --db)
    "DATA_DIR": DEFAULT_DATA_DIR,
    "DATABASE_URL": "",
    # the job queue (jobs.queue): empty is a SQLite file in the data folder; redis://HOST:PORT/DB
    "QUEUE_URL": "",
    # run queued jobs in threads of this process (`deltaker serve --no-worker` turns it off)
    "EMBEDDED_WORKER": True,
    # a study folder to load when the database holds no study yet (demo, tests)
    "STUDY_DIR": "",
    # production turns on Secure cookies; off for plain-HTTP development and tests
    "PRODUCTION": False,
    # staff sessions end after this long without a request, and after this long in all
    "STAFF_IDLE_MINUTES": 30,
    "STAFF_ABSOLUTE_HOURS": 10,
    # a citizen's session for one invitation; the answers are kept in drafts, not here
    "CITIZEN_IDLE_MINUTES": 60,
    "CITIZEN_ABSOLUTE_HOURS": 24,
    # staff login: wrong passwords per (address, user name), and per address (any names),
    # in the sliding window below; no account is ever locked for everyone
    "LOGIN_FAILURES_PER_ADDRESS_AND_NAME": 5,
    "LOGIN_FAILURES_PER_ADDRESS": 30,
    # typed answer codes: wrong codes per address, and for the whole site, per window;
    # while the site is over its global limit, an address gets only this many
    "CODE_FAILURES_PER_ADDRESS": 10,
    "CODE_FAILURES_GLOBAL": 100,
    "CODE_FAILURES_PER_ADDRESS_IN_BURST": 2,
    # the sliding window of every limit (codes, links, logins)
    "CODE_WINDOW_MINUTES": 15,
    # links carry 128-bit tokens: a valid link always opens; wrong ones count against these
    "LINK_FAILURES_PER_ADDRESS": 20,
    "LINK_FAILURES_GLOBAL": 1000,
    # how many reverse proxies in front of the app set X-Forwarded-For/-Proto (0: trust none)
    "PROXY_HOPS": 0,
    # largest request body (uploads of scanned PDFs and participant lists)
    "MAX_UPLOAD_MB": 64,
    # Flask-WTF CSRF tokens live as long as the session they are stored in
    "CSRF_TIME_LIMIT_SECONDS": 24 * 3600,
    # a fixed Flask secret; empty means derive one from the data folder's secret key
    "SECRET_KEY": "",
    "TESTING": False,
}

ENV_PREFIX = "DELTAKER_"
# Whole-number settings for which 0 means something (no proxy); every other one must be > 0
ZERO_ALLOWED = frozenset({"PROXY_HOPS"})
# The command line's own variable names for the data folder and database
ENV_ALIASES = {"DATA_DIR": ("DELTAKER_DATA",), "DATABASE_URL": ("DELTAKER_DATABASE_URL",)}


class ConfigError(UserError):
    """A setting has a value that cannot be used."""


def _parse(key: str, raw: str, default: Any) -> Any:
    if isinstance(default, bool):
        lowered = raw.strip().lower()
        if lowered in {"1", "true", "yes", "on"}:
            return True
        if lowered in {"0", "false", "no", "off", ""}:
            return False
        raise ConfigError(f"{ENV_PREFIX}{key} must be true or false, not {raw!r}")
    if isinstance(default, int):
        try:
            value = int(raw)
        except ValueError:
            raise ConfigError(f"{ENV_PREFIX}{key} must be a whole number, not {raw!r}") from None
        if value < 0 or (value == 0 and key not in ZERO_ALLOWED):
            if key in ZERO_ALLOWED:
                raise ConfigError(f"{ENV_PREFIX}{key} must be 0 or more, not {value}")
            raise ConfigError(f"{ENV_PREFIX}{key} must be more than 0, not {value}")
        return value
    return raw


def load_config(
    overrides: Mapping[str, Any] | None = None, environ: Mapping[str, str] | None = None
) -> dict[str, Any]:
    """The settings in force: defaults, then the environment, then ``overrides``."""
    env = os.environ if environ is None else environ
    config = dict(DEFAULTS)
    for key, default in DEFAULTS.items():
        names = (ENV_PREFIX + key, *ENV_ALIASES.get(key, ()))
        for name in names:
            if name in env:
                config[key] = _parse(key, env[name], default)
                break
    for key, value in (overrides or {}).items():
        config[key] = value
    return config

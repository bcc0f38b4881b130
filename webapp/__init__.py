"""webapp: the Flask app factory, blueprints, templates, and the `deltaker` command line.

``create_app(config=None)`` builds a fresh app: settings from defaults, then
``DELTAKER_*`` environment variables, then ``config``. Nothing is read at import time.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from flask import Flask


def create_app(config: Mapping[str, Any] | None = None) -> Flask:
    """A ready app: database opened (schema upgraded), secret loaded, blueprints registered."""
    from flask_wtf.csrf import CSRFProtect

    from intake.db import open_database
    from intake.secrets import load_secret

    from . import errors, i18n, security, texts
    from .config import load_config
    from .database import EXTENSION
    from .markup import contact_links
    from .sessions import COOKIE_NAME, DatabaseSessionInterface
    from .settings import Settings
    from .views import audit, auth, citizen, intake, recruit

    settings = load_config(config)
    from jobs.queue import check_queue_url

    check_queue_url(settings["QUEUE_URL"])  # a wrong queue fails now, not at the first job
    app = Flask(__name__)
    app.config.update(settings)
    data_dir = Path(settings["DATA_DIR"])
    resolved = Settings.resolve(str(data_dir), settings["DATABASE_URL"] or None)
    app.config["DATABASE_URL"] = resolved.db_url

    engine = open_database(resolved)
    secret = load_secret(data_dir)
    app.config.update(
        # Flask's own signing key (CSRF tokens) is derived, so one secret file serves all.
        SECRET_KEY=settings["SECRET_KEY"]
        or hmac.new(secret, b"deltaker web app signing key", hashlib.sha256).hexdigest(),
        SESSION_COOKIE_NAME=COOKIE_NAME,
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=bool(settings["PRODUCTION"]),
        MAX_CONTENT_LENGTH=int(settings["MAX_UPLOAD_MB"]) * 1024 * 1024,
        WTF_CSRF_TIME_LIMIT=int(settings["CSRF_TIME_LIMIT_SECONDS"]),
        WTF_CSRF_SSL_STRICT=bool(settings["PRODUCTION"]),
        TEMPLATES_AUTO_RELOAD=False,
    )
    app.jinja_env.add_extension("jinja2.ext.do")
    i18n.init_app(app)  # staff texts through gettext: {{ _("...") }}
    # phone numbers and e-mail addresses in a text become tel: and mailto: links
    app.jinja_env.filters["contact_links"] = contact_links
    app.extensions[EXTENSION] = {"engine": engine, "secret": secret, "data_dir": data_dir}
    app.session_interface = DatabaseSessionInterface()
    security.init_app(app)  # first: its check of the sending site runs before CSRFProtect's
    CSRFProtect(app)
    hops = int(settings["PROXY_HOPS"])
    if hops:
        from werkzeug.middleware.proxy_fix import ProxyFix

        # only the given number of proxies' X-Forwarded-For/-Proto entries are believed;
        # with 0 (the default) a visitor cannot pretend to be another address
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops)  # type: ignore[method-assign]
    errors.init_app(app)
    from .access import current_staff
    from .models import utcnow

    @app.context_processor
    def _globals() -> dict[str, Any]:
        return {
            "staff": current_staff(),
            "now": utcnow(),
            # citizen words (forms/words) on a staff page, in the staff page's language
            "staff_t": lambda key, **values: texts.ui(key, i18n.staff_language(), **values),
        }

    for blueprint in (citizen.bp, auth.bp, recruit.bp, intake.bp, audit.bp):
        app.register_blueprint(blueprint)
    return app

"""Security headers on every response, forms from other sites refused, token masking for logs."""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Callable, Iterable
from typing import Any

from flask import Flask, Response, request
from flask_wtf.csrf import CSRFError

#: No script at all: the pages need none, so any injected script is refused.
CONTENT_SECURITY_POLICY = (
    "default-src 'none'; script-src 'none'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
)
#: A page that a small script of ours (in webapp/static, never inline) makes quicker to
#: work with: that script, and its fetch() back to this site; the page works without it.
SCRIPT_POLICY = CONTENT_SECURITY_POLICY.replace(
    "script-src 'none'", "script-src 'self'; connect-src 'self'"
)
HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    # same-origin, not no-referrer: Flask-WTF refuses HTTPS posts without a referrer
    "Referrer-Policy": "same-origin",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
}
STATIC_MAX_AGE_SECONDS = 3600

#: Sec-Fetch-Site values of a request the app's own pages (or the person, typing) started
OWN_SITE = frozenset({"same-origin", "none"})
#: the methods that may change something, which another site's page must not send
UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})

_TOKEN_PATHS = re.compile(r"/(r|a)/[^/?\s]+")


def mask_tokens(text: str) -> str:
    """A path or log line with invitation tokens and anonymous serials replaced by ``***``."""
    return _TOKEN_PATHS.sub(lambda m: f"/{m.group(1)}/***", text)


def from_another_site() -> bool:
    """True when the browser says another site's page sent this request (Fetch Metadata).

    Browsers set ``Sec-Fetch-Site`` themselves (a page cannot change it); "same-site"
    counts as foreign too, since no sibling site sends forms here. Without the header
    (curl, tests, browsers before 2023) the signed CSRF token decides alone.
    """
    site = request.headers.get("Sec-Fetch-Site")
    return site is not None and site not in OWN_SITE


def init_app(app: Flask) -> None:
    """Register the hooks; call before ``CSRFProtect(app)`` so that the site check runs first."""

    @app.before_request
    def _refuse_other_sites() -> None:
        # An anonymous form's token is the same for everyone (webapp.sessions), so another
        # site could fetch one; the browser's own word on where a form came from keeps
        # that site from logging a person in or out, or filling anything in.
        if request.method in UNSAFE_METHODS and from_another_site():
            raise CSRFError("The form was sent from another site.")

    @app.after_request
    def _headers(response: Response) -> Response:
        for name, value in HEADERS.items():
            response.headers.setdefault(name, value)
        if request.endpoint == "static":
            response.headers["Cache-Control"] = f"public, max-age={STATIC_MAX_AGE_SECONDS}"
        else:
            # answers, consents and staff data must not stay in shared browsers' caches
            response.headers["Cache-Control"] = "no-store"
            response.headers["Pragma"] = "no-cache"
        if app.config.get("PRODUCTION"):
            response.headers["Strict-Transport-Security"] = "max-age=31536000"
        return response


access_log = logging.getLogger("deltaker.access")


class MaskedAccessLog:
    """WSGI middleware: one access-log line per request, with tokens masked."""

    def __init__(self, app: Callable[..., Iterable[bytes]]):
        self.app = app

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
        started = time.perf_counter()
        status_holder: list[str] = []

        def recording_start(status: str, headers: list[tuple[str, str]], *args: Any) -> Any:
            status_holder.append(status.split(" ", 1)[0])
            return start_response(status, headers, *args)

        try:
            return self.app(environ, recording_start)
        finally:
            path = environ.get("PATH_INFO", "")
            query = environ.get("QUERY_STRING", "")
            access_log.info(
                "%s %s %s %s %.1fms",
                environ.get("REMOTE_ADDR", "-"),
                environ.get("REQUEST_METHOD", "-"),
                mask_tokens(path + ("?" + query if query else "")),
                status_holder[0] if status_holder else "-",
                (time.perf_counter() - started) * 1000,
            )


def masked_request_handler():
    """Werkzeug's development request handler with tokens masked in its log lines."""
    from werkzeug.serving import WSGIRequestHandler

    class MaskedRequestHandler(WSGIRequestHandler):
        def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
            self.requestline = mask_tokens(self.requestline)
            super().log_request(code, size)

    return MaskedRequestHandler

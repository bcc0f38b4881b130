"""Citizens' pages: no login; the QR link or the typed answer code opens a short session.

Opening ``/r/<token>`` changes no data: it starts a server-side session for the
invitation and redirects (303) to pages whose URLs carry no token. Every page
works without JavaScript; answers are kept on the server between pages.

One blueprint, ``citizen``, with its pages by stage: ``entry`` (link, code,
language), ``consent`` (letter, information letter, consent), ``questions``
(the questionnaire's pages; the flow itself is in ``webapp.questionnaire``) and
``after`` (thanks, receipt, consents, withdrawal); ``recovery`` puts back what
was typed when a CSRF token had run out.
"""

from __future__ import annotations

# importing the view modules registers their pages on the blueprint
from . import after, consent, entry, questions  # noqa: F401
from .blueprint import bp
from .recovery import recover_after_csrf_failure

__all__ = ["bp", "recover_after_csrf_failure"]

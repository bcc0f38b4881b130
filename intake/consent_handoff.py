"""The one door from intake to the consent ledger (owned by the consent engineer).

Intake calls :func:`hand_over` for every response to a consent or withdrawal
form once that response is complete (no open review tasks) or verified, from
every channel (paper, web, manual). It may be called again for the same
response (after a review task changes an answer), so it must be idempotent.
Until the consent engineer fills it in, consent answers stay in the response.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session


def hand_over(session: Session, response: Any, study: Any, form: Any) -> None:
    """Pass a consent/withdrawal response on to the ledger (nothing yet).

    ``response`` is an :class:`intake.models.Response`, ``study`` the
    :class:`intake.models.StudyRecord`, ``form`` the :class:`forms.model.Form`
    of the response's version.
    """
    return None

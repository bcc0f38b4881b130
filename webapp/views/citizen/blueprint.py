"""The citizens' one blueprint; each view module registers its pages on it."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("citizen", __name__)

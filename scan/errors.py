"""Scanner errors: bad input files, each one clear line (see forms.errors)."""

from __future__ import annotations

from forms.errors import UserError


class ScanInputError(UserError):
    """A file or page cannot be read (wrong type, encrypted, broken, too large)."""


class PixelBudgetError(ScanInputError):
    """An image is larger than the pixel budget (a decompression bomb or a mistake)."""

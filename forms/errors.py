"""User errors: one class per kind, each a clear one-line message and an exit code.

Every package raises subclasses of :class:`UserError` for bad input; the command
line and the web app turn them into one line of text (never a traceback).
"""

from __future__ import annotations


class UserError(Exception):
    """Bad input from a person: shown as one clear line, exit code ``exit_code``."""

    exit_code = 1

    def __init__(self, message: str, *, file: str | None = None, line: int | None = None):
        self.message = message
        self.file = file
        self.line = line
        super().__init__(self.format())

    def format(self) -> str:
        where = ""
        if self.file and self.line:
            where = f"{self.file}:{self.line}: "
        elif self.file:
            where = f"{self.file}: "
        return f"{where}{self.message}"


class DefinitionError(UserError):
    """A study, form or letter definition is wrong (file and line say where)."""

    exit_code = 1


class DefinitionErrors(UserError):
    """Several definition errors found in one pass; ``errors`` holds them all."""

    exit_code = 1

    def __init__(self, errors: list[DefinitionError]):
        self.errors = errors
        first = errors[0].format() if errors else "no errors"
        more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
        super().__init__(first + more)

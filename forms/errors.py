"""User errors: one class per kind, each a clear one-line message and an exit code.

Every package raises subclasses of :class:`UserError` for bad input; the command
line and the web app turn them into one line of text (never a traceback). Each
class carries its :class:`ExitCode`, so a script that drives `deltaker` can tell
bad input from a busy database from a bug; `webapp.cli.main` is the one place
that turns them into the process's exit status. The enum lives here, in the
package every other one may import.
"""

from __future__ import annotations

from collections.abc import Sequence
from enum import IntEnum


class ExitCode(IntEnum):
    """What `deltaker`'s exit status means (the README has the table)."""

    OK = 0
    #: the input is wrong (a file, an option, a row), or a check found problems
    #: and listed them (check, audit verify, scan pages that could not be read)
    BAD_INPUT = 1
    #: click's own code for a wrong command line (unknown option, missing argument)
    USAGE = 2
    #: a study, form, user or other named thing is not there
    NOT_FOUND = 3
    #: the thing exists already or is in another state; nothing was changed
    CONFLICT = 4
    #: the database is locked by another process for longer than the busy timeout
    BUSY = 5
    #: a bug: the message says to run again with DELTAKER_DEBUG=1 (EX_SOFTWARE)
    INTERNAL_ERROR = 70
    #: stopped with Ctrl-C (128 + SIGINT)
    INTERRUPTED = 130


class UserError(Exception):
    """Bad input from a person: shown as one clear line, exit code ``exit_code``."""

    exit_code: ExitCode = ExitCode.BAD_INPUT

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


class NotFoundError(UserError):
    """A thing named on the command line or in a request is not there."""

    exit_code = ExitCode.NOT_FOUND


class ConflictError(UserError):
    """The thing exists already, or its state does not allow this; nothing changed."""

    exit_code = ExitCode.CONFLICT


class BusyError(UserError):
    """Another process holds the database lock longer than the busy timeout."""

    exit_code = ExitCode.BUSY


class ProblemsReported(UserError):
    """The command has already printed the problems it found; only the exit code is left.

    Commands raise it instead of calling sys.exit, so the exit code still comes
    from one place; main prints nothing more for it.
    """

    def __init__(self, exit_code: ExitCode = ExitCode.BAD_INPUT):
        self.exit_code = exit_code
        super().__init__("")


class DefinitionError(UserError):
    """A study, form or letter definition is wrong (file and line say where)."""

    exit_code = ExitCode.BAD_INPUT


class DefinitionErrors(UserError):
    """Several definition errors found in one pass; ``errors`` holds them all."""

    exit_code = ExitCode.BAD_INPUT

    def __init__(self, errors: Sequence[DefinitionError]):
        self.errors = list(errors)
        first = errors[0].format() if errors else "no errors"
        more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
        super().__init__(first + more)

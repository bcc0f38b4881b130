"""What an XLSForm import reports: errors that stop it, warnings that do not."""

from __future__ import annotations

from dataclasses import dataclass

from forms.errors import DefinitionError, DefinitionErrors


class XLSFormError(DefinitionError):
    """One problem in an XLSForm: the file, the sheet and the row say where."""

    def __init__(
        self,
        message: str,
        *,
        file: str,
        sheet: str | None = None,
        row: int | None = None,
        type: str | None = None,
    ):
        self.sheet = sheet
        self.row = row
        self.type = type
        super().__init__(message, file=file, line=row)

    def format(self) -> str:
        where = self.file or ""
        if self.sheet and self.row:
            where += f": sheet {self.sheet!r}, row {self.row}"
        elif self.sheet:
            where += f": sheet {self.sheet!r}"
        return f"{where}: {self.message}"


class XLSFormErrors(DefinitionErrors):
    """Every problem found in one XLSForm (``errors`` holds them, in sheet order)."""


@dataclass(frozen=True)
class ImportWarning:
    """Something left out or changed on import; the form is still usable."""

    sheet: str
    row: int | None
    message: str

    def __str__(self) -> str:
        where = f"sheet {self.sheet!r}, row {self.row}" if self.row else f"sheet {self.sheet!r}"
        return f"{where}: {self.message}"


class Problems:
    """The errors and warnings of one import, collected so all are reported at once."""

    def __init__(self, display: str):
        self.display = display
        self.errors: list[XLSFormError] = []
        self.warnings: list[ImportWarning] = []

    def add(
        self,
        message: str,
        sheet: str | None = None,
        row: int | None = None,
        type: str | None = None,
    ) -> None:
        self.errors.append(
            XLSFormError(message, file=self.display, sheet=sheet, row=row, type=type)
        )

    def warn(self, message: str, sheet: str, row: int | None = None) -> None:
        self.warnings.append(ImportWarning(sheet, row, message))


def single_error(
    message: str, display: str, *, sheet: str | None = None, row: int | None = None
) -> XLSFormErrors:
    return XLSFormErrors([XLSFormError(message, file=display, sheet=sheet, row=row)])

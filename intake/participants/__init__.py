"""Participant import from .csv and .xlsx files as Norwegian offices export them.

Decisions, so a recruiter can predict what happens:

- Files: .csv/.txt (UTF-8, UTF-8 with BOM, UTF-16 with BOM, else Windows-1252;
  comma, semicolon or tab, detected) or .xlsx (first sheet). At most
  :data:`MAX_ROWS` data rows (a bigger file is refused, not cut) and
  :data:`MAX_FILE_BYTES` bytes. An .xlsx is read by the one safe workbook
  reader, :mod:`forms.workbook` (zip limits checked before anything is
  unpacked, XML parsed with defusedxml), as the XLSForm import does.
- Headers in Norwegian or English, any case (see :data:`HEADER_ALIASES`). A
  ``name`` column is required, and every person needs a way to reach them: a
  full postal address (address, postcode, city), a phone number or an e-mail.
- Postcodes are four digits. A number cell in an .xlsx with fewer digits is
  padded (Excel drops the leading zero of 0150); in a CSV it is an error,
  because there it may be a typo.
- Languages: nb, nn, en (or the study's languages), also written as bokmål,
  nynorsk, engelsk, English...; blank means the study's default language.
- Duplicates, inside the file and against people already stored: the same
  name and postal address, the same phone number, or the same e-mail address.
- A cell with a control character (ESC, BEL, BS...) anywhere in it is a
  problem of its row: such characters are not text and could steer a terminal.
- Cells that look like formulas (``=SUM(...)``) are kept as plain text, never
  evaluated; exports neutralise them.
- All or nothing: one bad row means nothing is stored, and every problem is
  reported with its row number (the header is row 1). ``skip_invalid`` stores
  the good rows and returns the rejected ones, to be written to a file.

The package is split by job: :mod:`.read` (files to a raw table, in a worker
when asked), :mod:`.headers` and :mod:`.check` (which column is what, every row
checked), :mod:`.store` (storing, and the tables of who is stored).
"""

from .check import DEFAULT_LANGUAGES, LANGUAGE_ALIASES, MAX_CELL_CHARS, validate_rows
from .headers import HEADER_ALIASES, map_headers
from .read import MAX_FILE_BYTES, MAX_ROWS, decode_text, read_table, read_table_isolated
from .records import (
    FIELDS,
    ImportResult,
    ParticipantImportError,
    PersonRow,
    Problem,
    RawTable,
    Rejected,
)
from .store import (
    STORE_BATCH,
    import_participants,
    log_personal_data_export,
    new_codes,
    participants_table,
    rejected_table,
)

__all__ = [
    "DEFAULT_LANGUAGES",
    "FIELDS",
    "HEADER_ALIASES",
    "LANGUAGE_ALIASES",
    "MAX_CELL_CHARS",
    "MAX_FILE_BYTES",
    "MAX_ROWS",
    "STORE_BATCH",
    "ImportResult",
    "ParticipantImportError",
    "PersonRow",
    "Problem",
    "RawTable",
    "Rejected",
    "decode_text",
    "import_participants",
    "log_personal_data_export",
    "map_headers",
    "new_codes",
    "participants_table",
    "read_table",
    "read_table_isolated",
    "rejected_table",
    "validate_rows",
]

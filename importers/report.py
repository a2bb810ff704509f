"""What an import tells its caller: the rows it read, the rows it left out and why, or that it refused the file.

Two kinds of failure, kept apart on purpose:

- a *problem* is one bad value in one row (an unknown stage, an impossible date). The row is left out, the
  problem is reported with file, row, column and value, and the rest of the file is imported;
- a *rejection* (`FileRejected`) means the file as a whole cannot be read (not a spreadsheet, no header row,
  too large). Nothing from it is stored and the command line exits with status 2.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

# Named limits. Each has a message that says what to do; the app maps FileRejected to exit status 2 or a page.
# CSV and XML are streamed, so their limit is about time, not memory; workbooks and documents are read whole.
MAX_FILE_BYTES = 512 * 1024 * 1024  # one CSV or XML upload (a 1,000,000-row candidates file is about 320 MB)
MAX_WORKBOOK_BYTES = 50 * 1024 * 1024  # an XLSX or XLS workbook, which the reader holds in memory sheet by sheet
MAX_DOCUMENT_BYTES = 10 * 1024 * 1024  # an advert page, JSON or text file
MAX_UNCOMPRESSED_BYTES = 300 * 1024 * 1024  # an XLSX may inflate to this much, no more
MAX_COMPRESSION_RATIO = 200  # a zip member inflating more than this is treated as a zip bomb
MAX_ROWS = 2_000_000  # rows per sheet or CSV file
MAX_SHEET_CELLS = 10_000_000  # rows x columns of one sheet: the workbook reader holds the whole grid in memory
MAX_WORKBOOK_MEMORY = 1536 * 1024 * 1024  # what the reader may use while a workbook is first opened, in a child process
MAX_WORKBOOK_SECONDS = 120  # and how long it may take
MAX_COLUMNS = 500
MAX_CELL_CHARS = 32_767  # Excel's own limit for a cell
MAX_LINE_BYTES = 1024 * 1024  # one CSV record; a 40 MB "line" is not a tracker
MAX_XML_JOBS = 500_000  # LinkedIn's own ceiling for one job-posting feed
MAX_PROBLEMS_KEPT = 1_000  # problems listed in full; beyond this they are counted
MAX_ADVERT_CHARS = 200_000  # the visible text of one advert
HEADER_SEARCH_ROWS = 15  # how far down we look for the header row


class FileRejected(Exception):
    """The whole file cannot be read. `str(error)` is one line naming the file and saying why."""

    def __init__(self, file: str, reason: str) -> None:
        self.file = file
        self.reason = reason
        super().__init__(f"{file}: {reason}")


class UnknownLayout(FileRejected):
    """A table Scrutineer cannot place: it needs a column mapping (suggested by `flask mapping suggest`).

    `found`, when given, says what in the file showed it, in words for any page: `reason` adds what to do at the
    command line."""

    def __init__(self, file: str, reason: str, found: str | None = None) -> None:
        super().__init__(file, reason)
        self.found = found


@dataclass(slots=True)
class Problem:
    """One value that could not be used. Row numbers are as a spreadsheet shows them (1-based)."""

    row: int | None
    column: str | None
    value: str | None
    message: str
    sheet: str | None = None

    def as_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"row": self.row, "column": self.column, "value": self.value, "message": self.message}
        if self.sheet:
            data["sheet"] = self.sheet
        return data

    def describe(self, file: str) -> str:
        where = file + (f" [{self.sheet}]" if self.sheet else "")
        if self.row is not None:
            where += f" row {self.row}"
        if self.column:
            where += f", column {self.column!r}"
        value = f" (value {self.value!r})" if self.value not in (None, "") else ""
        return f"{where}: {self.message}{value}"


@dataclass
class ImportReport:
    """Counts and problems for one file. Importers fill it in as they stream."""

    file: str
    format: str = "unknown"
    sha256: str = ""
    rows_read: int = 0
    rows_stored: int = 0
    rows_rejected: int = 0
    problems: list[Problem] = field(default_factory=list)
    problems_not_listed: int = 0
    unknown_columns: dict[str, list[str]] = field(default_factory=dict)  # sheet -> columns we kept as extra
    notes: list[str] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)  # records stored, by kind ("candidates": 120)
    headers: dict[str, list[str]] = field(default_factory=dict)  # table -> its header row as written (mapped files)

    def problem(
        self,
        row: int | None,
        column: str | None,
        value: object,
        message: str,
        sheet: str | None = None,
    ) -> None:
        """Record a problem. The first MAX_PROBLEMS_KEPT are kept in full, the rest counted."""
        if len(self.problems) >= MAX_PROBLEMS_KEPT:
            self.problems_not_listed += 1
            return
        text = None if value is None else str(value)
        if text is not None and len(text) > 200:
            text = text[:200] + "…"
        self.problems.append(Problem(row=row, column=column, value=text, message=message, sheet=sheet))

    def reject_row(
        self, row: int | None, column: str | None, value: object, message: str, sheet: str | None = None
    ) -> None:
        """A row is left out because of this value."""
        self.rows_rejected += 1
        self.problem(row, column, value, message, sheet)

    def as_dict(self) -> dict[str, Any]:
        return {
            "file": self.file,
            "format": self.format,
            "sha256": self.sha256,
            "rows_read": self.rows_read,
            "rows_stored": self.rows_stored,
            "rows_rejected": self.rows_rejected,
            "problems": [p.as_dict() for p in self.problems],
            "problems_not_listed": self.problems_not_listed,
            "unknown_columns": self.unknown_columns,
            "notes": self.notes,
            "counts": self.counts,
        }

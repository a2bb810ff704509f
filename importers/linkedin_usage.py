"""LinkedIn Recruiter usage report: CSV, one row per seat per period (formats.md §1.2).

The header, as a public loader of this export reads it: `Seat holder name, Seat id, Profiles viewed, Projects
created, Profiles saved to project, Searches saved, Searches performed, InMails sent, InMails accepted, InMails
declined, Start date, End date`. What real files do, and what this importer does:

- `Start date` and `End date` may carry a time part (`2025-01-01 00:00:00`): the date is kept, in UTC as LinkedIn
  reports it. Dates are read month-first or ISO, never day-first;
- header names are matched loosely (case, spaces and punctuation ignored, a few other spellings accepted), and the
  header row is found below any title rows; the same report saved as XLSX is read too;
- the seat holder's name is a person's name: it becomes a keyed hash (`seat_key`) through the caller's
  `pseudonymise`, so the same seat matches across files but the name is never stored. `Seat id` is LinkedIn's
  identifier for the seat and is kept.

Rows are linked to the campaign given with --campaign; without one they are the organisation's figures.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from importers.columns import FieldSpec, KeyedColumn, RecordBatch, TableConverter, alias_table, field_table
from importers.records import RecruiterUsageRecord
from importers.report import FileRejected, ImportReport
from importers.tabular import Row, Sniffed, find_header, sheets_for
from importers.values import clean_text, header_key, parse_int, parse_us_date

FORMAT_NAME = "linkedin-recruiter-usage"
LABEL = "LinkedIn Recruiter usage report (CSV: seats, profiles viewed, searches, InMails sent/accepted/declined)"


def _seat_id(value: object) -> str | None:
    text = clean_text(value)
    if text is not None and len(text) > 100:
        raise ValueError("a seat id is at most 100 characters")
    return text


FIELDS = field_table(
    FieldSpec("seat_name", clean_text, ("Seat holder name", "seat holder", "seat name", "recruiter", "user name")),
    FieldSpec("seat_id", _seat_id, ("Seat id", "seat", "seat number")),
    FieldSpec("profiles_viewed", parse_int, ("Profiles viewed",)),
    FieldSpec("projects_created", parse_int, ("Projects created",)),
    FieldSpec("profiles_saved", parse_int, ("Profiles saved to project", "profiles saved")),
    FieldSpec("searches_saved", parse_int, ("Searches saved", "saved searches")),
    FieldSpec("searches_performed", parse_int, ("Searches performed", "searches")),
    FieldSpec("inmails_sent", parse_int, ("InMails sent", "inmail sent")),
    FieldSpec("inmails_accepted", parse_int, ("InMails accepted", "inmail accepted")),
    FieldSpec("inmails_declined", parse_int, ("InMails declined", "inmail declined")),
    FieldSpec("period_start", parse_us_date, ("Start date", "from", "period start")),
    FieldSpec("period_end", parse_us_date, ("End date", "to", "period end")),
)
ALIASES = alias_table(FIELDS)
_DISTINCTIVE = {"profiles_viewed", "projects_created", "profiles_saved", "searches_saved", "searches_performed"}


def required_columns() -> dict[str, list[str]]:
    return {"usage": ["Seat holder name or Seat id", "InMails sent"]}


def _fields_of(row: Row) -> set[str]:
    return {ALIASES[key] for key in map(header_key, row) if key in ALIASES}


def detect(sniffed: Sniffed, sheets: list[tuple[str, list[Row]]]) -> int:
    best = 0
    for _name, rows in sheets:
        for row in rows:
            fields = _fields_of(row)
            if "inmails_sent" in fields and fields & {"seat_name", "seat_id"} and fields & _DISTINCTIVE:
                best = max(best, min(97, 75 + 2 * len(fields)))
    return best


def parse(path: Path, name: str, sniffed: Sniffed, report: ImportReport, options: Any) -> Iterator[RecordBatch]:
    report.format = FORMAT_NAME
    found = False
    for sheet in sheets_for(path, name, sniffed, report):
        header, pending = find_header(sheet.rows, ALIASES, minimum=4, required=("inmails_sent",))
        if header is None:
            continue
        if "seat_name" not in header.fields and "seat_id" not in header.fields:
            raise FileRejected(name, "the usage report has no Seat holder name or Seat id column: export it again")
        found = True
        sheet_label = None if sniffed.kind == "csv-or-text" else sheet.name
        if header.unknown:
            report.unknown_columns[sheet_label or "usage"] = header.unknown
        converter = TableConverter(
            header=header,
            fields=FIELDS,
            record_type=RecruiterUsageRecord,
            report=report,
            file=name,
            sheet=sheet_label,
            keyed=[KeyedColumn("seat_name", "seat_key", options.pseudonymise)],
        )

        def rows(sheet: Any = sheet, pending: list[tuple[int, Row]] = pending) -> Iterator[tuple[int, Row]]:
            yield from pending
            yield from sheet.rows

        yield from converter.batches(rows())
    if not found:
        raise FileRejected(name, "no header row with InMails sent and the seat columns was found in the first rows")

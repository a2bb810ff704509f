"""LinkedIn Recruiter InMail report ("InMail Insights"): sent, accepted, declined and response rate over time
(formats.md §1.3).

LinkedIn documents the metrics (LinkedIn Help a7483406, a416484), not the export's column names, so this importer
matches them loosely: a period (`Date`, `Day`, `Week`, `Month`, `Time period`, or `Start date` and `End date`),
and any of `Sent`, `Accepted`, `Declined`, `Response rate` (with or without "InMails" in the name). A period
written as a range (`01/01/2025 - 01/31/2025`) gives both ends. Dates are read month-first or ISO, never
day-first. The response rate is kept as LinkedIn states it: (accepted + declined) / sent, within 30 days.

The export holds only the time series, not per-template or per-company detail. If a sender or recruiter column is
present (a per-seat breakdown), the person's name becomes a keyed hash, never stored in clear.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from importers.columns import FieldSpec, KeyedColumn, RecordBatch, TableConverter, alias_table, field_table
from importers.records import InMailStatsRecord
from importers.report import FileRejected, ImportReport
from importers.tabular import Row, Sniffed, find_header, sheets_for
from importers.values import clean_text, header_key, parse_int, parse_rate, parse_us_date

FORMAT_NAME = "linkedin-inmail-report"
LABEL = "LinkedIn Recruiter InMail report (InMail Insights: sent, accepted, declined, response rate by period)"
_RANGE = re.compile(r"^\s*(?:week of\s+|month of\s+)?(.+?)\s+(?:-|–|—|to)\s+(.+?)\s*$", re.IGNORECASE)


def _period(value: object) -> tuple[Any, Any] | None:
    """A period cell: one date, or a range of two."""
    if value is None:
        return None
    text = clean_text(value)
    if text is None:
        return None
    if isinstance(value, str):
        match = _RANGE.match(text)
        if match:
            return parse_us_date(match.group(1)), parse_us_date(match.group(2))
        text = re.sub(r"^(?:week|month) of\s+", "", text, flags=re.IGNORECASE)
        return parse_us_date(text), None
    return parse_us_date(value), None


FIELDS = field_table(
    FieldSpec("period", _period, ("Date", "Day", "Week", "Month", "Time period", "Period", "Date range")),
    FieldSpec("period_start", parse_us_date, ("Start date", "From", "Period start")),
    FieldSpec("period_end", parse_us_date, ("End date", "To", "Period end")),
    FieldSpec("sender", clean_text, ("Sender", "Recruiter", "Seat holder name", "Seat holder", "Sent by")),
    FieldSpec("sent", parse_int, ("Sent", "InMails sent", "InMail sent", "Total InMails sent", "Total sent")),
    FieldSpec("accepted", parse_int, ("Accepted", "InMails accepted", "InMail accepted", "Total accepted")),
    FieldSpec("declined", parse_int, ("Declined", "InMails declined", "InMail declined", "Total declined")),
    FieldSpec("response_rate", parse_rate, ("Response rate", "Response rate %", "InMail response rate", "Responded %")),
)
ALIASES = alias_table(FIELDS)
_USAGE_ONLY = {header_key(n) for n in ("Profiles viewed", "Projects created", "Searches performed", "Seat id")}


def required_columns() -> dict[str, list[str]]:
    return {"InMail Insights": ["a date or period", "Sent", "Accepted, Declined or Response rate"]}


def detect(sniffed: Sniffed, sheets: list[tuple[str, list[Row]]]) -> int:
    best = 0
    for _name, rows in sheets:
        for row in rows:
            keys = {header_key(cell) for cell in row}
            fields = {ALIASES[k] for k in keys if k in ALIASES}
            if keys & _USAGE_ONLY:
                continue  # the usage report has InMail columns too; it is recognised by its own importer
            dated = fields & {"period", "period_start"}
            if "sent" in fields and dated and fields & {"accepted", "declined", "response_rate"}:
                best = max(best, min(90, 65 + 4 * len(fields)))
    return best


def _split_period(values: dict[str, Any], row: Row, number: int) -> dict[str, Any] | None:
    period = values.pop("period", None)
    if period is not None:
        start, end = period
        if values.get("period_start") is None:
            values["period_start"] = start
        if values.get("period_end") is None:
            values["period_end"] = end
    values.setdefault("period_start", None)
    values.setdefault("period_end", None)
    return values


def parse(path: Path, name: str, sniffed: Sniffed, report: ImportReport, options: Any) -> Iterator[RecordBatch]:
    report.format = FORMAT_NAME
    found = False
    for sheet in sheets_for(path, name, sniffed, report):
        header, pending = find_header(sheet.rows, ALIASES, minimum=2, required=("sent",))
        if header is None:
            continue
        if "period" not in header.fields and "period_start" not in header.fields:
            raise FileRejected(name, "the InMail report has no Date or period column: export it again from Recruiter")
        found = True
        sheet_label = None if sniffed.kind == "csv-or-text" else sheet.name
        if header.unknown:
            report.unknown_columns[sheet_label or "InMail"] = header.unknown
        converter = TableConverter(
            header=header,
            fields=FIELDS,
            record_type=InMailStatsRecord,
            report=report,
            file=name,
            sheet=sheet_label,
            keyed=[KeyedColumn("sender", "seat_key", options.pseudonymise)],
            row_hook=_split_period,
        )

        def rows(sheet: Any = sheet, pending: list[tuple[int, Row]] = pending) -> Iterator[tuple[int, Row]]:
            yield from pending
            yield from sheet.rows

        yield from converter.batches(rows())
    if not found:
        raise FileRejected(name, "no header row with a Sent column was found in the first rows")

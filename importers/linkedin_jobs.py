"""LinkedIn Recruiter Jobs report: the scheduled or e-mailed XLSX export (formats.md §1.1).

What the file is, as LinkedIn sends it and as production code that ingests it reads it:

- sheet **Overview** holds a `Date range` block: a row whose first cell is `Date range`, then a row whose second
  cell holds two dates separated by ` - `. The exact date format is unverified, so ISO and US month-first dates
  are both read (never day-first: LinkedIn is American);
- sheet **Jobs Reporting** has one header row of 34 columns, then one row per job *state period*. LinkedIn repeats
  the header row inside the sheet (rows whose first cell is `LinkedIn Job ID` again): those are skipped. Dates in
  the cells are `YYYY-MM-DD`, or real Excel dates;
- `Employer Job ID` is the poster's own requisition ID, and the join to the agency's campaigns: the app links each
  row to the campaign whose reference it is (or to --campaign). Rows for jobs Scrutineer does not know are kept;
- `Job Poster` and `Hiring Project Owner` name people: they are read past and never stored. `Job Contract`,
  `Project Status` and `Posted Company ID` are not needed by any check and are not stored either;
- the same report saved as CSV (one header row with these columns) is read the same way.

All timestamps in Recruiter reports are UTC, and the data can lag 48–72 hours (LinkedIn Help a415546); a note
says so, because an audit comparing dates needs to know.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from importers.columns import FieldSpec, RecordBatch, TableConverter, alias_table, field_table
from importers.records import JobStatsRecord
from importers.report import FileRejected, ImportReport
from importers.tabular import Row, Sheet, Sniffed, find_header, sheets_for
from importers.values import clean_text, header_key, parse_int, parse_rate, parse_us_date

FORMAT_NAME = "linkedin-jobs-report"
LABEL = "LinkedIn Recruiter Jobs report (XLSX: Overview and Jobs Reporting sheets)"


def _text(limit: int) -> Any:
    def read(value: object) -> str | None:
        text = clean_text(value)
        return text[:limit] if text is not None and len(text) > limit else text

    return read


def _job_id(value: object) -> str | None:
    text = clean_text(value)
    if text is not None and len(text) > 200:
        raise ValueError("a job ID is at most 200 characters")
    return text


FIELDS = field_table(
    FieldSpec("linkedin_job_id", _job_id, ("LinkedIn Job ID", "job id"), required=True),
    FieldSpec("employer_job_id", _job_id, ("Employer Job ID", "external job id", "requisition id")),
    FieldSpec("company_apply_url", _text(2000), ("Company Apply URL", "apply url")),
    FieldSpec("posted_company", _text(300), ("Posted Company",)),
    FieldSpec("company_hiring_for", _text(300), ("Company Hiring For",)),
    FieldSpec("current_status", _text(60), ("Current Status", "status")),
    FieldSpec("state_start", parse_us_date, ("State Start Date",)),
    FieldSpec("state_end", parse_us_date, ("State End Date",)),
    FieldSpec("original_list_date", parse_us_date, ("Original List Date", "list date")),
    FieldSpec("job_title", _text(500), ("Job Title", "title")),
    FieldSpec("standardized_title", _text(500), ("Standardized Title", "standardised title")),
    FieldSpec("location", _text(300), ("Location",)),
    FieldSpec("country", _text(100), ("Country",)),
    FieldSpec("workplace_type", _text(40), ("Workplace Type",)),
    FieldSpec("industry", _text(300), ("Industry",)),
    FieldSpec("job_function", _text(300), ("Function", "job function")),
    FieldSpec("skills", _text(10_000), ("Skills",)),
    FieldSpec("application_method", _text(100), ("Application Collection Method", "apply method")),
    FieldSpec("days_open", parse_int, ("Days Open in Report Date Range", "days open")),
    FieldSpec("total_views", parse_int, ("Total Views", "views")),
    FieldSpec("total_apply_clicks", parse_int, ("Total Apply Clicks", "apply clicks")),
    FieldSpec("unique_viewers", parse_int, ("Unique Viewers",)),
    FieldSpec("unique_apply_clicks", parse_int, ("Unique Apply Clicks",)),
    FieldSpec("apply_rate", parse_rate, ("Apply Rate %", "apply rate")),
    FieldSpec("applications", parse_int, ("Applications", "completed applications")),
    FieldSpec("completion_rate", parse_rate, ("Completion Rate %", "completion rate")),
    FieldSpec("job_post_type", _text(60), ("Job Post Type", "post type")),
    FieldSpec("ats_posting_method", _text(200), ("ATS Posting Method",)),
)
# Known columns that are read past: people's names (never stored), and what no check needs.
PERSONAL_COLUMNS = ("Job Poster", "Hiring Project Owner")
IGNORED_COLUMNS = ("Job Contract", "Project Status", "Posted Company ID", "ATS Posting Method Detail")
ALIASES = alias_table(FIELDS)
_KNOWN_ELSEWHERE = {header_key(name) for name in (*PERSONAL_COLUMNS, *IGNORED_COLUMNS)}
_DATE_RANGE = re.compile(r"^\s*(.+?)\s+(?:-|–|—|to)\s+(.+?)\s*$")


def required_columns() -> dict[str, list[str]]:
    return {"Jobs Reporting": ["LinkedIn Job ID", "Employer Job ID (to join campaigns)"]}


def _is_jobs_header(row: Row) -> bool:
    keys = {header_key(cell) for cell in row}
    return "linkedinjobid" in keys and ("employerjobid" in keys or "jobtitle" in keys)


def detect(sniffed: Sniffed, sheets: list[tuple[str, list[Row]]]) -> int:
    """Sheets named Jobs Reporting, or a header row with LinkedIn Job ID and Employer Job ID."""
    score = 0
    for name, rows in sheets:
        if header_key(name) == "jobsreporting":
            score = max(score, 80)
        if any(_is_jobs_header(row) for row in rows):
            matched = max(sum(1 for cell in row if header_key(cell) in ALIASES) for row in rows)
            score = max(score, min(98, 70 + matched))
    return score


def _date_range(rows: Iterator[tuple[int, Row]]) -> tuple[dt.date | None, dt.date | None]:
    """The report's date range from the Overview sheet: after a `Date range` cell, two dates joined by ` - `."""
    after_label = False
    for count, (_number, row) in enumerate(rows):
        if count > 40:
            break
        cells = [cell for cell in row if clean_text(cell) is not None]
        labelled = any(header_key(cell) == "daterange" for cell in cells)
        if labelled or after_label:
            for cell in cells:
                found = _range_in(cell)
                if found is not None:
                    return found
        after_label = labelled or (after_label and not cells)
    return None, None


def _range_in(cell: object) -> tuple[dt.date, dt.date] | None:
    text = clean_text(cell)
    if text is None:
        return None
    # Split on a separator with spaces round it, so ISO dates' own hyphens are left alone.
    match = _DATE_RANGE.match(text)
    if not match:
        return None
    try:
        start, end = parse_us_date(match.group(1)), parse_us_date(match.group(2))
    except ValueError:
        return None
    if start is None or end is None:
        return None
    return start, end


def parse(path: Path, name: str, sniffed: Sniffed, report: ImportReport, options: Any = None) -> Iterator[RecordBatch]:
    report.format = FORMAT_NAME
    sheets = sheets_for(path, name, sniffed, report)
    overview = next((s for s in sheets if header_key(s.name) == "overview"), None)
    start, end = _date_range(overview.rows) if overview is not None else (None, None)
    if start is None:
        report.notes.append(
            "the report's date range (sheet Overview, 'Date range') was not found: each row's own state dates are used"
        )
    report.notes.append("LinkedIn Recruiter reports are in UTC and can lag 48–72 hours behind (LinkedIn Help a415546)")
    found = False
    for sheet in _jobs_sheets(sheets):
        header, pending = find_header(sheet.rows, ALIASES, required=("linkedin_job_id",), minimum=3)
        if header is None:
            continue
        found = True
        sheet_label = None if sniffed.kind == "csv-or-text" else sheet.name
        personal = [n for n in header.names if header_key(n) in {header_key(p) for p in PERSONAL_COLUMNS}]
        if personal:
            report.notes.append(f"columns naming people were read past and not stored: {', '.join(personal)}")
        unknown = [n for n in header.unknown if header_key(n) not in _KNOWN_ELSEWHERE]
        if unknown:
            report.unknown_columns[sheet_label or "Jobs Reporting"] = unknown
        if "employer_job_id" not in header.fields:
            report.notes.append(
                "there is no Employer Job ID column, so rows cannot be joined to campaigns: give --campaign"
            )
        converter = TableConverter(
            header=header,
            fields=FIELDS,
            record_type=JobStatsRecord,
            report=report,
            file=name,
            sheet=sheet_label,
            required_values={"linkedin_job_id": "the LinkedIn Job ID is empty: the row cannot be identified"},
            constants={"report_start": start, "report_end": end} if start else {},
        )

        def rows(sheet: Sheet = sheet, pending: list[tuple[int, Row]] = pending) -> Iterator[tuple[int, Row]]:
            yield from pending
            yield from sheet.rows

        yield from converter.batches(rows())
    if not found:
        raise FileRejected(
            name,
            "no Jobs Reporting sheet with a LinkedIn Job ID column was found: export the Jobs report from "
            "LinkedIn Recruiter again (Reports, Jobs)",
        )


def _jobs_sheets(sheets: list[Sheet]) -> list[Sheet]:
    named = [s for s in sheets if header_key(s.name) == "jobsreporting"]
    if named:
        return named
    return [s for s in sheets if header_key(s.name) != "overview"]

"""Public LinkedIn postings datasets: the 31-column `postings.csv` layout (formats.md §4), one advert per row.

The layout (Kaggle "LinkedIn Job Postings 2023-2024"): `job_id, company_name, title, description, max_salary,
pay_period, location, company_id, views, med_salary, min_salary, formatted_work_type, applies,
original_listed_time, remote_allowed, job_posting_url, application_url, application_type, expiry, closed_time,
formatted_experience_level, skills_desc, listed_time, posting_domain, sponsored, work_type, currency,
compensation_type, normalized_salary, zip_code, fips`. How copies of it really arrive:

- times (`listed_time`, `original_listed_time`, `expiry`, `closed_time`) are epoch milliseconds;
- R-written copies write `NA` for nulls (as do `N/A`, `-` and empty cells);
- copies re-saved by Excel are Windows-1252 (a curly apostrophe is byte 0x92), have their columns reordered, and
  have long numbers mangled into scientific notation: `1.71138E+12` is a time rounded to six figures, and an ID
  so written no longer identifies anything. Such values are **not trusted**: the field is left empty, named in
  the advert's `lossy_fields`, and reported as a problem for the row (the rest of the row is kept);
- files cut at an upload limit end in a partial row, which is reported and left out.

Each row becomes an advert (source kind "dataset") of the campaign given with --campaign. Columns are matched
by name, so the order does not matter; at least 20 of the 31 must be there for the file to be recognised.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

from importers.adverts import description_to_text, find_closing_date
from importers.records import AdvertRecord, Salary
from importers.report import MAX_ADVERT_CHARS, FileRejected, ImportReport
from importers.tabular import Row, Sniffed, find_header, sheets_for
from importers.values import clean_text, header_key, parse_bool, parse_money

FORMAT_NAME = "linkedin-postings-dataset"
LABEL = "Public LinkedIn postings dataset (the 31-column postings.csv layout)"

COLUMNS = (
    "job_id",
    "company_name",
    "title",
    "description",
    "max_salary",
    "pay_period",
    "location",
    "company_id",
    "views",
    "med_salary",
    "min_salary",
    "formatted_work_type",
    "applies",
    "original_listed_time",
    "remote_allowed",
    "job_posting_url",
    "application_url",
    "application_type",
    "expiry",
    "closed_time",
    "formatted_experience_level",
    "skills_desc",
    "listed_time",
    "posting_domain",
    "sponsored",
    "work_type",
    "currency",
    "compensation_type",
    "normalized_salary",
    "zip_code",
    "fips",
)
ALIASES = {header_key(name): name for name in COLUMNS}
MIN_COLUMNS = 20
# Long numbers that Excel rounds: identifiers and epoch-millisecond times. Rounded, they are wrong, not approximate.
EXACT_NUMBERS = ("job_id", "company_id", "original_listed_time", "listed_time", "expiry", "closed_time", "zip_code")
TIMES = ("original_listed_time", "listed_time", "expiry", "closed_time")
_SCIENTIFIC = re.compile(r"^[+-]?\d+(?:[.,]\d+)?[eE][+-]?\d+$")
_PERIODS = {"YEARLY": "year", "MONTHLY": "month", "WEEKLY": "week", "BIWEEKLY": None, "HOURLY": "hour"}
_WORK_TYPES = {"FULL_TIME", "PART_TIME", "CONTRACT", "TEMPORARY", "INTERNSHIP", "VOLUNTEER", "OTHER"}
_EPOCH = dt.datetime(1970, 1, 1)


def required_columns() -> dict[str, list[str]]:
    return {"postings": [f"at least {MIN_COLUMNS} of the 31 columns, including job_id, title and description"]}


def detect(sniffed: Sniffed, sheets: list[tuple[str, list[Row]]]) -> int:
    if sniffed.kind != "csv-or-text":
        return 0
    best = 0
    for _name, rows in sheets:
        for row in rows:
            matched = sum(1 for cell in row if header_key(cell) in ALIASES)
            if matched >= MIN_COLUMNS:
                best = max(best, min(96, 60 + matched))
    return best


def epoch_millis(text: str) -> dt.date | None:
    """An epoch-millisecond time (`1713390000000`, `1713390000000.0`) as a UTC date."""
    number = float(text)
    if not 0 < number < 4_102_444_800_000:  # 1970 to 2100
        raise ValueError(f"{text!r} is not a time in milliseconds since 1970")
    return (_EPOCH + dt.timedelta(milliseconds=number)).date()


class _Row:
    """One row's values by column name, noting the values that cannot be trusted."""

    def __init__(self, header: dict[str, int], row: Row, number: int, report: ImportReport) -> None:
        self.header, self.row, self.number, self.report = header, row, number, report
        self.lossy: list[str] = []

    def raw(self, name: str) -> str | None:
        index = self.header.get(name)
        if index is None or index >= len(self.row):
            return None
        return clean_text(self.row[index])

    def exact(self, name: str) -> str | None:
        """A value that must be exact: scientific notation means Excel rounded it, so it is flagged, not used."""
        text = self.raw(name)
        if text is not None and _SCIENTIFIC.match(text):
            self.lossy.append(name)
            self.report.problem(
                self.number,
                name,
                text,
                "Excel rounded this number (scientific notation), so it is not used: export the data again "
                "without opening and saving it in Excel",
            )
            return None
        return text

    def time(self, name: str) -> dt.date | None:
        text = self.exact(name)
        if text is None:
            return None
        try:
            return epoch_millis(text)
        except ValueError as error:
            self.report.problem(self.number, name, text, str(error))
            return None


def _salary(row: _Row) -> Salary | None:
    def money(name: str) -> Decimal | None:
        text = row.raw(name)
        try:
            return parse_money(text)
        except ValueError:
            row.report.problem(row.number, name, text, "cannot read this as an amount")
            return None

    low, high, median = money("min_salary"), money("max_salary"), money("med_salary")
    if low is None and high is None:
        low = high = median
    if low is None and high is None:
        return None
    currency = row.raw("currency")
    period_code = (row.raw("pay_period") or "").upper()
    shown = " - ".join(str(v) for v in dict.fromkeys(v for v in (low, high) if v is not None))
    return Salary(
        text=f"{currency or ''} {shown} {period_code}".strip(),
        minimum=low,
        maximum=high,
        currency=currency,
        period=_PERIODS.get(period_code),
        origin="dataset",
    )


def _advert(row: _Row, name: str) -> AdvertRecord:
    description = row.raw("description") or ""
    text = description_to_text(description) if description else ""
    work_type = (row.raw("work_type") or "").upper()
    remote = row.raw("remote_allowed")
    try:
        is_remote = parse_bool(remote)
    except ValueError:
        is_remote = None
    job_id = row.exact("job_id")
    company_id = row.exact("company_id")
    zip_code = row.exact("zip_code")
    structured: dict[str, Any] = {
        name_: row.raw(name_)
        for name_ in (
            "application_type",
            "formatted_experience_level",
            "posting_domain",
            "sponsored",
            "compensation_type",
            "normalized_salary",
            "views",
            "applies",
            "fips",
            "skills_desc",
        )
    }
    structured.update({"job_id": job_id, "company_id": company_id, "zip_code": zip_code})
    listed = row.time("listed_time")
    original = row.time("original_listed_time")
    expiry = row.time("expiry")
    closed = row.time("closed_time")
    structured["closed_time"] = closed.isoformat() if closed else None
    advert = AdvertRecord(
        title=(row.raw("title") or "")[:500],
        text=text[:MAX_ADVERT_CHARS],
        source_kind="dataset",
        source_name=name,
        url=row.raw("job_posting_url") or row.raw("application_url"),
        hiring_organisation=row.raw("company_name"),
        date_posted=original or listed,
        valid_through=expiry,
        employment_type=work_type if work_type in _WORK_TYPES else row.raw("formatted_work_type"),
        location=row.raw("location"),
        workplace_type="remote" if is_remote else None,
        salary=_salary(row),
        structured=structured,
        reference=job_id,
        row=row.number,
        lossy_fields=list(dict.fromkeys(row.lossy)),
    )
    advert.closing_date_text = find_closing_date(advert.text)
    return advert


def parse(path: Path, name: str, sniffed: Sniffed, report: ImportReport, options: Any = None) -> Iterator[AdvertRecord]:
    report.format = FORMAT_NAME
    [sheet] = sheets_for(path, name, sniffed, report)
    header, pending = find_header(sheet.rows, ALIASES, minimum=MIN_COLUMNS)
    if header is None:
        raise FileRejected(name, f"no header row with at least {MIN_COLUMNS} of the postings.csv columns was found")
    positions = {field: index for index, field in enumerate(header.fields) if field}
    if header.unknown:
        report.unknown_columns["postings"] = header.unknown
    missing = [c for c in ("title", "description") if c not in positions]
    if missing:
        raise FileRejected(name, f"the postings file has no {' or '.join(missing)} column")

    def rows() -> Iterator[tuple[int, Row]]:
        yield from pending
        yield from sheet.rows

    for number, cells in rows():
        if not any(clean_text(c) for c in cells):
            continue
        report.rows_read += 1
        row = _Row(positions, cells, number, report)
        advert = _advert(row, name)
        if not advert.title and not advert.text:
            report.reject_row(number, "title", None, "the posting has no title and no description")
            continue
        yield advert

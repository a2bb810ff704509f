"""LinkedIn Page (company page) analytics exports: followers, visitors and content workbooks (formats.md §1.6).

LinkedIn gives these as legacy `.xls` (CDFV2) and, more recently, `.xlsx`; both are read. Per workbook:

- **followers**: sheet `New followers` (`Date, Sponsored followers, Organic followers, Auto-invited followers,
  Total followers`, one row per day), and demographic sheets (`Location`, `Job function`, `Seniority`, `Industry`,
  `Company size`: the dimension, then `Total followers`);
- **visitors**: sheet `Visitor metrics`, `Date` and 24 columns such as `Jobs page views (total)` and
  `Jobs unique visitors (total)` (the job-advert reach figures), plus the same demographic sheets;
- **content**: sheets `Metrics` (daily impressions, clicks, reactions, comments, reposts or older `Shares`,
  engagement rate) and `All posts` (one row per post). On these the header is on row 2: row 1 is a description.
  The header row is found rather than assumed, on every sheet.

Dates are US month-first (`02/26/2025`, read with `%m/%d/%Y` by every parser seen), never day-first, or real Excel
dates. Every other column of a metrics sheet becomes a figure, named by its header in snake case
(`Jobs page views (total)` -> `jobs_page_views_total`), so new columns LinkedIn adds are kept rather than lost.
`Posted by` names a person and is not stored; other text columns of `All posts` are not figures and are left out.
A value that is not a number leaves its row out, with a problem naming sheet, row, column and value.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from importers.records import PageStatsRecord
from importers.report import FileRejected, ImportReport
from importers.tabular import Header, Row, Sheet, Sniffed, find_header, is_blank, sheets_for
from importers.values import clean_text, header_key, parse_number, parse_us_date

FORMAT_NAME = "linkedin-page-analytics"
LABEL = "LinkedIn Page analytics (XLS/XLSX: followers, visitors, content metrics and posts)"

DAILY_SHEETS = {"newfollowers": "followers", "visitormetrics": "visitors", "metrics": "content"}
POST_SHEETS = {"allposts": "post"}
DEMOGRAPHIC_SHEETS = {"location", "jobfunction", "seniority", "industry", "companysize"}
_DATE_ALIASES = {header_key(n): "date" for n in ("Date", "Day")}
_POST_ALIASES = {
    **{header_key(n): "label" for n in ("Post title", "Update title", "Title")},
    **{header_key(n): "link" for n in ("Post link", "Update link", "Link")},
    **{header_key(n): "date" for n in ("Created date", "Date created", "Posted date")},
}
_PERSONAL = {header_key(n) for n in ("Posted by", "Author", "Created by")}
_POST_TEXT = {header_key(n) for n in ("Post type", "Campaign name", "Audience", "Content Type", "Update type")}
_POST_DATES = {header_key(n) for n in ("Campaign start date", "Campaign end date")}
_METRIC_WORDS = ("follower", "view", "visitor", "impression", "click", "reaction", "comment", "repost", "share")
_SNAKE = re.compile(r"[^0-9a-z]+")


def metric_name(header: str) -> str:
    """A metric's key: its header in snake case (`Jobs page views (total)` -> `jobs_page_views_total`)."""
    return _SNAKE.sub("_", header.lower()).strip("_")[:80]


def required_columns() -> dict[str, list[str]]:
    return {
        "New followers / Visitor metrics / Metrics": ["Date", "the metrics"],
        "All posts": ["Post title", "Created date"],
        "Location, Job function, Seniority, Industry, Company size": ["the dimension", "Total followers"],
    }


def _kind_of(sheet_name: str) -> str | None:
    key = header_key(sheet_name)
    if key in DAILY_SHEETS:
        return DAILY_SHEETS[key]
    if key in POST_SHEETS:
        return "post"
    if key in DEMOGRAPHIC_SHEETS:
        return "demographic"
    return None


def detect(sniffed: Sniffed, sheets: list[tuple[str, list[Row]]]) -> int:
    if sniffed.kind not in ("xlsx", "xls"):
        return 0
    kinds = [_kind_of(name) for name, _rows in sheets]
    if any(k in ("followers", "visitors", "post") for k in kinds):
        return 92
    if "content" in kinds:
        metric_headers = any(
            any(header_key(cell).startswith(("impressions", "clicks")) for cell in row)
            for name, rows in sheets
            if _kind_of(name) == "content"
            for row in rows
        )
        return 90 if metric_headers else 0
    return 0


def _metric_aliases(rows: list[tuple[int, Row]]) -> dict[str, str]:
    """Header names in the first rows that look like metrics (so find_header can tell the header row)."""
    aliases: dict[str, str] = {}
    for _number, row in rows:
        for cell in row:
            text = clean_text(cell)
            if isinstance(cell, str) and text and any(word in text.lower() for word in _METRIC_WORDS):
                aliases[header_key(text)] = "metric:" + metric_name(text)
    return aliases


def _read_sheet(sheet: Sheet, kind: str, report: ImportReport, name: str) -> Iterator[PageStatsRecord]:
    top: list[tuple[int, Row]] = []
    for item in sheet.rows:
        top.append(item)
        if len(top) >= 15:
            break
    aliases = {**_metric_aliases(top)}
    if kind == "post":
        aliases.update(_POST_ALIASES)
    elif kind in ("followers", "visitors", "content"):
        aliases.update(_DATE_ALIASES)
    replay = iter(top)
    header, pending = find_header(replay, aliases, minimum=2)
    if header is None and kind == "demographic":
        header, pending = _demographic_header(top)
    if header is None:
        report.notes.append(f"sheet {sheet.name!r}: no header row was found in the first rows, so it was not read")
        return
    columns = _columns(header, kind)
    if kind in ("followers", "visitors", "content") and not any(role == "date" for role, *_ in columns):
        report.notes.append(f"sheet {sheet.name!r} has no Date column, so it was not read")
        return

    def rows() -> Iterator[tuple[int, Row]]:
        yield from pending
        yield from replay
        yield from sheet.rows

    for number, row in rows():
        if is_blank(row) or (row and header.names and clean_text(row[0]) == header.names[0]):
            continue
        report.rows_read += 1
        record = PageStatsRecord(kind=kind, sheet=sheet.name, row=number, file=name)
        bad = False
        for role, index, column, metric in columns:
            cell = row[index] if index < len(row) else None
            try:
                if role == "date":
                    record.date = parse_us_date(cell)
                elif role == "label":
                    text = clean_text(cell)
                    record.label = None if text is None else text[:500]
                elif role == "link":
                    text = clean_text(cell)
                    record.link = None if text is None else text[:2000]
                elif role == "metric":
                    value = parse_number(cell)
                    if value is not None:
                        record.metrics[metric] = value
            except ValueError as error:
                if not bad:
                    report.rows_rejected += 1
                bad = True
                report.problem(number, column, cell, str(error), sheet.name)
        if bad:
            continue
        if kind in ("followers", "visitors", "content") and record.date is None:
            report.reject_row(number, "Date", None, "the date is empty: each row is one day", sheet.name)
            continue
        if kind == "demographic" and record.label is None:
            continue  # a total or spacer row
        yield record


def _demographic_header(top: list[tuple[int, Row]]) -> tuple[Header | None, list[tuple[int, Row]]]:
    """Demographic sheets: `<dimension>, Total followers` (or views): the first row with a count column."""
    for position, (number, row) in enumerate(top):
        names = ["" if c is None else str(c).strip() for c in row]
        if len([n for n in names if n]) >= 2 and any("total" in n.lower() for n in names):
            fields: list[str | None] = ["label"] + ["metric:" + metric_name(n) if n else None for n in names[1:]]
            return Header(row=number, names=names, fields=fields), top[position + 1 :]
    return None, top


def _columns(header: Header, kind: str) -> list[tuple[str, int, str, str]]:
    """(role, index, column name, metric key) for each column that is read."""
    columns: list[tuple[str, int, str, str]] = []
    for index, (column, field) in enumerate(zip(header.names, header.fields, strict=True)):
        key = header_key(column)
        if not column or key in _PERSONAL or key in _POST_TEXT or key in _POST_DATES:
            continue
        if field in ("date", "label", "link"):
            columns.append((field, index, column, ""))
        elif kind == "demographic" and index == 0:
            columns.append(("label", index, column, ""))
        else:
            columns.append(("metric", index, column, metric_name(column)))
    return columns


def parse(
    path: Path, name: str, sniffed: Sniffed, report: ImportReport, options: Any = None
) -> Iterator[PageStatsRecord]:
    report.format = FORMAT_NAME
    read_any = False
    for sheet in sheets_for(path, name, sniffed, report):
        kind = _kind_of(sheet.name)
        if kind is None:
            report.notes.append(f"sheet {sheet.name!r} is not one Scrutineer reads from Page analytics")
            continue
        read_any = True
        yield from _read_sheet(sheet, kind, report, name)
    if not read_any:
        raise FileRejected(
            name,
            "no LinkedIn Page analytics sheet (New followers, Visitor metrics, Metrics, All posts) was found",
        )

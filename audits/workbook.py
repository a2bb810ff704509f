"""The compliance workbook: writing it, and reading it back to verify it or to take the agency's responses.

Sheets, in order: Summary, Findings, Checklist, Adverts, Pipeline, Outreach, Data quality, Provenance.

Safety: every value that came from an imported file is written as a string, never a formula. Text starting with
`=`, `+`, `-`, `@`, a tab or a carriage return gets a leading `'` (OWASP's advice against formula injection), and
control characters Excel cannot hold are replaced.

Integrity: each finding row is reduced to its cells as written (Finding ID to Suggestion; the agency's Response
and Response note are left out, so an agency can fill them in). The SHA-256 over those rows is printed on the
Provenance sheet and stored with the audit; `verify` recomputes it from the sheet.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from openpyxl import Workbook, load_workbook
from openpyxl.chart import BarChart, Reference
from openpyxl.formatting.rule import FormulaRule
from openpyxl.styles import Alignment, Border, Font, NamedStyle, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.table import Table, TableStyleInfo

SHEETS = ("Summary", "Findings", "Checklist", "Adverts", "Pipeline", "Outreach", "Data quality", "Provenance")
FINDING_COLUMNS = (
    "Finding ID",
    "Check ID",
    "Check",
    "Severity",
    "Status",
    "Subject",
    "Evidence",
    "Reference",
    "Suggestion",
    "Agency response",
    "Response note",
)
HASHED_COLUMNS = 9  # Finding ID … Suggestion
RESPONSES = ("Agree", "Disagree", "Remediated")
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
MAX_CELL = 32_000

STATUS_FILLS = {"Fail": "F4CCCC", "Warn": "FFF2CC", "Pass": "D9EAD3", "No data": "E7E6E6", "N/A": "F2F2F2"}
RAG_FILLS = {"Red": "D4351C", "Amber": "F47738", "Green": "00703C", "Not rated": "B1B4B6"}


def safe_text(value: object) -> str:
    """A value as text that Excel will never run: OWASP quote prefix, control characters replaced, length capped."""
    if value is None:
        return ""
    text = str(value).replace("\r\n", "\n")
    if text.startswith(FORMULA_STARTS):
        text = "'" + text
    text = text.replace("\r", "\n")
    text = _ILLEGAL.sub("\ufffd", text)
    if len(text) > MAX_CELL:
        text = text[:MAX_CELL] + "…"
    return text


@dataclass
class FindingRow:
    ref: str
    check_id: str
    title: str
    severity: str  # label: Critical, High…
    status: str  # label: Pass, Fail…
    subject: str
    evidence: str
    reference: str
    suggestion: str
    response: str | None = None
    note: str | None = None

    def cells(self) -> list[str]:
        """The hashed cells, exactly as written to the sheet."""
        return [
            safe_text(v)
            for v in (
                self.ref,
                self.check_id,
                self.title,
                self.severity,
                self.status,
                self.subject,
                self.evidence,
                self.reference,
                self.suggestion,
            )
        ]


def findings_digest(rows: Iterable[Sequence[str]]) -> str:
    """SHA-256 over the findings' hashed cells, in order. JSON keeps cell boundaries unambiguous."""
    digest = hashlib.sha256()
    for row in rows:
        digest.update(json.dumps(list(row), ensure_ascii=False, separators=(",", ":")).encode("utf-8"))
        digest.update(b"\n")
    return digest.hexdigest()


@dataclass
class RuleRow:
    check_id: str
    title: str
    family: str
    severity: str
    enabled: bool
    disabled_reason: str | None
    thresholds: str
    data: str
    reference: str


@dataclass
class InputRow:
    name: str
    sha256: str
    format: str
    rows_read: int
    rows_stored: int
    rows_rejected: int
    problems: list[dict[str, Any]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    unknown_columns: dict[str, list[str]] = field(default_factory=dict)


@dataclass
class AdvertRow:
    title: str
    source: str
    url: str | None
    date_posted: dt.date | None
    closing: dt.date | None
    salary: str | None
    words: int


@dataclass
class WorkbookData:
    audit_id: str
    created_at: dt.datetime
    as_of: dt.date
    organisation: str
    agency: str | None
    campaign_ref: str
    role_title: str | None
    campaign_dates: dict[str, dt.date | None]
    score: float | None
    rag: str
    score_reason: str
    scoring_rule: str
    findings: list[FindingRow]
    checklist_id: str
    checklist_version: str
    checklist_sha256: str
    rules: list[RuleRow]
    inputs: list[InputRow]
    adverts: list[AdvertRow]
    pipeline: list[list[Any]]  # header row first
    outreach: list[list[Any]]  # header row first
    scrutineer_version: str
    library_versions: dict[str, str]
    findings_sha256: str
    seal: str
    by_severity_status: dict[str, dict[str, int]] = field(default_factory=dict)


# --- writing -----------------------------------------------------------------------------------------------


def _styles(book: Workbook) -> None:
    thin = Side(style="thin", color="B1B4B6")
    styles = [
        NamedStyle("Scrutineer heading", font=Font(name="Arial", size=16, bold=True)),
        NamedStyle(
            "Scrutineer label", font=Font(name="Arial", size=11, bold=True), alignment=Alignment(vertical="top")
        ),
        NamedStyle(
            "Scrutineer header",
            font=Font(name="Arial", size=11, bold=True, color="FFFFFF"),
            fill=PatternFill("solid", fgColor="0B0C0C"),
            alignment=Alignment(vertical="top", wrap_text=True),
            border=Border(bottom=thin),
        ),
        NamedStyle(
            "Scrutineer text", font=Font(name="Arial", size=11), alignment=Alignment(vertical="top", wrap_text=True)
        ),
    ]
    for style in styles:
        book.add_named_style(style)


def _table(
    sheet: Any,
    name: str,
    header: Sequence[str],
    rows: Iterable[Sequence[Any]],
    widths: Sequence[int],
    start_row: int = 1,
) -> int:
    """Write a header and rows as an Excel table with a filter; returns the last row written."""
    for column, title in enumerate(header, start=1):
        cell = sheet.cell(row=start_row, column=column, value=title)
        cell.style = "Scrutineer header"
    last = start_row
    for last, row in enumerate(rows, start=start_row + 1):
        for column, value in enumerate(row, start=1):
            cell = sheet.cell(row=last, column=column)
            if isinstance(value, bool):
                cell.value = "Yes" if value else "No"
            elif isinstance(value, int | float | dt.date | dt.datetime) and not isinstance(value, bool):
                cell.value = value
                if isinstance(value, dt.datetime):
                    cell.number_format = "yyyy-mm-dd hh:mm"
                elif isinstance(value, dt.date):
                    cell.number_format = "dd/mm/yyyy"
            else:
                cell.value = safe_text(value)
                cell.data_type = "s"
            cell.style = "Scrutineer text"
    for column, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(column)].width = width
    sheet.freeze_panes = sheet.cell(row=start_row + 1, column=1)
    if last == start_row:  # an empty table: keep the header, add a row saying so
        sheet.cell(row=start_row + 1, column=1, value="None").style = "Scrutineer text"
        last = start_row + 1
    reference = f"A{start_row}:{get_column_letter(len(header))}{last}"
    table = Table(displayName=name, ref=reference)
    table.tableStyleInfo = TableStyleInfo(name="TableStyleLight1", showRowStripes=True)
    sheet.add_table(table)
    return last


def _pairs(sheet: Any, pairs: Sequence[tuple[str, Any]], start_row: int) -> int:
    row = start_row
    for label, value in pairs:
        sheet.cell(row=row, column=1, value=label).style = "Scrutineer label"
        cell = sheet.cell(row=row, column=2)
        if isinstance(value, dt.datetime):
            cell.value = value
            cell.number_format = "yyyy-mm-dd hh:mm:ss"
        elif isinstance(value, dt.date):
            cell.value = value
            cell.number_format = "dd/mm/yyyy"
        elif isinstance(value, int | float) and not isinstance(value, bool):
            cell.value = value
        else:
            cell.value = safe_text(value)
            cell.data_type = "s"
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        row += 1
    return row


def _summary(book: Workbook, data: WorkbookData) -> None:
    sheet = book.active
    sheet.title = "Summary"
    sheet["A1"] = "Scrutineer compliance audit"
    sheet["A1"].style = "Scrutineer heading"
    score = "Not rated" if data.score is None else data.score
    row = _pairs(
        sheet,
        [
            ("Organisation", data.organisation),
            ("Agency", data.agency or "Not recorded"),
            ("Campaign", data.campaign_ref),
            ("Role", data.role_title or "Not recorded"),
            *[(label, value or "Not recorded") for label, value in data.campaign_dates.items()],
            ("Score (0–100)", score),
            ("Rating", data.rag),
            ("Why", data.score_reason),
            ("How the score is worked out", data.scoring_rule),
            ("Audit ID", data.audit_id),
            ("Audited (UTC)", data.created_at),
        ],
        start_row=3,
    )
    rating_row = next(r for r in range(3, row) if sheet.cell(row=r, column=1).value == "Rating")
    rating = sheet.cell(row=rating_row, column=2)
    rating.fill = PatternFill("solid", fgColor=RAG_FILLS.get(data.rag, "B1B4B6"))
    rating.font = Font(name="Arial", bold=True, color="FFFFFF" if data.rag in ("Red", "Green") else "0B0C0C")
    sheet.column_dimensions["A"].width = 30
    sheet.column_dimensions["B"].width = 90

    row += 1
    sheet.cell(row=row, column=1, value="Findings by severity and status").style = "Scrutineer label"
    statuses = ["fail", "warn", "pass", "no data", "n/a"]
    header = ["Severity", "Fail", "Warn", "Pass", "No data", "N/A"]
    grid_rows = [
        [severity.capitalize(), *[data.by_severity_status.get(severity, {}).get(s, 0) for s in statuses]]
        for severity in ("critical", "high", "medium", "low", "info")
    ]
    start = row + 1
    last = _table(sheet, "SummaryCounts", header, grid_rows, [30, 90, 10, 10, 10, 10], start_row=start)
    for column in range(3, 7):
        sheet.column_dimensions[get_column_letter(column)].width = 10
    sheet.freeze_panes = None

    chart = BarChart()
    chart.type = "col"
    chart.grouping = "stacked"
    chart.overlap = 100
    chart.title = "Findings by severity and status"
    chart.y_axis.title = "Findings"
    chart.x_axis.title = "Severity"
    values = Reference(sheet, min_col=2, max_col=4, min_row=start, max_row=last)
    categories = Reference(sheet, min_col=1, min_row=start + 1, max_row=last)
    chart.add_data(values, titles_from_data=True)
    chart.set_categories(categories)
    chart.height, chart.width = 8, 16
    sheet.add_chart(chart, f"D{start}")

    row = last + 2
    sheet.cell(row=row, column=1, value="Most serious findings").style = "Scrutineer label"
    serious = [f for f in data.findings if f.status in ("Fail", "Warn")]
    order = {"Critical": 0, "High": 1, "Medium": 2, "Low": 3, "Info": 4}
    serious.sort(key=lambda f: (f.status != "Fail", order.get(f.severity, 9), f.ref))
    _pairs(
        sheet,
        [
            (f"{f.ref} {f.check_id} ({f.severity}, {f.status})", f"{f.title}: {f.evidence.splitlines()[0]}")
            for f in serious[:5]
        ]
        or [("None", "No check failed or warned.")],
        start_row=row + 1,
    )


def _findings(book: Workbook, data: WorkbookData) -> None:
    sheet = book.create_sheet("Findings")
    rows = [[*f.cells(), safe_text(f.response or ""), safe_text(f.note or "")] for f in data.findings]
    last = _table(sheet, "Findings", FINDING_COLUMNS, rows, [18, 10, 34, 11, 10, 34, 70, 60, 50, 16, 40])
    validation = DataValidation(
        type="list",
        formula1='"' + ",".join(RESPONSES) + '"',
        allow_blank=True,
        showErrorMessage=True,
        errorTitle="Not a response",
        error="Choose Agree, Disagree or Remediated from the list.",
        promptTitle="Agency response",
        prompt="Agree, Disagree or Remediated",
        showInputMessage=True,
    )
    validation.add(f"J2:J{max(last, 2)}")
    sheet.add_data_validation(validation)
    for label, colour in STATUS_FILLS.items():
        sheet.conditional_formatting.add(
            f"E2:E{max(last, 2)}",
            FormulaRule(formula=[f'$E2="{label}"'], fill=PatternFill("solid", fgColor=colour, bgColor=colour)),
        )


def _checklist(book: Workbook, data: WorkbookData) -> None:
    sheet = book.create_sheet("Checklist")
    header = (
        "Check ID",
        "Check",
        "Family",
        "Severity",
        "In force",
        "Why switched off",
        "Thresholds",
        "Data it reads",
        "Reference",
    )
    rows = [
        [
            r.check_id,
            r.title,
            r.family,
            r.severity,
            "Yes" if r.enabled else "No",
            r.disabled_reason or "",
            r.thresholds,
            r.data,
            r.reference,
        ]
        for r in data.rules
    ]
    _table(sheet, "Checklist", header, rows, [10, 36, 16, 11, 9, 30, 50, 36, 70])


def _adverts(book: Workbook, data: WorkbookData) -> None:
    sheet = book.create_sheet("Adverts")
    header = ("Title", "Source", "URL", "Date posted", "Closing date", "Salary as read", "Words")
    rows = [
        [a.title, a.source, a.url or "", a.date_posted or "", a.closing or "", a.salary or "Not stated", a.words]
        for a in data.adverts
    ]
    _table(sheet, "Adverts", header, rows, [40, 30, 40, 13, 13, 30, 9])


def _grid(book: Workbook, title: str, table_name: str, grid: list[list[Any]], empty: str) -> None:
    sheet = book.create_sheet(title)
    if not grid:
        grid = [["Note"], [empty]]
    header, rows = grid[0], grid[1:]
    _table(sheet, table_name, [str(h) for h in header], rows, [22] * len(header))


def _data_quality(book: Workbook, data: WorkbookData) -> None:
    sheet = book.create_sheet("Data quality")
    header = ("Input", "Format", "Rows read", "Rows stored", "Rows rejected", "Row", "Column", "Value", "Problem")
    rows: list[list[Any]] = []
    for item in data.inputs:
        rows.append(
            [
                item.name,
                item.format,
                item.rows_read,
                item.rows_stored,
                item.rows_rejected,
                "",
                "",
                "",
                "; ".join(item.notes) or ("No problems" if not item.problems else ""),
            ]
        )
        for problem in item.problems:
            rows.append(
                [
                    item.name,
                    item.format,
                    "",
                    "",
                    "",
                    problem.get("row") or "",
                    problem.get("column") or "",
                    problem.get("value") or "",
                    problem.get("message") or "",
                ]
            )
        for sheet_name, columns in item.unknown_columns.items():
            rows.append(
                [
                    item.name,
                    item.format,
                    "",
                    "",
                    "",
                    "",
                    ", ".join(columns),
                    "",
                    f"Columns not in the template ({sheet_name}): kept or ignored, not checked",
                ]
            )
    _table(sheet, "DataQuality", header, rows, [30, 18, 10, 11, 12, 7, 20, 24, 60])


def _provenance(book: Workbook, data: WorkbookData) -> None:
    sheet = book.create_sheet("Provenance")
    sheet["A1"] = "Provenance"
    sheet["A1"].style = "Scrutineer heading"
    pairs: list[tuple[str, Any]] = [
        ("Audit ID", data.audit_id),
        ("Audited (UTC)", data.created_at),
        ("Audit as of", data.as_of),
        ("Scrutineer version", data.scrutineer_version),
        ("Checklist ID", data.checklist_id),
        ("Checklist version", data.checklist_version),
        ("Checklist SHA-256", data.checklist_sha256),
        ("Findings", len(data.findings)),
        ("Findings SHA-256", data.findings_sha256),
        ("Seal", data.seal),
    ]
    pairs += [(f"Library: {name}", version) for name, version in sorted(data.library_versions.items())]
    row = _pairs(sheet, pairs, start_row=3)
    sheet.column_dimensions["A"].width = 28
    sheet.column_dimensions["B"].width = 70
    header = ("Input", "SHA-256", "Format", "Rows read", "Rows stored", "Rows rejected")
    rows = [[i.name, i.sha256, i.format, i.rows_read, i.rows_stored, i.rows_rejected] for i in data.inputs]
    _table(sheet, "Inputs", header, rows, [28, 70, 18, 11, 12, 13], start_row=row + 1)
    sheet.freeze_panes = None
    note = row + len(rows) + 3
    sheet.cell(row=note, column=1, value="How to check this workbook").style = "Scrutineer label"
    sheet.cell(
        row=note,
        column=2,
        value="Run `flask verify` on this file. The Findings SHA-256 covers columns A to I "
        "of the Findings sheet; the agency may fill in Agency response and Response note.",
    ).style = "Scrutineer text"


def write(data: WorkbookData, path: Path) -> None:
    """Write the audit workbook to `path`."""
    book = Workbook()
    _styles(book)
    _summary(book, data)
    _findings(book, data)
    _checklist(book, data)
    _adverts(book, data)
    _grid(book, "Pipeline", "Pipeline", data.pipeline, "No candidate data was imported.")
    _grid(book, "Outreach", "Outreach", data.outreach, "No outreach data was imported.")
    _data_quality(book, data)
    _provenance(book, data)
    book.properties.title = f"Scrutineer audit {data.audit_id}: {data.campaign_ref}"
    book.properties.subject = (
        f"Compliance audit of campaign {data.campaign_ref} ({data.role_title or 'role not recorded'})"
    )
    book.properties.creator = "Scrutineer"
    book.properties.company = data.organisation
    book.properties.keywords = f"audit {data.audit_id}; checklist {data.checklist_id} v{data.checklist_version}"
    book.properties.description = f"Findings SHA-256 {data.findings_sha256}"
    path.parent.mkdir(parents=True, exist_ok=True)
    book.save(path)


# --- reading back ------------------------------------------------------------------------------------------


class WorkbookUnreadable(ValueError):
    """The file is not a Scrutineer workbook we can read. The message says why."""


@dataclass
class ReadBack:
    provenance: dict[str, str]
    findings: list[FindingRow]
    recomputed_sha256: str


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def read(path: Path) -> ReadBack:
    """Read the Provenance and Findings sheets of a workbook. Raises WorkbookUnreadable."""
    try:
        book = load_workbook(path, read_only=True, data_only=False)
    except Exception as error:  # openpyxl raises many types for damaged or foreign files
        raise WorkbookUnreadable(
            f"{path.name}: not an Excel workbook Scrutineer can open ({type(error).__name__})"
        ) from None
    try:
        if "Provenance" not in book.sheetnames or "Findings" not in book.sheetnames:
            raise WorkbookUnreadable(
                f"{path.name}: this is not a Scrutineer audit workbook (no Provenance or Findings sheet)"
            )
        provenance: dict[str, str] = {}
        for row in book["Provenance"].iter_rows(min_row=1, max_col=2, values_only=True):
            if row and row[0] and row[1] is not None and isinstance(row[0], str):
                provenance.setdefault(row[0], _text(row[1]))
        findings: list[FindingRow] = []
        rows = book["Findings"].iter_rows(min_row=1, values_only=True)
        header = [_text(c) for c in next(rows, ())]
        if tuple(header[: len(FINDING_COLUMNS)]) != FINDING_COLUMNS:
            raise WorkbookUnreadable(f"{path.name}: the Findings sheet's columns have been changed")
        for row in rows:
            cells = [_text(c) for c in row] + [""] * len(FINDING_COLUMNS)
            if not any(cells[:HASHED_COLUMNS]):
                continue
            if cells[0] == "None" and not any(cells[1:HASHED_COLUMNS]):
                continue
            findings.append(FindingRow(*cells[:HASHED_COLUMNS], response=cells[9] or None, note=cells[10] or None))
    finally:
        book.close()
    recomputed = findings_digest(f.cells() for f in findings)
    return ReadBack(provenance=provenance, findings=findings, recomputed_sha256=recomputed)

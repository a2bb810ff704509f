"""Writing Scrutineer's spreadsheets: named cell styles, safe cells, Excel tables, and charts with alt text.

Used by the audit workbook (`audits/workbook.py`) and the agency scorecard (`audits/scorecard.py`), so both look
and behave the same:

- Sheets are written in openpyxl's write-only mode: rows stream to disk, so memory stays flat as sheets grow.
  Small sheets are laid out cell by cell in a `Layout` and then streamed. The one sheet that grows with the
  campaign (Findings, 100,000 rows and more) is written by a `RowStream`: its rows go to disk as sheet XML
  written here, which takes a fifth of the time openpyxl's cell objects take, and are put into the sheet's part
  when the workbook is saved.
- Every value that is not a number or a date is written as text through `safe_text`: never a formula, never an
  error value, with OWASP's quote prefix on text starting with `= + - @`, a tab or a carriage return, and
  control characters replaced.
- Tables are Excel tables (a declared header row, filter buttons), never merged cells. Colour is never the only
  signal: a coloured cell always holds the word it stands for.
- Charts get a title and a description for screen readers (the drawing's `title` and `descr`, which Excel shows
  as alt text); openpyxl cannot set these, so they are added to the drawing as it is saved, with the company
  document property.
"""

from __future__ import annotations

import datetime as dt
import math
import os
import re
import shutil
import tempfile
import textwrap
import zipfile
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.compat import safe_string
from openpyxl.packaging.custom import StringProperty
from openpyxl.styles import Alignment, Border, Font, NamedStyle, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.filters import AutoFilter
from openpyxl.worksheet.table import Table, TableColumn, TableStyleInfo
from openpyxl.writer.excel import ExcelWriter

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
MAX_CELL = 32_000

STATUS_FILLS = {"Fail": "F6D7D2", "Warn": "FFF2CC", "No data": "E7E6E6", "Pass": "D9EAD3", "N/A": "F3F2F1"}
STATUS_CHART_COLOURS = {"Fail": "D4351C", "Warn": "F47738", "No data": "6F777B", "Pass": "00703C", "N/A": "B1B4B6"}
RAG_FILLS = {"Red": "D4351C", "Amber": "F47738", "Green": "00703C", "Not rated": "B1B4B6"}
RAG_TEXT = {"Red": "FFFFFF", "Amber": "0B0C0C", "Green": "FFFFFF", "Not rated": "0B0C0C"}

# Named cell styles: the workbook's look lives here, once.
TITLE = "Scrutineer title"
NOTE = "Scrutineer note"
LABEL = "Scrutineer label"
HEADER = "Scrutineer header"
TEXT = "Scrutineer text"
CODE = "Scrutineer code"
NUMBER = "Scrutineer number"
DECIMAL = "Scrutineer decimal"
SCORE = "Scrutineer score"
FIGURE = "Scrutineer figure"
PERCENT = "Scrutineer percent"
DATE = "Scrutineer date"
MONTH = "Scrutineer month"
TIME = "Scrutineer time"
INPUT = "Scrutineer response"
TOTAL = "Scrutineer total"
KINDS = {
    "text": TEXT,
    "code": CODE,
    "number": NUMBER,
    "decimal": DECIMAL,
    "ratio": DECIMAL,
    "score": SCORE,
    "percent": PERCENT,
    "date": DATE,
    "month": MONTH,
    "time": TIME,
}


def rating_style(rag: str) -> str:
    return f"Scrutineer rating {rag.lower()}" if rag in RAG_FILLS else TEXT


def status_style(status: str) -> str:
    return f"Scrutineer status {status.lower()}" if status in STATUS_FILLS else TEXT


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


def plain_text(value: object, limit: int = 250) -> str:
    """Text for document properties and alt text: control characters replaced, short, no quote prefix needed."""
    return _ILLEGAL.sub(" ", str(value or "")).replace("\r", " ").replace("\n", " ")[:limit]


@dataclass
class EvidenceTable:
    """A titled table for an evidence sheet: its header, rows, and how each column is shown.

    `kinds` gives each column's format: text, code, number, decimal, ratio, percent (a fraction, shown as %),
    date, month or time. `name` is the Excel table name (letters, digits, underscores; unique in a workbook).
    """

    title: str
    name: str
    header: list[str]
    rows: list[list[Any]]
    kinds: list[str]
    widths: list[int]
    note: str = ""
    empty: str = "No data."


# --- writing: styles, cells, tables and charts ----------------------------------------------------------------


def named_styles() -> list[NamedStyle]:
    """Every cell style a Scrutineer workbook uses, by name (Excel lists them under Cell Styles)."""
    thin = Side(style="thin", color="B1B4B6")
    top = Alignment(vertical="top", wrap_text=True)
    font = Font(name="Arial", size=11)
    styles = [
        NamedStyle(TITLE, font=Font(name="Arial", size=16, bold=True)),
        NamedStyle(NOTE, font=Font(name="Arial", size=10, color="505A5F"), alignment=Alignment(vertical="top")),
        NamedStyle(LABEL, font=Font(name="Arial", size=11, bold=True), alignment=Alignment(vertical="top")),
        NamedStyle(
            HEADER,
            font=Font(name="Arial", size=11, bold=True, color="FFFFFF"),
            fill=PatternFill("solid", fgColor="0B0C0C"),
            alignment=top,
            border=Border(bottom=thin),
        ),
        NamedStyle(TEXT, font=font, alignment=top),
        NamedStyle(CODE, font=Font(name="Courier New", size=10), alignment=Alignment(vertical="top")),
        NamedStyle(NUMBER, font=font, alignment=Alignment(vertical="top"), number_format="#,##0"),
        NamedStyle(DECIMAL, font=font, alignment=Alignment(vertical="top"), number_format="0.00"),
        NamedStyle(SCORE, font=font, alignment=Alignment(vertical="top"), number_format="0.0"),
        NamedStyle(FIGURE, font=font, alignment=Alignment(vertical="top", horizontal="left")),
        NamedStyle(PERCENT, font=font, alignment=Alignment(vertical="top"), number_format="0%"),
        NamedStyle(DATE, font=font, alignment=Alignment(vertical="top", horizontal="left"), number_format="d mmm yyyy"),
        NamedStyle(MONTH, font=font, alignment=Alignment(vertical="top", horizontal="left"), number_format="mmm yyyy"),
        NamedStyle(
            TIME, font=font, alignment=Alignment(vertical="top", horizontal="left"), number_format="d mmm yyyy hh:mm"
        ),
        NamedStyle(
            INPUT,
            font=font,
            alignment=top,
            fill=PatternFill("solid", fgColor="FFF7BF"),
            border=Border(left=thin, right=thin, top=thin, bottom=thin),
        ),
        NamedStyle(TOTAL, font=Font(name="Arial", size=11, bold=True), alignment=Alignment(vertical="top")),
    ]
    for rag, colour in RAG_FILLS.items():
        styles.append(
            NamedStyle(
                rating_style(rag),
                font=Font(name="Arial", size=12, bold=True, color=RAG_TEXT[rag]),
                fill=PatternFill("solid", fgColor=colour),
                alignment=Alignment(vertical="top"),
            )
        )
    for status, colour in STATUS_FILLS.items():
        styles.append(
            NamedStyle(status_style(status), font=font, fill=PatternFill("solid", fgColor=colour), alignment=top)
        )
    return styles


def _finite(value: object) -> bool:
    return not isinstance(value, float) or math.isfinite(value)


_ESCAPE_LIKE = re.compile(r"_(x[0-9A-Fa-f]{4}_)")


def xml_escaped(text: str) -> str:
    """Text as the sheet XML must carry it. Excel (and calamine) read `_x0041_` as an escaped character, so a
    literal `_xHHHH_` is written with its underscore escaped (`_x005F_`), and reads back as the text it was."""
    return _ESCAPE_LIKE.sub(r"_x005F_\1", text) if "_x" in text else text


def make_cell(sheet: Any, value: object, style: str = TEXT) -> WriteOnlyCell:
    """One cell for a write-only sheet. Numbers and dates stay numbers and dates; everything else is safe text."""
    if isinstance(value, bool):
        value = "Yes" if value else "No"
    if value is None or (isinstance(value, float) and not _finite(value)):
        cell = WriteOnlyCell(sheet)
    elif isinstance(value, int | float | Decimal):
        cell = WriteOnlyCell(sheet, value)
        if style == TEXT:
            style = NUMBER if isinstance(value, int) else DECIMAL
    elif isinstance(value, dt.date):
        cell = WriteOnlyCell(sheet, value)
        if style not in (DATE, MONTH, TIME):
            style = TIME if isinstance(value, dt.datetime) else DATE
    else:
        cell = WriteOnlyCell(sheet, xml_escaped(safe_text(value)))
        cell.data_type = "s"  # never a formula, never an error value such as #N/A
    cell.style = style
    return cell


def text_cell(sheet: Any, text: str, style: str) -> WriteOnlyCell:
    """A cell for text that has already been through safe_text (the hot path of the Findings sheet)."""
    cell = WriteOnlyCell(sheet, xml_escaped(text))
    cell.data_type = "s"
    cell.style = style
    return cell


class RowStream:
    """Rows of text cells for one sheet, written straight to a temporary file as the sheet's XML (`<row>`
    elements), for a sheet of many rows of one shape (the Findings sheet).

    Cells are written as openpyxl writes them (inline strings, the same named styles), so the workbook reads the
    same; the rows are put into the sheet's part, after the rows openpyxl wrote, when the workbook is saved
    (`WorkbookWriter.save`). Values must already be safe text (`safe_text`); empty ones give styled empty cells.
    """

    def __init__(self, sheet: Any, styles: Sequence[str], first_row: int) -> None:
        self.sheet = sheet
        self.row = first_row
        self.rows = 0
        styles_ids = []
        for style in styles:
            cell = WriteOnlyCell(sheet)
            cell.style = style
            styles_ids.append(cell.style_id)
        letters = [get_column_letter(column) for column in range(1, len(styles) + 1)]
        # Per column: the start of a cell up to its row number, and what follows the number.
        self._cells = [(f'<c r="{letter}', f'" s="{style}"') for letter, style in zip(letters, styles_ids, strict=True)]
        handle, self.path = tempfile.mkstemp(prefix="scrutineer-rows-", suffix=".xml")
        self._file = os.fdopen(handle, "w", encoding="utf-8", newline="")
        self._pieces: list[str] = []

    def append(self, values: Sequence[str | None], height: float | None = None) -> None:
        """The next row: one value per column."""
        number = str(self.row)
        pieces = self._pieces
        if height is None:
            pieces.append(f'<row r="{number}">')
        else:
            pieces.append(f'<row r="{number}" ht="{safe_string(height)}" customHeight="1">')
        for (start, style), value in zip(self._cells, values, strict=True):
            if not value:
                pieces.append(f"{start}{number}{style}/>")
                continue
            text = xml_escaped(value)
            if "&" in text or "<" in text or ">" in text:
                text = escape(text)
            # spaces at either end are kept only when the element says so (openpyxl says so only if the text is
            # not all spaces, and a cell of spaces then reads back empty)
            space = ' xml:space="preserve"' if text[0].isspace() or text[-1].isspace() else ""
            pieces.append(f'{start}{number}{style} t="inlineStr"><is><t{space}>{text}</t></is></c>')
        pieces.append("</row>")
        self.row += 1
        self.rows += 1
        if len(pieces) > 4096:
            self._file.write("".join(pieces))
            pieces.clear()

    def close(self) -> None:
        if not self._file.closed:
            self._file.write("".join(self._pieces))
            self._pieces.clear()
            self._file.close()

    def discard(self) -> None:
        self.close()
        Path(self.path).unlink(missing_ok=True)


_SHEET_DATA_END = b"</sheetData>"


def _splice_rows(archive: zipfile.ZipFile, sheet_xml: str, arcname: str, stream: RowStream) -> None:
    """Write the sheet part `arcname`: openpyxl's XML for the sheet, with the stream's rows at the end of its
    sheetData (openpyxl's own XML holds only the rows before them, so it is read whole)."""
    with open(sheet_xml, "rb") as handle:
        xml = handle.read()
    cut = xml.rfind(_SHEET_DATA_END)
    if cut < 0:  # an empty <sheetData/>: openpyxl wrote no row at all
        empty = xml.rfind(b"<sheetData/>")
        if empty < 0:
            raise ValueError(f"no sheetData in {arcname}")
        head, tail = xml[:empty] + b"<sheetData>", _SHEET_DATA_END + xml[empty + len(b"<sheetData/>") :]
    else:
        head, tail = xml[:cut], xml[cut:]
    stream.close()
    with archive.open(arcname, "w", force_zip64=True) as part, open(stream.path, "rb") as rows:
        part.write(head)
        shutil.copyfileobj(rows, part, 1 << 20)
        part.write(tail)


def table_name(wanted: str, taken: set[str]) -> str:
    base = re.sub(r"[^A-Za-z0-9_]", "", wanted) or "Table"
    if not base[0].isalpha():
        base = "T" + base
    name, number = base, 2
    while name.lower() in taken:
        name, number = f"{base}{number}", number + 1
    taken.add(name.lower())
    return name


def unique_headers(header: Sequence[str]) -> list[str]:
    """Excel table column names must be unique and non-empty: number any repeats."""
    seen: Counter[str] = Counter()
    result = []
    for title in header:
        text = safe_text(title).strip() or "Column"
        seen[text.lower()] += 1
        result.append(text if seen[text.lower()] == 1 else f"{text} {seen[text.lower()]}")
    return result


def make_table(name: str, header: Sequence[str], top: int, left: int, last: int) -> Table:
    """An Excel table over a block whose header row is `top`; columns named from the header (write-only mode)."""
    ref = f"{get_column_letter(left)}{top}:{get_column_letter(left + len(header) - 1)}{max(last, top + 1)}"
    table = Table(displayName=name, ref=ref)
    table.tableColumns = [TableColumn(id=index, name=title) for index, title in enumerate(header, start=1)]
    table.autoFilter = AutoFilter(ref=ref)
    table.tableStyleInfo = TableStyleInfo(name="TableStyleLight1", showRowStripes=True)
    return table


@dataclass
class ChartAltText:
    sheet: str
    title: str
    description: str


DEFAULT_WIDTH = 8.43  # Excel's default column width, in characters
LINE_HEIGHT = 14.5  # points per line of 11-point Arial
UNWRAPPED = frozenset({"Scrutineer title", "Scrutineer note", "Scrutineer label", "Scrutineer code"})


def row_height(texts: Iterable[tuple[str, float]]) -> float | None:
    """The height a row needs to show its wrapped text, or None for one line.

    Excel fits rows to wrapped text when it opens a file, but LibreOffice and PDF exports do not, so rows are given
    a height worked out from each cell's length and its column's width, erring on the generous side."""
    lines = 1
    for text, width in texts:
        if len(text) <= width * 1.25 and "\n" not in text:
            continue
        per_line = max(1, int(width * 1.25))  # Arial is narrower than the "0" that column widths count in
        lines = max(lines, sum(max(1, -(-len(part) // per_line)) for part in text.split("\n")))
    return None if lines == 1 else min(409.0, lines * LINE_HEIGHT + 2)


def append(sheet: Any, cells: Sequence[Any], row: int, height: float | None = None) -> None:
    """Append row number `row` (the next one) to a write-only sheet, with a height if it needs one. The row's
    dimension is dropped once the row is written, so streaming many rows keeps nothing per row in memory."""
    if height is None:
        sheet.append(cells)
        return
    sheet.row_dimensions[row].height = height
    sheet.append(cells)
    del sheet.row_dimensions[row]


def print_setup(sheet: Any, title_rows: str | None = None) -> None:
    """Landscape, as wide as one page, with the header rows repeated on every printed page."""
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = 9  # A4
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight = 1, 0
    if title_rows:
        sheet.print_title_rows = title_rows


class Layout:
    """A small sheet laid out cell by cell, in any order, then streamed to its write-only worksheet row by row."""

    def __init__(self, sheet: Any, table_names: set[str]) -> None:
        self.sheet = sheet
        self.table_names = table_names
        self.cells: dict[int, dict[int, tuple[object, str]]] = defaultdict(dict)
        self.tables: list[Table] = []
        self.widths: dict[int, float] = {}

    @staticmethod
    def header_rows(freeze: str | None) -> str | None:
        """The rows above a frozen pane, to repeat on printed pages ("A5" freezes rows 1 to 4)."""
        row = int(re.sub(r"[A-Z]", "", freeze)) if freeze else 1
        return f"1:{row - 1}" if row > 1 else None

    @property
    def last_row(self) -> int:
        return max(self.cells, default=0)

    def put(self, row: int, column: int, value: object, style: str = TEXT) -> None:
        self.cells[row][column] = (value, style)

    def width(self, column: int, width: float) -> None:
        self.widths[column] = max(width, self.widths.get(column, 0))

    def note(self, row: int, text: str, column: int = 1, width: int = 120) -> int:
        """Explanatory text in short unwrapped lines (one per row), so it reads across the sheet. Returns next row."""
        for line in textwrap.wrap(text, width) or [""]:
            self.put(row, column, line, NOTE)
            row += 1
        return row

    def pairs(self, row: int, pairs: Sequence[tuple[str, object]], styles: dict[str, str] | None = None) -> int:
        """Label and value pairs in two columns. Returns the next free row."""
        for label, value in pairs:
            self.put(row, 1, label, LABEL)
            number = isinstance(value, int | float | Decimal) and not isinstance(value, bool)
            self.put(row, 2, value, (styles or {}).get(label, FIGURE if number else TEXT))
            row += 1
        return row

    def table(
        self,
        name: str,
        top: int,
        left: int,
        header: Sequence[str],
        rows: Iterable[Sequence[Any]],
        kinds: Sequence[str],
        empty: str = "None.",
        row_styles: Callable[[Sequence[Any]], dict[int, str]] | None = None,
    ) -> int:
        """An Excel table with its header at (top, left). Returns the last row written."""
        header = unique_headers(header)
        for offset, title in enumerate(header):
            self.put(top, left + offset, title, HEADER)
        last = top
        for last, row in enumerate(rows, start=top + 1):
            overrides = row_styles(row) if row_styles else {}
            for offset, value in enumerate(row):
                style = overrides.get(offset) or KINDS.get(kinds[offset] if offset < len(kinds) else "text", TEXT)
                self.put(last, left + offset, value, style)
        if last == top:  # keep the header, and say why there is nothing under it
            last = top + 1
            self.put(last, left, empty, TEXT)
        self.tables.append(make_table(table_name(name, self.table_names), header, top, left, last))
        return last

    def evidence(self, top: int, left: int, table: EvidenceTable, *, titled: bool = True) -> tuple[int, int]:
        """An evidence table with its title and note above it. Returns its header row and last row."""
        row = top
        if titled:
            self.put(row, left, table.title, LABEL)
            row += 1
        if table.note:
            row = self.note(row, table.note, column=left, width=max(60, sum(table.widths) + 10))
        for offset, width in enumerate(table.widths):
            self.width(left + offset, width)
        return row, self.table(table.name, row, left, table.header, table.rows, table.kinds, table.empty)

    def flush(self, freeze: str | None = None) -> None:
        """Write everything to the sheet (widths and frozen panes first: write-only sheets need them before rows)."""
        print_setup(self.sheet, self.header_rows(freeze))
        for column, width in sorted(self.widths.items()):
            self.sheet.column_dimensions[get_column_letter(column)].width = width
        if freeze:
            self.sheet.freeze_panes = freeze
        for row in range(1, self.last_row + 1):
            cells = self.cells.get(row, {})
            values: list[WriteOnlyCell | None] = [None] * max(cells, default=0)
            for column, (value, style) in cells.items():
                values[column - 1] = make_cell(self.sheet, value, style)
            height = row_height(
                (value, self.widths.get(column, DEFAULT_WIDTH))
                for column, (value, style) in cells.items()
                if style not in UNWRAPPED and isinstance(value, str)
            )
            append(self.sheet, values, row, height)
        for table in self.tables:
            self.sheet.tables.add(table)


class _WorkbookArchive(zipfile.ZipFile):
    """The zip openpyxl writes into, adding what openpyxl cannot: alt text on charts, the company property, and
    the rows of sheets written by a `RowStream`."""

    def __init__(
        self, path: Path, alt_texts: dict[int, list[ChartAltText]], company: str, streams: dict[Any, RowStream]
    ) -> None:
        super().__init__(path, "w", zipfile.ZIP_DEFLATED, allowZip64=True)
        self.alt_texts = alt_texts
        self.company = company
        self.streams = streams

    def write(self, filename: Any, arcname: Any = None, *args: Any, **kwargs: Any) -> None:
        # openpyxl adds each write-only sheet's part from its temporary file, once the sheet is numbered
        for sheet, stream in self.streams.items():
            if arcname is not None and arcname == sheet.path[1:]:
                _splice_rows(self, filename, arcname, stream)
                return
        super().write(filename, arcname, *args, **kwargs)

    def writestr(self, zinfo_or_arcname: Any, data: Any, *args: Any, **kwargs: Any) -> None:
        name = getattr(zinfo_or_arcname, "filename", zinfo_or_arcname)
        drawing = re.fullmatch(r"xl/drawings/drawing(\d+)\.xml", str(name))
        if drawing and int(drawing.group(1)) in self.alt_texts:
            data = _with_alt_text(_as_bytes(data), self.alt_texts[int(drawing.group(1))])
        elif name == "docProps/app.xml":
            data = _app_properties(self.company)
        super().writestr(zinfo_or_arcname, data, *args, **kwargs)


def _app_properties(company: str) -> bytes:
    """docProps/app.xml with the organisation as Company (openpyxl writes no Company element)."""
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">'
        f"<Application>Scrutineer</Application><Company>{escape(plain_text(company))}</Company></Properties>"
    ).encode()


def _as_bytes(data: str | bytes) -> bytes:
    return data.encode("utf-8") if isinstance(data, str) else data


_CHART_FRAME = re.compile(rb'<((?:\w+:)?cNvPr)\b([^>]*?)\bname="Chart (\d+)"')


def _with_alt_text(xml: bytes, charts: list[ChartAltText]) -> bytes:
    """Give each chart frame in a drawing its title and description (what Excel shows as alt text)."""

    def add(match: re.Match[bytes]) -> bytes:
        index = int(match.group(3)) - 1
        if index >= len(charts):
            return match.group(0)
        title = escape(plain_text(charts[index].title), {'"': "&quot;"})
        descr = escape(plain_text(charts[index].description, 2000), {'"': "&quot;"})
        attributes = f'title="{title}" descr="{descr}" '.encode()
        return b"<" + match.group(1) + match.group(2) + attributes + b'name="Chart ' + match.group(3) + b'"'

    return _CHART_FRAME.sub(add, xml)


class WorkbookWriter:
    """A write-only workbook with Scrutineer's styles, unique table names, and charts that carry alt text."""

    def __init__(self, sheet_names: Sequence[str]) -> None:
        self.book = Workbook(write_only=True)
        for style in named_styles():
            self.book.add_named_style(style)
        self.sheets = {name: self.book.create_sheet(name) for name in sheet_names}
        self.table_names: set[str] = set()
        self.charts: list[tuple[str, ChartAltText]] = []
        self.organisation = ""
        self.streams: dict[Any, RowStream] = {}

    def layout(self, name: str) -> Layout:
        return Layout(self.sheets[name], self.table_names)

    def stream(self, name: str, styles: Sequence[str], first_row: int) -> RowStream:
        """Rows for sheet `name` from row `first_row`, written by a `RowStream` (one per sheet). The rows appended
        to the sheet through openpyxl come first in the sheet: they must be the rows above `first_row`."""
        sheet = self.sheets[name]
        stream = self.streams[sheet] = RowStream(sheet, styles, first_row)
        return stream

    def add_chart(self, sheet_name: str, chart: Any, anchor: str, title: str, description: str) -> None:
        chart.title = title
        self.sheets[sheet_name].add_chart(chart, anchor)
        self.charts.append((sheet_name, ChartAltText(sheet_name, title, description)))

    def properties(self, *, title: str, subject: str, organisation: str, keywords: str, description: str) -> None:
        properties = self.book.properties
        properties.title = plain_text(title)
        properties.subject = plain_text(subject)
        properties.creator = "Scrutineer"
        properties.lastModifiedBy = "Scrutineer"
        properties.keywords = plain_text(keywords)
        properties.description = plain_text(description, 1000)
        properties.category = "Compliance"
        self.organisation = organisation
        self.book.custom_doc_props.append(StringProperty(name="Organisation", value=plain_text(organisation) or "-"))

    def discard(self) -> None:
        """Give up on this workbook: finish the sheets already streaming to temporary files, and delete them."""
        for stream in self.streams.values():
            stream.discard()
        for sheet in self.sheets.values():
            out = getattr(getattr(sheet, "_writer", None), "out", None)
            if out is not None and not sheet.closed:
                sheet.close()
            if out is not None:
                Path(out).unlink(missing_ok=True)

    def save(self, path: Path) -> None:
        """Save, then the workbook is spent. Drawings are numbered in sheet order, one per sheet with charts."""
        numbered: dict[int, list[ChartAltText]] = {}
        order = [name for name in self.sheets if any(sheet == name for sheet, _ in self.charts)]
        for number, name in enumerate(order, start=1):
            numbered[number] = [alt for sheet, alt in self.charts if sheet == name]
        path.parent.mkdir(parents=True, exist_ok=True)
        self.book.properties.modified = dt.datetime.now(dt.UTC).replace(tzinfo=None)
        partial = path.with_name(f".{path.name}.partial")  # so a failed save never leaves half a workbook at `path`
        try:
            with _WorkbookArchive(partial, numbered, self.organisation, self.streams) as archive:
                ExcelWriter(self.book, archive).save()
            partial.replace(path)
        finally:
            partial.unlink(missing_ok=True)
            for stream in self.streams.values():
                stream.discard()

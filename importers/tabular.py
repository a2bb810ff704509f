"""Reading rows out of CSV, XLSX and legacy XLS files, safely and without loading whole files.

- The kind of file is decided from its bytes, never its name: a picture renamed `.csv` is refused as a picture.
- CSV is decoded as UTF-8 (with or without a byte-order mark) and, if that fails anywhere in the file,
  as Windows-1252, which is what Excel on Windows saves. The delimiter is found from the first lines.
- XLSX is a zip: its members are checked against `MAX_UNCOMPRESSED_BYTES` and `MAX_COMPRESSION_RATIO` before
  anything is inflated, so a zip bomb is refused without harm. XLSX and XLS are read with python-calamine.
- Header rows are found, not assumed: `find_header` looks in the first `HEADER_SEARCH_ROWS` rows for the row
  that matches the most known column names, so title rows and "Notes:" preambles above it are skipped.
"""

from __future__ import annotations

import codecs
import csv
import io
import zipfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from importers.report import (
    HEADER_SEARCH_ROWS,
    MAX_CELL_CHARS,
    MAX_COLUMNS,
    MAX_COMPRESSION_RATIO,
    MAX_FILE_BYTES,
    MAX_LINE_BYTES,
    MAX_ROWS,
    MAX_UNCOMPRESSED_BYTES,
    FileRejected,
)
from importers.values import header_key

Row = list[object]

_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "a picture (PNG)"),
    (b"\xff\xd8\xff", "a picture (JPEG)"),
    (b"GIF87a", "a picture (GIF)"),
    (b"GIF89a", "a picture (GIF)"),
    (b"%PDF-", "a PDF document"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"Rar!", "a RAR archive"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"),
    (b"MZ", "a Windows program"),
    (b"\x7fELF", "a program"),
)
_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


@dataclass(slots=True)
class Sniffed:
    """What a file is, from its first bytes."""

    kind: str  # "xlsx", "xls", "csv-or-text", "html", "json", "xml", "zip"
    encoding: str | None = None  # for text kinds
    head_text: str = ""  # the first few KiB decoded, for text kinds


def file_size_check(path: Path, name: str, limit: int = MAX_FILE_BYTES) -> int:
    size = path.stat().st_size
    if size == 0:
        raise FileRejected(name, "the file is empty: export it again and upload the new file")
    if size > limit:
        raise FileRejected(
            name,
            f"the file is {size / 1024 / 1024:.0f} MB, more than the {limit // 1024 // 1024} MB limit: "
            "split it into smaller files",
        )
    return size


def choose_encoding(path: Path) -> str:
    """utf-8-sig if every byte of the file is valid UTF-8, else cp1252 (what Excel on Windows writes)."""
    with path.open("rb") as handle:
        start = handle.read(4)
        if start.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            return "utf-16"
        handle.seek(0)
        decoder = codecs.getincrementaldecoder("utf-8")()
        try:
            while chunk := handle.read(1 << 20):
                decoder.decode(chunk)
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            return "cp1252"
    return "utf-8-sig"


def sniff(path: Path, name: str) -> Sniffed:
    """Decide what kind of file this is from its content."""
    file_size_check(path, name)
    with path.open("rb") as handle:
        head = handle.read(8192)
    for magic, description in _MAGIC:
        if head.startswith(magic):
            raise FileRejected(name, f"this is {description}, not a spreadsheet, CSV or advert file")
    if head.startswith(_OLE2):
        return Sniffed("xls")
    if head.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        try:
            with zipfile.ZipFile(path) as archive:
                names = set(archive.namelist())
        except (zipfile.BadZipFile, OSError, ValueError):
            raise FileRejected(
                name,
                "the file looks like an XLSX workbook but is damaged or cut short: "
                "save it again from Excel and upload the new file",
            ) from None
        if "xl/workbook.xml" in names:
            return Sniffed("xlsx")
        if "word/document.xml" in names:
            raise FileRejected(name, "this is a Word document: save the advert as a web page (HTML) or plain text")
        return Sniffed("zip")
    if b"\x00" in head and not head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise FileRejected(name, "this is a binary file, not a spreadsheet, CSV or advert file")
    encoding = choose_encoding(path)
    text = head.decode(encoding, errors="replace").lstrip("\ufeff")
    stripped = text.lstrip().lower()
    if stripped.startswith(("<?xml", "<source")):
        if "<html" in stripped[:2000]:
            return Sniffed("html", encoding, text)
        return Sniffed("xml", encoding, text)
    if stripped.startswith(("<!doctype html", "<html", "<head", "<body", "<meta", "<div", "<p", "<h1", "<script")):
        return Sniffed("html", encoding, text)
    if stripped.startswith(("{", "[")):
        return Sniffed("json", encoding, text)
    return Sniffed("csv-or-text", encoding, text)


def check_zip_safety(path: Path, name: str) -> None:
    """Refuse an XLSX that would inflate beyond our limits, before inflating anything."""
    try:
        with zipfile.ZipFile(path) as archive:
            total = 0
            for member in archive.infolist():
                total += member.file_size
                if (
                    member.compress_size
                    and member.file_size / member.compress_size > MAX_COMPRESSION_RATIO
                    and member.file_size > 1024 * 1024
                ):
                    raise FileRejected(
                        name,
                        f"the workbook member {member.filename!r} inflates "
                        f"{member.file_size // member.compress_size}-fold, which is how a zip "
                        "bomb is built: it was not opened",
                    )
            if total > MAX_UNCOMPRESSED_BYTES:
                raise FileRejected(
                    name,
                    f"the workbook would inflate to {total / 1024 / 1024:.0f} MB, more than the "
                    f"{MAX_UNCOMPRESSED_BYTES // 1024 // 1024} MB limit: split it into smaller files",
                )
    except zipfile.BadZipFile:
        raise FileRejected(
            name, "the XLSX workbook is damaged or cut short: save it again and upload the new file"
        ) from None


# --- sheets ------------------------------------------------------------------------------------------------


@dataclass
class Sheet:
    """One sheet of a workbook, or the one table of a CSV file. Rows come with their 1-based row numbers."""

    name: str
    rows: Iterator[tuple[int, Row]]


def _delimiter(sample: str) -> str:
    lines = [line for line in sample.splitlines()[:20] if line.strip()]
    best, best_score = ",", -1
    for candidate in (",", ";", "\t", "|"):
        counts = [line.count(candidate) for line in lines]
        if not counts:
            continue
        # the delimiter that appears most, most consistently, in the lines we have
        score = sorted(counts)[len(counts) // 2]
        if score > best_score:
            best, best_score = candidate, score
    return best


def _bounded_lines(handle: io.TextIOBase, name: str) -> Iterator[str]:
    for line in handle:
        if len(line) > MAX_LINE_BYTES:
            raise FileRejected(
                name,
                f"a line is longer than {MAX_LINE_BYTES // 1024} KB, so this is not a table "
                "Scrutineer can read: check the file is the right one",
            )
        yield line


def csv_rows(path: Path, name: str, encoding: str | None = None) -> Sheet:
    """Stream a CSV file's rows. Raises FileRejected for a file that is not a readable table."""
    encoding = encoding or choose_encoding(path)
    handle = path.open("r", encoding=encoding, errors="replace" if encoding == "cp1252" else "strict", newline="")
    sample = handle.read(64 * 1024)
    handle.seek(0)
    delimiter = _delimiter(sample)

    def generate() -> Iterator[tuple[int, Row]]:
        with handle:
            reader = csv.reader(_bounded_lines(handle, name), delimiter=delimiter)
            number = 0
            try:
                for number, row in enumerate(reader, start=1):
                    if number > MAX_ROWS:
                        raise FileRejected(
                            name, f"the file has more than {MAX_ROWS:,} rows: split it into smaller files"
                        )
                    if len(row) > MAX_COLUMNS:
                        raise FileRejected(
                            name,
                            f"row {number} has {len(row)} columns, more than the "
                            f"{MAX_COLUMNS} Scrutineer reads: check the file is the right one",
                        )
                    yield number, row
            except csv.Error as error:
                raise FileRejected(
                    name,
                    f"row {number + 1} cannot be read as CSV ({error}): check the file is a "
                    "CSV export and not cut short",
                ) from None
            except UnicodeDecodeError:
                raise FileRejected(name, "the text is not in a known encoding: save it as CSV UTF-8") from None

    return Sheet(name=Path(name).stem or name, rows=generate())


def _calamine_sheets(path: Path, name: str) -> Iterator[Sheet]:
    from python_calamine import CalamineWorkbook

    try:
        workbook = CalamineWorkbook.from_path(str(path))
    except Exception as error:  # calamine raises its own error types for damaged files
        raise FileRejected(
            name,
            f"the workbook cannot be opened ({type(error).__name__}): save it again from Excel and upload the new file",
        ) from None
    for sheet_name in workbook.sheet_names:
        yield Sheet(name=sheet_name, rows=_calamine_rows(workbook, sheet_name, name))


def _calamine_rows(workbook: object, sheet_name: str, name: str) -> Iterator[tuple[int, Row]]:
    try:
        sheet = workbook.get_sheet_by_name(sheet_name)  # type: ignore[attr-defined]
        start_row = (sheet.start or (0, 0))[0] if hasattr(sheet, "start") else 0
        if sheet.height > MAX_ROWS + start_row:
            raise FileRejected(
                name, f"sheet {sheet_name!r} has more than {MAX_ROWS:,} rows: split it into smaller files"
            )
        if sheet.width > MAX_COLUMNS:
            raise FileRejected(
                name, f"sheet {sheet_name!r} has {sheet.width} columns, more than the {MAX_COLUMNS} Scrutineer reads"
            )
        for offset, row in enumerate(sheet.iter_rows()):
            cells: Row = []
            for cell in row:
                if isinstance(cell, str) and len(cell) > MAX_CELL_CHARS:
                    raise FileRejected(
                        name,
                        f"a cell in sheet {sheet_name!r} row {start_row + offset + 1} holds more "
                        f"than {MAX_CELL_CHARS:,} characters",
                    )
                cells.append(cell)
            yield start_row + offset + 1, cells
    except FileRejected:
        raise
    except Exception as error:
        raise FileRejected(
            name,
            f"sheet {sheet_name!r} cannot be read ({type(error).__name__}): save the workbook "
            "again and upload the new file",
        ) from None


def workbook_sheets(path: Path, name: str, kind: str) -> list[Sheet]:
    """The sheets of an XLSX or XLS workbook, each streaming its rows."""
    if kind == "xlsx":
        check_zip_safety(path, name)
    return list(_calamine_sheets(path, name))


def sheets_for(path: Path, name: str, sniffed: Sniffed) -> list[Sheet]:
    if sniffed.kind in ("xlsx", "xls"):
        return workbook_sheets(path, name, sniffed.kind)
    if sniffed.kind == "csv-or-text":
        return [csv_rows(path, name, sniffed.encoding)]
    raise FileRejected(name, "this is not a spreadsheet or CSV file")


# --- header rows -------------------------------------------------------------------------------------------


def is_blank(row: Row) -> bool:
    return all(cell is None or (isinstance(cell, str) and not cell.strip()) for cell in row)


@dataclass
class Header:
    """A header row found in a sheet: where it is, the names as written, and each column's matched field."""

    row: int
    names: list[str]
    fields: list[str | None]  # canonical field per column, None for unknown columns
    unknown: list[str] = field(default_factory=list)

    def index(self, canonical: str) -> int | None:
        try:
            return self.fields.index(canonical)
        except ValueError:
            return None


def match_columns(names: Iterable[object], aliases: dict[str, str]) -> list[str | None]:
    """Map each header name to a canonical field through `aliases` (header_key -> field). Duplicates keep the first."""
    seen: set[str] = set()
    fields: list[str | None] = []
    for name in names:
        canonical = aliases.get(header_key(name))
        if canonical in seen:
            canonical = None
        if canonical:
            seen.add(canonical)
        fields.append(canonical)
    return fields


def find_header(
    rows: Iterator[tuple[int, Row]],
    aliases: dict[str, str],
    *,
    minimum: int = 2,
    required: Iterable[str] = (),
    on_skipped: Callable[[int, Row], None] | None = None,
) -> tuple[Header | None, list[tuple[int, Row]]]:
    """Look in the first HEADER_SEARCH_ROWS rows for the header row.

    Returns the header (or None) and the rows read after it so far (to be processed before the rest of `rows`).
    """
    seen: list[tuple[int, Row]] = []
    best: tuple[int, int] | None = None  # (score, index into seen)
    required = tuple(required)
    for _ in range(HEADER_SEARCH_ROWS):
        try:
            seen.append(next(rows))
        except StopIteration:
            break
    for position, (_number, row) in enumerate(seen):
        fields = match_columns(row, aliases)
        score = sum(1 for f in fields if f)
        if required and not all(r in fields for r in required):
            continue
        if score >= minimum and (best is None or score > best[0]):
            best = (score, position)
    if best is None:
        return None, seen
    position = best[1]
    number, row = seen[position]
    names = ["" if cell is None else str(cell).strip() for cell in row]
    fields = match_columns(row, aliases)
    unknown = [name for name, f in zip(names, fields, strict=True) if f is None and name]
    if on_skipped:
        for skipped_number, skipped in seen[:position]:
            on_skipped(skipped_number, skipped)
    return Header(row=number, names=names, fields=fields, unknown=unknown), seen[position + 1 :]

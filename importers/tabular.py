"""Reading rows out of CSV, XLSX and legacy XLS files, safely and without loading whole files.

- The kind of file is decided from its bytes, never its name: a picture renamed `.csv` is refused as a picture.
- CSV is streamed. It is decoded as UTF-8 (with or without a byte-order mark); if a byte that is not UTF-8 turns
  up, the rest of the file is read as Windows-1252, which is what Excel on Windows saves (formats.md §0). Files
  from Excel are either pure ASCII up to that byte or Windows-1252 throughout, so nothing is decoded twice and no
  separate pass over the file is needed. Old Mac line endings (a bare CR) are understood. The delimiter is found
  from the first lines. A line longer than `MAX_LINE_BYTES` refuses the file without reading the line into memory.
- XLSX is a zip: before anything is parsed, each member's declared size is checked against
  `MAX_UNCOMPRESSED_BYTES` and `MAX_COMPRESSION_RATIO`, and then each member is inflated once, in bounded chunks,
  to prove it is no bigger than it claims (a zip bomb can lie in its headers). XLSX and XLS are read with
  python-calamine, which is several times faster than openpyxl (see bench/bench_import.py) and does not expand XML
  entities. It holds a sheet's whole grid in memory, sized by the furthest cell: one cell at XFD1048576 in a
  tiny file makes it ask for hundreds of GB and abort the process. So workbooks are read only in a child process
  with a memory and time limit (`MAX_WORKBOOK_MEMORY`, `MAX_WORKBOOK_SECONDS`), which reports each sheet's size
  and writes its rows to a temporary file that this process reads them from. A child that fails, or a sheet
  larger than `MAX_SHEET_CELLS`, refuses the file; this process never parses a workbook itself.
- Header rows are found, not assumed: `find_header` looks in the first `HEADER_SEARCH_ROWS` rows for the row
  that matches the most known column names, so title rows and "Notes:" preambles above it are skipped.
"""

from __future__ import annotations

import codecs
import csv
import errno
import functools
import io
import itertools
import json
import os
import pickle
import struct
import subprocess
import sys
import tempfile
import weakref
import zipfile
import zlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from importers.report import (
    HEADER_SEARCH_ROWS,
    MAX_CELL_CHARS,
    MAX_COLUMNS,
    MAX_COMPRESSION_RATIO,
    MAX_DOCUMENT_BYTES,
    MAX_FILE_BYTES,
    MAX_LINE_BYTES,
    MAX_ROWS,
    MAX_SHEET_CELLS,
    MAX_UNCOMPRESSED_BYTES,
    MAX_WORKBOOK_BYTES,
    MAX_WORKBOOK_MEMORY,
    MAX_WORKBOOK_SECONDS,
    FileRejected,
)
from importers.values import header_key

Row = list[object]

_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "a picture (PNG)"),
    (b"\xff\xd8\xff", "a picture (JPEG)"),
    (b"GIF87a", "a picture (GIF)"),
    (b"GIF89a", "a picture (GIF)"),
    (b"II*\x00", "a picture (TIFF)"),
    (b"MM\x00*", "a picture (TIFF)"),
    (b"\x00\x00\x01\x00", "a picture (icon)"),
    (b"%PDF-", "a PDF document"),
    (b"{\\rtf", "a Rich Text document"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"BZh", "a bzip2 archive"),
    (b"\xfd7zXZ\x00", "an xz archive"),
    (b"Rar!", "a RAR archive"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"),
    (b"MZ", "a Windows program"),
    (b"\x7fELF", "a program"),
    (b"ID3", "an audio file"),
    (b"OggS", "an audio or video file"),
    (b"SQLite format 3\x00", "a database file"),
)
_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def _container_magic(head: bytes) -> str | None:
    """Formats recognised by bytes further in than the first few."""
    if head[:4] == b"RIFF" and head[8:12] in (b"WEBP", b"WAVE", b"AVI "):
        return {b"WEBP": "a picture (WebP)", b"WAVE": "an audio file", b"AVI ": "a video file"}[head[8:12]]
    if head[4:8] == b"ftyp":
        brand = head[8:12]
        return "a picture (HEIC/AVIF)" if brand in (b"heic", b"heix", b"mif1", b"avif") else "a video file"
    if head[:2] == b"BM" and len(head) > 10 and head[6:10] == b"\x00\x00\x00\x00":
        return "a picture (BMP)"
    return None


@dataclass(slots=True)
class Sniffed:
    """What a file is, from its first bytes."""

    kind: str  # "xlsx", "xls", "csv-or-text", "html", "json", "xml", "zip"
    encoding: str | None = None  # for text kinds: what the first bytes decode as
    head_text: str = ""  # the first few KiB decoded, for text kinds
    # Workbook sheets already loaded while detecting the format, so parsing does not load them again.
    loaded: dict[str, Any] = field(default_factory=dict)


def file_size_check(path: Path, name: str, limit: int = MAX_FILE_BYTES, what: str = "file") -> int:
    size = path.stat().st_size
    if size == 0:
        raise FileRejected(name, "the file is empty: export it again and upload the new file")
    if size > limit:
        raise FileRejected(
            name,
            f"the {what} is {size / 1024 / 1024:.0f} MB, more than the {limit // 1024 // 1024} MB limit: "
            + (
                "save large tables as CSV, or split it into smaller files"
                if what == "workbook"
                else "split it into smaller files"
            ),
        )
    return size


def head_encoding(head: bytes) -> str:
    """The encoding the first bytes suggest: UTF-16 by its byte-order mark, UTF-8 if they decode, else cp1252."""
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    try:
        codecs.getincrementaldecoder("utf-8")().decode(head, final=False)
    except UnicodeDecodeError:
        return "cp1252"
    return "utf-8-sig"


def choose_encoding(path: Path) -> str:
    """utf-8-sig if every byte of the file is valid UTF-8, else cp1252 (for whole documents read at once)."""
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


def decode_document(data: bytes) -> str:
    """A whole small document's bytes as text: UTF-8 (BOM or not), UTF-16 by its BOM, else Windows-1252."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16", errors="replace")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def sniff(path: Path, name: str) -> Sniffed:
    """Decide what kind of file this is from its content."""
    file_size_check(path, name)
    with path.open("rb") as handle:
        head = handle.read(8192)
    for magic, description in _MAGIC:
        if head.startswith(magic):
            raise FileRejected(name, f"this is {description}, not a spreadsheet, CSV or advert file")
    container = _container_magic(head)
    if container:
        raise FileRejected(name, f"this is {container}, not a spreadsheet, CSV or advert file")
    if head.startswith(_OLE2):
        file_size_check(path, name, MAX_WORKBOOK_BYTES, "workbook")
        return Sniffed("xls")
    if head.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        try:
            with zipfile.ZipFile(path) as archive:
                names = set(archive.namelist())
                mimetype = archive.read("mimetype")[:100] if "mimetype" in names else b""
        except (zipfile.BadZipFile, OSError, ValueError, KeyError, NotImplementedError, EOFError, zlib.error):
            raise FileRejected(
                name,
                "the file looks like an XLSX workbook but is damaged or cut short: "
                "save it again from Excel and upload the new file",
            ) from None
        if "xl/workbook.xml" in names:
            file_size_check(path, name, MAX_WORKBOOK_BYTES, "workbook")
            return Sniffed("xlsx")
        if "word/document.xml" in names:
            raise FileRejected(name, "this is a Word document: save the advert as a web page (HTML) or plain text")
        if "ppt/presentation.xml" in names:
            raise FileRejected(name, "this is a PowerPoint presentation, not a spreadsheet, CSV or advert file")
        if mimetype.startswith(b"application/vnd.oasis.opendocument"):
            raise FileRejected(name, "this is an OpenDocument file: save it as XLSX or CSV and upload that")
        return Sniffed("zip")
    if b"\x00" in head and not head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise FileRejected(name, "this is a binary file, not a spreadsheet, CSV or advert file")
    encoding = head_encoding(head)
    text = head.decode("utf-16" if encoding == "utf-16" else encoding, errors="replace").lstrip("\ufeff")
    stripped = text.lstrip().lower()
    if stripped.startswith("<svg") or ("<svg" in stripped[:400] and stripped.startswith("<?xml")):
        raise FileRejected(name, "this is a picture (SVG), not a spreadsheet, CSV or advert file")
    if stripped.startswith(("<?xml", "<source", "<!doctype source")):
        if "<html" in stripped[:2000]:
            file_size_check(path, name, MAX_DOCUMENT_BYTES, "page")
            return Sniffed("html", encoding, text)
        return Sniffed("xml", encoding, text)
    if stripped.startswith(("<!doctype html", "<html", "<head", "<body", "<meta", "<div", "<p", "<h1", "<script")):
        file_size_check(path, name, MAX_DOCUMENT_BYTES, "page")
        return Sniffed("html", encoding, text)
    if stripped.startswith(("{", "[")):
        file_size_check(path, name, MAX_DOCUMENT_BYTES, "JSON file")
        return Sniffed("json", encoding, text)
    return Sniffed("csv-or-text", encoding, text)


# --- zip bombs ---------------------------------------------------------------------------------------------

_LOCAL_HEADER = struct.Struct("<4s5H3L2H")
_INFLATE_CHUNK = 1 << 20


def _bomb(name: str, member: str, detail: str) -> FileRejected:
    return FileRejected(
        name, f"the workbook member {member!r} {detail}, which is how a zip bomb is built: it was not opened"
    )


def _inflated_size(handle: Any, member: zipfile.ZipInfo, name: str, budget: int) -> int:
    """Inflate one member in bounded chunks, throwing the output away, and return how big it really is."""
    handle.seek(member.header_offset)
    header = handle.read(_LOCAL_HEADER.size)
    if len(header) != _LOCAL_HEADER.size or header[:4] != b"PK\x03\x04":
        raise FileRejected(name, "the XLSX workbook is damaged: save it again and upload the new file")
    fields = _LOCAL_HEADER.unpack(header)
    handle.seek(fields[-2] + fields[-1], io.SEEK_CUR)  # file name and extra field
    left = member.compress_size
    if member.compress_type == zipfile.ZIP_STORED:
        return member.compress_size
    if member.compress_type != zipfile.ZIP_DEFLATED:
        raise FileRejected(name, f"the workbook member {member.filename!r} uses a compression Excel does not write")
    inflater = zlib.decompressobj(-15)
    size = 0
    limit = min(budget, member.file_size)
    try:
        while left > 0:
            chunk = handle.read(min(left, _INFLATE_CHUNK))
            if not chunk:
                break
            left -= len(chunk)
            data = inflater.decompress(chunk, _INFLATE_CHUNK)
            while True:
                size += len(data)
                if size > limit:
                    if size > member.file_size:
                        raise _bomb(name, member.filename, "inflates to more than its header declares")
                    raise FileRejected(
                        name,
                        f"the workbook would inflate to more than the {MAX_UNCOMPRESSED_BYTES // 1024 // 1024} MB "
                        "limit: save large tables as CSV, or split the workbook",
                    )
                if not inflater.unconsumed_tail:
                    break
                data = inflater.decompress(inflater.unconsumed_tail, _INFLATE_CHUNK)
    except zlib.error:
        raise FileRejected(name, "the XLSX workbook is damaged or cut short: save it again and upload it") from None
    return size


def check_zip_safety(path: Path, name: str) -> None:
    """Refuse an XLSX that would inflate beyond our limits: first by its headers, then by inflating it once."""
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
            if len(members) > 10_000:
                raise FileRejected(name, f"the workbook holds {len(members):,} files, which no real workbook does")
            total = 0
            for member in members:
                total += member.file_size
                if (
                    member.compress_size
                    and member.file_size / member.compress_size > MAX_COMPRESSION_RATIO
                    and member.file_size > 1024 * 1024
                ):
                    raise _bomb(name, member.filename, f"inflates {member.file_size // member.compress_size}-fold")
            if total > MAX_UNCOMPRESSED_BYTES:
                raise FileRejected(
                    name,
                    f"the workbook would inflate to {total / 1024 / 1024:.0f} MB, more than the "
                    f"{MAX_UNCOMPRESSED_BYTES // 1024 // 1024} MB limit: save large tables as CSV, or split it",
                )
        budget = MAX_UNCOMPRESSED_BYTES
        with path.open("rb") as handle:
            for member in members:
                budget -= _inflated_size(handle, member, name, budget)
    except (zipfile.BadZipFile, EOFError, OSError, NotImplementedError, ValueError):
        raise FileRejected(
            name, "the XLSX workbook is damaged or cut short: save it again and upload the new file"
        ) from None


# The most of a workbook's directory parts (its package relationships and workbook.xml) read to learn its sheet
# names. Those parts hold one line per sheet and defined name: a few KB in any real workbook.
MAX_DIRECTORY_PART_BYTES = 1024 * 1024
_OFFICE_DOCUMENT = "/officeDocument"


def xlsx_sheet_names(path: Path) -> list[str]:
    """The names of an XLSX workbook's sheets, in order, read from its workbook part alone.

    For a quick look in the web process, before the workbook is read in a child under limits: no sheet, no shared
    strings table and no styles are opened, and each part read is capped at MAX_DIRECTORY_PART_BYTES and parsed
    with defusedxml. Raises ValueError when the file is not a workbook this can read.
    """
    import defusedxml.ElementTree as safe_xml

    def part(archive: zipfile.ZipFile, member: str) -> bytes:
        with archive.open(member) as handle:  # KeyError when missing; read past the cap only by one byte
            data = handle.read(MAX_DIRECTORY_PART_BYTES + 1)
        if len(data) > MAX_DIRECTORY_PART_BYTES:
            raise ValueError(f"{member} is larger than any real workbook's")
        return data

    def local(tag: str) -> str:
        return tag.rsplit("}", 1)[-1]

    try:
        with zipfile.ZipFile(path) as archive:
            target = "xl/workbook.xml"
            if "_rels/.rels" in archive.namelist():
                for element in safe_xml.fromstring(part(archive, "_rels/.rels")).iter():
                    if local(element.tag) == "Relationship" and element.get("Type", "").endswith(_OFFICE_DOCUMENT):
                        target = element.get("Target", target).lstrip("/")
                        break
            root = safe_xml.fromstring(part(archive, target))
    # RuntimeError: zipfile's answer to a member marked as encrypted
    except (zipfile.BadZipFile, KeyError, OSError, EOFError, NotImplementedError, RuntimeError, zlib.error) as error:
        raise ValueError(f"not a readable workbook ({type(error).__name__})") from None
    except safe_xml.ParseError as error:
        raise ValueError(f"its workbook part is not well-formed XML ({error})") from None
    return [
        str(element.get("name"))
        for element in root.iter()
        if local(element.tag) == "sheet" and element.get("name") is not None
    ]


# --- sheets ------------------------------------------------------------------------------------------------


@dataclass
class Sheet:
    """One sheet of a workbook, or the one table of a CSV file. Rows come with their 1-based row numbers."""

    name: str
    rows: Iterator[tuple[int, Row]]
    first_column: int = 0  # of a workbook's sheet: how many empty columns come before the cells each row holds


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


_READ_CHUNK = 256 * 1024  # smaller than MAX_LINE_BYTES, so an over-long line always spans several chunks


def text_lines(
    path: Path,
    name: str,
    encoding: str | None = None,
    on_fallback: Callable[[], None] | None = None,
    end: dict[str, str] | None = None,
) -> Iterator[str]:
    """The lines of a text file, with their line endings, decoded as the module docstring says.

    Lines end at LF, CRLF or a bare CR, as `open(newline="")` splits them, so csv can tell a line break inside a
    quoted cell from the end of a record. A line longer than MAX_LINE_BYTES refuses the file. When the file is read
    to its end, `end["tail"]` is its last line if that has no line break (a file cut short), else "".

    The file is decoded in pieces of whole lines, and each piece split into lines by StringIO; chaining them in C
    keeps Python out of the per-line path (a tracker can have a million lines).
    """
    pieces = _text_pieces(path, name, encoding, on_fallback, end)
    return itertools.chain.from_iterable(map(functools.partial(io.StringIO, newline=""), pieces))


def _text_pieces(
    path: Path,
    name: str,
    encoding: str | None,
    on_fallback: Callable[[], None] | None,
    end: dict[str, str] | None,
) -> Iterator[str]:
    """The decoded text of a file in pieces that end at a line break (the last piece may not)."""
    if encoding == "utf-16":
        decoder = codecs.getincrementaldecoder("utf-16")(errors="replace")
    elif encoding == "cp1252":
        decoder = codecs.getincrementaldecoder("cp1252")(errors="replace")
    else:
        decoder = codecs.getincrementaldecoder("utf-8-sig")()
    fallen_back = encoding in ("cp1252", "utf-16")
    if encoding == "cp1252" and on_fallback:
        on_fallback()  # the first bytes already showed it
    carry = ""
    with path.open("rb") as handle:
        while True:
            chunk = handle.read(_READ_CHUNK)
            final = not chunk
            try:
                text = decoder.decode(chunk, final)
            except UnicodeDecodeError:
                # Not UTF-8 after all: bytes held back for an incomplete sequence are re-read as cp1252 too.
                pending = decoder.getstate()[0]
                decoder = codecs.getincrementaldecoder("cp1252")(errors="replace")
                text = decoder.decode(pending + chunk, final)
                if not fallen_back and on_fallback:
                    on_fallback()
                fallen_back = True
            if carry:
                text = carry + text
            if final:
                if end is not None:
                    last_break = max(text.rfind("\n"), text.rfind("\r"))
                    end["tail"] = "" if last_break == len(text) - 1 else text[last_break + 1 :]
                if text:
                    yield text
                return
            # A CR at the very end may be the first half of a CRLF: cut before it, and keep it for the next chunk.
            stop = len(text) - 1 if text.endswith("\r") else len(text)
            cut = max(text.rfind("\n", 0, stop), text.rfind("\r", 0, stop))
            if cut < 0:
                carry = text
            else:
                carry = text[cut + 1 :]
                yield text[: cut + 1]
            if len(carry) > MAX_LINE_BYTES:
                raise FileRejected(
                    name,
                    f"a line is longer than {MAX_LINE_BYTES // 1024} KB, so this is not a table "
                    "Scrutineer can read: check the file is the right one",
                )


def csv_rows(
    path: Path,
    name: str,
    encoding: str | None = None,
    on_fallback: Callable[[], None] | None = None,
    on_truncated: Callable[[int], None] | None = None,
) -> Sheet:
    """Stream a CSV file's rows. Raises FileRejected for a file that is not a readable table.

    A last row that the file ends in the middle of (an upload cut at a size limit: no final line break, and fewer
    cells than the rows above or an open quote) is not given as a row: `on_truncated` is told its number.
    """
    with path.open("rb") as handle:
        sample_bytes = handle.read(64 * 1024)
    sample = sample_bytes.decode("utf-16" if encoding == "utf-16" else "utf-8", errors="replace")
    delimiter = _delimiter(sample.lstrip("\ufeff"))

    def generate() -> Iterator[tuple[int, Row]]:
        end: dict[str, str] = {}
        reader = csv.reader(text_lines(path, name, encoding, on_fallback, end), delimiter=delimiter)
        number = 0
        width = 0
        held: tuple[int, Row] | None = None  # one row of lookahead, to tell a cut-short last row
        try:
            for number, row in enumerate(reader, start=1):
                if len(row) > MAX_COLUMNS:
                    raise FileRejected(
                        name,
                        f"row {number} has {len(row)} columns, more than the "
                        f"{MAX_COLUMNS} Scrutineer reads: check the file is the right one",
                    )
                if number > MAX_ROWS:
                    raise FileRejected(name, f"the file has more than {MAX_ROWS:,} rows: split it into smaller files")
                if number <= 20 and len(row) > width:
                    width = len(row)
                if held is not None:
                    yield held
                held = (number, row)
        except csv.Error as error:
            raise FileRejected(
                name,
                f"row {number + 1} cannot be read as CSV ({error}): check the file is a CSV export and not cut short",
            ) from None
        if held is None:
            return
        held_number, row = held
        tail = end.get("tail", "")
        # Cut short: no final line break, and fewer cells than the rows above, or a quote left open (an odd count
        # on the last line, or a cell spanning lines whose last line closes nothing).
        open_quote = tail.count('"') % 2 == 1 or (
            '"' not in tail and any(isinstance(c, str) and ("\n" in c or "\r" in c) for c in row)
        )
        cut_short = bool(tail) and ((len(row) < width and any(row)) or open_quote)
        if cut_short and held_number > 1:
            if on_truncated:
                on_truncated(held_number)
            return
        yield held

    return Sheet(name=Path(name).stem or name, rows=generate())


# The child that opens a workbook: under a memory limit it loads each sheet with calamine, checks its size, and
# writes its rows to a file as length-prefixed pickles of up to 5,000 (row number, cells) pairs, a sheet's last
# batch followed by a zero length. On stdout it reports, as JSON, each sheet's name, size and where its rows start
# in that file, or why a sheet could not be read. It stops at the first sheet over a limit: the parent refuses the
# file from the sizes, so nothing past the limit is ever written. If the rows cannot be written (no room in the
# temporary folder), it says so and exits with status 3: the server's fault, which is not blamed on the file.
_READ_SHEETS = """
import json, pickle, struct, sys
try:
    import resource
    limit = int(sys.argv[3])
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
except (ImportError, ValueError, OSError):
    pass
from python_calamine import CalamineWorkbook
max_rows, max_columns, max_cells, batch_rows = (int(value) for value in sys.argv[4:8])
book = CalamineWorkbook.from_path(sys.argv[1])
sheets = []
class NoRoom(Exception):
    pass
def put(out, batch):
    data = pickle.dumps(batch, protocol=pickle.HIGHEST_PROTOCOL) if batch is not None else b""
    try:
        out.write(struct.pack("<Q", len(data)))
        out.write(data)
    except OSError as error:
        raise NoRoom(error.strerror or str(error)) from None
try:
    with open(sys.argv[2], "wb") as out:
        for name in book.sheet_names:
            try:
                sheet = book.get_sheet_by_name(name)
                left = (sheet.start or (0, 0))[1]
                entry = {"name": name, "rows": sheet.height, "columns": sheet.width, "offset": out.tell(), "left": left}
                sheets.append(entry)
                if sheet.height > max_rows or sheet.width > max_columns or sheet.height * sheet.width > max_cells:
                    break
                number = (sheet.start or (0, 0))[0]
                batch = []
                for cells in sheet.iter_rows():
                    number += 1
                    batch.append((number, cells))
                    if len(batch) >= batch_rows:
                        put(out, batch)
                        batch = []
                if batch:
                    put(out, batch)
                put(out, None)
                del sheet
            except NoRoom:
                raise
            except Exception as error:
                sheets.append({"name": name, "error": type(error).__name__})
                break
except (NoRoom, OSError) as error:  # the temporary file could not be written: the server's fault, not the file's
    print(json.dumps({"no_room": str(error)}))
    sys.exit(3)
print(json.dumps(sheets))
"""
_SHEET_BATCH_ROWS = 5_000
_LENGTH = struct.Struct("<Q")


class _SheetFile:
    """The rows the child wrote, read back by any number of readers, each at its own place in the file (pread).

    The file is deleted as soon as it is open, so it goes when this object does, whatever happens to the import."""

    def __init__(self, path: Path) -> None:
        self.fd = os.open(path, os.O_RDONLY)
        path.unlink()
        self._close = weakref.finalize(self, os.close, self.fd)

    def batches(self, offset: int) -> Iterator[list[tuple[int, Row]]]:
        while True:
            length = _LENGTH.unpack(os.pread(self.fd, _LENGTH.size, offset))[0]
            if length == 0:
                return
            offset += _LENGTH.size
            data = os.pread(self.fd, length, offset)
            offset += length
            # written by our own child, into a file this process made with mkstemp (only its owner can write it)
            yield pickle.loads(data)


def _sheet_rows(rows: _SheetFile, offset: int, sheet_name: str, name: str) -> Iterator[tuple[int, Row]]:
    for batch in rows.batches(offset):
        for number, cells in batch:
            for cell in cells:
                if isinstance(cell, str) and len(cell) > MAX_CELL_CHARS:
                    raise FileRejected(
                        name,
                        f"a cell in sheet {sheet_name!r} row {number} holds more than {MAX_CELL_CHARS:,} characters",
                    )
            yield number, cells


@dataclass(slots=True)
class _ReadSheets:
    """A workbook read by the child: each sheet's name, where its rows start in the file of rows, and its first
    column (counted from 0: rows hold the cells from there on)."""

    sheets: list[tuple[str, int, int]]
    rows: _SheetFile


def read_workbook_in_child(path: Path, name: str) -> _ReadSheets:
    """Read the workbook in a child process under MAX_WORKBOOK_MEMORY and MAX_WORKBOOK_SECONDS, so that a file
    that would exhaust memory or crash the reader harms only the child; its sheets' rows come back through a
    temporary file. This process never parses the workbook itself. Raises FileRejected for a sheet over a limit,
    or a workbook the child could not read; OSError (ENOSPC) when the temporary folder has no room for the rows."""
    handle, temporary = tempfile.mkstemp(prefix="scrutineer-sheets-", suffix=".bin")
    os.close(handle)
    rows_file = Path(temporary)
    try:
        arguments = [str(path), str(rows_file), str(MAX_WORKBOOK_MEMORY)]
        arguments += [str(MAX_ROWS), str(MAX_COLUMNS), str(MAX_SHEET_CELLS), str(_SHEET_BATCH_ROWS)]
        try:
            finished = subprocess.run(
                [sys.executable, "-I", "-c", _READ_SHEETS, *arguments],
                capture_output=True,
                timeout=MAX_WORKBOOK_SECONDS,
                check=False,
            )
        except subprocess.TimeoutExpired:
            raise FileRejected(
                name,
                f"the workbook took more than {MAX_WORKBOOK_SECONDS} seconds to read: save it as CSV and upload that",
            ) from None
        try:
            sheets = json.loads(finished.stdout.decode("utf-8"))
        except ValueError:
            sheets = None
        if finished.returncode == 3 and isinstance(sheets, dict) and "no_room" in sheets:
            raise OSError(
                errno.ENOSPC,
                f"the rows of {name} could not be written to the temporary folder ({sheets['no_room']}): make room "
                "there, or point TMPDIR at a folder with room",
            )
        if finished.returncode != 0 or not isinstance(sheets, list):
            raise FileRejected(
                name,
                "the workbook cannot be opened (it is damaged, or built to exhaust memory): save it again from Excel "
                "and upload the new file",
            )
        placed = []
        for sheet in sheets:
            sheet_name = str(sheet["name"])
            if "error" in sheet:
                raise FileRejected(
                    name,
                    f"sheet {sheet_name!r} cannot be read ({sheet['error']}): save the workbook "
                    "again and upload the new file",
                )
            _check_sheet_size(name, sheet_name, int(sheet["rows"]), int(sheet["columns"]))
            placed.append((sheet_name, int(sheet["offset"]), int(sheet.get("left", 0))))
        return _ReadSheets(placed, _SheetFile(rows_file))
    finally:
        rows_file.unlink(missing_ok=True)


def _check_sheet_size(name: str, sheet_name: str, height: int, width: int) -> None:
    if height > MAX_ROWS:
        raise FileRejected(name, f"sheet {sheet_name!r} has more than {MAX_ROWS:,} rows: split it into smaller files")
    if width > MAX_COLUMNS:
        raise FileRejected(
            name, f"sheet {sheet_name!r} has {width} columns, more than the {MAX_COLUMNS} Scrutineer reads"
        )
    if height * width > MAX_SHEET_CELLS:
        raise FileRejected(
            name,
            f"sheet {sheet_name!r} spans {height:,} rows by {width:,} columns, more than the "
            f"{MAX_SHEET_CELLS:,} cells Scrutineer reads from a workbook: save it as CSV and upload that",
        )


def workbook_sheets(path: Path, name: str, kind: str, loaded: dict[str, Any] | None = None) -> list[Sheet]:
    """The sheets of an XLSX or XLS workbook, each streaming its rows. The workbook is read once per file (kept
    in `loaded`), however many times its sheets are asked for."""
    loaded = {} if loaded is None else loaded
    read = loaded.get("__read__")
    if read is None:
        if kind == "xlsx":
            check_zip_safety(path, name)
        read = loaded["__read__"] = read_workbook_in_child(path, name)
    return [
        Sheet(name=sheet_name, rows=_sheet_rows(read.rows, offset, sheet_name, name), first_column=left)
        for sheet_name, offset, left in read.sheets
    ]


def sheets_for(path: Path, name: str, sniffed: Sniffed, report: Any = None) -> list[Sheet]:
    """The sheets of a workbook, or the one table of a CSV file. `report` (an ImportReport) hears about a
    Windows-1252 file and a cut-short last row."""
    if sniffed.kind in ("xlsx", "xls"):
        return workbook_sheets(path, name, sniffed.kind, sniffed.loaded)
    if sniffed.kind == "csv-or-text":
        on_fallback = on_truncated = None
        if report is not None:

            def on_fallback() -> None:
                report.notes.append("the file is not UTF-8: it was read as Windows-1252 (what Excel on Windows saves)")

            def on_truncated(number: int) -> None:
                report.rows_read += 1
                report.reject_row(
                    number,
                    None,
                    None,
                    "the file ends in the middle of this row (it was cut short, perhaps by an upload limit): the row "
                    "was not imported; export the file again to include it",
                )

        return [csv_rows(path, name, sniffed.encoding, on_fallback, on_truncated)]
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

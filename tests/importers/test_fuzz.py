"""Property-based fuzzing of every importer: any bytes give records or a clean FileRejected, never another exception.

Three kinds of input: arbitrary bytes (through detection, and forced into each format's parser); near-valid files
(real headers of each format over random, hostile cell values); and our fixtures with bytes flipped, cut or
inserted. Example counts are modest so the suite stays fast; hypothesis keeps failing examples in .hypothesis/.
"""

from __future__ import annotations

import csv
import io
import os
import tempfile
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

import importers
from importers import FileRejected, ImportOptions
from importers.agency_template import CAMPAIGN_FIELDS, CANDIDATE_FIELDS, OUTREACH_FIELDS
from importers.linkedin_inmail import FIELDS as INMAIL_FIELDS
from importers.linkedin_jobs import FIELDS as JOBS_FIELDS
from importers.linkedin_usage import FIELDS as USAGE_FIELDS
from importers.mapping import ColumnMapping, TableMapping
from importers.postings_dataset import COLUMNS as POSTINGS_COLUMNS
from tests.importers.helpers import FIXTURES, pseudo

# SCRUTINEER_FUZZ_EXAMPLES=5000 for a long run before a release; the default keeps `make test` fast.
EXAMPLES = int(os.environ.get("SCRUTINEER_FUZZ_EXAMPLES", "40"))
FUZZ = settings(
    max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large]
)
FORMAT_NAMES = [f.name for f in importers.FORMATS]
MAPPING = ColumnMapping(
    {"candidates": TableMapping("candidates", {"Who": "candidate_ref", "Job": "campaign_ref", "Step": "stage_reached"})}
)
TRICKY = [
    "",
    " ",
    "NA",
    "N/A",
    "-",
    "1.71138E+12",
    "1713390000000",
    "31/02/2026",
    "02/31/2026",
    "2026-13-01",
    "£1e9",
    "£999999999999999999999",
    "nan",
    "inf",
    "-inf",
    "sNaN",
    "9" * 40,
    '=HYPERLINK("http://x")',
    "\x00",
    "\u2028",
    "’",
    "Long-listed",
    "Yes",
    "12.5%",
    "1,234",
    "10/06/2025 - 10/31/2025",
    "https://uk.linkedin.com/in/someone/",
]
cells = st.one_of(st.sampled_from(TRICKY), st.text(max_size=40))


@contextmanager
def temporary(data: bytes, name: str) -> Iterator[Path]:
    with tempfile.TemporaryDirectory(prefix="scrutineer-fuzz-") as folder:
        path = Path(folder) / name
        path.write_bytes(data)
        yield path


def consume(path: Path, **options: object) -> None:
    """Read a file to the end. Only FileRejected may come out."""
    try:
        report, records = importers.read(path, path.name, ImportOptions(pseudonymise=pseudo, **options))  # type: ignore[arg-type]
        for _record in records:
            pass
    except FileRejected as error:
        assert str(error).startswith(f"{path.name}: ")
        assert "\n" not in error.reason
        return
    assert report.rows_read >= 0


@FUZZ
@given(data=st.binary(max_size=4096), name=st.sampled_from(["upload.csv", "upload.xlsx", "upload.xml", "upload"]))
def test_any_bytes_are_detected_or_refused(data: bytes, name: str) -> None:
    with temporary(data, name) as path:
        consume(path)


@FUZZ
@given(data=st.binary(max_size=2048), format_name=st.sampled_from(FORMAT_NAMES))
def test_any_bytes_forced_into_each_format(data: bytes, format_name: str) -> None:
    with temporary(data, "upload.bin") as path:
        consume(path, format=format_name, mapping=MAPPING if format_name == "mapped" else None, campaign_ref="C-1")


HEADERS = {
    "template-candidates": [f.name for f in CANDIDATE_FIELDS.values()],
    "template-campaigns": [f.name for f in CAMPAIGN_FIELDS.values()],
    "template-outreach": [f.name for f in OUTREACH_FIELDS.values()],
    "linkedin-jobs": [f.aliases[0] for f in JOBS_FIELDS.values()],
    "linkedin-usage": [f.aliases[0] for f in USAGE_FIELDS.values()],
    "linkedin-inmail": [f.aliases[0] for f in INMAIL_FIELDS.values()],
    "postings": list(POSTINGS_COLUMNS),
    "mapped": ["Who", "Job", "Step"],
}


def _csv(header: list[str], rows: list[list[str]], delimiter: str) -> bytes:
    out = io.StringIO(newline="")
    writer = csv.writer(out, delimiter=delimiter)
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode("utf-8", errors="surrogatepass")


@FUZZ
@given(
    kind=st.sampled_from(sorted(HEADERS)),
    rows=st.lists(st.lists(cells, max_size=35), max_size=12),
    delimiter=st.sampled_from([",", ";", "\t"]),
    cut=st.integers(min_value=0, max_value=40),
    encoding=st.sampled_from(["utf-8", "cp1252-ish"]),
)
def test_near_valid_tables(kind: str, rows: list[list[str]], delimiter: str, cut: int, encoding: str) -> None:
    data = _csv(HEADERS[kind], rows, delimiter)
    if encoding == "cp1252-ish":
        data = data.replace("’".encode(), b"\x92")
    data = data[: len(data) - cut] if cut < len(data) else data
    with temporary(data, "table.csv") as path:
        consume(path, mapping=MAPPING if kind == "mapped" else None, campaign_ref="C-1")


@settings(max_examples=max(EXAMPLES // 2, 10), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    sheet=st.sampled_from(["Candidates", "Campaigns", "Jobs Reporting", "Metrics", "All posts", "New followers"]),
    header=st.sampled_from(sorted(HEADERS)),
    rows=st.lists(
        st.lists(st.one_of(cells, st.integers(-(2**40), 2**40), st.floats(allow_nan=True)), max_size=25), max_size=8
    ),
    title_rows=st.integers(min_value=0, max_value=3),
)
def test_near_valid_workbooks(sheet: str, header: str, rows: list[list[object]], title_rows: int) -> None:
    book = Workbook()
    worksheet = book.active
    worksheet.title = sheet
    for _ in range(title_rows):
        worksheet.append(["A title row"])
    worksheet.append(HEADERS[header])
    for row in rows:
        worksheet.append([_cell(c) for c in row])
    buffer = io.BytesIO()
    book.save(buffer)
    with temporary(buffer.getvalue(), "book.xlsx") as path:
        consume(path, campaign_ref="C-1")


def _cell(value: object) -> object:
    """What openpyxl will write: no control characters, and no formulas."""
    if not isinstance(value, str):
        return value
    value = ILLEGAL_CHARACTERS_RE.sub("", value)
    return "x" + value if value[:1] in ("=", "+", "-", "@") else value


FEED_TEXT = st.text(alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="]"), max_size=60)


@FUZZ
@given(
    elements=st.lists(
        st.tuples(
            st.sampled_from(
                ["title", "description", "partnerJobId", "salaries", "isRemote", "workplaceTypes", "listDate", "x"]
            ),
            FEED_TEXT,
        ),
        max_size=10,
    ),
    jobs=st.integers(min_value=0, max_value=3),
    cut=st.integers(min_value=0, max_value=30),
)
def test_near_valid_feeds(elements: list[tuple[str, str]], jobs: int, cut: int) -> None:
    job = "<job>" + "".join(f"<{tag}><![CDATA[{text}]]></{tag}>" for tag, text in elements) + "</job>"
    document = f'<?xml version="1.0" encoding="UTF-8"?><source>{job * jobs}</source>'.encode(errors="surrogatepass")
    data = document[: len(document) - cut] if cut < len(document) else document
    with temporary(data, "feed.xml") as path:
        consume(path, campaign_ref="C-1")


def mutated(original: bytes, position: float, operation: str, payload: bytes) -> bytes:
    """The bytes with `payload` written over them ("flip") or put between them ("insert") at `position` (0 to 1 of
    the length), or cut off there ("cut")."""
    data = bytearray(original)
    at = min(int(position * len(data)), len(data) - 1)
    if operation == "flip":
        data[at : at + len(payload)] = payload
    elif operation == "cut":
        del data[at:]
    else:
        data[at:at] = payload
    return bytes(data)


MUTABLE = sorted(
    p for p in FIXTURES.rglob("*") if p.is_file() and p.suffix in (".csv", ".xlsx", ".xls", ".xml", ".html", ".json")
)


@FUZZ
@given(
    fixture=st.sampled_from(MUTABLE),
    position=st.floats(min_value=0, max_value=1),
    operation=st.sampled_from(["flip", "cut", "insert"]),
    payload=st.binary(min_size=1, max_size=16),
)
def test_mutated_fixtures(fixture: Path, position: float, operation: str, payload: bytes) -> None:
    mapping = MAPPING if "ats" in fixture.parts else None
    with temporary(mutated(fixture.read_bytes(), position, operation, payload), fixture.name) as path:
        consume(path, campaign_ref="C-1", mapping=mapping)


def _audit_shaped(compression: int) -> bytes:
    """A small workbook with an audit workbook's sheets; stored uncompressed, flipped bytes land in its XML."""
    book = Workbook()
    book.active.title = "Provenance"
    book.create_sheet("Findings").append(["Finding ID", "Check ID"])
    buffer = io.BytesIO()
    book.save(buffer)
    rebuilt = io.BytesIO()
    with zipfile.ZipFile(buffer) as source, zipfile.ZipFile(rebuilt, "w", compression) as target:
        for info in source.infolist():
            target.writestr(info.filename, source.read(info.filename))
    return rebuilt.getvalue()


AUDIT_SHAPED = [_audit_shaped(zipfile.ZIP_STORED), _audit_shaped(zipfile.ZIP_DEFLATED)]


@FUZZ
@given(
    original=st.sampled_from(AUDIT_SHAPED),
    position=st.floats(min_value=0, max_value=1),
    operation=st.sampled_from(["flip", "cut", "insert"]),
    payload=st.binary(min_size=1, max_size=16),
)
def test_the_quick_look_at_sheet_names_takes_any_mutated_workbook(
    original: bytes, position: float, operation: str, payload: bytes
) -> None:
    """The verify page and the command line look at an upload's sheet names in their own process: whatever the
    bytes, the answer is a list of names or ValueError, and has_sheets says yes or no."""
    from audits.workbook import has_sheets
    from importers.tabular import xlsx_sheet_names

    with temporary(mutated(original, position, operation, payload), "returned.xlsx") as path:
        try:
            names = xlsx_sheet_names(path)
        except ValueError:
            names = None
        assert names is None or all(isinstance(name, str) for name in names)
        assert has_sheets(path, "Provenance", "Findings") in (True, False)

"""Importers: from the files agencies and LinkedIn produce to Scrutineer's normalised records.

`read(path, name, options)` decides the format from the file's content (never its name), and returns the
`ImportReport` it fills in and an iterator of records. Consume the iterator to import; the report's counts and
problems are complete once it is exhausted. A file that cannot be read at all raises `FileRejected`.
`read_batches` is the same, but gives large tables as `RecordBatch`es (columns of values) instead of one record
object per row: the app stores those without touching each row in Python.

Each format lives in its own module with a `detect` (how sure, 0–100) and a `parse` (stream records). `FORMATS`
lists them for `flask formats`. This package never imports Flask or the database.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path

from importers import (
    adverts,
    agency_template,
    linkedin_feed,
    linkedin_inmail,
    linkedin_jobs,
    linkedin_page,
    linkedin_usage,
    mapping,
    parallel,
    postings_dataset,
)
from importers.columns import RecordBatch, SharedPseudonyms
from importers.mapping import ColumnMapping
from importers.records import (
    AdvertRecord,
    CampaignRecord,
    CandidateRecord,
    InMailStatsRecord,
    JobStatsRecord,
    OutreachRecord,
    PageStatsRecord,
    RecruiterUsageRecord,
)
from importers.report import FileRejected, ImportReport, Problem, UnknownLayout
from importers.tabular import Row, Sniffed, sheets_for, sniff

__all__ = [
    "FORMATS",
    "FileRejected",
    "Format",
    "ImportOptions",
    "ImportReport",
    "Problem",
    "RecordBatch",
    "UnknownLayout",
    "detect_format",
    "file_sha256",
    "read",
    "read_batches",
]

Record = (
    CampaignRecord
    | CandidateRecord
    | OutreachRecord
    | AdvertRecord
    | JobStatsRecord
    | RecruiterUsageRecord
    | InMailStatsRecord
    | PageStatsRecord
)
_TABLES = ("xlsx", "xls", "csv-or-text")


def _no_pseudonym(value: str) -> str:
    raise RuntimeError("importing candidate data needs a pseudonymise function")


@dataclass
class ImportOptions:
    """What the caller tells an importer: how to pseudonymise people, and which campaign a file belongs to."""

    pseudonymise: Callable[[str], str] = _no_pseudonym
    campaign_ref: str | None = None
    format: str | None = None  # force a format by name instead of detecting it
    declared_charset: str | None = None  # the charset an HTTP response declared, for fetched pages
    source_url: str | None = None  # where a fetched page came from
    sha256: str | None = None  # the file's SHA-256 when the caller has it already
    mapping: ColumnMapping | None = None  # read the file through this column mapping
    # Read a CSV at least this big in a second process while the caller stores the records (importers.parallel);
    # None reads every file in this process.
    parallel_min_bytes: int | None = None


@dataclass
class Probe:
    """What detection looks at: the sniffed kind and, for tables, the first rows of each sheet."""

    sniffed: Sniffed
    sheets: list[tuple[str, list[Row]]] = field(default_factory=list)


@dataclass(frozen=True)
class Format:
    name: str
    label: str
    recognised_by: str
    required_columns: dict[str, list[str]]
    detect: Callable[[Probe], int]
    parse: Callable[[Path, str, Sniffed, ImportReport, ImportOptions], Iterator[Record | RecordBatch]]
    # Why a file this format recognised should be read as a layout of its own after all (through a column
    # mapping), or None: detection refuses it with that reason.
    doubt: Callable[[Probe], str | None] | None = None


def _looks_like_prose(text: str) -> bool:
    lines = [line for line in text.splitlines() if line.strip()][:40]
    if not lines:
        return False
    words = sum(len(line.split()) for line in lines) / len(lines)
    commas = [line.count(",") for line in lines]
    consistent = len(lines) > 2 and len(set(commas)) == 1 and commas[0] > 0
    return words >= 4 and not consistent


FORMATS: list[Format] = [
    Format(
        name=agency_template.FORMAT_NAME,
        label=agency_template.LABEL,
        recognised_by="XLSX sheets named Campaigns, Candidates or Outreach, or a CSV whose header row (found in the "
        "first 15 rows) has campaign_ref and the template's columns",
        required_columns=agency_template.required_columns(),
        detect=lambda probe: (
            agency_template.detect(probe.sniffed, probe.sheets)
            if probe.sniffed.kind in ("xlsx", "xls", "csv-or-text")
            else 0
        ),
        parse=lambda path, name, sniffed, report, options: agency_template.parse(
            path, name, sniffed, report, pseudonymise=options.pseudonymise
        ),
        doubt=lambda probe: agency_template.foreign_values(probe.sheets),
    ),
    Format(
        name=linkedin_jobs.FORMAT_NAME,
        label=linkedin_jobs.LABEL,
        recognised_by="a sheet named Jobs Reporting, or a header row with LinkedIn Job ID and Employer Job ID; the "
        "Overview sheet's Date range is read when present",
        required_columns=linkedin_jobs.required_columns(),
        detect=lambda probe: linkedin_jobs.detect(probe.sniffed, probe.sheets) if probe.sniffed.kind in _TABLES else 0,
        parse=linkedin_jobs.parse,
    ),
    Format(
        name=linkedin_usage.FORMAT_NAME,
        label=linkedin_usage.LABEL,
        recognised_by="a header row with InMails sent, Seat holder name or Seat id, and usage counts such as "
        "Profiles viewed",
        required_columns=linkedin_usage.required_columns(),
        detect=lambda probe: linkedin_usage.detect(probe.sniffed, probe.sheets) if probe.sniffed.kind in _TABLES else 0,
        parse=linkedin_usage.parse,
    ),
    Format(
        name=linkedin_inmail.FORMAT_NAME,
        label=linkedin_inmail.LABEL,
        recognised_by="a header row with a date or period, Sent, and Accepted, Declined or Response rate (names "
        "matched loosely, since LinkedIn does not document them)",
        required_columns=linkedin_inmail.required_columns(),
        detect=lambda probe: (
            linkedin_inmail.detect(probe.sniffed, probe.sheets) if probe.sniffed.kind in _TABLES else 0
        ),
        parse=linkedin_inmail.parse,
    ),
    Format(
        name=linkedin_page.FORMAT_NAME,
        label=linkedin_page.LABEL,
        recognised_by="an XLS or XLSX workbook with sheets named New followers, Visitor metrics, Metrics or All posts "
        "(a description row above the header is allowed)",
        required_columns=linkedin_page.required_columns(),
        detect=lambda probe: linkedin_page.detect(probe.sniffed, probe.sheets),
        parse=linkedin_page.parse,
    ),
    Format(
        name=postings_dataset.FORMAT_NAME,
        label=postings_dataset.LABEL,
        recognised_by=f"a CSV whose header row has at least {postings_dataset.MIN_COLUMNS} of the 31 postings.csv "
        "columns (job_id, title, description, listed_time, …), in any order",
        required_columns=postings_dataset.required_columns(),
        detect=lambda probe: postings_dataset.detect(probe.sniffed, probe.sheets),
        parse=postings_dataset.parse,
    ),
    Format(
        name=linkedin_feed.FORMAT_NAME,
        label=linkedin_feed.LABEL,
        recognised_by="XML whose root is <source> with <job> elements (parsed with defusedxml; a DTD is refused)",
        required_columns={"job": ["partnerJobId", "title", "description", "applyUrl", "location"]},
        detect=lambda probe: linkedin_feed.detect(probe.sniffed),
        parse=linkedin_feed.parse,
    ),
    Format(
        name=adverts.FORMAT_HTML,
        label="Job advert web page (HTML, with or without schema.org JobPosting JSON-LD)",
        recognised_by='HTML markup; a <script type="application/ld+json"> JobPosting is used when present',
        required_columns={},
        detect=lambda probe: 90 if probe.sniffed.kind == "html" else 0,
        parse=lambda path, name, sniffed, report, options: adverts.parse(path, name, sniffed, report, options),
    ),
    Format(
        name=adverts.FORMAT_JSON,
        label="schema.org JobPosting JSON (one posting, a list, or an @graph)",
        recognised_by='JSON whose objects have "@type": "JobPosting"',
        required_columns={"JobPosting": ["title", "description"]},
        detect=lambda probe: 90 if probe.sniffed.kind == "json" else 0,
        parse=lambda path, name, sniffed, report, options: adverts.parse(path, name, sniffed, report, options),
    ),
    Format(
        name=adverts.FORMAT_TEXT,
        label="Job advert as plain text",
        recognised_by="prose text (not a table): the first short line is the title",
        required_columns={},
        detect=lambda probe: (
            20 if probe.sniffed.kind == "csv-or-text" and _looks_like_prose(probe.sniffed.head_text) else 0
        ),
        parse=lambda path, name, sniffed, report, options: adverts.parse(path, name, sniffed, report, options),
    ),
]
MAPPED = Format(
    name=mapping.FORMAT_NAME,
    label=mapping.LABEL,
    recognised_by="never detected: used when a mapping is given (--mapping FILE, or one saved for the agency "
    "whose header row is the same)",
    required_columns={"candidates": ["campaign_ref (or --campaign)", "candidate_ref"]},
    detect=lambda probe: 0,
    parse=mapping.parse,
)
FORMATS.append(MAPPED)
FORMATS_BY_NAME = {f.name: f for f in FORMATS}
ADVERT_FORMATS = frozenset({adverts.FORMAT_HTML, adverts.FORMAT_JSON, adverts.FORMAT_TEXT, linkedin_feed.FORMAT_NAME})


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def _probe(path: Path, name: str, sniffed: Sniffed) -> Probe:
    probe = Probe(sniffed)
    if sniffed.kind in ("xlsx", "xls", "csv-or-text"):
        for sheet in sheets_for(path, name, sniffed):
            rows: list[Row] = []
            for _number, row in sheet.rows:
                rows.append(row)
                if len(rows) >= 15:
                    break
            probe.sheets.append((sheet.name, rows))
            close = getattr(sheet.rows, "close", None)
            if close:
                close()
    return probe


def detect_format(path: Path, name: str) -> tuple[Format, Sniffed]:
    """The format of a file, from its content. Raises FileRejected if it is none we read."""
    sniffed = sniff(path, name)
    if sniffed.kind == "zip":
        raise FileRejected(name, "this is a zip archive, not a spreadsheet: unzip it and upload the files inside")
    if sniffed.kind == "xml":
        known = [f for f in FORMATS if f.detect(Probe(sniffed)) > 0]
        if not known:
            raise FileRejected(name, "this XML file is not a format Scrutineer reads")
    probe = _probe(path, name, sniffed)
    scored = sorted(((f.detect(probe), index, f) for index, f in enumerate(FORMATS)), key=lambda t: (-t[0], t[1]))
    score, _index, best = scored[0]
    if score > 0 and best.doubt is not None:
        doubt = best.doubt(probe)
        if doubt is not None:
            raise UnknownLayout(
                name,
                f"{doubt}. If it comes from another system, import it with a column mapping, which translates its "
                f"values (`flask mapping suggest FILE` proposes one); if it is the {best.label}, correct those values",
                found=doubt,
            )
    if score <= 0:
        if sniffed.kind in ("xlsx", "xls"):
            raise UnknownLayout(
                name,
                "the workbook does not match any format Scrutineer knows: use the agency template, or import it "
                "with a column mapping (`flask mapping suggest FILE` proposes one)",
            )
        raise UnknownLayout(
            name,
            "this is not a CSV table Scrutineer knows nor an advert: use the agency template, or import it "
            "with a column mapping (`flask mapping suggest FILE` proposes one)",
        )
    return best, sniffed


def read_batches(
    path: Path, name: str, options: ImportOptions | None = None
) -> tuple[ImportReport, Iterator[Record | RecordBatch]]:
    """Start reading a file: records, and batches of records for large tables. The report fills in as they come."""
    options = options or ImportOptions()
    report = ImportReport(file=name, sha256=options.sha256 or file_sha256(path))
    if options.mapping is not None:
        chosen = MAPPED
        sniffed = sniff(path, name)
    elif options.format:
        chosen = FORMATS_BY_NAME.get(options.format)
        if chosen is None:
            raise FileRejected(name, f"there is no format called {options.format!r}: `flask formats` lists them")
        sniffed = sniff(path, name)
    else:
        chosen, sniffed = detect_format(path, name)
    report.format = chosen.name
    in_child = (
        options.parallel_min_bytes is not None
        and sniffed.kind == "csv-or-text"
        and chosen.name not in ADVERT_FORMATS
        and parallel.available()
        and path.stat().st_size >= options.parallel_min_bytes
    )
    if not in_child:
        return report, chosen.parse(path, name, sniffed, report, options)
    # The reader process leaves some batches' identifiers in clear for this one to hash: that evens out the two.
    shared = SharedPseudonyms(options.pseudonymise, *parallel.READER_HASHES)
    items = chosen.parse(path, name, sniffed, report, replace(options, pseudonymise=shared))
    return report, parallel.read_in_child(items, report, options.pseudonymise)


def _records(items: Iterator[Record | RecordBatch]) -> Iterator[Record]:
    for item in items:
        if isinstance(item, RecordBatch):
            yield from item.records()
        else:
            yield item


def read(path: Path, name: str, options: ImportOptions | None = None) -> tuple[ImportReport, Iterator[Record]]:
    """Start reading a file. The report fills in as the records are consumed."""
    report, items = read_batches(path, name, options)
    return report, _records(items)

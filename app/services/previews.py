"""Uploads before they are imported: what Scrutineer sees in each file, shown before anything is stored.

The files of one upload (a batch) are saved under SCRUTINEER_UPLOAD_DIR/pending/<organisation>/<batch>/ with a
`batch.json` that describes them. Each file is read with the importers up to PREVIEW_ROWS rows, and nothing goes
to the database: the preview keeps the detected format, how many rows were seen, the first rows of each kind of
record and the problems in those rows. When the person who uploaded them chooses Import, each file that can be
imported becomes a background import job, which reads the whole file and then deletes it. Batches nobody imports
are deleted after BATCH_LIFETIME.

A file in a table layout Scrutineer does not know is marked `needs_mapping` and kept: a column mapping reads it. When
a mapping was saved earlier for the same header row (by the same agency, when the upload says which agency it comes
from), the preview uses it at once and says so; otherwise the person matches the columns on the mapping page
(app.services.mapping_pages), which previews the file again through the mapping. The mapping a file is read with
goes to its import job.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import logging
import os
import re
import secrets
import shutil
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any, BinaryIO, Protocol

from flask import current_app
from werkzeug.utils import secure_filename

import importers
from app import jobs
from app.dao import campaigns as campaigns_dao
from app.dao import mappings as mappings_dao
from app.dao import uploads as uploads_dao
from app.models import Agency, Campaign, Job, Membership, utcnow
from app.security import pseudonymiser
from importers import FileRejected, ImportOptions, ImportReport
from importers.mapping import ColumnMapping, MappingError, TableMapping, header_candidates, header_signature
from importers.records import AdvertRecord, CampaignRecord, CandidateRecord, OutreachRecord, Salary
from importers.report import MAX_FILE_BYTES, UnknownLayout
from importers.tabular import sniff

log = logging.getLogger("scrutineer.previews")

MAX_FILES = 10
PREVIEW_ROWS = 500  # rows read from each file for its preview
SAMPLE_ROWS = 5  # rows shown of each kind of record
SAMPLE_COLUMNS = 8
MAX_SHOWN_CHARS = 80
BATCH_LIFETIME = dt.timedelta(days=1)
MANIFEST = "batch.json"
STARTED = "started"
_BATCH_ID = re.compile(r"^[0-9a-f]{24}$")
_HIDDEN_FIELDS = frozenset(
    {"candidate_key", "extra", "facts", "structured", "links", "questions", "lossy_fields", "file", "html_lang"}
)
_KIND_LABELS = {CampaignRecord: "Campaigns", CandidateRecord: "Candidates", OutreachRecord: "Outreach"}
_TABLE_KINDS = frozenset({"xlsx", "xls", "csv-or-text"})


class PreviewRefused(ValueError):
    """The upload cannot go ahead. The message says what to do."""


class IncomingFile(Protocol):
    """An uploaded file as the web framework hands it over (werkzeug's FileStorage)."""

    filename: str | None

    def save(self, dst: str | os.PathLike[str] | BinaryIO) -> None: ...


@dataclass
class Sample:
    """The first rows of one kind of record in a file."""

    kind: str
    columns: list[str]
    rows: list[list[str]]
    seen: int = 0


@dataclass
class FilePreview:
    index: int
    name: str
    stored_as: str
    size: int
    sha256: str = ""
    format: str | None = None
    format_label: str | None = None
    rows_seen: int = 0
    more_rows: bool = False
    samples: list[Sample] = field(default_factory=list)
    problems: list[dict[str, Any]] = field(default_factory=list)
    problems_not_listed: int = 0
    notes: list[str] = field(default_factory=list)
    unknown_columns: dict[str, list[str]] = field(default_factory=dict)
    error: str | None = None  # the file cannot be read at all
    needs_mapping: bool = False  # a table in a layout Scrutineer does not know: a column mapping would import it
    layout_note: str | None = None  # what showed the layout is not one Scrutineer knows, when something did
    blocked: str | None = None  # readable, but cannot be imported as it stands
    duplicate_of: dict[str, Any] | None = None  # {"upload_id", "created_at"} of the same bytes imported before
    job_id: str | None = None
    mapping: dict[str, Any] | None = None  # the column mapping (its JSON) the file is read with
    mapping_agency: str | None = None  # the agency that mapping is saved for
    mapping_note: str | None = None  # where the mapping came from, for the preview

    @property
    def importable(self) -> bool:
        return self.error is None and self.blocked is None and self.job_id is None


@dataclass
class Batch:
    id: str
    organisation_id: int
    user_id: int
    campaign_id: int | None
    campaign_ref: str | None
    created_at: str
    files: list[FilePreview]
    started: bool = False

    @property
    def importable(self) -> list[FilePreview]:
        return [f for f in self.files if f.importable]

    @property
    def job_ids(self) -> list[str]:
        return [f.job_id for f in self.files if f.job_id]

    def as_json(self) -> dict[str, Any]:
        return dataclasses.asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Batch:
        files = []
        for item in data.get("files", []):
            samples = [Sample(**s) for s in item.pop("samples", [])]
            files.append(FilePreview(samples=samples, **item))
        return cls(**{**data, "files": files})


def _root(organisation_id: int) -> Path:
    return Path(current_app.config["SCRUTINEER_UPLOAD_DIR"]) / "pending" / str(organisation_id)


def _folder(batch: Batch) -> Path:
    return _root(batch.organisation_id) / batch.id


def _save_manifest(batch: Batch) -> None:
    path = _folder(batch) / MANIFEST
    temporary = path.with_suffix(".tmp")
    temporary.write_text(json.dumps(batch.as_json(), default=str), encoding="utf-8")
    temporary.replace(path)


def discard_stale_batches(organisation_id: int, now: dt.datetime | None = None) -> int:
    """Delete the organisation's batches older than BATCH_LIFETIME. Returns how many."""
    root = _root(organisation_id)
    if not root.is_dir():
        return 0
    cutoff = (now or dt.datetime.now(dt.UTC)).timestamp() - BATCH_LIFETIME.total_seconds()
    removed = 0
    for folder in root.iterdir():
        if folder.is_dir() and _BATCH_ID.match(folder.name) and folder.stat().st_mtime < cutoff:
            shutil.rmtree(folder, ignore_errors=True)
            removed += 1
    return removed


def create_batch(membership: Membership, files: list[IncomingFile], campaign: Campaign | None) -> Batch:
    """Save uploaded files as a pending batch and preview each one. Nothing goes to the database."""
    chosen = [f for f in files if f.filename]
    if not chosen:
        raise PreviewRefused("Choose one or more files to upload")
    if len(chosen) > MAX_FILES:
        raise PreviewRefused(f"Upload {MAX_FILES} files or fewer at a time")
    discard_stale_batches(membership.organisation_id)
    batch = Batch(
        id=secrets.token_hex(12),
        organisation_id=membership.organisation_id,
        user_id=membership.user_id,
        campaign_id=campaign.id if campaign else None,
        campaign_ref=campaign.ref if campaign else None,
        created_at=utcnow().isoformat(timespec="seconds"),
        files=[],
    )
    folder = _folder(batch)
    folder.mkdir(parents=True)
    try:
        for index, incoming in enumerate(chosen, start=1):
            name = (incoming.filename or "file").replace("\\", "/").rsplit("/", 1)[-1][:300] or "file"
            stored_as = f"{index}-{secure_filename(name)[:100] or 'file'}"
            path = folder / stored_as
            incoming.save(path)
            preview = FilePreview(index=index, name=name, stored_as=stored_as, size=path.stat().st_size)
            _preview_file(preview, path, membership, campaign)
            if preview.error is not None and not preview.needs_mapping:
                path.unlink(missing_ok=True)  # nothing more will be done with it
            batch.files.append(preview)
        _save_manifest(batch)
    except BaseException:
        # A fault of the server (a full disk, a failed read): the person is asked to upload again, so the files
        # saved so far would only wait for the stale-batch sweep. They go now.
        shutil.rmtree(folder, ignore_errors=True)
        raise
    return batch


def load_batch(membership: Membership, batch_id: str) -> Batch | None:
    """A pending batch of the current user in the current organisation, or None."""
    if not _BATCH_ID.match(batch_id or ""):
        return None
    path = _root(membership.organisation_id) / batch_id / MANIFEST
    if not path.is_file():
        return None
    batch = Batch.from_json(json.loads(path.read_text(encoding="utf-8")))
    if batch.organisation_id != membership.organisation_id or batch.user_id != membership.user_id:
        return None
    return batch


def start_imports(membership: Membership, batch: Batch) -> list[Job]:
    """Import each file of the batch that can be imported, each as a background job. Only once per batch."""
    folder = _folder(batch)
    try:
        os.close(os.open(folder / STARTED, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
    except FileExistsError:
        raise PreviewRefused("These files are already being imported") from None
    if not batch.importable:
        raise PreviewRefused("None of these files can be imported: upload corrected files")
    started = []
    batch.started = True
    try:
        for preview in batch.files:
            path = folder / preview.stored_as
            if not preview.importable:
                path.unlink(missing_ok=True)
                continue
            params: dict[str, Any] = {
                "path": str(path),
                "file_name": preview.name,
                "campaign_ref": batch.campaign_ref,
                "delete_after": True,
            }
            if preview.mapping is not None:
                params["mapping"] = preview.mapping
                params["agency_name"] = preview.mapping_agency
            job = jobs.enqueue("import", membership.organisation, params, user=membership.user)
            preview.job_id = job.public_id
            started.append(job)
    finally:  # whatever happened, the batch page shows the jobs that did start
        _save_manifest(batch)
    return started


def save_batch(batch: Batch) -> None:
    """Write a batch's description back, after one of its files was previewed again."""
    _save_manifest(batch)


def file_path(batch: Batch, preview: FilePreview) -> Path:
    """Where a file of a pending batch is kept until it is imported or discarded."""
    return _folder(batch) / preview.stored_as


def discard_batch(batch: Batch) -> None:
    """Delete a batch nobody wants imported."""
    if batch.started:
        raise PreviewRefused("These files are already being imported")
    shutil.rmtree(_folder(batch), ignore_errors=True)


# --- reading a file for its preview -------------------------------------------------------------------------------


def _is_table(path: Path, name: str) -> bool:
    try:
        return sniff(path, name).kind in _TABLE_KINDS
    except FileRejected:
        return False


def _kind(record: object) -> str:
    for record_type, label in _KIND_LABELS.items():
        if isinstance(record, record_type):
            return label
    if isinstance(record, AdvertRecord):
        return "Adverts"
    words = re.sub(r"(?<!^)(?=[A-Z])", " ", type(record).__name__.removesuffix("Record"))
    return words.capitalize()


def shown(value: Any, limit: int = MAX_SHOWN_CHARS) -> str:
    """A value as a preview shows it: dates in words, yes/no, on one line, cut to `limit` characters."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, dt.datetime):
        return value.strftime("%-d %b %Y %H:%M")
    if isinstance(value, dt.date):
        return value.strftime("%-d %b %Y")
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, Salary):
        return value.text or ""
    text = " ".join(str(value).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _columns(records: list[Any]) -> list[str]:
    names = [f.name for f in dataclasses.fields(records[0]) if f.name not in _HIDDEN_FIELDS]
    if "row" in names:
        names.remove("row")
        names.insert(0, "row")
    filled = [n for n in names if any(getattr(r, n, None) not in (None, "", [], {}) for r in records)]
    return filled[:SAMPLE_COLUMNS]


def _sample(kind: str, records: list[Any], seen: int) -> Sample:
    columns = _columns(records)
    return Sample(
        kind=kind,
        columns=[name.replace("_", " ").capitalize() for name in columns],
        rows=[[shown(getattr(record, name, None)) for name in columns] for record in records],
        seen=seen,
    )


def _preview_file(
    preview: FilePreview,
    path: Path,
    membership: Membership,
    campaign: Campaign | None,
    mapping: ColumnMapping | None = None,
) -> ImportReport | None:
    """Read the start of a file into `preview`; returns the importer's report, or None if the file was not read."""
    name = preview.name
    if preview.size > MAX_FILE_BYTES:
        preview.error = (
            f"the file is {preview.size / 1024 / 1024:.0f} MB, more than the {MAX_FILE_BYTES // 1024 // 1024} MB "
            "limit: split it into smaller files"
        )
        return None
    options = ImportOptions(
        pseudonymise=pseudonymiser(), campaign_ref=campaign.ref if campaign else None, mapping=mapping
    )
    try:
        report, records = importers.read(path, name, options)
    except FileRejected as error:
        if mapping is None and _is_table(path, name):
            preview.needs_mapping = True
            if _read_with_saved_mapping(preview, path, membership, campaign):
                return None
            if isinstance(error, UnknownLayout):
                preview.layout_note = error.found
        preview.error = error.reason
        return None
    preview.sha256 = report.sha256
    preview.format = report.format
    chosen = importers.FORMATS_BY_NAME.get(report.format)
    preview.format_label = chosen.label if chosen else report.format
    by_kind: dict[str, list[Any]] = {}
    seen: dict[str, int] = {}
    file_campaigns: dict[str, str | None] = {}  # campaign ref -> agency, from the file's Campaigns rows
    referenced: dict[str, int] = {}  # campaign refs that other rows name, with how many rows
    count = 0
    try:
        for record in records:
            count += 1
            kind = _kind(record)
            seen[kind] = seen.get(kind, 0) + 1
            if len(by_kind.setdefault(kind, [])) < SAMPLE_ROWS:
                by_kind[kind].append(record)
            if isinstance(record, CampaignRecord):
                file_campaigns[record.campaign_ref] = record.agency
            elif isinstance(record, CandidateRecord | OutreachRecord):
                referenced[record.campaign_ref] = referenced.get(record.campaign_ref, 0) + 1
            if max(count, report.rows_read) >= PREVIEW_ROWS:
                preview.more_rows = True
                break
    except FileRejected as error:
        preview.error = error.reason
    except OSError:
        # The server's disk or temporary folder failed while the rows were read (the upload is already saved on it):
        # not a verdict on the file. It becomes the page for a fault of the server, which says to try again later.
        raise
    except Exception as error:  # an importer fault must not become a 500 page: say the file could not be read
        log.exception("preview of %s failed", name)
        preview.error = f"Scrutineer could not read this file ({type(error).__name__}); check it opens in Excel"
    finally:
        close = getattr(records, "close", None)
        if close:
            close()
    preview.rows_seen = max(count, report.rows_read)
    preview.samples = [_sample(kind, rows, seen[kind]) for kind, rows in by_kind.items()]
    preview.problems = [p.as_dict() for p in report.problems]
    preview.problems_not_listed = report.problems_not_listed
    preview.notes = list(report.notes)
    preview.unknown_columns = dict(report.unknown_columns)
    if preview.error is not None:
        return report
    if preview.rows_seen == 0:
        preview.blocked = "no rows were found below the header row: the file is empty"
        return report
    if report.format in importers.ADVERT_FORMATS and campaign is None:
        preview.blocked = "an advert must belong to a campaign: upload it again and choose its campaign"
        return report
    _check_campaigns(preview, membership, file_campaigns, referenced)
    earlier = uploads_dao.stored_upload_with_hash(membership.organisation_id, report.sha256)
    if earlier is not None:
        preview.duplicate_of = {"upload_id": earlier.id, "created_at": earlier.created_at.isoformat()}
        preview.notes.append(
            f"the same file was imported on {earlier.created_at:%-d %B %Y}: importing it again stores nothing new"
        )
    return report


def _check_campaigns(
    preview: FilePreview, membership: Membership, file_campaigns: dict[str, str | None], referenced: dict[str, int]
) -> None:
    """Warn about rows for campaigns that do not exist; stop a recruiter importing another agency's campaigns."""
    known = {c.ref: c for c in campaigns_dao.campaigns_for(membership.organisation_id)}
    for ref, rows in sorted(referenced.items()):
        if ref not in known and ref not in file_campaigns:
            preview.notes.append(
                f"{rows} of the rows read name campaign {ref!r}, which does not exist: they will be left out. "
                "Import the file with its Campaigns rows first"
            )
    if membership.role != "recruiter":
        return
    agency = membership.agency.name.casefold() if membership.agency else None
    others = set()
    for ref, named in file_campaigns.items():
        if named and named.casefold() != agency:
            others.add(ref)
        elif not named and (ref not in known or known[ref].agency_id != membership.agency_id):
            others.add(ref)
    others.update(ref for ref in referenced if ref in known and known[ref].agency_id != membership.agency_id)
    if others:
        preview.blocked = (
            f"this file has campaigns of other agencies ({', '.join(sorted(others)[:5])}): a recruiter can import only "
            "its own agency's campaigns. Ask an auditor to import it"
        )


# --- files in a layout Scrutineer does not know ----------------------------------------------------------------


@dataclass
class SavedMapping:
    """A column mapping saved earlier for a file's header row, and whose it is."""

    mapping: ColumnMapping
    agency: str | None
    saved_on: dt.datetime


def agency_for_mapping(membership: Membership, campaign: Campaign | None) -> Agency | None:
    """The agency a file's column mapping belongs to, when the upload says: the recruiter's own agency, else the
    agency of the campaign the upload names. None when the person mapping the file must choose."""
    if membership.role == "recruiter":
        return membership.agency
    return campaign.agency if campaign is not None else None


def saved_mapping(organisation_id: int, agency: Agency | None, path: Path, name: str) -> SavedMapping | None:
    """The mapping saved for this file's header row: the agency's own (or one kept for no agency in particular) when
    the agency is known, else the newest saved for any agency of the organisation. None if there is none."""
    if not mappings_dao.has_mappings(organisation_id):
        return None
    try:
        candidates = header_candidates(path, name)
    except FileRejected:
        return None
    signatures = {header_signature(names) for rows in candidates.values() for names in rows}
    rows = mappings_dao.mappings_with_signatures(organisation_id, signatures)  # newest first
    if agency is not None:
        rows = sorted((r for r in rows if r.agency_id in (agency.id, None)), key=lambda r: r.agency_id is None)
    if not rows:
        return None
    owner = rows[0].agency_id
    tables: dict[str, TableMapping] = {}
    for row in rows:
        if row.agency_id == owner and row.table_name not in tables:
            try:
                tables[row.table_name] = TableMapping.from_json(row.table_name, row.mapping)
            except MappingError:
                log.warning("saved column mapping %s cannot be used", row.id, exc_info=True)
    if not tables:
        return None
    return SavedMapping(ColumnMapping(tables), rows[0].agency.name if rows[0].agency else None, rows[0].created_at)


def _fresh(preview: FilePreview) -> FilePreview:
    return FilePreview(index=preview.index, name=preview.name, stored_as=preview.stored_as, size=preview.size)


def _read_with_saved_mapping(
    preview: FilePreview, path: Path, membership: Membership, campaign: Campaign | None
) -> bool:
    """Preview a file in an unknown layout through the mapping saved for its header row, if there is one that reads
    it. Returns whether one did."""
    found = saved_mapping(membership.organisation_id, agency_for_mapping(membership, campaign), path, preview.name)
    if found is None:
        return False
    attempt = _fresh(preview)
    _preview_file(attempt, path, membership, campaign, mapping=found.mapping)
    if attempt.error is not None:
        log.info("the saved mapping does not read %s: %s", preview.name, attempt.error)
        return False  # the layout changed under the same names: the person maps it again
    attempt.needs_mapping = True
    attempt.mapping = found.mapping.as_json()
    attempt.mapping_agency = found.agency
    attempt.mapping_note = (
        f"Scrutineer found the column mapping saved{' for ' + found.agency if found.agency else ''} on "
        f"{found.saved_on:%-d %B %Y} for files with these columns, and read this file with it"
    )
    for item in dataclasses.fields(attempt):
        setattr(preview, item.name, getattr(attempt, item.name))
    return True


def preview_with_mapping(
    membership: Membership, batch: Batch, preview: FilePreview, mapping: ColumnMapping, campaign: Campaign | None
) -> tuple[FilePreview, ImportReport | None]:
    """Preview a file of a batch again, read through a column mapping. The batch is not changed."""
    attempt = _fresh(preview)
    report = _preview_file(attempt, file_path(batch, preview), membership, campaign, mapping=mapping)
    attempt.needs_mapping = True
    return attempt, report

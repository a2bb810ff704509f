"""Importing a file: detect, parse, store — all of a file's accepted rows in one transaction, or none.

The importers (`importers/`) read and normalise; this service resolves campaigns and agencies, writes records in
batches (`app.bulk.BulkWriter`: executemany on SQLite, binary COPY on PostgreSQL), keeps the raw upload for the
retention period (`app.services.retention`), and records what happened on the Upload row and in the event log.

- Importing the same bytes twice stores nothing new (the SHA-256 is compared first).
- A file with the same name and format as an earlier upload for the same campaign is treated as its correction:
  the earlier upload's records are replaced, in the same transaction.
- A layout Scrutineer does not know is read through a column mapping: the one given (`--mapping FILE`, saved for
  the agency afterwards), or one saved earlier for the same header row (`app.services.mapping`).
- LinkedIn report rows are stored in their own tables: Jobs report rows are linked to the campaign whose
  reference is their Employer Job ID (or --campaign), the others to --campaign, or to no campaign when none is
  given (organisation-wide figures).
"""

from __future__ import annotations

import gc
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from itertools import compress
from pathlib import Path
from typing import Any

from flask import current_app

import importers
from app.bulk import BulkWriter
from app.dao import campaigns as campaigns_dao
from app.dao import events, transaction
from app.dao import organisations as organisations_dao
from app.dao import uploads as uploads_dao
from app.extensions import db
from app.models import (
    Advert,
    Agency,
    Campaign,
    Candidate,
    InMailStat,
    LinkedInJobStat,
    Organisation,
    Outreach,
    PageStat,
    RecruiterUsage,
    Upload,
    User,
    utcnow,
)
from app.security import pseudonymiser
from app.services import mapping as mapping_service
from app.services import recovery
from app.services.retention import RawCopy, raw_upload_path
from importers import FileRejected, ImportOptions, ImportReport, RecordBatch
from importers.fetch import Fetched
from importers.mapping import ColumnMapping
from importers.records import (
    AdvertRecord,
    CampaignRecord,
    CandidateRecord,
    InMailStatsRecord,
    JobStatsRecord,
    OutreachRecord,
    PageStatsRecord,
    PageStructure,
    RecruiterUsageRecord,
)

Progress = Callable[[str, int], None]

CAMPAIGN_FIELDS = (
    "client_organisation",
    "organisation_type",
    "nation",
    "role_title",
    "grade",
    "salary_min",
    "salary_max",
    "salary_period",
    "framework",
    "contract_ref",
    "fee_type",
    "fee_percent",
    "fee_fixed",
    "guarantee_months",
    "sla_longlist_days",
    "sla_shortlist_days",
    "brief_date",
    "advert_live_date",
    "closing_date",
    "longlist_date",
    "shortlist_date",
    "interview_date",
    "offer_date",
    "start_date",
    "commissioner_chair",
    "pay_approval_ref",
    "conflict_declaration_date",
    "longlist_justification",
)
CANDIDATE_COLUMNS = (
    "organisation_id",
    "campaign_id",
    "upload_id",
    "source_row",
    "candidate_key",
    "source",
    "stage_reached",
    "withdrawn",
    "rejection_reason",
    "first_contact_date",
    "acknowledged_date",
    "feedback_given",
    "sex",
    "ethnicity_group",
    "disability",
    "dc_opt_in",
    "meets_essential_criteria",
    "age_band",
    "identified_date",
)
OUTREACH_COLUMNS = (
    "organisation_id",
    "campaign_id",
    "upload_id",
    "source_row",
    "sent_at",
    "channel",
    "message_chars",
    "template_id",
    "privacy_notice_included",
    "responded_at",
    "response",
)


ADVERT_COLUMNS = (
    "organisation_id",
    "campaign_id",
    "upload_id",
    "position",
    "source_kind",
    "source_name",
    "url",
    "title",
    "text",
    "hiring_organisation",
    "date_posted",
    "valid_through",
    "closing_date_text",
    "employment_type",
    "location",
    "workplace_type",
    "reference",
    "salary",
    "structured",
    "questions",
    "links",
    "page",
    "html_lang",
    "lossy_fields",
    "source_row",
    "fetched_at",
    "content_sha256",
    "created_at",
)
# LinkedIn tables: the stored columns after organisation_id, campaign_id, upload_id and source_row are the record's
# fields of the same name.
JOB_STAT_FIELDS = (
    "linkedin_job_id",
    "employer_job_id",
    "job_title",
    "standardized_title",
    "posted_company",
    "company_hiring_for",
    "location",
    "country",
    "workplace_type",
    "current_status",
    "state_start",
    "state_end",
    "original_list_date",
    "days_open",
    "total_views",
    "total_apply_clicks",
    "unique_viewers",
    "unique_apply_clicks",
    "applications",
    "apply_rate",
    "completion_rate",
    "job_post_type",
    "application_method",
    "company_apply_url",
    "industry",
    "job_function",
    "ats_posting_method",
    "skills",
    "report_start",
    "report_end",
)
USAGE_FIELDS = (
    "seat_key",
    "seat_id",
    "period_start",
    "period_end",
    "profiles_viewed",
    "projects_created",
    "profiles_saved",
    "searches_saved",
    "searches_performed",
    "inmails_sent",
    "inmails_accepted",
    "inmails_declined",
)
INMAIL_FIELDS = ("seat_key", "period_start", "period_end", "sent", "accepted", "declined", "response_rate")
PAGE_FIELDS = ("kind", "date", "label", "link", "sheet", "metrics")
LINKED = ("organisation_id", "campaign_id", "upload_id", "source_row")


_GC_LOCK = threading.Lock()
_GC_USERS = 0
_GC_SAVED: tuple[int, int, int] | None = None


@contextmanager
def _import_gc() -> Iterator[None]:
    """Garbage collection tuned for a bulk import, measured to save about a tenth of the time of a large file.

    Rows, values and tuples make no reference cycles, yet each batch's survivors would trigger full collections
    that walk every object the process holds. So objects from before the import are frozen out of collection
    (gc.freeze) and young objects are collected less often, until the last concurrent import ends.
    """
    global _GC_USERS, _GC_SAVED
    with _GC_LOCK:
        if _GC_USERS == 0:
            _GC_SAVED = gc.get_threshold()
            gc.freeze()
            gc.set_threshold(50_000, _GC_SAVED[1], _GC_SAVED[2])
        _GC_USERS += 1
    try:
        yield
    finally:
        with _GC_LOCK:
            _GC_USERS -= 1
            if _GC_USERS == 0 and _GC_SAVED is not None:
                gc.set_threshold(*_GC_SAVED)
                gc.unfreeze()


class ImportRefused(Exception):
    """The import cannot go ahead (e.g. an advert with no campaign). The message says what to do."""


@dataclass
class ImportOutcome:
    report: ImportReport
    upload: Upload
    duplicate_of: Upload | None = None


def _campaign_values(record: CampaignRecord) -> dict[str, object]:
    values = {name: getattr(record, name) for name in CAMPAIGN_FIELDS}
    if values["fee_percent"] is not None:
        values["fee_percent"] = float(values["fee_percent"])  # type: ignore[arg-type]
    return values


def _cut(text: str | None, limit: int) -> str | None:
    return text if text is None or len(text) <= limit else text[:limit]


def page_value(page: PageStructure | None) -> dict[str, object] | None:
    """An advert page's structure (ACC-01) as JSON."""
    if page is None:
        return None
    return {
        "title": page.title,
        "headings": [[level, text] for level, text in page.headings],
        "images": [{"src": image.src, "alt": image.alt} for image in page.images],
        "form_fields": [{"name": f.name, "kind": f.kind, "label": f.label} for f in page.form_fields],
    }


def advert_values(record: AdvertRecord) -> dict[str, object]:
    """An advert record as Advert columns."""
    salary = None
    if record.salary is not None:
        salary = {
            "text": record.salary.text,
            "minimum": None if record.salary.minimum is None else str(record.salary.minimum),
            "maximum": None if record.salary.maximum is None else str(record.salary.maximum),
            "currency": record.salary.currency,
            "period": record.salary.period,
            "origin": record.salary.origin,
        }
    return {
        "source_kind": record.source_kind[:20],
        "source_name": record.source_name[:2000],
        "url": _cut(record.url, 2000),
        "title": record.title[:500],
        "text": record.text,
        "hiring_organisation": _cut(record.hiring_organisation, 300),
        "date_posted": record.date_posted,
        "valid_through": record.valid_through,
        "closing_date_text": record.closing_date_text,
        "employment_type": _cut(record.employment_type, 100),
        "location": _cut(record.location, 500),
        "workplace_type": _cut(record.workplace_type, 40),
        "reference": _cut(record.reference, 200),
        "salary": salary,
        "structured": record.structured,
        "questions": record.questions,
        "links": [
            {"text": link.text, "href": link.href, **({"tagged": link.tagged} if link.tagged is not None else {})}
            for link in record.links
        ],
        "page": page_value(record.page),
        "html_lang": _cut(record.html_lang, 40),
        "lossy_fields": record.lossy_fields,
        "source_row": record.row,
    }


class _Store:
    """Writes one file's records. Everything goes through the session inside the caller's transaction."""

    def __init__(
        self,
        organisation: Organisation,
        upload: Upload,
        report: ImportReport,
        campaign_ref: str | None,
        progress: Progress | None,
        fetched: Fetched | None = None,
    ) -> None:
        self.organisation = organisation
        self.fetched = fetched
        self.upload = upload
        self.report = report
        self.progress = progress
        self.refs = campaigns_dao.campaign_refs(organisation.id)
        self.default_campaign = campaign_ref
        self.default_campaign_id = self.refs.get(campaign_ref) if campaign_ref else None
        self.writers: dict[str, BulkWriter] = {}
        self.adverts = 0
        self.campaigns = 0
        self.campaign_ids: set[int] = set()
        self.unlinked_jobs: set[str] = set()
        self._next_progress = 5000

    def writer(self, kind: str) -> BulkWriter:
        # One writer streams at a time: on PostgreSQL an open COPY holds the connection until it is paused.
        for other, writer in self.writers.items():
            if other != kind:
                writer.pause()
        if kind not in self.writers:
            table, columns = {
                "candidates": (Candidate.__table__, CANDIDATE_COLUMNS),
                "outreach": (Outreach.__table__, OUTREACH_COLUMNS),
                "adverts": (Advert.__table__, ADVERT_COLUMNS),
                "linkedin_jobs": (LinkedInJobStat.__table__, LINKED + JOB_STAT_FIELDS),
                "linkedin_usage": (RecruiterUsage.__table__, LINKED + USAGE_FIELDS),
                "linkedin_inmail": (InMailStat.__table__, LINKED + INMAIL_FIELDS),
                "linkedin_page": (PageStat.__table__, LINKED + PAGE_FIELDS),
            }[kind]
            self.writers[kind] = BulkWriter(db.session, table, columns)  # type: ignore[arg-type]
        return self.writers[kind]

    # --- campaigns of rows -----------------------------------------------------------------------------------

    def campaign_id(self, ref: str, row: int | None, sheet: str | None) -> int | None:
        campaign_id = self.refs.get(ref)
        if campaign_id is None:
            self.report.reject_row(
                row,
                "campaign_ref",
                ref,
                f"there is no campaign {ref!r}: add it to the Campaigns sheet, or import the Campaigns file first",
                sheet,
            )
        return campaign_id

    def _linked(self, batch: RecordBatch, sheet: str) -> tuple[list[int], list[bool] | None]:
        """Campaign ids for a batch's rows; rows naming an unknown campaign are rejected (the mask says which)."""
        ids = list(map(self.refs.get, batch.columns["campaign_ref"]))
        if None not in ids:
            self.campaign_ids.update(set(ids))
            return ids, None  # type: ignore[return-value]
        keep = [campaign_id is not None for campaign_id in ids]
        for number, ref, ok in zip(batch.rows, batch.columns["campaign_ref"], keep, strict=True):
            if not ok:
                self.campaign_id(ref, number, batch.sheet or sheet)
        kept = [campaign_id for campaign_id in ids if campaign_id is not None]
        self.campaign_ids.update(set(kept))
        return kept, keep

    def _columns(
        self, batch: RecordBatch, ids: Sequence[int | None], keep: list[bool] | None, names: Sequence[str]
    ) -> list[Sequence[Any]]:
        count = len(ids)

        def pick(values: Sequence[Any]) -> Sequence[Any]:
            return values if keep is None else list(compress(values, keep))

        return [
            [self.organisation.id] * count,
            ids,
            [self.upload.id] * count,
            pick(batch.rows),
            *(pick(batch.column(name)) for name in names),
        ]

    # --- adding records -------------------------------------------------------------------------------------

    def add(self, item: object) -> None:
        if isinstance(item, RecordBatch):
            self._batch(item)
        elif isinstance(item, CandidateRecord | OutreachRecord):
            self._batch(RecordBatch(type(item), _as_columns(item), [item.row or 0], item.file or "", None))
        elif isinstance(item, CampaignRecord):
            self._campaign(item)
        elif isinstance(item, AdvertRecord):
            self._advert(item)
        elif isinstance(item, JobStatsRecord | RecruiterUsageRecord | InMailStatsRecord | PageStatsRecord):
            self._batch(RecordBatch(type(item), _as_columns(item), [item.row or 0], item.file or "", None))
        else:  # pragma: no cover - importers only yield the types above
            raise TypeError(f"unexpected record {type(item).__name__}")
        if self.progress and self.report.rows_read >= self._next_progress:
            self._next_progress = self.report.rows_read + 5000
            self.progress("Storing rows", self.report.rows_read)

    def _batch(self, batch: RecordBatch) -> None:
        if batch.clear:  # never stored: identifiers are hashed before a batch reaches here (importers.parallel)
            raise RuntimeError(f"identifiers in clear in {', '.join(batch.clear)}: refusing to store them")
        kind = batch.record_type
        if kind is CampaignRecord:
            for record in batch.records():
                self._campaign(record)
        elif kind is CandidateRecord:
            ids, keep = self._linked(batch, "Candidates")
            if ids:
                self.writer("candidates").add_columns(self._columns(batch, ids, keep, CANDIDATE_COLUMNS[4:]))
        elif kind is OutreachRecord:
            ids, keep = self._linked(batch, "Outreach")
            if ids:
                self.writer("outreach").add_columns(self._columns(batch, ids, keep, OUTREACH_COLUMNS[4:]))
        elif kind is JobStatsRecord:
            ids = [self._job_campaign(ref) for ref in batch.column("employer_job_id")]
            self.writer("linkedin_jobs").add_columns(self._columns(batch, ids, None, JOB_STAT_FIELDS))
        else:
            kind_name, names = {
                RecruiterUsageRecord: ("linkedin_usage", USAGE_FIELDS),
                InMailStatsRecord: ("linkedin_inmail", INMAIL_FIELDS),
                PageStatsRecord: ("linkedin_page", PAGE_FIELDS),
            }[kind]
            ids = [self.default_campaign_id] * len(batch)
            if self.default_campaign_id is not None:
                self.campaign_ids.add(self.default_campaign_id)
            self.writer(kind_name).add_columns(self._columns(batch, ids, None, names))

    def _job_campaign(self, employer_job_id: str | None) -> int | None:
        campaign_id = self.refs.get(employer_job_id) if employer_job_id else None
        if campaign_id is None:
            campaign_id = self.default_campaign_id
        if campaign_id is None:
            self.unlinked_jobs.add(employer_job_id or "(none)")
        else:
            self.campaign_ids.add(campaign_id)
        return campaign_id

    def pause(self) -> None:
        for writer in self.writers.values():
            writer.pause()

    def abandon(self) -> None:
        for writer in self.writers.values():
            writer.abandon()

    def _campaign(self, record: CampaignRecord) -> None:
        self.pause()
        campaign = campaigns_dao.campaign_by_ref(self.organisation.id, record.campaign_ref)
        if campaign is None:
            campaign = Campaign(organisation_id=self.organisation.id, ref=record.campaign_ref)
            db.session.add(campaign)
        for name, value in _campaign_values(record).items():
            setattr(campaign, name, value)
        campaign.extra = record.extra
        if record.facts:
            campaign.facts = {**(campaign.facts or {}), **record.facts}
        campaign.upload_id = self.upload.id
        campaign.source_row = record.row
        if record.agency:
            campaign.agency_id = organisations_dao.get_or_create_agency(self.organisation.id, record.agency).id
        db.session.flush()
        self.refs[campaign.ref] = campaign.id
        self.campaign_ids.add(campaign.id)
        self.campaigns += 1

    def _advert(self, record: AdvertRecord) -> None:
        campaign_id = self.default_campaign_id
        if campaign_id is None and record.source_kind == "xml-feed":
            # A feed lists many jobs: each joins the campaign whose reference is its partnerJobId.
            campaign_id = self.refs.get(record.reference or "")
            if campaign_id is None:
                self.report.reject_row(
                    record.row,
                    "partnerJobId",
                    record.reference,
                    "no campaign has this reference: import the campaign first, or give --campaign",
                )
                return
        if campaign_id is None:
            raise ImportRefused(f"{self.report.file}: an advert must belong to a campaign: give --campaign REF")
        self.campaign_ids.add(campaign_id)
        values: dict[str, Any] = {
            "organisation_id": self.organisation.id,
            "campaign_id": campaign_id,
            "upload_id": self.upload.id,
            "position": self.adverts,
            **advert_values(record),
            "fetched_at": None,
            "content_sha256": None,
            "created_at": utcnow(),
        }
        if self.fetched is not None:
            values["url"] = values["url"] or self.fetched.url
            values["fetched_at"] = self.fetched.fetched_at
            values["content_sha256"] = self.fetched.sha256
        self.writer("adverts").add(tuple(values[name] for name in ADVERT_COLUMNS))
        self.adverts += 1

    def finish(self) -> None:
        for writer in self.writers.values():
            writer.finish()
        db.session.flush()

        def written(kind: str) -> int:
            return self.writers[kind].written if kind in self.writers else 0

        counts = {
            "campaigns": self.campaigns,
            "candidates": written("candidates"),
            "outreach": written("outreach"),
            "adverts": self.adverts,
            "linkedin_jobs": written("linkedin_jobs"),
            "linkedin_usage": written("linkedin_usage"),
            "linkedin_inmail": written("linkedin_inmail"),
            "linkedin_page": written("linkedin_page"),
        }
        self.report.counts = {k: v for k, v in counts.items() if v}
        self.report.rows_stored = sum(counts.values())
        if self.unlinked_jobs:
            shown = ", ".join(sorted(self.unlinked_jobs)[:10])
            more = f" and {len(self.unlinked_jobs) - 10} more" if len(self.unlinked_jobs) > 10 else ""
            self.report.notes.append(
                f"{len(self.unlinked_jobs)} job(s) have an Employer Job ID that is no campaign reference here "
                f"({shown}{more}): they are kept, and join their campaign when it is imported"
            )


def _as_columns(record: Any) -> dict[str, list[Any]]:
    return {name: [getattr(record, name)] for name in record.__slots__ if name not in ("row", "file")}


def import_file(
    organisation: Organisation,
    path: Path,
    name: str,
    *,
    campaign_ref: str | None = None,
    format_name: str | None = None,
    user: User | None = None,
    progress: Progress | None = None,
    fetched: Fetched | None = None,
    keep_raw: bool = True,
    mapping: ColumnMapping | None = None,
    agency_name: str | None = None,
    save_mapping: bool = True,
) -> ImportOutcome:
    """Import one file for an organisation. Raises FileRejected (nothing stored) or ImportRefused.

    `mapping` reads the file through a column mapping, which is then saved for the agency (`agency_name`, else the
    campaign's agency) so the same layout is read the same way next time, unless `save_mapping` is False (the web
    journey saved it already, when the user confirmed it).
    """
    campaign = None
    if campaign_ref is not None:
        campaign = campaigns_dao.campaign_by_ref(organisation.id, campaign_ref)
        if campaign is None:
            raise ImportRefused(
                f"there is no campaign {campaign_ref!r} in {organisation.name}: import its Campaigns row "
                "first, or check the reference"
            )
    recovery.reap()  # an import killed half-way is marked failed before this one starts
    sha256 = importers.file_sha256(path)
    earlier = uploads_dao.stored_upload_with_hash(organisation.id, sha256)
    size = path.stat().st_size
    with transaction():
        upload = Upload(
            runner=recovery.runner_id(),
            organisation_id=organisation.id,
            file_name=name[:300],
            sha256=sha256,
            size=size,
            status="running",
            created_by_id=user.id if user else None,
            source_url=fetched.url if fetched else None,
        )
        db.session.add(upload)
    if earlier is not None:
        return _duplicate(organisation, upload, earlier, name, sha256, user)

    started = time.perf_counter()
    raw = RawCopy(path, raw_upload_path(organisation.id, upload.id, sha256)) if keep_raw else None
    try:
        saved_from = None
        if mapping is None and format_name is None and fetched is None:
            found = mapping_service.saved_mapping_for(organisation, path, name)
            if found is not None:
                mapping, saved_from = found
        options = ImportOptions(
            pseudonymise=pseudonymiser(),
            campaign_ref=campaign_ref,
            format=format_name,
            declared_charset=fetched.charset if fetched else None,
            source_url=fetched.url if fetched else None,
            sha256=sha256,
            mapping=mapping,
            parallel_min_bytes=_parallel_min_bytes(),
        )
        report, items = importers.read_batches(path, name, options)
        if saved_from is not None:
            report.notes.append(saved_from)
        with transaction(), _import_gc():
            store = _Store(organisation, upload, report, campaign_ref, progress, fetched)
            try:
                for item in items:
                    store.add(item)
                store.finish()
            except BaseException:
                store.abandon()
                close = getattr(items, "close", None)
                if close is not None:
                    close()  # a file read in a second process: stop that process now
                raise
            if report.rows_stored == 0 and report.rows_read == 0:
                raise FileRejected(name, "no rows were found below the header row: the file is empty")
            campaign_id = next(iter(store.campaign_ids)) if len(store.campaign_ids) == 1 else None
            replaced = uploads_dao.earlier_versions(
                organisation.id, upload.file_name, report.format, campaign_id, upload.id
            )
            if replaced:
                uploads_dao.delete_records_of([u.id for u in replaced])
                for old in replaced:
                    old.status = "superseded"
                upload.replaces_upload_id = replaced[-1].id
                report.notes.append(
                    f"replaces the earlier upload of {upload.file_name} ({', '.join(str(u.id) for u in replaced)})"
                )
            if mapping is not None and saved_from is None and save_mapping:
                agency = _mapping_agency(organisation, agency_name, campaign, campaign_id)
                mapping_service.save_mapping(organisation, mapping, report.headers, agency=agency, user=user)
                report.notes.append(
                    "the column mapping was saved"
                    + (f" for {agency.name}" if agency else "")
                    + ": files with the same header row will be read the same way"
                )
            _finish_upload(upload, report, "stored", campaign_id)
            if raw is not None:
                upload.stored_path = raw.keep()
            events.record(
                "upload.stored",
                organisation_id=organisation.id,
                actor=user,
                object_type="upload",
                object_ref=str(upload.id),
                file=name,
                sha256=sha256,
                format=report.format,
                rows_read=report.rows_read,
                rows_stored=report.rows_stored,
                rows_rejected=report.rows_rejected,
                seconds=round(time.perf_counter() - started, 3),
            )
        return ImportOutcome(report, upload)
    except BaseException as error:
        if raw is not None:
            raw.discard()
        if isinstance(error, FileRejected):
            _mark_failed(upload, "rejected", error.reason, user, organisation)
        elif isinstance(error, ImportRefused):
            _mark_failed(upload, "rejected", str(error), user, organisation)
        else:
            reason = f"{type(error).__name__}: the import stopped and nothing was stored"
            _mark_failed(upload, "failed", reason, user, organisation)
        raise


def _parallel_min_bytes() -> int | None:
    """From what size a CSV is read in a second process while this one stores it (importers.parallel).

    Only on SQLite, where storing runs in this process: on PostgreSQL the server already stores the rows in its own
    process, so the import uses two cores as it is, and a third process only competes with them (measured on a
    2-core machine, 1,000,000 rows: 10.3 and 11.4 s with it, 9.0 and 11.4 s without).
    """
    if db.session.get_bind().dialect.name != "sqlite":
        return None
    return current_app.config.get("SCRUTINEER_PARALLEL_IMPORT_BYTES") or None


def _mapping_agency(
    organisation: Organisation, agency_name: str | None, campaign: Campaign | None, campaign_id: int | None
) -> Agency | None:
    """The agency a confirmed mapping belongs to: the one named, else the campaign's."""
    if agency_name:
        return organisations_dao.get_or_create_agency(organisation.id, agency_name)
    if campaign is None and campaign_id is not None:
        campaign = campaigns_dao.campaign_by_id(organisation.id, campaign_id)
    return campaign.agency if campaign is not None else None


def _duplicate(
    organisation: Organisation, upload: Upload, earlier: Upload, name: str, sha256: str, user: User | None
) -> ImportOutcome:
    report = ImportReport(file=name, format=earlier.detected_format or "unknown", sha256=sha256)
    report.notes.append(
        f"the same file was imported on {earlier.created_at:%d %B %Y at %H:%M} UTC (upload "
        f"{earlier.id}): nothing new was stored"
    )
    with transaction():
        upload.status = "duplicate"
        upload.detected_format = earlier.detected_format
        upload.campaign_id = earlier.campaign_id
        upload.notes = report.notes
        upload.completed_at = utcnow()
        events.record(
            "upload.duplicate",
            organisation_id=organisation.id,
            actor=user,
            object_type="upload",
            object_ref=str(upload.id),
            file=name,
            sha256=sha256,
            duplicate_of=earlier.id,
        )
    return ImportOutcome(report, upload, earlier)


def _finish_upload(upload: Upload, report: ImportReport, status: str, campaign_id: int | None) -> None:
    upload.status = status
    upload.detected_format = report.format
    upload.campaign_id = campaign_id
    upload.rows_read = report.rows_read
    upload.rows_stored = report.rows_stored
    upload.rows_rejected = report.rows_rejected
    upload.problems = [p.as_dict() for p in report.problems]
    upload.problems_not_listed = report.problems_not_listed
    upload.unknown_columns = report.unknown_columns
    upload.notes = report.notes
    upload.counts = report.counts
    upload.completed_at = utcnow()


def _mark_failed(upload: Upload, status: str, reason: str, user: User | None, organisation: Organisation) -> None:
    db.session.rollback()
    with transaction():
        fresh = db.session.get(Upload, upload.id)
        if fresh is None:
            return
        fresh.status = status
        fresh.error = reason
        fresh.completed_at = utcnow()
        events.record(
            f"upload.{status}",
            organisation_id=organisation.id,
            actor=user,
            object_type="upload",
            object_ref=str(fresh.id),
            file=fresh.file_name,
            reason=reason,
        )

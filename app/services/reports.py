"""Workbooks: writing an audit's workbook, and verifying one that comes back.

A workbook is verified three ways: its findings are re-hashed from the sheet and compared with the SHA-256 on its
Provenance sheet; that SHA-256 and the audit ID must carry this instance's seal; and each finding row is compared
with the findings stored for that audit, so that `verify` can say which findings were changed and how.
"""

from __future__ import annotations

import io
import tempfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from app.dao import audits as audits_dao
from app.extensions import db
from app.models import AuditRun, Organisation
from app.security import seal, seal_matches
from app.services.auditing import build_bundle, finding_rows
from audits import workbook
from audits.checklist import parse_checklist
from importers.records import STAGES


def _thresholds(params: dict) -> str:
    shown = []
    for key, value in params.items():
        if isinstance(value, list):
            shown.append(f"{key}: {len(value)} entries")
        else:
            shown.append(f"{key} = {value}")
    return "; ".join(shown)


def _pipeline(bundle) -> list[list]:  # type: ignore[no-untyped-def]
    if not bundle.candidates:
        return []
    header = ["Stage", "Candidates", "Women", "Men", "Ethnic minority", "White", "Disabled", "Not recorded (sex)"]
    rows: list[list] = [header]
    for stage in STAGES:
        reached = [c for c in bundle.candidates if c.reached(stage)]
        sexes = Counter(c.sex for c in reached)
        ethnicity = Counter(c.ethnicity_group for c in reached)
        minority = sum(v for k, v in ethnicity.items() if k not in (None, "white", "prefer_not_to_say"))
        rows.append(
            [
                stage.capitalize(),
                len(reached),
                sexes["female"],
                sexes["male"],
                minority,
                ethnicity["white"],
                sum(1 for c in reached if c.disability == "yes"),
                len(reached) - sexes["female"] - sexes["male"] - sexes["other"],
            ]
        )
    return rows


def _outreach(bundle) -> list[list]:  # type: ignore[no-untyped-def]
    if not bundle.outreach:
        return []
    header = ["Channel", "Messages", "Responded", "Response rate", "With privacy notice"]
    rows: list[list] = [header]
    channels = sorted({o.channel or "not recorded" for o in bundle.outreach})
    for channel in channels:
        items = [o for o in bundle.outreach if (o.channel or "not recorded") == channel]
        responded = sum(1 for o in items if o.response in ("accepted", "declined"))
        rows.append(
            [
                channel,
                len(items),
                responded,
                f"{responded / len(items):.0%}",
                sum(1 for o in items if o.privacy_notice_included),
            ]
        )
    return rows


def workbook_data(run: AuditRun) -> workbook.WorkbookData:
    organisation = db.session.get(Organisation, run.organisation_id)
    assert organisation is not None
    campaign = run.campaign
    findings = audits_dao.findings_of(run)
    checklist = parse_checklist(run.checklist_snapshot)
    bundle, _adverts = build_bundle(organisation, campaign, run.as_of)
    rules = [
        workbook.RuleRow(
            check_id=r.id,
            title=r.title,
            family=r.family,
            severity=r.severity.label,
            enabled=r.enabled,
            disabled_reason=r.disabled_reason,
            thresholds=_thresholds(dict(r.params)),
            data=r.data,
            reference=r.reference,
        )
        for r in checklist.rules
    ]
    inputs = [
        workbook.InputRow(
            name=i["name"],
            sha256=i["sha256"],
            format=i["format"],
            rows_read=i["rows_read"],
            rows_stored=i["rows_stored"],
            rows_rejected=i["rows_rejected"],
            problems=i.get("problems", []),
            notes=i.get("notes", []),
            unknown_columns=i.get("unknown_columns", {}),
        )
        for i in run.inputs
    ]
    adverts = [
        workbook.AdvertRow(
            title=a.title,
            source=a.source_name,
            url=a.url,
            date_posted=a.date_posted,
            closing=a.valid_through or a.closing_date_text,
            salary=a.salary.text if a.salary else None,
            words=len(a.text.split()),
        )
        for a in bundle.adverts
    ]
    return workbook.WorkbookData(
        audit_id=run.public_id,
        created_at=run.created_at,
        as_of=run.as_of,
        organisation=organisation.name,
        agency=campaign.agency.name if campaign.agency else None,
        campaign_ref=campaign.ref,
        role_title=campaign.role_title,
        campaign_dates={
            "Briefed": campaign.brief_date,
            "Advert live": campaign.advert_live_date,
            "Closing date": campaign.closing_date,
            "Long list": campaign.longlist_date,
            "Short list": campaign.shortlist_date,
            "Interviews": campaign.interview_date,
            "Offer": campaign.offer_date,
            "Start": campaign.start_date,
        },
        score=run.score,
        rag=run.rag,
        score_reason=run.score_reason or "",
        scoring_rule=checklist.scoring.rule_text,
        findings=finding_rows(run, findings),
        checklist_id=run.checklist_id,
        checklist_version=run.checklist_version,
        checklist_sha256=run.checklist_sha256,
        rules=rules,
        inputs=inputs,
        adverts=adverts,
        pipeline=_pipeline(bundle),
        outreach=_outreach(bundle),
        scrutineer_version=run.scrutineer_version,
        library_versions=dict(run.library_versions or {}),
        findings_sha256=run.findings_sha256,
        seal=seal(run.public_id, run.findings_sha256),
        by_severity_status=run.summary.get("by_severity_status", {}),
    )


def write_workbook(run: AuditRun, path: Path) -> Path:
    workbook.write(workbook_data(run), path)
    return path


@dataclass
class Verification:
    ok: bool
    audit_id: str | None
    messages: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)  # finding IDs whose hashed cells differ
    responses: dict[str, tuple[str | None, str | None]] = field(default_factory=dict)
    run: AuditRun | None = None


def verify_workbook(path: Path, organisation_id: int | None = None) -> Verification:
    """Is this workbook one this instance wrote, unaltered? Raises workbook.WorkbookUnreadable."""
    back = workbook.read(path)
    audit_id = back.provenance.get("Audit ID")
    result = Verification(ok=True, audit_id=audit_id)
    claimed = back.provenance.get("Findings SHA-256", "")
    if not audit_id or not claimed:
        return Verification(False, audit_id, ["the Provenance sheet has no audit ID or findings SHA-256"])
    if back.recomputed_sha256 != claimed:
        result.ok = False
        result.messages.append("the findings do not match the SHA-256 on the Provenance sheet: a finding was edited")
    if not seal_matches(audit_id, claimed, back.provenance.get("Seal", "")):
        result.ok = False
        result.messages.append(
            "the seal does not match: this workbook was not written by this Scrutineer, or its "
            "Provenance sheet was edited"
        )
    run = audits_dao.audit_by_public_id(audit_id, organisation_id)
    result.run = run
    if run is None:
        result.ok = False
        result.messages.append(f"there is no audit {audit_id} here")
        return result
    if claimed != run.findings_sha256:
        result.ok = False
        result.messages.append("the findings SHA-256 differs from the one stored with the audit")
    stored = {row.ref: row for row in finding_rows(run, audits_dao.findings_of(run))}
    seen = set()
    columns = workbook.FINDING_COLUMNS[: workbook.HASHED_COLUMNS]
    for row in back.findings:
        seen.add(row.ref)
        original = stored.get(row.ref)
        if original is None:
            result.ok = False
            result.changed.append(row.ref)
            result.messages.append(f"finding {row.ref or '(no ID)'} is not part of audit {audit_id}")
            continue
        differences = [
            name for name, mine, theirs in zip(columns, original.cells(), row.cells(), strict=True) if mine != theirs
        ]
        if differences:
            result.ok = False
            result.changed.append(row.ref)
            result.messages.append(f"finding {row.ref} was changed: {', '.join(differences)}")
        result.responses[row.ref] = (row.response, row.note)
    for missing in sorted(set(stored) - seen):
        result.ok = False
        result.changed.append(missing)
        result.messages.append(f"finding {missing} was removed")
    return result


def workbook_bytes(run: AuditRun) -> io.BytesIO:
    """The workbook in memory, for a download."""
    with tempfile.TemporaryDirectory(prefix="scrutineer-report-") as folder:
        path = write_workbook(run, Path(folder) / "audit.xlsx")
        return io.BytesIO(path.read_bytes())

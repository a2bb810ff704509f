"""Findings as auditors and agencies work through them: the audit's findings with filters, and one finding with its
evidence in place (the advert text with the words marked, or the rows a data check used), its history, the
auditor's review and the agency's response.

Reviews and responses go through `app/services/responses.py`, the same rules and event log as the workbook.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from markupsafe import Markup

from app.dao import audits as audits_dao
from app.dao import campaigns as campaigns_dao
from app.dao import events as events_dao
from app.evidence import FindingEvidence, finding_evidence, mark_text
from app.models import Advert, AuditRun, Event, Finding
from audits.model import SEVERITY_ORDER, STATUS_ORDER, Severity, Status

STATUS_CHOICES = [(s.value, s.label) for s in sorted(Status, key=lambda s: STATUS_ORDER[s])]
SEVERITY_CHOICES = [(s.value, s.label) for s in sorted(Severity, key=lambda s: SEVERITY_ORDER[s])]
CANDIDATE_COLUMNS = (
    ("source_row", "Row"),
    ("stage_reached", "Stage reached"),
    ("source", "Source"),
    ("sex", "Sex"),
    ("ethnicity_group", "Ethnic group"),
    ("disability", "Disability"),
    ("withdrawn", "Withdrawn"),
)
OUTREACH_COLUMNS = (
    ("source_row", "Row"),
    ("sent_at", "Sent"),
    ("channel", "Channel"),
    ("response", "Response"),
    ("privacy_notice_included", "Privacy notice"),
)


@dataclass(frozen=True)
class FindingFilters:
    status: str | None = None
    severity: str | None = None
    family: str | None = None

    @property
    def active(self) -> bool:
        return any((self.status, self.severity, self.family))


def effective_status(finding: Finding) -> str:
    """The status as it stands: the auditor's, if one overrode it."""
    return finding.review_status or finding.status


@dataclass
class AuditFindings:
    findings: list[Finding]
    families: list[str]
    counts: dict[str, int]  # by status as it stands, over all the audit's findings
    total: int


def audit_findings(run: AuditRun, filters: FindingFilters) -> AuditFindings:
    every = audits_dao.findings_of(run)
    counts = Counter(effective_status(f) for f in every)
    chosen = (
        audits_dao.filtered_findings(run, status=filters.status, severity=filters.severity, family=filters.family)
        if filters.active
        else every
    )
    return AuditFindings(
        findings=chosen,
        families=sorted({f.family for f in every}),
        counts={value: counts.get(value, 0) for value, _label in STATUS_CHOICES},
        total=len(every),
    )


@dataclass
class SourceRows:
    """Rows of one file a data check used, with the records now stored from them."""

    file: str
    sheet: str | None
    rows: list[int]
    more: int
    columns: list[str] = field(default_factory=list)
    records: list[list[str]] = field(default_factory=list)


@dataclass
class FindingPage:
    finding: Finding
    status: str
    evidence: FindingEvidence
    advert: Advert | None
    marked_title: Markup | None
    marked_text: Markup | None
    placed: set[str]
    sources: list[list[SourceRows]]  # per data evidence item
    history: list[Event]


def _cell(value: Any) -> str:
    if value is None:
        return "Not recorded"
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if hasattr(value, "strftime"):
        return value.strftime("%-d %B %Y")
    return str(value).replace("_", " ")


def finding_page(run: AuditRun, finding: Finding) -> FindingPage:
    label = f"{finding.check_id}: {finding.title}"
    status = effective_status(finding)
    evidence = finding_evidence(finding.evidence, label, failed=finding.status == "fail")
    advert = None
    marked_title = marked_text = None
    placed: set[str] = set()
    if finding.advert_id is not None:
        advert = campaigns_dao.advert_by_id(run.organisation_id, run.campaign_id, finding.advert_id)
    if advert is not None:
        marked_title, title_placed = mark_text(advert.title, evidence.title_spans)
        marked_text, text_placed = mark_text(advert.text, evidence.text_spans)
        placed = title_placed | text_placed
    sources = []
    for used in evidence.rows:
        item_sources = []
        for source in used.sources:
            rows = SourceRows(source["file"] or "", source["sheet"], source["rows"], source["more"])
            if rows.file and rows.rows:
                if (rows.sheet or "").lower() == "outreach":
                    stored: list[Any] = campaigns_dao.outreach_at_rows(run.campaign, rows.file, rows.rows)
                    columns = OUTREACH_COLUMNS
                else:
                    stored = campaigns_dao.candidates_at_rows(run.campaign, rows.file, rows.rows)
                    columns = CANDIDATE_COLUMNS
                if stored:
                    rows.columns = [title for _name, title in columns]
                    rows.records = [[_cell(getattr(record, name)) for name, _title in columns] for record in stored]
            item_sources.append(rows)
        sources.append(item_sources)
    history = events_dao.events_for(run.organisation_id, object_type="finding", object_ref=finding.ref, limit=50)
    return FindingPage(finding, status, evidence, advert, marked_title, marked_text, placed, sources, history)

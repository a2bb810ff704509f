"""Findings as auditors and agencies work through them: the audit's findings with filters, and one finding with its
evidence in place (the advert text with the words marked, or the rows a data check used), its history, the
auditor's review and the agency's response.

Reviews and responses go through `app/services/responses.py`, the same rules and event log as the workbook.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from markupsafe import Markup

from app.dao import audits as audits_dao
from app.dao import campaigns as campaigns_dao
from app.dao import events as events_dao
from app.evidence import FindingEvidence, finding_evidence, mark_text
from app.models import Advert, AuditRun, Event, Finding
from app.pagination import window
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


FINDINGS_PER_PAGE = 100  # rows of the audit page: an audit of thousands of adverts has 100,000 findings and more


@dataclass
class AuditFindings:
    findings: list[Finding]  # the page shown
    families: list[str]
    counts: dict[str, int]  # by status as it stands, over all the audit's findings
    total: int  # all the audit's findings
    matching: int  # those the filters let through
    page: int  # 1-based, within the pages of matching findings
    pages: int

    @property
    def first(self) -> int:
        """The position of the page's first finding among the matching ones (1-based)."""
        return (self.page - 1) * FINDINGS_PER_PAGE + 1

    @property
    def last(self) -> int:
        return self.first + len(self.findings) - 1


def audit_findings(run: AuditRun, filters: FindingFilters, page: int = 1) -> AuditFindings:
    """One page of the audit's findings, with the counts and areas of all of them. The counts come from the
    database, and only the page's findings are read, whatever the size of the audit. A page past the last shows
    the last."""
    counts = audits_dao.status_counts(run)
    total = sum(counts.values())
    narrowed = {"status": filters.status, "severity": filters.severity, "family": filters.family}
    matching = audits_dao.count_findings(run, **narrowed) if filters.active else total
    shown = window(page, matching, FINDINGS_PER_PAGE)
    findings = audits_dao.findings_page(run, **narrowed, offset=shown.offset, limit=FINDINGS_PER_PAGE)
    return AuditFindings(
        findings=findings,
        families=audits_dao.families_of(run),
        counts={value: counts.get(value, 0) for value, _label in STATUS_CHOICES},
        total=total,
        matching=matching,
        page=shown.page,
        pages=shown.pages,
    )


def page_of_finding(run: AuditRun, finding: Finding) -> int:
    """The page of the unfiltered audit page that lists this finding."""
    return audits_dao.findings_before(run, finding.seq) // FINDINGS_PER_PAGE + 1


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

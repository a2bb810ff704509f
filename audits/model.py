"""What a check produces: statuses, severities, evidence and findings, and what it reads: the campaign bundle.

A finding says what was checked (check ID and title), about what (the subject: one advert, or the campaign),
the status, how serious a failure would be, the evidence (quoted words with their position, or figures with
the rows they came from), the reference it rests on and what to do about it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from importers.records import (
    STAGES,
    AdvertRecord,
    CampaignRecord,
    CandidateRecord,
    InMailStatsRecord,
    JobStatsRecord,
    OutreachRecord,
    PageStatsRecord,
    RecruiterUsageRecord,
    RowRef,
)


class Status(StrEnum):
    PASS = "pass"
    WARN = "warn"
    FAIL = "fail"
    NA = "n/a"
    NO_DATA = "no data"

    @property
    def label(self) -> str:
        return {"pass": "Pass", "warn": "Warn", "fail": "Fail", "n/a": "N/A", "no data": "No data"}[self.value]


STATUS_ORDER = {Status.FAIL: 0, Status.WARN: 1, Status.NO_DATA: 2, Status.PASS: 3, Status.NA: 4}


class Severity(StrEnum):
    CRITICAL = "critical"
    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"
    INFO = "info"

    @property
    def label(self) -> str:
        return self.value.capitalize()


SEVERITY_ORDER = {Severity.CRITICAL: 0, Severity.HIGH: 1, Severity.MEDIUM: 2, Severity.LOW: 3, Severity.INFO: 4}


@dataclass(slots=True)
class TextEvidence:
    """Words quoted from an advert. `start`/`end` are character offsets into the advert's `field`."""

    quote: str
    start: int
    end: int
    field: str = "text"  # "title", "text", "question", "structured"
    note: str = ""

    def describe(self) -> str:
        where = {
            "title": "title",
            "text": "advert text",
            "question": "application question",
            "structured": "structured data",
        }.get(self.field, self.field)
        note = f" — {self.note}" if self.note else ""
        return f"“{self.quote}” ({where}, characters {self.start}–{self.end}){note}"

    def as_dict(self) -> dict[str, Any]:
        return {
            "kind": "text",
            "quote": self.quote,
            "start": self.start,
            "end": self.end,
            "field": self.field,
            "note": self.note,
        }


@dataclass(slots=True)
class DataEvidence:
    """Figures computed from imported rows, and which rows."""

    label: str
    figures: dict[str, Any] = field(default_factory=dict)
    rows: list[RowRef] = field(default_factory=list)

    def describe(self) -> str:
        parts = [self.label]
        if self.figures:
            parts.append("; ".join(f"{k}: {_format_figure(v)}" for k, v in self.figures.items()))
        if self.rows:
            parts.append("from " + "; ".join(ref.describe() for ref in self.rows))
        return " — ".join(parts)

    def as_dict(self) -> dict[str, Any]:
        return {
            "kind": "data",
            "label": self.label,
            "figures": {k: _json_figure(v) for k, v in self.figures.items()},
            "rows": [{"file": r.file, "sheet": r.sheet, "rows": r.rows} for r in self.rows],
        }


Evidence = TextEvidence | DataEvidence


def _format_figure(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:.2f}".rstrip("0").rstrip(".")
    return str(value)


def _json_figure(value: Any) -> Any:
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, int | float | str | bool) or value is None:
        return value
    return str(value)


@dataclass(slots=True)
class Outcome:
    """What a check function returns. The engine adds the check's title, reference and suggestion."""

    status: Status
    summary: str
    evidence: list[Evidence] = field(default_factory=list)
    details: dict[str, Any] = field(default_factory=dict)
    severity: Severity | None = None  # only when the check's severity depends on what it found


@dataclass(slots=True)
class Finding:
    check_id: str
    title: str
    family: str
    severity: Severity
    status: Status
    subject: str
    summary: str
    evidence: list[Evidence]
    reference: str
    suggestion: str
    details: dict[str, Any] = field(default_factory=dict)
    subject_kind: str = "campaign"  # "campaign" or "advert"
    subject_index: int | None = None  # which advert, for advert findings

    def evidence_text(self) -> str:
        lines = [self.summary] if self.summary else []
        lines.extend(item.describe() for item in self.evidence)
        return "\n".join(lines)

    def as_dict(self) -> dict[str, Any]:
        return {
            "check": self.check_id,
            "title": self.title,
            "family": self.family,
            "status": self.status.value,
            "severity": self.severity.value,
            "subject": self.subject,
            "summary": self.summary,
            "evidence": [item.as_dict() for item in self.evidence],
            "reference": self.reference,
            "suggestion": self.suggestion,
            "details": self.details,
        }


@dataclass
class CampaignBundle:
    """Everything the checks may read about one campaign. Built by the app from stored records, or by
    `check-advert` from adverts alone (then `campaign` is None and data checks say "no data")."""

    campaign: CampaignRecord | None = None
    adverts: list[AdvertRecord] = field(default_factory=list)
    candidates: list[CandidateRecord] = field(default_factory=list)
    outreach: list[OutreachRecord] = field(default_factory=list)
    job_stats: list[JobStatsRecord] = field(default_factory=list)  # LinkedIn Recruiter Jobs report rows
    usage: list[RecruiterUsageRecord] = field(default_factory=list)  # LinkedIn Recruiter usage report rows
    inmail_stats: list[InMailStatsRecord] = field(default_factory=list)  # LinkedIn InMail report rows
    page_stats: list[PageStatsRecord] = field(default_factory=list)  # LinkedIn Page analytics rows
    organisation_name: str | None = None
    organisation_type: str | None = None  # from the campaign, else the organisation
    nation: str | None = None
    as_of: dt.date = field(default_factory=dt.date.today)  # checks that compare with "today" use this date
    sources: dict[str, list[str]] = field(default_factory=dict)  # kind -> input files, for "no data" messages
    # Candidate rows set aside because the same candidate had another row in the campaign (one_row_per_candidate).
    candidate_rows_merged: int = 0

    @property
    def has_campaign_data(self) -> bool:
        return self.campaign is not None


def one_row_per_candidate(candidates: list[CandidateRecord]) -> tuple[list[CandidateRecord], int]:
    """Each candidate of a campaign once, and how many rows were set aside to make it so.

    Agencies send a tracker every week or two, often under a new name each time, and some trackers give a candidate
    a row for each stage reached. Read as they come, a candidate would be counted once per row, in every figure of
    the pipeline checks. So the checks read one row per candidate (per keyed hash of the candidate reference): the
    row from the newest file, and within one file the row furthest along the pipeline (the last such row if
    several are). `candidates` come in the order the files were stored, each file's rows in order, as the app
    reads them; the rows kept stay in that order.
    """
    chosen: dict[str, int] = {}
    for index, candidate in enumerate(candidates):
        held = chosen.get(candidate.candidate_key)
        if held is None:
            chosen[candidate.candidate_key] = index
            continue
        earlier = candidates[held]
        if earlier.file != candidate.file or _stage_rank(candidate) >= _stage_rank(earlier):
            chosen[candidate.candidate_key] = index
    if len(chosen) == len(candidates):
        return candidates, 0
    kept = [candidates[index] for index in sorted(chosen.values())]
    return kept, len(candidates) - len(kept)


def _stage_rank(candidate: CandidateRecord) -> int:
    return STAGES.index(candidate.stage_reached) if candidate.stage_reached in STAGES else -1

"""The compliance workbook: writing it, and reading it back to verify it or to take the agency's responses.

Sheets, in order: Summary, Findings, Checklist, Adverts, Pipeline, Outreach, Data quality, Provenance. Each table is
an Excel table (declared header row, filter buttons), with frozen header rows where a sheet has one table, named
cell styles, dates and percentages as real dates and percentages, and no merged cells. Colour is never the only
signal: every coloured cell also says what it means in words, and the chart has a title and a description for
screen readers.

Safety: every value that came from an imported file is written as a string, never a formula. Text starting with
`=`, `+`, `-`, `@`, a tab or a carriage return gets a leading `'` (OWASP's advice against formula injection), and
control characters Excel cannot hold are replaced. Text that Excel would take for an error value (`#N/A`) is
written as text too.

Integrity: each finding row is reduced to its cells as written (Finding ID to Suggestion; the agency's Response
and Response note are left out, so an agency can fill them in). The SHA-256 over those rows is printed on the
Provenance sheet and stored with the audit; `read` recomputes it from the sheet. Sorting or filtering the
Findings sheet does not change it: rows are put back in finding-ID order before hashing.

Scale: the workbook is written in openpyxl's write-only mode, which streams each sheet's rows to disk, and the
findings are consumed as an iterable, so memory stays flat however many findings an audit has (100,000 findings
write in roughly constant memory: see bench/bench_workbook.py). Reading back uses python-calamine.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import heapq
import json
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from openpyxl.chart import BarChart, Reference
from openpyxl.formatting.rule import CellIsRule
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from audits.model import CampaignBundle
from audits.xlsx import (
    CODE,
    FORMULA_STARTS,
    HEADER,
    INPUT,
    LABEL,
    NOTE,
    RAG_FILLS,
    STATUS_CHART_COLOURS,
    STATUS_FILLS,
    TEXT,
    TITLE,
    TOTAL,
    EvidenceTable,
    WorkbookWriter,
    append,
    make_cell,
    make_table,
    print_setup,
    rating_style,
    row_height,
    safe_text,
    status_style,
    table_name,
    text_cell,
)
from importers.records import (
    STAGE_ORDER,
    STAGES,
    CandidateRecord,
    InMailStatsRecord,
    OutreachRecord,
    RecruiterUsageRecord,
)

SHEETS = ("Summary", "Findings", "Checklist", "Adverts", "Pipeline", "Outreach", "Data quality", "Provenance")
FINDING_COLUMNS = (
    "Finding ID",
    "Check ID",
    "Check",
    "Severity",
    "Status",
    "Subject",
    "Evidence",
    "Reference",
    "Suggestion",
    "Agency response",
    "Response note",
)
HASHED_COLUMNS = 9  # Finding ID … Suggestion
RESPONSE_COLUMN = "J"
NOTE_COLUMN = "K"
RESPONSES = ("Agree", "Disagree", "Remediated")
MAX_NOTE_CHARS = 4000  # as app/services/responses.py accepts

STATUSES = ("Fail", "Warn", "No data", "Pass", "N/A")  # most to least serious, as labels
SEVERITIES = ("Critical", "High", "Medium", "Low", "Info")
TOP_FINDINGS = 5
FOUR_FIFTHS = 0.8  # the adverse-impact rule of thumb shown beside the ratios; not a check threshold
MAX_LISTED_PROBLEMS = 500  # per input on the Data quality sheet


@dataclass
class FindingRow:
    ref: str
    check_id: str
    title: str
    severity: str  # label: Critical, High…
    status: str  # label: Pass, Fail…
    subject: str
    evidence: str
    reference: str
    suggestion: str
    response: str | None = None
    note: str | None = None
    row: int | None = None  # the sheet row, when read back from a workbook

    def cells(self) -> list[str]:
        """The hashed cells, exactly as written to the sheet."""
        return [
            safe_text(v)
            for v in (
                self.ref,
                self.check_id,
                self.title,
                self.severity,
                self.status,
                self.subject,
                self.evidence,
                self.reference,
                self.suggestion,
            )
        ]


def _digest_line(cells: Sequence[str]) -> bytes:
    return json.dumps(list(cells), ensure_ascii=False, separators=(",", ":")).encode("utf-8") + b"\n"


def row_digest(cells: Sequence[str]) -> bytes:
    """A short fingerprint of one finding row's hashed cells, to compare rows without keeping their text."""
    return hashlib.sha256(_digest_line(cells)).digest()


def findings_digest(rows: Iterable[Sequence[str]]) -> str:
    """SHA-256 over the findings' hashed cells, in order. JSON keeps cell boundaries unambiguous."""
    digest = hashlib.sha256()
    for row in rows:
        digest.update(_digest_line(row))
    return digest.hexdigest()


def finding_order(ref: str) -> tuple[int, str]:
    """Where a finding comes in its audit: the number after the last hyphen of its ID (AUD-…-0042 is 42nd)."""
    _head, _dash, tail = ref.rpartition("-")
    return (int(tail), ref) if tail.isdigit() else (1 << 62, ref)


@dataclass
class RuleRow:
    check_id: str
    title: str
    family: str
    severity: str
    enabled: bool
    disabled_reason: str | None
    thresholds: str
    data: str
    reference: str


@dataclass
class InputRow:
    name: str
    sha256: str
    format: str
    rows_read: int
    rows_stored: int
    rows_rejected: int
    problems: list[dict[str, Any]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    unknown_columns: dict[str, list[str]] = field(default_factory=dict)


@dataclass
class AdvertRow:
    title: str
    source: str  # file name or URL it was read from
    url: str | None
    date_posted: dt.date | None
    closing: dt.date | None
    salary: str | None  # the salary as the advert words it
    words: int
    source_kind: str = ""  # json-ld, html, text…
    hiring_organisation: str | None = None
    location: str | None = None
    salary_min: Decimal | None = None
    salary_max: Decimal | None = None
    salary_period: str | None = None
    reference: str | None = None


# The campaign dates the Summary shows, and the CampaignRecord fields they come from.
CAMPAIGN_DATES = (
    ("Briefed", "brief_date"),
    ("Advert live", "advert_live_date"),
    ("Closing date", "closing_date"),
    ("Long list", "longlist_date"),
    ("Short list", "shortlist_date"),
    ("Interviews", "interview_date"),
    ("Offer", "offer_date"),
    ("Start", "start_date"),
)


@dataclass
class EvidenceSheets:
    """What the campaign's details on the Summary and the Adverts, Pipeline and Outreach sheets show: built from the
    records an audit read, and kept with the audit (as JSON) so that the workbook of an earlier audit shows what it
    was run on, not what came later."""

    role_title: str | None
    agency: str | None
    campaign_dates: dict[str, dt.date | None]
    adverts: list[AdvertRow]
    pipeline: list[EvidenceTable]
    outreach: list[EvidenceTable]

    @classmethod
    def from_bundle(cls, bundle: CampaignBundle) -> EvidenceSheets:
        campaign = bundle.campaign
        adverts = [
            AdvertRow(
                title=a.title,
                source=a.source_name,
                url=a.url,
                date_posted=a.date_posted,
                closing=a.valid_through or a.closing_date_text,
                salary=a.salary.text if a.salary else None,
                words=len(a.text.split()),
                source_kind=a.source_kind,
                hiring_organisation=a.hiring_organisation,
                location=a.location,
                salary_min=a.salary.minimum if a.salary else None,
                salary_max=a.salary.maximum if a.salary else None,
                salary_period=a.salary.period if a.salary else None,
                reference=a.reference,
            )
            for a in bundle.adverts
        ]
        return cls(
            role_title=campaign.role_title if campaign else None,
            agency=campaign.agency if campaign else None,
            campaign_dates={label: getattr(campaign, name, None) for label, name in CAMPAIGN_DATES},
            adverts=adverts,
            pipeline=pipeline_tables(bundle.candidates, merged=bundle.candidate_rows_merged),
            outreach=outreach_tables(bundle.usage, bundle.inmail_stats, bundle.outreach),
        )

    def as_json(self) -> dict[str, Any]:
        def table(t: EvidenceTable) -> dict[str, Any]:
            return {**vars(t), "rows": [[json_cell(v) for v in row] for row in t.rows]}

        return {
            "role_title": self.role_title,
            "agency": self.agency,
            "campaign_dates": {label: json_cell(value) for label, value in self.campaign_dates.items()},
            "adverts": [{k: json_cell(v) for k, v in vars(a).items()} for a in self.adverts],
            "pipeline": [table(t) for t in self.pipeline],
            "outreach": [table(t) for t in self.outreach],
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> EvidenceSheets:
        def table(t: dict[str, Any]) -> EvidenceTable:
            return EvidenceTable(**{**t, "rows": [[cell_from_json(v) for v in row] for row in t["rows"]]})

        return cls(
            role_title=data["role_title"],
            agency=data["agency"],
            campaign_dates={label: cell_from_json(value) for label, value in data["campaign_dates"].items()},
            adverts=[AdvertRow(**{k: cell_from_json(v) for k, v in a.items()}) for a in data["adverts"]],
            pipeline=[table(t) for t in data["pipeline"]],
            outreach=[table(t) for t in data["outreach"]],
        )


def json_cell(value: Any) -> Any:
    """A cell value as JSON: dates, times and exact decimals are tagged so that they come back as they were."""
    if isinstance(value, dt.datetime):
        return {"datetime": value.isoformat()}
    if isinstance(value, dt.date):
        return {"date": value.isoformat()}
    if isinstance(value, Decimal):
        return {"decimal": str(value)}
    return value


def cell_from_json(value: Any) -> Any:
    if isinstance(value, dict) and len(value) == 1:
        ((kind, text),) = value.items()
        if kind == "datetime":
            return dt.datetime.fromisoformat(text)
        if kind == "date":
            return dt.date.fromisoformat(text)
        if kind == "decimal":
            return Decimal(text)
    return value


@dataclass
class WorkbookData:
    audit_id: str
    created_at: dt.datetime
    as_of: dt.date
    organisation: str
    agency: str | None
    campaign_ref: str
    role_title: str | None
    campaign_dates: dict[str, dt.date | None]
    score: float | None
    rag: str
    score_reason: str
    scoring_rule: str
    findings: Iterable[FindingRow]  # in finding-ID order; consumed once, so a generator keeps memory flat
    checklist_id: str
    checklist_version: str
    checklist_sha256: str
    rules: list[RuleRow]
    inputs: list[InputRow]
    adverts: list[AdvertRow]
    pipeline: list[EvidenceTable]
    outreach: list[EvidenceTable]
    scrutineer_version: str
    library_versions: dict[str, str]
    findings_sha256: str
    seal: str
    # Whether the Adverts, Pipeline and Outreach sheets and the campaign's details are as the audit read them (kept
    # with it), or rebuilt from the records as they are now (audits run before Scrutineer kept them).
    evidence_kept: bool = True


class FindingsMismatch(ValueError):
    """The findings given to the writer do not hash to the audit's findings SHA-256: the workbook would not verify."""


# --- evidence tables from the records ---------------------------------------------------------------------------

NOT_RECORDED = "Not recorded"
_SEX = (("female", "Women"), ("male", "Men"), ("other", "Other sex"))
_ETHNIC_GROUPS = (("asian", "Asian"), ("black", "Black"), ("mixed", "Mixed"), ("white", "White"), ("other", "Other"))
_DISABILITY = (("yes", "Disabled"), ("no", "Not disabled"))
_UNKNOWN_VALUES = (None, "", "prefer_not_to_say", "not_recorded", "unknown")


def _label(value: str) -> str:
    return value.replace("_", " ").capitalize()


def _grouper(attribute: str, groups: Sequence[tuple[str, str]]) -> Callable[[CandidateRecord], str | None]:
    labels = dict(groups)

    def group(candidate: CandidateRecord) -> str | None:
        value = getattr(candidate, attribute)
        if value in _UNKNOWN_VALUES:
            return None
        return labels.get(value) or _label(str(value))

    return group


def _minority(candidate: CandidateRecord) -> str | None:
    value = candidate.ethnicity_group
    if value in _UNKNOWN_VALUES:
        return None
    return "White" if value == "white" else "Ethnic minority"


# (characteristic, how to group a candidate, the groups in the order shown)
CHARACTERISTICS: tuple[tuple[str, Callable[[CandidateRecord], str | None], tuple[str, ...]], ...] = (
    ("Sex", _grouper("sex", _SEX), tuple(label for _, label in _SEX)),
    ("Ethnicity", _minority, ("White", "Ethnic minority")),
    ("Ethnic group", _grouper("ethnicity_group", _ETHNIC_GROUPS), tuple(label for _, label in _ETHNIC_GROUPS)),
    ("Disability", _grouper("disability", _DISABILITY), tuple(label for _, label in _DISABILITY)),
)
_COUNT_CHARACTERISTICS = ("Sex", "Ethnicity", "Disability")  # the per-stage counts table; groups in detail below


def rate(numerator: float, denominator: float) -> float | None:
    return numerator / denominator if denominator else None


@dataclass
class StageCounts:
    """How many candidates reached each stage, overall and per group of each characteristic."""

    total: dict[str, int]
    groups: dict[str, dict[str, dict[str, int]]]  # characteristic -> group -> stage -> count
    order: dict[str, list[str]]  # characteristic -> groups in display order (not recorded last)


def stage_counts(candidates: Iterable[CandidateRecord]) -> StageCounts:
    total: dict[str, int] = dict.fromkeys(STAGES, 0)
    groups: dict[str, dict[str, dict[str, int]]] = {
        name: defaultdict(lambda: dict.fromkeys(STAGES, 0)) for name, _, _ in CHARACTERISTICS
    }
    for candidate in candidates:
        if candidate.stage_reached not in STAGE_ORDER:
            continue
        reached = STAGES[: STAGE_ORDER[candidate.stage_reached] + 1]
        for stage in reached:
            total[stage] += 1
        for name, group_of, _ in CHARACTERISTICS:
            counts = groups[name][group_of(candidate) or NOT_RECORDED]
            for stage in reached:
                counts[stage] += 1
    order = {}
    for name, _, known in CHARACTERISTICS:
        seen = [g for g in groups[name] if g not in known and g != NOT_RECORDED]
        order[name] = [*known, *sorted(seen), NOT_RECORDED]
    return StageCounts(total, {k: dict(v) for k, v in groups.items()}, order)


def pipeline_tables(candidates: Sequence[CandidateRecord], merged: int = 0) -> list[EvidenceTable]:
    """Candidates by stage and group, and selection rates with adverse-impact ratios per stage. `merged`: rows set
    aside because their candidate had another row (audits.model.one_row_per_candidate), said in the table's note."""
    counts = stage_counts(candidates)
    if not counts.total[STAGES[0]]:
        return []
    count_header = ["Stage", "All candidates"]
    columns: list[tuple[str, str]] = []
    for name in _COUNT_CHARACTERISTICS:
        for group in counts.order[name]:
            columns.append((name, group))
            count_header.append(f"{name}: not recorded" if group == NOT_RECORDED else group)
    count_rows = [
        [
            stage.capitalize(),
            counts.total[stage],
            *[counts.groups[name].get(group, {}).get(stage, 0) for name, group in columns],
        ]
        for stage in STAGES
    ]
    by_stage = EvidenceTable(
        title="Candidates by stage",
        name="PipelineCounts",
        header=count_header,
        rows=count_rows,
        kinds=["text"] + ["number"] * (len(count_header) - 1),
        widths=[13, 11] + [11] * (len(count_header) - 2),
        note="Each candidate is counted at every stage up to the furthest they reached."
        + (
            f" {merged:,} more {'row names a candidate' if merged == 1 else 'rows name candidates'} counted from "
            "another row, and not again: each candidate is counted once, from the newest file that names them, at "
            "the furthest stage that file gives."
            if merged
            else ""
        ),
    )

    rate_rows: list[list[Any]] = []
    for name, _, _ in CHARACTERISTICS:
        for index, stage in enumerate(STAGES[:-1]):
            following = STAGES[index + 1]
            if not counts.total[following]:
                continue  # nobody has reached the next stage yet: no rate to compare
            present = [g for g in counts.order[name] if counts.groups[name].get(g, {}).get(stage, 0)]
            rates = {g: rate(counts.groups[name][g][following], counts.groups[name][g][stage]) for g in present}
            compared = [r for g, r in rates.items() if g != NOT_RECORDED and r is not None]
            highest = max(compared) if compared else None
            for group in present:
                group_rate = rates[group]
                ratio = None
                if group != NOT_RECORDED and group_rate is not None and highest:
                    ratio = group_rate / highest
                if group == NOT_RECORDED:
                    verdict = "Not compared"
                elif ratio is None:
                    verdict = "No rate to compare"
                else:
                    verdict = "Below four-fifths" if ratio < FOUR_FIFTHS else "Met"
                rate_rows.append(
                    [
                        name,
                        group,
                        stage.capitalize(),
                        following.capitalize(),
                        counts.groups[name][group][stage],
                        counts.groups[name][group][following],
                        group_rate,
                        highest if group != NOT_RECORDED else None,
                        ratio,
                        verdict,
                    ]
                )
    rates_table = EvidenceTable(
        title="Selection rates and adverse impact",
        name="PipelineRates",
        header=[
            "Characteristic",
            "Group",
            "Stage",
            "Next stage",
            "At stage",
            "Reached next stage",
            "Selection rate",
            "Highest group rate",
            "Adverse-impact ratio",
            "Four-fifths test",
        ],
        rows=rate_rows,
        kinds=["text", "text", "text", "text", "number", "number", "percent", "percent", "ratio", "text"],
        widths=[15, 17, 12, 12, 9, 11, 10, 10, 12, 19],
        note=(
            "Selection rate: the share of a group's candidates at a stage who reached the next stage. Adverse-impact "
            "ratio: that rate divided by the highest rate of any group of the same characteristic at that stage. "
            f"Below {FOUR_FIFTHS:g} (the four-fifths rule of thumb) is worth looking into, more so with larger "
            "numbers. Candidates whose characteristic is not recorded are shown but not compared."
        ),
        empty="No candidate has reached a second stage yet.",
    )
    return [by_stage, rates_table]


def _seat(key: str | None, seat_id: str | None) -> str:
    if seat_id:
        return seat_id
    return f"Seat {key[:8]}" if key else "Not recorded"


def outreach_tables(
    usage: Sequence[RecruiterUsageRecord],
    inmail_stats: Sequence[InMailStatsRecord],
    outreach: Sequence[OutreachRecord],
) -> list[EvidenceTable]:
    """InMail volumes and response rates per seat and period (LinkedIn reports), and outreach by channel and month."""
    tables: list[EvidenceTable] = []
    if usage:
        rows: list[list[Any]] = []
        totals: Counter[str] = Counter()
        for record in sorted(
            usage, key=lambda r: (_seat(r.seat_key, r.seat_id), r.period_start or dt.date.min, r.row or 0)
        ):
            sent, accepted = record.inmails_sent or 0, record.inmails_accepted or 0
            declined = record.inmails_declined or 0
            totals["sent"] += sent
            totals["accepted"] += accepted
            totals["declined"] += declined
            totals["viewed"] += record.profiles_viewed or 0
            totals["searches"] += record.searches_performed or 0
            rows.append(
                [
                    _seat(record.seat_key, record.seat_id),
                    record.campaign_ref or "",
                    record.period_start,
                    record.period_end,
                    record.inmails_sent,
                    record.inmails_accepted,
                    record.inmails_declined,
                    rate(accepted + declined, sent),
                    rate(accepted, sent),
                    record.profiles_viewed,
                    record.searches_performed,
                ]
            )
        rows.append(
            [
                "All seats",
                "",
                min((r.period_start for r in usage if r.period_start), default=None),
                max((r.period_end for r in usage if r.period_end), default=None),
                totals["sent"],
                totals["accepted"],
                totals["declined"],
                rate(totals["accepted"] + totals["declined"], totals["sent"]),
                rate(totals["accepted"], totals["sent"]),
                totals["viewed"],
                totals["searches"],
            ]
        )
        tables.append(
            EvidenceTable(
                title="InMail by Recruiter seat and period (LinkedIn Recruiter usage report)",
                name="OutreachSeats",
                header=[
                    "Seat",
                    "Campaign",
                    "Period start",
                    "Period end",
                    "InMails sent",
                    "Accepted",
                    "Declined",
                    "Response rate",
                    "Acceptance rate",
                    "Profiles viewed",
                    "Searches",
                ],
                rows=rows,
                kinds="code text date date number number number percent percent number number".split(),
                widths=[18, 14, 12, 12, 10, 10, 10, 10, 11, 10, 10],
                note="Response rate: InMails accepted or declined, as a share of those sent (LinkedIn's definition). "
                "Seats are shown by their seat ID, or a short keyed hash of the seat holder.",
            )
        )
    if inmail_stats:
        rows = []
        for record in sorted(inmail_stats, key=lambda r: (r.period_start or dt.date.min, r.row or 0)):
            responded = (record.accepted or 0) + (record.declined or 0)
            rows.append(
                [
                    record.period_start,
                    record.period_end,
                    _seat(record.seat_key, None) if record.seat_key else "All seats",
                    record.campaign_ref or "",
                    record.sent,
                    record.accepted,
                    record.declined,
                    rate(responded, record.sent or 0),
                    None if record.response_rate is None else record.response_rate / 100,
                ]
            )
        tables.append(
            EvidenceTable(
                title="InMail by period (LinkedIn InMail report)",
                name="OutreachInMail",
                header=[
                    "Period start",
                    "Period end",
                    "Seat",
                    "Campaign",
                    "Sent",
                    "Accepted",
                    "Declined",
                    "Response rate",
                    "Response rate as reported",
                ],
                rows=rows,
                kinds=["date", "date", "code", "text", "number", "number", "number", "percent", "percent"],
                widths=[12, 12, 18, 14, 9, 10, 10, 10, 13],
            )
        )
    if outreach:
        by_channel: dict[str, Counter[str]] = defaultdict(Counter)
        by_month: dict[tuple[dt.date | None, str], Counter[str]] = defaultdict(Counter)
        for message in outreach:
            channel = _label(message.channel) if message.channel else NOT_RECORDED
            month = message.sent_at.date().replace(day=1) if message.sent_at else None
            for bucket in (by_channel[channel], by_month[(month, channel)]):
                bucket["messages"] += 1
                bucket[message.response or "not recorded"] += 1
                bucket["privacy"] += 1 if message.privacy_notice_included else 0

        def figures(bucket: Counter[str]) -> list[Any]:
            responded = bucket["accepted"] + bucket["declined"]
            return [
                bucket["messages"],
                bucket["accepted"],
                bucket["declined"],
                rate(responded, bucket["messages"]),
                bucket["privacy"],
                rate(bucket["privacy"], bucket["messages"]),
            ]

        shared = ["Messages", "Accepted", "Declined", "Response rate", "With privacy notice", "Privacy notice share"]
        kinds = ["number", "number", "number", "percent", "number", "percent"]
        tables.append(
            EvidenceTable(
                title="Outreach messages by channel (agency template, Outreach sheet)",
                name="OutreachChannels",
                header=["Channel", *shared],
                rows=[[channel, *figures(bucket)] for channel, bucket in sorted(by_channel.items())],
                kinds=["text", *kinds],
                widths=[18, 10, 10, 10, 10, 11, 11],
            )
        )
        tables.append(
            EvidenceTable(
                title="Outreach messages by month and channel",
                name="OutreachMonths",
                header=["Month", "Channel", *shared],
                rows=[
                    [month, channel, *figures(bucket)]
                    for (month, channel), bucket in sorted(
                        by_month.items(), key=lambda item: (item[0][0] or dt.date.min, item[0][1])
                    )
                ],
                kinds=["month", "text", *kinds],
                widths=[12, 18, 10, 10, 10, 10, 11, 11],
            )
        )
    return tables


# --- the audit workbook's sheets ---------------------------------------------------------------------------------


_SEVERITY_RANK = {label: index for index, label in enumerate(SEVERITIES)}
_STATUS_RANK = {"Fail": 0, "Warn": 1}


class _MostSerious:
    """The few most serious findings of a stream, kept as they go by: failures before warnings, then by severity,
    then in finding order. A bounded heap whose top is the least serious kept, so memory does not grow."""

    def __init__(self, keep: int) -> None:
        self.keep = keep
        self.heap: list[tuple[tuple[int, int, int], FindingRow]] = []  # keys negated: heap[0] is the least serious

    def offer(self, finding: FindingRow, position: int) -> None:
        rank = _STATUS_RANK.get(finding.status)
        if rank is None:
            return
        key = (-rank, -_SEVERITY_RANK.get(finding.severity, 9), -position)
        if len(self.heap) < self.keep:
            heapq.heappush(self.heap, (key, finding))
        elif key > self.heap[0][0]:
            heapq.heapreplace(self.heap, (key, finding))

    def findings(self) -> list[FindingRow]:
        return [finding for _key, finding in sorted(self.heap, key=lambda item: item[0], reverse=True)]


@dataclass
class _FindingStats:
    total: int = 0
    grid: dict[str, Counter[str]] = field(default_factory=lambda: defaultdict(Counter))
    top: _MostSerious = field(default_factory=lambda: _MostSerious(TOP_FINDINGS))
    sha256: str = ""


WIDTHS = (28, 9, 32, 10, 10, 30, 70, 50, 50, 16, 40)  # the Findings sheet's columns


def _write_findings(writer: WorkbookWriter, findings: Iterable[FindingRow]) -> _FindingStats:
    sheet = writer.sheets["Findings"]
    for column, width in enumerate(WIDTHS, start=1):
        sheet.column_dimensions[get_column_letter(column)].width = width
    sheet.freeze_panes = "B2"  # the header row and the Finding ID stay in view
    print_setup(sheet, "1:1")
    header_height = row_height(zip(FINDING_COLUMNS, WIDTHS, strict=True))
    append(sheet, [text_cell(sheet, title, HEADER) for title in FINDING_COLUMNS], 1, header_height)
    stats = _FindingStats()
    digest = hashlib.sha256()
    rows = writer.stream("Findings", [CODE, *[TEXT] * (HASHED_COLUMNS - 1), INPUT, INPUT], first_row=2)
    for finding in findings:
        stats.total += 1
        cells = finding.cells()
        digest.update(_digest_line(cells))
        stats.grid[cells[3]][cells[4]] += 1
        stats.top.offer(finding, stats.total)
        texts = [*cells, safe_text(finding.response), safe_text(finding.note)]
        rows.append(texts, row_height(zip(texts[2:], WIDTHS[2:], strict=True)))
    last = stats.total + 1
    if stats.total == 0:
        sheet.append([None] * (len(FINDING_COLUMNS) - 2) + [make_cell(sheet, None, INPUT)] * 2)
        last = 2
    stats.sha256 = digest.hexdigest()
    sheet.tables.add(make_table(table_name("Findings", writer.table_names), FINDING_COLUMNS, 1, 1, last))
    response = DataValidation(
        type="list",
        formula1='"' + ",".join(RESPONSES) + '"',
        allow_blank=True,
        showErrorMessage=True,
        errorStyle="stop",
        errorTitle="Not a response",
        error="Choose Agree, Disagree or Remediated from the list, or leave the cell empty.",
        showInputMessage=True,
        promptTitle="Agency response",
        prompt="Agree, Disagree or Remediated. Explain in the Response note.",
    )
    response.add(f"{RESPONSE_COLUMN}2:{RESPONSE_COLUMN}{last}")
    note = DataValidation(
        type="textLength",
        operator="lessThanOrEqual",
        formula1=str(MAX_NOTE_CHARS),
        allow_blank=True,
        showErrorMessage=True,
        errorStyle="stop",
        errorTitle="Note too long",
        error=f"Keep the note to {MAX_NOTE_CHARS:,} characters or fewer.",
    )
    note.add(f"{NOTE_COLUMN}2:{NOTE_COLUMN}{last}")
    sheet.data_validations.append(response)
    sheet.data_validations.append(note)
    for label, colour in STATUS_FILLS.items():
        sheet.conditional_formatting.add(
            f"E2:E{last}",
            CellIsRule(
                operator="equal", formula=[f'"{label}"'], fill=PatternFill("solid", fgColor=colour, bgColor=colour)
            ),
        )
    sheet.conditional_formatting.add(
        f"D2:D{last}", CellIsRule(operator="equal", formula=['"Critical"'], font=Font(bold=True, color="942514"))
    )
    return stats


def _severity_grid(stats: _FindingStats) -> tuple[list[str], list[str], list[list[Any]]]:
    """Severities down, statuses across, with totals: counts by status and by severity in one table."""
    severities = [*SEVERITIES, *sorted(s for s in stats.grid if s not in SEVERITIES)]
    seen_statuses = {status for row in stats.grid.values() for status in row}
    statuses = [*STATUSES, *sorted(s for s in seen_statuses if s not in STATUSES)]
    rows = [[severity, *(stats.grid[severity][s] for s in statuses)] for severity in severities]
    rows = [[*row, sum(row[1:])] for row in rows]
    rows.append(["All severities", *(sum(r[i] for r in rows) for i in range(1, len(statuses) + 2))])
    return severities, statuses, rows


def _chart_description(stats: _FindingStats, statuses: list[str], rows: list[list[Any]]) -> str:
    parts = []
    for row in rows[:-1]:
        counts = [f"{count} {status.lower()}" for status, count in zip(statuses, row[1:], strict=False) if count]
        if counts:
            parts.append(f"{row[0]}: {', '.join(counts)}")
    return (
        f"Stacked column chart of the {stats.total} findings by severity, each column split by status. "
        + ("; ".join(parts) + "." if parts else "There are no findings.")
        + " The same figures are in the table beside the chart."
    )


def _summary(writer: WorkbookWriter, data: WorkbookData, stats: _FindingStats) -> None:
    layout = writer.layout("Summary")
    layout.put(1, 1, "Scrutineer compliance audit", TITLE)
    layout.put(2, 1, f"Campaign {data.campaign_ref} for {data.organisation}", NOTE)
    score = "Not rated" if data.score is None else data.score
    rating = data.rag if data.rag in RAG_FILLS else data.rag or "Not rated"
    pairs: list[tuple[str, object]] = [
        ("Organisation", data.organisation),
        ("Agency", data.agency or "Not recorded"),
        ("Campaign", data.campaign_ref),
        ("Role", data.role_title or "Not recorded"),
        *[(label, value or "Not recorded") for label, value in data.campaign_dates.items()],
        ("Score (0 to 100)", score),
        ("Rating", rating),
        ("Why", data.score_reason),
        ("How the score is worked out", data.scoring_rule),
        ("Findings", stats.total),
        ("Audit ID", data.audit_id),
        ("Audited (UTC)", data.created_at),
        ("Audit as of", data.as_of),
        ("Checklist", f"{data.checklist_id} version {data.checklist_version}"),
    ]
    end_pairs = layout.pairs(4, pairs, {"Rating": rating_style(rating), "Audit ID": CODE})
    layout.width(1, 26)
    layout.width(2, 58)

    severities, statuses, grid_rows = _severity_grid(stats)
    left = 3
    layout.put(3, left, "Findings by severity and status", LABEL)
    header = ["Severity", *statuses, "Total"]
    grid_top = 4
    grid_last = layout.table(
        "SummaryCounts",
        grid_top,
        left,
        header,
        grid_rows,
        ["text", *["number"] * (len(statuses) + 1)],
        row_styles=lambda row: dict.fromkeys(range(len(row)), TOTAL) if row[0] == "All severities" else {},
    )
    layout.width(left, 15)
    for offset in range(1, len(header)):
        layout.width(left + offset, 9)

    chart = BarChart()
    chart.type = "col"
    chart.grouping = "stacked"
    chart.overlap = 100
    chart.y_axis.title = "Findings"
    chart.x_axis.title = "Severity"
    chart.x_axis.delete = False
    chart.y_axis.delete = False
    chart.y_axis.number_format = "0"
    chart.legend.position = "b"
    sheet = writer.sheets["Summary"]
    values = Reference(
        sheet, min_col=left + 1, max_col=left + len(statuses), min_row=grid_top, max_row=grid_top + len(severities)
    )
    categories = Reference(sheet, min_col=left, min_row=grid_top + 1, max_row=grid_top + len(severities))
    chart.add_data(values, titles_from_data=True)
    chart.set_categories(categories)
    for series, status in zip(chart.series, statuses, strict=False):
        colour = STATUS_CHART_COLOURS.get(status, "505A5F")
        series.graphicalProperties.solidFill = colour
        series.graphicalProperties.line.solidFill = colour
    chart.height, chart.width = 7.5, 15.5
    chart_row = grid_last + 2
    writer.add_chart(
        "Summary",
        chart,
        f"{get_column_letter(left)}{chart_row}",
        "Findings by severity and status",
        _chart_description(stats, statuses, grid_rows),
    )

    top = max(end_pairs, chart_row + 16) + 1
    layout.put(top, 1, f"The {TOP_FINDINGS} most serious findings", LABEL)
    layout.note(top + 1, "Failed checks first, then warnings; within each, the most severe first.")
    serious = stats.top.findings()
    layout.table(
        "MostSerious",
        top + 2,
        1,
        ["Finding ID", "Check and what was found", "Severity", "Status"],
        [
            [
                f.ref,
                f"{f.check_id} {f.title}: {(f.evidence.splitlines() or [''])[0]}"
                + (f" ({f.subject})" if f.subject else ""),
                f.severity,
                f.status,
            ]
            for f in serious
        ],
        ["code", "text", "text", "text"],
        empty="No check failed or warned.",
        row_styles=lambda row: {3: status_style(str(row[3]))},
    )
    layout.flush()


def _checklist(writer: WorkbookWriter, data: WorkbookData) -> None:
    layout = writer.layout("Checklist")
    widths = [10, 34, 16, 10, 9, 28, 48, 34, 60]
    for column, width in enumerate(widths, start=1):
        layout.width(column, width)
    layout.table(
        "Checklist",
        1,
        1,
        [
            "Check ID",
            "Check",
            "Family",
            "Severity",
            "In force",
            "Why switched off",
            "Thresholds",
            "Data it reads",
            "Reference",
        ],
        [
            [
                r.check_id,
                r.title,
                r.family,
                r.severity,
                r.enabled,
                r.disabled_reason or "",
                r.thresholds,
                r.data,
                r.reference,
            ]
            for r in data.rules
        ],
        ["code", *["text"] * 8],
        empty="The checklist has no checks.",
    )
    layout.flush(freeze="B2")


def _adverts(writer: WorkbookWriter, data: WorkbookData) -> None:
    layout = writer.layout("Adverts")
    header = [
        "Title",
        "Read from",
        "Kind",
        "URL",
        "Hiring organisation",
        "Location",
        "Date posted",
        "Closing date",
        "Salary as read",
        "Salary from",
        "Salary to",
        "Per",
        "Reference",
        "Words",
    ]
    widths = [36, 30, 10, 34, 24, 18, 12, 12, 30, 11, 11, 7, 14, 8]
    for column, width in enumerate(widths, start=1):
        layout.width(column, width)
    layout.table(
        "Adverts",
        1,
        1,
        header,
        [
            [
                a.title,
                a.source,
                a.source_kind,
                a.url or "",
                a.hiring_organisation or "",
                a.location or "",
                a.date_posted,
                a.closing,
                a.salary or "Not stated",
                a.salary_min,
                a.salary_max,
                a.salary_period or "",
                a.reference or "",
                a.words,
            ]
            for a in data.adverts
        ],
        "text text text text text text date date text number number text code number".split(),
        empty="No advert was imported for this campaign.",
    )
    layout.flush(freeze="B2")


def _pipeline(writer: WorkbookWriter, tables: list[EvidenceTable]) -> None:
    """Counts and rates side by side, their headers on one row, so one frozen pane keeps both in view."""
    layout = writer.layout("Pipeline")
    layout.put(1, 1, "Candidates through the campaign, by group", TITLE)
    if not tables:
        layout.note(2, "No candidate data was imported: import the agency template's Candidates sheet.")
        layout.flush()
        return
    notes_end = 2
    for table in tables:
        notes_end = layout.note(notes_end, f"{table.title}: {table.note}") if table.note else notes_end
    header_row = notes_end + 2
    left = 1
    for table in tables:
        layout.put(header_row - 1, left, table.title, LABEL)
        for offset, width in enumerate(table.widths):
            layout.width(left + offset, width)
        layout.table(table.name, header_row, left, table.header, table.rows, table.kinds, table.empty)
        left += len(table.header) + 1
        layout.width(left - 1, 3)
    layout.flush(freeze=f"A{header_row + 1}")


def _stacked(writer: WorkbookWriter, sheet_name: str, title: str, tables: list[EvidenceTable], empty: str) -> None:
    """Evidence tables one below another; with a single table, its header row is frozen."""
    layout = writer.layout(sheet_name)
    layout.put(1, 1, title, TITLE)
    if not tables:
        layout.note(2, empty)
        layout.flush()
        return
    row = 3
    freeze = None
    for table in tables:
        header_row, last = layout.evidence(row, 1, table)
        if len(tables) == 1:
            freeze = f"A{header_row + 1}"
        row = last + 3
    layout.flush(freeze=freeze)


def _data_quality(writer: WorkbookWriter, data: WorkbookData) -> None:
    layout = writer.layout("Data quality")
    header = ["Input", "Format", "Rows read", "Rows stored", "Rows rejected", "Sheet", "Row", "Column", "Value"]
    header.append("Problem or note")
    widths = [30, 16, 10, 11, 12, 14, 7, 20, 24, 60]
    for column, width in enumerate(widths, start=1):
        layout.width(column, width)
    rows: list[list[Any]] = []
    for item in data.inputs:
        summary = "; ".join(item.notes) or ("No problems." if not item.problems else "Problems listed below.")
        rows.append([item.name, item.format, item.rows_read, item.rows_stored, item.rows_rejected, "", None, "", ""])
        rows[-1].append(summary)
        for problem in item.problems[:MAX_LISTED_PROBLEMS]:
            rows.append(
                [
                    item.name,
                    item.format,
                    None,
                    None,
                    None,
                    problem.get("sheet") or "",
                    problem.get("row"),
                    problem.get("column") or "",
                    problem.get("value") or "",
                    problem.get("message") or "",
                ]
            )
        if len(item.problems) > MAX_LISTED_PROBLEMS:
            rows.append([item.name, item.format, None, None, None, "", None, "", ""])
            rows[-1].append(f"and {len(item.problems) - MAX_LISTED_PROBLEMS:,} more problems, not listed here")
        for sheet_name, columns in item.unknown_columns.items():
            rows.append([item.name, item.format, None, None, None, sheet_name, None, ", ".join(columns), ""])
            rows[-1].append("Columns not in the template: kept as they are, not checked.")
    layout.table(
        "DataQuality",
        1,
        1,
        header,
        rows,
        ["text", "text", "number", "number", "number", "text", "number", "text", "text", "text"],
        empty="No file was imported for this campaign.",
    )
    layout.flush(freeze="B2")


def _provenance(writer: WorkbookWriter, data: WorkbookData, stats: _FindingStats) -> None:
    layout = writer.layout("Provenance")
    layout.put(1, 1, "Provenance", TITLE)
    layout.note(2, "What this audit read and used, so that it can be checked and reproduced.")
    pairs: list[tuple[str, object]] = [
        ("Audit ID", data.audit_id),
        ("Organisation", data.organisation),
        ("Campaign", data.campaign_ref),
        ("Audited (UTC)", data.created_at),
        ("Audit as of", data.as_of),
        ("Scrutineer version", data.scrutineer_version),
        ("Checklist ID", data.checklist_id),
        ("Checklist version", data.checklist_version),
        ("Checklist SHA-256", data.checklist_sha256),
        ("Findings", stats.total),
        ("Findings SHA-256", data.findings_sha256),
        ("Findings SHA-256 covers", "Columns A to I of the Findings sheet (Finding ID to Suggestion), row by row."),
        ("Seal", data.seal),
        (
            "Evidence sheets",
            "as the audit read them: Adverts, Pipeline, Outreach and the campaign's details were kept with the audit"
            if data.evidence_kept
            else "rebuilt from the campaign's records as they are now (this audit was run before Scrutineer kept "
            "them with the audit): they may differ from what the audit read",
        ),
        *[(f"Library: {name}", version) for name, version in sorted(data.library_versions.items())],
    ]
    hashes = {"Checklist SHA-256": CODE, "Findings SHA-256": CODE, "Seal": CODE, "Audit ID": CODE}
    row = layout.pairs(4, pairs, hashes)
    row = layout.note(
        row + 1,
        "To check this workbook, run `flask verify` on it, or use Verify a workbook in Scrutineer. The agency may "
        "fill in Agency response and Response note on the Findings sheet; any other change to a finding, or to "
        "this sheet, means the workbook no longer verifies.",
        width=100,
    )
    layout.put(row + 1, 1, "Inputs", LABEL)
    layout.table(
        "Inputs",
        row + 2,
        1,
        ["Input", "SHA-256", "Format", "Rows read", "Rows stored", "Rows rejected"],
        [[i.name, i.sha256, i.format, i.rows_read, i.rows_stored, i.rows_rejected] for i in data.inputs],
        ["text", "code", "text", "number", "number", "number"],
        empty="No file was imported for this campaign.",
    )
    for column, width in enumerate((28, 70, 18, 11, 12, 13), start=1):
        layout.width(column, width)
    layout.flush()


def write(data: WorkbookData, path: Path) -> None:
    """Write the audit workbook to `path`, streaming the findings. Raises FindingsMismatch if they do not hash to
    `data.findings_sha256` (the workbook would not verify)."""
    writer = WorkbookWriter(SHEETS)
    try:
        _write_sheets(writer, data)
    except BaseException:
        writer.discard()
        raise
    writer.save(path)


def _write_sheets(writer: WorkbookWriter, data: WorkbookData) -> None:
    stats = _write_findings(writer, data.findings)
    if data.findings_sha256 and stats.sha256 != data.findings_sha256:
        raise FindingsMismatch(
            f"the findings of audit {data.audit_id} no longer hash to the SHA-256 stored with it: the workbook "
            "was not written"
        )
    _summary(writer, data, stats)
    _checklist(writer, data)
    _adverts(writer, data)
    _pipeline(writer, data.pipeline)
    _stacked(
        writer,
        "Outreach",
        "Outreach and InMail",
        data.outreach,
        "No outreach data or LinkedIn InMail report was imported for this campaign.",
    )
    _data_quality(writer, data)
    _provenance(writer, data, stats)
    writer.properties(
        title=f"Scrutineer audit {data.audit_id}: {data.campaign_ref}",
        subject=f"Compliance audit of campaign {data.campaign_ref} ({data.role_title or 'role not recorded'})"
        + (f" run by {data.agency}" if data.agency else ""),
        organisation=data.organisation,
        keywords=f"audit {data.audit_id}; checklist {data.checklist_id} v{data.checklist_version}",
        description=f"Findings SHA-256 {data.findings_sha256}",
    )


# --- reading back ------------------------------------------------------------------------------------------


class WorkbookUnreadable(ValueError):
    """The file is not a Scrutineer workbook we can read. The message names the file and says why."""


@dataclass
class ReadBack:
    provenance: dict[str, str]
    findings: list[FindingRow]  # in sheet order, each with its row number
    recomputed_sha256: str


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _unquoted(text: str) -> str | None:
    """An agency's answer as they wrote it: without the quote prefix the workbook added when it wrote the answer out
    (so a note that goes out and comes back unchanged is unchanged)."""
    if text.startswith("'") and text[1:].startswith(FORMULA_STARTS[:4]):
        text = text[1:]
    return text or None


class Book:
    """A workbook Scrutineer is handed back (to verify, or to take the agency's answers from), read once and safely.

    It is read the way the importers read workbooks (`importers.tabular.workbook_sheets`): the zip is checked for
    bombs, and python-calamine runs only in a child process under a memory and time limit, within the importers'
    row, column and cell limits. Read in this process, a 10 KB file with one cell at XFD1048576 made calamine ask
    for hundreds of GB and abort the web process. Each sheet's rows can be read as often as needed.
    """

    def __init__(self, path: Path, name: str) -> None:
        from importers import FileRejected
        from importers.tabular import workbook_sheets

        with path.open("rb") as handle:
            if handle.read(4) != b"PK\x03\x04":
                raise WorkbookUnreadable(f"{name}: not an Excel workbook (.xlsx)")
        self.path, self.name = path, name
        self._loaded: dict[str, Any] = {}

        def sheets() -> list[Any]:
            try:
                return workbook_sheets(path, name, "xlsx", self._loaded)
            except FileRejected as error:
                raise WorkbookUnreadable(f"{name}: {error.reason}") from None

        self._sheets = sheets
        self.sheet_names = [sheet.name for sheet in sheets()]

    def _sheet(self, sheet_name: str) -> Any:
        found = next((sheet for sheet in self._sheets() if sheet.name == sheet_name), None)
        if found is None:
            raise WorkbookUnreadable(f"{self.name}: there is no {sheet_name} sheet")
        return found

    def rows(self, sheet_name: str) -> Iterator[tuple[int, list[object]]]:
        """(row number, the row's cells from its sheet's first column) for each row, numbered from 1."""
        from importers import FileRejected

        try:
            for number, cells in self._sheet(sheet_name).rows:
                yield number, list(cells)
        except FileRejected as error:
            raise WorkbookUnreadable(f"{self.name}: {error.reason}") from None

    def cells(self, sheet_name: str) -> Iterator[tuple[int, int, object]]:
        """(row, column, value) of each cell of a sheet that holds a value, numbered from 1 as Excel does."""
        left = self._sheet(sheet_name).first_column
        for number, cells in self.rows(sheet_name):
            for offset, value in enumerate(cells):
                if value is not None and value != "":
                    yield number, left + offset + 1, value


def open_book(path: Path, name: str | None = None) -> Book:
    """A workbook read safely (see `Book`). Raises WorkbookUnreadable."""
    return Book(path, name or path.name)


def has_sheets(path: Path, *wanted: str) -> bool:
    """Does this file look like a workbook with these sheets? A quick look in this process, before the workbook is
    read in a child under limits: only its list of sheets is read (importers.tabular.xlsx_sheet_names), so a
    workbook is not read twice to learn that it is not one of Scrutineer's own, and a hostile one (a shared strings
    table of hundreds of MB, a cell at XFD1048576) costs this process nothing."""
    from importers.tabular import xlsx_sheet_names

    try:
        with path.open("rb") as handle:
            if handle.read(4) != b"PK\x03\x04":
                return False
        names = xlsx_sheet_names(path)
    except (OSError, ValueError):  # unreadable, damaged, or not a workbook: not one of ours
        return False
    return all(sheet in names for sheet in wanted)


def audit_workbook(path: Path) -> Book | None:
    """The file, read, if it looks like a Scrutineer audit workbook; None if not, or if it cannot be read. Only the
    sheet names are looked at first, so an ordinary workbook is not read to learn that it is not one."""
    if not has_sheets(path, "Provenance", "Findings"):
        return None
    try:
        book = open_book(path)
    except (WorkbookUnreadable, OSError):
        return None
    return book if is_audit_workbook(book) else None


def is_audit_workbook(path: Path | Book) -> bool:
    """Does this file look like a Scrutineer audit workbook (a Provenance sheet, and the Findings header)?"""
    if not isinstance(path, Book):
        return audit_workbook(path) is not None
    if "Provenance" not in path.sheet_names or "Findings" not in path.sheet_names:
        return False
    try:
        _number, header = next(path.rows("Findings"), (0, []))
    except (WorkbookUnreadable, OSError):
        return False
    return tuple(_text(c) for c in header[:HASHED_COLUMNS]) == FINDING_COLUMNS[:HASHED_COLUMNS]


def read(path: Path | Book, name: str | None = None) -> ReadBack:
    """Read the Provenance and Findings sheets of a workbook. Raises WorkbookUnreadable."""
    book = path if isinstance(path, Book) else open_book(path, name)
    name = book.name
    if "Provenance" not in book.sheet_names or "Findings" not in book.sheet_names:
        raise WorkbookUnreadable(f"{name}: this is not a Scrutineer audit workbook (no Provenance or Findings sheet)")
    provenance: dict[str, str] = {}
    for _number, row in book.rows("Provenance"):
        if len(row) >= 2 and isinstance(row[0], str) and row[0] and row[1] not in (None, ""):
            provenance.setdefault(row[0], _text(row[1]))
    findings: list[FindingRow] = []
    rows = book.rows("Findings")
    header_row, header = next(rows, (0, []))
    if header_row != 1 or tuple(_text(c) for c in header[: len(FINDING_COLUMNS)]) != FINDING_COLUMNS:
        raise WorkbookUnreadable(
            f"{name}: the Findings sheet's columns have been changed (its first row must be "
            f"{', '.join(FINDING_COLUMNS)})"
        )
    for number, row in rows:
        cells = [_text(c) for c in row[: len(FINDING_COLUMNS)]] + [""] * len(FINDING_COLUMNS)
        if not any(cells[:HASHED_COLUMNS]):
            continue  # a blank row (an audit with no findings has one), or a response typed under the last finding
        findings.append(FindingRow(*cells[:HASHED_COLUMNS], _unquoted(cells[9]), _unquoted(cells[10]), number))
    as_written = findings_digest(f.cells() for f in findings)
    if as_written != provenance.get("Findings SHA-256"):
        # Sorting or filtering the sheet moves rows: hash them in finding-ID order, as they were written.
        as_written = findings_digest(f.cells() for f in sorted(findings, key=lambda f: finding_order(f.ref)))
    return ReadBack(provenance=provenance, findings=findings, recomputed_sha256=as_written)

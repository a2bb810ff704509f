"""The agency scorecard: how each executive-search agency has done across its campaigns, for procurement's
supplier reviews.

Sheets, in order: Summary (one row per agency), Campaigns (one row per campaign: role, dates, score, rating,
critical findings), Score over time (a line chart per agency), Checks failed (the checks each agency fails most
often), Timeliness (days to long list and short list against the contract's SLA), Diversity and outreach (women
on the long list, InMail response rates), and About (how each figure is worked out, and the audits used).

Each campaign counts once, with its latest audit. Plain data in, a workbook out: no Flask, no database. It is
written with the same styles and safety rules as the audit workbook (see `audits/xlsx.py`).

A scorecard carries its ID on the About sheet. `fingerprint` reads a scorecard workbook back and hashes what each
sheet shows, cell by cell, in a form that survives the workbook being opened and saved again in a spreadsheet
program (numbers to 12 significant figures, times to the second); Scrutineer keeps the fingerprint of each scorecard
it writes, so a copy handed in later can be checked against it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from openpyxl.chart import Reference, ScatterChart, Series

from audits.workbook import Book, WorkbookUnreadable, has_sheets, open_book
from audits.xlsx import LABEL, NOTE, TITLE, WorkbookWriter, rating_style
from importers.records import STAGE_ORDER, InMailStatsRecord, RecruiterUsageRecord

SHEETS = (
    "Summary",
    "Campaigns",
    "Score over time",
    "Checks failed",
    "Timeliness",
    "Diversity and outreach",
    "About",
)
SEVERITY_RANK = {"critical": 0, "high": 1, "medium": 2, "low": 3, "info": 4}
SERIES_COLOURS = ("1D70B8", "D4351C", "00703C", "F47738", "4C2C92", "6F777B", "B58840", "912B88", "28A197")
NOT_AUDITED = "Not audited"


# (stage reached, sex, candidates): how a campaign's candidates are counted for the long list, so that a campaign of
# any size is summed by the database rather than read row by row.
StageSexCount = tuple[str | None, str | None, int]
# (channel, response, messages): the agency's Outreach sheet, counted the same way.
OutreachCount = tuple[str | None, str | None, int]


def longlist_figures(counts: Iterable[StageSexCount]) -> tuple[int, int, int]:
    """Candidates who reached the long list, the women among them, and those whose sex is recorded.

    A candidate is on the long list when their furthest stage is "longlisted" or later (as `CandidateRecord.reached`
    decides it for the checks)."""
    longlisted = STAGE_ORDER["longlisted"]
    size = women = recorded = 0
    for stage, sex, count in counts:
        if stage is None or STAGE_ORDER[stage] < longlisted:
            continue
        size += count
        women += count if sex == "female" else 0
        recorded += count if sex in ("female", "male", "other") else 0
    return size, women, recorded


@dataclass(frozen=True)
class InMailTotals:
    """What the scorecard reads of a LinkedIn report for one campaign: how many rows, InMails sent and answered."""

    rows: int = 0
    sent: int = 0
    answered: int = 0  # accepted or declined

    def __add__(self, other: InMailTotals) -> InMailTotals:
        return InMailTotals(self.rows + other.rows, self.sent + other.sent, self.answered + other.answered)

    @classmethod
    def of_usage(cls, records: Sequence[RecruiterUsageRecord]) -> InMailTotals:
        return cls(
            len(records),
            sum(r.inmails_sent or 0 for r in records),
            sum((r.inmails_accepted or 0) + (r.inmails_declined or 0) for r in records),
        )

    @classmethod
    def of_inmail_report(cls, records: Sequence[InMailStatsRecord]) -> InMailTotals:
        return cls(
            len(records),
            sum(r.sent or 0 for r in records),
            sum((r.accepted or 0) + (r.declined or 0) for r in records),
        )


def inmail_figures(
    usage: InMailTotals, inmail_stats: InMailTotals, outreach: Iterable[OutreachCount]
) -> tuple[int, int, str]:
    """InMails sent, InMails answered (accepted or declined) and where the figures came from.

    The LinkedIn Recruiter usage report is preferred, then the InMail report, then the agency's own Outreach sheet
    (InMail channel only), given as counts of (channel, response)."""
    if usage.rows:
        return usage.sent, usage.answered, "LinkedIn Recruiter usage report"
    if inmail_stats.rows:
        return inmail_stats.sent, inmail_stats.answered, "LinkedIn InMail report"
    inmails = [(response, count) for channel, response, count in outreach if channel == "inmail"]
    if inmails:
        answered = sum(count for response, count in inmails if response in ("accepted", "declined"))
        return sum(count for _response, count in inmails), answered, "Agency template, Outreach sheet"
    return 0, 0, "No InMail data"


def _share(numerator: int, denominator: int) -> float | None:
    return numerator / denominator if denominator else None


def _on_time(days: int | None, sla: int | None) -> str:
    if days is None:
        return "Not reached"
    if sla is None:
        return "No SLA recorded"
    return "Yes" if days <= sla else "No"


@dataclass
class CampaignScore:
    """One campaign of one agency, with its latest audit (if any) and the figures procurement reviews."""

    agency: str
    campaign_ref: str
    role_title: str | None = None
    brief_date: dt.date | None = None
    advert_live_date: dt.date | None = None
    closing_date: dt.date | None = None
    longlist_date: dt.date | None = None
    shortlist_date: dt.date | None = None
    sla_longlist_days: int | None = None
    sla_shortlist_days: int | None = None
    audit_id: str | None = None
    audited_at: dt.datetime | None = None
    as_of: dt.date | None = None
    checklist: str | None = None
    findings_sha256: str | None = None
    score: float | None = None
    rag: str = NOT_AUDITED
    critical_fails: int = 0
    high_fails: int = 0
    fails: int = 0
    longlist_size: int = 0
    longlist_women: int = 0
    longlist_sex_recorded: int = 0
    inmails_sent: int = 0
    inmails_answered: int = 0
    inmail_source: str = "No InMail data"

    @property
    def start(self) -> dt.date | None:
        """Where the SLA clock starts: the brief, or the advert going live if no brief date is recorded."""
        return self.brief_date or self.advert_live_date

    def _days(self, end: dt.date | None) -> int | None:
        return (end - self.start).days if end and self.start else None

    @property
    def days_to_longlist(self) -> int | None:
        return self._days(self.longlist_date)

    @property
    def days_to_shortlist(self) -> int | None:
        return self._days(self.shortlist_date)

    @property
    def longlist_on_time(self) -> str:
        return _on_time(self.days_to_longlist, self.sla_longlist_days)

    @property
    def shortlist_on_time(self) -> str:
        return _on_time(self.days_to_shortlist, self.sla_shortlist_days)

    @property
    def women_share(self) -> float | None:
        return _share(self.longlist_women, self.longlist_sex_recorded)

    @property
    def inmail_response_rate(self) -> float | None:
        return _share(self.inmails_answered, self.inmails_sent)

    @property
    def dated(self) -> tuple[dt.date | None, str]:
        """The date the campaign is plotted at, and which date it is."""
        for label, value in (
            ("Closing date", self.closing_date),
            ("Brief", self.brief_date),
            ("Advert live", self.advert_live_date),
        ):
            if value is not None:
                return value, label
        if self.audited_at is not None:
            return self.audited_at.date(), "Audit"
        return None, "No date"


@dataclass
class CheckTally:
    """How one agency's campaigns did on one check, in their latest audits."""

    check_id: str
    title: str
    family: str
    severity: str  # critical, high… (as stored)
    failed: int = 0
    warned: int = 0
    checked: int = 0  # campaigns where it passed, warned or failed

    @property
    def failed_share(self) -> float | None:
        return _share(self.failed, self.checked)

    def counts(self) -> list[int | float | None]:
        return [self.failed, self.warned, self.checked, self.failed_share]


@dataclass
class AgencyScorecard:
    name: str
    campaigns: list[CampaignScore] = field(default_factory=list)
    checks: list[CheckTally] = field(default_factory=list)

    @property
    def audited(self) -> list[CampaignScore]:
        return [c for c in self.campaigns if c.audit_id]

    @property
    def scored(self) -> list[CampaignScore]:
        return [c for c in self.campaigns if c.score is not None]

    def latest(self) -> CampaignScore | None:
        dated = [c for c in self.audited if c.audited_at]
        return max(dated, key=lambda c: c.audited_at or dt.datetime.min) if dated else None


@dataclass
class ScorecardData:
    organisation: str
    generated_at: dt.datetime  # UTC
    scrutineer_version: str
    agency_filter: str | None
    agencies: list[AgencyScorecard]
    scorecard_id: str | None = None  # set when the scorecard is issued as a workbook, shown on its About sheet


def tally_checks(rows: Iterable[tuple[str, str, str, str, str, int]]) -> list[CheckTally]:
    """Tallies from (check_id, title, family, severity, status, campaigns) rows, most often failed first."""
    tallies: dict[str, CheckTally] = {}
    for check_id, title, family, severity, status, campaigns in rows:
        tally = tallies.setdefault(check_id, CheckTally(check_id, title, family, severity))
        if status == "fail":
            tally.failed += campaigns
        elif status == "warn":
            tally.warned += campaigns
        if status in ("pass", "warn", "fail"):
            tally.checked += campaigns
    ordered = sorted(
        tallies.values(),
        key=lambda t: (-t.failed, -t.warned, SEVERITY_RANK.get(t.severity, 9), t.check_id),
    )
    return [t for t in ordered if t.failed or t.warned]


# --- writing ---------------------------------------------------------------------------------------------------


def _mean(values: list[float]) -> float | None:
    return sum(values) / len(values) if values else None


def _summary(writer: WorkbookWriter, data: ScorecardData) -> None:
    layout = writer.layout("Summary")
    layout.put(1, 1, "Agency scorecard", TITLE)
    layout.put(2, 1, f"Executive-search agencies working for {data.organisation}", NOTE)
    campaigns = sum(len(a.campaigns) for a in data.agencies)
    row = layout.pairs(
        4,
        [
            ("Organisation", data.organisation),
            ("Agencies", data.agency_filter or f"All ({len(data.agencies)})"),
            ("Campaigns", campaigns),
            ("Written (UTC)", data.generated_at),
        ],
    )
    row = layout.note(
        row + 1,
        "Each campaign counts once, with its latest audit. Ratings are words as well as colours. How every figure "
        "is worked out is on the About sheet.",
    )
    header = [
        "Agency",
        "Campaigns",
        "Audited",
        "Average score",
        "Lowest score",
        "Latest rating",
        "Red",
        "Amber",
        "Green",
        "Critical findings",
        "Long lists on time",
        "Long lists measured",
        "Short lists on time",
        "Short lists measured",
        "Women on long lists",
        "InMail response rate",
    ]
    rows = []
    for agency in data.agencies:
        scores = [c.score for c in agency.scored if c.score is not None]
        ratings = Counter(c.rag for c in agency.campaigns)
        latest = agency.latest()
        long_measured = [c for c in agency.campaigns if c.longlist_on_time in ("Yes", "No")]
        short_measured = [c for c in agency.campaigns if c.shortlist_on_time in ("Yes", "No")]

        def total(attribute: str, campaigns: list[CampaignScore] = agency.campaigns) -> int:
            return sum(getattr(c, attribute) for c in campaigns)

        rows.append(
            [
                agency.name,
                len(agency.campaigns),
                len(agency.audited),
                _mean(scores),
                min(scores) if scores else None,
                latest.rag if latest else NOT_AUDITED,
                ratings["Red"],
                ratings["Amber"],
                ratings["Green"],
                sum(c.critical_fails for c in agency.campaigns),
                _share(sum(1 for c in long_measured if c.longlist_on_time == "Yes"), len(long_measured)),
                len(long_measured),
                _share(sum(1 for c in short_measured if c.shortlist_on_time == "Yes"), len(short_measured)),
                len(short_measured),
                _share(total("longlist_women"), total("longlist_sex_recorded")),
                _share(total("inmails_answered"), total("inmails_sent")),
            ]
        )
    kinds = ["text", "number", "number", "score", "score", "text", "number", "number", "number", "number"]
    kinds += ["percent", "number", "percent", "number", "percent", "percent"]
    widths = [26, 24, 9, 10, 10, 13, 7, 8, 8, 10, 10, 10, 10, 10, 10, 11]
    for column, width in enumerate(widths, start=1):
        layout.width(column, width)
    layout.put(row + 1, 1, "Agencies", LABEL)
    layout.table(
        "Agencies",
        row + 2,
        1,
        header,
        rows,
        kinds,
        empty="No agency has campaigns yet.",
        row_styles=lambda values: {5: rating_style(str(values[5]))},
    )
    layout.flush()


def _campaigns(writer: WorkbookWriter, data: ScorecardData) -> None:
    layout = writer.layout("Campaigns")
    header = [
        "Agency",
        "Campaign",
        "Role",
        "Briefed",
        "Closing date",
        "Long list",
        "Short list",
        "Audit ID",
        "Audited (UTC)",
        "Score",
        "Rating",
        "Critical findings",
        "High findings",
        "Failed checks",
    ]
    kinds = ["text", "code", "text", "date", "date", "date", "date", "code", "time", "score", "text"]
    kinds += ["number", "number", "number"]
    for column, width in enumerate((24, 14, 36, 12, 12, 12, 12, 24, 16, 8, 11, 10, 9, 9), start=1):
        layout.width(column, width)
    rows = [
        [
            c.agency,
            c.campaign_ref,
            c.role_title or "",
            c.brief_date,
            c.closing_date,
            c.longlist_date,
            c.shortlist_date,
            c.audit_id or NOT_AUDITED,
            c.audited_at,
            c.score,
            c.rag,
            c.critical_fails if c.audit_id else None,
            c.high_fails if c.audit_id else None,
            c.fails if c.audit_id else None,
        ]
        for agency in data.agencies
        for c in agency.campaigns
    ]
    layout.table(
        "Campaigns",
        1,
        1,
        header,
        rows,
        kinds,
        empty="No campaigns.",
        row_styles=lambda values: {10: rating_style(str(values[10]))},
    )
    layout.flush(freeze="C2")


def _score_over_time(writer: WorkbookWriter, data: ScorecardData) -> None:
    layout = writer.layout("Score over time")
    layout.put(1, 1, "Score over time", TITLE)
    layout.note(2, "Each campaign's latest audit score, at the campaign's closing date (or its brief, if none).")
    header_row = 4
    header = ["Agency", "Date", "Date is", "Campaign", "Audit ID", "Score", "Rating"]
    rows: list[list[Any]] = []
    spans: list[tuple[str, int, int]] = []  # agency, first and last table row
    for agency in data.agencies:
        points = sorted(
            ((c.dated, c) for c in agency.scored if c.dated[0] is not None), key=lambda item: item[0][0] or dt.date.min
        )
        if not points:
            continue
        first = header_row + 1 + len(rows)
        for (date, label), c in points:
            rows.append([agency.name, date, label, c.campaign_ref, c.audit_id, c.score, c.rag])
        spans.append((agency.name, first, header_row + len(rows)))
    for column, width in enumerate((24, 12, 12, 14, 24, 8, 11), start=1):
        layout.width(column, width)
    layout.table(
        "ScoreOverTime",
        header_row,
        1,
        header,
        rows,
        ["text", "date", "text", "code", "code", "score", "text"],
        empty="No campaign has an audit score yet.",
        row_styles=lambda values: {6: rating_style(str(values[6]))},
    )
    sheet = writer.sheets["Score over time"]
    chart = ScatterChart()
    chart.style = 13
    chart.y_axis.title = "Score (0 to 100)"
    chart.x_axis.title = "Campaign date"
    chart.y_axis.scaling.min, chart.y_axis.scaling.max = 0, 100
    chart.y_axis.majorUnit = 20
    chart.y_axis.number_format = "0"
    chart.x_axis.number_format = "mmm yyyy"
    chart.x_axis.delete = False
    chart.y_axis.delete = False
    chart.legend.position = "b"
    described = []
    for index, (name, first, last) in enumerate(spans):
        xs = Reference(sheet, min_col=2, min_row=first, max_row=last)
        ys = Reference(sheet, min_col=6, min_row=first, max_row=last)
        series = Series(ys, xs, title=name[:250])
        colour = SERIES_COLOURS[index % len(SERIES_COLOURS)]
        series.marker.symbol = ("circle", "square", "triangle", "diamond", "x")[index % 5]
        series.marker.size = 7
        series.marker.graphicalProperties.solidFill = colour
        series.graphicalProperties.line.solidFill = colour
        series.graphicalProperties.line.width = 22000
        chart.series.append(series)
        points = rows[first - header_row - 1 : last - header_row]
        described.append(
            f"{name}: {len(points)} campaign{'s' if len(points) != 1 else ''}, "
            + ", ".join(f"{p[5]:g} ({p[1]:%b %Y})" for p in points)
        )
    chart.height, chart.width = 9, 18
    description = (
        "Line chart of each agency's campaign scores (0 to 100) over time. "
        + ("; ".join(described) + "." if described else "No campaign has an audit score yet.")
        + " The same figures are in the table beside the chart."
    )
    writer.add_chart("Score over time", chart, "I4", "Score over time", description)
    layout.flush(freeze=f"A{header_row + 1}")


def _checks_failed(writer: WorkbookWriter, data: ScorecardData) -> None:
    layout = writer.layout("Checks failed")
    header = ["Agency", "Check ID", "Check", "Family", "Severity", "Campaigns failed", "Campaigns warned"]
    header += ["Campaigns checked", "Failed share"]
    for column, width in enumerate((24, 10, 40, 16, 10, 10, 10, 10, 9), start=1):
        layout.width(column, width)
    rows = [
        [agency.name, t.check_id, t.title, t.family, t.severity.capitalize(), *t.counts()]
        for agency in data.agencies
        for t in agency.checks
    ]
    layout.table(
        "ChecksFailed",
        1,
        1,
        header,
        rows,
        ["text", "code", "text", "text", "text", "number", "number", "number", "percent"],
        empty="No check failed or warned in the latest audits.",
    )
    layout.flush(freeze="C2")


def _timeliness(writer: WorkbookWriter, data: ScorecardData) -> None:
    layout = writer.layout("Timeliness")
    layout.put(1, 1, "Time to long list and short list against the SLA", TITLE)
    layout.note(
        2,
        "Days are counted from the brief (or from the advert going live, if no brief date is recorded) to the long "
        "list and short list dates; the SLAs are the campaign's sla_longlist_days and sla_shortlist_days.",
    )
    header = ["Agency", "Campaign", "Clock starts", "Long list", "Days to long list", "Long-list SLA (days)"]
    header += ["Long list on time", "Short list", "Days to short list", "Short-list SLA (days)", "Short list on time"]
    for column, width in enumerate((24, 14, 12, 12, 10, 10, 14, 12, 10, 10, 14), start=1):
        layout.width(column, width)
    rows = [
        [
            c.agency,
            c.campaign_ref,
            c.start,
            c.longlist_date,
            c.days_to_longlist,
            c.sla_longlist_days,
            c.longlist_on_time,
            c.shortlist_date,
            c.days_to_shortlist,
            c.sla_shortlist_days,
            c.shortlist_on_time,
        ]
        for agency in data.agencies
        for c in agency.campaigns
    ]
    layout.table(
        "Timeliness",
        4,
        1,
        header,
        rows,
        ["text", "code", "date", "date", "number", "number", "text", "date", "number", "number", "text"],
        empty="No campaigns.",
    )
    layout.flush(freeze="C5")


def _diversity(writer: WorkbookWriter, data: ScorecardData) -> None:
    layout = writer.layout("Diversity and outreach")
    layout.put(1, 1, "Long-list diversity and InMail response", TITLE)
    layout.note(
        2,
        "Women share: women among long-listed candidates whose sex is recorded. InMail response rate: InMails "
        "accepted or declined as a share of those sent (LinkedIn's definition).",
    )
    header = ["Agency", "Campaign", "Long list", "Women", "Sex recorded", "Women share", "InMails sent"]
    header += ["InMails answered", "InMail response rate", "InMail figures from"]
    for column, width in enumerate((24, 14, 9, 9, 10, 10, 10, 10, 11, 30), start=1):
        layout.width(column, width)
    rows = [
        [
            c.agency,
            c.campaign_ref,
            c.longlist_size,
            c.longlist_women,
            c.longlist_sex_recorded,
            c.women_share,
            c.inmails_sent,
            c.inmails_answered,
            c.inmail_response_rate,
            c.inmail_source,
        ]
        for agency in data.agencies
        for c in agency.campaigns
    ]
    layout.table(
        "DiversityOutreach",
        4,
        1,
        header,
        rows,
        ["text", "code", "number", "number", "number", "percent", "number", "number", "percent", "text"],
        empty="No campaigns.",
    )
    layout.flush(freeze="C5")


def _about(writer: WorkbookWriter, data: ScorecardData) -> None:
    layout = writer.layout("About")
    layout.put(1, 1, ABOUT_TITLE, TITLE)
    row = layout.pairs(
        3,
        [
            *([(SCORECARD_ID, data.scorecard_id)] if data.scorecard_id else []),
            ("Organisation", data.organisation),
            ("Agencies", data.agency_filter or "All"),
            ("Written (UTC)", data.generated_at),
            ("Scrutineer version", data.scrutineer_version),
            ("Score", "The latest audit's score (0 to 100) under its checklist's scoring rule."),
            ("Rating", "Red, Amber or Green by the checklist's rule; Not rated when nothing could be scored."),
            ("Critical findings", "Critical checks that failed in the latest audit."),
            ("Checks failed", "Campaigns whose latest audit failed or warned on a check, of those where it ran."),
            ("Time to long list", "Days from the brief (or advert live date) to the long list date, against the SLA."),
            (
                "Women on long lists",
                "Women among long-listed candidates whose sex is recorded, as ES-01 counts: each candidate once, "
                "from the newest file that names them, at the furthest stage that file gives.",
            ),
            ("InMail response rate", "InMails accepted or declined, as a share of those sent."),
            *(
                [("Verifying", "Scrutineer keeps a fingerprint of this workbook: Verify a workbook checks a copy.")]
                if data.scorecard_id
                else []
            ),
        ],
    )
    layout.width(1, 24)
    layout.width(2, 70)
    for column, width in enumerate((24, 70, 14, 24, 16, 30), start=1):
        layout.width(column, width)
    layout.put(row + 1, 1, "Audits used", LABEL)
    layout.table(
        "AuditsUsed",
        row + 2,
        1,
        ["Agency", "Findings SHA-256", "Campaign", "Audit ID", "Audited (UTC)", "Checklist"],
        [
            [c.agency, c.findings_sha256, c.campaign_ref, c.audit_id, c.audited_at, c.checklist or ""]
            for agency in data.agencies
            for c in agency.audited
        ],
        ["text", "code", "code", "code", "time", "text"],
        empty="No audits.",
    )
    layout.flush()


def write(data: ScorecardData, path: Path) -> None:
    """Write the scorecard workbook to `path`."""
    writer = WorkbookWriter(SHEETS)
    try:
        for sheet in (_summary, _campaigns, _score_over_time, _checks_failed, _timeliness, _diversity, _about):
            sheet(writer, data)
    except BaseException:
        writer.discard()
        raise
    names = ", ".join(a.name for a in data.agencies[:5]) + (" and others" if len(data.agencies) > 5 else "")
    writer.properties(
        title=f"Scrutineer agency scorecard: {data.agency_filter or 'all agencies'}",
        subject=f"Executive-search agency scorecard for {data.organisation}: {names or 'no agencies'}",
        organisation=data.organisation,
        keywords="scorecard; supplier review",
        description=f"Written {data.generated_at:%d %B %Y %H:%M} UTC by Scrutineer {data.scrutineer_version}",
    )
    writer.save(path)


ABOUT_TITLE = "About this scorecard"
SCORECARD_ID = "Scorecard ID"


@dataclass
class Fingerprint:
    """What a scorecard workbook shows, hashed: the whole of it and each sheet (SHEETS; "" for a sheet not there)."""

    scorecard_id: str | None
    content_sha256: str
    sheets: dict[str, str]


def canonical(value: object) -> str:
    """A cell's value as text that is the same after a spreadsheet program has opened and saved the workbook: it
    may keep a number to 15 significant figures (so 12 are compared), and a time to the millisecond."""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else format(value, ".12g")
    if isinstance(value, dt.datetime):
        rounded = (value + dt.timedelta(microseconds=500_000)).replace(microsecond=0)
        return rounded.date().isoformat() if rounded.time() == dt.time() else rounded.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dt.time):
        return value.replace(microsecond=0).isoformat()
    if isinstance(value, dt.timedelta):
        return str(round(value.total_seconds()))
    return str(value)


def is_scorecard_workbook(path: Path | Book) -> bool:
    """Does this file look like a scorecard workbook (its About sheet begins "About this scorecard")?"""
    if not isinstance(path, Book) and not has_sheets(path, *SHEETS):
        return False
    try:
        book = path if isinstance(path, Book) else open_book(path)
        if "About" not in book.sheet_names:
            return False
        first = next(book.cells("About"), None)
    except (WorkbookUnreadable, OSError):
        return False
    return first is not None and first[:2] == (1, 1) and first[2] == ABOUT_TITLE


def fingerprint(path: Path | Book, name: str | None = None) -> Fingerprint:
    """Read a scorecard workbook and hash what it shows. Raises WorkbookUnreadable."""
    book = path if isinstance(path, Book) else open_book(path, name)
    present = set(book.sheet_names)
    sheets: dict[str, str] = {}
    scorecard_id = None
    for sheet in SHEETS:
        if sheet not in present:
            sheets[sheet] = ""
            continue
        digest = hashlib.sha256()
        label_row = None
        for row, column, value in book.cells(sheet):
            text = canonical(value)
            digest.update(f"{row}\t{column}\t{text}\n".encode())
            if sheet == "About" and column == 1 and text == SCORECARD_ID:
                label_row = row
            elif sheet == "About" and column == 2 and row == label_row and scorecard_id is None:
                scorecard_id = text
        sheets[sheet] = digest.hexdigest()
    whole = hashlib.sha256("".join(f"{sheet}\t{sheets[sheet]}\n" for sheet in SHEETS).encode()).hexdigest()
    return Fingerprint(scorecard_id, whole, sheets)

"""Agency scorecards: gather each agency's campaigns and latest audits for an organisation, and write the workbook.

Functions for the web pages: `scorecard_data` (the figures, to show on a page) and `write_scorecard` (the workbook,
to a file: for the command line, and for the job that prepares a download). Everything is scoped to one organisation.

Each scorecard workbook written gets an ID, shown on its About sheet, and its fingerprint (`audits.scorecard.
fingerprint`) is kept as an `IssuedScorecard`; `verify_scorecard` checks a copy handed in against it.
"""

from __future__ import annotations

import secrets
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from app import __version__
from app.dao import campaigns as campaigns_dao
from app.dao import events, transaction
from app.dao import organisations as organisations_dao
from app.dao import scorecards as scorecards_dao
from app.extensions import db
from app.models import AuditRun, Campaign, IssuedScorecard, Organisation, User, utcnow
from audits import scorecard
from audits.scorecard import AgencyScorecard, CampaignScore, InMailTotals, ScorecardData
from audits.workbook import Book, open_book

_SEVERITY_RANK = scorecard.SEVERITY_RANK


class ScorecardRefused(Exception):
    """The scorecard cannot be written (an unknown agency, or no agencies yet). The message says what to do."""


@dataclass
class _Counted:
    """What the database counted for every campaign of the organisation at once (app.dao.scorecards)."""

    candidates: dict[int, list[scorecard.StageSexCount]]
    outreach: dict[int, list[scorecard.OutreachCount]]
    usage: dict[int | None, InMailTotals]
    inmail_report: dict[int | None, InMailTotals]

    @classmethod
    def of(cls, organisation_id: int) -> _Counted:
        return cls(
            scorecards_dao.candidate_counts(organisation_id),
            scorecards_dao.outreach_counts(organisation_id),
            scorecards_dao.usage_totals(organisation_id),
            scorecards_dao.inmail_report_totals(organisation_id),
        )

    def inmails(self, campaign_id: int) -> tuple[int, int, str]:
        """A campaign's InMail figures: its own report rows and the organisation's, as its audit reads them."""
        none = InMailTotals()
        usage = self.usage.get(campaign_id, none) + self.usage.get(None, none)
        report = self.inmail_report.get(campaign_id, none) + self.inmail_report.get(None, none)
        return scorecard.inmail_figures(usage, report, self.outreach.get(campaign_id, ()))


def _campaign_score(agency: str, campaign: Campaign, run: AuditRun | None, counted: _Counted) -> CampaignScore:
    longlist_size, women, sex_recorded = scorecard.longlist_figures(counted.candidates.get(campaign.id, ()))
    sent, answered, source = counted.inmails(campaign.id)
    score = CampaignScore(
        agency=agency,
        campaign_ref=campaign.ref,
        role_title=campaign.role_title,
        brief_date=campaign.brief_date,
        advert_live_date=campaign.advert_live_date,
        closing_date=campaign.closing_date,
        longlist_date=campaign.longlist_date,
        shortlist_date=campaign.shortlist_date,
        sla_longlist_days=campaign.sla_longlist_days,
        sla_shortlist_days=campaign.sla_shortlist_days,
        longlist_size=longlist_size,
        longlist_women=women,
        longlist_sex_recorded=sex_recorded,
        inmails_sent=sent,
        inmails_answered=answered,
        inmail_source=source,
    )
    if run is not None:
        score.audit_id = run.public_id
        score.audited_at = run.created_at.replace(microsecond=0)  # to the second, as a spreadsheet keeps a time
        score.as_of = run.as_of
        score.checklist = f"{run.checklist_id} v{run.checklist_version}"
        score.findings_sha256 = run.findings_sha256
        score.score = run.score
        score.rag = run.rag
    return score


@dataclass
class _CheckInAudit:
    title: str
    family: str
    severity: str
    statuses: set[str] = field(default_factory=set)

    @property
    def outcome(self) -> str:
        """One outcome per check and campaign: fail if any of its findings failed, else warn, else pass."""
        return next((s for s in ("fail", "warn", "pass") if s in self.statuses), min(self.statuses))


def _tallies(organisation_id: int, runs: dict[int, CampaignScore]) -> dict[int, list[tuple[str, str, str, str, str]]]:
    """Per audit run, (check ID, title, family, severity, outcome) for each check; and each campaign's fail counts."""
    checks: dict[tuple[int, str], _CheckInAudit] = {}
    for run_id, check_id, title, family, severity, status, count in scorecards_dao.finding_tallies(
        organisation_id, list(runs)
    ):
        check = checks.setdefault((run_id, check_id), _CheckInAudit(title, family, severity))
        if _SEVERITY_RANK.get(severity, 9) < _SEVERITY_RANK.get(check.severity, 9):
            check.severity = severity  # a check whose severity depends on what it found counts at its worst
        check.statuses.add(status)
        if status == "fail":
            campaign = runs[run_id]
            campaign.fails += count
            campaign.critical_fails += count if severity == "critical" else 0
            campaign.high_fails += count if severity == "high" else 0
    outcomes: dict[int, list[tuple[str, str, str, str, str]]] = defaultdict(list)
    for (run_id, check_id), check in checks.items():
        outcomes[run_id].append((check_id, check.title, check.family, check.severity, check.outcome))
    return outcomes


def scorecard_data(organisation: Organisation, agency_name: str | None = None) -> ScorecardData:
    """The scorecard figures for every agency of `organisation` (or the one named, matched ignoring case).
    Raises ScorecardRefused for an unknown agency, or when the organisation has none."""
    agencies = organisations_dao.agencies_of(organisation.id)
    if agency_name:
        found = organisations_dao.agency_by_name(organisation.id, agency_name)
        if found is None:
            known = ", ".join(a.name for a in agencies) or "none yet"
            raise ScorecardRefused(f"there is no agency {agency_name!r} in {organisation.name} (agencies: {known})")
        agencies = [found]
    if not agencies:
        raise ScorecardRefused(
            f"{organisation.name} has no agencies yet: import the agency template's Campaigns sheet first"
        )
    latest = campaigns_dao.latest_audits(organisation.id)
    # Counted once for every campaign: the page works this out on each visit, for a framework of thousands of
    # campaigns and a million candidates (bench/bench_scorecard.py).
    counted = _Counted.of(organisation.id)
    cards: list[AgencyScorecard] = []
    by_run: dict[int, CampaignScore] = {}
    run_agency: dict[int, AgencyScorecard] = {}
    for agency in agencies:
        card = AgencyScorecard(agency.name)
        for campaign in campaigns_dao.campaigns_for(organisation.id, agency_id=agency.id):
            run = latest.get(campaign.id)
            card.campaigns.append(_campaign_score(agency.name, campaign, run, counted))
            if run is not None:
                by_run[run.id] = card.campaigns[-1]
                run_agency[run.id] = card
        cards.append(card)
    outcomes = _tallies(organisation.id, by_run)
    per_agency: dict[str, list[tuple[str, str, str, str, str, int]]] = defaultdict(list)
    for run_id, checks in outcomes.items():
        per_agency[run_agency[run_id].name].extend((*check, 1) for check in checks)
    for card in cards:
        card.checks = scorecard.tally_checks(per_agency[card.name])
    return ScorecardData(
        organisation=organisation.name,
        generated_at=utcnow().replace(microsecond=0),  # a whole second: what a spreadsheet keeps of a time
        scrutineer_version=__version__,
        agency_filter=agencies[0].name if agency_name else None,
        agencies=cards,
    )


def new_scorecard_id() -> str:
    return f"SC-{utcnow():%Y%m%d}-{secrets.token_hex(4).upper()}"


def write_scorecard(
    organisation: Organisation, path: Path, agency_name: str | None = None, user: User | None = None
) -> ScorecardData:
    """Write the scorecard workbook to `path`, keep its fingerprint and log who asked for it (`user`, or the command
    line); returns the figures it shows. Raises ScorecardRefused."""
    data = scorecard_data(organisation, agency_name)
    data.scorecard_id = new_scorecard_id()
    scorecard.write(data, path)
    printed = scorecard.fingerprint(path)  # read back: the fingerprint is of the file as written
    with transaction():
        db.session.add(
            IssuedScorecard(
                public_id=data.scorecard_id,
                organisation_id=organisation.id,
                agency_name=data.agency_filter,
                written_at=data.generated_at,
                scrutineer_version=data.scrutineer_version,
                content_sha256=printed.content_sha256,
                sheet_sha256=printed.sheets,
            )
        )
        events.record(
            "scorecard.written",
            organisation_id=organisation.id,
            actor=user,
            actor_label=None if user else "command line",
            object_type="scorecard",
            object_ref=data.scorecard_id,
            agency=data.agency_filter,
            campaigns=sum(len(agency.campaigns) for agency in data.agencies),
            content_sha256=printed.content_sha256,
        )
    return data


@dataclass
class ScorecardVerification:
    """What `verify_scorecard` found. `ok`: this installation wrote it, for this organisation, and nothing it shows
    has changed. `messages` says why not, one reason per line, for people."""

    ok: bool
    scorecard_id: str | None
    file: str = ""
    messages: list[str] = field(default_factory=list)
    changed_sheets: list[str] = field(default_factory=list)
    issued: IssuedScorecard | None = None
    kind: str = "scorecard"

    @property
    def ref(self) -> str | None:
        return self.scorecard_id

    @property
    def changed(self) -> list[str]:
        return self.changed_sheets


def verify_scorecard(
    path: Path | Book, organisation_id: int | None = None, name: str | None = None
) -> ScorecardVerification:
    """Is this scorecard workbook one this installation wrote, for `organisation_id` (any if None), showing what it
    showed then? Raises WorkbookUnreadable for a file it cannot read."""
    book = path if isinstance(path, Book) else open_book(path, name)
    name = name or book.name
    printed = scorecard.fingerprint(book)
    result = ScorecardVerification(ok=False, scorecard_id=printed.scorecard_id, file=name)
    if not printed.scorecard_id:
        result.messages.append(
            "its About sheet has no scorecard ID: it was written before scorecards carried one, or the About sheet "
            "was edited. Prepare the scorecard again"
        )
        return result
    issued = scorecards_dao.issued_scorecard(printed.scorecard_id, organisation_id)
    result.issued = issued
    if issued is None:
        where = "in this organisation" if organisation_id is not None else "here"
        result.messages.append(f"there is no scorecard {printed.scorecard_id} {where}")
        return result
    for sheet in scorecard.SHEETS:
        kept, found = issued.sheet_sha256.get(sheet, ""), printed.sheets.get(sheet, "")
        if kept == found:
            continue
        result.changed_sheets.append(sheet)
        result.messages.append(
            f"the {sheet} sheet was removed or renamed" if not found else f"what the {sheet} sheet shows was changed"
        )
    result.ok = not result.changed_sheets  # the whole's SHA-256 is made from the sheets': they say it all
    return result

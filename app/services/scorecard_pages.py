"""What the scorecard pages show: each agency of an organisation with its latest figures, and one agency's scorecard
with the points and bars its charts draw. The figures are `scorecards.scorecard_data`'s, the same the scorecard
workbook holds; this module only picks and orders them for a page.
"""

from __future__ import annotations

from dataclasses import dataclass

from app.charts import Bar, LinePoint
from app.dao import organisations as organisations_dao
from app.models import Agency, Organisation
from app.pagination import window
from app.services import scorecards
from audits.scorecard import AgencyScorecard, CampaignScore, CheckTally, ScorecardData

MOST_FAILED_SHOWN = 10
# Campaigns in each per-campaign table of an agency's page, and in its chart. An agency on a national framework can
# hold thousands: all 5,000 on one page made 9.5 MB of HTML. The summary and the checks cover every campaign.
CAMPAIGNS_PER_PAGE = 100


def mean(values: list[float]) -> float | None:
    return sum(values) / len(values) if values else None


@dataclass(frozen=True)
class AgencyRow:
    agency_id: int
    card: AgencyScorecard
    latest: CampaignScore | None  # the campaign audited most recently
    average: float | None
    critical_fails: int


def _row(agency_id: int, card: AgencyScorecard) -> AgencyRow:
    return AgencyRow(
        agency_id=agency_id,
        card=card,
        latest=card.latest(),
        average=mean([c.score for c in card.scored if c.score is not None]),
        critical_fails=sum(c.critical_fails for c in card.campaigns),
    )


@dataclass(frozen=True)
class Overview:
    data: ScorecardData | None
    rows: list[AgencyRow]
    refused: str | None  # why there is nothing to show yet


def overview(organisation: Organisation) -> Overview:
    """Every agency of the organisation with its campaigns, latest score and rating."""
    try:
        data = scorecards.scorecard_data(organisation)
    except scorecards.ScorecardRefused as error:
        return Overview(None, [], str(error))
    ids = {agency.name: agency.id for agency in organisations_dao.agencies_of(organisation.id)}
    return Overview(data, [_row(ids[card.name], card) for card in data.agencies if card.name in ids], None)


@dataclass(frozen=True)
class AgencyPage:
    agency: Agency
    data: ScorecardData
    row: AgencyRow
    campaigns: list[CampaignScore]  # this page's campaigns, in the scorecard's order
    plotted: list[tuple[CampaignScore, LinePoint, str]]  # of those, each scored one with a date: its point, which
    not_plotted: list[CampaignScore]  # scored, but with no date to plot it at
    most_failed: list[CheckTally]
    number: int = 1  # which page of campaigns
    pages: int = 1
    first: int = 0  # the index in `card.campaigns` of this page's first campaign

    @property
    def card(self) -> AgencyScorecard:
        return self.row.card

    @property
    def bars(self) -> list[Bar]:
        return [Bar(t.check_id, t.failed, f"{t.check_id} {t.title}") for t in self.most_failed if t.failed]


def agency_page(organisation: Organisation, found: Agency, number: int = 1) -> AgencyPage:
    """One agency's scorecard: its campaigns, scores over time, the checks it fails most, timeliness, diversity and
    InMail figures. The per-campaign tables and the chart show page `number` of its campaigns (a page past the end
    shows the last)."""
    data = scorecards.scorecard_data(organisation, found.name)
    card = data.agencies[0]
    shown = window(number, len(card.campaigns), CAMPAIGNS_PER_PAGE)
    campaigns = shown.slice(card.campaigns)
    plotted, not_plotted = [], []
    for campaign in campaigns:
        if campaign.score is None:
            continue
        when, which = campaign.dated
        if when is None:
            not_plotted.append(campaign)
            continue
        point = LinePoint(when, float(campaign.score or 0), campaign.campaign_ref)
        plotted.append((campaign, point, which))
    plotted.sort(key=lambda item: (item[1].when, item[0].campaign_ref))
    return AgencyPage(
        agency=found,
        data=data,
        row=_row(found.id, card),
        campaigns=campaigns,
        plotted=plotted,
        not_plotted=not_plotted,
        most_failed=card.checks[:MOST_FAILED_SHOWN],
        number=shown.page,
        pages=shown.pages,
        first=shown.offset,
    )

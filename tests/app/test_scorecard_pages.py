"""The scorecard pages: each agency with its latest figures, one agency's scorecard with charts and the tables
behind them (the same figures as `scorecard_data` and the workbook), for admins, auditors and procurement only.
Another organisation's agencies are not found."""

from __future__ import annotations

import io
from xml.etree import ElementTree

import pytest
from bs4 import BeautifulSoup
from flask import Flask
from flask.testing import FlaskClient
from openpyxl import load_workbook
from sqlalchemy import select

from app import charts
from app.models import Agency, Organisation
from app.services import scorecard_pages, scorecards
from audits.scorecard import SHEETS
from tests.app.web import first, post, prepare_download, sign_in
from tests.pages import check_page

ADMIN, AUDITOR, RECRUITER, PROCUREMENT = (
    "admin@demo.example",
    "auditor@demo.example",
    "recruiter@demo.example",
    "procurement@demo.example",
)
OK, NO, GONE = 200, 403, 404


def _agency(app: Flask, name: str) -> Agency:
    return first(app, select(Agency).where(Agency.name == name))


def _paths(agency_id: int) -> list[str]:
    return ["/scorecards/", f"/scorecards/agencies/{agency_id}"]


def _workbooks(agency_id: int) -> list[str]:
    """The buttons that prepare a scorecard workbook (they post; the job's page offers the file)."""
    return ["/scorecards/workbook", f"/scorecards/agencies/{agency_id}/workbook"]


@pytest.mark.parametrize(("email", "expected"), [(ADMIN, OK), (AUDITOR, OK), (RECRUITER, NO), (PROCUREMENT, OK)])
def test_each_role_gets_what_its_role_allows(demo_app: Flask, email: str, expected: int) -> None:
    harbour = _agency(demo_app, "Harbour Search Partners")
    foreign = _agency(demo_app, "Meridian Executive")  # the other organisation's agency
    client = demo_app.test_client()
    sign_in(client, email)
    for path in _paths(harbour.id):
        assert client.get(path).status_code == expected, f"{email} GET {path}"
    for path in _workbooks(harbour.id):
        assert post(client, path).status_code == (302 if expected == OK else NO), f"{email} POST {path}"
    assert client.get(f"/scorecards/agencies/{foreign.id}").status_code == (GONE if expected == OK else NO)
    foreign_workbook = post(client, f"/scorecards/agencies/{foreign.id}/workbook")
    assert foreign_workbook.status_code == (GONE if expected == OK else NO), email


def test_the_other_organisation_cannot_reach_our_agencies(demo_app: Flask) -> None:
    harbour = _agency(demo_app, "Harbour Search Partners")
    client = demo_app.test_client()
    sign_in(client, "auditor2@demo.example")
    assert client.get(f"/scorecards/agencies/{harbour.id}").status_code == GONE
    assert post(client, f"/scorecards/agencies/{harbour.id}/workbook").status_code == GONE
    index = client.get("/scorecards/").get_data(as_text=True)
    assert "Meridian Executive" in index and "Harbour Search Partners" not in index


def test_signed_out_visitors_are_sent_to_sign_in(demo_app: Flask, client: FlaskClient) -> None:
    for path in _paths(_agency(demo_app, "Harbour Search Partners").id):
        response = client.get(path)
        assert response.status_code == 302 and "/sign-in" in response.headers["Location"], path


def _rows(soup: BeautifulSoup, table_id: str) -> list[list[str]]:
    table = soup.find("table", id=table_id)
    assert table is not None, table_id
    return [[" ".join(td.get_text().split()) for td in tr.find_all("td")] for tr in table.select("tbody tr")]


def _shown(value: float | None, missing: str = "Not audited") -> str:
    return missing if value is None else charts.number(value)


def _share(value: float | None) -> str:
    return "Not known" if value is None else f"{value * 100:.0f}%"


def test_the_agency_page_shows_the_figures_of_scorecard_data(demo_app: Flask, client: FlaskClient) -> None:
    harbour = _agency(demo_app, "Harbour Search Partners")
    with demo_app.app_context():
        organisation = first(demo_app, select(Organisation).where(Organisation.id == harbour.organisation_id))
        card = scorecards.scorecard_data(organisation, harbour.name).agencies[0]
    sign_in(client, PROCUREMENT)
    html = client.get(f"/scorecards/agencies/{harbour.id}").get_data(as_text=True)
    soup = check_page(html, "agency scorecard")

    campaigns = _rows(soup, "campaigns")
    assert [row[0] for row in campaigns] == [c.campaign_ref for c in card.campaigns]
    for row, campaign in zip(campaigns, card.campaigns, strict=True):
        assert row[1] == (campaign.role_title or "Not recorded")
        assert row[5] == _shown(campaign.score) and row[6] == campaign.rag
        assert row[7] == (str(campaign.critical_fails) if campaign.audit_id else "Not audited")
    assert any(c.audit_id for c in card.campaigns)

    checks = _rows(soup, "checks")
    assert [row[0].split()[0] for row in checks] == [t.check_id for t in card.checks[:10]]
    for row, tally in zip(checks, card.checks, strict=False):
        assert row[2:] == [str(tally.failed), str(tally.warned), str(tally.checked), _share(tally.failed_share)]

    timeliness = _rows(soup, "timeliness")
    for row, campaign in zip(timeliness, card.campaigns, strict=True):
        days = "Not reached" if campaign.days_to_longlist is None else str(campaign.days_to_longlist)
        assert row[2] == days and row[4] == campaign.longlist_on_time and row[7] == campaign.shortlist_on_time
    diversity = _rows(soup, "diversity")
    for row, campaign in zip(diversity, card.campaigns, strict=True):
        assert row[1:] == [
            str(campaign.longlist_size),
            str(campaign.longlist_sex_recorded),
            str(campaign.longlist_women),
            _share(campaign.women_share),
        ]
    inmail = _rows(soup, "inmail")
    for row, campaign in zip(inmail, card.campaigns, strict=True):
        assert row[1:] == [
            str(campaign.inmails_sent),
            str(campaign.inmails_answered),
            _share(campaign.inmail_response_rate),
            campaign.inmail_source,
        ]

    # Each chart is an image with a title and a description, drawn from the figures in the table beside it.
    scored = [c for c in card.scored if c.dated[0] is not None]
    for svg in soup.select("svg.app-chart"):
        assert svg["role"] == "img" and svg.find("title").get_text() and svg.find("desc").get_text()
        ElementTree.fromstring(str(svg))  # well-formed XML
    line = soup.find("svg", attrs={"aria-labelledby": "score-chart-title score-chart-desc"})
    assert len(line.select("circle")) == len(scored) == len(_rows(soup, "scores"))
    labels = [t.get_text() for t in line.select("g.app-chart__point > text")]
    assert sorted(labels) == sorted(charts.number(c.score) for c in scored)
    bars = soup.find("svg", attrs={"aria-labelledby": "failed-chart-title failed-chart-desc"})
    assert len(bars.select("rect[fill]")) - 1 == len([t for t in card.checks[:10] if t.failed])
    assert " style=" not in html and "<style" not in html


def test_the_list_of_agencies(demo_app: Flask, client: FlaskClient) -> None:
    sign_in(client, AUDITOR)
    html = client.get("/scorecards/").get_data(as_text=True)
    soup = check_page(html, "scorecards")
    with demo_app.app_context():
        organisation = first(demo_app, select(Organisation).where(Organisation.slug == "northshire-cc"))
        data = scorecards.scorecard_data(organisation)
    rows = {row.find("a").get_text(): row for row in soup.select("tbody tr")}
    assert set(rows) == {card.name for card in data.agencies}
    for card in data.agencies:
        cells = [td.get_text(" ", strip=True) for td in rows[card.name].find_all("td")]
        latest = card.latest()
        assert cells[1:3] == [str(len(card.campaigns)), str(len(card.audited))]
        assert cells[4] == _shown(latest.score if latest else None) and cells[5] == (
            latest.rag if latest else "Not audited"
        )


def test_the_scorecard_workbooks_download(demo_app: Flask, client: FlaskClient) -> None:
    harbour = _agency(demo_app, "Harbour Search Partners")
    sign_in(client, PROCUREMENT)
    for path, campaigns in (("/scorecards/workbook", 3), (f"/scorecards/agencies/{harbour.id}/workbook", 2)):
        response = prepare_download(client, path)
        book = load_workbook(io.BytesIO(response.data))
        assert tuple(book.sheetnames) == SHEETS
        assert len([r for r in book["Campaigns"].iter_rows(min_row=2, values_only=True) if r[1]]) == campaigns


def test_an_organisation_with_no_agencies_is_told_so(app: Flask, client: FlaskClient) -> None:
    from tests.factories import make_organisation, make_user

    with app.app_context():
        organisation = make_organisation()
        make_user(organisation, "procurement")
    sign_in(client, "procurement@northshire.example", "correct horse battery staple")
    response = client.get("/scorecards/")
    html = response.get_data(as_text=True)
    check_page(html, "no agencies")
    assert response.status_code == 200 and "has no agencies yet" in html
    assert post(client, "/scorecards/workbook").status_code == 404


def test_an_agencys_campaigns_come_a_page_at_a_time(
    demo_app: Flask, client: FlaskClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An agency on a framework has thousands of campaigns: each per-campaign table and the chart show one page of
    them, while the summary and the checks failed most often still count them all."""
    harbour = _agency(demo_app, "Harbour Search Partners")
    with demo_app.app_context():
        organisation = first(demo_app, select(Organisation).where(Organisation.id == harbour.organisation_id))
        card = scorecards.scorecard_data(organisation, harbour.name).agencies[0]
    refs = [c.campaign_ref for c in card.campaigns]
    assert len(refs) >= 2
    sign_in(client, AUDITOR)
    whole = BeautifulSoup(client.get(f"/scorecards/agencies/{harbour.id}").get_data(as_text=True), "html.parser")
    assert whole.select_one("nav.govuk-pagination") is None  # one page: no pagination

    monkeypatch.setattr(scorecard_pages, "CAMPAIGNS_PER_PAGE", 1)
    seen: list[str] = []
    path: str | None = f"/scorecards/agencies/{harbour.id}"
    while path is not None:
        soup = check_page(client.get(path).get_data(as_text=True), "agency scorecard page")
        shown = [row[0] for row in _rows(soup, "campaigns")]
        assert len(shown) == 1
        for table in ("timeliness", "diversity", "inmail"):
            assert [row[0] for row in _rows(soup, table)] == shown, table
        campaign = card.campaigns[len(seen)]
        plotted = campaign.score is not None and campaign.dated[0] is not None
        line = soup.find("svg", attrs={"aria-labelledby": "score-chart-title score-chart-desc"})
        assert len(line.select("circle")) == len(_rows(soup, "scores")) - (0 if plotted else 1) == int(plotted)
        summary = soup.select_one("dl.govuk-summary-list dd").get_text(" ", strip=True)
        assert summary == f"{len(refs)}, of which {len(card.audited)} audited"
        assert [row[0].split()[0] for row in _rows(soup, "checks")] == [t.check_id for t in card.checks[:10]]
        assert f"Showing campaigns {len(seen) + 1} to {len(seen) + 1} of {len(refs)}" in soup.get_text()
        seen += shown
        following = soup.select_one("nav.govuk-pagination .govuk-pagination__next a")
        path = following["href"] if following is not None else None
        if path is not None:
            assert path.endswith("#agency-campaigns") and soup.find(id="agency-campaigns") is not None
    assert seen == refs

    beyond = BeautifulSoup(
        client.get(f"/scorecards/agencies/{harbour.id}?page=999").get_data(as_text=True), "html.parser"
    )
    assert [row[0] for row in _rows(beyond, "campaigns")] == refs[-1:]

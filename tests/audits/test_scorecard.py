"""The agency scorecard workbook, opened with openpyxl: sheets, figures, the chart and its alt text, and safety."""

import datetime as dt
import re
import zipfile
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import load_workbook

from audits import scorecard, xlsx
from audits.scorecard import AgencyScorecard, CampaignScore, InMailTotals, ScorecardData
from importers.records import STAGE_ORDER, CandidateRecord, InMailStatsRecord, OutreachRecord, RecruiterUsageRecord


def campaign(agency: str, ref: str, score: float | None, rag: str, closing: dt.date, **values: object) -> CampaignScore:
    defaults: dict[str, object] = {
        "role_title": "=Director",
        "brief_date": closing - dt.timedelta(days=60),
        "closing_date": closing,
        "audit_id": f"AUD-{ref}",
        "audited_at": dt.datetime.combine(closing, dt.time(9)),
        "findings_sha256": "a" * 64,
        "checklist": "uk v1",
        "score": score,
        "rag": rag,
    }
    defaults.update(values)
    return CampaignScore(agency=agency, campaign_ref=ref, **defaults)  # type: ignore[arg-type]


def data() -> ScorecardData:
    harbour = AgencyScorecard(
        "=Harbour Search",
        campaigns=[
            campaign(
                "=Harbour Search",
                "H-1",
                62.0,
                "Red",
                dt.date(2026, 1, 15),
                critical_fails=2,
                longlist_date=dt.date(2025, 12, 31),  # 45 days after the brief
                sla_longlist_days=30,
                longlist_size=10,
                longlist_women=2,
                longlist_sex_recorded=10,
                inmails_sent=100,
                inmails_answered=25,
            ),
            campaign(
                "=Harbour Search",
                "H-2",
                88.5,
                "Green",
                dt.date(2026, 3, 10),
                longlist_date=dt.date(2026, 1, 29),  # 20 days after the brief
                sla_longlist_days=30,
                shortlist_date=dt.date(2026, 2, 20),
                longlist_size=8,
                longlist_women=4,
                longlist_sex_recorded=8,
                inmails_sent=50,
                inmails_answered=25,
            ),
            campaign("=Harbour Search", "H-3", None, scorecard.NOT_AUDITED, dt.date(2026, 4, 1), audit_id=None),
        ],
        checks=scorecard.tally_checks(
            [
                ("EQ-01", "Gendered title", "equality", "critical", "fail", 1),
                ("EQ-01", "Gendered title", "equality", "critical", "pass", 1),
                ("PAY-01", "Salary", "pay", "high", "fail", 2),
                ("LANG-01", "+Coded words", "language", "info", "warn", 1),
                ("SD-03", "Closing date", "structured", "medium", "pass", 2),
            ]
        ),
    )
    other = AgencyScorecard(
        "Other & Co", campaigns=[campaign("Other & Co", "O-1", 75.0, "Amber", dt.date(2026, 2, 1), critical_fails=0)]
    )
    return ScorecardData(
        organisation='@Northshire "Council"',
        generated_at=dt.datetime(2026, 4, 2, 8, 30),
        scrutineer_version="0.1.0",
        agency_filter=None,
        agencies=[harbour, other],
    )


@pytest.fixture(scope="module")
def written(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("scorecard") / "scorecard.xlsx"
    scorecard.write(data(), path)
    return path


def table_rows(sheet: object, name: str) -> list[tuple[object, ...]]:
    table = sheet.tables[name]  # type: ignore[attr-defined]
    first, last = table.ref.split(":")
    top, bottom = int(re.sub(r"[A-Z]", "", first)), int(re.sub(r"[A-Z]", "", last))
    return list(sheet.iter_rows(min_row=top, max_row=bottom, values_only=True))  # type: ignore[attr-defined]


def test_tallies_and_inmail_sources() -> None:
    tallies = data().agencies[0].checks
    assert [t.check_id for t in tallies] == ["PAY-01", "EQ-01", "LANG-01"]  # most failed first; passes only: left out
    assert (tallies[1].failed, tallies[1].checked, tallies[1].failed_share) == (1, 2, 0.5)
    usage = [RecruiterUsageRecord(inmails_sent=10, inmails_accepted=2, inmails_declined=1)]
    stats = [InMailStatsRecord(sent=20, accepted=5, declined=5)]
    outreach = [("inmail", "declined", 1), ("email", None, 1)]
    usage_totals = InMailTotals.of_usage(usage)
    stats_totals = InMailTotals.of_inmail_report(stats)
    none = InMailTotals()
    assert scorecard.inmail_figures(usage_totals, stats_totals, outreach) == (10, 3, "LinkedIn Recruiter usage report")
    assert scorecard.inmail_figures(none, stats_totals, outreach) == (20, 10, "LinkedIn InMail report")
    assert scorecard.inmail_figures(none, none, outreach) == (1, 1, "Agency template, Outreach sheet")
    assert scorecard.inmail_figures(none, none, []) == (0, 0, "No InMail data")
    blank = RecruiterUsageRecord(inmails_sent=None, inmails_accepted=None, inmails_declined=4)
    assert InMailTotals.of_usage([blank]) + usage_totals == InMailTotals(2, 10, 7)  # a row of blanks still counts


def _counts(rows: list[tuple[str | None, str | None]]) -> list[tuple[str | None, str | None, int]]:
    """What the database's GROUP BY gives for these rows."""
    return [(*key, count) for key, count in Counter(rows).items()]


@given(
    st.lists(
        st.tuples(
            st.sampled_from([None, *STAGE_ORDER]), st.sampled_from([None, "female", "male", "other", "not_stated"])
        ),
        max_size=60,
    )
)
def test_long_list_figures_from_counts_are_those_of_the_candidates(rows: list[tuple[str | None, str | None]]) -> None:
    """The scorecard sums candidates in the database; it must count them as the checks' records do."""
    candidates = [CandidateRecord("C", "k", stage_reached=stage, sex=sex) for stage, sex in rows]
    longlist = [c for c in candidates if c.reached("longlisted")]
    expected = (
        len(longlist),
        sum(1 for c in longlist if c.sex == "female"),
        sum(1 for c in longlist if c.sex in ("female", "male", "other")),
    )
    assert scorecard.longlist_figures(_counts(rows)) == expected


@given(
    st.lists(
        st.tuples(st.sampled_from([None, "inmail", "email"]), st.sampled_from([None, "accepted", "declined", "none"])),
        max_size=40,
    )
)
def test_outreach_inmail_figures_from_counts_are_those_of_the_messages(
    rows: list[tuple[str | None, str | None]],
) -> None:
    messages = [OutreachRecord("C", channel=channel, response=response) for channel, response in rows]
    inmails = [m for m in messages if m.channel == "inmail"]
    answered = sum(1 for m in inmails if m.response in ("accepted", "declined"))
    expected = (len(inmails), answered, "Agency template, Outreach sheet") if inmails else (0, 0, "No InMail data")
    assert scorecard.inmail_figures(InMailTotals(), InMailTotals(), _counts(rows)) == expected


def test_sheets_summary_and_campaigns(written: Path) -> None:
    book = load_workbook(written)
    assert book.sheetnames == list(scorecard.SHEETS)
    assert book.properties.title == "Scrutineer agency scorecard: all agencies"
    assert {xlsx.HEADER, xlsx.PERCENT, "Scrutineer rating red"} <= set(book.named_styles)
    header, harbour, other = table_rows(book["Summary"], "Agencies")
    assert header[:6] == ("Agency", "Campaigns", "Audited", "Average score", "Lowest score", "Latest rating")
    assert harbour[:10] == ("'=Harbour Search", 3, 2, pytest.approx(75.25), 62, "Green", 1, 0, 1, 2)
    assert harbour[10:12] == (0.5, 2)  # one long list of two on time
    assert harbour[14] == pytest.approx(6 / 18) and harbour[15] == pytest.approx(50 / 150)
    assert other[0] == "Other & Co" and other[5] == "Amber"
    summary = book["Summary"]
    top = int(summary.tables["Agencies"].ref.split(":")[0][1:])
    assert summary.cell(row=top + 1, column=6).style == "Scrutineer rating green"  # the word, and the colour
    rows = table_rows(book["Campaigns"], "Campaigns")
    assert rows[0][:4] == ("Agency", "Campaign", "Role", "Briefed")
    assert rows[1][1] == "H-1" and rows[1][2] == "'=Director" and rows[1][9] == 62 and rows[1][10] == "Red"
    assert rows[1][11] == 2 and rows[3][7] == "Not audited" and rows[3][11] is None
    assert book["Campaigns"]["D2"].number_format == "d mmm yyyy"


def test_score_over_time_chart_with_alt_text(written: Path) -> None:
    book = load_workbook(written)
    sheet = book["Score over time"]
    rows = table_rows(sheet, "ScoreOverTime")
    assert [r[3] for r in rows[1:]] == ["H-1", "H-2", "O-1"]
    assert rows[1][1] == dt.datetime(2026, 1, 15) and rows[1][2] == "Closing date"
    [chart] = sheet._charts
    assert "".join(r.t for p in chart.title.tx.rich.p for r in p.r) == "Score over time"
    assert len(chart.series) == 2 and chart.y_axis.scaling.max == 100
    with zipfile.ZipFile(written) as archive:
        drawing = archive.read("xl/drawings/drawing1.xml").decode()
    frame = re.search(r"<cNvPr [^>]*>", drawing).group(0)
    assert 'title="Score over time"' in frame
    assert "=Harbour Search: 2 campaigns, 62 (Jan 2026), 88.5 (Mar 2026)" in frame
    assert "Other &amp; Co: 1 campaign, 75 (Feb 2026)" in frame


def test_checks_timeliness_diversity_and_about(written: Path) -> None:
    book = load_workbook(written)
    checks = table_rows(book["Checks failed"], "ChecksFailed")
    assert checks[1][:9] == ("'=Harbour Search", "PAY-01", "Salary", "pay", "High", 2, 0, 2, 1)
    assert checks[3][2] == "'+Coded words" and checks[3][6] == 1
    timely = table_rows(book["Timeliness"], "Timeliness")
    assert timely[0][4:7] == ("Days to long list", "Long-list SLA (days)", "Long list on time")
    assert timely[1][4:7] == (45, 30, "No") and timely[2][4:7] == (20, 30, "Yes")
    assert timely[2][10] == "No SLA recorded" and timely[3][6] == "Not reached"
    diversity = table_rows(book["Diversity and outreach"], "DiversityOutreach")
    assert diversity[1][2:10] == (10, 2, 10, 0.2, 100, 25, 0.25, "No InMail data")
    about = table_rows(book["About"], "AuditsUsed")
    assert [r[3] for r in about[1:]] == ["AUD-H-1", "AUD-H-2", "AUD-O-1"]


def test_no_formula_and_imported_text_quoted(written: Path) -> None:
    with zipfile.ZipFile(written) as archive:
        for name in archive.namelist():
            if name.startswith("xl/worksheets/sheet"):
                assert b"<f>" not in archive.read(name) and b"<f " not in archive.read(name), name
    book = load_workbook(written)
    texts = [c.value for s in book.worksheets for row in s.iter_rows() for c in row if isinstance(c.value, str)]
    assert all(not t.startswith(("=", "+", "-", "@")) for t in texts)
    assert '\'@Northshire "Council"' in texts
    for sheet in book.worksheets:
        assert not sheet.merged_cells.ranges and sheet.tables, sheet.title


def test_an_organisation_without_scores_still_gets_a_workbook(tmp_path: Path) -> None:
    empty = ScorecardData("Org", dt.datetime(2026, 1, 1), "0.1.0", "Nobody", [AgencyScorecard("Nobody")])
    path = tmp_path / "empty.xlsx"
    scorecard.write(empty, path)
    book = load_workbook(path)
    assert book.sheetnames == list(scorecard.SHEETS)
    assert table_rows(book["Campaigns"], "Campaigns")[1][0] == "No campaigns."
    assert len(book["Score over time"]._charts) == 1

"""Agency scorecards from the database: the figures per campaign and agency, the command, and tenant separation."""

import datetime as dt
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskCliRunner
from openpyxl import load_workbook
from sqlalchemy import event, func, select

from app.dao import scorecards as scorecards_dao
from app.dao.campaigns import campaign_by_ref
from app.extensions import db
from app.models import Event, Finding
from app.services import imports, scorecards
from app.services.auditing import run_audit
from tests.factories import make_organisation, write_tracker
from tests.importers.hostile_files import far_cell_audit_workbook

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "adverts"


def campaigns_and_audits(tmp_path: Path) -> None:
    organisation = make_organisation()
    rows = [
        ["C-1", organisation.name, "local_authority", "Chief Executive", 185000, 200000, "@Harbour", "", "", ""],
        ["C-2", organisation.name, "local_authority", "Director of Finance", 120000, 130000, "@Harbour", "", "", ""],
        ["O-1", organisation.name, "local_authority", "Director of Law", 110000, 120000, "Other Search", "", "", ""],
    ]
    candidates = [
        ["C-1", f"person{i}", "headhunt", "longlisted", "F" if i < 2 else "M", "White", "No", ""] for i in range(8)
    ]
    tracker = write_tracker(tmp_path / "tracker.xlsx", rows, candidates)
    imports.import_file(organisation, tracker, tracker.name)
    imports.import_file(organisation, FIXTURES / "plain-advert.txt", "plain-advert.txt", campaign_ref="C-1")
    first = campaign_by_ref(organisation.id, "C-1")
    first.brief_date, first.longlist_date, first.sla_longlist_days = dt.date(2026, 1, 5), dt.date(2026, 2, 20), 30
    db.session.commit()
    run_audit(organisation, first, as_of=dt.date(2026, 3, 31))
    run_audit(organisation, campaign_by_ref(organisation.id, "O-1"), as_of=dt.date(2026, 3, 31))

    other = make_organisation("southshire", "Southshire Council")
    tracker = write_tracker(
        tmp_path / "theirs.xlsx", [["S-1", other.name, "nhs", "Chief Nurse", 1, 2, "Secret Agency", "", "", ""]], []
    )
    imports.import_file(other, tracker, tracker.name)


def test_scorecard_figures_from_the_database(ctx: Flask, tmp_path: Path) -> None:
    campaigns_and_audits(tmp_path)
    from app.dao.organisations import get_organisation_by_slug

    organisation = get_organisation_by_slug("northshire")
    data = scorecards.scorecard_data(organisation)
    assert [a.name for a in data.agencies] == ["@Harbour", "Other Search"]
    harbour = data.agencies[0]
    first, second = harbour.campaigns
    assert (first.campaign_ref, second.campaign_ref) == ("C-1", "C-2")
    assert first.audit_id and first.score is not None and second.audit_id is None and second.rag == "Not audited"
    critical = db.session.scalar(
        select(func.count()).where(
            Finding.severity == "critical", Finding.status == "fail", Finding.ref.startswith(first.audit_id)
        )
    )
    assert first.critical_fails == critical
    assert (first.longlist_size, first.longlist_women, first.longlist_sex_recorded) == (8, 2, 8)
    assert (first.days_to_longlist, first.longlist_on_time) == (46, "No")
    assert any(t.check_id == "ES-01" and t.failed == 1 for t in harbour.checks)  # 25% women, no justification
    assert "Secret Agency" not in {a.name for a in data.agencies}
    scorecards.write_scorecard(organisation, tmp_path / "other.xlsx", "other search")
    workbook = load_workbook(tmp_path / "other.xlsx")
    assert workbook["Campaigns"]["A2"].value == "Other Search" and workbook["Campaigns"]["A3"].value is None


def test_the_scorecard_command(app: Flask, runner: FlaskCliRunner, tmp_path: Path) -> None:
    with app.app_context():
        campaigns_and_audits(tmp_path)
    out = tmp_path / "scorecard.xlsx"
    result = runner.invoke(args=["scorecard", "--org", "northshire", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "Scorecard of 2 agencies (3 campaigns) for Northshire Council written to" in result.output
    book = load_workbook(out)
    assert [r[1] for r in book["Campaigns"].iter_rows(min_row=2, values_only=True)] == ["C-1", "C-2", "O-1"]
    assert book["Campaigns"]["A2"].value == "'@Harbour"
    assert len(book["Score over time"]._charts) == 1

    result = runner.invoke(args=["scorecard", "--org", "northshire", "--agency", "OTHER search", "--out", str(out)])
    assert result.exit_code == 0 and "Scorecard of 1 agency (1 campaign)" in result.output
    result = runner.invoke(args=["scorecard", "--org", "northshire", "--agency", "Nobody", "--out", str(out)])
    assert result.exit_code == 1
    assert "there is no agency 'Nobody' in Northshire Council (agencies: @Harbour, Other Search)" in result.stderr
    result = runner.invoke(args=["scorecard", "--org", "southshire", "--agency", "@Harbour", "--out", str(out)])
    assert result.exit_code == 1 and "Secret Agency" in result.stderr


def test_inmail_figures_are_those_of_the_reports_each_audit_reads(ctx: Flask, tmp_path: Path) -> None:
    """The scorecard sums the LinkedIn reports in the database for every campaign at once; each campaign's figures
    must be those of the report rows its audit reads: its own, and the organisation's."""
    from app.dao.organisations import get_organisation_by_slug
    from app.services.auditing import linkedin_records
    from audits.scorecard import InMailTotals, inmail_figures

    campaigns_and_audits(tmp_path)
    organisation = get_organisation_by_slug("northshire")
    linkedin = FIXTURES.parent / "linkedin"
    imports.import_file(organisation, linkedin / "recruiter-usage.csv", "usage.csv", campaign_ref="C-1")
    imports.import_file(organisation, linkedin / "inmail-report.csv", "inmail.csv", campaign_ref="C-2")

    def figures() -> dict[str, tuple[int, int, str]]:
        data = scorecards.scorecard_data(organisation)
        return {
            s.campaign_ref: (s.inmails_sent, s.inmails_answered, s.inmail_source)
            for card in data.agencies
            for s in card.campaigns
        }

    def from_records() -> dict[str, tuple[int, int, str]]:
        expected = {}
        for ref in ("C-1", "C-2", "O-1"):
            campaign = campaign_by_ref(organisation.id, ref)
            read = linkedin_records(campaign)  # what the campaign's audit reads
            usage = InMailTotals.of_usage(read["usage"])
            report = InMailTotals.of_inmail_report(read["inmail_stats"])
            expected[ref] = inmail_figures(usage, report, [])
        return expected

    shown = figures()
    assert shown == from_records()
    assert [shown[ref][2] for ref in ("C-1", "C-2", "O-1")] == [
        "LinkedIn Recruiter usage report",
        "LinkedIn InMail report",
        "No InMail data",
    ]
    assert shown["C-1"][0] > 0 and shown["C-2"][0] > 0
    # The organisation's own InMail report (no campaign) is read by every campaign's audit, and added to a campaign's.
    copy = tmp_path / "inmail-all.csv"
    copy.write_bytes((linkedin / "inmail-report.csv").read_bytes() + b"\n")
    imports.import_file(organisation, copy, copy.name)
    shown = figures()
    assert shown == from_records()
    assert shown["O-1"][2] == "LinkedIn InMail report" and shown["C-2"][0] > shown["O-1"][0]


def test_the_scorecard_counts_each_candidate_once_as_the_audit_does(ctx: Flask, tmp_path: Path) -> None:
    """Two trackers under different names, the second with a row per stage for one candidate: the scorecard's long
    list is the audit's (ten people, three women), not the fifteen rows that say longlisted or later."""
    organisation = make_organisation()
    campaign = [["C-1", organisation.name, "local_authority", "Chief Executive", 1, 2, "Harbour", "", "", ""]]

    def person(i: int, stage: str) -> list[object]:
        return ["C-1", f"person{i}", "headhunt", stage, "F" if i in (0, 1, 8) else "M", "White", "No", ""]

    march = [person(i, "identified" if i in (6, 7) else "longlisted") for i in range(8)]
    april = [person(i, "longlisted") for i in range(9)]
    april += [person(9, "identified"), person(9, "longlisted"), person(9, "approached")]
    for name, rows in (("tracker-march.xlsx", march), ("tracker-april.xlsx", april)):
        tracker = write_tracker(tmp_path / name, campaign, rows)
        imports.import_file(organisation, tracker, tracker.name)
    first = campaign_by_ref(organisation.id, "C-1")
    run = run_audit(organisation, first, as_of=dt.date(2026, 4, 30))

    [harbour] = scorecards.scorecard_data(organisation).agencies
    [figures] = harbour.campaigns
    assert (figures.longlist_size, figures.longlist_women, figures.longlist_sex_recorded) == (10, 3, 10)
    es01 = db.session.scalar(select(Finding).where(Finding.audit_run_id == run.id, Finding.check_id == "ES-01"))
    assert es01 is not None and "long list: 10; women: 3; men: 7;" in es01.evidence_text
    assert "tracker-april.xlsx (Candidates) rows 3, 4, 5, 6, 7, 8, 9, 10, 11, 13" in es01.evidence_text


def test_sqlite_counts_read_through_a_memory_map_that_is_dropped_afterwards(ctx: Flask, tmp_path: Path) -> None:
    """The candidate and outreach counts of a large organisation revisit each table page once per campaign, which on
    SQLite is cheap only through a memory map (app.dao.scorecards._mapped_reads); the map is dropped after them."""
    if db.engine.dialect.name != "sqlite":
        pytest.skip("the memory map is SQLite's")
    campaigns_and_audits(tmp_path)
    from app.dao.organisations import get_organisation_by_slug

    organisation = get_organisation_by_slug("northshire")
    issued: list[str] = []

    def record(_conn: object, _cursor: object, statement: str, *_args: object) -> None:
        issued.append(" ".join(statement.split()))

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        counts = scorecards_dao.candidate_counts(organisation.id)
    finally:
        event.remove(db.engine, "before_cursor_execute", record)
    assert sum(rows for per in counts.values() for _stage, _sex, rows in per) == 8
    mapped = f"PRAGMA mmap_size={scorecards_dao.SQLITE_COUNT_MMAP_BYTES}"
    count = next(i for i, statement in enumerate(issued) if "FROM candidate" in statement)
    assert mapped in issued[:count] and "PRAGMA mmap_size=0" in issued[count:]
    assert db.session.connection().exec_driver_sql("PRAGMA mmap_size").scalar_one() == 0


def test_a_scorecard_verifies_after_another_program_saves_it_and_not_after_an_edit(
    app: Flask, runner: FlaskCliRunner, tmp_path: Path
) -> None:
    with app.app_context():
        campaigns_and_audits(tmp_path)
    out = tmp_path / "scorecard.xlsx"
    assert runner.invoke(args=["scorecard", "--org", "northshire", "--out", str(out)]).exit_code == 0
    about = {row[0]: row[1] for row in load_workbook(out)["About"].iter_rows(values_only=True) if row[0]}
    scorecard_id = about["Scorecard ID"]
    assert isinstance(scorecard_id, str) and scorecard_id.startswith("SC-")
    with app.app_context():
        issued = scorecards_dao.issued_scorecard(scorecard_id, None)
        assert issued is not None and issued.agency_name is None and len(issued.sheet_sha256) == 7
        written = db.session.scalar(select(Event).where(Event.action == "scorecard.written"))
        assert written is not None and written.object_ref == scorecard_id and written.actor_label == "command line"
        assert written.payload["content_sha256"] == issued.content_sha256 and written.payload["campaigns"] == 3

    result = runner.invoke(args=["verify", str(out), "--org", "northshire"])
    assert result.exit_code == 0, result.output
    assert f"verified. It is scorecard {scorecard_id} (all agencies) that this Scrutineer wrote" in result.output

    # Opened and saved again by another program (openpyxl rewrites every cell, number and date): still verified.
    resaved = tmp_path / "resaved.xlsx"
    book = load_workbook(out)
    book.save(resaved)
    assert runner.invoke(args=["verify", str(resaved), "--org", "northshire"]).exit_code == 0

    # One figure changed on the Campaigns sheet: refused, naming the sheet.
    edited = tmp_path / "edited.xlsx"
    book = load_workbook(out)
    sheet = book["Campaigns"]
    column = next(c.column for c in sheet[1] if c.value == "Score")
    sheet.cell(2, column).value = 99
    book.save(edited)
    result = runner.invoke(args=["verify", str(edited), "--org", "northshire"])
    assert result.exit_code == 1
    assert f"NOT verified (scorecard {scorecard_id})" in result.stderr
    assert "what the Campaigns sheet shows was changed" in result.stderr and "Summary" not in result.stderr

    # Another organisation's Scrutineer user cannot vouch for it; a sheet removed is named.
    result = runner.invoke(args=["verify", str(out), "--org", "southshire"])
    assert result.exit_code == 1 and f"there is no scorecard {scorecard_id} in this organisation" in result.stderr
    book = load_workbook(out)
    del book["Timeliness"]
    book.save(edited)
    result = runner.invoke(args=["verify", str(edited), "--org", "northshire"])
    assert result.exit_code == 1 and "the Timeliness sheet was removed or renamed" in result.stderr


def test_canonical_values_survive_what_a_spreadsheet_program_keeps() -> None:
    from audits.scorecard import canonical

    assert canonical(0.41666666666666669) == canonical(0.416666666666667)  # 17 figures written, 15 kept
    assert canonical(5) == canonical(5.0) == "5"
    assert canonical(True) == "TRUE" and canonical("5") == "5"
    written = dt.datetime(2026, 12, 7, 1, 20, 30)
    assert canonical(written) == canonical(written + dt.timedelta(microseconds=9)) == "2026-12-07T01:20:30"
    assert canonical(written - dt.timedelta(microseconds=9)) == "2026-12-07T01:20:30"
    assert canonical(dt.datetime(2026, 3, 31)) == canonical(dt.date(2026, 3, 31)) == "2026-03-31"
    assert canonical(0.25) != canonical(0.26)


def test_verify_refuses_a_workbook_built_to_exhaust_memory(runner: FlaskCliRunner, tmp_path: Path) -> None:
    hostile = far_cell_audit_workbook(tmp_path / "contract.xlsx")
    result = runner.invoke(args=["verify", str(hostile)])
    assert result.exit_code == 2 and result.stderr.startswith("contract.xlsx: ") and "cannot be opened" in result.stderr
    assert result.stderr.count("\n") == 1

"""Import → audit → workbook, end to end on the real database, with the workbook opened by openpyxl."""

import datetime as dt
from pathlib import Path

from flask import Flask
from openpyxl import load_workbook
from sqlalchemy import select

from app.extensions import db
from app.models import Candidate, Event
from app.services import imports, reports
from app.services.auditing import run_audit
from tests.factories import make_organisation, write_tracker

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "adverts"


def test_import_audit_workbook(ctx: Flask, tmp_path: Path) -> None:
    organisation = make_organisation()
    path = write_tracker(
        tmp_path / "tracker.xlsx",
        campaigns=[
            [
                "NCC-1",
                "Northshire Council",
                "local_authority",
                "Director of Finance",
                120000,
                "£130,000",
                "Harbour Search",
                dt.datetime(2026, 3, 12),
                dt.datetime(2026, 3, 20),
                "",
            ]
        ],
        candidates=[
            [
                "NCC-1",
                f"Candidate {i}",
                "LinkedIn InMail",
                "shortlisted" if i < 3 else "longlisted",
                "F" if i % 4 == 0 else "M",
                "Asian" if i % 3 == 0 else "White",
                "No",
                "10/02/2026",
            ]
            for i in range(12)
        ],
    )
    outcome = imports.import_file(organisation, path, path.name)
    assert outcome.report.counts == {"campaigns": 1, "candidates": 12}
    names = db.session.scalars(select(Candidate.candidate_key)).all()
    assert all(len(key) == 32 and "Candidate" not in key for key in names)
    imports.import_file(organisation, FIXTURES / "plain-advert.txt", "plain-advert.txt", campaign_ref="NCC-1")

    campaign = outcome.upload.campaign_id
    from app.dao.campaigns import campaign_by_id

    run = run_audit(organisation, campaign_by_id(organisation.id, campaign), as_of=dt.date(2026, 3, 31))
    by_check = {f.check_id: f for f in reports.audits_dao.findings_of(run)}
    assert by_check["ES-01"].status == "fail"  # 3 of 12 women on the long list, no justification
    assert by_check["PAY-01"].status == "pass"
    assert run.rag in ("Red", "Amber", "Green") and run.score is not None

    out = reports.write_workbook(run, tmp_path / "audit.xlsx")
    book = load_workbook(out)
    assert book.sheetnames[:2] == ["Summary", "Findings"]
    assert {"Checklist", "Data quality", "Provenance"} <= set(book.sheetnames)
    findings = book["Findings"]
    header = [c.value for c in findings[1]]
    assert header[:10] == [
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
    ]
    rows = {row[1]: row for row in findings.iter_rows(min_row=2, values_only=True)}
    es01 = rows["ES-01"]
    assert es01[0] == f"{run.public_id}-{by_check['ES-01'].seq:04d}"
    assert es01[4] == "Fail" and "Voluntary Code" in es01[7]
    assert "tracker.xlsx (Candidates) rows" in es01[6]
    provenance = {r[0]: r[1] for r in book["Provenance"].iter_rows(max_col=2, values_only=True) if r[0]}
    assert provenance["Findings SHA-256"] == run.findings_sha256
    assert provenance["Checklist SHA-256"] == run.checklist_sha256
    assert provenance["Library: textstat"] == "0.7.8"
    quality = list(book["Data quality"].iter_rows(min_row=2, values_only=True))
    assert any(r[0] == "tracker.xlsx" and r[2] == 13 for r in quality)
    assert reports.verify_workbook(out).ok
    actions = set(db.session.scalars(select(Event.action)))
    assert {"upload.stored", "audit.run"} <= actions


def test_rerunning_an_audit_gives_identical_findings(ctx: Flask, tmp_path: Path) -> None:
    organisation = make_organisation()
    path = write_tracker(tmp_path / "t.xlsx", [["C-2", "Org", "nhs", "Chief Nurse", 1, 2, "A", "", "", ""]], [])
    outcome = imports.import_file(organisation, path, path.name)
    imports.import_file(organisation, FIXTURES / "nhs-style-jsonld.html", "advert.html", campaign_ref="C-2")
    from app.dao.campaigns import campaign_by_id

    campaign = campaign_by_id(organisation.id, outcome.upload.campaign_id)
    first = run_audit(organisation, campaign, as_of=dt.date(2026, 1, 1))
    second = run_audit(organisation, campaign, as_of=dt.date(2026, 1, 1))
    strip = lambda run: [(f.check_id, f.status, f.evidence_text) for f in reports.audits_dao.findings_of(run)]  # noqa: E731
    assert strip(first) == strip(second)
    assert first.checklist_sha256 == second.checklist_sha256


def test_a_corrected_file_replaces_the_records_it_corrects(ctx: Flask, tmp_path: Path) -> None:
    organisation = make_organisation()
    campaigns = [["C-3", "Org", "nhs", "Chief Nurse", 1, 2, "A", "", "", ""]]
    first = write_tracker(
        tmp_path / "tracker.xlsx",
        campaigns,
        [["C-3", f"p{i}", "headhunt", "longlisted", "F", "White", "No", ""] for i in range(5)],
    )
    imports.import_file(organisation, first, "tracker.xlsx")
    second = write_tracker(
        tmp_path / "tracker.xlsx",
        campaigns,
        [["C-3", f"p{i}", "headhunt", "longlisted", "M", "White", "No", ""] for i in range(3)],
    )
    outcome = imports.import_file(organisation, second, "tracker.xlsx")
    assert outcome.upload.replaces_upload_id is not None
    assert db.session.scalars(select(Candidate.sex)).all() == ["male"] * 3


def test_a_candidate_in_several_trackers_is_counted_once_from_the_newest(ctx: Flask, tmp_path: Path) -> None:
    """Fortnightly trackers under new names: ten candidates, of whom two women, all on the long list by the second
    tracker. Counted row by row, the long list would be 18 with 4 women."""
    from app.dao.campaigns import campaign_by_id

    organisation = make_organisation()
    campaigns = [["C-5", "Org", "nhs", "Chief Nurse", 1, 2, "A", "", "", ""]]
    first = write_tracker(
        tmp_path / "tracker-march.xlsx",
        campaigns,
        [["C-5", f"p{i}", "headhunt", "longlisted" if i < 8 else "identified", "F" if i < 2 else "M", "White", "No", ""]
         for i in range(10)],
    )  # fmt: skip
    second = write_tracker(
        tmp_path / "tracker-april.xlsx",
        campaigns,
        [["C-5", f"p{i}", "headhunt", "longlisted", "F" if i < 2 else "M", "White", "No", ""] for i in range(10)],
    )
    imports.import_file(organisation, first, first.name)
    outcome = imports.import_file(organisation, second, second.name)
    assert outcome.upload.replaces_upload_id is None  # a new name: not a correction, both files are kept
    assert len(db.session.scalars(select(Candidate.id)).all()) == 20

    campaign = campaign_by_id(organisation.id, outcome.upload.campaign_id)
    from app.dao.campaigns import counts_of

    assert counts_of(campaign) == {"adverts": 0, "candidates": 10, "candidate_rows": 20, "outreach": 0}
    run = run_audit(organisation, campaign, as_of=dt.date(2026, 4, 30))
    [es01] = [f for f in reports.audits_dao.findings_of(run) if f.check_id == "ES-01"]
    assert "long list: 10;" in es01.evidence_text and "(20% women)" in es01.evidence_text
    assert "tracker-april.xlsx (Candidates) rows 3, 4, 5, 6, 7, 8, 9, 10, 11, 12" in es01.evidence_text
    assert "tracker-march.xlsx" not in es01.evidence_text

    book = load_workbook(reports.write_workbook(run, tmp_path / "audit.xlsx"))
    pipeline = list(book["Pipeline"].iter_rows(values_only=True))
    identified = next(r for r in pipeline if r[0] == "Identified")
    assert identified[1] == 10
    notes = " ".join(str(r[0]) for r in pipeline if r[0] and r[1] is None)  # notes are wrapped over rows
    assert "10 more rows name candidates counted from another row" in notes


def test_page_structure_and_identified_dates_reach_the_audit(ctx: Flask, tmp_path: Path) -> None:
    from app.dao.campaigns import campaign_by_id
    from app.services.auditing import build_bundle

    organisation = make_organisation()
    tracker = tmp_path / "candidates.csv"
    campaigns = write_tracker(tmp_path / "t.xlsx", [["C-4", "Org", "nhs", "Chief Nurse", 1, 2, "A", "", "", ""]], [])
    outcome = imports.import_file(organisation, campaigns, campaigns.name)
    tracker.write_text(
        "campaign_ref,candidate_ref,source,stage_reached,date identified,first_contact_date\n"
        "C-4,p1@example.org,headhunt,approached,01/01/2026,20/02/2026\n",
        encoding="utf-8",
    )
    imports.import_file(organisation, tracker, tracker.name)
    page = tmp_path / "advert.html"
    page.write_text(
        '<html lang="en"><head><title>Chief Nurse</title></head><body><main><h1>Chief Nurse</h1>'
        '<img src="x.png"><p>Salary £120,000 a year.</p></main></body></html>',
        encoding="utf-8",
    )
    imports.import_file(organisation, page, page.name, campaign_ref="C-4")
    campaign = campaign_by_id(organisation.id, outcome.upload.campaign_id)
    bundle, _ids = build_bundle(organisation, campaign, dt.date(2026, 3, 1))
    assert bundle.candidates[0].identified_date == dt.date(2026, 1, 1)
    assert bundle.adverts[0].page is not None and bundle.adverts[0].page.images[0].alt is None
    run = run_audit(organisation, campaign, as_of=dt.date(2026, 3, 1))
    acc01 = next(f for f in reports.audits_dao.findings_of(run) if f.check_id == "ACC-01")
    assert "image" in acc01.evidence_text.lower() and acc01.status != "no data"

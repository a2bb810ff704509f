"""The agency round trip on the real database: a workbook goes out, comes back with responses, and is verified,
imported, refused when tampered or foreign, and written again with the responses in."""

import datetime as dt
import json
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskCliRunner
from openpyxl import load_workbook
from sqlalchemy import select

from app.dao import audits as audits_dao
from app.dao.campaigns import campaign_by_id
from app.extensions import db
from app.models import AuditRun, Event, Finding, Organisation
from app.services import imports, reports
from app.services.auditing import run_audit
from tests.factories import make_organisation, make_user, write_tracker

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "adverts"


def audited(organisation: Organisation, tmp_path: Path, ref: str = "C-1") -> AuditRun:
    tracker = write_tracker(
        tmp_path / f"{organisation.slug}-tracker.xlsx",
        campaigns=[
            [
                ref,
                organisation.name,
                "local_authority",
                "Chief Executive",
                185000,
                200000,
                "@Harbour Search",
                "",
                "",
                "",
            ]
        ],
        candidates=[
            [ref, f"person{i}", "headhunt", "longlisted", "F" if i < 3 else "M", "White", "No", "05/01/2026"]
            for i in range(10)
        ],
    )
    outcome = imports.import_file(organisation, tracker, tracker.name)
    imports.import_file(organisation, FIXTURES / "plain-advert.txt", "plain-advert.txt", campaign_ref=ref)
    campaign = campaign_by_id(organisation.id, outcome.upload.campaign_id)
    return run_audit(organisation, campaign, as_of=dt.date(2026, 3, 31))


def fill(path: Path, answers: dict[int, tuple[str | None, str | None]], out: Path | None = None) -> Path:
    """The agency fills in Agency response (J) and Response note (K) on some rows, and saves."""
    book = load_workbook(path)
    sheet = book["Findings"]
    for row, (response, note) in answers.items():
        sheet[f"J{row}"] = response
        sheet[f"K{row}"] = note
    book.save(out or path)
    return out or path


def edit(path: Path, sheet: str, cell: str, value: str) -> Path:
    book = load_workbook(path)
    book[sheet][cell] = value
    book.save(path)
    return path


def test_responses_come_back_through_record_response_and_go_out_again(ctx: Flask, tmp_path: Path) -> None:
    organisation = make_organisation()
    recruiter = make_user(organisation, "recruiter")
    run = audited(organisation, tmp_path)
    path = reports.write_workbook(run, tmp_path / "audit.xlsx")
    count = len(audits_dao.findings_of(run))
    fill(
        path,
        {
            2: ("Agree", None),
            3: ("disagree", "-- we did publish the salary"),
            4: ("Yes", "not a response"),
            5: (None, "We are looking into it"),
        },
    )
    verification = reports.verify_workbook(path, organisation.id)
    assert verification.ok and verification.responses_filled == 4

    outcome = reports.import_responses(path, organisation_id=organisation.id, user=recruiter)
    assert (outcome.recorded, outcome.unchanged, outcome.blank) == (3, 0, count - 4)
    [problem] = outcome.invalid
    assert (problem.row, problem.column, problem.value) == (4, "Agency response", "Yes")
    assert "not a response" in problem.message
    findings = {f.seq: f for f in audits_dao.findings_of(run)}
    assert (findings[1].agency_response, findings[1].responded_by_id) == ("Agree", recruiter.id)
    assert (findings[2].agency_response, findings[2].response_note) == ("Disagree", "-- we did publish the salary")
    assert findings[3].agency_response is None
    assert (findings[4].agency_response, findings[4].response_note) == (None, "We are looking into it")
    logged = db.session.scalars(select(Event).where(Event.action == "finding.response")).all()
    assert len(logged) == 3 and {e.actor_label for e in logged} == {recruiter.email}
    assert all(e.payload["via"] == "workbook" for e in logged)
    summary = db.session.scalar(select(Event).where(Event.action == "audit.responses_imported"))
    assert summary.payload["recorded"] == 3 and summary.payload["invalid"][0]["row"] == 4

    again = reports.import_responses(path, organisation_id=organisation.id, user=recruiter)
    assert (again.recorded, again.unchanged, len(again.invalid)) == (0, 3, 1)

    out = reports.write_workbook(run, tmp_path / "report.xlsx")
    sheet = load_workbook(out)["Findings"]
    assert [sheet["J2"].value, sheet["J3"].value, sheet["K5"].value] == ["Agree", "Disagree", "We are looking into it"]
    assert sheet["K3"].value == "'-- we did publish the salary" and sheet["K3"].data_type == "s"
    assert reports.verify_workbook(out).ok
    assert reports.verify_workbook(out).responses[f"{run.public_id}-0002"][1] == "-- we did publish the salary"
    third = reports.import_responses(out, organisation_id=organisation.id, user=recruiter)
    assert (third.recorded, third.unchanged) == (0, 3)  # the quote prefix does not creep into the stored note


def test_tampered_foreign_and_misdirected_workbooks_are_refused(ctx: Flask, app: Flask, tmp_path: Path) -> None:
    organisation = make_organisation()
    run = audited(organisation, tmp_path)
    original = reports.write_workbook(run, tmp_path / "audit.xlsx")

    tampered = fill(original, {2: ("Agree", None)}, tmp_path / "tampered.xlsx")
    status = load_workbook(original)["Findings"]["E2"].value
    edit(tampered, "Findings", "E2", "Fail" if status == "Pass" else "Pass")
    verification = reports.verify_workbook(tampered)
    assert not verification.ok and verification.changed == [f"{run.public_id}-0001"]
    [change] = verification.changes
    assert change.column == "Status" and change.before == status
    with pytest.raises(reports.ResponsesRefused, match="refused, nothing was recorded: its findings do not hash"):
        reports.import_responses(tampered, organisation_id=organisation.id)
    assert db.session.scalar(select(Finding.agency_response).where(Finding.seq == 1)) is None
    refused = db.session.scalar(select(Event).where(Event.action == "audit.responses_refused"))
    assert refused.payload["file"] == "tampered.xlsx" and any(
        "was changed: Status" in r for r in refused.payload["reasons"]
    )

    rehashed = tmp_path / "rehashed.xlsx"
    fill(tampered, {}, rehashed)
    edit(rehashed, "Provenance", "B14", reports.workbook.read(tampered).recomputed_sha256)  # Findings SHA-256
    assert "seal does not match" in reports.verify_workbook(rehashed).messages[0]

    other = make_organisation("southshire", "Southshire Council")
    theirs = reports.write_workbook(audited(other, tmp_path, ref="S-1"), tmp_path / "theirs.xlsx")
    with pytest.raises(reports.ResponsesRefused, match=r"there is no audit AUD-\S+ in this organisation"):
        reports.import_responses(theirs, organisation_id=organisation.id)

    with pytest.raises(reports.ResponsesRefused, match=f"this is the workbook of audit {run.public_id}, not of"):
        reports.import_responses(original, organisation_id=organisation.id, expected_audit_id="AUD-OTHER")

    app.config["SECRET_KEY"] = "another installation's secret"
    try:
        elsewhere = reports.write_workbook(run, tmp_path / "elsewhere.xlsx")
    finally:
        app.config["SECRET_KEY"] = "test-secret-key-not-for-production"
    with pytest.raises(reports.ResponsesRefused, match="not written by this Scrutineer installation"):
        reports.import_responses(elsewhere, organisation_id=None)

    removed = tmp_path / "removed.xlsx"
    book = load_workbook(original)
    book["Findings"].delete_rows(3)
    book.save(removed)
    result = reports.verify_workbook(removed)
    assert (
        result.removed == [f"{run.public_id}-0002"] and f"finding {run.public_id}-0002 was removed" in result.messages
    )


def test_the_command_line_round_trip(app: Flask, runner: FlaskCliRunner, tmp_path: Path) -> None:
    with app.app_context():
        organisation = make_organisation()
        run = audited(organisation, tmp_path)
        audit_id = run.public_id
    out = tmp_path / "audit.xlsx"
    result = runner.invoke(args=["report", audit_id, "--out", str(out)])
    assert result.exit_code == 0 and f"Workbook of {audit_id} (C-1) written" in result.output

    returned = fill(out, {2: ("Remediated", "Fixed in the re-advert"), 3: ("Maybe", None)}, tmp_path / "returned.xlsx")
    result = runner.invoke(args=["verify", str(returned)])
    assert result.exit_code == 0, result.output
    assert "verified" in result.output and "2 findings have an agency response" in result.output

    result = runner.invoke(args=["import", str(returned)])
    assert result.exit_code == 0, result.output
    assert f"returned.xlsx: the workbook of audit {audit_id} (C-1); 1 response recorded, 0 unchanged, 1 invalid" in (
        result.output
    )
    assert "returned.xlsx row 3, Agency response: 'Maybe' is not a response" in result.output
    result = runner.invoke(args=["import", str(returned), "--json"])
    [entry] = json.loads(result.stdout)["files"]
    assert entry["format"] == "scrutineer-workbook" and entry["audit_id"] == audit_id
    assert entry["responses"] == {"recorded": 0, "unchanged": 1, "blank": entry["rows_read"] - 2, "invalid": 1}
    assert entry["problems"][0]["row"] == 3 and entry["rows_rejected"] == 1
    with app.app_context():
        event = db.session.scalar(select(Event).where(Event.action == "finding.response"))
        assert event.actor_label == "returned.xlsx (returned workbook, command line)"
        assert event.object_ref == f"{audit_id}-0001"

    report = tmp_path / "report.xlsx"
    assert runner.invoke(args=["report", audit_id, "--out", str(report)]).exit_code == 0
    assert load_workbook(report)["Findings"]["J2"].value == "Remediated"

    edit(returned, "Findings", "D2", "Low")
    result = runner.invoke(args=["import", str(returned)])
    assert result.exit_code == 1 and result.stderr.count("\n") == 1
    assert result.stderr.startswith("returned.xlsx: refused, nothing was recorded: ")
    result = runner.invoke(args=["verify", str(returned)])
    assert result.exit_code == 1
    assert f"finding {audit_id}-0001 was changed: Severity (“" in result.stderr

    garbage = tmp_path / "garbage.xlsx"
    garbage.write_bytes(b"PK\x03\x04 not really a zip")
    result = runner.invoke(args=["verify", str(garbage)])
    assert result.exit_code == 2 and result.stderr.startswith("garbage.xlsx: ")
    assert runner.invoke(args=["report", "AUD-NOPE", "--out", str(report)]).exit_code == 1
    assert runner.invoke(args=["verify", str(tmp_path / "missing.xlsx")]).exit_code == 2


def _sheet_values(path: Path, names: tuple[str, ...]) -> dict[str, list[tuple[object, ...]]]:
    book = load_workbook(path, read_only=True)
    values = {name: list(book[name].iter_rows(values_only=True)) for name in names}
    book.close()
    return values


def test_the_workbook_of_an_earlier_audit_shows_what_that_audit_read(ctx: Flask, tmp_path: Path) -> None:
    organisation = make_organisation()
    run = audited(organisation, tmp_path)
    sheets = ("Summary", "Adverts", "Pipeline", "Outreach")
    first = _sheet_values(reports.write_workbook(run, tmp_path / "first.xlsx"), sheets)

    # Later: a corrected tracker replaces the candidates, and the campaign's role is renamed.
    tracker = write_tracker(
        tmp_path / f"{organisation.slug}-tracker.xlsx",
        campaigns=[["C-1", organisation.name, "local_authority", "Chief Executive", 185000, 200000, "", "", "", ""]],
        candidates=[["C-1", f"other{i}", "advert", "shortlisted", "M", "Asian", "Yes", "06/01/2026"] for i in range(4)],
    )
    imports.import_file(organisation, tracker, tracker.name)
    campaign = campaign_by_id(organisation.id, run.campaign_id)
    assert campaign is not None
    campaign.role_title = "Interim Chief Executive"
    db.session.commit()

    again = reports.write_workbook(db.session.get(AuditRun, run.id), tmp_path / "again.xlsx")  # type: ignore[arg-type]
    assert _sheet_values(again, sheets) == first
    provenance = dict(row[:2] for row in _sheet_values(again, ("Provenance",))["Provenance"] if len(row) > 1)
    assert str(provenance["Evidence sheets"]).startswith("as the audit read them")

    # An audit from before evidence was kept shows the records as they are now, and says so.
    run.evidence = None
    db.session.commit()
    now = reports.write_workbook(db.session.get(AuditRun, run.id), tmp_path / "now.xlsx")  # type: ignore[arg-type]
    values = _sheet_values(now, (*sheets, "Provenance"))
    assert values["Pipeline"] != first["Pipeline"]
    assert any("Interim Chief Executive" in row for row in values["Summary"])
    provenance = dict(row[:2] for row in values["Provenance"] if len(row) > 1)
    assert str(provenance["Evidence sheets"]).startswith("rebuilt from the campaign's records as they are now")

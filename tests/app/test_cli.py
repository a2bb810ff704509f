"""The command line as scripts use it: names, JSON shapes and exit statuses from DESIGN.md."""

import datetime as dt
import json
from pathlib import Path

from flask import Flask
from flask.testing import FlaskCliRunner
from openpyxl import load_workbook

from tests.factories import write_tracker

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "adverts"


def tracker(tmp_path: Path) -> Path:
    return write_tracker(
        tmp_path / "tracker.xlsx",
        campaigns=[
            [
                "C-1",
                "Northshire Council",
                "local_authority",
                "Chief Executive",
                "£185,000",
                "£200,000",
                "Harbour Search",
                dt.datetime(2026, 2, 5),
                "20/02/2026",
                "",
            ]
        ],
        candidates=[
            [
                "C-1",
                f"person{i}@example.org",
                "headhunt",
                "longlisted",
                "Female" if i < 4 else "Male",
                "White",
                "No",
                "05/01/2026",
            ]
            for i in range(10)
        ]
        + [["C-1", "bad-row", "headhunt", "teleported", "Male", "White", "No", "05/01/2026"]],
    )


def test_import_json_shape_and_problems(runner: FlaskCliRunner, tmp_path: Path) -> None:
    result = runner.invoke(args=["import", str(tracker(tmp_path)), "--json"])
    assert result.exit_code == 0, result.output
    payload = json.loads(result.stdout)
    [entry] = payload["files"]
    assert set(entry) >= {"file", "format", "sha256", "rows_read", "rows_stored", "rows_rejected", "problems"}
    assert entry["format"] == "agency-template" and entry["rows_read"] == 12 and entry["rows_rejected"] == 1
    assert entry["rows_stored"] == 11
    [problem] = entry["problems"]
    assert problem == {
        "row": 13,
        "column": "Stage Reached",
        "value": "teleported",
        "sheet": "Candidates",
        "message": problem["message"],
    }


def test_importing_the_same_bytes_twice_stores_nothing_new(runner: FlaskCliRunner, tmp_path: Path) -> None:
    path = tracker(tmp_path)
    assert runner.invoke(args=["import", str(path)]).exit_code == 0
    result = runner.invoke(args=["import", str(path), "--json"])
    assert result.exit_code == 0
    entry = json.loads(result.stdout)["files"][0]
    assert entry["rows_stored"] == 0 and "nothing new" in entry["notes"][0]


def test_an_unreadable_file_exits_2_with_one_line_and_stores_nothing(
    app: Flask, runner: FlaskCliRunner, tmp_path: Path
) -> None:
    from sqlalchemy import func, select

    from app.extensions import db
    from app.models import Candidate, Upload

    path = tmp_path / "tracker.csv"
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(200))
    result = runner.invoke(args=["import", str(path)])
    assert result.exit_code == 2
    assert result.stderr.strip().count("\n") == 0 and result.stderr.startswith("tracker.csv: ")
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Candidate)) == 0
        assert db.session.scalar(select(Upload.status)) == "rejected"


def test_advert_import_audit_verify_and_check_advert(runner: FlaskCliRunner, tmp_path: Path) -> None:
    assert runner.invoke(args=["import", str(tracker(tmp_path))]).exit_code == 0
    result = runner.invoke(args=["import", str(FIXTURES / "plain-advert.txt"), "--campaign", "C-1"])
    assert result.exit_code == 0, result.output
    out = tmp_path / "audit.xlsx"
    result = runner.invoke(args=["audit", "C-1", "--out", str(out), "--json"])
    assert result.exit_code == 0, result.output
    audit = json.loads(result.stdout)
    assert set(audit) >= {"audit_id", "campaign", "score", "rag", "summary", "workbook"}
    assert audit["campaign"] == "C-1" and audit["workbook"] == str(out)
    assert runner.invoke(args=["verify", str(out)]).exit_code == 0

    book = load_workbook(out)
    book["Findings"]["D2"] = "Low"  # someone lowers a severity
    book.save(out)
    result = runner.invoke(args=["verify", str(out)])
    assert result.exit_code == 1
    assert f"{audit['audit_id']}-0001 was changed: Severity" in result.stderr

    result = runner.invoke(
        args=["check-advert", str(FIXTURES / "plain-advert.txt"), str(FIXTURES / "nhs-style-jsonld.html"), "--json"]
    )
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(lines) == 2
    for line in lines:
        assert set(line) >= {"file", "findings", "summary"}
        assert set(line["summary"]) == {"pass", "warn", "fail", "n/a", "no data"}
        for finding in line["findings"]:
            assert set(finding) >= {"check", "title", "status", "severity", "evidence", "reference", "details"}
        [lang] = [f for f in line["findings"] if f["check"] == "LANG-01"]
        assert set(lang["details"]) >= {"masculine", "feminine", "masculine_pct", "feminine_pct", "verdict"}


def test_unknown_campaign_and_missing_file(runner: FlaskCliRunner, tmp_path: Path) -> None:
    result = runner.invoke(args=["import", str(FIXTURES / "plain-advert.txt"), "--campaign", "NOPE"])
    assert result.exit_code == 1 and "NOPE" in result.stderr
    assert runner.invoke(args=["import", str(tmp_path / "missing.csv")]).exit_code == 2
    assert runner.invoke(args=["audit", "NOPE"]).exit_code == 1


def test_template_writes_the_workbook_and_csv_files_that_import_as_the_template(
    runner: FlaskCliRunner, tmp_path: Path
) -> None:
    out, folder = tmp_path / "template.xlsx", tmp_path / "csv"
    result = runner.invoke(args=["template", "--out", str(out), "--csv", str(folder)])
    assert result.exit_code == 0, result.output
    assert load_workbook(out).sheetnames == ["Guide", "Codes", "Campaigns", "Candidates", "Outreach"]
    assert sorted(path.name for path in folder.iterdir()) == ["campaigns.csv", "candidates.csv", "outreach.csv"]
    campaigns, candidates = folder / "campaigns.csv", folder / "candidates.csv"
    campaigns.write_bytes(campaigns.read_bytes() + b"C-9\r\n")
    candidates.write_bytes(candidates.read_bytes() + "C-9,Zoë Brontë,headhunt,longlisted\r\n".encode())
    imported = runner.invoke(args=["import", str(campaigns), str(candidates), "--json"])
    assert imported.exit_code == 0, imported.output
    reports = json.loads(imported.stdout)["files"]
    assert [(r["format"], r["rows_stored"], r["problems"]) for r in reports] == [("agency-template", 1, [])] * 2
    nothing = runner.invoke(args=["template"])
    assert nothing.exit_code == 2 and "--out FILE.xlsx, --csv FOLDER" in nothing.output


def test_formats_and_checks_list_references(runner: FlaskCliRunner) -> None:
    formats = runner.invoke(args=["formats"])
    assert formats.exit_code == 0 and "agency-template" in formats.output and "campaign_ref" in formats.output
    checks = runner.invoke(args=["checks"])
    assert checks.exit_code == 0 and "EQ-01" in checks.output and "reference: Equality Act 2010" in checks.output

"""Verifying a workbook in the web app: the one Scrutineer wrote is verified, also with the agency's responses filled
in; an edited one is not, and the page lists the changed findings; anything else is refused with a reason."""

from __future__ import annotations

import io
from pathlib import Path

from flask import Flask
from flask.testing import FlaskClient
from openpyxl import load_workbook
from sqlalchemy import select

from app.models import AuditRun, Campaign, Event
from tests.app.web import csrf_token, first, prepare_download, sign_in
from tests.importers.hostile_files import far_cell_audit_workbook, shared_strings_audit_workbook
from tests.pages import check_page


def _workbook(app: Flask, client: FlaskClient, ref: str = "NCC-2026-002") -> tuple[AuditRun, bytes]:
    run = first(app, select(AuditRun).join(Campaign).where(Campaign.ref == ref))
    return run, prepare_download(client, f"/audits/{run.public_id}/workbook").data


def _verify(client: FlaskClient, content: bytes, name: str = "audit.xlsx") -> tuple[int, str]:
    response = client.post(
        "/verify",
        data={"csrf_token": csrf_token(client, "/verify"), "workbook": (io.BytesIO(content), name)},
        content_type="multipart/form-data",
    )
    html = response.get_data(as_text=True)
    check_page(html, "/verify (result)")
    return response.status_code, html


def _edit(content: bytes, tmp_path: Path, row: int, column: int, value: str) -> bytes:
    path = tmp_path / "edited.xlsx"
    path.write_bytes(content)
    book = load_workbook(path)
    book["Findings"].cell(row=row, column=column, value=value)
    book.save(path)
    return path.read_bytes()


def test_the_workbook_scrutineer_wrote_is_verified(demo_app: Flask, client: FlaskClient, tmp_path: Path) -> None:
    sign_in(client, "procurement@demo.example")
    check_page(client.get("/verify").get_data(as_text=True), "/verify")
    run, content = _workbook(demo_app, client)
    status, html = _verify(client, content)
    assert status == 200 and "Verified" in html and run.public_id in html
    answered = _edit(content, tmp_path, row=2, column=10, value="Agree")  # the agency's response column
    status, html = _verify(client, answered)
    assert "Verified" in html and "filled in 1 response" in html


def test_an_edited_workbook_is_not_verified(demo_app: Flask, client: FlaskClient, tmp_path: Path) -> None:
    sign_in(client, "procurement@demo.example")
    run, content = _workbook(demo_app, client)
    edited = _edit(content, tmp_path, row=5, column=5, value="Pass")  # a status changed
    _status, html = _verify(client, edited)
    assert "Not verified" in html and "was changed: Status" in html
    assert f'href="/audits/{run.public_id}/findings/4"' in html


def test_another_organisations_workbook_is_not_found_here(demo_app: Flask, tmp_path: Path) -> None:
    theirs = demo_app.test_client()
    sign_in(theirs, "auditor2@demo.example")
    run, content = _workbook(demo_app, theirs, "EMT-2026-01")
    ours = demo_app.test_client()
    sign_in(ours, "auditor@demo.example")
    _status, html = _verify(ours, content)
    assert "Not verified" in html and f"no audit {run.public_id} in this organisation" in html


def test_files_that_are_not_workbooks_are_refused(demo_app: Flask, client: FlaskClient) -> None:
    sign_in(client, "recruiter@demo.example")
    for content, name, message in (
        (b"campaign_ref,role\nA,B\n", "data.csv", "not an Excel workbook"),
        (b"", "empty.xlsx", "The file is empty"),
    ):
        status, html = _verify(client, content, name)
        assert status == 400 and message in html and 'href="#workbook"' in html, name


def test_a_scorecard_scrutineer_wrote_is_verified_and_an_edited_one_names_its_sheet(
    demo_app: Flask, client: FlaskClient, tmp_path: Path
) -> None:
    sign_in(client, "procurement@demo.example")
    content = prepare_download(client, "/scorecards/workbook").data
    written = first(demo_app, select(Event).where(Event.action == "scorecard.written"))
    assert written.actor_label == "procurement@demo.example" and written.object_ref.startswith("SC-")
    status, html = _verify(client, content, "scorecard.xlsx")
    assert status == 200 and "Verified" in html and "This is scorecard SC-" in html and "every agency" in html
    assert "See the scorecards as they are now" in html  # procurement reads scorecards
    path = tmp_path / "scorecard.xlsx"
    path.write_bytes(content)
    book = load_workbook(path)
    book["Summary"]["A1"] = "Agency scorecard (improved)"
    book.save(path)
    _status, html = _verify(client, path.read_bytes(), "scorecard.xlsx")
    assert "Not verified" in html and "It claims to be scorecard SC-" in html
    assert "What the Summary sheet shows was changed" in html

    recruiter = demo_app.test_client()  # may verify, may not read scorecards: no link to them
    sign_in(recruiter, "recruiter@demo.example")
    _status, html = _verify(recruiter, content, "scorecard.xlsx")
    assert "Verified" in html and "See the scorecards as they are now" not in html
    theirs = demo_app.test_client()
    sign_in(theirs, "auditor2@demo.example")
    _status, html = _verify(theirs, content, "scorecard.xlsx")
    assert "Not verified" in html and "in this organisation" in html


def test_a_workbook_built_to_exhaust_memory_is_refused_and_the_app_carries_on(
    demo_app: Flask, client: FlaskClient, tmp_path: Path
) -> None:
    """Read in the web process, one cell at XFD1048576 made the spreadsheet reader ask for hundreds of GB and abort
    the process (and this test with it). It is read in a child process under limits, as imports are."""
    hostile = far_cell_audit_workbook(tmp_path / "contract.xlsx").read_bytes()
    sign_in(client, "recruiter@demo.example")
    status, html = _verify(client, hostile, "contract.xlsx")
    assert status == 400 and "cannot be opened" in html and 'href="#workbook"' in html
    assert client.get("/verify").status_code == 200  # the same process answers the next request


def test_a_workbook_with_a_large_shared_strings_table_is_read_only_in_the_child(
    demo_app: Flask, client: FlaskClient, tmp_path: Path
) -> None:
    """Shaped like an audit workbook, with 40 MB of shared strings in a 400 KB upload: the web process looks only
    at its list of sheets, the child reads it under limits, and the page says what is wrong with it."""
    hostile = shared_strings_audit_workbook(tmp_path / "contract.xlsx", inflated_mb=40).read_bytes()
    assert len(hostile) < 500 * 1024  # the test client spools bigger bodies to a file it never closes
    sign_in(client, "recruiter@demo.example")
    status, html = _verify(client, hostile, "contract.xlsx")
    assert status == 400 and "columns have been changed" in html and 'href="#workbook"' in html
    assert client.get("/verify").status_code == 200

"""The agency's answers in a returned workbook, uploaded on the audit's page: recorded when the workbook is this
audit's and unaltered; refused, with nothing recorded, when it was tampered with, is another audit's or another
organisation's, or is not a workbook. Recruiters answer only for their own agency; procurement cannot upload."""

from __future__ import annotations

import io
from html import unescape
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from openpyxl import load_workbook
from sqlalchemy import select

from app.models import AuditRun, Campaign, Event, Finding
from tests.app.web import csrf_token, every, first, prepare_download, sign_in
from tests.importers.hostile_files import far_cell_audit_workbook
from tests.pages import check_page

ADMIN, AUDITOR, RECRUITER, PROCUREMENT = (
    "admin@demo.example",
    "auditor@demo.example",
    "recruiter@demo.example",
    "procurement@demo.example",
)
OK, NO, GONE = 200, 403, 404
RESPONSE, NOTE = 10, 11  # the Findings sheet's Agency response (J) and Response note (K) columns


def _run(app: Flask, ref: str) -> AuditRun:
    return first(app, select(AuditRun).join(Campaign).where(Campaign.ref == ref))


def _workbook(client: FlaskClient, run: AuditRun) -> bytes:
    return prepare_download(client, f"/audits/{run.public_id}/workbook").data


def _fill(content: bytes, tmp_path: Path, cells: dict[tuple[int, int], str | None]) -> bytes:
    """The agency (or someone) edits cells of the Findings sheet and saves the workbook."""
    path = tmp_path / "returned.xlsx"
    path.write_bytes(content)
    book = load_workbook(path)
    for (row, column), value in cells.items():
        book["Findings"].cell(row=row, column=column, value=value)
    book.save(path)
    return path.read_bytes()


def _upload(client: FlaskClient, run: AuditRun, content: bytes, name: str = "returned.xlsx") -> tuple[int, str]:
    path = f"/audits/{run.public_id}/answers"
    response = client.post(
        path,
        data={"answers-csrf_token": csrf_token(client, "/sign-out"), "answers-workbook": (io.BytesIO(content), name)},
        content_type="multipart/form-data",
    )
    html = response.get_data(as_text=True)
    check_page(html, path)
    return response.status_code, unescape(html)


@pytest.mark.parametrize(
    ("email", "own", "other_agency"),
    [(ADMIN, OK, OK), (AUDITOR, OK, OK), (RECRUITER, OK, GONE), (PROCUREMENT, NO, NO)],
)
def test_each_role_gets_what_its_role_allows(demo_app: Flask, email: str, own: int, other_agency: int) -> None:
    mine, theirs, foreign = (_run(demo_app, ref) for ref in ("NCC-2026-001", "NCC-2026-003", "EMT-2026-01"))
    client = demo_app.test_client()
    sign_in(client, email)
    assert client.get(f"/audits/{mine.public_id}/answers").status_code == own
    assert client.get(f"/audits/{theirs.public_id}/answers").status_code == other_agency
    assert client.get(f"/audits/{foreign.public_id}/answers").status_code == GONE
    token = {"answers-csrf_token": csrf_token(client, "/sign-out")}
    assert client.post(f"/audits/{foreign.public_id}/answers", data=token).status_code == GONE
    posted = client.post(f"/audits/{mine.public_id}/answers", data=token)
    assert posted.status_code == (400 if own == OK else NO)  # no file chosen: the form asks for one
    audit_page = client.get(f"/audits/{mine.public_id}").get_data(as_text=True)
    check_page(audit_page, "audit page")
    assert ("Upload the agency's answers" in unescape(audit_page)) == (own == OK)
    if own == OK:
        page = client.get(f"/audits/{mine.public_id}/answers").get_data(as_text=True)
        check_page(page, "answers page")
        html = unescape(posted.get_data(as_text=True))
        assert 'href="#answers-workbook"' in html and "Choose the workbook with the agency's answers" in html


def test_signed_out_visitors_are_sent_to_sign_in(demo_app: Flask, client: FlaskClient) -> None:
    response = client.get(f"/audits/{_run(demo_app, 'NCC-2026-001').public_id}/answers")
    assert response.status_code == 302 and "/sign-in" in response.headers["Location"]


def test_a_recruiter_uploads_the_agencys_answers(demo_app: Flask, client: FlaskClient, tmp_path: Path) -> None:
    run = _run(demo_app, "NCC-2026-002")
    sign_in(client, RECRUITER)
    content = _workbook(client, run)
    answered = _fill(
        content,
        tmp_path,
        {
            (2, RESPONSE): "Agree",
            (3, RESPONSE): "disagree",
            (3, NOTE): "The salary is on page 2 of the pack",
            (4, RESPONSE): "Maybe",
        },
    )
    status, html = _upload(client, run, answered)
    assert status == 200
    assert "2 answers recorded" in html and "Rows that were not recorded" in html
    assert "Maybe" in html and "Agency response" in html
    findings = {f.seq: f for f in every(demo_app, select(Finding).where(Finding.audit_run_id == run.id))}
    assert (findings[1].agency_response, findings[2].agency_response) == ("Agree", "Disagree")
    assert findings[2].response_note == "The salary is on page 2 of the pack" and findings[3].agency_response is None
    recruiter = first(demo_app, select(Event).where(Event.action == "audit.responses_imported"))
    assert recruiter.actor_label == RECRUITER and recruiter.payload["recorded"] == 2

    status, html = _upload(client, run, answered)
    assert status == 200 and "0 answers recorded" in html and "2: the same as the answers already recorded" in html
    page = unescape(client.get(f"/audits/{run.public_id}").get_data(as_text=True))
    assert "Agree" in page and "Disagree" in page


def test_an_auditor_uploads_the_answers_the_agency_sent(demo_app: Flask, client: FlaskClient, tmp_path: Path) -> None:
    run = _run(demo_app, "NCC-2026-003")  # another agency's campaign: auditors see every agency's
    sign_in(client, AUDITOR)
    status, html = _upload(client, run, _fill(_workbook(client, run), tmp_path, {(2, RESPONSE): "Remediated"}))
    assert status == 200 and "1 answer recorded" in html
    finding = first(demo_app, select(Finding).where(Finding.audit_run_id == run.id, Finding.seq == 1))
    assert finding.agency_response == "Remediated"


def test_a_tampered_workbook_is_refused_and_nothing_recorded(
    demo_app: Flask, client: FlaskClient, tmp_path: Path
) -> None:
    run = _run(demo_app, "NCC-2026-002")
    sign_in(client, RECRUITER)
    tampered = _fill(_workbook(client, run), tmp_path, {(2, RESPONSE): "Agree", (3, 5): "Pass"})
    status, html = _upload(client, run, tampered)
    assert status == 400
    assert "Error:" in html and 'href="#answers-workbook"' in html and "Nothing was recorded" in html
    assert "was changed" in html
    assert (
        first(demo_app, select(Finding).where(Finding.audit_run_id == run.id, Finding.seq == 1)).agency_response is None
    )
    assert first(demo_app, select(Event).where(Event.action == "audit.responses_refused")) is not None


def test_another_audits_or_organisations_workbook_is_refused(
    demo_app: Flask, client: FlaskClient, tmp_path: Path
) -> None:
    ours, other = _run(demo_app, "NCC-2026-002"), _run(demo_app, "NCC-2026-001")
    foreign = _run(demo_app, "EMT-2026-01")
    elsewhere = demo_app.test_client()
    sign_in(elsewhere, "auditor2@demo.example")
    theirs = _fill(_workbook(elsewhere, foreign), tmp_path, {(2, RESPONSE): "Agree"})

    sign_in(client, AUDITOR)
    status, html = _upload(client, ours, theirs)
    assert status == 400 and f"This is the workbook of audit {foreign.public_id}, not of audit {ours.public_id}" in html
    status, html = _upload(client, ours, _fill(_workbook(client, other), tmp_path, {(2, RESPONSE): "Agree"}))
    assert status == 400 and f"not of audit {ours.public_id}: nothing was recorded" in html
    status, html = _upload(client, ours, b"Name,Colour\nAda,red\n", "answers.csv")
    assert status == 400 and "not a Scrutineer audit workbook" in html
    status, html = _upload(client, ours, b"", "empty.xlsx")
    assert status == 400 and "The file is empty" in html
    # shaped like an audit workbook, built to exhaust memory: read in a child process, refused, and this one lives on
    hostile = far_cell_audit_workbook(tmp_path / "hostile.xlsx").read_bytes()
    status, html = _upload(client, ours, hostile, "hostile.xlsx")
    assert status == 400 and "cannot be opened" in html
    assert every(demo_app, select(Finding).where(Finding.agency_response.is_not(None))) == []

"""Workbooks and scorecards are written by a background job, never in the request: the button posts, the job's page
offers the file, only the person who asked (and the organisation's admins and auditors) can fetch it, and it is
deleted a day later by `flask purge`."""

from __future__ import annotations

import datetime as dt
import io
import re
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner
from openpyxl import load_workbook
from sqlalchemy import select

from app.models import AuditRun, Campaign, Job
from app.services import downloads
from tests.app.web import answer_finding, first, post, prepare_download, sign_in

ADMIN, AUDITOR, RECRUITER, PROCUREMENT = (
    "admin@demo.example",
    "auditor@demo.example",
    "recruiter@demo.example",
    "procurement@demo.example",
)


def _audit(app: Flask, ref: str) -> AuditRun:
    return first(app, select(AuditRun).join(Campaign).where(Campaign.ref == ref))


def _status(client: FlaskClient, path: str) -> int:
    """GET `path` and close the response (a download holds its file open until then)."""
    response = client.get(path)
    response.close()
    return response.status_code


def _prepare(app: Flask, email: str, path: str) -> str:
    """Sign in as `email`, press the button at `path`; the path of the job's page."""
    client = app.test_client()
    sign_in(client, email)
    response = post(client, path)
    assert response.status_code == 302
    return response.headers["Location"]


@pytest.mark.parametrize("email", [ADMIN, AUDITOR, RECRUITER, PROCUREMENT])
def test_each_role_prepares_and_downloads_the_audit_workbook(demo_app: Flask, email: str) -> None:
    run = _audit(demo_app, "NCC-2026-001")  # the recruiter's agency's campaign
    client = demo_app.test_client()
    sign_in(client, email)
    response = prepare_download(client, f"/audits/{run.public_id}/workbook")
    assert f"scrutineer-{run.public_id}.xlsx" in response.headers["Content-Disposition"]
    assert response.headers["Cache-Control"] == "private, no-store"
    book = load_workbook(io.BytesIO(response.data), read_only=True)
    assert {"Summary", "Findings", "Provenance"} <= set(book.sheetnames)


def test_the_audit_and_campaign_pages_offer_the_button_not_a_link(demo_app: Flask) -> None:
    run = _audit(demo_app, "NCC-2026-001")
    client = demo_app.test_client()
    sign_in(client, AUDITOR)
    for page in (f"/audits/{run.public_id}", f"/campaigns/{run.campaign_id}"):
        html = client.get(page).get_data(as_text=True)
        assert re.search(rf'<form method="post" action="/audits/{run.public_id}/workbook"', html), page
        assert f'href="/audits/{run.public_id}/workbook"' not in html, page
    assert client.get(f"/audits/{run.public_id}/workbook").status_code == 405  # nothing is written on a GET


def test_a_recruiter_cannot_prepare_another_agencys_workbook(demo_app: Flask) -> None:
    other = _audit(demo_app, "NCC-2026-003")
    client = demo_app.test_client()
    sign_in(client, RECRUITER)
    assert post(client, f"/audits/{other.public_id}/workbook").status_code == 404
    with demo_app.app_context():
        from app.extensions import db

        assert db.session.scalar(select(Job).where(Job.kind == "workbook")) is None


def test_only_the_person_who_asked_and_the_organisations_auditors_can_fetch_the_file(demo_app: Flask) -> None:
    run = _audit(demo_app, "NCC-2026-001")
    job_page = _prepare(demo_app, PROCUREMENT, f"/audits/{run.public_id}/workbook")
    expected = {ADMIN: 200, AUDITOR: 200, RECRUITER: 404, PROCUREMENT: 200, "auditor2@demo.example": 404}
    for email, status in expected.items():
        client = demo_app.test_client()
        sign_in(client, email)
        assert _status(client, f"{job_page}/download") == status, email
    job_page = _prepare(demo_app, AUDITOR, f"/audits/{run.public_id}/workbook")
    client = demo_app.test_client()
    sign_in(client, PROCUREMENT)  # procurement sees only the jobs it started
    assert _status(client, job_page) == 404 and _status(client, f"{job_page}/download") == 404


def test_an_import_job_has_no_file_to_download(demo_app: Flask) -> None:
    run = _audit(demo_app, "NCC-2026-001")
    job_page = _prepare(demo_app, AUDITOR, f"/campaigns/{run.campaign_id}/audits")  # an audit job
    client = demo_app.test_client()
    sign_in(client, AUDITOR)
    assert client.get(f"{job_page}/download").status_code == 404


def test_the_workbook_carries_the_answers_given_before_it_was_prepared(demo_app: Flask) -> None:
    run = _audit(demo_app, "NCC-2026-001")
    recruiter = demo_app.test_client()
    sign_in(recruiter, RECRUITER)
    answer = answer_finding(recruiter, run.public_id, 1, "Remediated", "Advert corrected on 2 March")
    assert answer.status_code == 302
    book = load_workbook(io.BytesIO(prepare_download(recruiter, f"/audits/{run.public_id}/workbook").data))
    rows = list(book["Findings"].iter_rows(min_row=2, values_only=True))
    assert any("Remediated" in row and "Advert corrected on 2 March" in row for row in rows)


def test_prepared_files_are_deleted_a_day_later(demo_app: Flask, runner: FlaskCliRunner) -> None:
    run = _audit(demo_app, "NCC-2026-001")
    job_page = _prepare(demo_app, AUDITOR, f"/audits/{run.public_id}/workbook")
    with demo_app.app_context():
        being_written = downloads.folder() / "job-JOB-0123456789AB.partial.xlsx"  # a job writing its file now
        being_written.write_bytes(b"PK")
        kept = downloads.purge_downloads()
        assert kept.files == 0 and being_written.exists()
        gone = downloads.purge_downloads(now=dt.datetime.now(dt.UTC) + dt.timedelta(hours=25))
        assert gone.files == 2 and gone.bytes > 0  # the workbook, and the half-written file of a job long dead
        assert not list(downloads.folder().glob("job-*"))
    client = demo_app.test_client()
    sign_in(client, AUDITOR)
    response = client.get(f"{job_page}/download")
    assert response.status_code == 302 and response.headers["Location"].endswith(job_page)
    assert "Prepare it again" in client.get(job_page).get_data(as_text=True)
    result = runner.invoke(args=["purge"])
    assert result.exit_code == 0 and "prepared download(s) older than 24 hours" in result.output


def test_a_half_written_file_is_never_offered(app: Flask) -> None:
    with app.app_context():
        target = downloads.path_for(Job(public_id="JOB-0123456789AB"))

        def fail_half_way(path: Path) -> None:
            path.write_bytes(b"PK half a workbook")
            raise OSError("disk full")

        with pytest.raises(OSError, match="disk full"):
            downloads.write_atomically(target, fail_half_way)
        assert not target.exists() and not list(downloads.folder().glob("*.partial*"))


def test_the_scorecard_job_says_why_when_the_agency_is_gone(demo_app: Flask) -> None:
    with demo_app.app_context():
        from app import jobs
        from app.dao import organisations as organisations_dao
        from app.services import demo

        organisation = organisations_dao.get_organisation_by_slug(demo.ORGANISATIONS[0][0])
        assert organisation is not None
        job = jobs.enqueue("scorecard", organisation, {"agency_id": 987654})
        assert job.status == "failed" and job.error == "the agency no longer exists"
        assert downloads.ready_file(job) is None

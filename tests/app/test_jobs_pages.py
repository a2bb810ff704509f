"""A job's progress page works without JavaScript (a plain refresh link) and offers the JSON status its script polls;
failed jobs say why and can be run again."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from app.extensions import db
from app.models import Job, Organisation, User
from tests.app.web import csrf_token, first, sign_in
from tests.pages import check_page


def _running_job(app: Flask, email: str = "auditor@demo.example") -> str:
    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == email))
        organisation = db.session.scalar(select(Organisation).where(Organisation.slug == "northshire-cc"))
        job = Job(
            public_id="JOB-RUNNING1",
            organisation_id=organisation.id,
            kind="import",
            status="running",
            stage="Storing rows",
            rows_done=15000,
            rows_total=60000,
            rate=5000.0,
            params={"file_name": "big-tracker.xlsx"},
            created_by_id=user.id,
        )
        db.session.add(job)
        db.session.commit()
        return job.public_id


def test_a_running_job_shows_its_progress_and_refreshes_without_javascript(
    demo_app: Flask, client: FlaskClient
) -> None:
    public_id = _running_job(demo_app)
    sign_in(client, "auditor@demo.example")
    html = client.get(f"/jobs/{public_id}").get_data(as_text=True)
    soup = check_page(html, "running job")
    assert soup.find(attrs={"data-job-status-url": f"/jobs/{public_id}/status"}) is not None
    assert soup.find("a", href=f"/jobs/{public_id}", string="Refresh the page") is not None
    for text in ("Working on it", "Storing rows", "15,000 of 60,000", "5,000 rows a second", "big-tracker.xlsx"):
        assert text in html, text
    status = client.get(f"/jobs/{public_id}/status")
    assert status.headers["Cache-Control"] == "no-store"
    data = status.get_json()
    assert data["status"] == "running" and data["rows_done"] == 15000 and data["rate_text"] == "5,000 rows a second"
    assert data["finished"] is False and data["stage_label"] == "Storing rows"
    listing = client.get("/jobs/").get_data(as_text=True)
    check_page(listing, "/jobs/")
    assert f'data-job-status-url="/jobs/{public_id}/status"' in listing


def test_recruiters_see_only_their_own_jobs(demo_app: Flask, client: FlaskClient) -> None:
    public_id = _running_job(demo_app)
    sign_in(client, "recruiter@demo.example")
    assert client.get(f"/jobs/{public_id}").status_code == 404
    assert public_id not in client.get("/jobs/").get_data(as_text=True)


def test_a_failed_job_says_why_and_can_run_again(demo_app: Flask, client: FlaskClient) -> None:
    with demo_app.app_context():
        db.session.execute(
            Job.__table__.update()
            .where(Job.public_id == _running_job(demo_app))
            .values(status="failed", error="tracker.xlsx: the uploaded file is no longer there; upload it again")
        )
        db.session.commit()
    sign_in(client, "auditor@demo.example")
    html = client.get("/jobs/JOB-RUNNING1").get_data(as_text=True)
    check_page(html, "failed job")
    assert "This did not work" in html and "tracker.xlsx: the uploaded file is no longer there" in html
    response = client.post("/jobs/JOB-RUNNING1/retry", data={"csrf_token": csrf_token(client, "/sign-out")})
    assert response.status_code == 302
    job = first(demo_app, select(Job).where(Job.public_id == "JOB-RUNNING1"))
    assert job.status == "failed" and job.attempts == 1  # ran again (inline in tests), and failed the same way

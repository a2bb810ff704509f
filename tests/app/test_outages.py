"""When the database or the job queue is down, users get a page that says so and what to do, never a stack trace,
and no job is lost silently."""

from pathlib import Path

from flask import Flask
from sqlalchemy import select

from app import create_app
from app.extensions import db
from app.models import Campaign, Job
from tests.app.web import csrf_token, sign_in
from tests.conftest import _settings
from tests.pages import check_page


def test_a_database_that_cannot_be_reached_gives_a_useful_page(tmp_path: Path) -> None:
    settings = _settings(f"sqlite:///{tmp_path / 'missing-folder' / 'scrutineer.sqlite'}", tmp_path)
    application = create_app({**settings, "WTF_CSRF_ENABLED": False})
    response = application.test_client().post("/sign-in", data={"email": "a@b.example", "password": "x" * 12})
    assert response.status_code == 503
    html = response.get_data(as_text=True)
    check_page(html, "database unavailable")
    assert "cannot reach its database" in html and "Traceback" not in html


def test_a_job_queue_that_cannot_be_reached_fails_the_job_with_its_reason(demo_app: Flask) -> None:
    demo_app.config.update(SCRUTINEER_JOBS="rq", REDIS_URL="redis://127.0.0.1:1/0")  # nothing listens on port 1
    client = demo_app.test_client()
    sign_in(client, "auditor@demo.example")
    with demo_app.app_context():
        campaign = db.session.scalar(select(Campaign).where(Campaign.ref == "NCC-2026-001"))
        campaign_id = campaign.id
    token = csrf_token(client, f"/campaigns/{campaign_id}")
    response = client.post(f"/campaigns/{campaign_id}/audits", data={"csrf_token": token})
    assert response.status_code == 503
    html = response.get_data(as_text=True)
    check_page(html, "job queue unavailable")
    assert "cannot reach its job queue" in html
    with demo_app.app_context():
        job = db.session.scalar(select(Job).order_by(Job.id.desc()))
        assert job is not None and job.status == "failed" and "job queue" in (job.error or "")


def test_a_signed_in_user_whose_database_stops_answering_gets_the_page(demo_app: Flask, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from sqlalchemy.exc import OperationalError

    from app.dao import organisations as organisations_dao

    client = demo_app.test_client()
    sign_in(client, "auditor@demo.example")

    def database_gone(*_args: object) -> None:
        raise OperationalError("SELECT 1", {}, Exception("the database system is shutting down"))

    # Every lookup of the signed-in user fails, as while PostgreSQL restarts: the page must not need one.
    monkeypatch.setattr(organisations_dao, "get_user", database_gone)
    response = client.get("/campaigns/")
    assert response.status_code == 503
    html = response.get_data(as_text=True)
    check_page(html, "database unavailable, signed in")
    assert "cannot reach its database" in html


def test_a_connection_cut_after_the_page_was_written_is_still_sent(demo_app: Flask, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """PostgreSQL restarting between the page and the end of the request: ending the session (a ROLLBACK on the
    connection the server cut) fails, and the page already written must still be sent."""
    from sqlalchemy.exc import OperationalError
    from sqlalchemy.orm import Session

    client = demo_app.test_client()
    sign_in(client, "auditor@demo.example")
    real_close = Session.close
    cuts = []

    def close_on_a_cut_connection(session: Session) -> None:
        if not cuts:
            cuts.append(session)
            raise OperationalError("ROLLBACK", {}, Exception("terminating connection due to administrator command"))
        real_close(session)

    monkeypatch.setattr(Session, "close", close_on_a_cut_connection)
    response = client.get("/campaigns/")
    assert cuts, "the session was never closed"
    assert response.status_code == 200 and "NCC-2026-001" in response.get_data(as_text=True)
    with demo_app.app_context():  # the connection was thrown away, not left open mid-transaction holding its locks
        assert db.engine.pool.checkedout() == 0  # type: ignore[attr-defined]
    monkeypatch.setattr(Session, "close", real_close)
    assert client.get("/campaigns/").status_code == 200  # and the next request has a working session

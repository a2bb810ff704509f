"""Helpers for page tests: signing in through the form, reading CSRF tokens, downloading a prepared workbook, and
finding the demo's objects."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from app.extensions import db

PASSWORD = "demo-password-for-tests"
_TOKEN = re.compile(r'name="(?:[a-z]+-)?csrf_token" type="hidden" value="([^"]+)"')


def csrf_token(client: FlaskClient, path: str = "/sign-in") -> str:
    """A CSRF token from a page's form (the session's token: any form of the session will do)."""
    found = _TOKEN.search(client.get(path).get_data(as_text=True))
    assert found, f"no CSRF token on {path}"
    return found.group(1)


def sign_in(client: FlaskClient, email: str, password: str = PASSWORD) -> None:
    response = client.post(
        "/sign-in", data={"email": email, "password": password, "csrf_token": csrf_token(client, "/sign-in")}
    )
    assert response.status_code == 302, response.get_data(as_text=True)[:500]


def post(client: FlaskClient, path: str, data: dict[str, Any] | None = None, **kwargs: Any) -> Any:
    """POST a form with the session's CSRF token."""
    token = csrf_token(client, "/sign-out")
    return client.post(path, data={"csrf_token": token, **(data or {})}, **kwargs)


def answer_finding(client: FlaskClient, audit_id: str, seq: int, response: str, note: str) -> Any:
    """The agency's answer to one finding, as a recruiter gives it on the finding's page."""
    return client.post(
        f"/audits/{audit_id}/findings/{seq}/response",
        data={
            "response-csrf_token": csrf_token(client, "/sign-out"),
            "response-response": response,
            "response-note": note,
        },
    )


def prepare_download(client: FlaskClient, path: str) -> Any:
    """Ask for a workbook or scorecard as a person does (post the button at `path`), follow the job it starts to the
    job's page, and download the file that page offers. Jobs run inline in tests, so the file is ready at once."""
    response = post(client, path)
    assert response.status_code == 302, f"POST {path}: {response.status_code}"
    job_page = urlsplit(response.headers["Location"]).path
    assert job_page.startswith("/jobs/JOB-"), job_page
    html = client.get(job_page).get_data(as_text=True)
    assert f'href="{job_page}/download"' in html, html[:2000]
    download = client.get(f"{job_page}/download")
    assert download.status_code == 200, f"GET {job_page}/download: {download.status_code}"
    assert download.headers["Content-Disposition"].startswith("attachment")
    assert download.mimetype == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert download.get_data()[:2] == b"PK"  # read into memory, so the file can be closed here
    download.close()
    return download


def first(app: Flask, statement: Any) -> Any:
    """The first row a statement finds, detached from the session so that it can be used after the context ends."""
    with app.app_context():
        found = db.session.scalar(statement)
        db.session.expunge_all()
        return found


def every(app: Flask, statement: Any) -> list[Any]:
    with app.app_context():
        found = list(db.session.scalars(statement))
        db.session.expunge_all()
        return found


__all__ = [
    "PASSWORD",
    "answer_finding",
    "csrf_token",
    "every",
    "first",
    "post",
    "prepare_download",
    "select",
    "sign_in",
]

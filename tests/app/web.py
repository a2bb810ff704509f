"""Helpers for page tests: signing in through the form, reading CSRF tokens, and finding the demo's objects."""

from __future__ import annotations

import re
from typing import Any

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


__all__ = ["PASSWORD", "csrf_token", "every", "first", "post", "select", "sign_in"]

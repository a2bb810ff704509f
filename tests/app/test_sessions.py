"""Sessions: cookies HttpOnly and SameSite (and Secure over HTTPS), HSTS over HTTPS, and sessions that expire."""

import re
import time

from flask import Flask

from tests.app.web import csrf_token

PASSWORD = "demo-password-for-tests"


def _sign_in(client, base_url: str = "http://localhost"):  # type: ignore[no-untyped-def]
    token = csrf_token(client)
    return client.post(
        "/sign-in", base_url=base_url, data={"email": "auditor@demo.example", "password": PASSWORD, "csrf_token": token}
    )


def test_the_session_cookie_is_http_only_and_same_site(demo_app: Flask) -> None:
    response = _sign_in(demo_app.test_client())
    cookie = next(h for h in response.headers.getlist("Set-Cookie") if h.startswith("session="))
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_over_https_cookies_are_secure_and_hsts_is_sent(demo_app: Flask) -> None:
    demo_app.config.update(SESSION_COOKIE_SECURE=True)  # as ProductionConfig sets it
    client = demo_app.test_client()
    page = client.get("/sign-in", base_url="https://scrutineer.example")
    assert page.headers["Strict-Transport-Security"].startswith("max-age=31536000")
    assert "Strict-Transport-Security" not in client.get("/sign-in").headers  # not over plain HTTP
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page.get_data(as_text=True)).group(1)  # type: ignore[union-attr]
    response = client.post(
        "/sign-in",
        base_url="https://scrutineer.example",
        data={"email": "auditor@demo.example", "password": PASSWORD, "csrf_token": token},
    )
    cookie = next(h for h in response.headers.getlist("Set-Cookie") if h.startswith("session="))
    assert "Secure" in cookie


def test_a_session_expires(demo_app: Flask) -> None:
    from datetime import timedelta

    demo_app.permanent_session_lifetime = timedelta(seconds=1)
    client = demo_app.test_client()
    assert _sign_in(client).status_code == 302
    assert client.get("/campaigns/").status_code == 200
    time.sleep(2.1)
    response = client.get("/campaigns/")
    assert response.status_code == 302 and "/sign-in" in response.headers["Location"]


def test_production_refuses_to_start_without_a_secret(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import pytest

    from app import create_app

    monkeypatch.delenv("SECRET_KEY", raising=False)
    with pytest.raises(RuntimeError, match="SECRET_KEY is not set"):
        create_app("production")

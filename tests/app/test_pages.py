"""Every page renders valid, titled, labelled HTML; roles and tenants are respected."""

import re

import pytest
from flask import Flask
from flask.testing import FlaskClient

from app.services import demo
from tests.pages import check_page

PASSWORD = "demo-password-for-tests"


def sign_in(client: FlaskClient, email: str) -> None:
    page = client.get("/sign-in")
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page.get_data(as_text=True))
    assert token, "no CSRF token on the sign-in page"
    response = client.post("/sign-in", data={"email": email, "password": PASSWORD, "csrf_token": token.group(1)})
    assert response.status_code == 302, response.get_data(as_text=True)[:500]


@pytest.fixture
def demo_app(app: Flask) -> Flask:
    with app.app_context():
        demo.load_demo()
    return app


def first(app: Flask, statement: object) -> object:
    from app.extensions import db

    with app.app_context():
        found = db.session.scalar(statement)  # type: ignore[arg-type]
        db.session.expunge_all()
        return found


@pytest.mark.parametrize("path", ["/", "/sign-in", "/accessibility-statement", "/privacy", "/cookies", "/nowhere"])
def test_public_pages(client: FlaskClient, path: str) -> None:
    response = client.get(path)
    assert response.status_code in (200, 404)
    check_page(response.get_data(as_text=True), path)
    assert "Crown copyright" not in response.get_data(as_text=True)
    assert "GDS Transport" not in response.get_data(as_text=True)


def test_security_headers(client: FlaskClient) -> None:
    headers = client.get("/").headers
    assert "script-src 'self'" in headers["Content-Security-Policy"]
    assert "unsafe-inline" not in headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]
    assert headers["X-Content-Type-Options"] == "nosniff" and headers["Referrer-Policy"]


def test_sign_in_with_a_wrong_password_says_so(demo_app: Flask, client: FlaskClient) -> None:
    page = client.get("/sign-in").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)  # type: ignore[union-attr]
    response = client.post("/sign-in", data={"email": "auditor@demo.example", "password": "wrong", "csrf_token": token})
    assert response.status_code == 401
    html = response.get_data(as_text=True)
    check_page(html, "/sign-in (error)")
    assert "Enter a correct email address and password" in html and "Error:" in html


def test_post_without_csrf_token_is_refused(demo_app: Flask, client: FlaskClient) -> None:
    response = client.post("/sign-in", data={"email": "auditor@demo.example", "password": PASSWORD})
    assert response.status_code in (400, 401)
    assert client.get("/campaigns/").status_code == 302  # not signed in


def test_auditor_journey_pages(demo_app: Flask, client: FlaskClient) -> None:
    sign_in(client, "auditor@demo.example")
    dashboard = client.get("/campaigns/")
    assert dashboard.status_code == 200
    html = dashboard.get_data(as_text=True)
    check_page(html, "/campaigns/")
    assert "NCC-2026-001" in html and "EMT-2026-01" not in html
    for link in sorted(set(re.findall(r'href="(/campaigns/\d+)"', html))):
        page = client.get(link)
        assert page.status_code == 200
        body = check_page(page.get_data(as_text=True), link)
        for audit in {a["href"] for a in body.find_all("a", href=re.compile(r"^/campaigns/audits/[^/]+$"))}:
            check_page(client.get(audit).get_data(as_text=True), audit)
            download = client.get(audit + "/workbook")
            assert download.status_code == 200 and download.data[:2] == b"PK"
    self_check = client.get("/self-check")
    check_page(self_check.get_data(as_text=True), "/self-check")
    check_page(client.get("/sign-out").get_data(as_text=True), "/sign-out")


def test_other_organisations_objects_are_not_found(demo_app: Flask, client: FlaskClient) -> None:
    from sqlalchemy import select

    from app.models import AuditRun, Campaign, Organisation

    other = first(demo_app, select(Organisation).where(Organisation.slug == "eastmoor-nhs"))
    campaign = first(demo_app, select(Campaign).where(Campaign.organisation_id == other.id))
    run = first(demo_app, select(AuditRun).where(AuditRun.organisation_id == other.id))
    sign_in(client, "auditor@demo.example")
    assert client.get(f"/campaigns/{campaign.id}").status_code == 404
    assert client.get(f"/campaigns/audits/{run.public_id}").status_code == 404
    assert client.get(f"/campaigns/audits/{run.public_id}/workbook").status_code == 404


def test_recruiter_sees_only_its_agencys_campaigns_and_cannot_run_audits(demo_app: Flask, client: FlaskClient) -> None:
    sign_in(client, "recruiter@demo.example")
    html = client.get("/campaigns/").get_data(as_text=True)
    assert "NCC-2026-001" in html and "NCC-2026-003" not in html  # 003 is another agency's
    from sqlalchemy import select

    from app.models import Campaign

    own = first(demo_app, select(Campaign).where(Campaign.ref == "NCC-2026-001"))
    others = first(demo_app, select(Campaign).where(Campaign.ref == "NCC-2026-003"))
    assert client.get(f"/campaigns/{others.id}").status_code == 404
    page = client.get(f"/campaigns/{own.id}").get_data(as_text=True)
    assert "Run an audit now" not in page
    token = re.search(
        r'name="csrf_token" type="hidden" value="([^"]+)"', client.get("/self-check").get_data(as_text=True)
    )
    assert client.post(f"/campaigns/{own.id}/audits", data={"csrf_token": token.group(1)}).status_code == 403


def test_self_check_highlights_words_and_stores_nothing(demo_app: Flask, client: FlaskClient) -> None:
    from sqlalchemy import func, select

    from app.models import Advert

    before = first(demo_app, select(func.count()).select_from(Advert))
    sign_in(client, "recruiter@demo.example")
    page = client.get("/self-check").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)  # type: ignore[union-attr]
    response = client.post(
        "/self-check",
        data={"csrf_token": token, "title": "Chairman", "text": "We want a <b>young</b> native English speaker."},
    )
    html = response.get_data(as_text=True)
    check_page(html, "/self-check (result)")
    assert '<mark class="app-highlight"' in html and "&lt;b&gt;" in html  # highlighted, and escaped
    assert first(demo_app, select(func.count()).select_from(Advert)) == before

"""People: admins invite by one-time link and set roles; invitations are accepted once, before they expire; people in
several organisations choose which one to work in."""

from __future__ import annotations

import datetime as dt
import re

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from app.extensions import db
from app.models import Agency, Event, Invitation, Membership, User
from tests.app.web import csrf_token, every, first, sign_in
from tests.pages import check_page


def _invite(client: FlaskClient, **fields: str) -> str:
    """Invite someone as the signed-in admin; return the link shown once."""
    response = client.post(
        "/admin/members/invite", data={"csrf_token": csrf_token(client, "/admin/members/invite"), **fields}
    )
    assert response.status_code == 302, response.get_data(as_text=True)[-2000:]
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    check_page(page, "invitation (new)")
    link = re.search(r'id="invitation-link" type="text" value="([^"]+)"', page)
    assert link, "the link is shown"
    again = client.get(response.headers["Location"]).get_data(as_text=True)
    assert 'id="invitation-link"' not in again and "The link was shown once" in again
    return link.group(1).replace("http://localhost", "")


def test_an_admin_invites_a_recruiter_who_accepts(demo_app: Flask, client: FlaskClient) -> None:
    agency = first(demo_app, select(Agency).where(Agency.name == "Fenwick Talent"))
    sign_in(client, "admin@demo.example")
    check_page(client.get("/admin/members/invite").get_data(as_text=True), "/admin/members/invite")
    link = _invite(client, email="Fiona@Fenwick.example", name="Fiona Fenwick", role="recruiter", agency=str(agency.id))
    invitation = first(demo_app, select(Invitation))
    assert invitation.email == "fiona@fenwick.example" and link.split("/")[-1] not in invitation.token_sha256
    members = client.get("/admin/members").get_data(as_text=True)
    assert "fiona@fenwick.example" in members and "Invitations waiting" in members

    newcomer = demo_app.test_client()
    page = newcomer.get(link)
    assert page.status_code == 200
    check_page(page.get_data(as_text=True), "accept")
    token = csrf_token(newcomer, link)
    short = newcomer.post(link, data={"csrf_token": token, "name": "Fiona", "password": "short", "confirm": "short"})
    html = short.get_data(as_text=True)
    check_page(html, "accept (error)")
    assert "at least 12 characters" in html and 'href="#password"' in html
    mismatch = newcomer.post(
        link, data={"csrf_token": token, "name": "Fiona", "password": "a" * 12, "confirm": "b" * 12}
    )
    assert "The passwords do not match" in mismatch.get_data(as_text=True)
    accepted = newcomer.post(
        link,
        data={
            "csrf_token": token,
            "name": "Fiona F",
            "password": "long enough password",
            "confirm": "long enough password",
        },
    )
    assert accepted.status_code == 302
    dashboard = newcomer.get("/campaigns/").get_data(as_text=True)
    assert "NCC-2026-003" in dashboard and "NCC-2026-001" not in dashboard  # Fenwick's campaigns only
    assert demo_app.test_client().get(link).status_code == 404  # a link works once
    assert "This invitation link does not work" in demo_app.test_client().get(link).get_data(as_text=True)
    user = first(demo_app, select(User).where(User.email == "fiona@fenwick.example"))
    assert user.name == "Fiona F" and not user.password_hash.startswith("long")
    actions = [e.action for e in every(demo_app, select(Event).where(Event.object_type == "invitation"))]
    assert actions == ["invitation.created", "invitation.accepted"]


def test_invitation_errors(demo_app: Flask, client: FlaskClient) -> None:
    sign_in(client, "admin@demo.example")
    token = csrf_token(client, "/admin/members/invite")
    response = client.post("/admin/members/invite", data={"csrf_token": token, "role": "recruiter"})
    html = response.get_data(as_text=True)
    check_page(html, "invite (errors)")
    for target in ("#email", "#name", "#agency"):
        assert f'href="{target}"' in html
    existing = client.post(
        "/admin/members/invite",
        data={"csrf_token": token, "email": "auditor@demo.example", "name": "A", "role": "auditor"},
    )
    assert "already a member" in existing.get_data(as_text=True)


def test_expired_and_cancelled_invitations_do_not_work(demo_app: Flask, client: FlaskClient) -> None:
    sign_in(client, "admin@demo.example")
    expired = _invite(client, email="late@demo.example", name="Late", role="auditor")
    cancelled = _invite(client, email="gone@demo.example", name="Gone", role="procurement")
    with demo_app.app_context():
        late = db.session.scalar(select(Invitation).where(Invitation.email == "late@demo.example"))
        late.expires_at = dt.datetime(2020, 1, 1)
        db.session.commit()
        gone_id = db.session.scalar(select(Invitation.id).where(Invitation.email == "gone@demo.example"))
    assert demo_app.test_client().get(expired).status_code == 404
    response = client.post(f"/admin/invitations/{gone_id}/cancel", data={"csrf_token": csrf_token(client, "/sign-out")})
    assert response.status_code == 302
    assert demo_app.test_client().get(cancelled).status_code == 404
    members = client.get("/admin/members").get_data(as_text=True)
    assert "was cancelled" in members and "the invitation for gone@demo.example</span>" not in members


def test_someone_with_an_account_joins_a_second_organisation_and_switches(demo_app: Flask, client: FlaskClient) -> None:
    sign_in(client, "admin@demo.example")
    link = _invite(client, email="auditor2@demo.example", name="Owen", role="procurement")
    owen = demo_app.test_client()
    page = owen.get(link).get_data(as_text=True)
    check_page(page, "accept with an account")
    assert "You already have a Scrutineer account" in page
    token = csrf_token(owen, link)
    wrong = owen.post(link, data={"csrf_token": token, "password": "not the password"})
    assert "Enter the password of your existing Scrutineer account" in wrong.get_data(as_text=True)
    assert owen.post(link, data={"csrf_token": token, "password": "demo-password-for-tests"}).status_code == 302
    assert "NCC-2026-001" in owen.get("/campaigns/").get_data(as_text=True)  # working in the inviting organisation
    choose = owen.get("/organisation").get_data(as_text=True)
    check_page(choose, "/organisation")
    assert "Switch organisation" in choose
    eastmoor = first(
        demo_app, select(Membership.organisation_id).join(User).where(User.email == "auditor2@demo.example")
    )
    memberships = every(demo_app, select(Membership).join(User).where(User.email == "auditor2@demo.example"))
    other = next(m.organisation_id for m in memberships if m.role == "auditor")
    assert eastmoor is not None
    response = owen.post("/organisation", data={"csrf_token": csrf_token(owen, "/organisation"), "organisation": other})
    assert response.status_code == 302
    dashboard = owen.get("/campaigns/").get_data(as_text=True)
    assert "EMT-2026-01" in dashboard and "NCC-2026-001" not in dashboard


def test_an_admin_changes_a_role_but_never_removes_the_last_admin(demo_app: Flask, client: FlaskClient) -> None:
    sign_in(client, "admin@demo.example")
    procurement = first(demo_app, select(Membership).join(User).where(User.email == "procurement@demo.example"))
    me = first(demo_app, select(Membership).join(User).where(User.email == "admin@demo.example"))
    path = f"/admin/members/{procurement.id}"
    check_page(client.get(path).get_data(as_text=True), path)
    token = csrf_token(client, path)
    response = client.post(path, data={"csrf_token": token, "role": "auditor"})
    assert response.status_code == 302
    assert first(demo_app, select(Membership.role).where(Membership.id == procurement.id)) == "auditor"
    own = client.post(f"/admin/members/{me.id}", data={"csrf_token": token, "role": "auditor"})
    html = own.get_data(as_text=True)
    check_page(html, "last admin")
    assert "at least one administrator" in html
    assert client.post(f"/admin/members/{me.id}/remove", data={"remove-csrf_token": token}).status_code == 302
    assert first(demo_app, select(Membership.role).where(Membership.id == me.id)) == "admin"  # not removed
    removed = client.post(f"/admin/members/{procurement.id}/remove", data={"remove-csrf_token": token})
    assert removed.status_code == 302
    assert first(demo_app, select(Membership).where(Membership.id == procurement.id)) is None
    gone = demo_app.test_client()
    sign_in(gone, "procurement@demo.example")  # the account stays, but it sees nothing of the organisation
    assert gone.get("/campaigns/").status_code == 403

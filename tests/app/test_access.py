"""Who may open which page and post which form: every route for every role, and another organisation's object IDs
refused (not found, so that their existence is not revealed). Procurement is read-only: every form that changes
something is forbidden to it; verifying a workbook (which stores nothing) and preparing a workbook or scorecard to
download (which changes no record) are the ones it may post, and it sees only the jobs it started."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from flask import Flask
from sqlalchemy import select

from app import jobs
from app.dao import organisations as organisations_dao
from app.extensions import db
from app.models import Advert, AuditRun, Campaign, Membership, Organisation, Upload, User
from app.services import people
from tests.app.web import csrf_token, sign_in

ADMIN, AUDITOR, RECRUITER, PROCUREMENT = (
    "admin@demo.example",
    "auditor@demo.example",
    "recruiter@demo.example",
    "procurement@demo.example",
)
ROLES = (ADMIN, AUDITOR, RECRUITER, PROCUREMENT)


@dataclass
class Ids:
    own: int  # NCC-2026-001, run by the recruiter's agency
    other_agency: int  # NCC-2026-003, another agency's
    foreign: int  # EMT-2026-01, another organisation's
    own_audit: str
    other_agency_audit: str
    foreign_audit: str
    own_advert: int
    foreign_advert: int
    own_upload: int  # an advert upload tied to the own campaign
    tracker_upload: int  # the tracker of several campaigns, uploaded by nobody in particular
    foreign_upload: int
    auditor_job: str
    recruiter_job: str
    foreign_job: str
    member: int  # the procurement member of the first organisation
    foreign_member: int
    invitation: int
    foreign_invitation: int


def _ids(app: Flask) -> Ids:
    with app.app_context():

        def campaign(ref: str) -> Campaign:
            found = db.session.scalar(select(Campaign).where(Campaign.ref == ref))
            assert found is not None
            return found

        def audit(campaign_id: int) -> str:
            return db.session.scalar(select(AuditRun.public_id).where(AuditRun.campaign_id == campaign_id))

        def advert(campaign_id: int) -> int:
            return db.session.scalar(select(Advert.id).where(Advert.campaign_id == campaign_id))

        def user(email: str) -> User:
            found = organisations_dao.get_user_by_email(email)
            assert found is not None
            return found

        own, other, foreign = campaign("NCC-2026-001"), campaign("NCC-2026-003"), campaign("EMT-2026-01")
        first, second = own.organisation_id, foreign.organisation_id
        organisation = db.session.get(Organisation, first)
        elsewhere = db.session.get(Organisation, second)
        assert organisation is not None and elsewhere is not None
        uploads = list(db.session.scalars(select(Upload).order_by(Upload.id)))
        ids = Ids(
            own=own.id,
            other_agency=other.id,
            foreign=foreign.id,
            own_audit=audit(own.id),
            other_agency_audit=audit(other.id),
            foreign_audit=audit(foreign.id),
            own_advert=advert(own.id),
            foreign_advert=advert(foreign.id),
            own_upload=next(u.id for u in uploads if u.campaign_id == own.id),
            tracker_upload=next(u.id for u in uploads if u.organisation_id == first and u.campaign_id is None),
            foreign_upload=next(u.id for u in uploads if u.organisation_id == second),
            auditor_job=jobs.enqueue("audit", organisation, {"campaign_id": own.id}, user=user(AUDITOR)).public_id,
            recruiter_job=jobs.enqueue("audit", organisation, {"campaign_id": own.id}, user=user(RECRUITER)).public_id,
            foreign_job=jobs.enqueue("audit", elsewhere, {"campaign_id": foreign.id}).public_id,
            member=organisations_dao.membership(user(PROCUREMENT), first).id,  # type: ignore[union-attr]
            foreign_member=db.session.scalar(select(Membership.id).where(Membership.organisation_id == second)),
            invitation=people.invite(
                organisation, email="new@demo.example", name="New", role="auditor", agency_id=None, actor=user(ADMIN)
            ).invitation.id,
            foreign_invitation=people.invite(
                elsewhere, email="new2@demo.example", name="New", role="auditor", agency_id=None, actor=user(ADMIN)
            ).invitation.id,
        )
        db.session.expunge_all()
        return ids


@pytest.fixture
def ids(demo_app: Flask) -> Ids:
    return _ids(demo_app)


OK, NO, GONE = 200, 403, 404


def _pages(i: Ids) -> list[tuple[str, dict[str, int]]]:
    """GET pages with the status each role gets: admin, auditor, recruiter, procurement."""

    def roles(admin: int, auditor: int, recruiter: int, procurement: int) -> dict[str, int]:
        return {ADMIN: admin, AUDITOR: auditor, RECRUITER: recruiter, PROCUREMENT: procurement}

    everyone = roles(OK, OK, OK, OK)
    return [
        ("/campaigns/", everyone),
        (f"/campaigns/{i.own}", everyone),
        (f"/campaigns/{i.other_agency}", roles(OK, OK, GONE, OK)),
        (f"/campaigns/{i.own}/edit", roles(OK, OK, NO, NO)),
        (f"/campaigns/{i.other_agency}/edit", roles(OK, OK, GONE, NO)),
        (f"/campaigns/{i.own}/adverts/fetch", roles(OK, OK, OK, NO)),
        (f"/campaigns/{i.other_agency}/adverts/fetch", roles(OK, OK, GONE, NO)),
        (f"/campaigns/{i.own}/adverts/{i.own_advert}", everyone),
        (f"/audits/{i.own_audit}", everyone),
        (f"/audits/{i.other_agency_audit}", roles(OK, OK, GONE, OK)),
        (f"/audits/{i.own_audit}/findings/1", everyone),
        (f"/audits/{i.other_agency_audit}/findings/1", roles(OK, OK, GONE, OK)),
        ("/uploads/", everyone),
        ("/uploads/new", roles(OK, OK, OK, NO)),
        (f"/uploads/{i.own_upload}", everyone),
        (f"/uploads/{i.tracker_upload}", roles(OK, OK, GONE, OK)),
        ("/jobs/", everyone),
        (f"/jobs/{i.auditor_job}", roles(OK, OK, GONE, GONE)),
        (f"/jobs/{i.auditor_job}/status", roles(OK, OK, GONE, GONE)),
        (f"/jobs/{i.recruiter_job}", roles(OK, OK, OK, GONE)),
        ("/self-check", roles(OK, OK, OK, NO)),
        ("/verify", everyone),
        ("/admin/members", roles(OK, NO, NO, NO)),
        ("/admin/members/invite", roles(OK, NO, NO, NO)),
        (f"/admin/members/{i.member}", roles(OK, NO, NO, NO)),
        (f"/admin/invitations/{i.invitation}", roles(OK, NO, NO, NO)),
    ]


def _foreign_pages(i: Ids) -> list[str]:
    """Another organisation's objects, addressed directly or mixed with one of ours."""
    return [
        f"/campaigns/{i.foreign}",
        f"/campaigns/{i.foreign}/edit",
        f"/campaigns/{i.foreign}/adverts/fetch",
        f"/campaigns/{i.foreign}/adverts/{i.foreign_advert}",
        f"/campaigns/{i.own}/adverts/{i.foreign_advert}",
        f"/audits/{i.foreign_audit}",
        f"/audits/{i.foreign_audit}/findings/1",
        f"/uploads/{i.foreign_upload}",
        f"/jobs/{i.foreign_job}",
        f"/jobs/{i.foreign_job}/status",
        f"/jobs/{i.foreign_job}/download",
    ]


def _forms(i: Ids) -> list[str]:
    """Every form that changes something."""
    return [
        f"/campaigns/{i.own}/edit",
        f"/campaigns/{i.own}/audits",
        f"/campaigns/{i.own}/adverts/fetch",
        "/uploads/new",
        "/uploads/batches/0123456789abcdef01234567/import",
        "/uploads/batches/0123456789abcdef01234567/discard",
        f"/audits/{i.own_audit}/findings/1/review",
        f"/audits/{i.own_audit}/findings/1/response",
        f"/audits/{i.own_audit}/answers",
        f"/jobs/{i.auditor_job}/retry",
        "/self-check",
        "/checklists/uk-public-sector-2026/copy",
        "/checklists/uk-public-sector-2026/checks/ES-01/thresholds/min_share",
        "/checklists/uk-public-sector-2026/checks/ES-01/severity",
        "/checklists/uk-public-sector-2026/checks/ES-01/switch-off",
        "/checklists/uk-public-sector-2026/checks/ES-01/switch-on",
        "/admin/members/invite",
        f"/admin/members/{i.member}",
        f"/admin/members/{i.member}/remove",
        f"/admin/invitations/{i.invitation}/cancel",
    ]


@pytest.mark.parametrize("email", ROLES)
def test_each_role_gets_what_its_role_allows(demo_app: Flask, ids: Ids, email: str) -> None:
    client = demo_app.test_client()
    sign_in(client, email)
    for path, expected in _pages(ids):
        assert client.get(path).status_code == expected[email], f"{email} GET {path}"


@pytest.mark.parametrize("email", ROLES)
def test_another_organisations_objects_are_not_found(demo_app: Flask, ids: Ids, email: str) -> None:
    client = demo_app.test_client()
    sign_in(client, email)
    for path in _foreign_pages(ids):
        assert client.get(path).status_code == GONE, f"{email} GET {path}"
    token = csrf_token(client, "/sign-out")
    for path in (
        f"/campaigns/{ids.foreign}/edit",
        f"/campaigns/{ids.foreign}/audits",
        f"/campaigns/{ids.foreign}/adverts/fetch",
        f"/audits/{ids.foreign_audit}/findings/1/review",
        f"/audits/{ids.foreign_audit}/findings/1/response",
        f"/jobs/{ids.foreign_job}/retry",
        f"/audits/{ids.foreign_audit}/workbook",
    ):
        assert client.post(path, data={"csrf_token": token}).status_code == GONE, f"{email} POST {path}"
    if email == ADMIN:
        for path in (f"/admin/members/{ids.foreign_member}", f"/admin/invitations/{ids.foreign_invitation}"):
            assert client.get(path).status_code == GONE, path
        for path in (
            f"/admin/members/{ids.foreign_member}",
            f"/admin/members/{ids.foreign_member}/remove",
            f"/admin/invitations/{ids.foreign_invitation}/cancel",
        ):
            assert client.post(path, data={"csrf_token": token}).status_code == GONE, path


def test_the_other_organisation_cannot_reach_ours(demo_app: Flask, ids: Ids) -> None:
    client = demo_app.test_client()
    sign_in(client, "auditor2@demo.example")
    for path, _expected in _pages(ids):
        if any(str(value) in path for value in vars(ids).values()):
            # An auditor may not open people pages at all, so those are forbidden before anything is looked up.
            expected = NO if path.startswith("/admin/") else GONE
            assert client.get(path).status_code == expected, f"auditor2 GET {path}"


def test_procurement_can_post_nothing_that_changes_anything(demo_app: Flask, ids: Ids) -> None:
    client = demo_app.test_client()
    sign_in(client, PROCUREMENT)
    token = csrf_token(client, "/sign-out")
    for path in _forms(ids):
        # Another person's job is not found (procurement sees only its own); everything else is forbidden.
        expected = GONE if path.startswith("/jobs/") else NO
        assert client.post(path, data={"csrf_token": token}).status_code == expected, f"POST {path}"
    # Checking a workbook changes nothing, so procurement may post it (here with no file: the form asks for one).
    response = client.post("/verify", data={"csrf_token": token})
    assert response.status_code == 400 and "Choose the workbook" in response.get_data(as_text=True)


def test_recruiters_answer_findings_and_auditors_review_them(demo_app: Flask, ids: Ids) -> None:
    recruiter = demo_app.test_client()
    sign_in(recruiter, RECRUITER)
    token = csrf_token(recruiter, "/sign-out")
    review = f"/audits/{ids.own_audit}/findings/1/review"
    respond = f"/audits/{ids.own_audit}/findings/1/response"
    assert recruiter.post(review, data={"csrf_token": token}).status_code == NO
    assert recruiter.post(f"/campaigns/{ids.own}/audits", data={"csrf_token": token}).status_code == NO
    assert recruiter.post(f"/audits/{ids.other_agency_audit}/findings/1/response", data={}).status_code == 400
    other = f"/audits/{ids.other_agency_audit}/findings/1/response"
    assert recruiter.post(other, data={"csrf_token": token}).status_code == GONE
    auditor = demo_app.test_client()
    sign_in(auditor, AUDITOR)
    assert auditor.post(respond, data={"csrf_token": csrf_token(auditor, "/sign-out")}).status_code == NO


def test_signed_out_visitors_are_sent_to_sign_in_from_every_page(demo_app: Flask, ids: Ids) -> None:
    client = demo_app.test_client()
    for path, _expected in _pages(ids):
        response = client.get(path)
        assert response.status_code == 302 and "/sign-in" in response.headers["Location"], path

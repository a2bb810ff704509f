"""The checklist pages: the shipped checklist and the organisation's versions for everyone, and for admins and
auditors the organisation's own copy with its changes, each a new version that the next audit uses. Another
organisation's versions are not found; recruiters and procurement change nothing."""

from __future__ import annotations

import re
from html import unescape

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from app.dao import audits as audits_dao
from app.extensions import db
from app.models import AuditRun, Campaign, ChecklistVersion, Event, Organisation
from app.services import checklist_pages, checklists
from audits.checklist import DEFAULT_CHECKLIST, load_shipped
from tests.app.web import csrf_token, every, first, post, sign_in
from tests.pages import check_page

ADMIN, AUDITOR, RECRUITER, PROCUREMENT = (
    "admin@demo.example",
    "auditor@demo.example",
    "recruiter@demo.example",
    "procurement@demo.example",
)
OK, NO, GONE = 200, 403, 404
BASE = f"/checklists/{DEFAULT_CHECKLIST}/checks"
# One threshold of each kind the forms offer.
THRESHOLDS = {
    "whole": ("ES-08", "max_percent"),
    "decimal": ("ES-01", "min_share"),
    "yes_no": ("ES-01", "either_sex"),
    "status": ("ES-01", "fail_status"),
    "severity": ("EQ-01", "body_severity"),
    "text": ("ES-05", "day_basis"),
    "words": ("EQ-01", "terms"),
}


def _organisation(app: Flask, slug: str) -> Organisation:
    return first(app, select(Organisation).where(Organisation.slug == slug))


def _shipped(app: Flask) -> int:
    with app.app_context():
        checklists.current(_organisation(app, "northshire-cc"))  # records the shipped checklist if it is not yet
        db.session.commit()
        return db.session.scalar(select(ChecklistVersion.id).where(ChecklistVersion.organisation_id.is_(None)))


def _foreign_version(app: Flask) -> int:
    """A version of the other organisation's own copy."""
    with app.app_context():
        eastmoor = db.session.merge(_organisation(app, "eastmoor-nhs"))
        return checklists.disable(eastmoor, "LANG-01", "Eastmoor's own policy").id


def test_the_kinds_of_threshold_are_read_from_the_shipped_checklist() -> None:
    shipped = load_shipped()
    for kind, (check, name) in THRESHOLDS.items():
        assert checklist_pages.param_kind(name, shipped.rule(check).params[name]) == kind, (check, name)


@pytest.mark.parametrize(
    ("email", "view", "change"),
    [(ADMIN, OK, OK), (AUDITOR, OK, OK), (RECRUITER, OK, NO), (PROCUREMENT, OK, NO)],
)
def test_each_role_reads_and_only_editors_change(demo_app: Flask, email: str, view: int, change: int) -> None:
    shipped = _shipped(demo_app)
    client = demo_app.test_client()
    sign_in(client, email)
    for path in ("/checklists/", f"/checklists/versions/{shipped}"):
        assert client.get(path).status_code == view, f"{email} GET {path}"
    changes = [
        f"{BASE}/EQ-01",
        f"{BASE}/EQ-01/thresholds/terms",
        f"{BASE}/EQ-01/severity",
        f"{BASE}/EQ-01/switch-off",
    ]
    for path in changes:
        assert client.get(path).status_code == change, f"{email} GET {path}"
    shown = client.get(f"/checklists/versions/{shipped}").get_data(as_text=True)
    assert (f'href="{BASE}/EQ-01"' in shown) == (change == OK)  # links to change a check, for editors only
    token = csrf_token(client, "/sign-out")
    for path in [f"/checklists/{DEFAULT_CHECKLIST}/copy", *changes[1:]]:
        response = client.post(path, data={"csrf_token": token})
        assert response.status_code in ((302, 400) if change == OK else (NO,)), f"{email} POST {path}"


def test_signed_out_visitors_are_sent_to_sign_in(demo_app: Flask, client: FlaskClient) -> None:
    shipped = _shipped(demo_app)
    for path in ("/checklists/", f"/checklists/versions/{shipped}", f"{BASE}/EQ-01", f"{BASE}/EQ-01/severity"):
        response = client.get(path)
        assert response.status_code == 302 and "/sign-in" in response.headers["Location"], path


def test_another_organisations_versions_are_not_found(demo_app: Flask) -> None:
    foreign = _foreign_version(demo_app)
    shipped = _shipped(demo_app)
    for email in (ADMIN, AUDITOR, RECRUITER, PROCUREMENT):
        client = demo_app.test_client()
        sign_in(client, email)
        assert client.get(f"/checklists/versions/{foreign}").status_code == GONE, email
        assert client.get("/checklists/versions/999999").status_code == GONE, email
        assert "Eastmoor" not in client.get("/checklists/").get_data(as_text=True)
    auditor = demo_app.test_client()
    sign_in(auditor, AUDITOR)
    post(auditor, f"/checklists/{DEFAULT_CHECKLIST}/copy")
    ours = first(demo_app, select(ChecklistVersion.id).where(ChecklistVersion.organisation_id.is_not(None)).order_by(
        ChecklistVersion.id.desc()))  # fmt: skip
    other = demo_app.test_client()
    sign_in(other, "auditor2@demo.example")
    assert other.get(f"/checklists/versions/{ours}").status_code == GONE
    assert other.get(f"/checklists/versions/{shipped}").status_code == OK  # the shipped checklist is everyone's
    assert other.get(f"/checklists/versions/{foreign}").status_code == OK
    for path in (f"{BASE}/XX-99", f"{BASE}/EQ-01/thresholds/nothing", "/checklists/not-a-checklist/checks/EQ-01"):
        assert auditor.get(path).status_code == GONE, path


def test_every_kind_of_checklist_page_is_valid(demo_app: Flask, client: FlaskClient) -> None:
    shipped = _shipped(demo_app)
    sign_in(client, AUDITOR)
    paths = ["/checklists/", f"/checklists/versions/{shipped}"]
    paths += [f"{BASE}/{rule.id}" for rule in load_shipped().rules]
    paths += [f"{BASE}/{check}/thresholds/{name}" for check, name in THRESHOLDS.values()]
    paths += [f"{BASE}/EQ-01/severity", f"{BASE}/EQ-01/switch-off"]
    for path in paths:
        response = client.get(path)
        assert response.status_code == 200, path
        check_page(response.get_data(as_text=True), path)
    html = client.get(f"/checklists/versions/{shipped}").get_data(as_text=True)
    soup = check_page(html)
    assert len(soup.select(".govuk-summary-card h3")) == len(load_shipped().rules)
    assert "Isle of Man" in html and "A place name" in html  # EQ-01's exception, with its reason
    assert soup.select_one("#check-EQ-01 details") is not None  # its word list, folded away


def _version_from_banner(html: str) -> str:
    found = re.search(r"Saved as version ([^:\s]+):", html)
    assert found, "no success banner naming the version"
    return found.group(1)


def test_copy_change_and_switch_off_then_the_next_audit_uses_the_new_version(demo_app: Flask) -> None:
    client = demo_app.test_client()
    sign_in(client, AUDITOR)
    index = client.get("/checklists/").get_data(as_text=True)
    check_page(index)
    assert "Make your own copy" in index and "Your organisation has not made its own copy" in index

    copied = post(client, f"/checklists/{DEFAULT_CHECKLIST}/copy", follow_redirects=True)
    check_page(copied.get_data(as_text=True), "copied")
    html = unescape(copied.get_data(as_text=True))
    first_version = f"{load_shipped().version}+northshire-cc.1"
    assert f"Your organisation's own copy was saved as version {first_version}" in html

    path = f"{BASE}/ES-01/thresholds/min_share"
    changed = post(client, path, {"value": "0.25", "reason": "Board decision 4/2026"}, follow_redirects=True)
    html = changed.get_data(as_text=True)
    check_page(html, "threshold changed")
    assert _version_from_banner(html).endswith(".2") and "min_share of ES-01 is now 0.25" in html

    words = f"{BASE}/EQ-01/thresholds/terms"
    form = client.get(words).get_data(as_text=True)
    assert "chairman\nchairmen" in form  # one word a line
    post(client, words, {"value": "chairman\n\n  chairmen  \nhead boy\n"}, follow_redirects=True)

    off = post(
        client, f"{BASE}/LANG-01/switch-off", {"reason": "Advisory only in our policy"}, follow_redirects=True
    ).get_data(as_text=True)
    check_page(off, "switched off")
    last = _version_from_banner(off)
    assert last == f"{load_shipped().version}+northshire-cc.4" and "LANG-01 is switched off" in off
    assert "Switch on" in off and "Advisory only in our policy" in off

    index = client.get("/checklists/").get_data(as_text=True)
    check_page(index, "history")
    index = unescape(index)
    for text in (
        first_version,
        "Copied from uk-public-sector-2026 v2026.1, unchanged",
        "ES-01: min_share changed from 0.3 to 0.25",
        "Board decision 4/2026",
        "EQ-01: terms added “head boy”; removed “chairwoman”",
        "LANG-01 switched off",
        "Advisory only in our policy",
        "Ayesha Auditor",
    ):
        assert text in index, text
    versions = every(demo_app, select(ChecklistVersion).where(ChecklistVersion.organisation_id.is_not(None)))
    assert [v.version for v in versions][-1] == last
    for version in versions:
        assert version.sha256 in index
    own = client.get(f"/checklists/versions/{versions[-1].id}").get_data(as_text=True)
    soup = check_page(own, "own version")
    assert "Switched off" in soup.select_one("#check-LANG-01").get_text()
    older = client.get(f"/checklists/versions/{versions[0].id}").get_data(as_text=True)
    assert "This is an earlier version" in older and f'href="{BASE}/EQ-01"' not in older

    campaign = first(demo_app, select(Campaign).where(Campaign.ref == "NCC-2026-001"))
    assert post(client, f"/campaigns/{campaign.id}/audits").status_code == 302  # the job runs at once in tests
    run = first(demo_app, select(AuditRun).where(AuditRun.campaign_id == campaign.id).order_by(AuditRun.id.desc()))
    assert run.checklist_version == last and run.checklist_sha256 == versions[-1].sha256
    with demo_app.app_context():
        checks = {f.check_id for f in audits_dao.findings_of(db.session.merge(run))}
    assert "LANG-01" not in checks and "ES-01" in checks
    logged = every(demo_app, select(Event.action).where(Event.object_type == "checklist"))
    assert logged == ["checklist.copied", "checklist.changed", "checklist.changed", "checklist.changed"]


def test_severity_and_switching_on_again(demo_app: Flask, client: FlaskClient) -> None:
    sign_in(client, ADMIN)
    html = post(client, f"{BASE}/EQ-02/severity", {"severity": "high"}, follow_redirects=True).get_data(as_text=True)
    assert "EQ-02 is now High" in html and _version_from_banner(html).endswith("+northshire-cc.1")
    post(client, f"{BASE}/EQ-02/switch-off", {"reason": "Covered by our own style guide"})
    page = client.get(f"{BASE}/EQ-02/switch-on").get_data(as_text=True)
    check_page(page, "switch on")
    assert "Covered by our own style guide" in page
    html = post(client, f"{BASE}/EQ-02/switch-on", {}, follow_redirects=True).get_data(as_text=True)
    assert "EQ-02 is switched on" in html
    with demo_app.app_context():
        rule = checklists.current(_organisation(demo_app, "northshire-cc")).checklist.rule("EQ-02")
    assert rule.enabled and rule.severity.value == "high"
    index = client.get("/checklists/").get_data(as_text=True)
    assert "EQ-02: severity changed to High" in index and "EQ-02 switched on" in index


@pytest.mark.parametrize(
    ("path", "data", "field", "message"),
    [
        (f"{BASE}/LANG-01/switch-off", {"reason": "  "}, "reason", "Enter why you are switching the check off"),
        (f"{BASE}/ES-01/thresholds/min_share", {"value": "about a third"}, "value", "Enter a number of 0 or more"),
        (f"{BASE}/ES-01/thresholds/min_share", {"value": ""}, "value", "Enter a number, like 0.3"),
        (f"{BASE}/ES-01/thresholds/min_share", {"value": "0.3"}, "value", "That is the value now"),
        (f"{BASE}/ES-08/thresholds/max_percent", {"value": "33.5"}, "value", "Enter a whole number of 0 or more"),
        (f"{BASE}/ES-08/thresholds/max_percent", {"value": "-5"}, "value", "Enter a whole number of 0 or more"),
        (f"{BASE}/EQ-01/thresholds/terms", {"value": "\n \n"}, "value", "Enter at least one word or phrase"),
        (f"{BASE}/ES-01/thresholds/either_sex", {}, "value", "Choose yes or no"),
        (f"{BASE}/ES-01/thresholds/fail_status", {"value": "flail"}, "value", "Choose one of the options"),
        (f"{BASE}/EQ-01/severity", {"severity": "critical"}, "severity", "That is the severity now"),
        (f"{BASE}/ES-05/thresholds/day_basis", {"value": "x" * 301}, "value", "300 characters or fewer"),
    ],
)
def test_mistakes_are_shown_in_an_error_summary_linked_to_the_field(
    demo_app: Flask, client: FlaskClient, path: str, data: dict[str, str], field: str, message: str
) -> None:
    sign_in(client, AUDITOR)
    response = post(client, path, data)
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    soup = check_page(html, path)
    summary = soup.select_one(".govuk-error-summary")
    assert summary is not None and message in summary.get_text()
    assert summary.select_one(f'a[href="#{field}"]') is not None
    assert soup.select_one(f"#{field}-error") is not None  # the message is beside the field too
    assert first(demo_app, select(ChecklistVersion).where(ChecklistVersion.organisation_id.is_not(None))) is None

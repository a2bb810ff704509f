"""Plain factory functions for test data. Each commits, so the app sees the data as it would in real use."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

from openpyxl import Workbook

from app.extensions import db
from app.models import Agency, Campaign, Membership, Organisation, User
from app.security import hash_password

PASSWORD = "correct horse battery staple"
_HASH: dict[str, str] = {}


def password_hash() -> str:
    if PASSWORD not in _HASH:
        _HASH[PASSWORD] = hash_password(PASSWORD)
    return _HASH[PASSWORD]


def make_organisation(
    slug: str = "northshire",
    name: str = "Northshire Council",
    org_type: str = "local_authority",
    nation: str = "england",
) -> Organisation:
    organisation = Organisation(slug=slug, name=name, org_type=org_type, nation=nation)
    db.session.add(organisation)
    db.session.commit()
    return organisation


def make_agency(organisation: Organisation, name: str = "Harbour Search") -> Agency:
    agency = Agency(organisation_id=organisation.id, name=name)
    db.session.add(agency)
    db.session.commit()
    return agency


def make_user(
    organisation: Organisation, role: str = "auditor", email: str | None = None, agency: Agency | None = None
) -> User:
    user = User(
        email=email or f"{role}@{organisation.slug}.example", name=role.capitalize(), password_hash=password_hash()
    )
    db.session.add(user)
    db.session.flush()
    db.session.add(
        Membership(user_id=user.id, organisation_id=organisation.id, role=role, agency_id=agency.id if agency else None)
    )
    db.session.commit()
    return user


def make_campaign(
    organisation: Organisation, ref: str = "C-001", agency: Agency | None = None, **values: object
) -> Campaign:
    defaults: dict[str, object] = {
        "role_title": "Director of Finance",
        "client_organisation": organisation.name,
        "salary_min": Decimal("120000"),
        "salary_max": Decimal("130000"),
        "closing_date": dt.date(2026, 2, 5),
    }
    defaults.update(values)
    campaign = Campaign(organisation_id=organisation.id, ref=ref, agency_id=agency.id if agency else None, **defaults)
    db.session.add(campaign)
    db.session.commit()
    return campaign


TRACKER_CAMPAIGN_HEADER = [
    "Campaign Ref",
    "Client Organisation",
    "Organisation Type",
    "Role Title",
    "Salary Min",
    "Salary Max",
    "Agency",
    "Closing Date",
    "Longlist Date",
    "Longlist Justification",
]
TRACKER_CANDIDATE_HEADER = [
    "Campaign Ref",
    "Candidate Ref",
    "Source",
    "Stage Reached",
    "Sex",
    "Ethnicity Group",
    "Disability",
    "First Contact Date",
]


def write_tracker(
    path: Path, campaigns: list[list[object]], candidates: list[list[object]], title_rows: int = 2
) -> Path:
    """An agency tracker in the canonical template, with title rows above each header, as agencies send it."""
    book = Workbook()
    sheet = book.active
    sheet.title = "Campaigns"
    for index in range(title_rows):
        sheet.append([f"Agency tracker, line {index + 1}"])
    sheet.append(TRACKER_CAMPAIGN_HEADER)
    for row in campaigns:
        sheet.append(row)
    sheet = book.create_sheet("Candidates")
    sheet.append(["Candidates"])
    sheet.append(TRACKER_CANDIDATE_HEADER)
    for row in candidates:
        sheet.append(row)
    book.save(path)
    return path

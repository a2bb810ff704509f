"""Demo data: two organisations, their agencies, campaigns with candidates, outreach and adverts, users, audits.

The demo goes through the same import and audit services as real files: it writes an agency tracker in the
canonical template and advert pages to a temporary folder and imports them. Candidate data is invented and
generated from a fixed seed, so every demo is the same.
"""

from __future__ import annotations

import datetime as dt
import random
import secrets
import tempfile
from dataclasses import dataclass
from pathlib import Path

from flask import current_app
from openpyxl import Workbook

from app.dao import events, transaction
from app.dao import organisations as organisations_dao
from app.dao.campaigns import campaign_by_ref
from app.extensions import db
from app.models import Membership, Organisation, User
from app.security import hash_password
from app.services import auditing, imports

DEMO_DOMAIN = "demo.example"


@dataclass(frozen=True)
class DemoUser:
    email: str
    name: str
    role: str
    organisation: str  # slug
    agency: str | None = None


ORGANISATIONS = (
    ("northshire-cc", "Northshire County Council", "local_authority", "england"),
    ("eastmoor-nhs", "Eastmoor NHS Foundation Trust", "nhs", "england"),
)
USERS = (
    DemoUser(f"admin@{DEMO_DOMAIN}", "Alex Admin", "admin", "northshire-cc"),
    DemoUser(f"auditor@{DEMO_DOMAIN}", "Ayesha Auditor", "auditor", "northshire-cc"),
    DemoUser(f"recruiter@{DEMO_DOMAIN}", "Rory Recruiter", "recruiter", "northshire-cc", "Harbour Search Partners"),
    DemoUser(f"procurement@{DEMO_DOMAIN}", "Priya Procurement", "procurement", "northshire-cc"),
    DemoUser(f"auditor2@{DEMO_DOMAIN}", "Owen Auditor", "auditor", "eastmoor-nhs"),
)

CAMPAIGNS = {
    "northshire-cc": [
        ("NCC-2026-001", "Director of Children's Services", "Harbour Search Partners", 135000, 150000, True),
        ("NCC-2026-002", "Chief Executive", "Harbour Search Partners", 185000, 200000, False),
        ("NCC-2026-003", "Director of Finance (Section 151 Officer)", "Fenwick Talent", 120000, 130000, True),
    ],
    "eastmoor-nhs": [
        ("EMT-2026-01", "Chief Nursing Officer", "Meridian Executive", 140000, 155000, True),
    ],
}

DEMO_DATA = Path(__file__).parent / "demo_data"
GOOD_ADVERT = (DEMO_DATA / "good-advert.html").read_text(encoding="utf-8")  # str.format template
POOR_ADVERT = (DEMO_DATA / "poor-advert.txt").read_text(encoding="utf-8")


def demo_password() -> tuple[str, bool]:
    """The demo users' password: SCRUTINEER_DEMO_PASSWORD, or one generated once and kept in instance/."""
    configured = current_app.config.get("SCRUTINEER_DEMO_PASSWORD")
    if configured:
        return configured, False
    stored = Path(current_app.instance_path) / "demo_password"
    if stored.exists():
        return stored.read_text().strip(), True
    password = secrets.token_urlsafe(12)
    stored.parent.mkdir(parents=True, exist_ok=True)
    stored.write_text(password)
    stored.chmod(0o600)
    return password, True


def _tracker(path: Path, slug: str, client: str, org_type: str, rng: random.Random) -> None:
    book = Workbook()
    campaigns = book.active
    campaigns.title = "Campaigns"
    campaigns.append([f"{client} — executive recruitment tracker"])
    campaigns.append(["Prepared by the agency for the client's audit"])
    campaigns.append(
        [
            "Campaign Ref",
            "Client Organisation",
            "Organisation Type",
            "Nation",
            "Role Title",
            "Grade",
            "Salary Min",
            "Salary Max",
            "Salary Period",
            "Agency",
            "Framework",
            "Contract Ref",
            "Fee Type",
            "Fee Percent",
            "Guarantee Months",
            "SLA Longlist Days",
            "SLA Shortlist Days",
            "Brief Date",
            "Advert Live Date",
            "Closing Date",
            "Longlist Date",
            "Shortlist Date",
            "Interview Date",
            "Commissioner Chair",
            "Pay Approval Ref",
            "Conflict Declaration Date",
            "Longlist Justification",
        ]
    )
    candidates = book.create_sheet("Candidates")
    candidates.append(
        [
            "Campaign Ref",
            "Candidate Ref",
            "Source",
            "Stage Reached",
            "Withdrawn",
            "First Contact Date",
            "Acknowledged Date",
            "Feedback Given",
            "Sex",
            "Ethnicity Group",
            "Disability",
            "DC Opt In",
            "Meets Essential Criteria",
            "Age Band",
        ]
    )
    outreach = book.create_sheet("Outreach")
    outreach.append(
        [
            "Campaign Ref",
            "Sent At",
            "Channel",
            "Message Chars",
            "Template ID",
            "Privacy Notice Included",
            "Responded At",
            "Response",
        ]
    )
    brief = dt.date(2026, 1, 12)
    for index, (ref, title, agency, low, high, balanced) in enumerate(CAMPAIGNS[slug]):
        start = brief + dt.timedelta(days=14 * index)
        campaigns.append(
            [
                ref,
                client,
                org_type,
                "england",
                title,
                "Director" if "Director" in title else "Executive",
                f"£{low:,}",
                f"£{high:,}",
                "per annum",
                agency,
                "CCS RM6290",
                f"CT-{ref}",
                "percentage",
                "25%",
                12,
                28,
                42,
                start.strftime("%d/%m/%Y"),
                start + dt.timedelta(days=10),
                (start + dt.timedelta(days=38)).strftime("%d/%m/%Y"),
                start + dt.timedelta(days=45),
                start + dt.timedelta(days=60),
                start + dt.timedelta(days=75),
                "No",
                f"PAY-{ref}" if low >= 100000 else "",
                start - dt.timedelta(days=2),
                "",
            ]
        )
        stages = (
            ["identified"] * 18
            + ["approached"] * 10
            + ["responded"] * 6
            + ["longlisted"] * 5
            + ["shortlisted"] * 3
            + ["interviewed"] * 2
            + ["offered", "appointed"]
        )
        for number, stage in enumerate(stages, start=1):
            woman = rng.random() < (0.45 if balanced else 0.18)
            candidates.append(
                [
                    ref,
                    f"{ref.lower()}-person{number:03d}@example.org",
                    rng.choice(["headhunt", "LinkedIn InMail", "linkedin_search", "referral", "advert"]),
                    stage,
                    "No",
                    (start + dt.timedelta(days=rng.randint(5, 30))).strftime("%d/%m/%Y"),
                    (start + dt.timedelta(days=rng.randint(31, 40))).strftime("%d/%m/%Y"),
                    rng.choice(["Yes", "No"]),
                    "Female" if woman else rng.choice(["Male", "Male", "Prefer not to say"]),
                    rng.choice(["White", "White", "Asian", "Black", "Mixed", "Prefer not to say"]),
                    rng.choice(["No", "No", "No", "Yes"]),
                    rng.choice(["No", "Yes"]),
                    "Yes",
                    rng.choice(["35-44", "45-54", "55-64"]),
                ]
            )
        for _ in range(30):
            sent = dt.datetime.combine(start, dt.time(9)) + dt.timedelta(
                days=rng.randint(3, 25), hours=rng.randint(0, 8)
            )
            answered = rng.random() < 0.35
            outreach.append(
                [
                    ref,
                    sent,
                    "InMail",
                    rng.randint(300, 1500),
                    f"T{rng.randint(1, 3)}",
                    rng.choice(["Yes", "No"]),
                    sent + dt.timedelta(days=2) if answered else "",
                    rng.choice(["accepted", "declined"]) if answered else "no response",
                ]
            )
    book.save(path)


def load_demo(*, echo=print) -> bool:  # type: ignore[no-untyped-def]
    """Create the demo once. Returns False if it was already there."""
    if organisations_dao.get_organisation_by_slug(ORGANISATIONS[0][0]) is not None:
        return False
    password, _generated = demo_password()
    rng = random.Random(2026)
    with transaction():
        auditing.ensure_shipped_checklists()
        organisations = {}
        for slug, name, org_type, nation in ORGANISATIONS:
            organisation = Organisation(slug=slug, name=name, org_type=org_type, nation=nation)
            db.session.add(organisation)
            db.session.flush()
            organisations[slug] = organisation
            events.record(
                "organisation.created",
                organisation_id=organisation.id,
                actor_label="flask demo",
                object_type="organisation",
                object_ref=slug,
            )
    with tempfile.TemporaryDirectory(prefix="scrutineer-demo-") as folder:
        for slug, organisation in organisations.items():
            tracker = Path(folder) / f"{slug}-tracker.xlsx"
            _tracker(tracker, slug, organisation.name, organisation.org_type, rng)
            imports.import_file(organisation, tracker, tracker.name)
            for index, (ref, title, _agency, low, high, _balanced) in enumerate(CAMPAIGNS[slug]):
                closing = dt.date(2026, 2, 19) + dt.timedelta(days=14 * index)
                if index == 1:
                    advert = Path(folder) / f"{ref}-advert.txt"
                    advert.write_text(
                        POOR_ADVERT.format(title=title, client=organisation.name, closing=closing), encoding="utf-8"
                    )
                else:
                    advert = Path(folder) / f"{ref}-advert.html"
                    advert.write_text(
                        GOOD_ADVERT.format(
                            title=title,
                            client=organisation.name,
                            low=low,
                            high=high,
                            closing=closing,
                            posted=closing - dt.timedelta(days=28),
                            slug=slug,
                        ),
                        encoding="utf-8",
                    )
                imports.import_file(organisation, advert, advert.name, campaign_ref=ref)
    with transaction():
        for person in USERS:
            organisation = organisations[person.organisation]
            user = User(email=person.email, name=person.name, password_hash=hash_password(password))
            db.session.add(user)
            db.session.flush()
            agency = organisations_dao.agency_by_name(organisation.id, person.agency) if person.agency else None
            db.session.add(
                Membership(
                    user_id=user.id,
                    organisation_id=organisation.id,
                    role=person.role,
                    agency_id=agency.id if agency else None,
                )
            )
            events.record(
                "user.created",
                organisation_id=organisation.id,
                actor_label="flask demo",
                object_type="user",
                object_ref=person.email,
                role=person.role,
            )
    for slug, organisation in organisations.items():
        for ref, *_rest in CAMPAIGNS[slug]:
            campaign = campaign_by_ref(organisation.id, ref)
            assert campaign is not None
            auditing.run_audit(organisation, campaign, as_of=dt.date(2026, 3, 31))
    return True


def sign_ins() -> list[tuple[str, str, str]]:
    names = {slug: name for slug, name, _t, _n in ORGANISATIONS}
    return [(p.email, p.role + (f" ({p.agency})" if p.agency else ""), names[p.organisation]) for p in USERS]

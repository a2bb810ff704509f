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

# Each campaign has a profile: "model" (run as the codes and contract expect), "typical" (some gaps) or "poor".
CAMPAIGNS = {
    "northshire-cc": [
        ("NCC-2026-001", "Director of Children's Services", "Harbour Search Partners", 135000, 150000, "model"),
        ("NCC-2026-002", "Chief Executive", "Harbour Search Partners", 185000, 200000, "poor"),
        ("NCC-2026-003", "Director of Finance (Section 151 Officer)", "Fenwick Talent", 120000, 130000, "typical"),
    ],
    "eastmoor-nhs": [
        ("EMT-2026-01", "Chief Nursing Officer", "Meridian Executive", 140000, 155000, "typical"),
    ],
}
ADVERTS = {"model": "model-advert.html", "typical": "good-advert.html", "poor": "poor-advert.txt"}

DEMO_DATA = Path(__file__).parent / "demo_data"


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


CAMPAIGN_HEADER = [
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
    # facts some checks need (see importers/agency_template.FACT_FIELDS)
    "Retention Months",
    "Engagement Terms",
    "Off Limits Declaration Date",
    "Fee Cap",
    "Fee Base",
    "Privacy Notice Names Source",
    "Disability Confident",
    "Lawful Basis",
    "LIA Reference",
    "Pay Policy Covers",
]
CANDIDATE_HEADER = [
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
OUTREACH_HEADER = [
    "Campaign Ref",
    "Sent At",
    "Channel",
    "Message Chars",
    "Template ID",
    "Privacy Notice Included",
    "Responded At",
    "Response",
]
# Stages reached, as counts. A model campaign is at interview stage; the others have appointed someone.
MODEL_STAGES = [
    ("identified", 16),
    ("approached", 8),
    ("responded", 8),
    ("longlisted", 8),
    ("shortlisted", 4),
    ("interviewed", 4),
]
OTHER_STAGES = [
    ("identified", 18),
    ("approached", 10),
    ("responded", 6),
    ("longlisted", 5),
    ("shortlisted", 3),
    ("interviewed", 2),
    ("offered", 1),
    ("appointed", 1),
]
# In the model campaign every group advances at the same rate: each stage's candidates cycle through these four.
MODEL_GROUPS = [("Female", "White", "No"), ("Male", "Asian", "No"), ("Female", "Black", "Yes"), ("Male", "White", "No")]


def _campaign_row(
    ref: str, client: str, org_type: str, title: str, agency: str, low: int, high: int, profile: str, start: dt.date
) -> list[object]:
    model = profile == "model"
    longlist, shortlist = (25, 40) if model else (45, 60)
    facts: list[object] = ["", "", "", "", "", "", "", "", "", ""]
    if model:
        facts = [
            6,
            "fees; payment timing; scope; confidentiality; conflicts; off-limits; guarantee",
            start - dt.timedelta(days=2),
            "£40,000",
            "salary",
            "Yes",
            "employer",
            "legitimate interests",
            "LIA-2026-04",
            "Yes",
        ]
    elif profile == "typical":
        facts = [6, "fees; payment timing; scope; confidentiality", "", "", "salary", "No", "employer", "", "", "Yes"]
    return [
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
        start + dt.timedelta(days=longlist),
        start + dt.timedelta(days=shortlist),
        start + dt.timedelta(days=55),
        "No",
        f"PAY-{ref}" if low >= 100000 else "",
        start - dt.timedelta(days=2),
        "",
        *facts,
    ]


def _candidate_rows(ref: str, profile: str, start: dt.date, rng: random.Random) -> list[list[object]]:
    rows: list[list[object]] = []
    number = 0
    for stage, count in MODEL_STAGES if profile == "model" else OTHER_STAGES:
        for position in range(count):
            number += 1
            contact = start + dt.timedelta(days=rng.randint(5, 30))
            interviewed = stage in ("interviewed", "offered", "appointed")
            if profile == "model":
                sex, ethnicity, disabled = MODEL_GROUPS[position % len(MODEL_GROUPS)]
                acknowledged = contact + dt.timedelta(days=2)
                feedback = "Yes" if interviewed or stage in ("longlisted", "shortlisted") else "No"
                opted_in = "Yes" if disabled == "Yes" and interviewed else "No"
            else:
                woman = rng.random() < (0.45 if profile == "typical" else 0.18)
                sex = "Female" if woman else rng.choice(["Male", "Male", "Prefer not to say"])
                ethnicity = rng.choice(["White", "White", "Asian", "Black", "Mixed", "Prefer not to say"])
                disabled = rng.choice(["No", "No", "No", "Yes"])
                acknowledged = start + dt.timedelta(days=rng.randint(31, 40))
                feedback = rng.choice(["Yes", "No"])
                opted_in = rng.choice(["No", "Yes"])
            rows.append(
                [
                    ref,
                    f"{ref.lower()}-person{number:03d}@example.org",
                    rng.choice(["headhunt", "LinkedIn InMail", "linkedin_search", "referral", "advert"]),
                    stage,
                    "No",
                    contact.strftime("%d/%m/%Y"),
                    acknowledged.strftime("%d/%m/%Y"),
                    feedback,
                    sex,
                    ethnicity,
                    disabled,
                    opted_in,
                    "Yes",
                    rng.choice(["35-44", "45-54", "55-64"]),
                ]
            )
    return rows


def _outreach_rows(ref: str, profile: str, start: dt.date, rng: random.Random) -> list[list[object]]:
    rows: list[list[object]] = []
    for message in range(30):
        sent = dt.datetime.combine(start, dt.time(9)) + dt.timedelta(days=rng.randint(3, 25), hours=rng.randint(0, 8))
        answered = rng.random() < (0.45 if profile == "model" else 0.35)
        model = profile == "model"
        rows.append(
            [
                ref,
                sent,
                "InMail",
                rng.randint(280, 400) if model else rng.randint(300, 1500),
                f"{ref}-M{message:02d}" if model else f"T{rng.randint(1, 3)}",
                "Yes" if model else rng.choice(["Yes", "No"]),
                sent + dt.timedelta(days=2) if answered else "",
                rng.choice(["accepted", "declined"]) if answered else "no response",
            ]
        )
    return rows


def _tracker(path: Path, slug: str, client: str, org_type: str, rng: random.Random) -> None:
    book = Workbook()
    campaigns = book.active
    campaigns.title = "Campaigns"
    campaigns.append([f"{client} — executive recruitment tracker"])
    campaigns.append(["Prepared by the agency for the client's audit"])
    campaigns.append(CAMPAIGN_HEADER)
    candidates = book.create_sheet("Candidates")
    candidates.append(CANDIDATE_HEADER)
    outreach = book.create_sheet("Outreach")
    outreach.append(OUTREACH_HEADER)
    brief = dt.date(2026, 1, 12)
    for index, (ref, title, agency, low, high, profile) in enumerate(CAMPAIGNS[slug]):
        start = brief + dt.timedelta(days=14 * index)
        campaigns.append(_campaign_row(ref, client, org_type, title, agency, low, high, profile, start))
        for row in _candidate_rows(ref, profile, start, rng):
            candidates.append(row)
        for row in _outreach_rows(ref, profile, start, rng):
            outreach.append(row)
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
            for index, (ref, title, _agency, low, high, profile) in enumerate(CAMPAIGNS[slug]):
                closing = dt.date(2026, 2, 19) + dt.timedelta(days=14 * index)
                template = DEMO_DATA / ADVERTS[profile]
                advert = Path(folder) / f"{ref}-advert{template.suffix}"
                advert.write_text(
                    template.read_text(encoding="utf-8").format(
                        title=title,
                        client=organisation.name,
                        low=low,
                        high=high,
                        closing=closing,
                        posted=closing - dt.timedelta(days=28),
                        slug=slug,
                        ref=ref,
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

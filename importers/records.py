"""The normalised records: the one definition shared by importers, the app and the checks.

Every importer turns an uploaded file into these plain records. The app stores them and the checks in
`audits/` read them back. Nothing here knows about Flask or the database.

Candidate personal data never appears in a record in clear: importers receive a `pseudonymise` function
from the caller and keep only its keyed hash (see `CandidateRecord.candidate_key`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

# The stages of an executive-search campaign, in order. `stage_reached` is the furthest a candidate got.
STAGES: tuple[str, ...] = (
    "identified",
    "approached",
    "responded",
    "longlisted",
    "shortlisted",
    "interviewed",
    "offered",
    "appointed",
)
STAGE_ORDER: dict[str, int] = {name: index for index, name in enumerate(STAGES)}

SOURCES: tuple[str, ...] = (
    "headhunt",
    "linkedin_inmail",
    "linkedin_search",
    "linkedin_job_ad",
    "advert_other",
    "referral",
    "database",
    "direct_application",
)

ORGANISATION_TYPES: tuple[str, ...] = ("local_authority", "nhs", "central_government", "alb", "other")
NATIONS: tuple[str, ...] = ("england", "wales", "scotland", "northern_ireland")
SALARY_PERIODS: tuple[str, ...] = ("year", "month", "week", "day", "hour")
FEE_TYPES: tuple[str, ...] = ("percentage", "fixed", "capped", "other")


@dataclass(slots=True)
class Salary:
    """Pay as an advert states it, with what could be read from it."""

    text: str | None = None
    minimum: Decimal | None = None
    maximum: Decimal | None = None
    currency: str | None = None
    period: str | None = None  # one of SALARY_PERIODS
    origin: str = "text"  # "json-ld", "xml", "text", "campaign"

    @property
    def has_figure(self) -> bool:
        return self.minimum is not None or self.maximum is not None


@dataclass(slots=True)
class Link:
    text: str
    href: str
    # For a linked PDF: whether it is tagged (has a structure tree and a language), when the importer opened it.
    # None when not known. Read by ACC-03.
    tagged: bool | None = None


@dataclass(slots=True)
class Image:
    """An image on an advert page. `alt` is None when the attribute is missing, "" when marked decorative."""

    src: str
    alt: str | None = None


@dataclass(slots=True)
class FormField:
    """A form control on an advert or application page, with its accessible name if it has one."""

    name: str
    kind: str = "text"  # the input type, or "select", "textarea"
    label: str | None = None  # from <label for>, a wrapping <label>, aria-label, aria-labelledby or title


@dataclass(slots=True)
class PageStructure:
    """What an advert page's HTML says about its accessibility, for ACC-01. Absent when the advert did not come from
    a page, or the importer did not read it."""

    title: str | None = None  # the <title> text; None when the page has none
    headings: list[tuple[int, str]] = field(default_factory=list)  # (level 1–6, text) in document order
    images: list[Image] = field(default_factory=list)
    form_fields: list[FormField] = field(default_factory=list)


@dataclass(slots=True)
class AdvertRecord:
    """A job advert: its visible text, and what its structured data says.

    `text` is the text a candidate reads (title excluded). Evidence positions in findings are character
    offsets into `title` or `text`.
    """

    title: str
    text: str
    source_kind: str  # "json-ld", "html", "text", "xml-feed", "dataset", "linkedin"
    source_name: str  # file name or URL
    url: str | None = None
    hiring_organisation: str | None = None
    date_posted: dt.date | None = None
    valid_through: dt.date | None = None
    closing_date_text: dt.date | None = None  # a closing date read from the visible text
    employment_type: str | None = None
    location: str | None = None
    workplace_type: str | None = None
    salary: Salary | None = None
    structured: dict[str, Any] | None = None  # the JSON-LD JobPosting object, if any
    questions: list[str] = field(default_factory=list)  # application / screening questions
    links: list[Link] = field(default_factory=list)
    html_lang: str | None = None
    reference: str | None = None  # the advertiser's requisition id (Employer Job ID, partnerJobId)
    row: int | None = None  # source row, for tabular sources
    lossy_fields: list[str] = field(default_factory=list)  # values Excel mangled (e.g. 1.71138E+12)
    page: PageStructure | None = None  # headings, images, form fields of the page (ACC-01); None if not read


@dataclass(slots=True)
class CampaignRecord:
    """One campaign as the agency template's Campaigns sheet describes it."""

    campaign_ref: str
    client_organisation: str | None = None
    organisation_type: str | None = None
    nation: str | None = None
    role_title: str | None = None
    grade: str | None = None
    salary_min: Decimal | None = None
    salary_max: Decimal | None = None
    salary_period: str | None = None
    agency: str | None = None
    framework: str | None = None
    contract_ref: str | None = None
    fee_type: str | None = None
    fee_percent: Decimal | None = None
    fee_fixed: Decimal | None = None
    guarantee_months: int | None = None
    sla_longlist_days: int | None = None
    sla_shortlist_days: int | None = None
    brief_date: dt.date | None = None
    advert_live_date: dt.date | None = None
    closing_date: dt.date | None = None
    longlist_date: dt.date | None = None
    shortlist_date: dt.date | None = None
    interview_date: dt.date | None = None
    offer_date: dt.date | None = None
    start_date: dt.date | None = None
    commissioner_chair: bool | None = None
    pay_approval_ref: str | None = None
    conflict_declaration_date: dt.date | None = None
    longlist_justification: str | None = None
    row: int | None = None
    file: str | None = None
    # Facts no export holds but some checks need (contract terms, approvals, notices): optional template columns
    # listed in importers/agency_template.py (FACT_FIELDS), also editable in the web app. Keys are canonical names.
    facts: dict[str, Any] = field(default_factory=dict)
    extra: dict[str, str] = field(default_factory=dict)  # columns we do not know, kept as text


@dataclass(slots=True)
class CandidateRecord:
    """One candidate in one campaign. `candidate_key` is a keyed hash, never a name or an e-mail."""

    campaign_ref: str
    candidate_key: str
    source: str | None = None
    stage_reached: str | None = None
    withdrawn: bool | None = None
    rejection_reason: str | None = None
    first_contact_date: dt.date | None = None
    acknowledged_date: dt.date | None = None
    feedback_given: bool | None = None
    sex: str | None = None
    ethnicity_group: str | None = None
    disability: str | None = None
    dc_opt_in: bool | None = None
    meets_essential_criteria: bool | None = None
    age_band: str | None = None
    # When the agency first obtained the candidate's details (sourced candidates), for the one-month limit of
    # UK GDPR Art 14(3)(a) (DP-02). None when not recorded.
    identified_date: dt.date | None = None
    row: int | None = None
    file: str | None = None

    def reached(self, stage: str) -> bool:
        """Did the candidate get at least as far as `stage`?"""
        if self.stage_reached is None:
            return False
        return STAGE_ORDER[self.stage_reached] >= STAGE_ORDER[stage]


@dataclass(slots=True)
class OutreachRecord:
    """One outreach message (InMail or e-mail) in a campaign, as the template's Outreach sheet gives it."""

    campaign_ref: str
    sent_at: dt.datetime | None = None
    channel: str | None = None
    message_chars: int | None = None
    template_id: str | None = None
    privacy_notice_included: bool | None = None
    responded_at: dt.datetime | None = None
    response: str | None = None
    row: int | None = None
    file: str | None = None


@dataclass(slots=True)
class JobStatsRecord:
    """One row of the LinkedIn Recruiter Jobs report (sheet "Jobs Reporting"): one job in one state period.

    Joined to a campaign by `employer_job_id` (the poster's own requisition ID), or given with --campaign.
    """

    linkedin_job_id: str | None = None
    employer_job_id: str | None = None
    campaign_ref: str | None = None
    job_title: str | None = None
    posted_company: str | None = None
    company_hiring_for: str | None = None
    location: str | None = None
    country: str | None = None
    workplace_type: str | None = None
    current_status: str | None = None
    state_start: dt.date | None = None
    state_end: dt.date | None = None
    original_list_date: dt.date | None = None
    days_open: int | None = None
    total_views: int | None = None
    total_apply_clicks: int | None = None
    unique_viewers: int | None = None
    unique_apply_clicks: int | None = None
    applications: int | None = None
    apply_rate: float | None = None  # percent
    completion_rate: float | None = None  # percent
    job_post_type: str | None = None
    application_method: str | None = None
    skills: str | None = None
    report_start: dt.date | None = None  # the report's date range (sheet "Overview")
    report_end: dt.date | None = None
    row: int | None = None
    file: str | None = None
    company_apply_url: str | None = None  # set when candidates apply off LinkedIn (on the employer's or ATS site)
    industry: str | None = None
    job_function: str | None = None
    standardized_title: str | None = None
    ats_posting_method: str | None = None


@dataclass(slots=True)
class RecruiterUsageRecord:
    """One seat in one period of the LinkedIn Recruiter usage report. The seat holder's name is a keyed hash."""

    seat_key: str | None = None
    seat_id: str | None = None
    campaign_ref: str | None = None
    period_start: dt.date | None = None
    period_end: dt.date | None = None
    profiles_viewed: int | None = None
    projects_created: int | None = None
    profiles_saved: int | None = None
    searches_saved: int | None = None
    searches_performed: int | None = None
    inmails_sent: int | None = None
    inmails_accepted: int | None = None
    inmails_declined: int | None = None
    row: int | None = None
    file: str | None = None


@dataclass(slots=True)
class InMailStatsRecord:
    """One period of the LinkedIn Recruiter InMail report (InMail Insights): sent, accepted, declined."""

    period_start: dt.date | None = None
    period_end: dt.date | None = None
    campaign_ref: str | None = None
    seat_key: str | None = None
    sent: int | None = None
    accepted: int | None = None
    declined: int | None = None
    response_rate: float | None = None  # percent, as the report states it
    row: int | None = None
    file: str | None = None


@dataclass(slots=True)
class PageStatsRecord:
    """One row of a LinkedIn Page analytics export (followers, visitors, content metrics or one post)."""

    kind: str  # "followers", "visitors", "content", "post", "demographic"
    date: dt.date | None = None
    campaign_ref: str | None = None
    metrics: dict[str, float] = field(default_factory=dict)
    label: str | None = None  # post title, or the demographic value
    link: str | None = None
    sheet: str | None = None
    row: int | None = None
    file: str | None = None


@dataclass(slots=True)
class RowRef:
    """Where a figure came from: a file and the rows in it."""

    file: str
    rows: list[int]
    sheet: str | None = None

    def describe(self, limit: int = 12) -> str:
        shown = ", ".join(str(r) for r in self.rows[:limit])
        more = f" and {len(self.rows) - limit} more" if len(self.rows) > limit else ""
        where = f"{self.file}" + (f" ({self.sheet})" if self.sheet else "")
        noun = "row" if len(self.rows) == 1 else "rows"
        return f"{where} {noun} {shown}{more}"

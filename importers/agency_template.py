"""The canonical agency campaign template: Campaigns, Candidates and Outreach, as XLSX sheets or one CSV per sheet.

This is Scrutineer's own published template (see DESIGN.md). Agencies fill it in by hand or export into it,
so it arrives with their habits, and this importer accepts them:

- title rows above the header row ("Campaign tracker — Q1 2026"): the header row is found, not assumed;
- header names in any case, order and punctuation ("Campaign Ref", "campaign_ref", "CAMPAIGN-REF");
- UK dates as text (`05/02/2026`, `5 Feb 2026`) and real Excel dates; amounts as `£135,000` or `£135k`;
- UTF-8 with or without a byte-order mark, and Windows-1252 from Excel;
- codes written as people write them ("Long-listed", "LinkedIn InMail", "Yes").

A row with a value that cannot be read is reported (file, sheet, row, column, value) and left out; the rest is
imported. Columns we do not know are reported; on Campaigns they are kept as extra text, on Candidates they are
dropped, because they may hold names or contact details that Scrutineer must not store.

Candidate references (often names or e-mail addresses) become keyed hashes here, through the `pseudonymise`
function the caller supplies; the clear value never leaves this module.
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
from collections.abc import Callable, Iterable, Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

from importers.columns import FieldSpec, KeyedColumn, RecordBatch, TableConverter, alias_table, field_table
from importers.records import (
    FEE_TYPES,
    NATIONS,
    ORGANISATION_TYPES,
    SALARY_PERIODS,
    SOURCES,
    STAGES,
    CampaignRecord,
    CandidateRecord,
    OutreachRecord,
)
from importers.report import FileRejected, ImportReport
from importers.tabular import Header, Row, Sheet, Sniffed, find_header, is_blank, sheets_for
from importers.values import (
    clean_text,
    header_key,
    parse_bool,
    parse_choice,
    parse_date,
    parse_datetime,
    parse_int,
    parse_money,
    parse_percent,
    remove_contact_details,
)

FORMAT_NAME = "agency-template"
LABEL = "Scrutineer agency campaign template (Campaigns, Candidates, Outreach)"

Record = CampaignRecord | CandidateRecord | OutreachRecord
Parser = Callable[[object], Any]
Pseudonymise = Callable[[str], str]

# --- code lists, with the ways agencies write them ---------------------------------------------------------

STAGE_SYNONYMS = {
    "sourced": "identified",
    "identified": "identified",
    "mapped": "identified",
    "researched": "identified",
    "contacted": "approached",
    "approach": "approached",
    "approached": "approached",
    "inmailed": "approached",
    "replied": "responded",
    "response": "responded",
    "interested": "responded",
    "screened": "responded",
    "longlist": "longlisted",
    "long list": "longlisted",
    "long-listed": "longlisted",
    "long listed": "longlisted",
    "shortlist": "shortlisted",
    "short list": "shortlisted",
    "short-listed": "shortlisted",
    "short listed": "shortlisted",
    "interview": "interviewed",
    "final interview": "interviewed",
    "offer": "offered",
    "offer made": "offered",
    "hired": "appointed",
    "appointment": "appointed",
    "placed": "appointed",
}
SOURCE_SYNONYMS = {
    "headhunted": "headhunt",
    "direct approach": "headhunt",
    "search": "headhunt",
    "executive search": "headhunt",
    "inmail": "linkedin_inmail",
    "linkedin inmail": "linkedin_inmail",
    "linkedin message": "linkedin_inmail",
    "linkedin": "linkedin_search",
    "linkedin recruiter": "linkedin_search",
    "linkedin search": "linkedin_search",
    "linkedin advert": "linkedin_job_ad",
    "linkedin job": "linkedin_job_ad",
    "linkedin job ad": "linkedin_job_ad",
    "linkedin job advert": "linkedin_job_ad",
    "linkedin job posting": "linkedin_job_ad",
    "advert": "advert_other",
    "advertisement": "advert_other",
    "job board": "advert_other",
    "website": "advert_other",
    "press": "advert_other",
    "referred": "referral",
    "recommendation": "referral",
    "network": "referral",
    "agency database": "database",
    "candidate database": "database",
    "talent pool": "database",
    "applied": "direct_application",
    "direct": "direct_application",
    "application": "direct_application",
    "applied directly": "direct_application",
}
ORGANISATION_TYPE_SYNONYMS = {
    "council": "local_authority",
    "local government": "local_authority",
    "la": "local_authority",
    "nhs trust": "nhs",
    "nhs foundation trust": "nhs",
    "health board": "nhs",
    "icb": "nhs",
    "department": "central_government",
    "central government": "central_government",
    "civil service": "central_government",
    "government department": "central_government",
    "arm's-length body": "alb",
    "arms length body": "alb",
    "ndpb": "alb",
    "non-departmental public body": "alb",
    "executive agency": "alb",
}
NATION_SYNONYMS = {"uk": "england", "eng": "england", "cymru": "wales", "ni": "northern_ireland"}
PERIOD_SYNONYMS = {
    "annual": "year",
    "annually": "year",
    "per annum": "year",
    "pa": "year",
    "yearly": "year",
    "p.a.": "year",
    "monthly": "month",
    "weekly": "week",
    "daily": "day",
    "day rate": "day",
    "per day": "day",
    "hourly": "hour",
}
FEE_SYNONYMS = {
    "percent": "percentage",
    "%": "percentage",
    "percentage of salary": "percentage",
    "fixed fee": "fixed",
    "flat": "fixed",
    "capped fee": "capped",
}
SEX_VALUES = ("female", "male", "other", "prefer_not_to_say")
SEX_SYNONYMS = {
    "f": "female",
    "woman": "female",
    "women": "female",
    "m": "male",
    "man": "male",
    "men": "male",
    "non-binary": "other",
    "nonbinary": "other",
    "prefer not to say": "prefer_not_to_say",
    "not stated": "prefer_not_to_say",
    "not known": "prefer_not_to_say",
    "unknown": "prefer_not_to_say",
    "pnts": "prefer_not_to_say",
    "declined": "prefer_not_to_say",
}
ETHNICITY_VALUES = ("asian", "black", "mixed", "white", "other", "prefer_not_to_say")
ETHNICITY_SYNONYMS = {
    "asian or asian british": "asian",
    "black, black british, caribbean or african": "black",
    "black or black british": "black",
    "mixed or multiple ethnic groups": "mixed",
    "mixed or multiple": "mixed",
    "white british": "white",
    "white other": "white",
    "white irish": "white",
    "other ethnic group": "other",
    "arab": "other",
    "prefer not to say": "prefer_not_to_say",
    "not stated": "prefer_not_to_say",
    "unknown": "prefer_not_to_say",
    "not known": "prefer_not_to_say",
}
DISABILITY_VALUES = ("yes", "no", "prefer_not_to_say")
DISABILITY_SYNONYMS = {
    "y": "yes",
    "disabled": "yes",
    "true": "yes",
    "n": "no",
    "not disabled": "no",
    "false": "no",
    "prefer not to say": "prefer_not_to_say",
    "not stated": "prefer_not_to_say",
    "unknown": "prefer_not_to_say",
}
CHANNEL_VALUES = ("inmail", "email", "phone", "other")
CHANNEL_SYNONYMS = {
    "linkedin inmail": "inmail",
    "linkedin": "inmail",
    "in-mail": "inmail",
    "e-mail": "email",
    "mail": "email",
    "telephone": "phone",
    "call": "phone",
}
RESPONSE_VALUES = ("accepted", "declined", "no_response")
RESPONSE_SYNONYMS = {
    "interested": "accepted",
    "yes": "accepted",
    "replied": "accepted",
    "not interested": "declined",
    "no": "declined",
    "none": "no_response",
    "no reply": "no_response",
    "pending": "no_response",
}


# The code lists, by field, for suggesting translations of a file's own codes (importers.mapping).
CODES: dict[str, tuple[str, ...]] = {
    "source": SOURCES,
    "stage_reached": STAGES,
    "sex": SEX_VALUES,
    "ethnicity_group": ETHNICITY_VALUES,
    "disability": DISABILITY_VALUES,
    "organisation_type": ORGANISATION_TYPES,
    "nation": NATIONS,
    "channel": CHANNEL_VALUES,
    "response": RESPONSE_VALUES,
    "fee_type": FEE_TYPES,
    "salary_period": SALARY_PERIODS,
}
CODE_SYNONYMS: dict[str, dict[str, str]] = {
    "source": SOURCE_SYNONYMS,
    "stage_reached": STAGE_SYNONYMS,
    "sex": SEX_SYNONYMS,
    "ethnicity_group": ETHNICITY_SYNONYMS,
    "disability": DISABILITY_SYNONYMS,
    "organisation_type": ORGANISATION_TYPE_SYNONYMS,
    "nation": NATION_SYNONYMS,
    "channel": CHANNEL_SYNONYMS,
    "response": RESPONSE_SYNONYMS,
    "fee_type": FEE_SYNONYMS,
    "salary_period": PERIOD_SYNONYMS,
}


def json_value(value: Any) -> Any:
    """A parsed value in a form JSON keeps exactly: dates as ISO text, amounts as text."""
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


class Choice:
    """A coded column's parser: one of `codes`, or a synonym of one. The template's drop-downs list the codes."""

    __slots__ = ("codes", "synonyms")

    def __init__(self, codes: tuple[str, ...], synonyms: dict[str, str]) -> None:
        self.codes, self.synonyms = codes, synonyms

    def __call__(self, value: object) -> str | None:
        return parse_choice(value, self.codes, self.synonyms)


def _text(value: object) -> str | None:
    return clean_text(value)


def _text_max(limit: int) -> Parser:
    """Free text, shortened to what the database column holds (a long reason is cut, not refused)."""

    def read(value: object) -> str | None:
        text = clean_text(value)
        if text is not None and len(text) > limit:
            return text[: limit - 1] + "…"
        return text

    return read


def _about_people(limit: int | None = None) -> Parser:
    """Free text that may mention people (a rejection reason, a long-list justification): e-mail addresses and
    profile URLs removed (values.remove_contact_details) before it is cut to what the column holds."""

    def read(value: object) -> str | None:
        text = clean_text(value)
        if text is None:
            return None
        cut = False
        if limit is not None and len(text) > 2 * limit:
            # most of an over-long value is cut anyway: search only what can be kept, ending between words so
            # that no half of an address is left for the search to miss
            cut, text = True, text[: 2 * limit]
            boundary = max(text.rfind(" "), text.rfind(","), text.rfind(";"))
            text = text[:boundary] if boundary > 0 else text
        text = remove_contact_details(text)
        if limit is not None and (cut or len(text) > limit):
            return text[: limit - 1] + "…"
        return text

    return read


def _ref_max(limit: int) -> Parser:
    """A reference: one that does not fit the column cannot be cut without changing what it refers to."""

    def read(value: object) -> str | None:
        text = clean_text(value)
        if text is not None and len(text) > limit:
            raise ValueError(f"a reference is at most {limit} characters; this one has {len(text)}")
        return text

    return read


def _lower_text(value: object) -> str | None:
    text = clean_text(value)
    return None if text is None else text.lower()


_fields = field_table  # FieldSpec and field_table live in importers.columns, shared by every tabular importer


CAMPAIGN_FIELDS = _fields(
    FieldSpec(
        "campaign_ref",
        _ref_max(100),
        (
            "campaign",
            "campaign id",
            "campaign reference",
            "job ref",
            "vacancy ref",
            "requisition id",
            "employer job id",
            "assignment ref",
        ),
        required=True,
    ),
    FieldSpec(
        "client_organisation",
        _text_max(200),
        ("client", "client name", "organisation", "employer", "hiring organisation"),
    ),
    FieldSpec(
        "organisation_type",
        Choice(ORGANISATION_TYPES, ORGANISATION_TYPE_SYNONYMS),
        ("client type", "employer type", "sector"),
    ),
    FieldSpec("nation", Choice(NATIONS, NATION_SYNONYMS), ("country",)),
    FieldSpec("role_title", _text_max(300), ("role", "job title", "post", "position", "title")),
    FieldSpec("grade", _text_max(100), ("band", "pay band", "grade band", "level")),
    FieldSpec("salary_min", parse_money, ("minimum salary", "salary from", "salary lower", "min salary")),
    FieldSpec("salary_max", parse_money, ("maximum salary", "salary to", "salary upper", "max salary")),
    FieldSpec("salary_period", Choice(SALARY_PERIODS, PERIOD_SYNONYMS), ("pay period",)),
    FieldSpec("agency", _text_max(200), ("search firm", "agency name", "supplier")),
    FieldSpec("framework", _text_max(200), ("framework agreement", "procurement route")),
    FieldSpec("contract_ref", _text_max(200), ("contract", "contract reference", "call off ref", "po number")),
    FieldSpec("fee_type", Choice(FEE_TYPES, FEE_SYNONYMS), ("fee basis",)),
    FieldSpec("fee_percent", parse_percent, ("fee %", "fee percentage", "fee rate")),
    FieldSpec("fee_fixed", parse_money, ("fixed fee", "fee amount", "fee")),
    FieldSpec("guarantee_months", parse_int, ("guarantee", "guarantee period", "rebate months")),
    FieldSpec("sla_longlist_days", parse_int, ("longlist sla", "sla longlist", "longlist sla days")),
    FieldSpec("sla_shortlist_days", parse_int, ("shortlist sla", "sla shortlist", "shortlist sla days")),
    FieldSpec("brief_date", parse_date, ("brief", "briefing date", "kick off date", "start of assignment")),
    FieldSpec("advert_live_date", parse_date, ("advert date", "advert live", "date advertised", "posted date")),
    FieldSpec("closing_date", parse_date, ("closing", "close date", "deadline")),
    FieldSpec("longlist_date", parse_date, ("longlist", "long list date")),
    FieldSpec("shortlist_date", parse_date, ("shortlist", "short list date")),
    FieldSpec("interview_date", parse_date, ("interviews", "final interview date")),
    FieldSpec("offer_date", parse_date, ("offer",)),
    FieldSpec("start_date", parse_date, ("start", "appointee start date")),
    FieldSpec("commissioner_chair", parse_bool, ("commissioner chaired", "csc commissioner chair")),
    FieldSpec("pay_approval_ref", _text_max(200), ("pay approval", "pay approval reference", "remuneration approval")),
    FieldSpec("conflict_declaration_date", parse_date, ("conflict declaration", "conflicts declared date")),
    FieldSpec("longlist_justification", _about_people(), ("longlist rationale", "justification")),
)

# Optional Campaigns columns for facts that no export holds but some checks need: contract terms, approvals,
# notices. They are read like the other columns and stored together in the campaign's `facts` (JSON-native values:
# text, numbers, booleans, ISO dates). Add a fact here when a check needs one, and say which check in a comment.
DC_LEVELS = ("none", "committed", "employer", "leader")
DC_SYNONYMS = {
    "level 1": "committed",
    "disability confident committed": "committed",
    "level 2": "employer",
    "disability confident employer": "employer",
    "level 3": "leader",
    "disability confident leader": "leader",
    "no": "none",
    "not a signatory": "none",
}
FEE_BASES = ("base_salary", "total_remuneration")
FEE_BASE_SYNONYMS = {
    "salary": "base_salary",
    "basic salary": "base_salary",
    "first year base salary": "base_salary",
    "total compensation": "total_remuneration",
    "total package": "total_remuneration",
    "first year remuneration": "total_remuneration",
    "first year total compensation": "total_remuneration",
}
COMPETITION_TYPES = ("external", "internal")
COMPETITION_SYNONYMS = {"open": "external", "open competition": "external", "civil service only": "internal"}
WELSH_CATEGORIES = ("essential", "to_be_learnt", "desirable", "not_necessary")
WELSH_SYNONYMS = {
    "hanfodol": "essential",
    "to be learned": "to_be_learnt",
    "learn": "to_be_learnt",
    "need to be learnt": "to_be_learnt",
    "angen eu dysgu": "to_be_learnt",
    "dymunol": "desirable",
    "not required": "not_necessary",
    "not needed": "not_necessary",
    "ddim yn angenrheidiol": "not_necessary",
}
# What written engagement terms may cover (ES-07), and the ways people write each item.
TERMS_ITEMS = ("fees", "payment_timing", "scope", "confidentiality", "conflicts", "off_limits", "guarantee")
TERMS_SYNONYMS = {
    "fee": "fees",
    "fee basis": "fees",
    "payment": "payment_timing",
    "payment schedule": "payment_timing",
    "invoicing": "payment_timing",
    "staged payments": "payment_timing",
    "scope of work": "scope",
    "deliverables": "scope",
    "confidential": "confidentiality",
    "non disclosure": "confidentiality",
    "conflict of interest": "conflicts",
    "conflicts of interest": "conflicts",
    "off limits": "off_limits",
    "off-limits": "off_limits",
    "non solicitation": "off_limits",
    "rebate": "guarantee",
    "replacement guarantee": "guarantee",
    "free replacement": "guarantee",
}


def _terms(value: object) -> list[str] | None:
    """A list of the items written terms cover: `fees; payment timing; scope` (any of , ; / or new lines)."""
    text = clean_text(value)
    if text is None:
        return None
    items = []
    for part in re.split(r"[,;/\n]+|\band\b", text):
        if part.strip():
            item = parse_choice(part, TERMS_ITEMS, TERMS_SYNONYMS)
            if item is not None and item not in items:
                items.append(item)
    return items


def _months_or_not_stated(value: object) -> int | str | None:
    """A retention period in months, or "not stated" when the privacy notice gives none (DP-04)."""
    text = clean_text(value) if not isinstance(value, int | float) else None
    if text is not None and header_key(text) in {"none", "notstated", "nostated", "nil", "nottated"}:
        return "not stated"
    if text is not None:
        match = re.fullmatch(r"(\d+)\s*(months?|years?)?", text.lower())
        if match:
            number = int(match.group(1))
            return number * 12 if (match.group(2) or "").startswith("year") else number
    return parse_int(value)


FACT_FIELDS = _fields(
    FieldSpec("total_remuneration", parse_money, ("total remuneration", "total package")),  # PAY-05
    FieldSpec("bonus_max", parse_money, ("bonus", "maximum bonus")),  # PAY-05
    FieldSpec("previous_holder_pay", parse_money, ("previous post holder pay", "last post holder salary")),  # PAY-05
    FieldSpec("pay_policy_covers", parse_bool, ("pay policy statement covers", "covered by pay policy")),  # PAY-04
    FieldSpec("exception_type", _text, ("fair and open exception", "exception")),  # FOC-03, FOC-01
    FieldSpec("exception_approval_ref", _text, ("exception approval", "exception approval reference")),  # FOC-03
    FieldSpec(
        "competition_type", Choice(COMPETITION_TYPES, COMPETITION_SYNONYMS), ("competition", "internal or external")
    ),  # FOC-02
    FieldSpec("fppt_checks_completed", parse_bool, ("fppt completed", "fit and proper person test")),  # FOC-05
    FieldSpec(
        "welsh_language_category",
        Choice(WELSH_CATEGORIES, WELSH_SYNONYMS),
        ("welsh language", "welsh language skills", "welsh category"),
    ),  # FOC-07
    FieldSpec("lawful_basis", _text, ("lawful basis for sourcing",)),  # DP-03
    FieldSpec("lia_reference", _text, ("legitimate interests assessment", "lia")),  # DP-03
    FieldSpec("retention_months", _months_or_not_stated, ("retention period", "retention", "data retention")),  # DP-04
    FieldSpec(
        "privacy_notice_names_source", parse_bool, ("notice names source", "privacy notice names linkedin")
    ),  # LI-07, DP-02
    FieldSpec(
        "disability_confident", Choice(DC_LEVELS, DC_SYNONYMS), ("disability confident level", "dc level")
    ),  # DIS-03, DIS-04
    FieldSpec("dc_exception", _text, ("disability confident exception", "guaranteed interview exception")),  # DIS-04
    FieldSpec("sla_appointment_days", parse_int, ("appointment sla", "sla appointment", "offer sla days")),  # ES-05
    FieldSpec("engagement_terms", _terms, ("terms cover", "written terms cover", "contract terms")),  # ES-07
    FieldSpec("off_limits_declaration_date", parse_date, ("off limits declaration", "off-limits declared")),  # ES-10
    FieldSpec("fee_cap", parse_money, ("fee cap", "maximum fee", "capped fee")),  # ES-08
    FieldSpec("fee_base", Choice(FEE_BASES, FEE_BASE_SYNONYMS), ("fee based on", "fee calculated on")),  # ES-08
)

CANDIDATE_FIELDS = _fields(
    FieldSpec("campaign_ref", _text, CAMPAIGN_FIELDS["campaign_ref"].aliases, required=True),
    FieldSpec(
        "candidate_ref",
        _text,
        (
            "candidate",
            "candidate id",
            "candidate reference",
            "applicant id",
            "applicant reference",
            "candidate name",
            "name",
            "email",
            "linkedin url",
            "profile url",
            "applicant",
            "email address",
            "candidate email",
        ),
        required=True,
    ),
    FieldSpec(
        "source",
        Choice(SOURCES, SOURCE_SYNONYMS),
        ("candidate source", "sourced from", "channel", "application source"),
    ),
    FieldSpec(
        "stage_reached",
        Choice(STAGES, STAGE_SYNONYMS),
        ("stage", "status", "furthest stage", "current stage", "application stage", "pipeline stage"),
    ),
    FieldSpec("withdrawn", parse_bool, ("withdrew",)),
    FieldSpec(
        "rejection_reason",
        _about_people(500),
        ("reason", "rejection", "outcome reason", "reason for rejection", "disqualification reason"),
    ),
    FieldSpec(
        "first_contact_date",
        parse_date,
        ("first contact", "contacted date", "approach date", "applied at", "application date", "date applied"),
    ),
    FieldSpec("acknowledged_date", parse_date, ("acknowledged", "acknowledgement date")),
    # when the agency obtained the candidate's details (a search, a database), for Art 14's one month (DP-02)
    FieldSpec(
        "identified_date",
        parse_date,
        (
            "date identified",
            "identified on",
            "sourced date",
            "date sourced",
            "data obtained date",
            "date details obtained",
        ),
    ),
    FieldSpec("feedback_given", parse_bool, ("feedback",)),
    FieldSpec("sex", Choice(SEX_VALUES, SEX_SYNONYMS), ("gender", "sex gender")),
    FieldSpec("ethnicity_group", Choice(ETHNICITY_VALUES, ETHNICITY_SYNONYMS), ("ethnicity", "ethnic group", "race")),
    FieldSpec("disability", Choice(DISABILITY_VALUES, DISABILITY_SYNONYMS), ("disabled", "disability status")),
    FieldSpec(
        "dc_opt_in",
        parse_bool,
        ("disability confident", "guaranteed interview", "dc opt in", "disability confident opt in"),
    ),
    FieldSpec(
        "meets_essential_criteria", parse_bool, ("meets essential", "meets minimum criteria", "essential criteria met")
    ),
    FieldSpec("age_band", _text_max(40), ("age", "age group", "age range")),
)

OUTREACH_FIELDS = _fields(
    FieldSpec("campaign_ref", _text, CAMPAIGN_FIELDS["campaign_ref"].aliases, required=True),
    FieldSpec("sent_at", parse_datetime, ("sent", "date sent", "sent date")),
    FieldSpec("channel", Choice(CHANNEL_VALUES, CHANNEL_SYNONYMS), ("medium", "method")),
    FieldSpec("message_chars", parse_int, ("characters", "message length", "length")),
    FieldSpec("template_id", _text_max(200), ("template", "template name")),
    FieldSpec("privacy_notice_included", parse_bool, ("privacy notice", "privacy link", "article 14 notice")),
    FieldSpec("responded_at", parse_datetime, ("responded", "reply date", "response date")),
    FieldSpec("response", Choice(RESPONSE_VALUES, RESPONSE_SYNONYMS), ("outcome", "reply")),
)

TABLES: dict[str, dict[str, FieldSpec]] = {
    "campaigns": {**CAMPAIGN_FIELDS, **FACT_FIELDS},
    "candidates": CANDIDATE_FIELDS,
    "outreach": OUTREACH_FIELDS,
}
RECORD_TYPES = {"campaigns": CampaignRecord, "candidates": CandidateRecord, "outreach": OutreachRecord}
# Fields that say which table a CSV holds when its sheet name cannot.
_DISTINCTIVE = {
    "candidates": ("candidate_ref", "stage_reached"),
    "outreach": ("sent_at", "channel", "message_chars", "template_id"),
    "campaigns": ("role_title", "client_organisation", "brief_date", "salary_min"),
}


ALIASES = {table: alias_table(fields) for table, fields in TABLES.items()}
# Sheets of the template as Scrutineer publishes it (importers.template) that hold no records: read past in silence.
GUIDE_SHEETS = ("Guide", "Codes")


def required_columns() -> dict[str, list[str]]:
    return {table: [f.name for f in fields.values() if f.required] for table, fields in TABLES.items()}


def table_for_sheet(sheet_name: str) -> str | None:
    key = header_key(sheet_name)
    for table in TABLES:
        if key.startswith(table[:-1]) or table in key:
            return table
    return None


def table_for_header(row: Row) -> str | None:
    """Which template table a header row belongs to, from its distinctive columns."""
    best, best_score = None, 0
    for table, distinctive in _DISTINCTIVE.items():
        fields = {ALIASES[table].get(header_key(cell)) for cell in row}
        score = sum(1 for f in distinctive if f in fields)
        if "campaign_ref" in fields and score > best_score:
            best, best_score = table, score
    return best


def detect(sniffed: Sniffed, sheets: list[tuple[str, list[Row]]]) -> int:
    """How sure we are that this is the template: 0 (not it) to 100."""
    score = 0
    for name, rows in sheets:
        table = table_for_sheet(name)
        for row in rows:
            guessed = table_for_header(row) if table is None else table
            if guessed and "campaign_ref" in {ALIASES[guessed].get(header_key(c)) for c in row}:
                matched = sum(1 for c in row if ALIASES[guessed].get(header_key(c)))
                score = max(score, min(95, 40 + matched * 5))
    return score


def foreign_values(sheets: list[tuple[str, list[Row]]]) -> str | None:
    """Why a file whose header looks like the template's should be read through a column mapping instead, or None.

    An applicant-tracking export often shares the template's column names ("Candidate ID", "Source", "Current
    Stage") but not its values ("Face to Face", "Jobs page on your website"). Read as the template, most of its rows
    would be refused one by one; a column mapping translates the values instead. So when most of the first rows
    under a template header have a value the template cannot read, the file is treated as a layout of its own.
    """
    for sheet_name, rows in sheets:
        table = table_for_sheet(sheet_name) or next(filter(None, map(table_for_header, rows)), None)
        if table is None:
            continue
        header, pending = find_header(iter(enumerate(rows, start=1)), ALIASES[table], required=("campaign_ref",))
        if header is None:
            continue
        fields = TABLES[table]
        columns = [(index, fields[name]) for index, name in enumerate(header.fields) if name in fields]
        sampled = refused = 0
        first_problem = ""
        for number, row in pending:
            if is_blank(row) or list(row) == list(header.names):
                continue
            sampled += 1
            for index, spec in columns:
                if index >= len(row):
                    continue
                try:
                    spec.parser(row[index])
                except ValueError as error:
                    refused += 1
                    first_problem = first_problem or f"{header.names[index]} on row {number}: {error}"
                    break
        if sampled >= 3 and refused * 2 > sampled:
            return (
                f"its columns look like the template's, but {refused} of its first {sampled} rows have values the "
                f"template does not use ({first_problem})"
            )
    return None


# --- row conversion ----------------------------------------------------------------------------------------

_EMPTY_CAMPAIGN = "campaign_ref is empty: every row needs the campaign it belongs to"
_EMPTY_CANDIDATE = "candidate_ref is empty: give each candidate a reference (it is stored only as a keyed hash)"


def _campaign_hook(header: Header, report: ImportReport, sheet_label: str | None) -> Callable[..., Any]:
    """Campaign rows keep their unknown columns as text, gather facts, and must have min <= max salary."""
    extra_columns = [
        (i, n) for i, (n, f) in enumerate(zip(header.names, header.fields, strict=True)) if f is None and n
    ]

    def hook(values: dict[str, Any], row: Row, number: int) -> dict[str, Any] | None:
        low, high = values.get("salary_min"), values.get("salary_max")
        if low is not None and high is not None and low > high:
            report.reject_row(number, "salary_min", low, f"salary_min is more than salary_max ({high})", sheet_label)
            return None
        values["extra"] = {
            name: str(row[i]) for i, name in extra_columns if i < len(row) and clean_text(row[i]) is not None
        }
        values["facts"] = {name: json_value(values[name]) for name in FACT_FIELDS if values.get(name) is not None}
        for name in FACT_FIELDS:
            values.pop(name, None)
        return values

    return hook


def convert_table(
    header: Header,
    rows: Iterable[tuple[int, Row]],
    table: str,
    report: ImportReport,
    pseudonymise: Pseudonymise,
    file_label: str,
    sheet_label: str | None,
    *,
    fields: dict[str, FieldSpec] | None = None,
    constants: dict[str, Any] | None = None,
) -> Iterator[RecordBatch]:
    """Batches of one template table's records from the rows under `header` (also used for mapped layouts)."""
    fields = fields or TABLES[table]
    constants = dict(constants or {})
    missing = [
        f.name for f in TABLES[table].values() if f.required and f.name not in header.fields and f.name not in constants
    ]
    if missing:
        raise FileRejected(
            file_label,
            f"the {table} table has no {', '.join(missing)} column: add it, or use the agency "
            "template (Files, then The agency campaign template)",
        )
    if header.unknown:
        report.unknown_columns[sheet_label or table] = header.unknown
    converter = TableConverter(
        header=header,
        fields=fields,
        record_type=RECORD_TYPES[table],
        report=report,
        file=file_label,
        sheet=sheet_label,
        keyed=(
            [KeyedColumn("candidate_ref", "candidate_key", pseudonymise, _EMPTY_CANDIDATE)]
            if table == "candidates"
            else []
        ),
        required_values={"campaign_ref": _EMPTY_CAMPAIGN},
        constants=constants,
        row_hook=_campaign_hook(header, report, sheet_label) if table == "campaigns" else None,
    )
    yield from converter.batches(rows)


def _rows(
    sheet: Sheet,
    table: str,
    report: ImportReport,
    pseudonymise: Pseudonymise,
    file_label: str,
    sheet_label: str | None,
) -> Iterator[RecordBatch]:
    header, pending = find_header(sheet.rows, ALIASES[table], required=("campaign_ref",))
    if header is None:
        report.notes.append(
            f"{sheet_label or file_label}: no header row with a campaign_ref column in the first "
            "rows, so the sheet was not read"
        )
        return

    # chain, not a generator of our own: a million rows pass through here, and chain hands them on in C
    rows = itertools.chain(pending, sheet.rows)
    yield from convert_table(header, rows, table, report, pseudonymise, file_label, sheet_label)


def parse(
    path: Path,
    name: str,
    sniffed: Sniffed,
    report: ImportReport,
    *,
    pseudonymise: Pseudonymise,
) -> Iterator[RecordBatch]:
    """Stream the records in a template file: campaigns first, then candidates, then outreach (XLSX sheet order)."""
    report.format = FORMAT_NAME
    sheets = sheets_for(path, name, sniffed, report)
    found = False
    if sniffed.kind == "csv-or-text":
        sheet = sheets[0]
        # Which table does this CSV hold? Peek at the first rows without losing them.
        peeked: list[tuple[int, Row]] = []
        for item in sheet.rows:
            peeked.append(item)
            if len(peeked) >= 15:
                break
        tables = [t for t in (table_for_header(row) for _n, row in peeked) if t]
        if not tables:
            raise FileRejected(
                name,
                "no header row with a campaign_ref column was found in the first 15 rows: "
                "check this is a Campaigns, Candidates or Outreach file from the template",
            )
        replay = itertools.chain(peeked, sheet.rows)
        yield from _rows(Sheet(sheet.name, replay), tables[0], report, pseudonymise, name, None)
        return
    ordered = sorted(
        ((table_for_sheet(s.name), s) for s in sheets),
        key=lambda pair: list(TABLES).index(pair[0]) if pair[0] else 99,
    )
    for table, sheet in ordered:
        if table is None:
            if sheet.name not in GUIDE_SHEETS:
                report.notes.append(f"sheet {sheet.name!r} is not part of the template and was not read")
            continue
        found = True
        yield from _rows(sheet, table, report, pseudonymise, name, sheet.name)
    if not found:
        raise FileRejected(
            name,
            "the workbook has no Campaigns, Candidates or Outreach sheet: use the agency template (Files, then "
            "The agency campaign template), or import it with a column mapping",
        )

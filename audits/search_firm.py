"""Executive-search practice and contract terms, judged from the campaign's own data (ES checks).

Policy. The Standard Voluntary Code of Conduct for Executive Search Firms (2011, enhanced 2014, updated 2021)
asks firms to put at least 30% women on long lists, or justify the scope and rigour of their research, and to
report diversity at each stage. Scrutineer reads the agency's candidate records and says which rows it used, so
the agency can check the figures. Where the data cannot support a judgement it says "no data" and what to add.

The contract is the other half. The CCS frameworks (RM6290, and RM6394 from 2026) organise the work in modules from
planning to appointment, but their KPI schedules are not public, so service levels come from the campaign's own
contract fields: more than the SLA warns, more than 1.5 times it fails (ES-05, a proposed rule). Candidates are owed
prompt acknowledgement and feedback (ES-06; AESC: communicate openly and frequently). The AESC Standards ask that
fees, payment timing, scope, confidentiality, conflicts and off-limits be agreed in writing (ES-07) and conflicts and
off-limits companies declared before the search starts (ES-10; NAER code). Retained fees are commonly 22.5–33% of
first-year pay; a fixed or capped fee removes the incentive to raise the salary (ES-08), and a replacement guarantee
of 6–12 months is usual (ES-09). These last two are market practice, not regulation, and the bands are configurable.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from decimal import Decimal
from typing import Any

from audits.checklist import Rule
from audits.common import fact, fact_date, fact_int, fact_money, no_campaign, provide, working_days
from audits.model import CampaignBundle, DataEvidence, Outcome, Status
from audits.registry import campaign_check
from importers.records import CampaignRecord, CandidateRecord, RowRef


def row_refs(candidates: list[CandidateRecord], sheet: str | None = "Candidates") -> list[RowRef]:
    """The rows candidates came from, grouped by file."""
    by_file: dict[str, list[int]] = defaultdict(list)
    for candidate in candidates:
        if candidate.row is not None:
            by_file[candidate.file or "candidates"].append(candidate.row)
    return [RowRef(file=file, rows=sorted(rows), sheet=sheet) for file, rows in sorted(by_file.items())]


@campaign_check("ES-01")
def longlist_balance(bundle: CampaignBundle, rule: Rule) -> Outcome:
    if not bundle.candidates:
        return Outcome(
            Status.NO_DATA,
            "No candidate records were imported: import the Candidates sheet of the agency "
            "template with stage_reached and sex.",
        )
    longlist = [c for c in bundle.candidates if c.reached("longlisted")]
    if not longlist:
        return Outcome(Status.NO_DATA, "No candidate reached the long list in the imported data: check stage_reached.")
    counts = Counter(c.sex or "not recorded" for c in longlist)
    known = counts["female"] + counts["male"] + counts["other"]
    unknown = len(longlist) - known
    figures = {
        "long list": len(longlist),
        "women": counts["female"],
        "men": counts["male"],
        "other": counts["other"],
        "not recorded or prefer not to say": unknown,
    }
    evidence = [DataEvidence("Long list by sex", figures, row_refs(longlist))]
    if known == 0 or unknown / len(longlist) > float(rule.param("max_unknown_share")):
        return Outcome(
            Status.NO_DATA,
            f"Sex is not recorded for {unknown} of {len(longlist)} long-listed candidates, "
            "too many to judge the balance: complete the sex column.",
            evidence,
            {"figures": figures},
        )
    women = counts["female"] / known
    men = counts["male"] / known
    figures["women share"] = f"{women:.0%}"
    minimum = float(rule.param("min_share"))
    short_of = women < minimum or (bool(rule.param("either_sex")) and men < minimum)
    details = {"women_share": round(women, 3), "men_share": round(men, 3), "figures": figures}
    if not short_of:
        return Outcome(
            Status.PASS,
            f"The long list is {women:.0%} women and {men:.0%} men, at least {minimum:.0%} of each.",
            evidence,
            details,
        )
    who = "women" if women < minimum else "men"
    justification = bundle.campaign.longlist_justification if bundle.campaign else None
    if justification:
        return Outcome(
            rule.status_param("justified_status"),
            f"The long list has fewer than {minimum:.0%} {who} ({women:.0%} women), with a written "
            f"justification: “{justification[:300]}”.",
            evidence,
            details,
        )
    return Outcome(
        rule.status_param("fail_status"),
        f"The long list has fewer than {minimum:.0%} {who} ({women:.0%} women) and no written justification.",
        evidence,
        details,
    )


def campaign_refs(campaign: CampaignRecord) -> list[RowRef]:
    if campaign.row is None:
        return []
    return [RowRef(file=campaign.file or "campaigns", rows=[campaign.row], sheet="Campaigns")]


@campaign_check("ES-05")
def service_levels(bundle: CampaignBundle, rule: Rule) -> Outcome:
    campaign = bundle.campaign
    if campaign is None:
        return no_campaign()
    if campaign.brief_date is None:
        return Outcome(Status.NO_DATA, "The brief date is not recorded: " + provide("brief_date") + ".")
    milestones = [
        ("long list", campaign.longlist_date, campaign.sla_longlist_days, "sla_longlist_days"),
        ("short list", campaign.shortlist_date, campaign.sla_shortlist_days, "sla_shortlist_days"),
        ("offer", campaign.offer_date, fact_int(bundle, "sla_appointment_days"), "sla_appointment_days"),
    ]
    if all(sla is None for _n, _d, sla, _c in milestones):
        return Outcome(
            Status.NO_DATA,
            "The contract's service levels are not recorded: "
            + provide("sla_longlist_days", "sla_shortlist_days", "sla_appointment_days")
            + ".",
        )
    fail_factor = float(rule.param("fail_factor"))
    working = rule.param("day_basis") == "working"
    figures: dict[str, Any] = {"brief": campaign.brief_date.isoformat(), "days counted": rule.param("day_basis")}
    late: list[tuple[Status, str]] = []
    for name, reached, sla, _column in milestones:
        if sla is None:
            continue
        end = reached or bundle.as_of
        days = working_days(campaign.brief_date, end) if working else (end - campaign.brief_date).days
        figures[f"{name}: days (SLA)"] = f"{days} ({sla})" + ("" if reached else " — not reached yet")
        if reached is None and days <= sla:
            continue
        if days > sla * fail_factor:
            late.append(
                (
                    rule.status_param("fail_status"),
                    f"the {name} took {days} days against an SLA of {sla}"
                    + ("" if reached else " and is not reached yet"),
                )
            )
        elif days > sla:
            late.append((rule.status_param("warn_status"), f"the {name} took {days} days against an SLA of {sla}"))
    evidence = [DataEvidence("Milestones against the contract SLA", figures, campaign_refs(campaign))]
    if late:
        worst = Status.FAIL if any(status is Status.FAIL for status, _t in late) else late[0][0]
        return Outcome(worst, "Service levels missed: " + "; ".join(text for _s, text in late) + ".", evidence)
    return Outcome(Status.PASS, "Every milestone with an SLA was met (or is not yet due).", evidence)


@campaign_check("ES-06")
def candidate_experience(bundle: CampaignBundle, rule: Rule) -> Outcome:
    if not bundle.candidates:
        return Outcome(Status.NO_DATA, "No candidate records were imported: import the Candidates sheet.")
    limit = int(rule.param("ack_max_working_days"))
    timed = [c for c in bundle.candidates if c.first_contact_date is not None and c.acknowledged_date is not None]
    slow = [c for c in timed if working_days(c.first_contact_date, c.acknowledged_date) > limit]  # type: ignore[arg-type]
    interviewed = [c for c in bundle.candidates if c.reached("interviewed") and not c.reached("appointed")]
    feedback_known = [c for c in interviewed if c.feedback_given is not None]
    no_feedback = [c for c in feedback_known if not c.feedback_given]
    if not timed and not feedback_known:
        return Outcome(
            Status.NO_DATA,
            "Neither acknowledgement dates nor feedback are recorded: fill in "
            "first_contact_date, acknowledged_date and feedback_given in the Candidates sheet.",
        )
    figures = {
        "acknowledgements timed": len(timed),
        f"later than {limit} working days": len(slow),
        "interviewed, not appointed (feedback recorded)": len(feedback_known),
        "given no feedback": len(no_feedback),
    }
    evidence = [
        DataEvidence("Acknowledgement and feedback", figures, row_refs(slow + no_feedback or timed + feedback_known))
    ]
    problems = []
    if slow:
        problems.append(
            f"{len(slow)} of {len(timed)} candidates were acknowledged after more than {limit} working days"
        )
    if no_feedback:
        problems.append(f"{len(no_feedback)} interviewed candidate(s) were given no feedback")
    if problems:
        return Outcome(rule.status_param("status"), "; ".join(problems).capitalize() + ".", evidence)
    return Outcome(
        Status.PASS, "Candidates were acknowledged promptly and interviewed candidates were given feedback.", evidence
    )


@campaign_check("ES-07")
def engagement_terms(bundle: CampaignBundle, rule: Rule) -> Outcome:
    campaign = bundle.campaign
    if campaign is None:
        return no_campaign()
    covered = fact(bundle, "engagement_terms")
    if not covered:
        return Outcome(
            Status.NO_DATA,
            "What the written engagement terms cover is not recorded: "
            + provide("engagement_terms")
            + " (e.g. “fees; payment timing; scope; confidentiality; "
            "conflicts; off-limits; guarantee”).",
        )
    covered = set(covered) if isinstance(covered, list) else {str(covered)}
    required = list(rule.param("required_items"))
    missing = [item for item in required if item not in covered]
    figures = {"covered": ", ".join(sorted(covered)), "missing": ", ".join(missing) or "none"}
    evidence = [DataEvidence("Written engagement terms", figures, campaign_refs(campaign))]
    if missing:
        return Outcome(
            rule.status_param("status"),
            "The written terms do not cover: " + ", ".join(m.replace("_", " ") for m in missing) + ".",
            evidence,
        )
    return Outcome(
        Status.PASS,
        "The written terms cover fees, payment timing, scope, confidentiality, conflicts, "
        "off-limits and the guarantee.",
        evidence,
    )


@campaign_check("ES-08")
def fee_basis(bundle: CampaignBundle, rule: Rule) -> Outcome:
    campaign = bundle.campaign
    if campaign is None:
        return no_campaign()
    if campaign.fee_type is None:
        return Outcome(
            Status.NO_DATA, "The fee basis is not recorded: " + provide("fee_type", "fee_percent", "fee_fixed") + "."
        )
    cap = fact_money(bundle, "fee_cap")
    base = fact(bundle, "fee_base")
    figures: dict[str, Any] = {
        "fee type": campaign.fee_type,
        "fee %": str(campaign.fee_percent or "—"),
        "fixed fee": f"£{campaign.fee_fixed:,.0f}" if campaign.fee_fixed else "—",
        "cap": f"£{cap:,.0f}" if cap else "—",
        "percentage of": base or "not recorded",
    }
    evidence = [DataEvidence("Fee", figures, campaign_refs(campaign))]
    if campaign.fee_type == "fixed":
        return Outcome(Status.PASS, "The fee is fixed, so it does not rise with the salary.", evidence)
    maximum = Decimal(str(rule.param("max_percent")))
    problems = []
    if campaign.fee_percent is not None and campaign.fee_percent > maximum:
        problems.append(f"the fee of {campaign.fee_percent}% is above the market band's top of {maximum}%")
    if campaign.fee_type == "percentage" and cap is None:
        if base == "total_remuneration":
            problems.append("an uncapped percentage of first-year total remuneration rewards a higher package")
        elif base is None:
            problems.append("the percentage has no cap and its base (salary or total remuneration) is not recorded")
    if problems:
        return Outcome(rule.status_param("status"), "; ".join(problems).capitalize() + ".", evidence)
    return Outcome(
        Status.PASS,
        f"The fee ({campaign.fee_type}) is within the market band" + (f" and capped at £{cap:,.0f}." if cap else "."),
        evidence,
    )


@campaign_check("ES-09")
def guarantee(bundle: CampaignBundle, rule: Rule) -> Outcome:
    campaign = bundle.campaign
    if campaign is None:
        return no_campaign()
    months = campaign.guarantee_months
    if months is None:
        return Outcome(
            Status.NO_DATA,
            "The guarantee period is not recorded: " + provide("guarantee_months") + " (0 if there is none).",
        )
    evidence = [DataEvidence("Guarantee", {"months": months}, campaign_refs(campaign))]
    if months <= 0:
        return Outcome(
            rule.status_param("none_status"), "The contract has no replacement guarantee or rebate.", evidence
        )
    short = int(rule.param("short_below_months"))
    if months < short:
        return Outcome(
            rule.status_param("short_status"),
            f"The guarantee is {months} months, shorter than the usual {short} or more.",
            evidence,
            severity=rule.severity_param("short_severity"),
        )
    return Outcome(Status.PASS, f"The contract has a {months}-month guarantee.", evidence)


@campaign_check("ES-10")
def conflict_declarations(bundle: CampaignBundle, rule: Rule) -> Outcome:
    campaign = bundle.campaign
    if campaign is None:
        return no_campaign()
    declared: dict[str, dt.date | None] = {
        "conflicts of interest": campaign.conflict_declaration_date,
        "off-limits companies": fact_date(bundle, "off_limits_declaration_date"),
    }
    figures: dict[str, Any] = {name: (day.isoformat() if day else "not recorded") for name, day in declared.items()}
    figures["brief"] = campaign.brief_date.isoformat() if campaign.brief_date else "not recorded"
    evidence = [DataEvidence("Declarations", figures, campaign_refs(campaign))]
    missing = [name for name, day in declared.items() if day is None]
    if missing:
        return Outcome(
            rule.status_param("missing_status"),
            "No declaration is recorded for: "
            + ", ".join(missing)
            + " ("
            + provide("conflict_declaration_date", "off_limits_declaration_date")
            + " if made).",
            evidence,
        )
    grace = int(rule.param("grace_days"))
    if campaign.brief_date is not None:
        late = [name for name, day in declared.items() if day and (day - campaign.brief_date).days > grace]
        if late:
            return Outcome(
                rule.status_param("late_status"), "Declared after the search began: " + ", ".join(late) + ".", evidence
            )
    return Outcome(
        Status.PASS, "Conflicts of interest and off-limits companies were declared before the search.", evidence
    )

"""Pay transparency: the salary is stated, in figures, and candidates are not asked what they earn (PAY checks).

Policy. UK law does not yet require salaries in adverts, but UK public bodies are expected to be open about pay:
the Government Equalities Office's 2022 pilot asked employers to list salary details and stop asking for salary
history, and the EU Pay Transparency Directive 2023/970 (Art 5) makes both law for roles in the EU. Scrutineer
treats a missing or vague-only salary ("competitive", "negotiable") as a failure for public bodies, a default the
checklist can change, and a pay-history question as a High-severity warning for UK roles and a failure for EU ones.

LinkedIn and Google read a salary only when it is written in a form they can parse: currency, full figures, a range
with a dash and a pay period, and `baseSalary` in the JobPosting with numbers and a unit (PAY-03).

Senior pay needs approval. In England, the DCLG guidance Openness and accountability in local pay (2012, 2013) asks
that full council vote on new salary packages of £100,000 or more, and the Localism Act 2011 s.38(4)(b) requires
the pay policy statement to cover chief officers' pay on recruitment (PAY-04). In central government and
arm's-length bodies, HM Treasury's Guidance for approval of senior pay (June 2025) requires Chief Secretary to the
Treasury approval above £174,000 total remuneration or a £25,000 bonus, except up to 5% above the last substantive
post-holder (PAY-05). Scrutineer asks for the approval reference and flags its absence for review.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from audits.checklist import Rule
from audits.common import fact_bool, fact_money, no_campaign, provide
from audits.model import CampaignBundle, DataEvidence, Outcome, Status, TextEvidence
from audits.registry import advert_check, campaign_check
from audits.text import AdvertText
from importers.records import RowRef
from importers.values import SalaryMatch, find_salaries, plausible_pay

_SHORTHAND = re.compile(r"\d\s?k\b", re.IGNORECASE)
_MILLIONS = re.compile(r"\d\s?(?:m|million|bn|billion)\b", re.IGNORECASE)


def salary_matches(text: str) -> list[SalaryMatch]:
    """Pay figures in the text: plausible amounts, leaving out budgets in millions ("a budget of £180 million")."""
    return [m for m in find_salaries(text) if plausible_pay(m) and not _MILLIONS.search(m.salary.text or "")]


_NUMERIC = re.compile(r"^\s*\d+(?:\.\d+)?\s*$")


def _money(value: object) -> str:
    try:
        return f"£{float(value):,.0f}"  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return str(value)


@advert_check("PAY-01")
def salary_stated(advert: AdvertText, rule: Rule, bundle: CampaignBundle) -> Outcome:
    in_text = advert.shared("salaries", lambda: salary_matches(advert.text))
    salary = advert.advert.salary
    evidence: list = [TextEvidence(quote=m.salary.text or "", start=m.start, end=m.end) for m in in_text[:3]]
    structured_figure = salary is not None and salary.origin == "json-ld" and salary.has_figure
    if structured_figure:
        evidence.append(
            TextEvidence(quote=salary.text or "", start=0, end=0, field="structured", note="JobPosting baseSalary")
        )
    if in_text or structured_figure:
        chosen = in_text[0].salary if in_text else salary
        assert chosen is not None
        shown = (
            _money(chosen.minimum)
            if chosen.minimum == chosen.maximum
            else f"{_money(chosen.minimum)} to {_money(chosen.maximum)}"
        )
        period = f" a {chosen.period}" if chosen.period else ""
        return Outcome(
            Status.PASS,
            f"The advert states the salary: {shown}{period}.",
            evidence,
            {
                "minimum": str(chosen.minimum),
                "maximum": str(chosen.maximum),
                "period": chosen.period,
                "origin": "text" if in_text else "json-ld",
            },
        )
    vague = advert.search(rule.param("vague_phrases"), rule.exception_phrases)
    if salary is not None and salary.text and not salary.has_figure:
        evidence.append(
            TextEvidence(
                quote=salary.text, start=0, end=0, field="structured", note="JobPosting baseSalary has no figure"
            )
        )
    if vague:
        return Outcome(
            rule.status_param("vague_status"),
            f"The advert describes pay only as {', '.join(sorted({'“' + v.text + '”' for v in vague}))}, "
            "with no figure.",
            advert.evidence(vague[:5]) + evidence,
        )
    return Outcome(rule.status_param("missing_status"), "The advert states no salary.", evidence)


@advert_check("PAY-02")
def salary_history(advert: AdvertText, rule: Rule, bundle: CampaignBundle) -> Outcome:
    terms = rule.param("terms")
    question_hits = advert.search_questions(terms, rule.exception_phrases)
    text_hits = advert.search(terms, rule.exception_phrases)
    if not (question_hits or text_hits):
        return Outcome(Status.PASS, "Candidates are not asked for their current or previous salary.")
    evidence = [
        TextEvidence(
            quote=s.text,
            start=s.start,
            end=s.end,
            field="question",
            note=f"question {i + 1}: “{advert.advert.questions[i][:160]}”",
        )
        for i, s in question_hits[:10]
    ] + advert.evidence(text_hits[:10])
    status = rule.status_param("status_eu") if bundle.nation == "eu" else rule.status_param("status_uk")
    return Outcome(status, "Candidates are asked about their current or previous pay.", evidence)


def _is_number(value: Any) -> bool:
    return (isinstance(value, int | float) and not isinstance(value, bool)) or (
        isinstance(value, str) and bool(_NUMERIC.match(value))
    )


def _base_salary_problems(base: Any) -> list[str]:
    if not isinstance(base, dict):
        return ["the JobPosting has no baseSalary"]
    problems = []
    if not base.get("currency"):
        problems.append("baseSalary has no currency")
    value = base.get("value")
    if isinstance(value, dict):
        figures = [value.get(k) for k in ("value", "minValue", "maxValue") if value.get(k) is not None]
        if not figures or not all(_is_number(f) for f in figures):
            problems.append("baseSalary's value is text, not numbers (e.g. minValue 95000, maxValue 105000)")
        if not value.get("unitText"):
            problems.append("baseSalary has no unitText (YEAR, MONTH, DAY or HOUR)")
    elif not _is_number(value):
        problems.append("baseSalary's value is text, not numbers")
    return problems


@advert_check("PAY-03")
def salary_machine_readable(advert: AdvertText, rule: Rule, bundle: CampaignBundle) -> Outcome:
    in_text = advert.shared("salaries", lambda: salary_matches(advert.text))
    structured = advert.advert.structured or {}
    base = structured.get("baseSalary")
    if not in_text and base is None:
        return Outcome(Status.NA, "The advert states no salary (PAY-01 reports that).")
    problems: list[str] = []
    evidence: list = []
    for match in in_text[:5]:
        text = match.salary.text or ""
        if _SHORTHAND.search(text):
            problems.append(f"“{text}” abbreviates the figure: write it in full")
            evidence.append(TextEvidence(quote=text, start=match.start, end=match.end, note="abbreviated"))
        if match.salary.period is None:
            problems.append(f"“{text}” gives no pay period (a year, a day…)")
            evidence.append(TextEvidence(quote=text, start=match.start, end=match.end, note="no pay period"))
    if structured:
        for problem in _base_salary_problems(base):
            problems.append(problem)
            evidence.append(TextEvidence(quote=str(base)[:200], start=0, end=0, field="structured", note=problem))
    if problems:
        return Outcome(
            rule.status_param("status"),
            "The salary is not written so that LinkedIn and search engines can read it: " + "; ".join(problems) + ".",
            evidence,
            {"problems": problems},
        )
    shown = in_text[0].salary.text if in_text else "baseSalary"
    return Outcome(
        Status.PASS,
        f"The salary is machine-readable ({shown}" + (", with a numeric baseSalary)." if structured else ")."),
        [TextEvidence(quote=m.salary.text or "", start=m.start, end=m.end) for m in in_text[:2]],
    )


def _annual_salary(bundle: CampaignBundle) -> tuple[Decimal | None, str]:
    campaign = bundle.campaign
    if campaign is not None and campaign.salary_max is not None and campaign.salary_period in (None, "year"):
        return campaign.salary_max, "campaign salary_max"
    for advert in bundle.adverts:
        if advert.salary is not None and advert.salary.maximum is not None and advert.salary.period in (None, "year"):
            return advert.salary.maximum, f"advert {advert.source_name}"
    return None, ""


def _campaign_rows(bundle: CampaignBundle) -> list[RowRef]:
    campaign = bundle.campaign
    if campaign is None or campaign.row is None:
        return []
    return [RowRef(file=campaign.file or "campaigns", rows=[campaign.row], sheet="Campaigns")]


@campaign_check("PAY-04")
def local_pay_approval(bundle: CampaignBundle, rule: Rule) -> Outcome:
    if bundle.campaign is None:
        return no_campaign()
    if bundle.organisation_type is None:
        return Outcome(Status.NO_DATA, "The employer type is not recorded: " + provide("organisation_type") + ".")
    if bundle.organisation_type != "local_authority":
        return Outcome(Status.NA, "The employer is not a local authority.")
    if bundle.nation is None:
        return Outcome(Status.NO_DATA, "The nation is not recorded: " + provide("nation") + ".")
    if bundle.nation not in rule.param("nations"):
        return Outcome(Status.NA, f"The guidance on a full-council vote applies in {', '.join(rule.param('nations'))}.")
    salary, source = _annual_salary(bundle)
    if salary is None:
        return Outcome(Status.NO_DATA, "No annual salary is recorded: " + provide("salary_max") + ".")
    threshold = Decimal(str(rule.param("threshold")))
    figures: dict[str, Any] = {"salary": f"£{salary:,.0f}", "from": source, "threshold": f"£{threshold:,.0f}"}
    if salary < threshold:
        return Outcome(
            Status.NA,
            f"The salary (£{salary:,.0f}) is below £{threshold:,.0f}: no full-council vote is expected.",
            [DataEvidence("Salary", figures, _campaign_rows(bundle))],
        )
    reference = bundle.campaign.pay_approval_ref
    covered = fact_bool(bundle, "pay_policy_covers")
    figures.update(pay_approval_ref=reference or "not recorded", pay_policy_covers=covered)
    evidence = [DataEvidence("Salary and approval", figures, _campaign_rows(bundle))]
    if reference or covered:
        basis = f"approval reference {reference}" if reference else "the pay policy statement covers it"
        return Outcome(Status.PASS, f"The salary of £{salary:,.0f} has evidence of approval: {basis}.", evidence)
    return Outcome(
        rule.status_param("missing_status"),
        f"The salary of £{salary:,.0f} is £{threshold:,.0f} or more, and no full-council approval is recorded: "
        + provide("pay_approval_ref", "pay_policy_covers")
        + ".",
        evidence,
    )


@campaign_check("PAY-05")
def senior_pay_approval(bundle: CampaignBundle, rule: Rule) -> Outcome:
    if bundle.campaign is None:
        return no_campaign()
    if bundle.organisation_type is None:
        return Outcome(Status.NO_DATA, "The employer type is not recorded: " + provide("organisation_type") + ".")
    if bundle.organisation_type not in rule.param("organisation_types"):
        return Outcome(Status.NA, "The employer is not a government department or arm's-length body.")
    total = fact_money(bundle, "total_remuneration")
    source = "total_remuneration"
    if total is None:
        total, source = _annual_salary(bundle)
    bonus = fact_money(bundle, "bonus_max")
    if total is None and bonus is None:
        return Outcome(
            Status.NO_DATA,
            "Neither the pay nor the bonus is recorded: " + provide("total_remuneration", "bonus_max") + ".",
        )
    pay_limit = Decimal(str(rule.param("pay_threshold")))
    bonus_limit = Decimal(str(rule.param("bonus_threshold")))
    over = []
    if total is not None and total > pay_limit:
        over.append(f"total remuneration £{total:,.0f} is above £{pay_limit:,.0f}")
    if bonus is not None and bonus > bonus_limit:
        over.append(f"the bonus of £{bonus:,.0f} is above £{bonus_limit:,.0f}")
    figures: dict[str, Any] = {
        "total remuneration": f"£{total:,.0f}" if total is not None else "not recorded",
        "from": source,
        "bonus": f"£{bonus:,.0f}" if bonus is not None else "not recorded",
    }
    if not over:
        return Outcome(
            Status.NA,
            "The pay and bonus are within the limits that need Treasury approval.",
            [DataEvidence("Pay", figures, _campaign_rows(bundle))],
        )
    reference = bundle.campaign.pay_approval_ref
    figures["pay_approval_ref"] = reference or "not recorded"
    evidence = [DataEvidence("Pay and approval", figures, _campaign_rows(bundle))]
    if reference:
        return Outcome(Status.PASS, f"{'; '.join(over).capitalize()}, and approval {reference} is recorded.", evidence)
    previous = fact_money(bundle, "previous_holder_pay")
    margin = Decimal(str(rule.param("exempt_increase")))
    if (
        previous is not None
        and total is not None
        and total <= previous * (1 + margin)
        and (bonus is None or bonus <= bonus_limit)
    ):
        return Outcome(
            Status.PASS,
            f"The pay is within {margin:.0%} of the last substantive post-holder's (£{previous:,.0f}), which the "
            "guidance exempts from approval.",
            evidence,
        )
    return Outcome(
        rule.status_param("missing_status"),
        f"{'; '.join(over).capitalize()}, and no Chief Secretary to the Treasury approval is recorded: "
        + provide("pay_approval_ref")
        + ".",
        evidence,
    )

"""Pay transparency: the salary is stated, in figures, and candidates are not asked what they earn (PAY checks).

Policy. UK law does not yet require salaries in adverts, but UK public bodies are expected to be open about pay:
the Government Equalities Office's 2022 pilot asked employers to list salary details and stop asking for salary
history, and the EU Pay Transparency Directive 2023/970 (Art 5) makes both law for roles in the EU. Scrutineer
treats a missing or vague-only salary ("competitive", "negotiable") as a failure for public bodies, a default the
checklist can change, and a pay-history question as a High-severity warning for UK roles and a failure for EU ones.
"""

from __future__ import annotations

from audits.checklist import Rule
from audits.model import CampaignBundle, Outcome, Status, TextEvidence
from audits.registry import advert_check
from audits.text import AdvertText
from importers.values import find_salaries, plausible_pay


def _money(value: object) -> str:
    try:
        return f"£{float(value):,.0f}"  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return str(value)


@advert_check("PAY-01")
def salary_stated(advert: AdvertText, rule: Rule, bundle: CampaignBundle) -> Outcome:
    in_text = [m for m in find_salaries(advert.text) if plausible_pay(m)]
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

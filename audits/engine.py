"""The engine: run a checklist's checks over a campaign bundle and return findings in a stable order.

Findings are deterministic: the same bundle and checklist give the same findings in the same order, so an audit
can be re-run and compared, and a finding's position gives it a stable ID.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from audits import (
    accessibility,
    data_protection,
    disability,
    equality,
    fair_open,
    language,
    linkedin,
    monitoring,
    pay,
    plain_english,
    requirements,
    right_to_work,
    search_firm,
    structured_data,
)
from audits.checklist import Checklist, ChecklistError, Rule
from audits.model import CampaignBundle, Finding, Outcome, Status
from audits.registry import CHECKS
from audits.scoring import Score, score_findings
from audits.text import AdvertText

FAMILY_MODULES = (
    equality,
    requirements,
    disability,
    right_to_work,
    pay,
    language,
    plain_english,
    structured_data,
    accessibility,
    data_protection,
    fair_open,
    linkedin,
    monitoring,
    search_firm,
)


@dataclass
class AuditResult:
    findings: list[Finding]
    score: Score
    checklist: Checklist
    skipped: list[str] = field(default_factory=list)  # checks in the checklist Scrutineer cannot run


def validate(checklist: Checklist) -> list[str]:
    """Check IDs in the checklist that have no implementation, and scopes that disagree with the code."""
    problems = []
    for rule in checklist.rules:
        spec = CHECKS.get(rule.id)
        if spec is None:
            problems.append(f"{rule.id}: no such check in this version of Scrutineer")
        elif spec.scope != rule.scope:
            problems.append(f"{rule.id}: the checklist says scope {rule.scope!r} but the check is {spec.scope!r}")
    return problems


def _finding(rule: Rule, outcome: Outcome, subject: str, kind: str, index: int | None) -> Finding:
    return Finding(
        check_id=rule.id,
        title=rule.title,
        family=rule.family,
        severity=outcome.severity or rule.severity,
        status=outcome.status,
        subject=subject,
        summary=outcome.summary,
        evidence=list(outcome.evidence),
        reference=rule.reference,
        suggestion=rule.suggestion if outcome.status in (Status.WARN, Status.FAIL, Status.NO_DATA) else "",
        details=dict(outcome.details),
        subject_kind=kind,
        subject_index=index,
    )


def run(
    checklist: Checklist,
    bundle: CampaignBundle,
    *,
    scopes: Iterable[str] = ("advert", "campaign"),
    only: Iterable[str] | None = None,
) -> AuditResult:
    """Run every enabled check of `checklist` in the given scopes over `bundle`."""
    scopes = tuple(scopes)
    wanted = set(only) if only else None
    findings: list[Finding] = []
    skipped: list[str] = []
    texts = [AdvertText(advert, index) for index, advert in enumerate(bundle.adverts)]
    for rule in checklist.enabled_rules:
        if wanted is not None and rule.id not in wanted:
            continue
        spec = CHECKS.get(rule.id)
        if spec is None:
            skipped.append(rule.id)
            continue
        if spec.scope not in scopes:
            continue
        if spec.scope == "advert":
            if not texts:
                outcome = Outcome(
                    Status.NO_DATA,
                    "No advert was imported for this campaign: import the advert "
                    "(a web page, a JobPosting file or its text) to run this check.",
                )
                findings.append(_finding(rule, outcome, "Adverts", "campaign", None))
                continue
            for text in texts:
                outcome = spec.function(text, rule, bundle)
                findings.append(_finding(rule, outcome, text.subject, "advert", text.index))
        else:
            outcome = spec.function(bundle, rule)
            subject = "Campaign " + bundle.campaign.campaign_ref if bundle.campaign else "Campaign"
            findings.append(_finding(rule, outcome, subject, "campaign", None))
    return AuditResult(
        findings=findings, score=score_findings(findings, checklist.scoring), checklist=checklist, skipped=skipped
    )


def ensure_valid(checklist: Checklist) -> None:
    problems = validate(checklist)
    if problems:
        raise ChecklistError("; ".join(problems))

"""The engine: run a checklist's checks over a campaign bundle and return findings in a stable order.

Findings are deterministic: the same bundle and checklist give the same findings in the same order, so an audit
can be re-run and compared, and a finding's position gives it a stable ID.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
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
from audits.registry import CHECKS, CheckSpec
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


def numbered_findings(
    checklist: Checklist,
    bundle: CampaignBundle,
    *,
    scopes: Iterable[str] = ("advert", "campaign"),
    only: Iterable[str] | None = None,
    skipped: list[str] | None = None,
) -> Iterator[tuple[int, Finding]]:
    """Every enabled check of `checklist` in the given scopes over `bundle`, one finding at a time, each with its
    place in the audit (0, 1, 2…).

    Places follow the checklist: the campaign checks first, then each advert check over every advert in turn, so
    a reader sees one check's findings together. The work runs in another order: one advert is read (tokenised,
    split into sentences) at a time and let go once all its checks have run, so a campaign with thousands of
    adverts needs the memory of one. Callers that store findings put them in place by number.
    """
    scopes = tuple(scopes)
    wanted = set(only) if only else None
    advert_rules: list[tuple[Rule, CheckSpec]] = []
    place = 0
    for rule in checklist.enabled_rules:
        if wanted is not None and rule.id not in wanted:
            continue
        spec = CHECKS.get(rule.id)
        if spec is None:
            if skipped is not None:
                skipped.append(rule.id)
            continue
        if spec.scope not in scopes:
            continue
        if spec.scope == "advert":
            advert_rules.append((rule, spec))
        else:
            subject = "Campaign " + bundle.campaign.campaign_ref if bundle.campaign else "Campaign"
            yield place, _finding(rule, spec.function(bundle, rule), subject, "campaign", None)
            place += 1
    if not bundle.adverts:
        outcome = Outcome(
            Status.NO_DATA,
            "No advert was imported for this campaign: import the advert "
            "(a web page, a JobPosting file or its text) to run this check.",
        )
        for offset, (rule, _spec) in enumerate(advert_rules):
            yield place + offset, _finding(rule, outcome, "Adverts", "campaign", None)
        return
    count = len(bundle.adverts)
    for index, advert in enumerate(bundle.adverts):
        text = AdvertText(advert, index)
        for position, (rule, spec) in enumerate(advert_rules):
            finding = _finding(rule, spec.function(text, rule, bundle), text.subject, "advert", index)
            yield place + position * count + index, finding


def findings_in_order(checklist: Checklist, bundle: CampaignBundle, **options: object) -> list[Finding]:
    """Every finding, in its place (see `numbered_findings`)."""
    numbered = sorted(numbered_findings(checklist, bundle, **options), key=lambda pair: pair[0])  # type: ignore[arg-type]
    return [finding for _place, finding in numbered]


def run(
    checklist: Checklist,
    bundle: CampaignBundle,
    *,
    scopes: Iterable[str] = ("advert", "campaign"),
    only: Iterable[str] | None = None,
) -> AuditResult:
    """Run every enabled check of `checklist` in the given scopes over `bundle`, keeping the findings."""
    skipped: list[str] = []
    findings = findings_in_order(checklist, bundle, scopes=scopes, only=only, skipped=skipped)
    return AuditResult(
        findings=findings, score=score_findings(findings, checklist.scoring), checklist=checklist, skipped=skipped
    )


def ensure_valid(checklist: Checklist) -> None:
    problems = validate(checklist)
    if problems:
        raise ChecklistError("; ".join(problems))

"""Scoring a campaign from its findings, by the rule the checklist states.

score = 100 × Σ(weight of severity × credit of status) / Σ(weight of severity), over findings that passed,
warned or failed. "n/a" and "no data" findings do not count either way; they are reported beside the score.

RAG: Red when any Critical check fails (if the checklist says so) or the score is below `amber_from`; Amber when
the score is below `green_from` or (if the checklist says so) any High check fails; Green otherwise. A campaign
with nothing scored is "Not rated". The checklist's `[scoring]` table holds every number.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import NamedTuple

from audits.checklist import Scoring
from audits.model import Finding, Severity, Status

SCORED = (Status.PASS, Status.WARN, Status.FAIL)
STATUSES = tuple(Status)  # iterating an Enum class is slow; these are read for every audit
SEVERITIES = tuple(Severity)


@dataclass(frozen=True)
class Score:
    value: float | None  # 0–100, one decimal; None when nothing was scored
    rag: str  # "Red", "Amber", "Green" or "Not rated"
    reason: str
    by_status: dict[str, int] = field(default_factory=dict)
    by_severity_status: dict[str, dict[str, int]] = field(default_factory=dict)


class Scored(NamedTuple):
    """What scoring reads of a finding: enough to score 100,000 findings without keeping them."""

    check_id: str
    severity: Severity
    status: Status


def score_findings(findings: Sequence[Finding | Scored], scoring: Scoring) -> Score:
    # Count by the enum members themselves (reading `.value` per finding is slow); convert to text once.
    pairs = Counter((f.severity, f.status) for f in findings)
    grid: dict[str, dict[str, int]] = {
        severity.value: {status.value: pairs.get((severity, status), 0) for status in STATUSES}
        for severity in SEVERITIES
    }
    counts = {status.value: sum(pairs.get((severity, status), 0) for severity in SEVERITIES) for status in STATUSES}
    total = earned = 0.0
    for (severity, status), count in pairs.items():
        if status not in SCORED:
            continue
        weight = scoring.weights[severity] * count
        total += weight
        earned += weight * scoring.credit[status]
    if total == 0:
        return Score(None, "Not rated", "No check could be scored: import the campaign data and adverts.", counts, grid)
    value = round(100 * earned / total, 1)
    critical_fails = [f for f in findings if f.severity is Severity.CRITICAL and f.status is Status.FAIL]
    high_fails = [f for f in findings if f.severity is Severity.HIGH and f.status is Status.FAIL]
    if scoring.red_if_critical_fail and critical_fails:
        ids = ", ".join(sorted({f.check_id for f in critical_fails}))
        return Score(value, "Red", f"A Critical check failed ({ids}).", counts, grid)
    if value < scoring.amber_from:
        return Score(value, "Red", f"The score is below {scoring.amber_from:g}.", counts, grid)
    if value < scoring.green_from:
        return Score(value, "Amber", f"The score is below {scoring.green_from:g}.", counts, grid)
    if scoring.amber_if_high_fail and high_fails:
        ids = ", ".join(sorted({f.check_id for f in high_fails}))
        return Score(value, "Amber", f"A High check failed ({ids}).", counts, grid)
    return Score(
        value,
        "Green",
        f"The score is {scoring.green_from:g} or more and no Critical or High check failed.",
        counts,
        grid,
    )

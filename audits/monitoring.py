"""Equality monitoring through the campaign: who is recorded at each stage, and who drops out (PSED-01, ES-02, ES-03).

Policy. A public authority must have due regard to the aims of the Public Sector Equality Duty (Equality Act 2010
s.149), and English bodies with 150 or more staff publish equality information every year (SI 2017/353 reg 4). When
an agency runs the recruitment, the authority can show due regard only if the agency reports sex, ethnicity and
disability at each stage: applicants, long list, short list, interview, offer and appointment (PSED-01). The Standard
Voluntary Code of Conduct for Executive Search Firms (2021) adds ethnic diversity to its focus, so ethnicity must be
reported at the long- and short-list stages (ES-02); no target number is set. Where groups progress at different
rates, Scrutineer compares each group's selection rate with the highest group's: a ratio below 0.8 (the US
"four-fifths" heuristic; not a UK legal test) is a prompt to look at the stage, not a finding of discrimination (ES-03).
"Prefer not to say" counts as recorded.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from audits.checklist import Rule
from audits.common import share
from audits.model import CampaignBundle, DataEvidence, Outcome, Status
from audits.registry import campaign_check
from audits.search_firm import row_refs
from importers.records import CandidateRecord

CHARACTERISTICS = ("sex", "ethnicity_group", "disability")
LABELS = {"sex": "sex", "ethnicity_group": "ethnicity", "disability": "disability"}
NO_CANDIDATES = Outcome(
    Status.NO_DATA,
    "No candidate records were imported: import the Candidates sheet of the agency template with stage_reached, "
    "sex, ethnicity_group and disability.",
)


def at_stage(candidates: list[CandidateRecord], stage: str) -> list[CandidateRecord]:
    """Candidates who reached `stage`; "all" is everyone in the campaign's records (the applicant pool)."""
    if stage == "all":
        return list(candidates)
    return [c for c in candidates if c.reached(stage)]


def _recorded(candidates: list[CandidateRecord], characteristic: str) -> int:
    return sum(1 for c in candidates if getattr(c, characteristic) is not None)


@campaign_check("PSED-01")
def monitoring_each_stage(bundle: CampaignBundle, rule: Rule) -> Outcome:
    if not bundle.candidates:
        return NO_CANDIDATES
    minimum = float(rule.param("min_recorded_share"))
    figures: dict[str, Any] = {}
    missing: list[str] = []
    any_recorded = False
    for stage in rule.param("stages"):
        people = at_stage(bundle.candidates, stage)
        if not people:
            continue
        gaps = []
        for characteristic in CHARACTERISTICS:
            count = _recorded(people, characteristic)
            any_recorded = any_recorded or count > 0
            figures[f"{stage}: {LABELS[characteristic]} recorded"] = f"{count} of {len(people)}"
            if share(count, len(people)) < minimum:
                gaps.append(LABELS[characteristic])
        if gaps:
            missing.append(f"{stage} ({', '.join(gaps)})")
    evidence = [DataEvidence("Equality monitoring by stage", figures, row_refs(bundle.candidates))]
    if not any_recorded:
        return Outcome(
            rule.status_param("none_status"),
            "No candidate record holds sex, ethnicity or disability: the agency reports no equality monitoring.",
            evidence,
        )
    if missing:
        return Outcome(
            rule.status_param("gap_status"),
            f"Monitoring is missing or thin (under {minimum:.0%} recorded) at: " + "; ".join(missing) + ".",
            evidence,
            {"gaps": missing},
        )
    return Outcome(
        Status.PASS, "Sex, ethnicity and disability are recorded at every stage the campaign reached.", evidence
    )


@campaign_check("ES-02")
def ethnicity_reported(bundle: CampaignBundle, rule: Rule) -> Outcome:
    if not bundle.candidates:
        return NO_CANDIDATES
    minimum = float(rule.param("min_recorded_share"))
    figures: dict[str, Any] = {}
    gaps = []
    reached_any = False
    used: list[CandidateRecord] = []
    for stage in rule.param("stages"):
        people = at_stage(bundle.candidates, stage)
        if not people:
            continue
        reached_any = True
        used.extend(people)
        counts = Counter(c.ethnicity_group or "not recorded" for c in people)
        figures[f"{stage}"] = ", ".join(f"{group} {n}" for group, n in sorted(counts.items()))
        if share(len(people) - counts["not recorded"], len(people)) < minimum:
            gaps.append(stage)
    if not reached_any:
        return Outcome(Status.NO_DATA, "No candidate reached the long list in the imported data: check stage_reached.")
    evidence = [DataEvidence("Ethnicity by stage", figures, row_refs(list({id(c): c for c in used}.values())))]
    if gaps:
        return Outcome(
            rule.status_param("status"),
            "Ethnicity is not reported at: " + ", ".join(gaps) + f" (under {minimum:.0%} of candidates recorded).",
            evidence,
        )
    return Outcome(Status.PASS, "Ethnicity is reported at the long- and short-list stages.", evidence)


def _group(candidate: CandidateRecord, characteristic: str, rule: Rule) -> str | None:
    value = getattr(candidate, characteristic)
    if value is None or value == "prefer_not_to_say":
        return None
    if characteristic == "ethnicity_group":
        return "white" if value == "white" else "ethnic minority"
    if characteristic == "sex" and value not in ("female", "male"):
        return None
    return value


@campaign_check("ES-03")
def adverse_impact(bundle: CampaignBundle, rule: Rule) -> Outcome:
    if not bundle.candidates:
        return NO_CANDIDATES
    minimum_group = int(rule.param("min_group_size"))
    ratio_limit = float(rule.param("min_ratio"))
    compared = 0
    flagged: list[str] = []
    evidence: list[DataEvidence] = []
    for transition in rule.param("transitions"):
        start, end = transition.split(">")
        pool = [
            c for c in at_stage(bundle.candidates, start.strip()) if not (c.withdrawn and not c.reached(end.strip()))
        ]
        for characteristic in CHARACTERISTICS:
            groups: dict[str, list[CandidateRecord]] = {}
            for candidate in pool:
                group = _group(candidate, characteristic, rule)
                if group is not None:
                    groups.setdefault(group, []).append(candidate)
            sized = {g: people for g, people in groups.items() if len(people) >= minimum_group}
            if len(sized) < 2:
                continue
            compared += 1
            rates = {
                g: share(sum(1 for c in people if c.reached(end.strip())), len(people)) for g, people in sized.items()
            }
            top = max(rates.values())
            low_group = min(rates, key=lambda g: rates[g])
            ratio = rates[low_group] / top if top else 1.0
            label = f"{start.strip()} → {end.strip()} by {LABELS[characteristic]}"
            figures = {
                f"{g} selected": f"{sum(1 for c in sized[g] if c.reached(end.strip()))} of {len(sized[g])} "
                f"({rates[g]:.0%})"
                for g in sorted(sized)
            }
            figures["lowest ÷ highest"] = round(ratio, 2)
            if ratio < ratio_limit:
                flagged.append(f"{label}: {low_group} {rates[low_group]:.0%} against {top:.0%} (ratio {ratio:.2f})")
                evidence.append(DataEvidence(label, figures, row_refs([c for p in sized.values() for c in p])))
            elif len(evidence) < 6:
                evidence.append(DataEvidence(label, figures))
    if compared == 0:
        return Outcome(
            Status.NA,
            f"No stage has two groups of {minimum_group} or more candidates to compare: too few "
            "to judge adverse impact.",
        )
    if flagged:
        return Outcome(
            rule.status_param("status"),
            "Selection rates differ between groups at: "
            + "; ".join(flagged)
            + f". A ratio below {ratio_limit:g} is a prompt to review the stage, not a finding of "
            "discrimination.",
            evidence,
            {"flagged": flagged},
        )
    return Outcome(
        Status.PASS,
        f"At the {compared} comparison(s) with enough candidates, every group's selection rate "
        f"is at least {ratio_limit:g} of the highest.",
        evidence,
    )

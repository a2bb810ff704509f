"""Fair and open competition, and sector rules for senior and public appointments (FOC checks).

Policy. Civil servants are selected "on merit on the basis of fair and open competition" (Constitutional Reform and
Governance Act 2010 s.10(2)); the Civil Service Commission's Recruitment Principles define "open" as advertised
publicly, with reasonable access to information about the job, its requirements and the selection process (FOC-01).
A Commissioner chairs the panel for external Director (SCS2) competitions and for Director General (SCS3) and
Permanent Secretary competitions, internal or external (FOC-02). NHS board members must pass the Fit and Proper
Person Test (NHS England FPPT Framework 2023, under the Health and Social Care Act 2008 (Regulated Activities)
Regulations 2014 reg 5) (FOC-05). Welsh public bodies subject to the Welsh Language Standards must assess each post's
Welsh-language skills as essential, to be learnt, desirable or not necessary, and say so in the advert — e.g. the
Welsh Language Standards (No. 8) Regulations 2022, Standard 57; inventing another category has been found a breach
(FOC-07). Each check applies only to its sector and says "n/a" elsewhere, or "no data" when the sector is unknown.
"""

from __future__ import annotations

from audits.checklist import Rule
from audits.common import Part, combine, fact, fact_bool, no_campaign, provide, quotes
from audits.model import CampaignBundle, DataEvidence, Outcome, Status
from audits.registry import advert_check, campaign_check
from audits.text import AdvertText, find_terms


def _sector_unknown(what: str, column: str) -> Outcome:
    return Outcome(Status.NO_DATA, f"The {what} is not recorded: " + provide(column) + ".")


@advert_check("FOC-01")
def fair_and_open(advert: AdvertText, rule: Rule, bundle: CampaignBundle) -> Outcome:
    civil_service_text = advert.search(rule.param("civil_service_markers"))
    if bundle.organisation_type is None and not civil_service_text:
        return _sector_unknown("employer type", "organisation_type")
    if bundle.organisation_type not in rule.param("organisation_types") and not civil_service_text:
        return Outcome(Status.NA, "The employer is not a Civil Service body: the Recruitment Principles do not apply.")
    record = advert.advert
    public = bool(record.url) or record.source_name.lower().startswith(("http://", "https://"))
    if not public and bundle.campaign is not None and bundle.campaign.advert_live_date is not None:
        public = True
    exception = fact(bundle, "exception_type")
    parts = [
        Part(
            "public advert",
            Status.PASS if public else (Status.WARN if exception else rule.status_param("not_public_status")),
            "The advert was published."
            if public
            else (
                f"No public advert is recorded; the campaign records an exception ({exception})."
                if exception
                else "No public advert is recorded (no URL, no advert_live_date) and no exception to fair and open "
                "competition is recorded."
            ),
        )
    ]
    for name, key in (
        ("job description", "job_description_markers"),
        ("criteria", "criteria_markers"),
        ("selection process", "selection_process_markers"),
    ):
        found = advert.search(rule.param(key))
        parts.append(
            Part(
                name,
                Status.PASS if found else rule.status_param("missing_status"),
                f"The {name} is described." if found else f"The advert does not describe the {name}.",
            )
        )
    closes = record.valid_through or record.closing_date_text
    parts.append(
        Part(
            "closing date",
            Status.PASS if closes else rule.status_param("missing_status"),
            f"It closes on {closes:%d %B %Y}." if closes else "It states no closing date.",
        )
    )
    return combine(parts, advert.evidence(civil_service_text[:1], note="Civil Service"))


def _matches(value: str | None, entries: list[str]) -> bool:
    return bool(value) and bool(find_terms(value or "", tuple(entries)))


@campaign_check("FOC-02")
def commissioner_chair(bundle: CampaignBundle, rule: Rule) -> Outcome:
    campaign = bundle.campaign
    if campaign is None:
        return no_campaign()
    if bundle.organisation_type is None:
        return _sector_unknown("employer type", "organisation_type")
    if bundle.organisation_type not in rule.param("organisation_types"):
        return Outcome(
            Status.NA, "The employer is not a Civil Service department: Commissioner-chaired competitions do not apply."
        )
    if not campaign.grade:
        return _sector_unknown("grade", "grade")
    always = _matches(campaign.grade, rule.param("all_competition_grades"))
    external_only = _matches(campaign.grade, rule.param("external_competition_grades"))
    if not (always or external_only):
        return Outcome(Status.NA, f"The grade ({campaign.grade}) is below those that need a Commissioner to chair.")
    competition = fact(bundle, "competition_type")
    if external_only and not always:
        if competition == "internal":
            return Outcome(
                Status.NA, f"An internal {campaign.grade} competition does not need a Commissioner to chair."
            )
        if competition is None and not rule.param("assume_external"):
            return _sector_unknown("competition type (external or internal)", "competition_type")
    figures = {
        "grade": campaign.grade,
        "competition": competition or "external (assumed)",
        "commissioner_chair": campaign.commissioner_chair,
    }
    evidence = [DataEvidence("Competition", figures)]
    if campaign.commissioner_chair is None:
        return Outcome(
            Status.NO_DATA,
            f"A {campaign.grade} competition needs a Civil Service Commissioner to chair the "
            "panel; whether one did is not recorded: " + provide("commissioner_chair") + ".",
            evidence,
        )
    if campaign.commissioner_chair:
        return Outcome(Status.PASS, f"A Commissioner chaired the {campaign.grade} competition.", evidence)
    return Outcome(
        rule.status_param("status"),
        f"The {campaign.grade} competition was not chaired by a Civil Service Commissioner.",
        evidence,
    )


@campaign_check("FOC-05")
def fit_and_proper(bundle: CampaignBundle, rule: Rule) -> Outcome:
    campaign = bundle.campaign
    if campaign is None:
        return no_campaign()
    if bundle.organisation_type is None:
        return _sector_unknown("employer type", "organisation_type")
    if bundle.organisation_type != "nhs":
        return Outcome(Status.NA, "The employer is not an NHS body.")
    role = " ".join(filter(None, (campaign.role_title, campaign.grade)))
    if not role:
        return _sector_unknown("role title", "role_title")
    if not _matches(role, rule.param("board_roles")):
        return Outcome(Status.NA, f"The role ({role}) is not a board role.")
    mentioned = [
        span for advert in bundle.adverts for span in find_terms(advert.text, tuple(rule.param("fppt_markers")))
    ]
    completed = fact_bool(bundle, "fppt_checks_completed")
    appointed = campaign.offer_date is not None or any(c.reached("offered") for c in bundle.candidates)
    parts = [
        Part(
            "advert",
            (Status.PASS if mentioned else rule.status_param("status")) if bundle.adverts else None,
            (
                "The advert tells candidates about the Fit and Proper Person Test."
                if mentioned
                else "The advert does not mention the Fit and Proper Person Test."
            )
            if bundle.adverts
            else "No advert was imported to see whether it mentions the Fit and Proper Person Test.",
        )
    ]
    if appointed:
        parts.append(
            Part(
                "checks",
                None if completed is None else (Status.PASS if completed else rule.status_param("status")),
                "The FPPT checks are recorded as completed."
                if completed
                else (
                    "The FPPT checks are recorded as not completed."
                    if completed is False
                    else "Whether the FPPT checks were completed is not recorded: "
                    + provide("fppt_checks_completed")
                    + "."
                ),
            )
        )
    return combine(parts, [DataEvidence("Board role", {"role": role, "fppt_checks_completed": completed})])


@advert_check("FOC-07")
def welsh_language_category(advert: AdvertText, rule: Rule, bundle: CampaignBundle) -> Outcome:
    if bundle.nation is None:
        return _sector_unknown("nation", "nation")
    if bundle.nation != "wales":
        return Outcome(Status.NA, "The employer is not in Wales: the Welsh Language Standards do not apply.")
    invented = advert.search(rule.param("invented_categories"))
    stated = advert.search(rule.param("category_phrases"))
    recorded = fact(bundle, "welsh_language_category")
    if invented:
        return Outcome(
            rule.status_param("status"),
            f"The advert uses a Welsh-language category the Standards do not have ({quotes(invented)}): use "
            "essential, to be learnt, desirable or not necessary.",
            advert.evidence(invented),
        )
    if stated:
        return Outcome(
            Status.PASS,
            f"The advert states the post's Welsh-language category ({quotes(stated)}).",
            advert.evidence(stated[:2]),
        )
    return Outcome(
        rule.status_param("status"),
        "The advert does not state the post's Welsh-language category (essential, to be learnt, desirable or not "
        "necessary)" + (f", though the campaign records it as {recorded.replace('_', ' ')}." if recorded else "."),
    )

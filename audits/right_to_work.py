"""Right to work: how the advert states the immigration checks every employer must make (RTW checks).

Policy. Employers must check every new starter's right to work in the UK, and the Home Office Code of practice for
employers: avoiding unlawful discrimination while preventing illegal working (in force 6 April 2022, issued under
the Immigration, Asylum and Nationality Act 2006 s.23) says to treat all applicants the same: a statement that
applies to every successful candidate is right, one aimed at "foreign" or "non-UK" applicants is a race
discrimination risk (RTW-02). The civil-penalty scheme of the 2006 Act replaced the Asylum and Immigration Act 1996
s.8 on 29 February 2008 (SI 2008/310), so an advert that still cites the 1996 Act is out of date (RTW-01).
"""

from __future__ import annotations

from audits.checklist import Rule
from audits.common import quotes
from audits.model import CampaignBundle, Outcome, Status
from audits.registry import advert_check
from audits.text import AdvertText


@advert_check("RTW-01")
def obsolete_reference(advert: AdvertText, rule: Rule, bundle: CampaignBundle) -> Outcome:
    hits = advert.search(rule.param("obsolete_phrases"), rule.exception_phrases)
    if hits:
        return Outcome(
            rule.status_param("status"),
            f"The advert cites repealed right-to-work law ({quotes(hits)}): the checks now rest on the "
            "Immigration, Asylum and Nationality Act 2006.",
            advert.evidence(hits),
        )
    return Outcome(Status.PASS, "The advert cites no repealed right-to-work law.")


@advert_check("RTW-02")
def non_discriminatory_statement(advert: AdvertText, rule: Rule, bundle: CampaignBundle) -> Outcome:
    targeted = advert.search(rule.param("targeted_phrases"), rule.exception_phrases)
    universal = advert.search(rule.param("universal_phrases"))
    if targeted:
        return Outcome(
            rule.status_param("targeted_status"),
            f"The right-to-work wording is aimed at some applicants ({quotes(targeted)}) rather than applying to "
            "all: a race-discrimination risk under the Home Office code of practice; refer it for review.",
            advert.evidence(targeted) + advert.evidence(universal[:1], note="statement for all"),
        )
    if universal:
        return Outcome(
            Status.PASS,
            "The right-to-work statement applies to all applicants.",
            advert.evidence(universal[:2]),
        )
    return Outcome(Status.NA, "The advert makes no right-to-work statement: nothing to judge.")

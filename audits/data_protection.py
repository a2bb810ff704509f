"""Data protection for candidates: privacy notices, separate monitoring, Art 14 notices and retention (DP checks).

Policy. UK GDPR Art 13 requires a privacy notice when data is collected from the applicant, naming the controller(s):
an advert or application page should link to it (DP-01). Candidates a search firm finds on LinkedIn or elsewhere
must receive the Art 14 information, including where their data came from, at the first communication and at the
latest within one month of obtaining it (Art 14(3)) (DP-02). Diversity monitoring is a purpose the Equality Act
2010 s.60(6) permits only when kept apart from the assessed application; the GLA's practice is to say so and keep it
from the panel (DP-06). Storage limitation (Art 5(1)(e)) means unsuccessful candidates' data is deleted after the
period the notice states; six months after the campaign is common public-sector practice (DP-04). The ICO's draft
recruitment guidance (consultation closed 5 March 2024) addresses agencies and head-hunters directly.
"""

from __future__ import annotations

import datetime as dt
import re

from audits.checklist import Rule
from audits.common import fact, fact_bool, no_campaign, provide, quotes
from audits.model import CampaignBundle, DataEvidence, Outcome, Status, TextEvidence
from audits.registry import advert_check, campaign_check
from audits.search_firm import row_refs
from audits.structured_data import not_a_page
from audits.text import AdvertText, find_terms
from importers.records import OutreachRecord, RowRef

_URL = re.compile(r"https?://\S+|www\.\S+", re.IGNORECASE)


def outreach_refs(messages: list[OutreachRecord]) -> list[RowRef]:
    by_file: dict[str, list[int]] = {}
    for message in messages:
        if message.row is not None:
            by_file.setdefault(message.file or "outreach", []).append(message.row)
    return [RowRef(file=file, rows=sorted(rows), sheet="Outreach") for file, rows in sorted(by_file.items())]


@advert_check("DP-01")
def privacy_notice(advert: AdvertText, rule: Rule, bundle: CampaignBundle) -> Outcome:
    entries = tuple(rule.param("notice_phrases"))
    links = [
        link
        for link in advert.advert.links
        if find_terms(link.text, entries) or find_terms(link.href.replace("-", " ").replace("_", " "), entries)
    ]
    mentions = advert.search(entries)
    linked_in_text = [m for m in mentions if _URL.search(advert.text[m.end : m.end + 160])]
    if links:
        return Outcome(
            Status.PASS,
            f"The page links to a privacy notice: “{links[0].text}” → {links[0].href[:160]}.",
            [DataEvidence("Privacy notice link", {"link": links[0].href[:300]})],
        )
    if linked_in_text:
        return Outcome(
            Status.PASS, "The advert gives the address of its privacy notice.", advert.evidence(linked_in_text[:2])
        )
    if mentions:
        return Outcome(
            rule.status_param("unlinked_status"),
            f"The advert mentions a privacy notice ({quotes(mentions)}) but does not link to it.",
            advert.evidence(mentions[:3]),
        )
    if not advert.advert.links and not_a_page(advert) is not None:
        return Outcome(
            Status.NO_DATA,
            "The advert text does not mention a privacy notice, and its page was not imported: import the page "
            "(fetch-advert URL) so its links can be checked.",
        )
    return Outcome(rule.status_param("missing_status"), "The advert neither links to nor mentions a privacy notice.")


@advert_check("DP-06")
def separate_monitoring(advert: AdvertText, rule: Rule, bundle: CampaignBundle) -> Outcome:
    separation = advert.search(rule.param("separation_phrases"))
    monitoring_entries = tuple(rule.param("monitoring_question_terms"))
    mixed = [
        (index, question)
        for index, question in enumerate(advert.advert.questions)
        if find_terms(question, monitoring_entries, rule.exception_phrases)
    ]
    evidence = [
        TextEvidence(quote=question[:160], start=0, end=len(question[:160]), field="question", note=f"question {i + 1}")
        for i, question in mixed[:10]
    ] + advert.evidence(separation[:2], note="separation statement")
    if mixed and not separation:
        return Outcome(
            rule.status_param("mixed_status"),
            f"{len(mixed)} diversity-monitoring question(s) sit in the application form, with no statement that they "
            "are kept from the people who assess it.",
            evidence,
        )
    if mixed:
        return Outcome(
            rule.status_param("mixed_with_statement_status"),
            f"{len(mixed)} monitoring question(s) appear on the application page, though the advert says monitoring "
            "is kept separate: check the form really separates them.",
            evidence,
        )
    if separation:
        return Outcome(
            Status.PASS, "The advert says diversity monitoring is kept separate from the assessment.", evidence
        )
    if advert.advert.questions:
        return Outcome(
            Status.PASS,
            f"The {len(advert.advert.questions)} application question(s) hold no diversity-monitoring question.",
        )
    return Outcome(
        Status.NO_DATA,
        "No application form was imported and the advert does not say how monitoring is handled: import the "
        "application page, or state that monitoring is separate from the assessed application.",
    )


@campaign_check("DP-02")
def sourced_candidates_notice(bundle: CampaignBundle, rule: Rule) -> Outcome:
    if bundle.campaign is None:
        return no_campaign()
    sourced = [c for c in bundle.candidates if c.source in rule.param("sourced_sources")]
    messages = [m for m in bundle.outreach if m.privacy_notice_included is not None]
    if not sourced and not bundle.outreach:
        return Outcome(
            Status.NO_DATA,
            "No sourced candidates or outreach messages were imported: import the Candidates sheet (with source) "
            "and the Outreach sheet (with privacy_notice_included).",
        )
    evidence = []
    problems: list[str] = []
    unknown: list[str] = []
    if messages:
        without = [m for m in messages if not m.privacy_notice_included]
        evidence.append(
            DataEvidence(
                "Outreach messages and privacy notices",
                {"messages": len(messages), "without a notice": len(without)},
                outreach_refs(without or messages),
            )
        )
        if without:
            problems.append(f"{len(without)} of {len(messages)} outreach messages carried no privacy notice.")
    else:
        unknown.append("whether first messages carried a privacy notice (privacy_notice_included in Outreach)")
    names_source = fact_bool(bundle, "privacy_notice_names_source")
    if names_source is False:
        problems.append("The notice used does not say where the candidate's details came from.")
    elif names_source is None:
        unknown.append("whether the notice names the source of the data (privacy_notice_names_source)")
    limit = int(rule.param("max_days"))
    dated = [c for c in sourced if c.identified_date is not None]
    late = []
    for candidate in dated:
        told_by = candidate.first_contact_date or bundle.as_of
        if (told_by - candidate.identified_date).days > limit:
            late.append(candidate)
    if dated:
        evidence.append(
            DataEvidence(
                f"Sourced candidates told more than {limit} days after their details were obtained",
                {"sourced with dates": len(dated), "late or not yet told": len(late)},
                row_refs(late or dated),
            )
        )
        if late:
            problems.append(
                f"{len(late)} sourced candidate(s) were contacted, or are still held uncontacted, more than "
                f"{limit} days after their details were obtained (Art 14(3)(a): one month at most)."
            )
    elif sourced:
        unknown.append("when each sourced candidate's details were obtained (identified_date in Candidates)")
    details = {"sourced": len(sourced), "messages": len(messages), "late": len(late)}
    if problems:
        return Outcome(
            rule.status_param("status"),
            " ".join(problems) + (" Not recorded: " + "; ".join(unknown) + "." if unknown else ""),
            evidence,
            details,
        )
    if unknown:
        return Outcome(Status.NO_DATA, "To finish this check, record " + "; ".join(unknown) + ".", evidence, details)
    return Outcome(
        Status.PASS,
        "Every outreach message carried a privacy notice naming the source, and sourced candidates were told within "
        f"{limit} days.",
        evidence,
        details,
    )


def _campaign_end(bundle: CampaignBundle) -> tuple[dt.date | None, str]:
    campaign = bundle.campaign
    assert campaign is not None
    for name in ("start_date", "offer_date", "interview_date", "shortlist_date", "closing_date"):
        value = getattr(campaign, name)
        if value is not None:
            return value, name
    return None, ""


@campaign_check("DP-04")
def retention(bundle: CampaignBundle, rule: Rule) -> Outcome:
    if bundle.campaign is None:
        return no_campaign()
    months = fact(bundle, "retention_months")
    if months is None:
        return Outcome(
            Status.NO_DATA,
            "The retention period the candidate privacy notice states is not recorded: "
            + provide("retention_months")
            + " (write “not stated” if the notice gives none).",
        )
    if months == "not stated":
        return Outcome(
            rule.status_param("not_stated_status"),
            "The candidate privacy notice states no retention period for unsuccessful candidates' data.",
        )
    try:
        months = int(months)
    except (TypeError, ValueError):
        return Outcome(
            Status.NO_DATA,
            f"The retention period “{months}” is not a number of months: " + provide("retention_months") + ".",
        )
    ended, which = _campaign_end(bundle)
    if ended is None:
        return Outcome(
            Status.NA,
            f"The campaign has not ended (no {which or 'closing or appointment'} date): retention is not yet due.",
        )
    deadline = _add_months(ended, months)
    unsuccessful = [c for c in bundle.candidates if not c.reached("appointed")]
    figures = {
        "retention (months)": months,
        "campaign ended": ended.isoformat(),
        "from": which,
        "delete by": deadline.isoformat(),
        "audit date": bundle.as_of.isoformat(),
        "unsuccessful candidates held": len(unsuccessful),
    }
    evidence = [DataEvidence("Retention", figures, row_refs(unsuccessful))]
    if bundle.as_of > deadline and unsuccessful:
        return Outcome(
            rule.status_param("overdue_status"),
            f"The campaign ended on {ended:%d %B %Y} and the notice allows {months} months, yet the agency's tracker "
            f"as imported still holds {len(unsuccessful)} unsuccessful candidate(s) after {deadline:%d %B %Y}: "
            "confirm they have been deleted or anonymised.",
            evidence,
        )
    return Outcome(
        Status.PASS,
        f"The notice states {months} months; unsuccessful candidates' data is due for deletion by {deadline:%d %B %Y}.",
        evidence,
    )


def _add_months(day: dt.date, months: int) -> dt.date:
    month = day.month - 1 + months
    year = day.year + month // 12
    month = month % 12 + 1
    for candidate_day in (day.day, 30, 29, 28):
        try:
            return dt.date(year, month, min(day.day, candidate_day))
        except ValueError:
            continue
    return dt.date(year, month, 28)

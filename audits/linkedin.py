"""LinkedIn practice: job posts and InMail outreach, judged from the exports and the agency's outreach log (LI checks).

Policy. LinkedIn's quality job post guidelines ask for the title, location, workplace and employment type,
responsibilities, qualifications and employer information; pay is the part candidates find most helpful (LI-01).
LinkedIn's own studies of InMail (2021, 2022) found messages under 400 characters drew the most replies and those
over 1,200 the fewest (LI-03), and its 2014 policy warned Recruiter users whose response rate fell below 13% over at
least 100 InMails, the problem being bulk, unpersonalised messages (LI-04, LI-05). That 13% line is historic and the
checklist can move it. A first approach to a candidate found on LinkedIn must carry the UK GDPR Art 14 notice and say
that LinkedIn was the source (LI-07; see DP-02 for the timing).

LinkedIn's InMail export columns are not documented; Scrutineer reads the Recruiter InMail report, the usage report
and the agency template's Outreach sheet, and says which rows each figure came from.
"""

from __future__ import annotations

from collections import Counter
from statistics import median

from audits.checklist import Rule
from audits.common import Part, combine, fact_bool, no_campaign
from audits.data_protection import outreach_refs
from audits.model import CampaignBundle, DataEvidence, Outcome, Status
from audits.registry import campaign_check
from audits.text import find_terms
from importers.records import InMailStatsRecord, JobStatsRecord, RecruiterUsageRecord, RowRef

LINKEDIN_KINDS = ("linkedin", "xml-feed")


def _refs(
    records: list[JobStatsRecord] | list[InMailStatsRecord] | list[RecruiterUsageRecord], sheet: str
) -> list[RowRef]:
    by_file: dict[str, list[int]] = {}
    for record in records:
        if record.row is not None:
            by_file.setdefault(record.file or sheet, []).append(record.row)
    return [RowRef(file=file, rows=sorted(rows), sheet=sheet) for file, rows in sorted(by_file.items())]


@campaign_check("LI-01")
def job_post_complete(bundle: CampaignBundle, rule: Rule) -> Outcome:
    jobs = bundle.job_stats
    posts = [a for a in bundle.adverts if a.source_kind in LINKEDIN_KINDS]
    if not jobs and not posts:
        return Outcome(
            Status.NO_DATA,
            "No LinkedIn job post was imported. If the role was posted on LinkedIn, import the Recruiter Jobs report "
            "or the job-posting feed.",
        )

    def known(getter: object) -> bool:
        return any(getter(j) for j in jobs) or any(getter(p) for p in posts)  # type: ignore[operator]

    text = "\n".join(p.text for p in posts)
    missing = rule.status_param("missing_status")
    fields = [
        ("title", known(lambda r: getattr(r, "job_title", None) or getattr(r, "title", None))),
        ("location", known(lambda r: r.location)),
        ("workplace type", known(lambda r: r.workplace_type)),
        (
            "employer",
            known(
                lambda r: (
                    getattr(r, "company_hiring_for", None)
                    or getattr(r, "posted_company", None)
                    or getattr(r, "hiring_organisation", None)
                )
            ),
        ),
    ]
    parts = [
        Part(name, Status.PASS if ok else missing, f"The {name} is {'given' if ok else 'missing'}.")
        for name, ok in fields
    ]
    if posts:
        parts.append(
            Part(
                "employment type",
                Status.PASS if any(p.employment_type for p in posts) else missing,
                "The employment type is " + ("given." if any(p.employment_type for p in posts) else "missing."),
            )
        )
        for name, key in (("responsibilities", "responsibility_markers"), ("qualifications", "qualification_markers")):
            ok = bool(find_terms(text, tuple(rule.param(key))))
            parts.append(
                Part(name, Status.PASS if ok else missing, f"The {name} are {'described' if ok else 'missing'}.")
            )
        salary = any(p.salary is not None and p.salary.has_figure for p in posts)
        parts.append(
            Part(
                "salary",
                Status.PASS if salary else rule.status_param("no_salary_status"),
                "The pay is stated." if salary else "The post states no pay.",
            )
        )
    else:
        parts.append(
            Part(
                "post text",
                None,
                "The Jobs report holds no post text, so salary, responsibilities and "
                "qualifications cannot be checked: import the job posting.",
            )
        )
    if jobs:
        skills = any(j.skills for j in jobs)
        parts.append(
            Part(
                "skills",
                Status.PASS if skills else missing,
                "Skills are listed." if skills else "No skills are listed.",
            )
        )
    evidence = []
    if jobs:
        evidence.append(
            DataEvidence("LinkedIn Recruiter Jobs report", {"rows": len(jobs)}, _refs(jobs, "Jobs Reporting"))
        )
    if posts:
        evidence.append(DataEvidence("LinkedIn job posts", {"posts": len(posts)}))
    return combine(parts, evidence)


def _inmails(bundle: CampaignBundle) -> list:
    return [m for m in bundle.outreach if m.channel == "inmail"]


@campaign_check("LI-03")
def inmail_length(bundle: CampaignBundle, rule: Rule) -> Outcome:
    measured = [m for m in _inmails(bundle) if m.message_chars is not None]
    if not measured:
        return Outcome(
            Status.NO_DATA,
            "No InMail with its length was imported: fill in channel and message_chars in the Outreach sheet.",
        )
    lengths = [m.message_chars for m in measured]
    typical = median(lengths)
    best, warn_above, strong_above = (
        int(rule.param(k)) for k in ("best_max_chars", "warn_above_chars", "strong_warn_above_chars")
    )
    figures = {
        "InMails": len(lengths),
        "median characters": typical,
        f"{best} or fewer": sum(1 for n in lengths if n <= best),
        f"{best + 1}–{warn_above}": sum(1 for n in lengths if best < n <= warn_above),
        f"{warn_above + 1}–{strong_above}": sum(1 for n in lengths if warn_above < n <= strong_above),
        f"over {strong_above}": sum(1 for n in lengths if n > strong_above),
    }
    evidence = [DataEvidence("InMail length", figures, outreach_refs(measured))]
    summary = f"The median InMail is {typical:g} characters over {len(lengths)} messages."
    if typical > strong_above:
        return Outcome(
            rule.status_param("status"),
            summary + f" Over {strong_above} characters drew the fewest replies in LinkedIn's studies.",
            evidence,
            severity=rule.severity_param("strong_severity"),
        )
    if typical > warn_above:
        return Outcome(rule.status_param("status"), summary + f" Aim for {best} or fewer.", evidence)
    return Outcome(Status.PASS, summary, evidence)


@campaign_check("LI-04")
def inmail_personalisation(bundle: CampaignBundle, rule: Rule) -> Outcome:
    inmails = _inmails(bundle)
    templated = [m for m in inmails if m.template_id]
    if not inmails or not any(m.template_id is not None for m in inmails):
        return Outcome(
            Status.NO_DATA,
            "No InMail with its template was imported: fill in channel and template_id in "
            "the Outreach sheet (leave template_id empty for a message written for one person).",
        )
    uses = Counter(m.template_id for m in templated)
    group = int(rule.param("min_template_uses"))
    bulk = [m for m in templated if uses[m.template_id] >= group]
    ratio = len(bulk) / len(inmails)
    limit = float(rule.param("max_bulk_share"))
    figures = {
        "InMails": len(inmails),
        "sent from a shared template": len(bulk),
        "share": f"{ratio:.0%}",
        "templates": len(uses),
    }
    evidence = [DataEvidence("InMail templates", figures, outreach_refs(bulk or inmails))]
    if ratio > limit:
        return Outcome(
            rule.status_param("status"),
            f"{ratio:.0%} of InMails were sent from a template shared with "
            f"{group - 1} or more others: more than {limit:.0%} looks like bulk outreach. Personalisation "
            "inside a template is not visible in the export.",
            evidence,
        )
    return Outcome(Status.PASS, f"{ratio:.0%} of InMails came from a shared template (limit {limit:.0%}).", evidence)


@campaign_check("LI-05")
def inmail_response_rate(bundle: CampaignBundle, rule: Rule) -> Outcome:
    minimum_sent = int(rule.param("min_sent"))
    sources: list[tuple[str, int, int, list[RowRef]]] = []
    stats = [r for r in bundle.inmail_stats if r.sent is not None]
    if stats:
        sent = sum(r.sent or 0 for r in stats)
        replied = sum((r.accepted or 0) + (r.declined or 0) for r in stats)
        sources.append(("LinkedIn InMail report", sent, replied, _refs(stats, "InMail")))
    usage = [r for r in bundle.usage if r.inmails_sent is not None]
    if not sources and usage:
        sent = sum(r.inmails_sent or 0 for r in usage)
        replied = sum((r.inmails_accepted or 0) + (r.inmails_declined or 0) for r in usage)
        sources.append(("LinkedIn Recruiter usage report", sent, replied, _refs(usage, "Usage")))
    logged = [m for m in _inmails(bundle) if m.response is not None or m.responded_at is not None]
    if not sources and logged:
        replied = sum(1 for m in logged if m.response in ("accepted", "declined") or m.responded_at is not None)
        sources.append(("Outreach sheet", len(logged), replied, outreach_refs(logged)))
    if not sources:
        return Outcome(
            Status.NO_DATA,
            "No InMail figures were imported: import the LinkedIn InMail or usage report, "
            "or fill in channel and response in the Outreach sheet.",
        )
    label, sent, replied, rows = sources[0]
    rate = replied / sent if sent else 0.0
    line = float(rule.param("min_rate"))
    figures = {"sent": sent, "accepted or declined": replied, "response rate": f"{rate:.1%}"}
    evidence = [DataEvidence(label, figures, rows)]
    if sent < minimum_sent:
        return Outcome(
            Status.NA, f"{sent} InMails sent: fewer than {minimum_sent}, too few to judge the response rate.", evidence
        )
    if rate < line:
        return Outcome(
            rule.status_param("status"),
            f"The InMail response rate is {rate:.1%} over {sent} messages, "
            f"below {line:.0%}: a sign of untargeted or bulk outreach.",
            evidence,
        )
    return Outcome(Status.PASS, f"The InMail response rate is {rate:.1%} over {sent} messages.", evidence)


@campaign_check("LI-07")
def inmail_privacy_notice(bundle: CampaignBundle, rule: Rule) -> Outcome:
    if bundle.campaign is None:
        return no_campaign()
    inmails = _inmails(bundle)
    if not inmails:
        linkedin_sourced = [c for c in bundle.candidates if c.source in ("linkedin_inmail", "linkedin_search")]
        if linkedin_sourced:
            return Outcome(
                Status.NO_DATA,
                f"{len(linkedin_sourced)} candidates were sourced on LinkedIn but no InMail "
                "was imported: fill in the Outreach sheet (channel, privacy_notice_included).",
            )
        return Outcome(Status.NA, "No InMail outreach and no LinkedIn-sourced candidates are recorded.")
    recorded = [m for m in inmails if m.privacy_notice_included is not None]
    without = [m for m in recorded if not m.privacy_notice_included]
    names_linkedin = fact_bool(bundle, "privacy_notice_names_source")
    parts = [
        Part(
            "notice",
            None if not recorded else (rule.status_param("status") if without else Status.PASS),
            "Whether InMails carried a privacy notice is not recorded (privacy_notice_included)."
            if not recorded
            else (
                f"{len(without)} of {len(recorded)} InMails carried no privacy notice."
                if without
                else f"All {len(recorded)} InMails carried a privacy notice."
            ),
        ),
        Part(
            "source named",
            None if names_linkedin is None else (Status.PASS if names_linkedin else rule.status_param("status")),
            "Whether the notice says the details came from LinkedIn is not recorded (privacy_notice_names_source)."
            if names_linkedin is None
            else (
                "The notice names LinkedIn as the source."
                if names_linkedin
                else "The notice does not say the details came from LinkedIn."
            ),
        ),
    ]
    evidence = [
        DataEvidence(
            "InMails and privacy notices",
            {"InMails": len(inmails), "recorded": len(recorded), "without notice": len(without)},
            outreach_refs(without or recorded or inmails),
        )
    ]
    return combine(parts, evidence)

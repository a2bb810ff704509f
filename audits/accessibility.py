"""Accessibility of the advert page and its documents (ACC checks).

Policy. Public bodies' websites and the documents on them must meet WCAG 2.1 AA and publish an accessibility statement
(Public Sector Bodies (Websites and Mobile Applications) (No. 2) Accessibility Regulations 2018, SI 2018/952; the
statement under reg 7 of the Regulations as made, SI 2018/852); GDS monitors against WCAG 2.2 AA. Whether an
agency-hosted microsite is in scope is not settled, so Scrutineer audits it anyway.

What can be judged from the page's HTML alone is a subset of WCAG, in the manner of axe-core's automated rules: the
page language (3.1.1), a page title (2.4.2), images' text alternatives (1.1.1), labels on form fields (1.3.1, 4.1.2),
link text that says where it goes (2.4.4) and a heading structure (1.3.1). A missing language, title, text
alternative or label is a serious violation and fails; vague links and skipped heading levels warn. Colour contrast,
keyboard use and everything else need a person with a full tool, and the finding says so. A candidate pack only as PDF
or Word, with no HTML version, warns; an untagged PDF fails (ACC-03).
"""

from __future__ import annotations

import itertools

from audits.checklist import Rule
from audits.common import Part, combine
from audits.model import CampaignBundle, DataEvidence, Outcome, Status
from audits.registry import advert_check
from audits.structured_data import not_a_page
from audits.text import AdvertText, find_terms
from importers.records import Link


def _link_label(link: Link) -> str:
    return f"“{link.text or '(no text)'}” → {link.href[:120]}"


def _from_page(advert: AdvertText) -> Outcome | None:
    skipped = not_a_page(advert)
    if skipped is not None:
        return skipped
    record = advert.advert
    if record.source_kind == "json-ld" and not record.links and record.html_lang is None and record.page is None:
        return Outcome(
            Status.NO_DATA,
            "The advert came from a JobPosting file, not its page: import the page (fetch-advert URL, or the saved "
            ".html) so its accessibility can be checked.",
        )
    return None


@advert_check("ACC-01")
def automated_wcag(advert: AdvertText, rule: Rule, bundle: CampaignBundle) -> Outcome:
    skipped = _from_page(advert)
    if skipped is not None:
        return skipped
    record = advert.advert
    serious = rule.status_param("serious_status")
    minor = rule.status_param("minor_status")
    parts = [
        Part(
            "lang",
            Status.PASS if record.html_lang else serious,
            f"The page declares its language ({record.html_lang})."
            if record.html_lang
            else "The page does not declare its language (<html lang>, WCAG 3.1.1).",
        )
    ]
    vague_entries = tuple(rule.param("vague_link_texts"))
    vague = [
        link
        for link in record.links
        if link.text
        and find_terms(link.text.strip(), vague_entries)
        and len(link.text.split()) <= int(rule.param("vague_link_max_words"))
    ]
    empty = [link for link in record.links if not link.text.strip()]
    bad_links = vague + empty
    parts.append(
        Part(
            "link text",
            minor if bad_links else Status.PASS,
            f"{len(bad_links)} link(s) do not say where they go (WCAG 2.4.4): "
            + "; ".join(_link_label(link) for link in bad_links[:5])
            + "."
            if bad_links
            else f"All {len(record.links)} links have descriptive text.",
        )
    )
    evidence = [DataEvidence("Links without a descriptive text", {"links": len(bad_links)})] if bad_links else []
    page = record.page
    if page is None:
        parts.append(
            Part(
                "structure",
                None,
                "The page's title, headings, images and form fields were not read: re-import the page to check them.",
            )
        )
        return combine(parts, evidence)
    parts.append(
        Part(
            "title",
            Status.PASS if page.title and page.title.strip() else serious,
            "The page has a title." if page.title and page.title.strip() else "The page has no <title> (WCAG 2.4.2).",
        )
    )
    no_alt = [image for image in page.images if image.alt is None]
    parts.append(
        Part(
            "images",
            serious if no_alt else Status.PASS,
            f"{len(no_alt)} of {len(page.images)} image(s) have no alt attribute (WCAG 1.1.1): "
            + ", ".join(image.src[:80] for image in no_alt[:5])
            + "."
            if no_alt
            else f"All {len(page.images)} image(s) have text alternatives.",
        )
    )
    unlabelled = [f for f in page.form_fields if f.kind not in ("hidden", "submit", "button") and not f.label]
    parts.append(
        Part(
            "form labels",
            serious if unlabelled else Status.PASS,
            f"{len(unlabelled)} form field(s) have no label (WCAG 1.3.1, 4.1.2): "
            + ", ".join(f.name or f.kind for f in unlabelled[:5])
            + "."
            if unlabelled
            else "Form fields are labelled.",
        )
    )
    levels = [level for level, _text in page.headings]
    skipped_levels = [(a, b) for a, b in itertools.pairwise(levels) if b > a + 1]
    heading_problems = []
    if 1 not in levels:
        heading_problems.append("the page has no level-1 heading")
    if skipped_levels:
        heading_problems.append(f"heading levels jump (e.g. h{skipped_levels[0][0]} to h{skipped_levels[0][1]})")
    parts.append(
        Part(
            "headings",
            minor if heading_problems else Status.PASS,
            ("Headings: " + " and ".join(heading_problems) + " (WCAG 1.3.1).")
            if heading_problems
            else f"{len(levels)} heading(s) in order.",
        )
    )
    counts = {
        "images without alt": len(no_alt),
        "unlabelled fields": len(unlabelled),
        "vague or empty links": len(bad_links),
        "headings": len(levels),
    }
    outcome = combine(parts, [DataEvidence("Automated accessibility rules", counts)], {"counts": counts})
    if outcome.status is Status.PASS:
        outcome.summary += (
            " These automated rules are a subset of WCAG 2.2 AA: contrast, keyboard use and the application journey "
            "still need a manual check."
        )
    return outcome


@advert_check("ACC-02")
def accessibility_statement(advert: AdvertText, rule: Rule, bundle: CampaignBundle) -> Outcome:
    skipped = _from_page(advert)
    if skipped is not None:
        return skipped
    entries = tuple(rule.param("link_phrases"))
    found = [
        link
        for link in advert.advert.links
        if find_terms(link.text, entries) or find_terms(link.href.replace("-", " ").replace("_", " "), entries)
    ]
    if found:
        return Outcome(
            Status.PASS,
            "The page links to an accessibility statement: " + _link_label(found[0]) + ".",
            [DataEvidence("Accessibility statement link", {"link": found[0].href[:300]})],
        )
    in_text = advert.search(entries)
    return Outcome(
        rule.status_param("missing_status"),
        f"None of the page's {len(advert.advert.links)} links leads to an accessibility statement"
        + (" (the text mentions one, but does not link to it)." if in_text else "."),
        advert.evidence(in_text[:2]),
    )


@advert_check("ACC-03")
def document_formats(advert: AdvertText, rule: Rule, bundle: CampaignBundle) -> Outcome:
    skipped = _from_page(advert)
    if skipped is not None:
        return skipped
    extensions = tuple(e.lower() for e in rule.param("document_extensions"))
    pack_entries = tuple(rule.param("pack_phrases"))
    documents = [link for link in advert.advert.links if link.href.lower().split("?")[0].endswith(extensions)]
    if not documents:
        return Outcome(Status.NA, "The page links to no PDF or Word documents.")
    html_versions = [
        link
        for link in advert.advert.links
        if link not in documents
        and (find_terms(link.text, pack_entries) or find_terms(link.text, tuple(rule.param("html_version_phrases"))))
    ]
    untagged = [link for link in documents if link.tagged is False]
    figures = {"documents": len(documents), "html versions": len(html_versions), "untagged PDFs": len(untagged)}
    evidence = [DataEvidence("Documents linked from the advert", figures)]
    listing = "; ".join(_link_label(link) for link in documents[:5])
    if untagged:
        return Outcome(
            rule.status_param("untagged_status"),
            f"{len(untagged)} linked PDF(s) are untagged, so screen readers cannot follow them: "
            + "; ".join(_link_label(link) for link in untagged[:5])
            + ".",
            evidence,
            severity=rule.severity_param("untagged_severity"),
        )
    if not html_versions:
        return Outcome(
            rule.status_param("document_only_status"),
            f"The candidate information is offered only as documents ({listing}), with no web-page version.",
            evidence,
        )
    unknown = [link for link in documents if link.tagged is None and link.href.lower().split("?")[0].endswith(".pdf")]
    note = f" {len(unknown)} PDF(s) were not opened: check they are tagged." if unknown else ""
    return Outcome(
        Status.PASS,
        f"Documents ({listing}) have a web-page alternative ({quotes_links(html_versions)}).{note}",
        evidence,
    )


def quotes_links(links: list[Link]) -> str:
    return ", ".join(f"“{link.text}”" for link in links[:3])

"""The advert self-check page: pasted text or a web address checked on the spot, with nothing stored.

Pasted text goes through `selfcheck.check_text`; a web address is fetched under the same rules as fetching an
advert for a campaign (`selfcheck.adverts_from_source`) and checked with the shipped checklist's advert checks.
The page gets each advert's text and title with the words the checks found marked in place.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from markupsafe import Markup

from app.evidence import highlight, text_spans
from app.services import selfcheck
from audits.checklist import DEFAULT_CHECKLIST, load_shipped
from importers import FileRejected


class SpotCheckRefused(ValueError):
    """The advert could not be checked. The message says why."""


@dataclass
class CheckedAdvert:
    title: str
    source: str
    findings: list[dict[str, Any]]
    summary: dict[str, int]
    marked_title: Markup
    marked_text: Markup


def _checked(title: str, text: str, source: str, findings: list[dict[str, Any]]) -> CheckedAdvert:
    summary = dict.fromkeys(selfcheck.STATUS_KEYS, 0)
    for finding in findings:
        summary[finding["status"]] = summary.get(finding["status"], 0) + 1
    return CheckedAdvert(
        title=title,
        source=source,
        findings=findings,
        summary=summary,
        marked_title=highlight(title, text_spans(findings, "title")),
        marked_text=highlight(text, text_spans(findings, "text")),
    )


def check_pasted(text: str, title: str = "") -> list[CheckedAdvert]:
    advert, findings = selfcheck.check_text(text, title)
    return [_checked(advert.title, advert.text, "pasted text", [selfcheck.finding_json(f) for f in findings])]


def check_url(url: str) -> list[CheckedAdvert]:
    """Fetch the page at `url` and check each advert on it."""
    try:
        adverts = selfcheck.adverts_from_source(url.strip())
    except FileRejected as error:  # includes a fetch that was refused or failed
        raise SpotCheckRefused(error.reason) from None
    if not adverts:
        raise SpotCheckRefused("no advert was found on that page")
    checklist = load_shipped(DEFAULT_CHECKLIST)
    results = selfcheck.check_adverts(adverts, checklist, url.strip())
    return [
        _checked(advert.title, advert.text, url.strip(), result["findings"])
        for advert, result in zip(adverts, results, strict=True)
    ]

"""Checking adverts on the spot, with no database: for `flask check-advert` and the recruiters' self-check page.

Nothing is stored. Files are read with the advert importers; URLs are fetched under the same rules as
`fetch-advert`. Each advert gets the advert checks of the shipped checklist.
"""

from __future__ import annotations

import tempfile
from collections import Counter
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import importers
from app.services.adverts import fetch_page, page_name
from audits import engine
from audits.checklist import DEFAULT_CHECKLIST, Checklist, load_shipped
from audits.model import CampaignBundle, Finding, Status
from importers import FileRejected, ImportOptions
from importers.adverts import parse_text
from importers.records import AdvertRecord

STATUS_KEYS = ("pass", "warn", "fail", "n/a", "no data")


def _adverts_from_file(path: Path, name: str, options: ImportOptions | None = None) -> list[AdvertRecord]:
    report, records = importers.read(path, name, options)
    if report.format not in importers.ADVERT_FORMATS:
        raise FileRejected(name, f"this is a {report.format} file, not an advert: import it with `flask import`")
    return [r for r in records if isinstance(r, AdvertRecord)]


def adverts_from_source(source: str) -> list[AdvertRecord]:
    """The adverts in a file path or an http(s) URL."""
    if source.lower().startswith(("http://", "https://")):
        fetched = fetch_page(source)
        with tempfile.TemporaryDirectory(prefix="scrutineer-check-") as folder:
            path = Path(folder) / "page"
            path.write_bytes(fetched.content)
            adverts = _adverts_from_file(
                path, page_name(fetched), ImportOptions(declared_charset=fetched.charset, source_url=fetched.url)
            )
        for advert in adverts:
            advert.source_name = source
        return adverts
    path = Path(source)
    if not path.exists():
        raise FileRejected(source, "no such file")
    return _adverts_from_file(path, path.name)


def finding_json(finding: Finding) -> dict[str, Any]:
    return {
        "check": finding.check_id,
        "title": finding.title,
        "status": finding.status.value,
        "severity": finding.severity.value,
        "summary": finding.summary,
        "evidence": [item.as_dict() for item in finding.evidence],
        "reference": finding.reference,
        "suggestion": finding.suggestion,
        "details": finding.details,
    }


def check_adverts(adverts: Iterable[AdvertRecord], checklist: Checklist, label: str) -> Iterator[dict[str, Any]]:
    advert_list = list(adverts)
    for index, advert in enumerate(advert_list):
        result = engine.run(checklist, CampaignBundle(adverts=[advert]), scopes=("advert",))
        counts = Counter(f.status.value for f in result.findings)
        name = label if len(advert_list) == 1 else f"{label}#{index + 1}"
        yield {
            "file": name,
            "title": advert.title,
            "findings": [finding_json(f) for f in result.findings],
            "summary": {key: counts.get(key, 0) for key in STATUS_KEYS},
        }


def check_sources(sources: Iterable[str], checklist_name: str | None = None) -> Iterator[dict[str, Any]]:
    checklist = load_shipped(checklist_name or DEFAULT_CHECKLIST)
    engine.ensure_valid(checklist)
    for source in sources:
        yield from check_adverts(adverts_from_source(source), checklist, source)


def check_text(text: str, title: str = "") -> tuple[AdvertRecord, list[Finding]]:
    """Check pasted advert text (the web self-check). Returns the advert as read and its findings."""
    checklist = load_shipped(DEFAULT_CHECKLIST)
    advert = parse_text((title + "\n" if title else "") + text, "pasted text")
    result = engine.run(checklist, CampaignBundle(adverts=[advert]), scopes=("advert",))
    return advert, result.findings


__all__ = ["Status", "check_adverts", "check_sources", "check_text", "finding_json"]

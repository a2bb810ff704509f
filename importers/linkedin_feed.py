"""LinkedIn job-posting XML feed ("Basic Jobs", used for job wrapping): one advert per `<job>` (formats.md §2).

The feed is `<source>` with feed-level elements (`lastBuildDate`, `publisher`, `publisherUrl`), then repeated
`<job>` elements whose values are usually wrapped in CDATA. What real feeds do, and what this importer does:

- parsed with defusedxml, streaming (`iterparse`), each `<job>` dropped from memory once read: a feed may hold
  up to 500,000 jobs (`MAX_XML_JOBS`). A document type declaration is refused outright: job feeds never need one,
  and entity expansion ("billion laughs") and external entities (reading local files, reaching internal hosts)
  both depend on it;
- `description` is HTML in CDATA with a limited tag set (`b strong u i br p ul li`): reduced to text;
- salaries: `salaries/salary` with `lowEnd` and `highEnd` (each `amount` and `currencyCode`), a `period`
  (`YEARLY` … `HOURLY`, `ONCE`) and a `type` (`BASE_SALARY` is preferred over `TOTAL_ADDITIONAL`);
- the workplace is in the old `isRemote` (`Yes`/`No`) and the new `workplaceTypes` (`On-site`, `Hybrid`,
  `Remote`): both are read, the newer wins, and both are kept in the structured data so a check can compare them;
- `jobtype` arrives as `FULL_TIME` and as `Full Time`; `listDate` and `expirationDate` as ISO dates;
- `jobPosterEmail` (required since June 2025) is a person's e-mail address: only whether it is there is kept.

Each job becomes an advert (source kind "xml-feed") of the campaign whose reference is its `partnerJobId`, or of
the campaign given with --campaign. The row number of a job is its position in the feed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any
from xml.etree.ElementTree import Element

import defusedxml.ElementTree as safe_xml
from defusedxml import DTDForbidden, EntitiesForbidden, ExternalReferenceForbidden

from importers.adverts import description_to_text, find_closing_date
from importers.records import AdvertRecord, Salary
from importers.report import MAX_ADVERT_CHARS, MAX_XML_JOBS, FileRejected, ImportReport
from importers.tabular import Sniffed
from importers.values import clean_text, parse_money, parse_us_date

FORMAT_NAME = "linkedin-job-feed"
LABEL = "LinkedIn job-posting XML feed (<source> with <job> elements)"
_PERIODS = {"YEARLY": "year", "MONTHLY": "month", "WEEKLY": "week", "DAILY": "day", "HOURLY": "hour"}
_WORKPLACES = {"onsite": "on-site", "on-site": "on-site", "hybrid": "hybrid", "remote": "remote"}
_FEED_FIELDS = ("lastBuildDate", "publisher", "publisherUrl", "publisherURL", "expectedJobCount")
_MAX_FIELD_CHARS = MAX_ADVERT_CHARS


def detect(sniffed: Sniffed) -> int:
    if sniffed.kind != "xml":
        return 0
    head = sniffed.head_text.lower()
    if "<source" in head and "<job" in head:
        return 95
    if "<source" in head:
        return 60
    return 0


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _text(element: Element | None) -> str | None:
    if element is None:
        return None
    return clean_text("".join(element.itertext()))


def _child(element: Element, name: str) -> Element | None:
    for child in element:
        if _local(child.tag).lower() == name.lower():
            return child
    return None


def _value(element: Element, name: str) -> str | None:
    text = _text(_child(element, name))
    return None if text is None else text[:_MAX_FIELD_CHARS]


def _date(text: str | None) -> dt.date | None:
    if text is None:
        return None
    try:
        return parse_us_date(text)
    except ValueError:
        return None


def _salary(job: Element) -> tuple[Salary | None, list[dict[str, Any]]]:
    salaries = _child(job, "salaries")
    found: list[dict[str, Any]] = []
    if salaries is None:
        return None, found
    for salary in salaries:
        if _local(salary.tag).lower() != "salary":
            continue
        entry: dict[str, Any] = {"period": _value(salary, "period"), "type": _value(salary, "type")}
        for end in ("lowEnd", "highEnd"):
            node = _child(salary, end)
            if node is not None:
                entry[end] = {"amount": _value(node, "amount"), "currencyCode": _value(node, "currencyCode")}
        found.append(entry)
    if not found:
        return None, found
    base = next((s for s in found if (s.get("type") or "").upper() == "BASE_SALARY"), found[0])

    def amount(end: str) -> Decimal | None:
        raw = (base.get(end) or {}).get("amount")
        try:
            return parse_money(raw)
        except ValueError:
            return None

    low, high = amount("lowEnd"), amount("highEnd")
    currency = (base.get("lowEnd") or base.get("highEnd") or {}).get("currencyCode")
    if low is not None and high is not None and low > high:
        low, high = high, low
    period_code = (base.get("period") or "").upper()
    text = " - ".join(str(v) for v in (low, high) if v is not None)
    salary = Salary(
        text=f"{currency or ''} {text} {period_code}".strip() or None,
        minimum=low,
        maximum=high,
        currency=currency,
        period=_PERIODS.get(period_code),
        origin="xml",
    )
    return salary, found


def _workplace(job: Element, structured: dict[str, Any]) -> str | None:
    types = _child(job, "workplaceTypes")
    values: list[str] = []
    if types is not None:
        values = [t for t in (_text(child) for child in types) if t] or ([_text(types)] if _text(types) else [])
    structured["workplaceTypes"] = values
    remote = _value(job, "isRemote")
    structured["isRemote"] = remote
    for value in values:
        workplace = _WORKPLACES.get(value.lower().replace(" ", ""))
        if workplace:
            return workplace
    if remote and remote.strip().lower() in ("yes", "true", "1"):
        return "remote"
    return None


def _location(job: Element) -> str | None:
    location = _value(job, "location")
    if location:
        return location
    parts = [_value(job, name) for name in ("city", "state", "country", "postalCode")]
    return ", ".join(p for p in parts if p) or None


def _structured(job: Element) -> dict[str, Any]:
    """The job's elements as plain JSON (one level of children), without the poster's e-mail address."""
    data: dict[str, Any] = {}
    for child in list(job)[:200]:
        name = _local(child.tag)
        if name.lower() == "jobposteremail":
            data["has_job_poster_email"] = _text(child) is not None
            continue
        if len(child):
            data[name] = [_text(grandchild) for grandchild in list(child)[:50]]
        else:
            text = _text(child)
            data[name] = None if text is None else text[:_MAX_FIELD_CHARS]
    data.setdefault("has_job_poster_email", False)
    return data


def _advert(job: Element, number: int, name: str, feed: dict[str, Any]) -> AdvertRecord:
    structured = _structured(job)
    salary, salaries = _salary(job)
    structured["salaries"] = salaries
    if feed:
        structured["feed"] = dict(feed)
    description = _value(job, "description")
    text = description_to_text(description) if description else ""
    advert = AdvertRecord(
        title=(_value(job, "title") or "")[:500],
        text=text[:MAX_ADVERT_CHARS],
        source_kind="xml-feed",
        source_name=name,
        url=_value(job, "applyUrl"),
        hiring_organisation=_value(job, "company"),
        date_posted=_date(_value(job, "listDate")),
        valid_through=_date(_value(job, "expirationDate")),
        employment_type=_value(job, "jobtype") or _value(job, "jobType"),
        location=_location(job),
        workplace_type=_workplace(job, structured),
        salary=salary,
        structured=structured,
        reference=_value(job, "partnerJobId"),
        row=number,
    )
    advert.closing_date_text = find_closing_date(advert.text)
    return advert


def parse(path: Path, name: str, sniffed: Sniffed, report: ImportReport, options: Any = None) -> Iterator[AdvertRecord]:
    report.format = FORMAT_NAME
    feed: dict[str, Any] = {}
    number = 0
    root: Element | None = None
    depth = 0
    try:
        for event, element in safe_xml.iterparse(str(path), events=("start", "end"), forbid_dtd=True):
            if event == "start":
                depth += 1
                if root is None:
                    root = element
                    if _local(element.tag).lower() != "source":
                        raise FileRejected(
                            name, f"the XML's root is <{_local(element.tag)}>, not a LinkedIn job feed's <source>"
                        )
                if depth > 64:
                    raise FileRejected(name, "the XML is nested more than 64 levels deep, which no job feed is")
                continue
            depth -= 1
            tag = _local(element.tag)
            if depth == 1 and tag in _FEED_FIELDS:
                feed[tag] = _text(element)
            if depth == 1 and tag.lower() == "job":
                number += 1
                if number > MAX_XML_JOBS:
                    raise FileRejected(name, f"the feed has more than {MAX_XML_JOBS:,} jobs, LinkedIn's own limit")
                report.rows_read += 1
                advert = _advert(element, number, name, feed)
                if not advert.title:
                    report.reject_row(number, "title", None, "the job has no title: LinkedIn requires one")
                elif not advert.text and not advert.url:
                    report.reject_row(number, "description", None, "the job has no description and no apply URL")
                else:
                    yield advert
                if root is not None:
                    root.clear()  # keep memory flat: nothing of the jobs already read stays in the tree
    except (DTDForbidden, EntitiesForbidden, ExternalReferenceForbidden):
        raise FileRejected(
            name,
            "the XML declares a document type or entities, which job feeds never need and XML attacks rely on: "
            "it was not read",
        ) from None
    except safe_xml.ParseError as error:
        position = getattr(error, "position", None)
        where = f" at line {position[0]}" if position else ""
        raise FileRejected(
            name, f"the XML is not well formed{where}: check the feed is complete, and export it again"
        ) from None
    if root is None:
        raise FileRejected(name, "the XML is empty")
    if number == 0:
        raise FileRejected(name, "the feed holds no <job> elements")

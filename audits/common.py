"""Helpers the check families share: quoting matches, reading campaign facts, and judging a check from several parts.

Facts are the optional Campaigns columns (importers/agency_template.py, FACT_FIELDS) stored JSON-native on the
campaign. A check that needs a fact that is missing says "no data" and names the template column to fill in.

Some checks judge several things at once (a page's language and its images; an InMail's notice and whether it names
LinkedIn). Each part is a `Part`: passed, warned, failed or unknown. The worst known part decides; when nothing failed
or warned but a part is unknown, the check says "no data" and lists what passed and what is missing, rather than
passing on half the evidence.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from audits.model import CampaignBundle, Evidence, Outcome, Status
from audits.text import Span
from importers.values import parse_bool, parse_date, parse_int, parse_money


def quotes(spans: Iterable[Span], limit: int = 8) -> str:
    """“word”, “other words” … for a summary line, each distinct wording once."""
    words = sorted({s.text.lower() for s in spans})
    shown = ", ".join(f"“{w}”" for w in words[:limit])
    return shown + (" …" if len(words) > limit else "")


def fact(bundle: CampaignBundle, name: str, parser: Callable[[object], Any] | None = None) -> Any:
    """A campaign fact, read back with its parser; None when there is no campaign, no value or an unreadable one."""
    if bundle.campaign is None:
        return None
    value = bundle.campaign.facts.get(name)
    if value is None or parser is None:
        return value
    try:
        return parser(value)
    except (TypeError, ValueError):
        return None


def fact_bool(bundle: CampaignBundle, name: str) -> bool | None:
    return fact(bundle, name, parse_bool)


def fact_date(bundle: CampaignBundle, name: str) -> dt.date | None:
    return fact(bundle, name, parse_date)


def fact_money(bundle: CampaignBundle, name: str) -> Any:
    return fact(bundle, name, parse_money)


def fact_int(bundle: CampaignBundle, name: str) -> int | None:
    return fact(bundle, name, parse_int)


def provide(*columns: str) -> str:
    """What to fill in, naming the agency template's Campaigns columns."""
    named = ", ".join(columns)
    noun = "column" if len(columns) == 1 else "columns"
    return f"fill in the {named} {noun} of the Campaigns sheet (agency template) or the campaign's details"


def no_campaign() -> Outcome:
    return Outcome(
        Status.NO_DATA,
        "No campaign record was imported: import the agency template's Campaigns sheet to run this check.",
    )


@dataclass(slots=True)
class Part:
    """One thing a check judged: its status (or None when the evidence is missing) and a sentence about it."""

    name: str
    status: Status | None
    says: str


def combine(
    parts: Sequence[Part], evidence: list[Evidence] | None = None, details: dict[str, Any] | None = None
) -> Outcome:
    """The worst known part decides; unknown parts turn an otherwise clean result into "no data"."""
    details = dict(details or {})
    details["parts"] = {p.name: (p.status.value if p.status else "no data") for p in parts}
    for status in (Status.FAIL, Status.WARN):
        bad = [p for p in parts if p.status is status]
        if bad:
            others = [p for p in parts if p.status is not status]
            summary = " ".join(p.says for p in bad + others)
            return Outcome(status, summary, evidence or [], details)
    unknown = [p for p in parts if p.status is None]
    if unknown:
        known = [p for p in parts if p.status is not None]
        summary = " ".join(p.says for p in known + unknown)
        return Outcome(Status.NO_DATA, summary, evidence or [], details)
    return Outcome(Status.PASS, " ".join(p.says for p in parts), evidence or [], details)


def working_days(start: dt.date, end: dt.date) -> int:
    """Monday-to-Friday days after `start` up to and including `end` (bank holidays are not known, so counted)."""
    if end <= start:
        return 0
    days = (end - start).days
    weeks, rest = divmod(days, 7)
    count = weeks * 5
    for offset in range(1, rest + 1):
        if (start + dt.timedelta(days=weeks * 7 + offset)).weekday() < 5:
            count += 1
    return count


def share(part: int, whole: int) -> float:
    return part / whole if whole else 0.0


def percent(value: float) -> str:
    return f"{value:.0%}"

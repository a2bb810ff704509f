"""What the checklist pages show: the shipped checklist and the organisation's own versions with who changed what,
when and why; one version's checks grouped by family; and how each threshold is typed when someone changes it.

Changes themselves go through `app/services/checklists.py` (copy, set_param, set_severity, disable, enable), which
makes each one a new version with its SHA-256 and an event; this module only reads and shapes.
"""

from __future__ import annotations

import tomllib
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from app.dao import checklists as checklists_dao
from app.dao import organisations as organisations_dao
from app.dao import transaction
from app.models import ChecklistVersion, Organisation
from app.services import checklists
from audits.checklist import Checklist, Rule, parse_checklist
from audits.model import Severity, Status

# How a threshold is typed in a form, from its name and its value now.
WHOLE, DECIMAL, YES_NO, STATUS, SEVERITY, TEXT, WORDS = (
    "whole",
    "decimal",
    "yes_no",
    "status",
    "severity",
    "text",
    "words",
)
STATUS_CHOICES = tuple((s.value, s.label) for s in (Status.FAIL, Status.WARN, Status.PASS))
SEVERITY_CHOICES = tuple((s.value, s.label) for s in Severity)
MAX_LISTED_WORDS = 5  # words added or removed named in the history; the rest are counted


def param_kind(name: str, value: Any) -> str:
    """The kind of form field a threshold needs: a whole or decimal number, yes or no, a status or severity (when
    its name says so and its value is one), a line of text, or a list of words and phrases."""
    if isinstance(value, bool):
        return YES_NO
    if isinstance(value, int):
        return WHOLE
    if isinstance(value, float):
        return DECIMAL
    if isinstance(value, list):
        return WORDS
    if (name == "status" or name.endswith("_status")) and value in {v for v, _label in STATUS_CHOICES}:
        return STATUS
    if name.endswith("_severity") and value in {v for v, _label in SEVERITY_CHOICES}:
        return SEVERITY
    return TEXT


def param_label(name: str) -> str:
    """A threshold's name in words: `min_share` reads "Min share"."""
    return name.replace("_", " ").capitalize()


def show_value(value: Any) -> str:
    """A threshold's value as a sentence would give it."""
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, list):
        return f"{len(value)} {'entry' if len(value) == 1 else 'entries'}"
    if isinstance(value, float):
        return format(value, "g")
    if isinstance(value, int):
        return f"{value:,}"
    labels = dict(STATUS_CHOICES) | dict(SEVERITY_CHOICES)
    return labels.get(value, str(value))


def families(checklist: Checklist) -> list[tuple[str, list[Rule]]]:
    """The checks grouped by family, families in the order the checklist first names them."""
    grouped: dict[str, list[Rule]] = {}
    for rule in checklist.rules:
        grouped.setdefault(rule.family, []).append(rule)
    return list(grouped.items())


def _quoted(words: Sequence[str]) -> str:
    shown = ", ".join(f"“{w}”" for w in words[:MAX_LISTED_WORDS])
    more = len(words) - MAX_LISTED_WORDS
    return shown + (f" and {more} more" if more > 0 else "")


def describe_change(entry: dict[str, Any], checklist: Checklist) -> str:
    """One entry of a checklist's change log, in words."""
    check = entry.get("check", "?")
    kind = entry.get("kind")
    if kind == "param":
        name, old, new = entry.get("name", "?"), entry.get("old"), entry.get("new")
        if isinstance(old, list) and isinstance(new, list):
            added = [w for w in new if w not in old]
            removed = [w for w in old if w not in new]
            parts = ([f"added {_quoted(added)}"] if added else []) + (
                [f"removed {_quoted(removed)}"] if removed else []
            )
            return f"{check}: {name} {'; '.join(parts) or 'reordered'}"
        return f"{check}: {name} changed from {show_value(old)} to {show_value(new)}"
    if kind == "disable":
        return f"{check} switched off"
    if kind == "enable":
        return f"{check} switched on"
    if kind == "severity":
        try:
            return f"{check}: severity changed to {checklist.rule(check).severity.label}"
        except KeyError:
            return f"{check}: severity changed"
    return f"{check}: {kind}"


@dataclass(frozen=True)
class VersionSummary:
    row: ChecklistVersion
    author: str | None  # who made it; None for a shipped version
    changes: list[str]  # what this version changed, in words
    in_use: bool  # the version the organisation's audits use now


@dataclass(frozen=True)
class ChecklistOverview:
    checklist_id: str
    current: checklists.CurrentChecklist
    shipped: list[VersionSummary]
    own: list[VersionSummary]  # oldest first


def _log(text: str) -> list[dict[str, Any]]:
    return list(tomllib.loads(text).get("checklist", {}).get("changes", []))


def _author(row: ChecklistVersion) -> str | None:
    if row.organisation_id is None:
        return None
    user = organisations_dao.get_user(row.created_by_id) if row.created_by_id else None
    return user.name if user is not None else "Scrutineer (command line)"


def _summaries(rows: Sequence[ChecklistVersion], in_use: ChecklistVersion) -> list[VersionSummary]:
    """Each version with what it changed: the entries its change log has beyond the version before it."""
    summaries = []
    previous = 0
    for row in rows:
        log = _log(row.content)
        new = log[previous:] if row.organisation_id is not None else []
        previous = len(log)
        changes = []
        if new:
            checklist = parse_checklist(row.content)
            changes = [describe_change(entry, checklist) for entry in new]
        if row.organisation_id is not None and not changes and row.based_on:
            changes = [f"Copied from {row.based_on}, unchanged"]
        summaries.append(VersionSummary(row, _author(row), changes, row.id == in_use.id))
    return summaries


def overview(organisation: Organisation) -> list[ChecklistOverview]:
    """Every checklist the organisation can use: the shipped versions, its own versions, and which is in use."""
    with transaction():  # the shipped checklist is recorded the first time anyone looks, so that it can be linked
        checklists.current(organisation)
    rows = checklists_dao.versions_for(organisation.id)
    result = []
    for checklist_id in dict.fromkeys(row.checklist_id for row in rows):
        now = checklists.current(organisation, checklist_id)
        mine = [r for r in rows if r.checklist_id == checklist_id]
        result.append(
            ChecklistOverview(
                checklist_id=checklist_id,
                current=now,
                shipped=_summaries([r for r in mine if r.organisation_id is None], now.version),
                own=_summaries([r for r in mine if r.organisation_id is not None], now.version),
            )
        )
    return result


@dataclass(frozen=True)
class VersionPage:
    summary: VersionSummary
    checklist: Checklist
    families: list[tuple[str, list[Rule]]]
    current: ChecklistVersion  # the version in use now, which changes apply to

    @property
    def row(self) -> ChecklistVersion:
        return self.summary.row


def version_page(organisation: Organisation, version_id: int) -> VersionPage | None:
    """One version, shipped or the organisation's own, with its checks; None if the organisation may not see it."""
    row = checklists_dao.version_for(organisation.id, version_id)
    if row is None:
        return None
    now = checklists.current(organisation, row.checklist_id)
    checklist = parse_checklist(row.content)
    if row.organisation_id is None:
        summary = VersionSummary(row, None, [], row.id == now.version.id)
    else:
        own = checklists_dao.own_versions(organisation.id, row.checklist_id)
        summary = next(s for s in _summaries(own, now.version) if s.row.id == row.id)
    return VersionPage(summary, checklist, families(checklist), now.version)


@dataclass(frozen=True)
class CurrentCheck:
    """A check of the checklist in use now, as an editor is about to change it."""

    current: checklists.CurrentChecklist
    rule: Rule

    @property
    def checklist(self) -> Checklist:
        return self.current.checklist


def current_check(organisation: Organisation, checklist_id: str, check_id: str) -> CurrentCheck | None:
    """The check as the organisation's checklist sets it now; None if there is no such checklist or check."""
    try:
        now = checklists.current(organisation, checklist_id)
    except checklists.ChecklistRefused:
        return None
    if now.checklist.id != checklist_id:
        return None
    try:
        return CurrentCheck(now, now.checklist.rule(check_id))
    except KeyError:
        return None

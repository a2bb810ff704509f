"""Organisation checklists: an organisation copies the shipped checklist, changes thresholds and severities, and
switches checks off (or on again) with a recorded reason.

Every change is a new `ChecklistVersion` row for that organisation, holding the whole checklist text and its SHA-256,
so earlier audits keep pointing at exactly what they used. The copy keeps the shipped checklist's ID, so audits pick it
up without being told (`auditing.checklist_for` prefers the organisation's newest own version); its versions read
`<shipped version>+<organisation slug>.<n>`, e.g. `2026.1+northshire.3`, and record what they were based on.
"""

from __future__ import annotations

import datetime as dt
import tomllib
from dataclasses import dataclass
from typing import Any

from app.dao import checklists as checklists_dao
from app.dao import events, transaction
from app.extensions import db
from app.models import ChecklistVersion, Organisation, User
from app.services import auditing
from audits import engine
from audits.checklist import DEFAULT_CHECKLIST, Change, Checklist, ChecklistError, derive, parse_checklist


class ChecklistRefused(Exception):
    """The change cannot be made. The message says why and what to do."""


@dataclass(frozen=True)
class CurrentChecklist:
    checklist: Checklist
    version: ChecklistVersion
    own: bool  # the organisation's own copy, not the shipped checklist
    newer_shipped: str | None  # a shipped version newer than the one the copy was based on, if any


def current(organisation: Organisation, checklist_id: str | None = None) -> CurrentChecklist:
    """The checklist the organisation's audits use now."""
    try:
        checklist, version = auditing.checklist_for(organisation, checklist_id)
    except auditing.AuditRefused as error:
        raise ChecklistRefused(str(error)) from None
    own = version.organisation_id == organisation.id
    shipped = checklists_dao.newest_shipped(checklist.id)
    newer = None
    if own and shipped is not None and checklist.based_on and not checklist.based_on.endswith(f"v{shipped.version}"):
        newer = shipped.version
    return CurrentChecklist(checklist, version, own, newer)


def history(organisation: Organisation, checklist_id: str | None = None) -> list[ChecklistVersion]:
    return checklists_dao.own_versions(organisation.id, checklist_id or DEFAULT_CHECKLIST)


def _store(
    organisation: Organisation, text: str, user: User | None, note: str | None, action: str, payload: dict[str, Any]
) -> ChecklistVersion:
    checklist = parse_checklist(text)
    problems = engine.validate(checklist)
    if problems:
        raise ChecklistRefused("; ".join(problems))
    if checklists_dao.find_version(organisation.id, checklist.id, checklist.version) is not None:
        raise ChecklistRefused(f"version {checklist.version} of {checklist.id} already exists")
    row = ChecklistVersion(
        organisation_id=organisation.id,
        checklist_id=checklist.id,
        version=checklist.version,
        title=checklist.title,
        content=checklist.text,
        sha256=checklist.sha256,
        based_on=checklist.based_on,
        change_note=note,
        created_by_id=user.id if user else None,
    )
    db.session.add(row)
    db.session.flush()
    events.record(
        action,
        organisation_id=organisation.id,
        actor=user,
        object_type="checklist",
        object_ref=f"{checklist.id} v{checklist.version}",
        sha256=checklist.sha256,
        note=note,
        **payload,
    )
    return row


def _apply(
    organisation: Organisation,
    changes: list[Change],
    *,
    user: User | None,
    note: str | None,
    checklist_id: str | None,
    action: str,
    first_copy: bool = False,
) -> ChecklistVersion:
    with transaction():
        now = current(organisation, checklist_id)
        if first_copy and now.own:
            raise ChecklistRefused(
                f"{organisation.name} already has its own copy ({now.checklist.label}): change it with "
                "`flask checklist set`, `severity`, `disable` or `enable`"
            )
        version = None if now.own else f"{now.checklist.version}+{organisation.slug}.1"
        try:
            text = derive(
                now.checklist,
                changes,
                author=user.email if user else None,
                note=note,
                version=version,
                changed_at=dt.datetime.now(dt.UTC),
            )
        except ChecklistError as error:
            raise ChecklistRefused(str(error)) from None
        payload = {
            "changes": [
                {k: v for k, v in vars(c).items() if v is not None and k != "check_id"} | {"check": c.check_id}
                for c in changes
            ]
        }
        return _store(organisation, text, user, note, action, payload)


def copy(
    organisation: Organisation, *, user: User | None = None, checklist_id: str | None = None, note: str | None = None
) -> ChecklistVersion:
    """Make the organisation's own copy of the shipped checklist, unchanged, as its first version."""
    return _apply(
        organisation,
        [],
        user=user,
        note=note or "copied from the shipped checklist",
        checklist_id=checklist_id,
        action="checklist.copied",
        first_copy=True,
    )


def set_param(
    organisation: Organisation,
    check_id: str,
    name: str,
    value: Any,
    *,
    reason: str | None = None,
    user: User | None = None,
    checklist_id: str | None = None,
) -> ChecklistVersion:
    return _apply(
        organisation,
        [Change(check_id, "param", name, value, reason)],
        user=user,
        note=reason,
        checklist_id=checklist_id,
        action="checklist.changed",
    )


def set_severity(
    organisation: Organisation,
    check_id: str,
    severity: str,
    *,
    reason: str | None = None,
    user: User | None = None,
    checklist_id: str | None = None,
) -> ChecklistVersion:
    return _apply(
        organisation,
        [Change(check_id, "severity", value=severity, reason=reason)],
        user=user,
        note=reason,
        checklist_id=checklist_id,
        action="checklist.changed",
    )


def disable(
    organisation: Organisation,
    check_id: str,
    reason: str,
    *,
    user: User | None = None,
    checklist_id: str | None = None,
) -> ChecklistVersion:
    if not reason or not reason.strip():
        raise ChecklistRefused(f"switching {check_id} off needs a reason, recorded with the checklist")
    return _apply(
        organisation,
        [Change(check_id, "disable", reason=reason.strip())],
        user=user,
        note=reason,
        checklist_id=checklist_id,
        action="checklist.changed",
    )


def enable(
    organisation: Organisation,
    check_id: str,
    *,
    reason: str | None = None,
    user: User | None = None,
    checklist_id: str | None = None,
) -> ChecklistVersion:
    return _apply(
        organisation,
        [Change(check_id, "enable", reason=reason)],
        user=user,
        note=reason,
        checklist_id=checklist_id,
        action="checklist.changed",
    )


def parse_value(text: str) -> Any:
    """A threshold as typed on the command line: a number, true/false, or text (a TOML value is also accepted)."""
    try:
        return tomllib.loads(f"v = {text}")["v"]
    except tomllib.TOMLDecodeError:
        lowered = text.strip().lower()
        if lowered in ("true", "false"):
            return lowered == "true"
        return text


def change_log(checklist: Checklist) -> list[dict[str, Any]]:
    """The changes recorded in a checklist's [checklist] table, oldest first."""
    head = tomllib.loads(checklist.text).get("checklist", {})
    return list(head.get("changes", []))

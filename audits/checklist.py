"""Checklists: which checks are in force, with their thresholds, word lists, exceptions, severities and references.

A checklist is a TOML file (`audits/checklists/*.toml`). The shipped one is Scrutineer's reading of UK law,
guidance and research; an organisation copies it and changes thresholds or switches checks off with a recorded
reason, and each change makes a new version (`derive`). An audit stores the exact text of the checklist it used
and its SHA-256, so it can be reproduced.

Thresholds never live in code: a check reads them from `Rule.params`. Words that should not trigger a check in
UK public-sector adverts ("NHS Foundation Trust", "talent pool", "Isle of Man") are listed as exceptions of the
check that would otherwise flag them, each with its reason.
"""

from __future__ import annotations

import copy
import datetime as dt
import hashlib
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import tomli_w

from audits.model import Severity, Status

CHECKLIST_DIR = Path(__file__).parent / "checklists"
DEFAULT_CHECKLIST = "uk-public-sector-2026"
SCOPES = ("advert", "campaign")


class ChecklistError(ValueError):
    """The checklist file is not valid. The message names the check and the key."""


@dataclass(frozen=True, slots=True)
class Exception_:
    """Words that must not trigger a check, and why."""

    phrase: str
    reason: str


@dataclass(frozen=True)
class Rule:
    """One check as a checklist sets it: identity, severity, reference and parameters."""

    id: str
    title: str
    family: str
    severity: Severity
    scope: str
    reference: str
    suggestion: str
    data: str
    enabled: bool = True
    disabled_reason: str | None = None
    params: Mapping[str, Any] = field(default_factory=dict)
    exceptions: tuple[Exception_, ...] = ()

    def param(self, name: str) -> Any:
        try:
            return self.params[name]
        except KeyError:
            raise ChecklistError(
                f"check {self.id} needs the parameter {name!r} in its [checks.{self.id}.params] table"
            ) from None

    def severity_param(self, name: str) -> Severity:
        value = self.param(name)
        try:
            return Severity(str(value).lower())
        except ValueError:
            raise ChecklistError(f"check {self.id}: {name} = {value!r} is not a severity") from None

    def status_param(self, name: str) -> Status:
        value = self.param(name)
        try:
            return Status(str(value).lower())
        except ValueError:
            raise ChecklistError(f"check {self.id}: {name} = {value!r} is not a status") from None

    @property
    def exception_phrases(self) -> tuple[str, ...]:
        return tuple(e.phrase for e in self.exceptions)


@dataclass(frozen=True)
class Scoring:
    weights: Mapping[Severity, float]
    credit: Mapping[Status, float]
    green_from: float
    amber_from: float
    red_if_critical_fail: bool
    amber_if_high_fail: bool
    rule_text: str


@dataclass(frozen=True)
class Checklist:
    id: str
    version: str
    title: str
    description: str
    based_on: str | None
    scoring: Scoring
    rules: tuple[Rule, ...]
    text: str  # the exact TOML this checklist was read from
    sha256: str

    def rule(self, check_id: str) -> Rule:
        for rule in self.rules:
            if rule.id == check_id:
                return rule
        raise KeyError(check_id)

    @property
    def enabled_rules(self) -> tuple[Rule, ...]:
        return tuple(rule for rule in self.rules if rule.enabled)

    @property
    def label(self) -> str:
        return f"{self.id} v{self.version}"


def _require(table: Mapping[str, Any], key: str, where: str) -> Any:
    if key not in table or table[key] in (None, ""):
        raise ChecklistError(f"{where} has no {key!r}")
    return table[key]


def _scoring(table: Mapping[str, Any]) -> Scoring:
    where = "[scoring]"
    weights_raw = _require(table, "weights", where)
    credit_raw = _require(table, "credit", where)
    try:
        weights = {Severity(k): float(v) for k, v in weights_raw.items()}
        credit = {Status(k): float(v) for k, v in credit_raw.items()}
    except ValueError as error:
        raise ChecklistError(f"{where}: {error}") from None
    missing = [s.value for s in Severity if s not in weights]
    if missing:
        raise ChecklistError(f"{where} weights has no weight for {', '.join(missing)}")
    for status in (Status.PASS, Status.WARN, Status.FAIL):
        if status not in credit:
            raise ChecklistError(f"{where} credit has no value for {status.value}")
    return Scoring(
        weights=weights,
        credit=credit,
        green_from=float(_require(table, "green_from", where)),
        amber_from=float(_require(table, "amber_from", where)),
        red_if_critical_fail=bool(table.get("red_if_critical_fail", True)),
        amber_if_high_fail=bool(table.get("amber_if_high_fail", True)),
        rule_text=str(_require(table, "rule", where)),
    )


def _rule(check_id: str, table: Mapping[str, Any]) -> Rule:
    where = f"[checks.{check_id}]"
    severity_text = str(_require(table, "severity", where)).lower()
    try:
        severity = Severity(severity_text)
    except ValueError:
        raise ChecklistError(
            f"{where} severity {severity_text!r} is not one of {', '.join(s.value for s in Severity)}"
        ) from None
    scope = str(_require(table, "scope", where))
    if scope not in SCOPES:
        raise ChecklistError(f"{where} scope {scope!r} is not one of {', '.join(SCOPES)}")
    enabled = bool(table.get("enabled", True))
    reason = table.get("disabled_reason")
    if not enabled and not reason:
        raise ChecklistError(f"{where} is switched off without a disabled_reason: record why")
    exceptions = []
    for index, item in enumerate(table.get("exceptions", [])):
        if not isinstance(item, Mapping) or not item.get("phrase") or not item.get("reason"):
            raise ChecklistError(f"{where} exception {index + 1} needs both a phrase and a reason")
        exceptions.append(Exception_(phrase=str(item["phrase"]), reason=str(item["reason"])))
    params = table.get("params", {})
    if not isinstance(params, Mapping):
        raise ChecklistError(f"{where} params must be a table")
    for name, value in params.items():
        # Parameters named for a status or a severity must hold one, or the check would fail at audit time.
        if name == "status" or name.endswith("_status"):
            if str(value).lower() not in {s.value for s in Status}:
                raise ChecklistError(
                    f"{where} {name} = {value!r} is not a status ({', '.join(s.value for s in Status)})"
                )
        elif name == "severity" or name.endswith("_severity"):
            if str(value).lower() not in {s.value for s in Severity}:
                raise ChecklistError(f"{where} {name} = {value!r} is not a severity")
    if "exceptions" in params:
        raise ChecklistError(f"{where}: exceptions belong in the check's own table, above [checks.{check_id}.params]")
    return Rule(
        id=check_id,
        title=str(_require(table, "title", where)),
        family=str(_require(table, "family", where)),
        severity=severity,
        scope=scope,
        reference=str(_require(table, "reference", where)),
        suggestion=str(_require(table, "suggestion", where)),
        data=str(_require(table, "data", where)),
        enabled=enabled,
        disabled_reason=str(reason) if reason else None,
        params=dict(params),
        exceptions=tuple(exceptions),
    )


def parse_checklist(text: str) -> Checklist:
    """Read and validate a checklist from its TOML text."""
    try:
        document = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise ChecklistError(f"the checklist is not valid TOML: {error}") from None
    head = document.get("checklist")
    if not isinstance(head, Mapping):
        raise ChecklistError("the checklist has no [checklist] table with its id and version")
    checks = document.get("checks")
    if not isinstance(checks, Mapping) or not checks:
        raise ChecklistError("the checklist has no [checks.…] tables")
    rules = tuple(_rule(check_id, table) for check_id, table in checks.items())
    return Checklist(
        id=str(_require(head, "id", "[checklist]")),
        version=str(_require(head, "version", "[checklist]")),
        title=str(_require(head, "title", "[checklist]")),
        description=str(head.get("description", "")),
        based_on=head.get("based_on"),
        scoring=_scoring(document.get("scoring", {})),
        rules=rules,
        text=text,
        sha256=hashlib.sha256(text.encode("utf-8")).hexdigest(),
    )


def shipped_paths() -> dict[str, Path]:
    return {path.stem: path for path in sorted(CHECKLIST_DIR.glob("*.toml"))}


def load_shipped(name: str = DEFAULT_CHECKLIST) -> Checklist:
    paths = shipped_paths()
    if name not in paths:
        raise ChecklistError(f"there is no shipped checklist {name!r}; there are: {', '.join(paths)}")
    return parse_checklist(paths[name].read_text(encoding="utf-8"))


@dataclass(frozen=True)
class Change:
    """One edit an organisation makes to its copy of a checklist."""

    check_id: str
    kind: str  # "param", "enable", "disable", "severity"
    name: str | None = None
    value: Any = None
    reason: str | None = None


def _next_version(version: str) -> str:
    head, _, tail = version.rpartition(".")
    if tail.isdigit():
        return f"{head}.{int(tail) + 1}" if head else str(int(tail) + 1)
    return f"{version}.1"


def derive(
    base: Checklist,
    changes: Iterable[Change],
    *,
    new_id: str | None = None,
    author: str | None = None,
    note: str | None = None,
    version: str | None = None,
    changed_at: dt.datetime | None = None,
) -> str:
    """The TOML text of a new version of `base` with `changes` applied. Raises ChecklistError on a bad change.

    `version` names the new version explicitly (an organisation's first copy of a shipped checklist, e.g.
    "2026.1+northshire.1", which then records `based_on`); otherwise the version number is bumped.
    """
    document = tomllib.loads(base.text)
    head = document["checklist"]
    if new_id and new_id != base.id:
        head["based_on"] = f"{base.id} v{base.version}"
        head["id"] = new_id
        head["version"] = version or "1"
    elif version:
        if version == base.version:
            raise ChecklistError(f"the new version must differ from {base.version}")
        head.setdefault("based_on", f"{base.id} v{base.version}")
        head["version"] = version
    else:
        head["version"] = _next_version(base.version)
    head["changed"] = (changed_at or dt.datetime.now(dt.UTC)).replace(microsecond=0).isoformat()
    if author:
        head["changed_by"] = author
    if note:
        head["change_note"] = note
    log = list(head.get("changes", []))
    for change in changes:
        table = document["checks"].get(change.check_id)
        if table is None:
            raise ChecklistError(f"the checklist has no check {change.check_id}")
        entry: dict[str, Any] = {"check": change.check_id, "kind": change.kind}
        if change.kind == "param":
            params = table.setdefault("params", {})
            if change.name not in params:
                raise ChecklistError(f"check {change.check_id} has no parameter {change.name!r}")
            old = params[change.name]
            if type(old) is not type(change.value) and not (
                isinstance(old, int | float) and isinstance(change.value, int | float)
            ):
                raise ChecklistError(f"check {change.check_id}: {change.name} must be a {type(old).__name__}")
            params[change.name] = copy.deepcopy(change.value)
            entry.update(name=change.name, old=old, new=change.value)
        elif change.kind == "disable":
            if not change.reason:
                raise ChecklistError(f"switching {change.check_id} off needs a reason")
            table["enabled"] = False
            table["disabled_reason"] = change.reason
        elif change.kind == "enable":
            table["enabled"] = True
            table.pop("disabled_reason", None)
        elif change.kind == "severity":
            try:
                new_severity = Severity(str(change.value).lower()).value
            except ValueError:
                raise ChecklistError(f"{change.value!r} is not a severity") from None
            entry.update(old=table.get("severity"), new=new_severity)
            table["severity"] = new_severity
        else:
            raise ChecklistError(f"unknown change {change.kind!r}")
        if change.reason:
            entry["reason"] = change.reason
        log.append(entry)
    head["changes"] = log
    text = tomli_w.dumps(document)
    parse_checklist(text)  # what we write must read back
    return text

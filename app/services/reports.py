"""Workbooks: writing an audit's workbook, verifying one that comes back, and taking the agency's responses from it.

A workbook is verified three ways: its findings are re-hashed from the sheet and compared with the SHA-256 on its
Provenance sheet; that SHA-256 and the audit ID must carry this installation's seal (an HMAC keyed with its
secret); and each finding row is compared with the findings stored for that audit, so that `verify` can say which
findings were changed, in which column, and how.

The round trip: the agency fills in Agency response and Response note and sends the workbook back. Importing it
verifies it first (a tampered workbook, or one from another audit or organisation, is refused and nothing is
recorded), then records each filled-in row through `responses.record_response`, exactly as the web app does, so
the event log says who answered what and when.

Functions for the web pages and jobs: `write_workbook`, `verify_workbook`, `is_returned_workbook` and
`import_responses`.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from app.dao import audits as audits_dao
from app.dao import events, transaction
from app.extensions import db
from app.models import AuditRun, Organisation, User
from app.security import seal, seal_matches
from app.services.auditing import build_bundle, finding_rows
from app.services.responses import RESPONSES, ResponseRefused, record_response
from audits import workbook
from audits.checklist import parse_checklist
from audits.workbook import WorkbookUnreadable

__all__ = [
    "Change",
    "ResponseImport",
    "ResponsesRefused",
    "Verification",
    "WorkbookUnreadable",
    "import_responses",
    "is_returned_workbook",
    "returned_workbook",
    "verify_workbook",
    "workbook_data",
    "write_workbook",
]

MAX_LISTED_CHANGES = 50  # finding-level messages listed by verify; the rest are counted
FORMAT_NAME = "scrutineer-workbook"  # how a returned workbook is named in import reports


def _thresholds(params: dict) -> str:
    shown = []
    for key, value in params.items():
        if isinstance(value, list):
            shown.append(f"{key}: {len(value)} entries")
        else:
            shown.append(f"{key} = {value}")
    return "; ".join(shown)


def _rows_of(run: AuditRun) -> Iterator[workbook.FindingRow]:
    """The audit's findings as workbook rows, streamed from the database (the same conversion the digest used)."""
    for finding in audits_dao.iter_findings(run):
        yield from finding_rows(run, [finding])


def workbook_data(run: AuditRun) -> workbook.WorkbookData:
    """Everything the workbook of `run` shows. Its findings are a generator: pass the result to `write` once."""
    organisation = db.session.get(Organisation, run.organisation_id)
    assert organisation is not None
    campaign = run.campaign
    checklist = parse_checklist(run.checklist_snapshot)
    if run.evidence is not None:  # as the audit read them
        sheets = workbook.EvidenceSheets.from_json(run.evidence)
    else:  # an audit from before evidence was kept: the records as they are now, and the workbook says so
        sheets = workbook.EvidenceSheets.from_bundle(build_bundle(organisation, campaign, run.as_of)[0])
    rules = [
        workbook.RuleRow(
            check_id=r.id,
            title=r.title,
            family=r.family,
            severity=r.severity.label,
            enabled=r.enabled,
            disabled_reason=r.disabled_reason,
            thresholds=_thresholds(dict(r.params)),
            data=r.data,
            reference=r.reference,
        )
        for r in checklist.rules
    ]
    inputs = [
        workbook.InputRow(
            name=i["name"],
            sha256=i["sha256"],
            format=i["format"],
            rows_read=i["rows_read"],
            rows_stored=i["rows_stored"],
            rows_rejected=i["rows_rejected"],
            problems=i.get("problems", []),
            notes=i.get("notes", []),
            unknown_columns=i.get("unknown_columns", {}),
        )
        for i in run.inputs
    ]
    return workbook.WorkbookData(
        audit_id=run.public_id,
        created_at=run.created_at,
        as_of=run.as_of,
        organisation=organisation.name,
        agency=sheets.agency,
        campaign_ref=campaign.ref,
        role_title=sheets.role_title,
        campaign_dates=sheets.campaign_dates,
        score=run.score,
        rag=run.rag,
        score_reason=run.score_reason or "",
        scoring_rule=checklist.scoring.rule_text,
        findings=_rows_of(run),
        checklist_id=run.checklist_id,
        checklist_version=run.checklist_version,
        checklist_sha256=run.checklist_sha256,
        rules=rules,
        inputs=inputs,
        adverts=sheets.adverts,
        pipeline=sheets.pipeline,
        outreach=sheets.outreach,
        scrutineer_version=run.scrutineer_version,
        library_versions=dict(run.library_versions or {}),
        findings_sha256=run.findings_sha256,
        seal=seal(run.public_id, run.findings_sha256),
        evidence_kept=run.evidence is not None,
    )


def write_workbook(run: AuditRun, path: Path) -> Path:
    """Write the workbook of `run` (with the agency's responses as stored now) to `path`."""
    workbook.write(workbook_data(run), path)
    return path


# --- verifying -----------------------------------------------------------------------------------------------


def _shorten(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


@dataclass
class Change:
    """One hashed cell of one finding that differs from the audit."""

    ref: str
    column: str
    before: str
    after: str

    def describe(self) -> str:
        return f"{self.column} (“{_shorten(self.before)}” → “{_shorten(self.after)}”)"


@dataclass
class Verification:
    """What `verify_workbook` found. `ok` means: written by this installation, for this audit, and unaltered apart
    from the agency's response columns. `messages` says why not, one reason per line, for people."""

    ok: bool
    audit_id: str | None
    file: str = ""
    messages: list[str] = field(default_factory=list)
    changes: list[Change] = field(default_factory=list)
    added: list[str] = field(default_factory=list)  # rows whose finding ID is not in the audit
    removed: list[str] = field(default_factory=list)  # findings of the audit missing from the sheet
    duplicated: list[str] = field(default_factory=list)
    responses: dict[str, tuple[str | None, str | None]] = field(default_factory=dict)
    rows: dict[str, int] = field(default_factory=dict)  # finding ID -> sheet row
    sealed: bool = False  # the seal matches: this installation wrote it
    run: AuditRun | None = None

    @property
    def kind(self) -> str:
        return "audit"  # beside scorecards.ScorecardVerification's "scorecard", for the page that shows either

    @property
    def ref(self) -> str | None:
        return self.audit_id

    @property
    def changed(self) -> list[str]:
        """Finding IDs that were changed, added, removed or repeated, in finding order."""
        refs = {c.ref for c in self.changes} | set(self.added) | set(self.removed) | set(self.duplicated)
        return sorted(refs, key=workbook.finding_order)

    @property
    def responses_filled(self) -> int:
        return sum(1 for response, note in self.responses.values() if response or note)

    def reason(self) -> str:
        """Why the workbook did not verify, in one line."""
        if self.ok:
            return "it verifies"
        first = self.messages[0] if self.messages else "it does not verify"
        more = len(self.messages) - 1
        return first + (
            f" (and {more} more {'problem' if more == 1 else 'problems'}: run `flask verify`)" if more else ""
        )


def verify_workbook(
    path: Path | workbook.Book, organisation_id: int | None = None, name: str | None = None
) -> Verification:
    """Is this workbook one this installation wrote, for an audit of `organisation_id` (any organisation if None),
    unaltered apart from the agency's response columns? Raises WorkbookUnreadable for a file it cannot read."""
    book = path if isinstance(path, workbook.Book) else workbook.open_book(path, name)
    name = name or book.name
    back = workbook.read(book)
    audit_id = back.provenance.get("Audit ID") or None
    claimed = back.provenance.get("Findings SHA-256", "")
    result = Verification(ok=True, audit_id=audit_id, file=name)
    for row in back.findings:
        result.rows.setdefault(row.ref, row.row or 0)
    if not audit_id or not claimed:
        result.ok = False
        result.messages.append(
            "its Provenance sheet has no audit ID or findings SHA-256: it is not a Scrutineer audit workbook, "
            "or its Provenance sheet was edited"
        )
        return result
    result.sealed = seal_matches(audit_id, claimed, back.provenance.get("Seal", ""))
    if not result.sealed:
        result.ok = False
        result.messages.append(
            "its seal does not match: it was not written by this Scrutineer installation, or its Provenance sheet "
            "was edited"
        )
    if back.recomputed_sha256 != claimed:
        result.ok = False
        result.messages.append(
            "its findings do not hash to the SHA-256 on its Provenance sheet: a finding was changed, added or removed"
        )
    run = audits_dao.audit_by_public_id(audit_id, organisation_id)
    result.run = run
    if run is None:
        result.ok = False
        where = "in this organisation" if organisation_id is not None else "here"
        result.messages.append(f"there is no audit {audit_id} {where}")
        return result
    if claimed != run.findings_sha256:
        result.ok = False
        result.messages.append(f"its findings SHA-256 is not the one stored with audit {audit_id}")

    # Fingerprints, not text, of the stored findings: a large audit's findings are not all held in memory.
    stored = {row.ref: workbook.row_digest(row.cells()) for row in _rows_of(run)}
    seen: set[str] = set()
    listed: list[str] = []
    edited: list[workbook.FindingRow] = []
    for row in back.findings:
        if row.ref in seen:
            result.duplicated.append(row.ref)
            listed.append(f"finding {row.ref} appears more than once (row {row.row})")
            continue
        seen.add(row.ref)
        fingerprint = stored.get(row.ref)
        if fingerprint is None:
            result.added.append(row.ref or f"(row {row.row})")
            listed.append(f"row {row.row}: finding {row.ref or '(no ID)'} is not part of audit {audit_id}")
            continue
        if workbook.row_digest(row.cells()) != fingerprint:
            edited.append(row)
        result.responses[row.ref] = (row.response, row.note)
    listed.extend(_changes(run, edited, result))
    for missing in sorted(set(stored) - seen, key=workbook.finding_order):
        result.removed.append(missing)
        listed.append(f"finding {missing} was removed")
    if listed:
        result.ok = False
        result.messages.extend(listed[:MAX_LISTED_CHANGES])
        if len(listed) > MAX_LISTED_CHANGES:
            result.messages.append(f"and {len(listed) - MAX_LISTED_CHANGES:,} more changed findings")
    return result


def _changes(run: AuditRun, edited: list[workbook.FindingRow], result: Verification) -> list[str]:
    """Which cells of the edited rows differ from the audit, and how; added to `result.changes`."""
    originals = {
        row.ref: row.cells()
        for row in finding_rows(run, list(audits_dao.findings_by_ref(run, [r.ref for r in edited]).values()))
    }
    columns = workbook.FINDING_COLUMNS[: workbook.HASHED_COLUMNS]
    listed = []
    for row in edited:
        differences = [
            Change(row.ref, column, mine, theirs)
            for column, mine, theirs in zip(columns, originals[row.ref], row.cells(), strict=True)
            if mine != theirs
        ]
        result.changes.extend(differences)
        listed.append(f"finding {row.ref} was changed: " + ", ".join(d.describe() for d in differences))
    return listed


# --- the round trip ------------------------------------------------------------------------------------------


class ResponsesRefused(Exception):
    """A returned workbook cannot be taken: tampered, from another audit or organisation. Nothing was recorded.
    `str(error)` is one line naming the file and saying why."""


def is_returned_workbook(path: Path | workbook.Book) -> bool:
    """Is this file a Scrutineer audit workbook (to be imported as the agency's responses, not as data)?"""
    return workbook.is_audit_workbook(path)


def returned_workbook(path: Path) -> workbook.Book | None:
    """The file, read once, if it is a Scrutineer audit workbook (see `is_returned_workbook`); else None."""
    return workbook.audit_workbook(path)


@dataclass
class ResponseProblem:
    row: int
    column: str
    value: str
    message: str


@dataclass
class ResponseImport:
    """What importing a returned workbook did."""

    file: str
    sha256: str
    audit_id: str
    campaign_ref: str
    findings: int  # finding rows read
    recorded: int = 0  # responses recorded or changed
    unchanged: int = 0  # filled in, the same as already stored
    blank: int = 0  # rows the agency left empty (stored responses are kept)
    invalid: list[ResponseProblem] = field(default_factory=list)

    def describe(self) -> str:
        return (
            f"{self.file}: the workbook of audit {self.audit_id} ({self.campaign_ref}); {self.recorded} "
            f"{'response' if self.recorded == 1 else 'responses'} recorded, {self.unchanged} unchanged, "
            f"{len(self.invalid)} invalid, {self.blank} left blank"
        )

    def as_dict(self) -> dict[str, Any]:
        """The shape of one file in `flask import --json`."""
        return {
            "file": self.file,
            "format": FORMAT_NAME,
            "sha256": self.sha256,
            "rows_read": self.findings,
            "rows_stored": self.recorded,
            "rows_rejected": len(self.invalid),
            "problems": [
                {"row": p.row, "column": p.column, "value": p.value, "message": p.message} for p in self.invalid
            ],
            "audit_id": self.audit_id,
            "campaign": self.campaign_ref,
            "responses": {
                "recorded": self.recorded,
                "unchanged": self.unchanged,
                "blank": self.blank,
                "invalid": len(self.invalid),
            },
        }


def _file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def import_responses(
    path: Path | workbook.Book,
    name: str | None = None,
    *,
    organisation_id: int | None,
    user: User | None = None,
    actor_label: str | None = None,
    expected_audit_id: str | None = None,
    authorise: Callable[[AuditRun], None] | None = None,
) -> ResponseImport:
    """Take the agency's responses from a returned workbook and attach them to the findings of its audit.

    The workbook must verify (see `verify_workbook`) for an audit of `organisation_id` (None: any organisation, for
    the command line), and be the workbook of `expected_audit_id` if given (the audit page it was uploaded on).
    `authorise(run)` may raise to refuse (the web app checks the user may answer for that campaign's agency).
    Each filled-in row goes through `record_response` (via "workbook"), which logs who and when: `user`, or
    `actor_label` when there is no signed-in user. Rows left blank keep whatever is stored. Values that are not
    a response are reported with their row and not recorded; the other rows are.

    Raises WorkbookUnreadable (not a workbook it can read) or ResponsesRefused (nothing recorded).
    """
    book = path if isinstance(path, workbook.Book) else workbook.open_book(path, name)
    name = name or book.name
    result = verify_workbook(book, organisation_id, name)
    if expected_audit_id is not None and result.audit_id != expected_audit_id:
        raise ResponsesRefused(
            f"{name}: this is the workbook of audit {result.audit_id or 'unknown'}, not of audit "
            f"{expected_audit_id}: nothing was recorded"
        )
    run = result.run
    if not result.ok or run is None:
        if run is not None:
            with transaction():
                events.record(
                    "audit.responses_refused",
                    organisation_id=run.organisation_id,
                    actor=user,
                    actor_label=None if user else actor_label,
                    object_type="audit",
                    object_ref=run.public_id,
                    file=name,
                    reasons=result.messages[:20],
                )
        raise ResponsesRefused(f"{name}: refused, nothing was recorded: {result.reason()}")
    if authorise is not None:
        authorise(run)
    outcome = ResponseImport(
        file=name,
        sha256=_file_sha256(book.path),
        audit_id=run.public_id,
        campaign_ref=run.campaign.ref,
        findings=len(result.rows),
    )
    filled = {ref: answer for ref, answer in result.responses.items() if answer[0] or answer[1]}
    outcome.blank = len(result.responses) - len(filled)
    findings = audits_dao.findings_by_ref(run, filled)
    label = None if user else (actor_label or f"{name} (returned workbook)")
    known = {r.lower() for r in RESPONSES}
    for ref, (response, note) in sorted(filled.items(), key=lambda item: result.rows.get(item[0], 0)):
        try:
            changed = record_response(findings[ref], response, note, user=user, via="workbook", actor_label=label)
        except ResponseRefused as error:
            bad_response = bool(response and response.strip().lower() not in known)
            outcome.invalid.append(
                ResponseProblem(
                    row=result.rows.get(ref, 0),
                    column="Agency response" if bad_response else "Response note",
                    value=_shorten((response if bad_response else note) or "", 80),
                    message=str(error),
                )
            )
            continue
        if changed:
            outcome.recorded += 1
        else:
            outcome.unchanged += 1
    with transaction():
        events.record(
            "audit.responses_imported",
            organisation_id=run.organisation_id,
            actor=user,
            actor_label=label,
            object_type="audit",
            object_ref=run.public_id,
            file=name,
            sha256=outcome.sha256,
            recorded=outcome.recorded,
            unchanged=outcome.unchanged,
            blank=outcome.blank,
            invalid=[{"row": p.row, "column": p.column, "value": p.value} for p in outcome.invalid],
        )
    return outcome

"""Answers to findings: the agency's response (agree, disagree, remediated, with a note) and the auditor's review
(accept a risk, or override a status with a written reason). Both are recorded in the event log.

The agency answers in the web app or in the workbook (imported back by `app/services/reports.py`); both go through
`record_response`, so the rules and the log are the same either way.
"""

from __future__ import annotations

from app.dao import events, transaction
from app.models import Finding, User, utcnow
from audits.model import Status

RESPONSES = ("Agree", "Disagree", "Remediated")
REVIEW_DECISIONS = ("accepted_risk", "override")
MAX_NOTE = 4000


class ResponseRefused(ValueError):
    """The response or review cannot be recorded. The message says why."""


def record_response(
    finding: Finding,
    response: str | None,
    note: str | None,
    *,
    user: User | None,
    via: str = "web",
    actor_label: str | None = None,
) -> bool:
    """Set the agency's response to a finding. Returns True if anything changed.

    `actor_label` names who answered when there is no signed-in user (a returned workbook imported on the command
    line names its file)."""
    response = (response or "").strip() or None
    note = (note or "").strip() or None
    if response is not None:
        matches = [r for r in RESPONSES if r.lower() == response.lower()]
        if not matches:
            raise ResponseRefused(f"{response!r} is not a response: choose Agree, Disagree or Remediated")
        response = matches[0]
    if note is not None and len(note) > MAX_NOTE:
        raise ResponseRefused(f"the note is longer than {MAX_NOTE:,} characters")
    if (finding.agency_response, finding.response_note) == (response, note):
        return False
    with transaction():
        before = {"response": finding.agency_response, "note": finding.response_note}
        finding.agency_response = response
        finding.response_note = note
        finding.responded_by_id = user.id if user else None
        finding.responded_at = utcnow()
        events.record(
            "finding.response",
            organisation_id=finding.organisation_id,
            actor=user,
            actor_label=None if user else (actor_label or f"workbook ({via})"),
            object_type="finding",
            object_ref=finding.ref,
            via=via,
            before=before,
            response=response,
            note=note,
        )
    return True


def review_finding(finding: Finding, decision: str, reason: str, *, user: User, status: str | None = None) -> None:
    """An auditor accepts a risk, or overrides a finding's status, with a written reason."""
    if decision not in REVIEW_DECISIONS:
        raise ResponseRefused(f"{decision!r} is not a review decision")
    reason = (reason or "").strip()
    if len(reason) < 10:
        raise ResponseRefused("write the reason for the decision (at least 10 characters)")
    if decision == "override":
        try:
            new_status = Status(status or "")
        except ValueError:
            raise ResponseRefused("choose the status the finding should have") from None
        if new_status.value == finding.status:
            raise ResponseRefused("the new status is the same as the finding's status")
    else:
        new_status = None
    with transaction():
        finding.review_decision = decision
        finding.review_status = new_status.value if new_status else None
        finding.review_reason = reason
        finding.reviewed_by_id = user.id
        finding.reviewed_at = utcnow()
        events.record(
            "finding.review",
            organisation_id=finding.organisation_id,
            actor=user,
            object_type="finding",
            object_ref=finding.ref,
            decision=decision,
            status=finding.status,
            new_status=finding.review_status,
            reason=reason,
        )

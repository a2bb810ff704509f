"""Data subjects' rights: find everything Scrutineer holds about a candidate from their identifier, and erase it.

Scrutineer never stores a candidate's name, e-mail or profile URL, only a keyed hash of it (app/security.py). So a
request is answered by hashing the identifier the person gives (e-mail, name as the agency wrote it, LinkedIn
profile URL) the same way and looking for that key. The event log records the key and the counts, never the
identifier itself, so logging an erasure does not re-identify the person.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import delete, select

from app.dao import events, transaction
from app.extensions import db
from app.models import Campaign, Candidate, Organisation, User
from app.security import pseudonymiser
from app.services.imports import CANDIDATE_COLUMNS

# What is held about a candidate: every stored column but the links and the key itself.
CANDIDATE_FIELDS = CANDIDATE_COLUMNS[CANDIDATE_COLUMNS.index("candidate_key") + 1 :]


@dataclass
class SubjectReport:
    """What is held about one person, by organisation."""

    key: str
    records: list[dict[str, Any]] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.records)


def subject_key(identifier: str) -> str:
    return pseudonymiser()(identifier)


def _scope(query: Any, model: Any, organisation: Organisation | None) -> Any:
    return query if organisation is None else query.where(model.organisation_id == organisation.id)


def find_subject(identifier: str, organisation: Organisation | None = None) -> SubjectReport:
    """Every candidate record held under this person's key (in one organisation, or in all for the operator)."""
    key = subject_key(identifier)
    query = (
        select(Candidate, Campaign.ref, Organisation.name)
        .join(Campaign, Campaign.id == Candidate.campaign_id)
        .join(Organisation, Organisation.id == Candidate.organisation_id)
        .where(Candidate.candidate_key == key)
    )
    query = _scope(query, Candidate, organisation)
    report = SubjectReport(key=key)
    for candidate, campaign_ref, organisation_name in db.session.execute(query.order_by(Candidate.id)):
        record: dict[str, Any] = {
            "organisation": organisation_name,
            "campaign": campaign_ref,
            "kind": "candidate",
            "source_row": candidate.source_row,
        }
        for name in CANDIDATE_FIELDS:
            value = getattr(candidate, name)
            record[name] = value.isoformat() if hasattr(value, "isoformat") else value
        report.records.append(record)
    return report


def erase_subject(
    identifier: str,
    *,
    organisation: Organisation | None = None,
    actor: User | None = None,
    actor_label: str | None = None,
    reason: str,
) -> int:
    """Delete every record held under this person's key; log the erasure (key and counts only). Returns the count."""
    if len((reason or "").strip()) < 5:
        raise ValueError("give the reason for the erasure (for example the request reference)")
    key = subject_key(identifier)
    with transaction():
        query = select(Candidate.organisation_id, Candidate.id).where(Candidate.candidate_key == key)
        rows = list(db.session.execute(_scope(query, Candidate, organisation)))
        by_organisation: dict[int, int] = {}
        for organisation_id, _candidate_id in rows:
            by_organisation[organisation_id] = by_organisation.get(organisation_id, 0) + 1
        if rows:
            db.session.execute(delete(Candidate).where(Candidate.id.in_([candidate_id for _o, candidate_id in rows])))
        for organisation_id, count in sorted(by_organisation.items()) or [
            (organisation.id if organisation else None, 0)
        ]:
            events.record(
                "subject.erased",
                organisation_id=organisation_id,
                actor=actor,
                actor_label=actor_label,
                object_type="subject",
                object_ref=key,
                candidates=count,
                reason=reason.strip(),
            )
    return len(rows)

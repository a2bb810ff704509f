"""Checklist versions: the shipped checklist and organisations' own copies."""

from __future__ import annotations

from sqlalchemy import or_, select

from app.extensions import db
from app.models import ChecklistVersion


def find_version(organisation_id: int | None, checklist_id: str, version: str) -> ChecklistVersion | None:
    owner = (
        ChecklistVersion.organisation_id.is_(None)
        if organisation_id is None
        else ChecklistVersion.organisation_id == organisation_id
    )
    return db.session.scalar(
        select(ChecklistVersion).where(
            owner, ChecklistVersion.checklist_id == checklist_id, ChecklistVersion.version == version
        )
    )


def latest_version(organisation_id: int, checklist_id: str) -> ChecklistVersion | None:
    """The newest version of a checklist the organisation may use: its own newest copy if it has one (even when a
    newer shipped version has arrived since), else the newest shipped one."""
    return db.session.scalar(
        select(ChecklistVersion)
        .where(
            or_(ChecklistVersion.organisation_id == organisation_id, ChecklistVersion.organisation_id.is_(None)),
            ChecklistVersion.checklist_id == checklist_id,
        )
        .order_by(ChecklistVersion.organisation_id.is_(None), ChecklistVersion.id.desc())
    )


def own_versions(organisation_id: int, checklist_id: str) -> list[ChecklistVersion]:
    """The organisation's own versions of a checklist, oldest first."""
    return list(
        db.session.scalars(
            select(ChecklistVersion)
            .where(ChecklistVersion.organisation_id == organisation_id, ChecklistVersion.checklist_id == checklist_id)
            .order_by(ChecklistVersion.id)
        )
    )


def newest_shipped(checklist_id: str) -> ChecklistVersion | None:
    return db.session.scalar(
        select(ChecklistVersion)
        .where(ChecklistVersion.organisation_id.is_(None), ChecklistVersion.checklist_id == checklist_id)
        .order_by(ChecklistVersion.id.desc())
    )


def versions_for(organisation_id: int) -> list[ChecklistVersion]:
    return list(
        db.session.scalars(
            select(ChecklistVersion)
            .where(or_(ChecklistVersion.organisation_id == organisation_id, ChecklistVersion.organisation_id.is_(None)))
            .order_by(ChecklistVersion.checklist_id, ChecklistVersion.id)
        )
    )


def version_for(organisation_id: int, version_id: int) -> ChecklistVersion | None:
    """A checklist version the organisation may read: one of its own, or a shipped one. Another organisation's is
    not found."""
    return db.session.scalar(
        select(ChecklistVersion).where(
            ChecklistVersion.id == version_id,
            or_(ChecklistVersion.organisation_id == organisation_id, ChecklistVersion.organisation_id.is_(None)),
        )
    )

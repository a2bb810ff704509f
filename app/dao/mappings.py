"""Saved column mappings: how each agency's own layouts map onto the template."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import exists, select

from app.extensions import db
from app.models import ColumnMapping


def has_mappings(organisation_id: int) -> bool:
    return bool(db.session.scalar(select(exists().where(ColumnMapping.organisation_id == organisation_id))))


def mappings_with_signatures(organisation_id: int, signatures: Iterable[str]) -> list[ColumnMapping]:
    """Saved mappings for any of these header signatures, newest first."""
    wanted = list(set(signatures))
    if not wanted:
        return []
    return list(
        db.session.scalars(
            select(ColumnMapping)
            .where(ColumnMapping.organisation_id == organisation_id, ColumnMapping.signature.in_(wanted))
            .order_by(ColumnMapping.id.desc())
        )
    )


def find_mapping(organisation_id: int, agency_id: int | None, table_name: str, signature: str) -> ColumnMapping | None:
    query = select(ColumnMapping).where(
        ColumnMapping.organisation_id == organisation_id,
        ColumnMapping.table_name == table_name,
        ColumnMapping.signature == signature,
    )
    query = query.where(
        ColumnMapping.agency_id.is_(None) if agency_id is None else ColumnMapping.agency_id == agency_id
    )
    return db.session.scalar(query.order_by(ColumnMapping.id.desc()))


def mappings_of(organisation_id: int, agency_id: int | None = None) -> list[ColumnMapping]:
    query = select(ColumnMapping).where(ColumnMapping.organisation_id == organisation_id)
    if agency_id is not None:
        query = query.where(ColumnMapping.agency_id == agency_id)
    return list(db.session.scalars(query.order_by(ColumnMapping.id.desc())))

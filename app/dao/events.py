"""The event log: append only. This module has no function that updates or deletes an event, on purpose."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from app.extensions import db
from app.models import Event, User


def record(
    action: str,
    *,
    organisation_id: int | None,
    actor: User | None = None,
    actor_label: str | None = None,
    object_type: str | None = None,
    object_ref: str | None = None,
    **payload: Any,
) -> Event:
    """Add an event to the session; it is committed with the work it describes."""
    event = Event(
        organisation_id=organisation_id,
        actor_id=actor.id if actor is not None else None,
        actor_label=actor_label or (actor.email if actor is not None else "system"),
        action=action,
        object_type=object_type,
        object_ref=object_ref,
        payload=payload,
    )
    db.session.add(event)
    return event


def events_for(
    organisation_id: int, *, object_type: str | None = None, object_ref: str | None = None, limit: int = 200
) -> list[Event]:
    query = select(Event).where(Event.organisation_id == organisation_id)
    if object_type:
        query = query.where(Event.object_type == object_type)
    if object_ref:
        query = query.where(Event.object_ref == object_ref)
    return list(db.session.scalars(query.order_by(Event.id.desc()).limit(limit)))

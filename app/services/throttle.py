"""Slowing down password guessing without locking real users out for long.

Failed sign-ins are recorded in the event log with keyed hashes of the e-mail address and the client's IP address
(never in clear). A sign-in is refused with 429 when, in the last WINDOW, there were:
- FAILURES_PER_ACCOUNT failures for this e-mail from this address (one person mistyping, or a guesser), or
- FAILURES_PER_ADDRESS failures from this address across all e-mails (credential stuffing).
The window slides, so a locked-out user can try again a few minutes later; a successful sign-in clears nothing but
stops counting. Works across processes and machines, because the log is in the shared database.
"""

from __future__ import annotations

import hashlib
import hmac
from datetime import timedelta

from flask import current_app
from sqlalchemy import func, select

from app.dao import events, transaction
from app.extensions import db
from app.models import Event, utcnow

WINDOW = timedelta(minutes=15)
FAILURES_PER_ACCOUNT = 5
FAILURES_PER_ADDRESS = 30
ACTION = "auth.sign_in_failed"


def _key(kind: str, value: str) -> str:
    secret = current_app.config["SECRET_KEY"].encode()
    return hmac.new(secret, f"throttle:{kind}:{value.strip().lower()}".encode(), hashlib.sha256).hexdigest()[:32]


def _recent(object_ref: str | None = None, address_key: str | None = None) -> int:
    query = select(func.count()).select_from(Event).where(Event.action == ACTION, Event.created_at >= utcnow() - WINDOW)
    if object_ref is not None:
        query = query.where(Event.object_ref == object_ref)
    if address_key is not None:
        query = query.where(Event.object_type == f"address:{address_key}")
    return db.session.scalar(query) or 0


def allowed(email: str, address: str | None) -> bool:
    """May this e-mail try to sign in from this address now?"""
    account = _key("account", f"{email}|{address or ''}")
    if _recent(object_ref=account) >= FAILURES_PER_ACCOUNT:
        return False
    return _recent(address_key=_key("address", address or "")) < FAILURES_PER_ADDRESS


def record_failure(email: str, address: str | None) -> None:
    with transaction():
        events.record(
            ACTION,
            organisation_id=None,
            actor_label="anonymous",
            object_type=f"address:{_key('address', address or '')}",
            object_ref=_key("account", f"{email}|{address or ''}"),
        )

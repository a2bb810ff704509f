"""Who may do what: every role check in Scrutineer goes through `can` or `require`.

Roles are per organisation (a Membership): admin, auditor, recruiter (bound to one agency, sees only its campaigns)
and procurement (read-only). The signed-in user's current membership is chosen once per request; every query a
view makes is scoped to its organisation, and objects from another organisation are reported as not found (404),
so their existence is not revealed.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from flask import abort, has_request_context, request, session
from flask_login import current_user, login_required

from app.dao import organisations as organisations_dao
from app.models import Campaign, Membership, Organisation

ACTIONS: dict[str, frozenset[str]] = {
    "campaign.view": frozenset({"admin", "auditor", "recruiter", "procurement"}),
    "campaign.edit": frozenset({"admin", "auditor"}),
    "upload.create": frozenset({"admin", "auditor", "recruiter"}),
    "advert.fetch": frozenset({"admin", "auditor", "recruiter"}),
    "audit.run": frozenset({"admin", "auditor"}),
    "audit.view": frozenset({"admin", "auditor", "recruiter", "procurement"}),
    "workbook.download": frozenset({"admin", "auditor", "recruiter", "procurement"}),
    "finding.respond": frozenset({"admin", "recruiter"}),
    "finding.review": frozenset({"admin", "auditor"}),
    "checklist.view": frozenset({"admin", "auditor", "recruiter", "procurement"}),
    "checklist.edit": frozenset({"admin", "auditor"}),
    "scorecard.view": frozenset({"admin", "auditor", "procurement"}),
    "workbook.verify": frozenset({"admin", "auditor", "recruiter", "procurement"}),
    "members.manage": frozenset({"admin"}),
    "advert.selfcheck": frozenset({"admin", "auditor", "recruiter", "procurement"}),
}


def current_membership() -> Membership | None:
    """The membership the signed-in user acts under in this request."""
    cache = request.environ.setdefault("scrutineer.authz", {}) if has_request_context() else {}
    if "membership" in cache:
        return cache["membership"]
    found: Membership | None = None
    if current_user.is_authenticated:
        memberships = organisations_dao.memberships_of(current_user)
        wanted = session.get("organisation_id")
        found = next((m for m in memberships if m.organisation_id == wanted), None) or (
            memberships[0] if memberships else None
        )
    cache["membership"] = found
    return found


def current_organisation() -> Organisation | None:
    membership = current_membership()
    return membership.organisation if membership else None


def can(action: str, campaign: Campaign | None = None, membership: Membership | None = None) -> bool:
    membership = membership or current_membership()
    if membership is None:
        return False
    roles = ACTIONS.get(action)
    if roles is None:
        raise KeyError(f"unknown action {action!r}")
    if membership.role not in roles:
        return False
    if campaign is not None:
        if campaign.organisation_id != membership.organisation_id:
            return False
        if membership.role == "recruiter" and campaign.agency_id != membership.agency_id:
            return False
    return True


def require(action: str, campaign: Campaign | None = None) -> Membership:
    """The current membership if it may do `action` (on `campaign`); otherwise 404 for others' objects, else 403."""
    membership = current_membership()
    if membership is None:
        abort(403)
    if campaign is not None and campaign.organisation_id != membership.organisation_id:
        abort(404)
    if membership.role == "recruiter" and campaign is not None and campaign.agency_id != membership.agency_id:
        abort(404)
    if not can(action, campaign, membership):
        abort(403)
    return membership


F = TypeVar("F", bound=Callable[..., Any])


def requires(action: str) -> Callable[[F], F]:
    """Decorator for views: signed in, and allowed `action` in the current organisation."""

    def decorate(view: F) -> F:
        @wraps(view)
        @login_required
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            require(action)
            return view(*args, **kwargs)

        return wrapped  # type: ignore[return-value]

    return decorate

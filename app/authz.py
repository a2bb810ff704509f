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
    # Taking the agency's answers from a returned workbook: the agency itself, or an auditor it sent the workbook to.
    "responses.import": frozenset({"admin", "auditor", "recruiter"}),
    "checklist.view": frozenset({"admin", "auditor", "recruiter", "procurement"}),
    "checklist.edit": frozenset({"admin", "auditor"}),
    "scorecard.view": frozenset({"admin", "auditor", "procurement"}),
    "workbook.verify": frozenset({"admin", "auditor", "recruiter", "procurement"}),
    "members.manage": frozenset({"admin"}),
    # The self-check stores nothing, but it is a recruiter's and auditor's tool: procurement only reads.
    "advert.selfcheck": frozenset({"admin", "auditor", "recruiter"}),
    "upload.view": frozenset({"admin", "auditor", "recruiter", "procurement"}),
    "advert.view": frozenset({"admin", "auditor", "recruiter", "procurement"}),
    # Background jobs: recruiters and procurement see only the jobs they started (procurement starts only the jobs
    # that prepare a workbook or scorecard to download).
    "job.view": frozenset({"admin", "auditor", "recruiter", "procurement"}),
    "job.retry": frozenset({"admin", "auditor", "recruiter", "procurement"}),
}
# Actions on jobs, where procurement sees only its own (the files it asked for), not the organisation's imports.
_OWN_ONLY_FOR_PROCUREMENT = frozenset({"job.view", "job.retry"})


def current_membership() -> Membership | None:
    """The membership the signed-in user acts under in this request."""
    cache = request.environ.setdefault("scrutineer.authz", {}) if has_request_context() else {}
    if "membership" in cache:
        return cache["membership"]
    found: Membership | None = None
    if current_user.is_authenticated:
        memberships = current_memberships()
        wanted = session.get("organisation_id")
        found = next((m for m in memberships if m.organisation_id == wanted), None) or (
            memberships[0] if memberships else None
        )
    cache["membership"] = found
    return found


def current_memberships() -> list[Membership]:
    """Every membership of the signed-in user (one query per request, however many times it is asked)."""
    cache = request.environ.setdefault("scrutineer.authz", {}) if has_request_context() else {}
    if "memberships" not in cache:
        cache["memberships"] = (
            organisations_dao.memberships_of(current_user) if current_user.is_authenticated else []  # type: ignore[arg-type]
        )
    return cache["memberships"]


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


def _recruiter_sees(membership: Membership, campaign: Campaign | None, created_by_id: int | None) -> bool:
    own_campaign = campaign is not None and campaign.agency_id == membership.agency_id
    made_it = created_by_id is not None and created_by_id == membership.user_id
    return own_campaign or made_it


def _hidden_from_procurement(membership: Membership, action: str, created_by_id: int | None) -> bool:
    return (
        membership.role == "procurement" and action in _OWN_ONLY_FOR_PROCUREMENT and created_by_id != membership.user_id
    )


def can_object(
    action: str, organisation_id: int, *, campaign: Campaign | None = None, created_by_id: int | None = None
) -> bool:
    """Whether the current membership may do `action` on an object (see `require_object`), without aborting."""
    membership = current_membership()
    if membership is None or organisation_id != membership.organisation_id:
        return False
    if _hidden_from_procurement(membership, action, created_by_id):
        return False
    if membership.role == "recruiter":
        if not _recruiter_sees(membership, campaign, created_by_id):
            return False
        if campaign is not None and campaign.agency_id != membership.agency_id:
            campaign = None
    return can(action, campaign, membership)


def require_object(
    action: str, organisation_id: int, *, campaign: Campaign | None = None, created_by_id: int | None = None
) -> Membership:
    """The current membership if it may do `action` on an object of an organisation (an upload, advert, finding, job).

    Another organisation's object is not found (404). A recruiter sees an object if it belongs to a campaign of its
    agency, or if the recruiter made it (an upload not tied to one campaign, a job); anything else is not found.
    """
    membership = current_membership()
    if membership is None:
        abort(403)
    if organisation_id != membership.organisation_id:
        abort(404)
    if membership.role == "recruiter" and not _recruiter_sees(membership, campaign, created_by_id):
        abort(404)
    if _hidden_from_procurement(membership, action, created_by_id):
        abort(404)
    if not can_object(action, organisation_id, campaign=campaign, created_by_id=created_by_id):
        abort(403)
    return membership


def recruiter_agency_id(membership: Membership | None = None) -> int | None:
    """The agency a recruiter is bound to (lists are narrowed to it); None for every other role."""
    membership = membership or current_membership()
    if membership is not None and membership.role == "recruiter":
        return membership.agency_id if membership.agency_id is not None else -1
    return None


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

"""People: members of an organisation and their roles, invitations, and signing in.

Admins invite people by link: an invitation holds the e-mail address, name, role (and agency, for a recruiter) and
the SHA-256 of a random one-time token. The link with the token is shown once, to the admin, who passes it on;
Scrutineer sends no e-mail. Whoever opens the link before it expires sets a password (or, if they already have an
account, confirms theirs) and becomes a member. Every change is written to the event log.

Signing in is throttled (app/services/throttle.py): too many failures for one e-mail from one address, or from one
address across e-mails, refuse further attempts for a few minutes, whether or not the password is right.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass
from functools import cache

from email_validator import EmailNotValidError, validate_email

from app.dao import events, transaction
from app.dao import organisations as organisations_dao
from app.extensions import db
from app.models import ROLES, Invitation, Membership, Organisation, User, utcnow
from app.security import check_password, hash_password
from app.services import throttle

MIN_PASSWORD = 12
MAX_PASSWORD = 200
INVITATION_LIFETIME = dt.timedelta(days=7)
ROLE_LABELS = {
    "admin": "Administrator",
    "auditor": "Auditor",
    "recruiter": "Recruiter (agency)",
    "procurement": "Procurement (read only)",
}


class PeopleError(ValueError):
    """A request about people that cannot be done. The message says why."""


class TooManyAttempts(PeopleError):
    """Too many failed sign-ins for this e-mail address: wait before trying again."""


def normalise_email(email: str) -> str:
    try:
        return validate_email(email.strip(), check_deliverability=False).normalized.lower()
    except EmailNotValidError as error:
        raise PeopleError(f"{email!r} is not an e-mail address: {error}") from None


def add_member(
    organisation: Organisation,
    *,
    email: str,
    name: str,
    role: str,
    agency_name: str | None = None,
    password: str | None = None,
    actor: User | None = None,
) -> Membership:
    if role not in ROLES:
        raise PeopleError(f"{role!r} is not a role; roles are {', '.join(ROLES)}")
    if role == "recruiter" and not agency_name:
        raise PeopleError("a recruiter must be bound to an agency")
    if password is not None and len(password) < MIN_PASSWORD:
        raise PeopleError(f"the password must have at least {MIN_PASSWORD} characters")
    address = normalise_email(email)
    with transaction():
        user = organisations_dao.get_user_by_email(address)
        if user is None:
            if password is None:
                raise PeopleError("a new user needs a password")
            user = User(email=address, name=name.strip() or address, password_hash=hash_password(password))
            db.session.add(user)
            db.session.flush()
        agency = organisations_dao.get_or_create_agency(organisation.id, agency_name) if agency_name else None
        member = organisations_dao.membership(user, organisation.id)
        if member is None:
            member = Membership(user_id=user.id, organisation_id=organisation.id, role=role)
            db.session.add(member)
        member.role = role
        member.agency_id = agency.id if agency else None
        events.record(
            "membership.set",
            organisation_id=organisation.id,
            actor=actor,
            object_type="user",
            object_ref=address,
            role=role,
            agency=agency_name,
        )
    return member


def authenticate(email: str, password: str, client_address: str | None = None) -> User | None:
    """The user whose e-mail and password these are, or None. Takes the same time whether or not the user exists.

    Raises TooManyAttempts when the throttle refuses this e-mail from this address for now.
    """
    address = (email or "").strip().lower()
    if not throttle.allowed(address, client_address):
        raise TooManyAttempts("too many failed sign-ins: wait 15 minutes and try again")
    user = organisations_dao.get_user_by_email(address)
    if user is None:
        check_password(_dummy_hash(), password or "")
        throttle.record_failure(address, client_address)
        return None
    if not user.active or not check_password(user.password_hash, password or ""):
        throttle.record_failure(address, client_address)
        return None
    with transaction():
        user.last_sign_in_at = utcnow()
    return user


def _check_password_rules(password: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise PeopleError(f"the password must have at least {MIN_PASSWORD} characters")
    if len(password) > MAX_PASSWORD:
        raise PeopleError(f"the password must have {MAX_PASSWORD} characters or fewer")


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class NewInvitation:
    """An invitation just made, with its token: the only time the token exists outside the link."""

    invitation: Invitation
    token: str


def invite(
    organisation: Organisation,
    *,
    email: str,
    name: str,
    role: str,
    agency_id: int | None,
    actor: User,
    now: dt.datetime | None = None,
) -> NewInvitation:
    """Invite someone to the organisation with a role. Returns the invitation and its one-time token."""
    now = now or utcnow()
    address = normalise_email(email)
    if role not in ROLES:
        raise PeopleError(f"{role!r} is not a role; roles are {', '.join(ROLES)}")
    agency = None
    if role == "recruiter":
        agency = organisations_dao.agency_by_id(organisation.id, agency_id) if agency_id else None
        if agency is None:
            raise PeopleError("choose the agency the recruiter works for")
    existing = organisations_dao.get_user_by_email(address)
    if existing is not None and organisations_dao.membership(existing, organisation.id) is not None:
        raise PeopleError(f"{address} is already a member of {organisation.name}: change their role instead")
    if organisations_dao.pending_invitation_for(organisation.id, address, now) is not None:
        raise PeopleError(f"{address} already has an invitation waiting: cancel it first to make a new one")
    token = secrets.token_urlsafe(32)
    with transaction():
        invitation = Invitation(
            organisation_id=organisation.id,
            email=address,
            name=name.strip()[:200] or address,
            role=role,
            agency_id=agency.id if agency else None,
            token_sha256=_token_hash(token),
            created_by_id=actor.id,
            created_at=now,
            expires_at=now + INVITATION_LIFETIME,
        )
        db.session.add(invitation)
        db.session.flush()
        events.record(
            "invitation.created",
            organisation_id=organisation.id,
            actor=actor,
            object_type="invitation",
            object_ref=str(invitation.id),
            email=address,
            role=role,
            agency=agency.name if agency else None,
            expires_at=invitation.expires_at.isoformat(),
        )
    return NewInvitation(invitation, token)


def invitation_for_token(token: str, now: dt.datetime | None = None) -> Invitation | None:
    """The pending invitation a link's token opens, or None (unknown, used, cancelled or expired)."""
    if not token or len(token) > 100:
        return None
    invitation = organisations_dao.invitation_by_token_hash(_token_hash(token))
    if invitation is None or invitation.state(now or utcnow()) != "pending":
        return None
    return invitation


def existing_account(invitation: Invitation) -> User | None:
    """The account the invited address already has (in another organisation), if any."""
    return organisations_dao.get_user_by_email(invitation.email)


def accept_invitation(token: str, *, password: str, name: str | None = None) -> User:
    """Accept an invitation: a new account with this password, or an existing account whose password this is."""
    invitation = invitation_for_token(token)
    if invitation is None:
        raise PeopleError("this invitation link has expired, been used or been cancelled: ask for a new one")
    user = existing_account(invitation)
    if user is not None:
        if not user.active or not check_password(user.password_hash, password or ""):
            raise PeopleError("enter the password of your existing Scrutineer account")
    else:
        _check_password_rules(password or "")
    with transaction():
        if user is None:
            user = User(
                email=invitation.email,
                name=(name or "").strip()[:200] or invitation.name,
                password_hash=hash_password(password),
            )
            db.session.add(user)
            db.session.flush()
        db.session.add(
            Membership(
                user_id=user.id,
                organisation_id=invitation.organisation_id,
                role=invitation.role,
                agency_id=invitation.agency_id,
            )
        )
        invitation.accepted_at = utcnow()
        invitation.accepted_by_id = user.id
        events.record(
            "invitation.accepted",
            organisation_id=invitation.organisation_id,
            actor=user,
            object_type="invitation",
            object_ref=str(invitation.id),
            role=invitation.role,
        )
    return user


def cancel_invitation(invitation: Invitation, *, actor: User) -> None:
    if invitation.state(utcnow()) != "pending":
        raise PeopleError("only an invitation that is still waiting can be cancelled")
    with transaction():
        invitation.cancelled_at = utcnow()
        events.record(
            "invitation.cancelled",
            organisation_id=invitation.organisation_id,
            actor=actor,
            object_type="invitation",
            object_ref=str(invitation.id),
            email=invitation.email,
        )


def change_role(member: Membership, *, role: str, agency_id: int | None, actor: User) -> bool:
    """Set a member's role (and agency, for a recruiter). Returns True if anything changed.

    An organisation always keeps at least one administrator.
    """
    if role not in ROLES:
        raise PeopleError(f"{role!r} is not a role; roles are {', '.join(ROLES)}")
    agency = None
    if role == "recruiter":
        agency = organisations_dao.agency_by_id(member.organisation_id, agency_id) if agency_id else None
        if agency is None:
            raise PeopleError("choose the agency the recruiter works for")
    if member.role == "admin" and role != "admin" and organisations_dao.count_admins(member.organisation_id) <= 1:
        raise PeopleError("an organisation needs at least one administrator: make someone else one first")
    new_agency_id = agency.id if agency else None
    if (member.role, member.agency_id) == (role, new_agency_id):
        return False
    with transaction():
        before = {"role": member.role, "agency_id": member.agency_id}
        member.role = role
        member.agency_id = new_agency_id
        events.record(
            "membership.set",
            organisation_id=member.organisation_id,
            actor=actor,
            object_type="user",
            object_ref=member.user.email,
            before=before,
            role=role,
            agency=agency.name if agency else None,
        )
    return True


def remove_member(member: Membership, *, actor: User) -> None:
    """Take someone out of the organisation. Their account stays (they may belong to others); the log keeps all."""
    if member.user_id == actor.id:
        raise PeopleError("you cannot remove yourself: ask another administrator")
    if member.role == "admin" and organisations_dao.count_admins(member.organisation_id) <= 1:
        raise PeopleError("an organisation needs at least one administrator")
    with transaction():
        events.record(
            "membership.removed",
            organisation_id=member.organisation_id,
            actor=actor,
            object_type="user",
            object_ref=member.user.email,
            role=member.role,
        )
        db.session.delete(member)


@cache
def _dummy_hash() -> str:
    return hash_password("scrutineer-timing-equaliser")

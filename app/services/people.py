"""People: adding members to an organisation with a role, and signing in."""

from __future__ import annotations

from functools import cache

from email_validator import EmailNotValidError, validate_email

from app.dao import events, transaction
from app.dao import organisations as organisations_dao
from app.extensions import db
from app.models import ROLES, Membership, Organisation, User, utcnow
from app.security import check_password, hash_password

MIN_PASSWORD = 12


class PeopleError(ValueError):
    """A request about people that cannot be done. The message says why."""


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


def authenticate(email: str, password: str) -> User | None:
    """The user whose e-mail and password these are, or None. Takes the same time whether or not the user exists."""
    user = organisations_dao.get_user_by_email(email or "")
    if user is None:
        check_password(_dummy_hash(), password or "")
        return None
    if not user.active or not check_password(user.password_hash, password or ""):
        return None
    with transaction():
        user.last_sign_in_at = utcnow()
    return user


@cache
def _dummy_hash() -> str:
    return hash_password("scrutineer-timing-equaliser")

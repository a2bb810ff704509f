"""Organisations, users, memberships and agencies."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select

from app.extensions import db
from app.models import Agency, Invitation, Membership, Organisation, User


def get_organisation_by_slug(slug: str) -> Organisation | None:
    return db.session.scalar(select(Organisation).where(Organisation.slug == slug))


def get_user_by_email(email: str) -> User | None:
    return db.session.scalar(select(User).where(func.lower(User.email) == email.strip().lower()))


def get_user(user_id: int) -> User | None:
    return db.session.get(User, user_id)


def memberships_of(user: User) -> list[Membership]:
    return list(db.session.scalars(select(Membership).where(Membership.user_id == user.id).order_by(Membership.id)))


def membership(user: User, organisation_id: int) -> Membership | None:
    return db.session.scalar(
        select(Membership).where(Membership.user_id == user.id, Membership.organisation_id == organisation_id)
    )


def members_of(organisation_id: int) -> list[Membership]:
    return list(
        db.session.scalars(
            select(Membership).where(Membership.organisation_id == organisation_id).order_by(Membership.id)
        )
    )


def agencies_of(organisation_id: int) -> list[Agency]:
    return list(
        db.session.scalars(select(Agency).where(Agency.organisation_id == organisation_id).order_by(Agency.name))
    )


def agency_by_name(organisation_id: int, name: str) -> Agency | None:
    return db.session.scalar(
        select(Agency).where(Agency.organisation_id == organisation_id, func.lower(Agency.name) == name.strip().lower())
    )


def get_or_create_agency(organisation_id: int, name: str) -> Agency:
    agency = agency_by_name(organisation_id, name)
    if agency is None:
        agency = Agency(organisation_id=organisation_id, name=name.strip())
        db.session.add(agency)
        db.session.flush()
    return agency


def membership_by_id(organisation_id: int, membership_id: int) -> Membership | None:
    return db.session.scalar(
        select(Membership).where(Membership.organisation_id == organisation_id, Membership.id == membership_id)
    )


def count_admins(organisation_id: int) -> int:
    return (
        db.session.scalar(
            select(func.count())
            .select_from(Membership)
            .where(Membership.organisation_id == organisation_id, Membership.role == "admin")
        )
        or 0
    )


def agency_by_id(organisation_id: int, agency_id: int) -> Agency | None:
    return db.session.scalar(select(Agency).where(Agency.organisation_id == organisation_id, Agency.id == agency_id))


def invitations_of(organisation_id: int) -> list[Invitation]:
    return list(
        db.session.scalars(
            select(Invitation).where(Invitation.organisation_id == organisation_id).order_by(Invitation.id.desc())
        )
    )


def invitation_by_id(organisation_id: int, invitation_id: int) -> Invitation | None:
    return db.session.scalar(
        select(Invitation).where(Invitation.organisation_id == organisation_id, Invitation.id == invitation_id)
    )


def invitation_by_token_hash(token_sha256: str) -> Invitation | None:
    """The invitation a link carries: the token is its own scope (only its hash is stored)."""
    return db.session.scalar(select(Invitation).where(Invitation.token_sha256 == token_sha256))


def pending_invitation_for(organisation_id: int, email: str, now: dt.datetime) -> Invitation | None:
    return db.session.scalar(
        select(Invitation).where(
            Invitation.organisation_id == organisation_id,
            func.lower(Invitation.email) == email.lower(),
            Invitation.accepted_at.is_(None),
            Invitation.cancelled_at.is_(None),
            Invitation.expires_at > now,
        )
    )

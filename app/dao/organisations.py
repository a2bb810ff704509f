"""Organisations, users, memberships and agencies."""

from __future__ import annotations

from sqlalchemy import func, select

from app.extensions import db
from app.models import Agency, Membership, Organisation, User


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

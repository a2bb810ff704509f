"""People in an organisation, for its administrators: members and their roles, and invitations by link."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, session, url_for
from werkzeug.wrappers import Response
from wtforms.fields.choices import SelectChoice

from app.authz import require, requires
from app.dao import organisations as organisations_dao
from app.forms import ConfirmForm, InviteForm, RoleForm, options
from app.models import Invitation, Membership, utcnow
from app.services import people
from app.services.people import ROLE_LABELS, PeopleError

bp = Blueprint("admin", __name__, url_prefix="/admin")

_NEW_LINK = "scrutineer.invitation_link"  # the one-time link, kept in the session until its page is shown


def _agency_choices(organisation_id: int) -> list[SelectChoice]:
    return options(
        [("", "Choose an agency")] + [(str(a.id), a.name) for a in organisations_dao.agencies_of(organisation_id)]
    )


def _member(membership_id: int) -> Membership:
    membership = require("members.manage")
    member = organisations_dao.membership_by_id(membership.organisation_id, membership_id)
    if member is None:
        abort(404)
    return member


def _invitation(invitation_id: int) -> Invitation:
    membership = require("members.manage")
    invitation = organisations_dao.invitation_by_id(membership.organisation_id, invitation_id)
    if invitation is None:
        abort(404)
    return invitation


@bp.route("/members")
@requires("members.manage")
def members() -> str:
    membership = require("members.manage")
    now = utcnow()
    invitations = [i for i in organisations_dao.invitations_of(membership.organisation_id) if i.state(now) == "pending"]
    return render_template(
        "admin/members.html",
        members=organisations_dao.members_of(membership.organisation_id),
        invitations=invitations,
        role_labels=ROLE_LABELS,
        me=membership,
    )


@bp.route("/members/invite", methods=["GET", "POST"])
@requires("members.manage")
def invite() -> str | Response:
    membership = require("members.manage")
    form = InviteForm()
    form.agency.choices = _agency_choices(membership.organisation_id)
    if form.validate_on_submit():
        agency = form.agency.data or ""
        try:
            created = people.invite(
                membership.organisation,
                email=form.email.data or "",
                name=form.name.data or "",
                role=form.role.data or "",
                agency_id=int(agency) if form.role.data == "recruiter" and agency.isdigit() else None,
                actor=membership.user,
            )
        except PeopleError as error:
            form.email.errors = [str(error)[:1].upper() + str(error)[1:]]
        else:
            session[_NEW_LINK] = {
                "id": created.invitation.id,
                "url": url_for("auth.invitation", token=created.token, _external=True),
            }
            return redirect(url_for("admin.invitation", invitation_id=created.invitation.id))
    return render_template("admin/invite.html", form=form), (400 if form.errors else 200)


@bp.route("/invitations/<int:invitation_id>")
@requires("members.manage")
def invitation(invitation_id: int) -> str:
    found = _invitation(invitation_id)
    kept = session.pop(_NEW_LINK, None)
    link = kept["url"] if kept and kept.get("id") == found.id else None
    return render_template(
        "admin/invitation.html",
        invitation=found,
        link=link,
        state=found.state(utcnow()),
        role_labels=ROLE_LABELS,
        form=ConfirmForm(),
    )


@bp.route("/invitations/<int:invitation_id>/cancel", methods=["POST"])
@requires("members.manage")
def cancel_invitation(invitation_id: int) -> Response:
    found = _invitation(invitation_id)
    membership = require("members.manage")
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        people.cancel_invitation(found, actor=membership.user)
    except PeopleError as error:
        flash(str(error).capitalize(), "error")
    else:
        flash(f"The invitation for {found.email} was cancelled. Its link no longer works.", "success")
    return redirect(url_for("admin.members"))


@bp.route("/members/<int:membership_id>", methods=["GET", "POST"])
@requires("members.manage")
def member(membership_id: int) -> str | Response:
    found = _member(membership_id)
    membership = require("members.manage")
    form = RoleForm(
        data={"role": found.role, "agency": str(found.agency_id or "")} if request.method == "GET" else None
    )
    form.agency.choices = _agency_choices(membership.organisation_id)
    if form.validate_on_submit():
        agency = form.agency.data or ""
        try:
            changed = people.change_role(
                found,
                role=form.role.data or "",
                agency_id=int(agency) if agency.isdigit() else None,
                actor=membership.user,
            )
        except PeopleError as error:
            form.role.errors = [str(error)[:1].upper() + str(error)[1:]]
        else:
            flash(
                f"{found.user.name} is now {ROLE_LABELS[found.role].lower()}." if changed else "Nothing was changed.",
                "success",
            )
            return redirect(url_for("admin.members"))
    return render_template(
        "admin/member.html",
        member=found,
        form=form,
        remove_form=ConfirmForm(prefix="remove"),
        role_labels=ROLE_LABELS,
        is_me=found.user_id == membership.user_id,
    ), (400 if form.errors else 200)


@bp.route("/members/<int:membership_id>/remove", methods=["POST"])
@requires("members.manage")
def remove_member(membership_id: int) -> Response:
    found = _member(membership_id)
    membership = require("members.manage")
    if not ConfirmForm(prefix="remove").validate_on_submit():
        abort(400)
    name = found.user.name
    try:
        people.remove_member(found, actor=membership.user)
    except PeopleError as error:
        flash(str(error).capitalize(), "error")
        return redirect(url_for("admin.member", membership_id=membership_id))
    flash(f"{name} was removed from {membership.organisation.name}.", "success")
    return redirect(url_for("admin.members"))

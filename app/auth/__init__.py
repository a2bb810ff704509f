"""Signing in and out, accepting an invitation, and choosing the organisation to work in."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, abort, flash, redirect, render_template, request, session, url_for
from flask_login import current_user, login_required, login_user, logout_user
from werkzeug.wrappers import Response

from app.authz import current_membership
from app.dao import organisations as organisations_dao
from app.extensions import login_manager
from app.forms import AcceptInvitationForm, AcceptWithAccountForm, ConfirmForm, OrganisationForm, SignInForm, options
from app.models import User
from app.services import people
from app.services.people import ROLE_LABELS, PeopleError, TooManyAttempts, authenticate

bp = Blueprint("auth", __name__)

login_manager.login_view = "auth.sign_in"
login_manager.login_message = "Sign in to continue."
login_manager.login_message_category = "info"
login_manager.session_protection = "strong"


@login_manager.user_loader
def load_user(user_id: str) -> User | None:
    if not user_id.isdigit():
        return None
    user = organisations_dao.get_user(int(user_id))
    return user if user is not None and user.active else None


def _safe_next(target: str | None) -> str:
    """Only redirect to a path on this site after sign-in."""
    if not target:
        return url_for("campaigns.dashboard")
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return url_for("campaigns.dashboard")
    return target


@bp.route("/sign-in", methods=["GET", "POST"])
def sign_in() -> str | Response:
    if current_user.is_authenticated:
        return redirect(url_for("campaigns.dashboard"))
    form = SignInForm()
    failed = False
    if form.validate_on_submit():
        try:
            user = authenticate(form.email.data or "", form.password.data or "", request.remote_addr)
        except TooManyAttempts:
            abort(429)
        if user is not None:
            session.clear()
            login_user(user)
            session.permanent = True
            return redirect(_safe_next(request.args.get("next")))
        failed = True
        form.email.errors = ["Enter a correct email address and password"]
    return render_template("auth/sign_in.html", form=form, failed=failed), (200 if not failed else 401)


@bp.route("/sign-out", methods=["GET"])
@login_required
def sign_out_page() -> str:
    return render_template("auth/sign_out.html", form=ConfirmForm())


@bp.route("/sign-out", methods=["POST"])
@login_required
def sign_out() -> Response:
    form = ConfirmForm()
    if form.validate_on_submit():
        logout_user()
        session.clear()
        flash("You have signed out.", "success")
    return redirect(url_for("auth.sign_in"))


@bp.route("/invitations/<token>", methods=["GET", "POST"])
def invitation(token: str) -> str | tuple[str, int] | Response:
    """Accept an invitation: set a password (or confirm an existing account's), then sign in."""
    found = people.invitation_for_token(token)
    if found is None:
        return render_template("auth/invitation_invalid.html"), 404
    account = people.existing_account(found)
    form = AcceptWithAccountForm() if account is not None else AcceptInvitationForm(data={"name": found.name})
    if form.validate_on_submit():
        try:
            user = people.accept_invitation(
                token, password=form.password.data or "", name=getattr(form, "name", None) and form.name.data
            )
        except PeopleError as error:
            form.password.errors = [str(error)[:1].upper() + str(error)[1:]]
        else:
            session.clear()
            login_user(user)
            session.permanent = True
            session["organisation_id"] = found.organisation_id
            flash(f"Welcome to Scrutineer. You are now a member of {found.organisation.name}.", "success")
            return redirect(url_for("campaigns.dashboard"))
    return render_template(
        "auth/invitation.html", invitation=found, form=form, existing=account is not None, role_labels=ROLE_LABELS
    ), (400 if form.errors else 200)


@bp.route("/organisation", methods=["GET", "POST"])
@login_required
def organisation() -> str | Response:
    """People who belong to several organisations choose which one to work in."""
    memberships = organisations_dao.memberships_of(current_user)  # type: ignore[arg-type]
    if not memberships:
        abort(403)
    form = OrganisationForm()
    form.organisation.choices = options(
        [(str(m.organisation_id), f"{m.organisation.name} ({ROLE_LABELS[m.role].lower()})") for m in memberships]
    )
    if request.method == "GET":
        current = current_membership()
        form.organisation.data = str(current.organisation_id) if current else None
    if form.validate_on_submit():
        chosen = next((m for m in memberships if str(m.organisation_id) == form.organisation.data), None)
        if chosen is None:
            form.organisation.errors = ["Choose one of your organisations"]
        else:
            session["organisation_id"] = chosen.organisation_id
            flash(f"You are working in {chosen.organisation.name}.", "success")
            return redirect(url_for("campaigns.dashboard"))
    return render_template("auth/organisation.html", form=form)

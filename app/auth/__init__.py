"""Signing in and out."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, flash, redirect, render_template, request, session, url_for
from flask_login import current_user, login_required, login_user, logout_user
from werkzeug.wrappers import Response

from app.dao import organisations as organisations_dao
from app.extensions import login_manager
from app.forms import ConfirmForm, SignInForm
from app.models import User
from app.services.people import authenticate

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
        user = authenticate(form.email.data or "", form.password.data or "")
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

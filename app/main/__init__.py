"""Pages everyone can reach: the start page, the information pages, and the advert self-check."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, current_app, redirect, render_template, request, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from app.authz import can, current_membership, current_memberships, current_organisation, requires
from app.forms import SelfCheckForm
from app.services.spot_checks import SpotCheckRefused, check_pasted, check_url

bp = Blueprint("main", __name__)

# The service navigation: (endpoint, text, action that shows it, endpoint prefixes that make it the current item).
NAVIGATION: tuple[tuple[str, str, str, tuple[str, ...]], ...] = (
    ("campaigns.dashboard", "Campaigns", "campaign.view", ("campaigns.", "findings.")),
    ("uploads.index", "Files", "upload.view", ("uploads.",)),
    ("jobs.index", "Jobs", "job.view", ("jobs.",)),
    ("scorecards.index", "Scorecards", "scorecard.view", ("scorecards.",)),
    ("checklists.index", "Checklists", "checklist.view", ("checklists.",)),
    ("main.self_check", "Advert self-check", "advert.selfcheck", ("main.self_check",)),
    ("procurement.verify", "Verify a workbook", "workbook.verify", ("procurement.",)),
    ("admin.members", "People", "members.manage", ("admin.",)),
)


def navigation() -> list[dict[str, Any]]:
    """The service navigation items for the signed-in user: only the journeys their role allows."""
    endpoint = request.endpoint or ""
    if not current_user.is_authenticated:
        return [{"href": url_for("auth.sign_in"), "text": "Sign in", "active": endpoint == "auth.sign_in"}]
    items = []
    if current_membership() is not None:
        for target, text, action, prefixes in NAVIGATION:
            if can(action):
                items.append({"href": url_for(target), "text": text, "active": endpoint.startswith(prefixes)})
        if len(current_memberships()) > 1:
            items.append(
                {
                    "href": url_for("auth.organisation"),
                    "text": "Switch organisation",
                    "active": endpoint == "auth.organisation",
                }
            )
    items.append({"href": url_for("auth.sign_out_page"), "text": "Sign out", "active": False})
    return items


@bp.app_template_filter("sentence")
def sentence(text: str | None) -> str:
    """A message as a sentence: a capital letter (unless it starts with a file name or address) and a full stop."""
    text = (text or "").strip()
    if not text:
        return ""
    first_word = text.split(maxsplit=1)[0]
    if not any(mark in first_word for mark in "./\\@"):
        text = text[0].upper() + text[1:]
    return text if text.endswith((".", "!", "?")) else text + "."


@bp.app_context_processor
def inject_tenant() -> dict[str, object]:
    return {
        "current_membership": current_membership(),
        "current_organisation": current_organisation(),
        "navigation": navigation,
    }


@bp.route("/")
def home() -> str | Response:
    if current_user.is_authenticated:
        return redirect(url_for("campaigns.dashboard"))
    return render_template("main/home.html")


@bp.route("/accessibility-statement")
def accessibility() -> str:
    return render_template("main/accessibility.html")


@bp.route("/privacy")
def privacy() -> str:
    return render_template("main/privacy.html", retention_days=current_app.config["SCRUTINEER_RETENTION_DAYS"])


@bp.route("/cookies")
def cookies() -> str:
    return render_template("main/cookies.html")


@bp.route("/self-check", methods=["GET", "POST"])
@requires("advert.selfcheck")
def self_check() -> str | tuple[str, int]:
    """Recruiters paste an advert, or give its web address, and see the findings at once. Nothing is stored."""
    form = SelfCheckForm()
    checked = None
    if form.validate_on_submit():
        url = (form.url.data or "").strip()
        text = (form.text.data or "").strip()
        try:
            checked = check_pasted(text, form.title.data or "") if text else check_url(url)
        except SpotCheckRefused as error:
            form.url.errors = [f"The advert could not be checked: {error}"]
    status = 400 if form.errors else 200
    return render_template("main/self_check.html", form=form, checked=checked), status

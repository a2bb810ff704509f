"""The campaigns journey: the dashboard with its filters, a campaign with its details, inputs, adverts and audits,
corrections to its details, and the background work it starts (an audit, fetching an advert)."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import login_required
from werkzeug.wrappers import Response

from app.authz import can, can_object, current_membership, require, require_object, requires
from app.dao import campaigns as campaigns_dao
from app.dao import organisations as organisations_dao
from app.forms import CampaignForm, ConfirmForm, DashboardFilterForm, FetchAdvertForm, options
from app.models import Campaign
from app.pagination import pagination, window
from app.services import campaigns as campaigns_service
from app.services.campaigns import NOT_AUDITED, RATINGS, STAGES, CampaignRefused, DashboardFilters

bp = Blueprint("campaigns", __name__, url_prefix="/campaigns")
ADVERTS_PER_PAGE = 100  # adverts listed on a campaign's page at a time
CAMPAIGNS_PER_PAGE = 100  # rows of the dashboard


def load_campaign(campaign_id: int, action: str = "campaign.view") -> Campaign:
    """The campaign, if it is the current organisation's (and, for a recruiter, its agency's); else 404 or 403."""
    membership = current_membership()
    if membership is None:
        abort(403)
    campaign = campaigns_dao.campaign_by_id(membership.organisation_id, campaign_id)
    if campaign is None:
        abort(404)
    require(action, campaign)
    return campaign


@bp.route("/")
@requires("campaign.view")
def dashboard() -> str:
    membership = require("campaign.view")
    form = DashboardFilterForm(request.args)
    agencies = organisations_dao.agencies_of(membership.organisation_id)
    form.agency.choices = options([("", "All agencies")] + [(str(a.id), a.name) for a in agencies])
    form.stage.choices = options([("", "All stages")] + [(s, s) for s in STAGES])
    form.rag.choices = options([("", "All ratings")] + [(r, r) for r in (*RATINGS, NOT_AUDITED)])
    agency = request.args.get("agency", "")
    filters = DashboardFilters(
        agency_id=int(agency) if agency.isdigit() and membership.role != "recruiter" else None,
        stage=request.args.get("stage") if request.args.get("stage") in STAGES else None,
        rating=request.args.get("rag") if request.args.get("rag") in (*RATINGS, NOT_AUDITED) else None,
        text=(request.args.get("q") or "").strip()[:100] or None,
    )
    rows = campaigns_service.dashboard(membership, filters)
    # A framework has thousands of campaigns: they are shown a page at a time, the filters kept from page to page.
    shown = window(request.args.get("page", 1, type=int), len(rows), CAMPAIGNS_PER_PAGE)
    kept = {name: request.args[name] for name in ("q", "agency", "stage", "rag") if request.args.get(name)}
    return render_template(
        "campaigns/dashboard.html",
        rows=shown.slice(rows),
        total=len(rows),
        first=shown.offset + 1,
        pages=pagination(
            shown.page,
            shown.pages,
            lambda number: url_for("campaigns.dashboard", page=number, **kept),
            label="Pages of campaigns",
        ),
        form=form,
        filters=filters,
        show_agency_filter=membership.role != "recruiter",
        can_upload=can("upload.create"),
    )


@bp.route("/<int:campaign_id>")
@login_required
def campaign(campaign_id: int) -> str:
    found = load_campaign(campaign_id)
    membership = current_membership()
    assert membership is not None
    counts = campaigns_dao.counts_of(found)
    # A campaign can hold thousands of adverts (a framework's postings dataset): they are listed a page at a time.
    shown = window(request.args.get("page", 1, type=int), counts["adverts"], ADVERTS_PER_PAGE)
    return render_template(
        "campaigns/campaign.html",
        campaign=found,
        counts=counts,
        uploads=[
            (
                upload,
                can_object(
                    "upload.view",
                    upload.organisation_id,
                    campaign=found if upload.campaign_id == found.id else None,
                    created_by_id=upload.created_by_id,
                ),
            )
            for upload in campaigns_service.inputs_of(found)
        ],
        adverts=campaigns_dao.advert_titles(found, shown.offset, ADVERTS_PER_PAGE),
        advert_first=shown.offset + 1,
        advert_pages=pagination(
            shown.page,
            shown.pages,
            lambda number: url_for("campaigns.campaign", campaign_id=found.id, page=number, _anchor="adverts"),
            label="Pages of adverts",
        ),
        audits=campaigns_service.audits_of(found),
        can_audit=can("audit.run", found),
        can_edit=can("campaign.edit", found),
        can_fetch=can("advert.fetch", found),
        can_upload=can("upload.create", found),
        form=ConfirmForm(),
    )


@bp.route("/<int:campaign_id>/edit", methods=["GET", "POST"])
@login_required
def edit(campaign_id: int) -> str | Response:
    found = load_campaign(campaign_id, "campaign.edit")
    membership = current_membership()
    assert membership is not None
    form = CampaignForm(obj=found)
    if request.method == "GET":
        form.agency_id.data = str(found.agency_id or "")
        form.commissioner_chair.data = {True: "yes", False: "no"}.get(found.commissioner_chair, "unknown")  # type: ignore[arg-type]
        for name in form.CHOICE_FIELDS:
            getattr(form, name).data = getattr(found, name) or ""
        for fact in form.fact_fields():
            fact.data = (found.facts or {}).get(fact.name.removeprefix("fact_"))
    form.agency_id.choices = options(
        [("", "Not recorded")]
        + [(str(a.id), a.name) for a in organisations_dao.agencies_of(membership.organisation_id)]
    )
    if form.validate_on_submit():
        try:
            changed = campaigns_service.update_campaign(found, form.values(), form.facts(), membership=membership)
        except CampaignRefused as error:
            form.role_title.errors = [*form.role_title.errors, str(error).capitalize()]
        else:
            flash("Campaign saved." if changed else "Nothing was changed.", "success")
            return redirect(url_for("campaigns.campaign", campaign_id=found.id))
    history = campaigns_service.campaign_history(found)
    return render_template("campaigns/edit.html", campaign=found, form=form, history=history)


@bp.route("/<int:campaign_id>/audits", methods=["POST"])
@login_required
def start_audit(campaign_id: int) -> Response:
    found = load_campaign(campaign_id, "audit.run")
    membership = current_membership()
    assert membership is not None
    if not ConfirmForm().validate_on_submit():
        abort(400)
    job = campaigns_service.request_audit(membership, found)
    return redirect(url_for("jobs.job", public_id=job.public_id))


@bp.route("/<int:campaign_id>/adverts/fetch", methods=["GET", "POST"])
@login_required
def fetch_advert(campaign_id: int) -> str | Response:
    found = load_campaign(campaign_id, "advert.fetch")
    membership = current_membership()
    assert membership is not None
    form = FetchAdvertForm()
    if form.validate_on_submit():
        try:
            job = campaigns_service.request_fetch(membership, found, form.url.data or "")
        except CampaignRefused as error:
            form.url.errors = [str(error).capitalize()]
        else:
            return redirect(url_for("jobs.job", public_id=job.public_id))
    return render_template("campaigns/fetch.html", campaign=found, form=form)


@bp.route("/<int:campaign_id>/adverts/<int:advert_id>")
@login_required
def advert(campaign_id: int, advert_id: int) -> str:
    found = load_campaign(campaign_id)
    item = campaigns_dao.advert_by_id(found.organisation_id, found.id, advert_id)
    if item is None:
        abort(404)
    require_object("advert.view", item.organisation_id, campaign=found)
    return render_template("campaigns/advert.html", campaign=found, advert=item)

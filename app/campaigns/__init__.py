"""The campaigns journey: the dashboard, a campaign with its inputs, adverts and audits, and audit results."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, send_file, url_for
from flask_login import login_required
from werkzeug.wrappers import Response

from app.authz import can, current_membership, require, requires
from app.dao import audits as audits_dao
from app.dao import campaigns as campaigns_dao
from app.dao import uploads as uploads_dao
from app.forms import ConfirmForm
from app.models import AuditRun, Campaign
from app.services import reports
from app.services.auditing import AuditRefused, run_audit

bp = Blueprint("campaigns", __name__, url_prefix="/campaigns")


def _campaign(campaign_id: int, action: str = "campaign.view") -> Campaign:
    membership = current_membership()
    if membership is None:
        abort(403)
    campaign = campaigns_dao.campaign_by_id(membership.organisation_id, campaign_id)
    if campaign is None:
        abort(404)
    require(action, campaign)
    return campaign


def _audit(public_id: str) -> AuditRun:
    membership = current_membership()
    if membership is None:
        abort(403)
    run = audits_dao.audit_by_public_id(public_id, membership.organisation_id)
    if run is None:
        abort(404)
    require("audit.view", run.campaign)
    return run


@bp.route("/")
@requires("campaign.view")
def dashboard() -> str:
    membership = current_membership()
    assert membership is not None
    agency_id = membership.agency_id if membership.role == "recruiter" else None
    campaigns = campaigns_dao.campaigns_for(membership.organisation_id, agency_id=agency_id)
    latest = campaigns_dao.latest_audits(membership.organisation_id)
    return render_template("campaigns/dashboard.html", campaigns=campaigns, latest=latest)


@bp.route("/<int:campaign_id>")
@login_required
def campaign(campaign_id: int) -> str:
    found = _campaign(campaign_id)
    membership = current_membership()
    assert membership is not None
    return render_template(
        "campaigns/campaign.html",
        campaign=found,
        counts=campaigns_dao.counts_of(found),
        uploads=uploads_dao.uploads_for_campaign(membership.organisation_id, found.id),
        adverts=campaigns_dao.adverts_of(found),
        audits=audits_dao.audits_of_campaign(membership.organisation_id, found.id),
        can_audit=can("audit.run", found),
        form=ConfirmForm(),
    )


@bp.route("/<int:campaign_id>/audits", methods=["POST"])
@login_required
def start_audit(campaign_id: int) -> Response:
    found = _campaign(campaign_id, "audit.run")
    form = ConfirmForm()
    if not form.validate_on_submit():
        abort(400)
    membership = current_membership()
    assert membership is not None
    try:
        run = run_audit(membership.organisation, found, user=membership.user)
    except AuditRefused as error:
        flash(f"The audit could not run: {error}", "error")
        return redirect(url_for("campaigns.campaign", campaign_id=found.id))
    flash(f"Audit {run.public_id} finished: {run.rag}.", "success")
    return redirect(url_for("campaigns.audit", public_id=run.public_id))


@bp.route("/audits/<public_id>")
@login_required
def audit(public_id: str) -> str:
    run = _audit(public_id)
    return render_template("audits/audit.html", run=run, findings=audits_dao.findings_of(run))


@bp.route("/audits/<public_id>/workbook")
@login_required
def workbook(public_id: str) -> Response:
    run = _audit(public_id)
    require("workbook.download", run.campaign)
    data = reports.workbook_bytes(run)
    return send_file(
        data,
        as_attachment=True,
        download_name=f"scrutineer-{run.public_id}.xlsx",
        mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )

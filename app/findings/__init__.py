"""Audits and their findings: the findings of an audit with filters, one finding with its evidence, the auditor's
review (accept a risk, or change the status with a reason), the agency's response, and preparing the workbook to
download."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import login_required
from werkzeug.wrappers import Response

from app import jobs
from app.authz import can, current_membership, require, require_object
from app.dao import audits as audits_dao
from app.forms import ConfirmForm, FindingFilterForm, ResponseForm, ReviewForm, options
from app.models import AuditRun, Finding
from app.pagination import pagination
from app.services import triage
from app.services.responses import ResponseRefused, record_response, review_finding

bp = Blueprint("findings", __name__, url_prefix="/audits")


def load_audit(public_id: str, action: str = "audit.view") -> AuditRun:
    membership = current_membership()
    if membership is None:
        abort(403)
    run = audits_dao.audit_by_public_id(public_id[:40], membership.organisation_id)
    if run is None:
        abort(404)
    require(action, run.campaign)
    return run


def load_finding(run: AuditRun, seq: int, action: str = "audit.view") -> Finding:
    finding = audits_dao.finding_by_seq(run, seq)
    if finding is None:
        abort(404)
    require_object(action, finding.organisation_id, campaign=run.campaign)
    return finding


@bp.route("/<public_id>")
@login_required
def audit(public_id: str) -> str:
    run = load_audit(public_id)
    form = FindingFilterForm(request.args)
    filters = triage.FindingFilters(
        status=request.args.get("status") if request.args.get("status") in dict(triage.STATUS_CHOICES) else None,
        severity=request.args.get("severity")
        if request.args.get("severity") in dict(triage.SEVERITY_CHOICES)
        else None,
        family=(request.args.get("family") or "")[:60] or None,
    )
    result = triage.audit_findings(run, filters, request.args.get("page", 1, type=int))
    narrowed = {
        k: v for k, v in (("status", filters.status), ("severity", filters.severity), ("family", filters.family)) if v
    }
    pages = pagination(
        result.page,
        result.pages,
        lambda number: url_for("findings.audit", public_id=run.public_id, page=number, **narrowed),
        label="Pages of findings",
    )
    form.status.choices = options([("", "All statuses"), *triage.STATUS_CHOICES])
    form.severity.choices = options([("", "All severities"), *triage.SEVERITY_CHOICES])
    form.family.choices = options(
        [("", "All areas")] + [(f, f.replace("_", " ").capitalize()) for f in result.families]
    )
    return render_template(
        "audits/audit.html",
        run=run,
        result=result,
        form=form,
        filters=filters,
        pages=pages,
        effective_status=triage.effective_status,
    )


def _finding_page(
    run: AuditRun, finding: Finding, review: ReviewForm | None = None, response: ResponseForm | None = None
) -> str:
    can_review = can("finding.review", run.campaign)
    can_respond = can("finding.respond", run.campaign)
    if review is None and can_review:
        review = ReviewForm(prefix="review", formdata=None)
        review.offer(finding.status)
    if response is None and can_respond:
        response = ResponseForm(
            prefix="response",
            formdata=None,
            data={"response": finding.agency_response, "note": finding.response_note},
        )
    return render_template(
        "audits/finding.html",
        run=run,
        page=triage.finding_page(run, finding),
        list_page=triage.page_of_finding(run, finding),
        review_form=review if can_review else None,
        response_form=response if can_respond else None,
    )


@bp.route("/<public_id>/findings/<int:seq>")
@login_required
def finding(public_id: str, seq: int) -> str:
    run = load_audit(public_id)
    return _finding_page(run, load_finding(run, seq))


def _form_error(form: Any, field: Any, message: str) -> None:
    field.errors = [*field.errors, message[:1].upper() + message[1:]]


@bp.route("/<public_id>/findings/<int:seq>/review", methods=["POST"])
@login_required
def review(public_id: str, seq: int) -> str | Response:
    run = load_audit(public_id)
    finding = load_finding(run, seq, "finding.review")
    membership = current_membership()
    assert membership is not None
    form = ReviewForm(prefix="review")
    form.offer(finding.status)
    if form.validate_on_submit():
        decision = form.decision.data or ""
        try:
            review_finding(
                finding,
                "accepted_risk" if decision == "accepted_risk" else "override",
                form.reason.data or "",
                user=membership.user,
                status=None if decision == "accepted_risk" else decision,
            )
        except ResponseRefused as error:
            _form_error(form, form.reason, str(error))
        else:
            flash(f"Your decision on {finding.check_id} was recorded.", "success")
            return redirect(url_for("findings.finding", public_id=run.public_id, seq=finding.seq))
    return _finding_page(run, finding, review=form)


@bp.route("/<public_id>/findings/<int:seq>/response", methods=["POST"])
@login_required
def respond(public_id: str, seq: int) -> str | Response:
    run = load_audit(public_id)
    finding = load_finding(run, seq, "finding.respond")
    membership = current_membership()
    assert membership is not None
    form = ResponseForm(prefix="response")
    if form.validate_on_submit():
        try:
            changed = record_response(finding, form.response.data, form.note.data, user=membership.user, via="web")
        except ResponseRefused as error:
            _form_error(form, form.note, str(error))
        else:
            flash("The response was saved." if changed else "The response was already saved.", "success")
            return redirect(url_for("findings.finding", public_id=run.public_id, seq=finding.seq))
    return _finding_page(run, finding, response=form)


@bp.route("/<public_id>/workbook", methods=["POST"])
@login_required
def workbook(public_id: str) -> Response:
    """Prepare the audit's workbook in the background; its job page offers the file when it is written."""
    run = load_audit(public_id, "workbook.download")
    membership = current_membership()
    assert membership is not None
    if not ConfirmForm().validate_on_submit():
        abort(400)
    job = jobs.enqueue("workbook", membership.organisation, {"audit_id": run.public_id}, user=membership.user)
    return redirect(url_for("jobs.job", public_id=job.public_id))

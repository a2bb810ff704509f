"""The agency's answers in a returned workbook: on an audit's page, the agency (or an auditor it sent the workbook
to) uploads the workbook with the Agency response and Response note columns filled in, and sees what was recorded.

A recruiter may answer only for its own agency's campaigns; procurement reads and changes nothing.
"""

from __future__ import annotations

from flask import Blueprint, render_template, request
from flask_login import login_required

from app.authz import can, current_membership, require
from app.findings import load_audit
from app.forms import AnswersForm
from app.models import AuditRun
from app.services.returned_answers import AnswersRefused, import_answers

bp = Blueprint("answers", __name__, url_prefix="/audits")
ACTION = "responses.import"
PREFIX = "answers"  # the form shares the audit page with the findings filters


@bp.app_template_global()
def answers_form(run: AuditRun) -> AnswersForm | None:
    """The upload form for the audit page, if the signed-in user may upload the agency's answers to `run`."""
    return AnswersForm(prefix=PREFIX, formdata=None) if can(ACTION, run.campaign) else None


@bp.route("/<public_id>/answers", methods=["GET", "POST"])
@login_required
def upload(public_id: str) -> str | tuple[str, int]:
    run = load_audit(public_id, ACTION)
    membership = current_membership()
    assert membership is not None
    form = AnswersForm(prefix=PREFIX)
    outcome = None

    def authorise(found: AuditRun) -> None:
        require(ACTION, found.campaign)  # a recruiter answers only for its own agency's campaigns

    if form.validate_on_submit():
        try:
            outcome = import_answers(membership, run, request.files[form.workbook.name], authorise=authorise)
        except AnswersRefused as error:
            form.workbook.errors = [str(error)]
    return render_template("answers/upload.html", run=run, form=form, outcome=outcome), (400 if form.errors else 200)

"""Background jobs as people follow them: the list of recent jobs, one job's progress page (which works without
JavaScript and, with it, updates itself from the JSON status), running a failed job again, and downloading the file
a workbook or scorecard job prepared."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, flash, jsonify, redirect, render_template, request, send_file, url_for
from flask_login import login_required
from werkzeug.wrappers import Response

from app import jobs
from app.authz import can, current_membership, require, require_object, requires
from app.dao import jobs as jobs_dao
from app.forms import ConfirmForm
from app.models import Job
from app.services import downloads

bp = Blueprint("jobs", __name__, url_prefix="/jobs")

KIND_LABELS = {
    "import": "Import",
    "fetch": "Fetch an advert",
    "audit": "Audit",
    "workbook": "Audit workbook",
    "scorecard": "Scorecard workbook",
}
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
STATUS_LABELS = {"queued": "Waiting to start", "running": "Running", "done": "Finished", "failed": "Failed"}


def load_job(public_id: str, action: str = "job.view") -> Job:
    membership = current_membership()
    if membership is None:
        abort(403)
    found = jobs_dao.job_by_public_id(membership.organisation_id, public_id[:40])
    if found is None:
        abort(404)
    require_object(action, found.organisation_id, created_by_id=found.created_by_id)
    return found


def describe(job: Job) -> dict[str, Any]:
    """The job's progress with the words and numbers its page shows (also the JSON the page polls)."""
    live = jobs.live_progress(job)
    rate = live.get("rate")
    rows_done = live.get("rows_done") or 0
    rows_total = live.get("rows_total")
    return {
        **live,
        "kind_label": KIND_LABELS.get(job.kind, job.kind.capitalize()),
        "status_label": STATUS_LABELS.get(live["status"], live["status"]),
        "stage_label": live.get("stage") or "",
        "rows_text": f"{rows_done:,}" + (f" of {rows_total:,}" if rows_total else ""),
        "rate_text": f"{rate:,.0f} rows a second" if rate else "Not measured yet",
        "finished": live["status"] in ("done", "failed"),
        "subject": job.params.get("file_name")
        or job.params.get("url")
        or job.params.get("campaign_ref")
        or job.params.get("audit_id")
        or "",
    }


def result_link(job: Job) -> tuple[str, str] | None:
    """Where the outcome of a finished job can be seen: (text, URL)."""
    if job.status != "done":
        return None
    result = job.result or {}
    if job.kind == "audit" and result.get("audit_id"):
        return "See the audit's findings", url_for("findings.audit", public_id=result["audit_id"])
    if job.kind in ("import", "fetch") and result.get("upload_id"):
        return "See what was imported", url_for("uploads.upload", upload_id=result["upload_id"])
    if downloads.ready_file(job):
        return f"Download {result.get('download_name', 'the file')}", url_for("jobs.download", public_id=job.public_id)
    return None


@bp.route("/")
@requires("job.view")
def index() -> str:
    membership = require("job.view")
    wanted = [value[:40] for value in request.args.getlist("show")][:20] or None
    found = jobs_dao.jobs_for(
        membership.organisation_id,
        created_by_id=membership.user_id if membership.role in ("recruiter", "procurement") else None,
        public_ids=wanted,
    )
    return render_template(
        "jobs/index.html",
        jobs=[(job, describe(job), result_link(job)) for job in found],
        showing_some=wanted is not None,
    )


@bp.route("/<public_id>")
@login_required
def job(public_id: str) -> str:
    found = load_job(public_id)
    return render_template(
        "jobs/job.html",
        job=found,
        progress=describe(found),
        result=result_link(found),
        can_retry=found.status == "failed" and can("job.retry"),
        form=ConfirmForm(),
    )


@bp.route("/<public_id>/status")
@login_required
def status(public_id: str) -> Response:
    found = load_job(public_id)
    response = jsonify(describe(found))
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/<public_id>/retry", methods=["POST"])
@login_required
def retry(public_id: str) -> Response:
    found = load_job(public_id, "job.retry")
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        jobs.retry(found)
    except jobs.JobRefused as error:
        flash(str(error).capitalize(), "error")
    return redirect(url_for("jobs.job", public_id=found.public_id))


@bp.route("/<public_id>/download")
@login_required
def download(public_id: str) -> Response:
    """The file a workbook or scorecard job wrote, while it is kept (see app/services/downloads.py)."""
    found = load_job(public_id)
    path = downloads.ready_file(found)
    if path is None:
        if found.kind in downloads.KINDS and found.status == "done":
            flash(
                f"The file was deleted {downloads.DOWNLOAD_HOURS} hours after it was written. "
                "Prepare it again from the audit or scorecard.",
                "error",
            )
            return redirect(url_for("jobs.job", public_id=found.public_id))
        abort(404)
    response = send_file(
        path, as_attachment=True, download_name=(found.result or {}).get("download_name", path.name), mimetype=XLSX
    )
    response.headers["Cache-Control"] = "private, no-store"
    return response

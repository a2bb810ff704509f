"""The upload journey: choose files, see what Scrutineer found in them before anything is stored, match the columns
of a file in a layout Scrutineer does not know, then import them as background jobs. Also the list of files given to
Scrutineer, one upload with its problems, and the agency template to download (importers.template)."""

from __future__ import annotations

import functools

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import login_required
from werkzeug.wrappers import Response

from app.authz import can, current_membership, recruiter_agency_id, require, require_object, requires
from app.dao import campaigns as campaigns_dao
from app.dao import uploads as uploads_dao
from app.forms import ConfirmForm, MappingTableForm, UploadForm, column_mapping_form, error_summary, options
from app.models import Campaign, Membership
from app.pagination import pagination, window
from app.services import mapping_pages, previews
from app.services.previews import PreviewRefused
from importers import template as agency_template

bp = Blueprint("uploads", __name__, url_prefix="/uploads")
UPLOADS_PER_PAGE = 100  # rows of the list of files


@bp.route("/")
@requires("upload.view")
def index() -> str:
    membership = require("upload.view")
    recruiter = membership.role == "recruiter"
    visible = {
        "recruiter_agency_id": recruiter_agency_id(membership),
        "recruiter_id": membership.user_id if recruiter else None,
    }
    total = uploads_dao.count_uploads(membership.organisation_id, **visible)
    shown = window(request.args.get("page", 1, type=int), total, UPLOADS_PER_PAGE)
    uploads = uploads_dao.recent_uploads(
        membership.organisation_id, **visible, limit=UPLOADS_PER_PAGE, offset=shown.offset
    )
    return render_template(
        "uploads/index.html",
        uploads=uploads,
        total=total,
        first=shown.offset + 1,
        pages=pagination(
            shown.page, shown.pages, lambda number: url_for("uploads.index", page=number), label="Pages of files"
        ),
        can_upload=can("upload.create"),
    )


@bp.route("/new", methods=["GET", "POST"])
@requires("upload.create")
def new() -> str | Response:
    membership = require("upload.create")
    campaigns = campaigns_dao.search_campaigns(
        membership.organisation_id, only_agency_id=recruiter_agency_id(membership)
    )
    form = UploadForm()
    form.campaign.choices = options(
        [("", "No campaign: the file names its campaigns")]
        + [(str(c.id), f"{c.ref}: {c.role_title or 'role not recorded'}") for c in campaigns]
    )
    if request.method == "GET" and request.args.get("campaign", "").isdigit():
        form.campaign.data = request.args["campaign"]
    if form.validate_on_submit():
        chosen = form.campaign.data or ""
        campaign = next((c for c in campaigns if str(c.id) == chosen), None)
        if chosen and campaign is None:
            form.campaign.errors = ["Choose one of the campaigns listed"]
        else:
            try:
                batch = previews.create_batch(membership, request.files.getlist(form.files.name), campaign)
            except PreviewRefused as error:
                form.files.errors = [str(error)]
            else:
                return redirect(url_for("uploads.batch", batch_id=batch.id))
    status = 400 if form.errors else 200
    return render_template("uploads/new.html", form=form), status


def _batch(batch_id: str) -> previews.Batch:
    membership = require("upload.create")
    found = previews.load_batch(membership, batch_id)
    if found is None:
        abort(404)
    return found


def _campaign(membership: Membership, found: previews.Batch) -> Campaign | None:
    """The campaign a batch was uploaded for; a recruiter's batch for another agency's campaign is not found."""
    if not found.campaign_id:
        return None
    campaign = campaigns_dao.campaign_by_id(membership.organisation_id, found.campaign_id)
    if campaign is not None:
        require("upload.create", campaign)
    return campaign


@bp.route("/batches/<batch_id>")
@requires("upload.create")
def batch(batch_id: str) -> str:
    found = _batch(batch_id)
    membership = current_membership()
    assert membership is not None
    campaign = _campaign(membership, found)
    return render_template("uploads/batch.html", batch=found, campaign=campaign, form=ConfirmForm())


@bp.route("/batches/<batch_id>/files/<int:index>/columns", methods=["GET", "POST"])
@requires("upload.create")
def columns(batch_id: str, index: int) -> str | Response:
    """Match the columns of a file in a layout Scrutineer does not know to the template, and save that mapping."""
    found = _batch(batch_id)
    membership = current_membership()
    assert membership is not None
    campaign = _campaign(membership, found)
    try:
        page = mapping_pages.mapping_page(
            membership,
            found,
            index,
            campaign,
            table=request.args.get("table"),
            sheet=request.args.get("sheet"),
            posted=request.form.to_dict() if request.method == "POST" else None,
        )
    except mapping_pages.NotMappable:
        abort(404)
    except PreviewRefused as error:
        flash(str(error), "error")
        return redirect(url_for("uploads.batch", batch_id=found.id))
    form = column_mapping_form(page.selects())
    problem = None
    if form.validate_on_submit():
        outcome = mapping_pages.confirm(membership, page, form.data)
        if outcome.preview is not None:
            flash(
                f"The column mapping was saved. Check what Scrutineer found in {outcome.preview.name}, then import it.",
                "success",
            )
            return redirect(url_for("uploads.batch", batch_id=found.id, _anchor=f"file-{index}"))
        for name, message in outcome.errors.items():
            form[name].errors = [message]
        problem = outcome.problem
    table_form = MappingTableForm(formdata=None)
    table_form.table.choices = options(page.tables)
    table_form.table.data = page.table
    table_form.sheet.choices = options((sheet, sheet) for sheet in page.sheets)
    table_form.sheet.data = page.sheet
    summary = None
    if form.errors or problem:
        summary = error_summary(form)
        if problem:
            summary["errorList"].insert(0, {"text": problem})
    return render_template(
        "uploads/columns.html",
        page=page,
        form=form,
        table_form=table_form,
        summary=summary,
        field_label=mapping_pages.field_label,
    ), (400 if summary else 200)


@bp.route("/batches/<batch_id>/import", methods=["POST"])
@requires("upload.create")
def start_import(batch_id: str) -> Response:
    found = _batch(batch_id)
    membership = current_membership()
    assert membership is not None
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        started = previews.start_imports(membership, found)
    except PreviewRefused as error:
        flash(str(error), "error")
        return redirect(url_for("uploads.batch", batch_id=found.id))
    if len(started) == 1:
        return redirect(url_for("jobs.job", public_id=started[0].public_id))
    return redirect(url_for("jobs.index", show=[job.public_id for job in started]))


@bp.route("/batches/<batch_id>/discard", methods=["POST"])
@requires("upload.create")
def discard(batch_id: str) -> Response:
    found = _batch(batch_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        previews.discard_batch(found)
    except PreviewRefused as error:
        flash(str(error), "error")
        return redirect(url_for("uploads.batch", batch_id=found.id))
    flash("The files were discarded. Nothing was imported.", "success")
    return redirect(url_for("uploads.new"))


@bp.route("/<int:upload_id>")
@login_required
def upload(upload_id: int) -> str:
    membership = current_membership()
    if membership is None:
        abort(403)
    found = uploads_dao.get_upload(membership.organisation_id, upload_id)
    if found is None:
        abort(404)
    campaign = (
        campaigns_dao.campaign_by_id(membership.organisation_id, found.campaign_id) if found.campaign_id else None
    )
    require_object("upload.view", found.organisation_id, campaign=campaign, created_by_id=found.created_by_id)
    return render_template("uploads/upload.html", upload=found, campaign=campaign)


@functools.cache
def _template_workbook() -> bytes:
    return agency_template.template_bytes()  # the same for everyone, and small: made once per process


@bp.route("/template")
@requires("upload.view")
def template() -> str:
    return render_template(
        "uploads/template.html",
        guide=agency_template.column_guide(),
        sheets=agency_template.SHEETS,
        csv_names=agency_template.CSV_NAMES,
    )


def _attachment(content: bytes, name: str, mimetype: str) -> Response:
    response = Response(content, mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route(f"/template/{agency_template.XLSX_NAME}")
@requires("upload.view")
def template_workbook() -> Response:
    return _attachment(
        _template_workbook(),
        agency_template.XLSX_NAME,
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )


@bp.route("/template/<table>.csv")
@requires("upload.view")
def template_csv(table: str) -> Response:
    if table not in agency_template.CSV_NAMES:
        abort(404)
    return _attachment(agency_template.template_csv(table), f"scrutineer-{table}.csv", "text/csv")

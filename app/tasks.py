"""The job kinds Scrutineer runs in the background, each a thin call into a service.

Parameters are plain JSON (ids, paths, references, a column mapping), so a job can be queued to another machine.
Upload files are saved under SCRUTINEER_UPLOAD_DIR by the request that received them; the import job reads and then
deletes them. The workbook and scorecard jobs write the file a person asked to download (`app/services/downloads.py`).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from app.dao import audits as audits_dao
from app.dao import campaigns as campaigns_dao
from app.dao import organisations as organisations_dao
from app.jobs import JobContext, JobRefused, job
from app.services import adverts, auditing, downloads, imports, reports, scorecards
from importers.mapping import ColumnMapping, MappingError


def _mapping(params: dict[str, Any]) -> ColumnMapping | None:
    """The column mapping a file in a layout of its own was confirmed with, given as JSON in the parameters."""
    if not params.get("mapping"):
        return None
    try:
        return ColumnMapping.from_json(params["mapping"])
    except MappingError as error:
        raise JobRefused(f"{params.get('file_name', 'the file')}: the column mapping cannot be used: {error}") from None


@job("import")
def import_job(context: JobContext, params: dict[str, Any]) -> dict[str, Any]:
    path = Path(params["path"])
    if not path.exists():
        raise JobRefused(
            f"{params.get('file_name', 'the file')}: the uploaded file is no longer there; upload it again"
        )
    context.progress("Reading the file", 0)
    try:
        outcome = imports.import_file(
            context.organisation,
            path,
            params["file_name"],
            campaign_ref=params.get("campaign_ref"),
            format_name=params.get("format"),
            user=context.user,
            progress=lambda stage, rows: context.progress(stage, rows),
            mapping=_mapping(params),
            agency_name=params.get("agency_name"),
            save_mapping=False,  # saved when the user confirmed it on the mapping page
        )
    finally:
        if params.get("delete_after", True):
            path.unlink(missing_ok=True)
    context.progress("Finished", outcome.report.rows_read)
    return {
        "upload_id": outcome.upload.id,
        "report": outcome.report.as_dict(),
        "duplicate_of": outcome.duplicate_of.id if outcome.duplicate_of else None,
    }


@job("fetch")
def fetch_job(context: JobContext, params: dict[str, Any]) -> dict[str, Any]:
    context.progress("Fetching the page")
    outcome = adverts.fetch_advert(context.organisation, params["url"], params["campaign_ref"], user=context.user)
    return {"upload_id": outcome.upload.id, "report": outcome.report.as_dict()}


@job("audit")
def audit_job(context: JobContext, params: dict[str, Any]) -> dict[str, Any]:
    campaign = campaigns_dao.campaign_by_id(context.organisation_id, int(params["campaign_id"]))
    if campaign is None:
        raise JobRefused("the campaign no longer exists")
    context.progress("Running the checks")
    run = auditing.run_audit(context.organisation, campaign, user=context.user, checklist_id=params.get("checklist_id"))
    return {"audit_id": run.public_id, "score": run.score, "rag": run.rag}


@job("workbook")
def workbook_job(context: JobContext, params: dict[str, Any]) -> dict[str, Any]:
    run = audits_dao.audit_by_public_id(str(params["audit_id"]), context.organisation_id)
    if run is None:
        raise JobRefused("the audit no longer exists")
    context.progress("Writing the workbook")
    size = downloads.write_atomically(downloads.path_for(context.job), lambda path: reports.write_workbook(run, path))
    return {"audit_id": run.public_id, "download_name": f"scrutineer-{run.public_id}.xlsx", "bytes": size}


@job("scorecard")
def scorecard_job(context: JobContext, params: dict[str, Any]) -> dict[str, Any]:
    organisation = context.organisation
    agency_name = None
    download_name = f"scorecard-{organisation.slug}.xlsx"
    if params.get("agency_id") is not None:
        agency = organisations_dao.agency_by_id(organisation.id, int(params["agency_id"]))
        if agency is None:
            raise JobRefused("the agency no longer exists")
        agency_name = agency.name
        download_name = f"scorecard-{organisation.slug}-agency-{agency.id}.xlsx"
    context.progress("Writing the scorecard")
    size = downloads.write_atomically(
        downloads.path_for(context.job),
        lambda path: scorecards.write_scorecard(organisation, path, agency_name, user=context.user),
    )
    return {"agency": agency_name, "download_name": download_name, "bytes": size}

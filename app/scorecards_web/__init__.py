"""The scorecards journey, for auditors and procurement's supplier reviews: the organisation's agencies with their
latest scores and ratings, one agency's scorecard with charts and the tables behind them, and the scorecard workbook.

The figures come from `app/services/scorecards.py`, so the pages and the workbook always agree.
"""

from __future__ import annotations

from flask import Blueprint, abort, redirect, render_template, request, url_for
from werkzeug.wrappers import Response

from app import charts, jobs
from app.authz import require, requires
from app.dao import organisations as organisations_dao
from app.forms import ConfirmForm
from app.models import Agency, Membership
from app.pagination import pagination
from app.services import scorecard_pages

bp = Blueprint("scorecards", __name__, url_prefix="/scorecards")


@bp.app_template_filter("share")
def share(value: float | None) -> str:
    """A share as a percentage, or "Not known" when there was nothing to divide by."""
    return "Not known" if value is None else f"{value * 100:.0f}%"


@bp.app_template_filter("figure")
def figure(value: float | None, missing: str = "Not audited") -> str:
    return missing if value is None else charts.number(value)


def _agency(membership: Membership, agency_id: int) -> Agency:
    found = organisations_dao.agency_by_id(membership.organisation_id, agency_id)
    if found is None:
        abort(404)
    return found


@bp.route("/")
@requires("scorecard.view")
def index() -> str:
    membership = require("scorecard.view")
    return render_template("scorecards/index.html", overview=scorecard_pages.overview(membership.organisation))


@bp.route("/agencies/<int:agency_id>")
@requires("scorecard.view")
def agency(agency_id: int) -> str:
    membership = require("scorecard.view")
    page = scorecard_pages.agency_page(
        membership.organisation, _agency(membership, agency_id), request.args.get("page", 1, type=int)
    )
    name = page.agency.name
    which = f"{name}'s campaigns"
    if page.pages > 1:
        which += f" {page.first + 1:,} to {page.first + len(page.campaigns):,} of {len(page.card.campaigns):,}"
    score_chart = charts.line_chart(
        [point for _campaign, point, _which in page.plotted],
        chart_id="score-chart",
        title=f"Score over time: {name}",
        description=(
            f"Line chart of the latest audit score of each of {which}, out of 100, by date: "
            + (
                "; ".join(
                    f"{p.name} {charts.short_date(p.when)}: {charts.number(p.value)}" for _c, p, _w in page.plotted
                )
                or "no campaign has a score yet"
            )
            + ". The same figures are in the table below the chart."
        ),
    )
    failed_chart = charts.bar_chart(
        page.bars,
        chart_id="failed-chart",
        title=f"Checks failed most often: {name}",
        description=(
            "Bar chart of the number of campaigns whose latest audit failed each check: "
            + ("; ".join(f"{bar.label}: {charts.number(bar.value)}" for bar in page.bars) or "no check failed")
            + ". The same figures are in the table below the chart."
        ),
        value_label="Campaigns where the check failed",
    )
    pages = pagination(
        page.number,
        page.pages,
        lambda number: url_for("scorecards.agency", agency_id=agency_id, page=number, _anchor="agency-campaigns"),
        label="Pages of campaigns",
    )
    return render_template(
        "scorecards/agency.html", page=page, pages=pages, score_chart=score_chart, failed_chart=failed_chart
    )


def _prepare(membership: Membership, agency_id: int | None) -> Response:
    """Write the scorecard workbook in the background; its job page offers the file when it is ready."""
    if not ConfirmForm().validate_on_submit():
        abort(400)
    job = jobs.enqueue("scorecard", membership.organisation, {"agency_id": agency_id}, user=membership.user)
    return redirect(url_for("jobs.job", public_id=job.public_id))


@bp.route("/workbook", methods=["POST"])
@requires("scorecard.view")
def workbook() -> Response:
    membership = require("scorecard.view")
    if not organisations_dao.agencies_of(membership.organisation_id):
        abort(404)
    return _prepare(membership, None)


@bp.route("/agencies/<int:agency_id>/workbook", methods=["POST"])
@requires("scorecard.view")
def agency_workbook(agency_id: int) -> Response:
    membership = require("scorecard.view")
    return _prepare(membership, _agency(membership, agency_id).id)

"""Procurement's journey: check that a workbook handed in (for example attached to a contract) is the one Scrutineer
wrote, unaltered. Reading audits is the findings journey; procurement can read but not change them."""

from __future__ import annotations

from flask import Blueprint, render_template, request
from werkzeug.wrappers import Response

from app.authz import can, require, requires
from app.forms import VerifyForm
from app.services.verification import WorkbookRejected, verify_upload

bp = Blueprint("procurement", __name__)


@bp.route("/verify", methods=["GET", "POST"])
@requires("workbook.verify")
def verify() -> str | tuple[str, int] | Response:
    membership = require("workbook.verify")
    form = VerifyForm()
    result = None
    if form.validate_on_submit():
        try:
            result = verify_upload(membership, request.files[form.workbook.name])
        except WorkbookRejected as error:
            form.workbook.errors = [str(error)]
    return render_template(
        "procurement/verify.html", form=form, result=result, sees_scorecards=can("scorecard.view")
    ), (400 if form.errors else 200)

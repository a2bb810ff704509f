"""The checklists journey: the shipped checklist and the organisation's own versions (who changed what, when and
why), one version's checks in full, and, for admins and auditors, the organisation's own copy and its changes: a
threshold, a severity, switching a check off (with the reason) or on again.

Every change goes through `app/services/checklists.py`, which stores it as a new version with its SHA-256 and an
event; audits started after it use the new version.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from werkzeug.wrappers import Response

from app.authz import can, require, requires
from app.forms import (
    ChoiceForm,
    ConfirmForm,
    DecimalForm,
    SeverityForm,
    SwitchOffForm,
    SwitchOnForm,
    TextForm,
    ThresholdForm,
    WholeNumberForm,
    WordsForm,
    YesNoForm,
    options,
)
from app.models import ChecklistVersion, Membership
from app.services import checklist_pages, checklists
from app.services.checklist_pages import CurrentCheck

bp = Blueprint("checklists", __name__, url_prefix="/checklists")

THRESHOLD_FORMS: dict[str, type[ThresholdForm]] = {
    checklist_pages.WHOLE: WholeNumberForm,
    checklist_pages.DECIMAL: DecimalForm,
    checklist_pages.YES_NO: YesNoForm,
    checklist_pages.STATUS: ChoiceForm,
    checklist_pages.SEVERITY: ChoiceForm,
    checklist_pages.TEXT: TextForm,
    checklist_pages.WORDS: WordsForm,
}


@bp.app_template_filter("param_label")
def param_label(name: str) -> str:
    return checklist_pages.param_label(name)


@bp.app_template_filter("param_value")
def param_value(value: Any) -> str:
    return checklist_pages.show_value(value)


@bp.route("/")
@requires("checklist.view")
def index() -> str:
    membership = require("checklist.view")
    return render_template(
        "checklists/index.html",
        overviews=checklist_pages.overview(membership.organisation),
        can_edit=can("checklist.edit"),
        form=ConfirmForm(),
    )


@bp.route("/versions/<int:version_id>")
@requires("checklist.view")
def version(version_id: int) -> str:
    membership = require("checklist.view")
    page = checklist_pages.version_page(membership.organisation, version_id)
    if page is None:
        abort(404)
    return render_template("checklists/version.html", page=page, can_edit=can("checklist.edit"))


@bp.route("/<checklist_id>/copy", methods=["POST"])
@requires("checklist.edit")
def copy(checklist_id: str) -> Response:
    membership = require("checklist.edit")
    _current_or_404(membership, checklist_id)
    form = ConfirmForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        row = checklists.copy(membership.organisation, user=membership.user, checklist_id=checklist_id[:120])
    except checklists.ChecklistRefused as error:
        flash(str(error)[:1].upper() + str(error)[1:], "important")
        return redirect(url_for("checklists.index"))
    flash(f"Your organisation's own copy was saved as version {row.version}.", "success")
    return redirect(url_for("checklists.version", version_id=row.id))


def _current_or_404(membership: Membership, checklist_id: str) -> checklists.CurrentChecklist:
    try:
        now = checklists.current(membership.organisation, checklist_id[:120])
    except checklists.ChecklistRefused:
        abort(404)
    if now.checklist.id != checklist_id:
        abort(404)
    return now


def _check(checklist_id: str, check_id: str) -> tuple[Membership, CurrentCheck]:
    membership = require("checklist.edit")
    found = checklist_pages.current_check(membership.organisation, checklist_id[:120], check_id[:20])
    if found is None:
        abort(404)
    return membership, found


def _saved(row: ChecklistVersion, what: str, checklist_id: str, check_id: str) -> Response:
    flash(f"Saved as version {row.version}: {what}.", "success")
    return redirect(url_for("checklists.check", checklist_id=checklist_id, check_id=check_id))


def _refused(field: Any, error: checklists.ChecklistRefused) -> None:
    message = str(error)
    field.errors = [*field.errors, message[:1].upper() + message[1:]]


@bp.route("/<checklist_id>/checks/<check_id>")
@requires("checklist.edit")
def check(checklist_id: str, check_id: str) -> str:
    _membership, found = _check(checklist_id, check_id)
    return render_template("checklists/check.html", found=found, rule=found.rule, checklist=found.checklist)


@bp.route("/<checklist_id>/checks/<check_id>/thresholds/<name>", methods=["GET", "POST"])
@requires("checklist.edit")
def threshold(checklist_id: str, check_id: str, name: str) -> str | tuple[str, int] | Response:
    membership, found = _check(checklist_id, check_id)
    rule = found.rule
    if name not in rule.params:
        abort(404)
    current = rule.params[name]
    kind = checklist_pages.param_kind(name, current)
    form = THRESHOLD_FORMS[kind](current)
    if kind in (checklist_pages.STATUS, checklist_pages.SEVERITY):
        choices = checklist_pages.STATUS_CHOICES if kind == checklist_pages.STATUS else checklist_pages.SEVERITY_CHOICES
        form.value.choices = options(choices)  # type: ignore[attr-defined]
    if not form.is_submitted():
        form.value.data = "\n".join(current) if kind == checklist_pages.WORDS else _as_text(current)  # type: ignore[attr-defined]
    if form.validate_on_submit():
        try:
            row = checklists.set_param(
                membership.organisation,
                rule.id,
                name,
                form.typed,
                reason=(form.reason.data or "").strip() or None,
                user=membership.user,
                checklist_id=checklist_id,
            )
        except checklists.ChecklistRefused as error:
            _refused(form.value, error)  # type: ignore[attr-defined]
        else:
            return _saved(
                row, f"{name} of {rule.id} is now {checklist_pages.show_value(form.typed)}", checklist_id, rule.id
            )
    return render_template(
        "checklists/threshold.html", found=found, rule=rule, name=name, current=current, kind=kind, form=form
    ), (400 if form.errors else 200)


def _as_text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return format(value, "g")
    return str(value)


@bp.route("/<checklist_id>/checks/<check_id>/severity", methods=["GET", "POST"])
@requires("checklist.edit")
def severity(checklist_id: str, check_id: str) -> str | tuple[str, int] | Response:
    membership, found = _check(checklist_id, check_id)
    rule = found.rule
    form = SeverityForm(rule.severity.value, checklist_pages.SEVERITY_CHOICES)
    if not form.is_submitted():
        form.severity.data = rule.severity.value
    if form.validate_on_submit():
        try:
            row = checklists.set_severity(
                membership.organisation,
                rule.id,
                form.severity.data or "",
                reason=(form.reason.data or "").strip() or None,
                user=membership.user,
                checklist_id=checklist_id,
            )
        except checklists.ChecklistRefused as error:
            _refused(form.severity, error)
        else:
            label = dict(checklist_pages.SEVERITY_CHOICES)[form.severity.data or ""]
            return _saved(row, f"{rule.id} is now {label}", checklist_id, rule.id)
    return render_template("checklists/severity.html", found=found, rule=rule, form=form), (400 if form.errors else 200)


@bp.route("/<checklist_id>/checks/<check_id>/switch-off", methods=["GET", "POST"])
@requires("checklist.edit")
def switch_off(checklist_id: str, check_id: str) -> str | tuple[str, int] | Response:
    membership, found = _check(checklist_id, check_id)
    rule = found.rule
    if not rule.enabled:
        return redirect(url_for("checklists.check", checklist_id=checklist_id, check_id=rule.id))
    form = SwitchOffForm()
    if form.validate_on_submit():
        try:
            row = checklists.disable(
                membership.organisation,
                rule.id,
                (form.reason.data or "").strip(),
                user=membership.user,
                checklist_id=checklist_id,
            )
        except checklists.ChecklistRefused as error:
            _refused(form.reason, error)
        else:
            return _saved(row, f"{rule.id} is switched off", checklist_id, rule.id)
    return render_template("checklists/switch_off.html", found=found, rule=rule, form=form), (
        400 if form.errors else 200
    )


@bp.route("/<checklist_id>/checks/<check_id>/switch-on", methods=["GET", "POST"])
@requires("checklist.edit")
def switch_on(checklist_id: str, check_id: str) -> str | tuple[str, int] | Response:
    membership, found = _check(checklist_id, check_id)
    rule = found.rule
    if rule.enabled:
        return redirect(url_for("checklists.check", checklist_id=checklist_id, check_id=rule.id))
    form = SwitchOnForm()
    if form.validate_on_submit():
        try:
            row = checklists.enable(
                membership.organisation,
                rule.id,
                reason=(form.reason.data or "").strip() or None,
                user=membership.user,
                checklist_id=checklist_id,
            )
        except checklists.ChecklistRefused as error:
            _refused(form.reason, error)
        else:
            return _saved(row, f"{rule.id} is switched on", checklist_id, rule.id)
    return render_template("checklists/switch_on.html", found=found, rule=rule, form=form), (
        400 if form.errors else 200
    )

"""Pages everyone can reach: the start page, the information pages, and the advert self-check."""

from __future__ import annotations

from flask import Blueprint, current_app, redirect, render_template, url_for
from flask_login import current_user
from markupsafe import Markup, escape
from werkzeug.wrappers import Response

from app.authz import current_membership, current_organisation, requires
from app.forms import SelfCheckForm
from app.services.selfcheck import check_text

bp = Blueprint("main", __name__)


@bp.app_context_processor
def inject_tenant() -> dict[str, object]:
    return {"current_membership": current_membership(), "current_organisation": current_organisation()}


@bp.route("/")
def home() -> str | Response:
    if current_user.is_authenticated:
        return redirect(url_for("campaigns.dashboard"))
    return render_template("main/home.html")


@bp.route("/accessibility-statement")
def accessibility() -> str:
    return render_template("main/accessibility.html")


@bp.route("/privacy")
def privacy() -> str:
    return render_template("main/privacy.html", retention_days=current_app.config["SCRUTINEER_RETENTION_DAYS"])


@bp.route("/cookies")
def cookies() -> str:
    return render_template("main/cookies.html")


def highlight(text: str, spans: list[tuple[int, int, str]]) -> Markup:
    """The text, escaped, with each (start, end, label) span wrapped in <mark>. Overlapping spans are merged."""
    pieces: list[str] = []
    position = 0
    for start, end, label in sorted(spans):
        if start < position or end <= start or end > len(text):
            continue
        pieces.append(str(escape(text[position:start])))
        pieces.append(
            f'<mark class="app-highlight" title="{escape(label)}">{escape(text[start:end])}'
            f'<span class="govuk-visually-hidden"> ({escape(label)})</span></mark>'
        )
        position = end
    pieces.append(str(escape(text[position:])))
    return Markup("".join(pieces))


@bp.route("/self-check", methods=["GET", "POST"])
@requires("advert.selfcheck")
def self_check() -> str:
    """Recruiters paste an advert and see the findings at once. Nothing is stored."""
    form = SelfCheckForm()
    advert = findings = marked = None
    if form.validate_on_submit():
        advert, findings = check_text(form.text.data or "", form.title.data or "")
        spans = [
            (e.start, e.end, f"{f.check_id}: {f.title}")
            for f in findings
            if f.status.value in ("fail", "warn")
            for e in f.evidence
            if getattr(e, "field", None) == "text"
        ]
        marked = highlight(advert.text, spans)
    return render_template("main/self_check.html", form=form, advert=advert, findings=findings, marked=marked)

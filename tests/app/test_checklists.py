"""Organisation checklists: copy, change a threshold, switch a check off with a reason; audits use the newest version
and store the snapshot they used."""

import datetime as dt
import hashlib
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskCliRunner
from sqlalchemy import select

from app.dao.campaigns import campaign_by_id
from app.extensions import db
from app.models import ChecklistVersion, Event
from app.services import checklists, imports, reports
from app.services.auditing import run_audit
from audits.checklist import load_shipped, parse_checklist
from tests.factories import make_organisation, make_user, write_tracker

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "adverts"


def _campaign(organisation, tmp_path: Path):  # type: ignore[no-untyped-def]
    path = write_tracker(
        tmp_path / "tracker.xlsx",
        [["C-9", "Northshire Council", "local_authority", "Director", "£120,000", "£130,000", "Harbour", "", "", ""]],
        [["C-9", f"p{i}", "headhunt", "longlisted", "F" if i < 3 else "M", "White", "No", ""] for i in range(10)],
    )
    outcome = imports.import_file(organisation, path, path.name)
    imports.import_file(organisation, FIXTURES / "plain-advert.txt", "advert.txt", campaign_ref="C-9")
    return campaign_by_id(organisation.id, outcome.upload.campaign_id)


def test_copy_change_disable_each_make_a_version_and_audits_use_the_newest(ctx: Flask, tmp_path: Path) -> None:
    organisation = make_organisation()
    user = make_user(organisation, "admin")
    shipped = load_shipped()
    first = checklists.copy(organisation, user=user)
    assert first.version == f"{shipped.version}+northshire.1" and first.based_on == shipped.label
    assert first.sha256 == hashlib.sha256(first.content.encode()).hexdigest()
    second = checklists.set_param(organisation, "ES-01", "min_share", 0.25, reason="Board decision 4/2026", user=user)
    third = checklists.disable(organisation, "LANG-01", "Advisory only in our policy", user=user)
    assert [v.version for v in checklists.history(organisation)] == [
        f"{shipped.version}+northshire.{n}" for n in (1, 2, 3)
    ]
    assert len({first.sha256, second.sha256, third.sha256}) == 3
    current = checklists.current(organisation)
    assert current.own and current.version.id == third.id
    assert current.checklist.rule("ES-01").params["min_share"] == 0.25
    assert not current.checklist.rule("LANG-01").enabled
    assert [c["check"] for c in checklists.change_log(current.checklist)] == ["ES-01", "LANG-01"]

    campaign = _campaign(organisation, tmp_path)
    run = run_audit(organisation, campaign, as_of=dt.date(2026, 3, 31))
    assert run.checklist_version == third.version and run.checklist_sha256 == third.sha256
    assert parse_checklist(run.checklist_snapshot).sha256 == third.sha256
    found = {f.check_id: f for f in reports.audits_dao.findings_of(run)}
    assert "LANG-01" not in found
    assert found["ES-01"].status == "pass"  # 3 of 10 women meets the organisation's 25%
    again = run_audit(organisation, campaign, as_of=dt.date(2026, 3, 31))
    strip = lambda r: [(f.check_id, f.status, f.evidence_text) for f in reports.audits_dao.findings_of(r)]  # noqa: E731
    assert strip(run) == strip(again) and run.checklist_sha256 == again.checklist_sha256
    actions = list(db.session.scalars(select(Event.action).where(Event.object_type == "checklist")))
    assert actions == ["checklist.copied", "checklist.changed", "checklist.changed"]


def test_other_organisations_keep_the_shipped_checklist(ctx: Flask) -> None:
    northshire = make_organisation()
    southvale = make_organisation("southvale", "Southvale Council")
    checklists.disable(northshire, "LANG-01", "Advisory only")
    assert not checklists.current(southvale).own
    assert checklists.current(southvale).checklist.rule("LANG-01").enabled


def test_refusals_say_why(ctx: Flask) -> None:
    organisation = make_organisation()
    with pytest.raises(checklists.ChecklistRefused, match="needs a reason"):
        checklists.disable(organisation, "LANG-01", " ")
    with pytest.raises(checklists.ChecklistRefused, match="no parameter"):
        checklists.set_param(organisation, "ES-01", "no_such", 1)
    checklists.copy(organisation)
    with pytest.raises(checklists.ChecklistRefused, match="already has its own copy"):
        checklists.copy(organisation)
    assert db.session.scalar(select(ChecklistVersion).where(ChecklistVersion.organisation_id == organisation.id))


def test_checklist_commands(runner: FlaskCliRunner) -> None:
    assert runner.invoke(args=["org", "create", "Northshire Council", "--slug", "northshire"]).exit_code == 0
    result = runner.invoke(
        args=["checklist", "set", "es-01", "min_share", "0.4", "--org", "northshire", "--reason", "Board decision"]
    )
    assert result.exit_code == 0, result.output
    assert "+northshire.1" in result.output and "SHA-256" in result.output
    result = runner.invoke(args=["checklist", "disable", "LANG-01", "--org", "northshire", "--reason", "Advisory"])
    assert result.exit_code == 0, result.output
    shown = runner.invoke(args=["checklist", "show", "--org", "northshire"])
    assert "its own copy" in shown.output and "LANG-01 is switched off: Advisory" in shown.output
    assert "change: ES-01 param" in shown.output
    history = runner.invoke(args=["checklist", "history", "--org", "northshire"])
    assert history.output.count("+northshire.") == 2
    refused = runner.invoke(args=["checklist", "set", "ES-01", "min_share", "lots", "--org", "northshire"])
    assert refused.exit_code == 1 and "must be a float" in refused.stderr
    checks = runner.invoke(args=["checks", "--org", "northshire"])
    assert "[off: Advisory]" in checks.output

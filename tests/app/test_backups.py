"""Backups and restores, on the database the suite runs on (SQLite, or PostgreSQL with pg_dump)."""

import shutil
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskCliRunner
from sqlalchemy import func, select

from app.extensions import db
from app.models import Campaign, Event
from tests.factories import make_campaign, make_organisation


def test_backup_then_restore_brings_the_data_back(app: Flask, runner: FlaskCliRunner, tmp_path: Path) -> None:
    with app.app_context():
        if db.engine.dialect.name == "postgresql" and not shutil.which("pg_dump"):
            pytest.skip("pg_dump is not installed")
        organisation = make_organisation()
        make_campaign(organisation, ref="KEEP-1")
    target = tmp_path / "backup.bin"
    result = runner.invoke(args=["backup", "--out", str(target)])
    assert result.exit_code == 0, result.output
    assert target.stat().st_size > 0
    with app.app_context():
        make_campaign(
            db.session.scalar(select(Campaign.organisation_id)) and make_organisation("other", "Other"), ref="LOST-1"
        )
        assert db.session.scalar(select(func.count()).select_from(Campaign)) == 2
    result = runner.invoke(args=["restore", str(target), "--yes"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        refs = set(db.session.scalars(select(Campaign.ref)))
        assert refs == {"KEEP-1"}
        assert "database.restore" in list(db.session.scalars(select(Event.action)))


def test_restoring_something_that_is_not_a_backup_is_refused(
    app: Flask, runner: FlaskCliRunner, tmp_path: Path
) -> None:
    bogus = tmp_path / "bogus.sqlite"
    bogus.write_bytes(b"not a database at all" * 100)
    result = runner.invoke(args=["restore", str(bogus), "--yes"])
    assert result.exit_code == 1
    assert "bogus.sqlite" in result.stderr

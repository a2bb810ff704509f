"""Backups and restores, on the database the suite runs on (SQLite, or PostgreSQL with pg_dump)."""

import shutil
import sqlite3
from contextlib import closing
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


def test_a_backup_with_another_page_size_can_be_restored(app: Flask, runner: FlaskCliRunner, tmp_path: Path) -> None:
    """New SQLite databases have 16 KiB pages (app.SQLITE_PAGE_BYTES); one made before had SQLite's 4 KiB, and so
    do its backups. A database in WAL mode refuses pages of another size unless the restore sees to it."""
    with app.app_context():
        if db.engine.dialect.name != "sqlite":
            pytest.skip("page sizes are SQLite's")
        make_campaign(make_organisation(), ref="OLD-1")
    target = tmp_path / "backup.sqlite"
    assert runner.invoke(args=["backup", "--out", str(target)]).exit_code == 0
    with closing(sqlite3.connect(target)) as old:
        old.execute("PRAGMA journal_mode=DELETE")
        old.execute("PRAGMA page_size=4096")
        old.execute("VACUUM")
        assert old.execute("PRAGMA page_size").fetchone()[0] == 4096
    with app.app_context():
        make_campaign(make_organisation("other", "Other"), ref="LOST-1")
        live = db.engine.url.database
    with closing(sqlite3.connect(live)) as connection:
        assert connection.execute("PRAGMA page_size").fetchone()[0] == 16_384
    result = runner.invoke(args=["restore", str(target), "--yes"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        assert set(db.session.scalars(select(Campaign.ref))) == {"OLD-1"}
    with closing(sqlite3.connect(live)) as connection:
        assert connection.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert connection.execute("PRAGMA page_size").fetchone()[0] == 4096


def test_a_restore_while_the_database_is_in_use_is_refused(app: Flask, runner: FlaskCliRunner, tmp_path: Path) -> None:
    with app.app_context():
        if db.engine.dialect.name != "sqlite":
            pytest.skip("pg_restore has its own locking")
        make_campaign(make_organisation(), ref="KEEP-1")
        live = db.engine.url.database
    target = tmp_path / "backup.sqlite"
    assert runner.invoke(args=["backup", "--out", str(target)]).exit_code == 0
    with closing(sqlite3.connect(live)) as still_open:  # a web worker, say
        still_open.execute("SELECT count(*) FROM campaign").fetchone()
        result = runner.invoke(args=["restore", str(target), "--yes"])
    assert result.exit_code == 1
    assert "is in use: stop the web app and workers" in result.stderr and "Traceback" not in result.output
    with app.app_context():
        assert set(db.session.scalars(select(Campaign.ref))) == {"KEEP-1"}


def test_compact_gives_back_deleted_space_and_brings_old_pages_to_16_kib(app: Flask, runner: FlaskCliRunner) -> None:
    with app.app_context():
        if db.engine.dialect.name != "sqlite":
            result = runner.invoke(args=["compact"])
            assert result.exit_code == 0 and "autovacuum" in result.output
            return
        make_campaign(make_organisation(), ref="KEEP-1")
        live = db.engine.url.database
        db.session.remove()
        db.engine.dispose()
    with closing(sqlite3.connect(live)) as old:  # a database made before Scrutineer chose 16 KiB pages
        old.execute("PRAGMA journal_mode=DELETE")
        old.execute("PRAGMA page_size=4096")
        old.execute("VACUUM")
        old.execute("PRAGMA journal_mode=WAL")
    with app.app_context():  # rows deleted since leave free pages behind
        organisation_id = db.session.scalar(select(Campaign.organisation_id))
        for number in range(400):
            db.session.add(Campaign(organisation_id=organisation_id, ref=f"GONE-{number}", role_title="Director " * 40))
        db.session.commit()
        db.session.execute(Campaign.__table__.delete().where(Campaign.ref.startswith("GONE-")))
        db.session.commit()
        db.session.remove()
        db.engine.dispose()
    with closing(sqlite3.connect(live)) as before:
        assert before.execute("PRAGMA page_size").fetchone()[0] == 4096
        assert before.execute("PRAGMA freelist_count").fetchone()[0] > 0

    result = runner.invoke(args=["compact"])
    assert result.exit_code == 0, result.output
    assert "pages of 4,096 bytes to 16,384" in result.output
    with closing(sqlite3.connect(live)) as after:
        assert after.execute("PRAGMA page_size").fetchone()[0] == 16_384
        assert after.execute("PRAGMA freelist_count").fetchone()[0] == 0
        assert after.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert after.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    with app.app_context():
        assert set(db.session.scalars(select(Campaign.ref))) == {"KEEP-1"}
        assert "database.compacted" in list(db.session.scalars(select(Event.action)))

    with closing(sqlite3.connect(live)) as still_open:  # a web worker, say
        still_open.execute("SELECT count(*) FROM campaign").fetchone()
        result = runner.invoke(args=["compact"])
    assert result.exit_code == 1
    assert "is in use: stop the web app and workers, then compact again" in result.stderr

"""Migrations: one head, files named 0001_<slug>.py, and the models match what `flask db upgrade` built."""

import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask import Flask

from app.extensions import db

MIGRATIONS = Path(__file__).resolve().parents[2] / "migrations"


@contextmanager
def _empty_database(tmp_path: Path, database_url: str) -> Iterator[Flask]:
    """The app on a database of its own with no tables yet (SQLite, or a PostgreSQL database dropped afterwards),
    for a test that upgrades it step by step."""
    from app import create_app
    from tests.conftest import _postgres_database

    databases = _postgres_database(os.environ["TEST_DATABASE_URL"]) if database_url.startswith("postgresql") else None
    url = next(databases) if databases is not None else f"sqlite:///{tmp_path / 'upgrade.sqlite'}"
    try:
        application = create_app(
            {
                "ENV_NAME": "test",
                "SQLALCHEMY_DATABASE_URI": url,
                "INSTANCE_PATH": str(tmp_path),
                "SCRUTINEER_UPLOAD_DIR": str(tmp_path / "uploads"),
            }
        )
        with application.app_context():
            try:
                yield application
            finally:
                db.session.remove()
                db.engine.dispose()
    finally:
        if databases is not None:
            next(databases, None)


def test_there_is_one_head_and_files_are_numbered() -> None:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    script = ScriptDirectory.from_config(config)
    assert len(script.get_heads()) == 1
    for path in (MIGRATIONS / "versions").glob("*.py"):
        assert re.fullmatch(r"\d{4}_[a-z0-9_]+\.py", path.name), path.name


def test_upgrade_on_an_empty_database_matches_the_models(ctx: Flask) -> None:
    # The session fixture ran `flask db upgrade` on an empty database; nothing should differ from the models.
    with db.engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), db.metadata)
    assert differences == []


def test_every_migration_upgrades_a_database_that_holds_data(tmp_path: Path, database_url: str) -> None:
    """Upgrade step by step with rows in place, as a real installation is upgraded, then downgrade to the start."""
    import secrets

    from flask_migrate import downgrade, upgrade
    from sqlalchemy import text

    with _empty_database(tmp_path, database_url):
        upgrade(revision="0001")
        db.session.execute(
            text(
                "INSERT INTO organisation (name, slug, org_type, nation, created_at) "
                "VALUES ('Org', 'org', 'nhs', 'england', CURRENT_TIMESTAMP)"
            )
        )
        db.session.execute(
            text(
                "INSERT INTO campaign (organisation_id, ref, extra, created_at, updated_at) "
                "VALUES (1, 'C-1', '{}', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"
            )
        )
        db.session.execute(
            text(
                "INSERT INTO event (actor_label, action, payload, created_at) "
                f"VALUES ('test', 'test.{secrets.token_hex(2)}', '{{}}', CURRENT_TIMESTAMP)"
            )
        )
        db.session.commit()
        upgrade()
        facts = db.session.execute(text("SELECT facts FROM campaign")).scalar()
        assert facts in ({}, "{}")
        db.session.remove()  # release the read, or the downgrade waits for its lock on PostgreSQL
        downgrade(revision="base")


def test_free_text_stored_before_0011_loses_its_contact_details(tmp_path: Path, database_url: str) -> None:
    """An installation upgraded to 0011 keeps no e-mail address or profile link in the free text earlier imports
    stored; other text, and values that hold none, are left as they were."""
    from flask_migrate import upgrade
    from sqlalchemy import text

    with _empty_database(tmp_path, database_url):
        upgrade(revision="0010")
        db.session.execute(
            text(
                "INSERT INTO organisation (name, slug, org_type, nation, created_at) "
                "VALUES ('Org', 'org', 'nhs', 'england', CURRENT_TIMESTAMP)"
            )
        )
        db.session.execute(
            text(
                "INSERT INTO campaign (organisation_id, ref, extra, facts, longlist_justification, created_at, "
                "updated_at) VALUES (1, 'C-1', '{}', '{}', 'Added jo@nhs.net (www.linkedin.com/in/jo-b)', "
                "CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"
            )
        )
        reasons = ["Sent to a.b@example.org", "Salary £195,000 on 12/03/2026", None, "x" * 490 + " ab@cd.ef"]
        for number, reason in enumerate(reasons):
            db.session.execute(
                text(
                    "INSERT INTO candidate (organisation_id, campaign_id, upload_id, candidate_key, "
                    "rejection_reason) VALUES (1, 1, 1, :key, :reason)"
                ),
                {"key": f"k{number}", "reason": reason},
            )
        db.session.commit()
        upgrade()
        stored = db.session.execute(text("SELECT rejection_reason FROM candidate ORDER BY id")).scalars().all()
        assert stored[:3] == ["Sent to [e-mail address removed]", "Salary £195,000 on 12/03/2026", None]
        assert len(stored[3]) == 500 and stored[3].endswith("…") and "@" not in stored[3]
        justification = db.session.execute(text("SELECT longlist_justification FROM campaign")).scalar()
        assert justification == "Added [e-mail address removed] ([profile link removed])"

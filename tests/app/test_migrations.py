"""Migrations: one head, files named 0001_<slug>.py, and the models match what `flask db upgrade` built."""

import re
from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask import Flask

from app.extensions import db

MIGRATIONS = Path(__file__).resolve().parents[2] / "migrations"


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

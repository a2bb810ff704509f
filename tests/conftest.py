"""Shared fixtures. The database is real: SQLite by default, PostgreSQL when TEST_DATABASE_URL is set.

Each test session gets a fresh database, migrated with `flask db upgrade` (on PostgreSQL a new database is created
on the server TEST_DATABASE_URL names, and dropped afterwards). After each test every table is emptied, so no test
depends on another's data or order.
"""

from __future__ import annotations

import os
import secrets
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from flask import Flask, current_app
from flask.testing import FlaskClient, FlaskCliRunner
from sqlalchemy import Integer, func, insert, select, text
from sqlalchemy.engine import make_url

from app import create_app
from app.extensions import db

FIXTURES = Path(__file__).parent / "fixtures"


def _postgres_database(server_url: str) -> Iterator[str]:
    import psycopg

    url = make_url(server_url)
    name = f"scrutineer_test_{secrets.token_hex(4)}"
    admin = url.set(drivername="postgresql", database=url.database or "postgres")
    conninfo = admin.render_as_string(hide_password=False)
    with psycopg.connect(conninfo, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    try:
        yield url.set(database=name).render_as_string(hide_password=False)
    finally:
        with psycopg.connect(conninfo, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="session")
def database_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    server = os.environ.get("TEST_DATABASE_URL")
    if server:
        yield from _postgres_database(server)
    else:
        yield f"sqlite:///{tmp_path_factory.mktemp('db') / 'scrutineer-test.sqlite'}"


@pytest.fixture(scope="session")
def instance_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("instance")


def _settings(database_url: str, instance_dir: Path) -> dict[str, object]:
    return {
        "ENV_NAME": "test",
        "SQLALCHEMY_DATABASE_URI": database_url,
        "INSTANCE_PATH": str(instance_dir),
        "SCRUTINEER_UPLOAD_DIR": str(instance_dir / "uploads"),
        "SCRUTINEER_DEMO_PASSWORD": "demo-password-for-tests",
        "SECRET_KEY": "test-secret-key-not-for-production",
    }


@pytest.fixture(scope="session")
def migrated(database_url: str, instance_dir: Path) -> str:
    """Run the migrations once per session on the empty test database."""
    from flask_migrate import upgrade

    application = create_app(_settings(database_url, instance_dir))
    with application.app_context():
        upgrade()
        db.engine.dispose()
    return database_url


def _empty_postgres_tables() -> None:
    # The event log refuses deletes (a trigger): tests clear it with triggers off for this session only.
    names = ", ".join(f'"{t.name}"' for t in db.metadata.sorted_tables)
    db.session.execute(text("SET session_replication_role = replica"))
    db.session.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
    db.session.execute(text("SET session_replication_role = DEFAULT"))
    db.session.commit()


@dataclass(frozen=True)
class DemoSnapshot:
    """The demo data as rows per table (in the order foreign keys need) and the folder of its raw uploads."""

    rows: dict[str, list[dict[str, Any]]]
    uploads: Path

    def restore(self) -> None:
        """Put the demo data into the current app's (empty) database and upload folder, exactly as it was loaded."""
        uploads = Path(current_app.config["SCRUTINEER_UPLOAD_DIR"])
        shutil.copytree(self.uploads, uploads, dirs_exist_ok=True)
        postgres = db.engine.dialect.name == "postgresql"
        # The rows came from a consistent database, but some tables refer to each other, so no order of tables
        # satisfies every foreign key as rows go in: SQLite checks them at the commit, PostgreSQL not at all.
        if postgres:
            db.session.execute(text("SET session_replication_role = replica"))
        else:
            db.session.execute(text("PRAGMA defer_foreign_keys = ON"))
        for table in db.metadata.sorted_tables:
            rows = self.rows[table.name]
            if not rows:
                continue
            if "stored_path" in table.c:  # raw uploads: the copies in this test's own folder
                rows = [{**row, "stored_path": _moved(row["stored_path"], self.uploads, uploads)} for row in rows]
            db.session.execute(insert(table), rows)
            keys = list(table.primary_key.columns)
            if postgres and len(keys) == 1 and isinstance(keys[0].type, Integer):
                # the rows came with their ids: move the id sequence past them, as loading them did
                sequence = func.pg_get_serial_sequence(table.name, keys[0].name)
                db.session.execute(select(func.setval(sequence, select(func.max(keys[0])).scalar_subquery())))
        if postgres:
            db.session.execute(text("SET session_replication_role = DEFAULT"))
        db.session.commit()


def _moved(stored: str | None, old: Path, new: Path) -> str | None:
    if stored is None or not Path(stored).is_relative_to(old):
        return stored
    return str(new / Path(stored).relative_to(old))


@pytest.fixture(scope="session")
def demo_snapshot(migrated: str, instance_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> DemoSnapshot:
    """The demo organisations, users, campaigns and audits, loaded once per test session and kept as rows and
    files, which `DemoSnapshot.restore` puts back into a test's own database. Loading it afresh (hashing five passwords,
    running four audits) took about 1.2 s for each of the ~290 tests that use it."""
    from app.services import demo

    folder = tmp_path_factory.mktemp("demo")
    url = migrated
    if url.startswith("sqlite:///"):
        shutil.copyfile(url.removeprefix("sqlite:///"), folder / "demo.sqlite")
        url = f"sqlite:///{folder / 'demo.sqlite'}"
    uploads = folder / "uploads"
    application = create_app({**_settings(url, instance_dir), "SCRUTINEER_UPLOAD_DIR": str(uploads)})
    with application.app_context():
        demo.load_demo(echo=lambda *args, **kwargs: None)
        rows = {
            table.name: [dict(row) for row in db.session.execute(select(table).order_by(*table.primary_key)).mappings()]
            for table in db.metadata.sorted_tables
        }
        db.session.remove()
        if db.engine.dialect.name == "postgresql":
            _empty_postgres_tables()  # the session's database is every test's: leave it empty, as tests do
        db.session.remove()
        db.engine.dispose()
    return DemoSnapshot(rows, uploads)


@pytest.fixture
def app(migrated: str, instance_dir: Path, tmp_path: Path) -> Iterator[Flask]:
    """The app, with no context pushed: each request gets its own, as in production.

    On SQLite each test gets its own copy of the migrated database; on PostgreSQL the tables are emptied after it.
    """
    url = migrated
    if url.startswith("sqlite:///"):
        copy = tmp_path / "scrutineer.sqlite"
        shutil.copyfile(url.removeprefix("sqlite:///"), copy)
        url = f"sqlite:///{copy}"
    # Each test its own upload folder too: uploads and prepared downloads of one test are not seen by the next.
    application = create_app({**_settings(url, instance_dir), "SCRUTINEER_UPLOAD_DIR": str(tmp_path / "uploads")})
    yield application
    with application.app_context():
        db.session.remove()
        if db.engine.dialect.name == "postgresql":
            _empty_postgres_tables()
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def ctx(app: Flask) -> Iterator[Flask]:
    """The app with an application context pushed, for tests that call services or query the database."""
    with app.app_context():
        yield app
        db.session.remove()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def runner(app: Flask) -> FlaskCliRunner:
    return app.test_cli_runner()

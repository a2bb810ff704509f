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
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner
from sqlalchemy import text
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

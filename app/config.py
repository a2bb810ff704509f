"""Configuration classes, chosen by the SCRUTINEER_ENV environment variable (development, test, production).

Everything secret or deployment-specific comes from the environment. Production refuses to start without a
SECRET_KEY. Development, which `make run` uses, keeps a generated key in `instance/secret_key` so that candidate
pseudonyms (keyed hashes) stay the same across restarts; that file is never committed.
"""

from __future__ import annotations

import os
import secrets
from datetime import timedelta
from pathlib import Path
from typing import ClassVar


def database_url(value: str | None, instance_path: Path) -> str:
    """The SQLAlchemy URL: DATABASE_URL (postgres:// is upgraded to psycopg 3), else SQLite in instance/."""
    if not value:
        return f"sqlite:///{instance_path / 'scrutineer.sqlite'}"
    if value.startswith("postgres://"):
        value = "postgresql+psycopg://" + value[len("postgres://") :]
    elif value.startswith("postgresql://"):
        value = "postgresql+psycopg://" + value[len("postgresql://") :]
    return value


def _int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw in (None, ""):
        return default
    try:
        return int(raw)
    except ValueError:
        raise RuntimeError(f"{name} must be a whole number, not {raw!r}") from None


def _hosts(name: str) -> frozenset[str]:
    return frozenset(h.strip().lower() for h in os.environ.get(name, "").split(",") if h.strip())


class Config:
    """Settings every environment shares. Subclasses change what differs."""

    ENV_NAME = "base"
    TESTING = False
    DEBUG = False
    SECRET_KEY: str | None = None
    SQLALCHEMY_DATABASE_URI: str | None = None
    SQLALCHEMY_ENGINE_OPTIONS: ClassVar[dict[str, object]] = {"pool_pre_ping": True}
    REDIS_URL: str | None = None
    MAX_CONTENT_LENGTH = 60 * 1024 * 1024  # a request may carry a few files up to the per-file limit
    WTF_CSRF_TIME_LIMIT = 3600
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = False
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    PERMANENT_SESSION_LIFETIME = timedelta(hours=8)
    # Send the session cookie only when the session changes. Refreshing it on every response lets a slow response
    # (a stylesheet, the favicon) put back an older cookie after a newer one, losing the form's CSRF token.
    SESSION_REFRESH_EACH_REQUEST = False
    SCRUTINEER_RETENTION_DAYS = 180
    SCRUTINEER_FETCH_ALLOW_HOSTS: frozenset[str] = frozenset()
    SCRUTINEER_DEMO_PASSWORD: str | None = None
    SCRUTINEER_JOBS = "thread"  # "thread" (embedded), "rq" (REDIS_URL set), "inline" (tests)
    SCRUTINEER_UPLOAD_DIR: str | None = None
    # On SQLite, a CSV at least this big is read in a second process while this one stores it (importers.parallel);
    # smaller files are read in-process, where forking would cost more than it saves. 0: never.
    SCRUTINEER_PARALLEL_IMPORT_BYTES = 32 * 1024 * 1024

    @classmethod
    def from_environment(cls, instance_path: Path) -> dict:
        """The settings for this class, read from the environment."""
        settings = {key: getattr(cls, key) for key in dir(cls) if key.isupper()}
        settings["SQLALCHEMY_DATABASE_URI"] = database_url(os.environ.get("DATABASE_URL"), instance_path)
        settings["REDIS_URL"] = os.environ.get("REDIS_URL") or None
        settings["SCRUTINEER_RETENTION_DAYS"] = _int("SCRUTINEER_RETENTION_DAYS", cls.SCRUTINEER_RETENTION_DAYS)
        settings["SCRUTINEER_FETCH_ALLOW_HOSTS"] = _hosts("SCRUTINEER_FETCH_ALLOW_HOSTS")
        settings["SCRUTINEER_DEMO_PASSWORD"] = os.environ.get("SCRUTINEER_DEMO_PASSWORD") or None
        settings["SCRUTINEER_PROXY_HOPS"] = _int("SCRUTINEER_PROXY_HOPS", 0)
        settings["SCRUTINEER_PARALLEL_IMPORT_BYTES"] = _int(
            "SCRUTINEER_PARALLEL_IMPORT_BYTES", cls.SCRUTINEER_PARALLEL_IMPORT_BYTES
        )
        settings["SCRUTINEER_UPLOAD_DIR"] = os.environ.get("SCRUTINEER_UPLOAD_DIR") or str(instance_path / "uploads")
        if settings["REDIS_URL"] and cls.SCRUTINEER_JOBS == "thread":
            settings["SCRUTINEER_JOBS"] = "rq"
        settings["SECRET_KEY"] = os.environ.get("SECRET_KEY") or cls.fallback_secret(instance_path)
        return settings

    @classmethod
    def fallback_secret(cls, instance_path: Path) -> str:
        raise RuntimeError("SECRET_KEY is not set: set it in the environment (see README, Configuration)")


class DevelopmentConfig(Config):
    ENV_NAME = "development"
    DEBUG = False  # the debugger would show stack traces; Scrutineer never does

    @classmethod
    def fallback_secret(cls, instance_path: Path) -> str:
        key_file = instance_path / "secret_key"
        if key_file.exists():
            return key_file.read_text().strip()
        instance_path.mkdir(parents=True, exist_ok=True)
        key = secrets.token_urlsafe(48)
        key_file.write_text(key)
        key_file.chmod(0o600)
        return key


class TestConfig(DevelopmentConfig):
    ENV_NAME = "test"
    TESTING = True
    SCRUTINEER_JOBS = "inline"
    WTF_CSRF_ENABLED = True

    @classmethod
    def from_environment(cls, instance_path: Path) -> dict:
        settings = super().from_environment(instance_path)
        settings["SQLALCHEMY_DATABASE_URI"] = database_url(
            os.environ.get("TEST_DATABASE_URL") or os.environ.get("DATABASE_URL"), instance_path
        )
        settings["SECRET_KEY"] = os.environ.get("SECRET_KEY") or "test-secret-key-not-for-production"
        return settings


class ProductionConfig(Config):
    ENV_NAME = "production"
    SESSION_COOKIE_SECURE = True
    REMEMBER_COOKIE_SECURE = True
    PREFERRED_URL_SCHEME = "https"


CONFIGS: dict[str, type[Config]] = {
    "development": DevelopmentConfig,
    "test": TestConfig,
    "production": ProductionConfig,
}


def config_for(name: str | None) -> type[Config]:
    name = (name or os.environ.get("SCRUTINEER_ENV") or "development").lower()
    if name not in CONFIGS:
        raise RuntimeError(f"SCRUTINEER_ENV={name!r} is not one of {', '.join(CONFIGS)}")
    return CONFIGS[name]

"""Backups and restores of Scrutineer's database.

- SQLite (the embedded default): SQLite's online backup API copies a consistent snapshot while the app runs, and
  the copy is checked with `PRAGMA integrity_check`. A restore first keeps a copy of the current database, then
  copies the backup over it with the same API. Stop the app (and workers) before restoring.
- PostgreSQL: `pg_dump --format=custom` and `pg_restore --clean --if-exists`, which must be installed (Debian:
  postgresql-client). For large installations prefer the server's own continuous archiving; this command is for
  routine snapshots.

Raw uploads under SCRUTINEER_UPLOAD_DIR are not in the database: back that folder up with the same schedule if you
keep uploads for the retention period.

`compact()` rebuilds an SQLite database file (VACUUM): it gives back the space of rows deleted since (a corrected
file replaces its upload's records, `flask subject erase` removes a person's), and brings a database made with
SQLite's 4 KiB pages to Scrutineer's 16 KiB ones, which halve the database's share of a large import. PostgreSQL
reclaims space by itself (autovacuum).
"""

from __future__ import annotations

import datetime as dt
import shutil
import sqlite3
import subprocess
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

from flask import current_app
from sqlalchemy.engine import make_url

from app.dao import events, transaction
from app.extensions import db


class BackupError(RuntimeError):
    """A backup or restore could not be done. The message says why."""


def _stamp() -> str:
    return dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")


def _sqlite_path() -> Path:
    database = make_url(current_app.config["SQLALCHEMY_DATABASE_URI"]).database
    if not database or database == ":memory:":
        raise BackupError("this SQLite database lives in memory and cannot be backed up")
    return Path(database)


def _libpq_url() -> str:
    url = make_url(current_app.config["SQLALCHEMY_DATABASE_URI"]).set(drivername="postgresql")
    return url.render_as_string(hide_password=False)


def _check_sqlite(path: Path) -> None:
    try:
        with closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as connection:
            result = connection.execute("PRAGMA integrity_check").fetchone()
            tables = {row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    except sqlite3.DatabaseError as error:
        raise BackupError(f"{path.name} is not a readable SQLite database ({error})") from None
    if not result or result[0] != "ok":
        raise BackupError(f"{path.name} failed its integrity check: {result}")
    if "alembic_version" not in tables or "audit_run" not in tables:
        raise BackupError(f"{path.name} is not a Scrutineer database")


def backup(out: Path | None = None) -> Path:
    """Write a backup and return its path (default: instance/backups/scrutineer-<UTC time>.<ext>)."""
    dialect = db.engine.dialect.name
    folder = Path(current_app.instance_path) / "backups"
    if dialect == "sqlite":
        target = out or folder / f"scrutineer-{_stamp()}.sqlite"
        target.parent.mkdir(parents=True, exist_ok=True)
        source = sqlite3.connect(_sqlite_path())
        try:
            with closing(sqlite3.connect(target)) as destination:
                source.backup(destination)
        finally:
            source.close()
        _check_sqlite(target)
    elif dialect == "postgresql":
        target = out or folder / f"scrutineer-{_stamp()}.pgdump"
        target.parent.mkdir(parents=True, exist_ok=True)
        if shutil.which("pg_dump") is None:
            raise BackupError("pg_dump is not installed: install the PostgreSQL client tools")
        completed = subprocess.run(
            ["pg_dump", "--format=custom", "--no-owner", f"--file={target}", _libpq_url()],
            capture_output=True,
            text=True,
            check=False,
        )
        if completed.returncode != 0:
            raise BackupError(f"pg_dump failed: {completed.stderr.strip()[:500]}")
    else:  # pragma: no cover - only SQLite and PostgreSQL are supported
        raise BackupError(f"backups of {dialect} databases are not supported")
    with transaction():
        events.record(
            "database.backup",
            organisation_id=None,
            actor_label="flask backup",
            object_type="backup",
            object_ref=target.name,
            bytes=target.stat().st_size,
        )
    return target


def restore(source: Path) -> Path | None:
    """Replace the database with a backup. Returns the safety copy of the database as it was (SQLite)."""
    if not source.exists():
        raise BackupError(f"{source}: no such file")
    dialect = db.engine.dialect.name
    db.session.remove()
    db.engine.dispose()
    if dialect == "sqlite":
        _check_sqlite(source)
        live = _sqlite_path()
        safety = live.with_name(f"{live.stem}-before-restore-{_stamp()}.sqlite")
        with closing(sqlite3.connect(live)) as current, closing(sqlite3.connect(safety)) as copy:
            current.backup(copy)
        with closing(sqlite3.connect(source)) as backup_db, closing(sqlite3.connect(live)) as destination:
            # A database in WAL mode cannot take pages of another size, and a backup keeps the page size of the
            # database it was made from (SQLite's 4 KiB before Scrutineer chose 16 KiB): copy with the rollback
            # journal, then go back to WAL. Leaving WAL needs every other connection closed.
            try:
                destination.execute("PRAGMA journal_mode=DELETE")
            except sqlite3.OperationalError:
                raise BackupError(
                    f"{live.name} is in use: stop the web app and workers, then restore again (nothing was changed)"
                ) from None
            backup_db.backup(destination)
            destination.execute("PRAGMA journal_mode=WAL")
        _check_sqlite(live)
        _log_restore(source)
        return safety
    if dialect == "postgresql":
        if shutil.which("pg_restore") is None:
            raise BackupError("pg_restore is not installed: install the PostgreSQL client tools")
        completed = subprocess.run(
            [
                "pg_restore",
                "--clean",
                "--if-exists",
                "--no-owner",
                "--single-transaction",
                f"--dbname={_libpq_url()}",
                str(source),
            ],
            capture_output=True,
            text=True,
            check=False,
        )
        if completed.returncode != 0:
            raise BackupError(f"{source.name}: pg_restore failed: {completed.stderr.strip()[:500]}")
        _log_restore(source)
        return None
    raise BackupError(f"restores of {dialect} databases are not supported")  # pragma: no cover


def _log_restore(source: Path) -> None:
    with transaction():
        events.record(
            "database.restore",
            organisation_id=None,
            actor_label="flask restore",
            object_type="backup",
            object_ref=source.name,
        )


@dataclass
class Compacted:
    page_bytes_before: int
    page_bytes: int
    file_bytes_before: int
    file_bytes: int


def _size(path: Path) -> int:
    """The database's bytes on disk, its write-ahead log included."""
    wal = path.with_name(path.name + "-wal")
    return path.stat().st_size + (wal.stat().st_size if wal.exists() else 0)


def compact() -> Compacted | None:
    """Rebuild the SQLite database file with Scrutineer's page size. Returns None on PostgreSQL (nothing to do).
    Needs every other connection closed, and free disk space about the size of the database."""
    from app import SQLITE_PAGE_BYTES

    if db.engine.dialect.name != "sqlite":
        return None
    live = _sqlite_path()
    db.session.remove()
    db.engine.dispose()
    file_bytes_before = _size(live)
    with closing(sqlite3.connect(live)) as connection:
        page_bytes_before = connection.execute("PRAGMA page_size").fetchone()[0]
        # The page size can change only outside WAL mode, and leaving WAL needs every other connection closed.
        try:
            connection.execute("PRAGMA journal_mode=DELETE")
        except sqlite3.OperationalError:
            raise BackupError(
                f"{live.name} is in use: stop the web app and workers, then compact again (nothing was changed)"
            ) from None
        try:
            connection.execute(f"PRAGMA page_size={SQLITE_PAGE_BYTES}")
            connection.execute("VACUUM")
        except sqlite3.OperationalError as error:  # a full disk, say: VACUUM leaves the database as it was
            raise BackupError(f"{live.name} could not be compacted ({error}); it is unchanged") from None
        finally:
            connection.execute("PRAGMA journal_mode=WAL")
        page_bytes = connection.execute("PRAGMA page_size").fetchone()[0]
    _check_sqlite(live)
    result = Compacted(page_bytes_before, page_bytes, file_bytes_before, _size(live))
    with transaction():
        events.record(
            "database.compacted",
            organisation_id=None,
            actor_label="flask compact",
            page_bytes_before=result.page_bytes_before,
            page_bytes=result.page_bytes,
            file_bytes_before=result.file_bytes_before,
            file_bytes=result.file_bytes,
        )
    return result

"""Retention of raw uploads: the files as given are kept SCRUTINEER_RETENTION_DAYS (default 180), then deleted.

A raw upload may hold candidates' names and e-mail addresses in clear (the imported records never do: they keep
keyed hashes), so it is kept only as long as an audit might need to look at it again. `flask purge` deletes the
raw files older than the retention period, clears their path on the Upload row and records an event for each.
What was imported from them stays, as do the Upload rows with their SHA-256, which is what audits cite.
Run it daily (cron, or a scheduled job).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from flask import current_app

from app.dao import events, transaction
from app.dao import uploads as uploads_dao
from app.models import utcnow


@dataclass
class PurgeResult:
    days: int
    cutoff: dt.datetime
    files: int = 0
    bytes: int = 0
    upload_ids: list[int] = field(default_factory=list)
    skipped: list[int] = field(default_factory=list)  # paths outside the upload folder: left alone, and reported


def purge_raw_uploads(days: int | None = None, *, dry_run: bool = False, now: dt.datetime | None = None) -> PurgeResult:
    """Delete raw uploads older than `days` (default: the configured retention). Commits."""
    days = current_app.config["SCRUTINEER_RETENTION_DAYS"] if days is None else days
    if days < 0:
        raise ValueError("the retention period cannot be negative")
    cutoff = (now or utcnow()) - dt.timedelta(days=days)
    result = PurgeResult(days=days, cutoff=cutoff)
    folder = Path(current_app.config["SCRUTINEER_UPLOAD_DIR"]).resolve()
    with transaction():
        for upload in uploads_dao.expired_uploads(cutoff):
            path = Path(upload.stored_path or "")
            # Only ever delete inside the upload folder, whatever the database says.
            if not path.resolve().is_relative_to(folder):
                result.skipped.append(upload.id)
                continue
            size = path.stat().st_size if path.is_file() else 0
            result.files += 1
            result.bytes += size
            result.upload_ids.append(upload.id)
            if dry_run:
                continue
            path.unlink(missing_ok=True)
            upload.stored_path = None
            events.record(
                "upload.purged",
                organisation_id=upload.organisation_id,
                object_type="upload",
                object_ref=str(upload.id),
                file=upload.file_name,
                sha256=upload.sha256,
                uploaded_at=upload.created_at.isoformat(),
                retention_days=days,
                bytes=size,
            )
        if not dry_run:
            events.record(
                "retention.purge",
                organisation_id=None,
                retention_days=days,
                cutoff=cutoff.isoformat(),
                files=result.files,
                bytes=result.bytes,
                skipped=result.skipped,
            )
    return result

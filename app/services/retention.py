"""Retention of raw uploads: the files as given are kept SCRUTINEER_RETENTION_DAYS (default 180), then deleted.

A raw upload may hold candidates' names and e-mail addresses in clear (the imported records never do: they keep
keyed hashes), so it is kept only as long as an audit might need to look at it again. `flask purge` deletes the
raw files older than the retention period, clears their path on the Upload row and records an event for each.
What was imported from them stays, as do the Upload rows with their SHA-256, which is what audits cite.
Run it daily (cron, or a scheduled job).

The raw copy is written while the file is imported (`RawCopy`), beside the import rather than after it: copying a
large file took a second of a million-row import's twelve when it came after the reading. It is written under a
`.partial` name and given its own name only when the import succeeds; the partial file of an import whose process
died is removed by `recovery.reap`.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import shutil
import threading
from dataclasses import dataclass, field
from pathlib import Path

from flask import current_app

from app.dao import events, transaction
from app.dao import uploads as uploads_dao
from app.models import utcnow

PARTIAL_SUFFIX = ".partial"


def raw_upload_path(organisation_id: int, upload_id: int, sha256: str) -> Path:
    """Where the raw copy of an upload is kept: one folder per organisation, named by upload and SHA-256."""
    folder = Path(current_app.config["SCRUTINEER_UPLOAD_DIR"]) / str(organisation_id)
    return folder / f"{upload_id}-{sha256[:16]}"


def partial_path(target: Path) -> Path:
    return target.with_name(target.name + PARTIAL_SUFFIX)


class RawCopy:
    """Copy an uploaded file into the upload folder in a thread, while the import reads and stores it.

    The copy runs in the kernel (sendfile), outside the interpreter lock, so it costs the import little. `keep()`
    waits for it and gives it its own name; `discard()` waits and removes it, whatever stage it reached.
    """

    def __init__(self, source: Path, target: Path) -> None:
        self.target = target
        self.partial = partial_path(target)
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._copy, args=(source,), name="scrutineer-raw-copy", daemon=True)
        self._thread.start()

    def _copy(self, source: Path) -> None:
        try:
            self.partial.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, self.partial)
        except BaseException as error:  # raised again by keep(), in the importing thread
            self._error = error

    def keep(self) -> str:
        """The kept copy's path. Raises the copy's error (a full disk, say), which fails the import."""
        self._thread.join()
        if self._error is not None:
            raise self._error
        os.replace(self.partial, self.target)
        return str(self.target)

    def discard(self) -> None:
        """Called while an import fails: it must not raise, or it would hide the failure."""
        self._thread.join()
        for path in (self.partial, self.target):
            with contextlib.suppress(OSError):
                path.unlink(missing_ok=True)


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

"""Recovering from work that stopped half-way: a process killed during an import, a worker machine restarted.

Each import and each job records the process that runs it ("host:pid"). Its data is written in one transaction, so
when the process dies the database discards the half-done work by itself (SQLite's write-ahead log, PostgreSQL's
transactions); what is left is a row saying "running", and perhaps the partial raw copy of the file. `reap()` marks
such rows failed, with a reason the user can act on, so the file or job can be run again, and removes the copy:

- on this machine, when the recorded process no longer exists;
- elsewhere, when a job has shown no heartbeat for STALE_AFTER, or an import is older than IMPORT_STALE_AFTER (no
  single file takes that long within Scrutineer's limits).

It runs when an import starts, when a job is queued or shown, and when a worker starts.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import socket
from pathlib import Path

from sqlalchemy import select

from app.dao import events, transaction
from app.extensions import db
from app.models import Job, Upload, utcnow
from app.services.retention import partial_path, raw_upload_path

STALE_AFTER = dt.timedelta(minutes=10)
IMPORT_STALE_AFTER = dt.timedelta(hours=2)
UPLOAD_REASON = (
    "the import stopped before it finished (its process ended); nothing from the file was stored. "
    "Import the file again."
)
JOB_REASON = "the process running this job stopped before it finished; nothing was stored. Run it again."


def runner_id() -> str:
    """This process, as recorded on the imports and jobs it runs."""
    return f"{socket.gethostname()}:{os.getpid()}"[:120]


def runner_alive(runner: str | None) -> bool | None:
    """Is the process that runs this work still there? None when it is on another machine (we cannot tell)."""
    if not runner or ":" not in runner:
        return None
    host, _colon, pid = runner.rpartition(":")
    if host != socket.gethostname() or not pid.isdigit():
        return None
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # it exists, under another user
        return True
    return not _zombie(int(pid))


def _zombie(pid: int) -> bool:
    """A process that has ended but not been collected by its parent (an orphan, where nothing collects it, as in
    some containers) still answers kill(pid, 0): on Linux its state in /proc says it is dead."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rpartition(")")[2].split()[:1] == ["Z"]


def reap(now: dt.datetime | None = None) -> tuple[int, int]:
    """Mark imports and jobs whose process has died as failed. Returns (imports, jobs) marked."""
    from app.jobs import finish_job

    now = now or utcnow()
    uploads = 0
    for upload in list(db.session.scalars(select(Upload).where(Upload.status == "running"))):
        alive = runner_alive(upload.runner)
        if alive is False or (alive is None and upload.created_at < now - IMPORT_STALE_AFTER):
            with transaction():
                upload.status, upload.error, upload.completed_at = "failed", UPLOAD_REASON, now
                events.record(
                    "upload.failed",
                    organisation_id=upload.organisation_id,
                    actor_label="recovery",
                    object_type="upload",
                    object_ref=str(upload.id),
                    file=upload.file_name,
                    reason=UPLOAD_REASON,
                )
            # the raw copy it was writing beside the import (retention.RawCopy), if the process got that far
            with contextlib.suppress(OSError):
                partial_path(raw_upload_path(upload.organisation_id, upload.id, upload.sha256)).unlink(missing_ok=True)
            uploads += 1
    jobs = 0
    for job in list(db.session.scalars(select(Job).where(Job.status == "running"))):
        alive = runner_alive(job.runner)
        heartbeat = job.heartbeat_at or job.started_at or job.created_at
        if alive is False or (alive is None and heartbeat < now - STALE_AFTER):
            finish_job(job.id, "failed", error=JOB_REASON)
            jobs += 1
    return uploads, jobs

"""Files Scrutineer prepares for people to download: audit workbooks and agency scorecards.

A workbook of a large audit takes tens of seconds to write, so no request writes one: the page asks for it, a
background job (`app/tasks.py`) writes it here, under SCRUTINEER_UPLOAD_DIR/downloads (shared by web and worker
machines), and the job's page offers it. A prepared file is a copy for one person at one moment: it is kept
DOWNLOAD_HOURS and then deleted by `flask purge`, and can be prepared again at any time from the audit or scorecard.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from flask import current_app

from app.models import Job, utcnow

DOWNLOAD_HOURS = 24
KINDS = ("workbook", "scorecard")  # the job kinds whose result is a file to download
_PUBLIC_ID = re.compile(r"JOB-[0-9A-F]{12}")


def folder() -> Path:
    path = Path(current_app.config["SCRUTINEER_UPLOAD_DIR"]) / "downloads"
    path.mkdir(parents=True, exist_ok=True)
    return path


def path_for(job: Job) -> Path:
    """Where the file of `job` is written: named by the job's random public ID (never reused, even after a restore
    from backup), one file per job, rewritten when the job is run again."""
    if not _PUBLIC_ID.fullmatch(job.public_id):
        raise ValueError(f"not a job ID: {job.public_id!r}")
    return folder() / f"job-{job.public_id}.xlsx"


def ready_file(job: Job) -> Path | None:
    """The prepared file of a finished job, if the job made one and it has not been deleted since."""
    if job.kind not in KINDS or job.status != "done":
        return None
    path = path_for(job)
    return path if path.is_file() else None


def write_atomically(path: Path, write: Callable[[Path], object]) -> int:
    """Call `write(partial_path)`, then move the finished file into place, so a half-written file is never offered.
    Returns its size in bytes."""
    partial = path.with_name(f"{path.stem}.partial{path.suffix}")
    try:
        write(partial)
        os.replace(partial, path)
    finally:
        partial.unlink(missing_ok=True)
    return path.stat().st_size


@dataclass
class DownloadPurge:
    files: int = 0
    bytes: int = 0


def purge_downloads(
    hours: int = DOWNLOAD_HOURS, *, dry_run: bool = False, now: dt.datetime | None = None
) -> DownloadPurge:
    """Delete prepared files older than `hours`, and files left half-written as long ago by a job that died (a
    younger one may be a job's file being written now)."""
    cutoff = ((now or utcnow()) - dt.timedelta(hours=hours)).timestamp()
    result = DownloadPurge()
    for path in folder().glob("job-*"):
        stat = path.stat()
        if stat.st_mtime >= cutoff:
            continue
        result.files += 1
        result.bytes += stat.st_size
        if not dry_run:
            path.unlink(missing_ok=True)
    return result

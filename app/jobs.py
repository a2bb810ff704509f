"""Background jobs: imports, fetches, audits and the workbooks people download run outside the request that asked
for them.

The same job code runs three ways, chosen by SCRUTINEER_JOBS (set from the environment, see config.py):
- "thread": in a background thread of the web process (the embedded default, with SQLite);
- "rq": queued to Redis and run by `flask worker` processes, on this or other machines (REDIS_URL set);
- "inline": at once, in the caller's thread (tests).

A Job row holds the state (queued, running, done, failed), the stage, rows done and the rate, the error if it
failed, and the result. Progress is also kept in memory for the process that runs the job, because on SQLite the
import's single write transaction keeps other writers out until it commits; on PostgreSQL progress is written to
the Job row as it goes, through its own connection, so any process can show it. A job whose worker died is marked
failed by `reap_stale` and can be run again; its data was never half-stored, because each job commits its work in
one transaction.
"""

from __future__ import annotations

import logging
import secrets
import threading
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from flask import Flask, current_app
from sqlalchemy import update

from app.dao import events, transaction
from app.extensions import db
from app.models import Job, Organisation, User, utcnow
from app.services.recovery import runner_id

log = logging.getLogger("scrutineer.jobs")

JobFunction = Callable[["JobContext", dict[str, Any]], dict[str, Any]]
JOBS: dict[str, JobFunction] = {}
HEARTBEAT_SECONDS = 30  # how often a running job says it is alive (see app/services/recovery.py)
_LIVE: dict[int, dict[str, Any]] = {}  # job id -> latest progress, for the process that runs it
_LIVE_LOCK = threading.Lock()


class JobRefused(Exception):
    """A job cannot go ahead. The message is shown to the user as the job's error."""


class JobQueueUnavailable(JobRefused):
    """Redis could not take the job. The job is marked failed with this reason, so it is not lost silently."""


def job(kind: str) -> Callable[[JobFunction], JobFunction]:
    """Register a job function under a kind ("import", "fetch", "audit", "workbook", "scorecard")."""

    def decorate(function: JobFunction) -> JobFunction:
        JOBS[kind] = function
        return function

    return decorate


@dataclass
class JobContext:
    """What a running job can do: report progress. Progress writes are throttled."""

    job_id: int
    organisation_id: int
    user_id: int | None
    started: float = field(default_factory=time.perf_counter)
    _last_write: float = 0.0

    def progress(self, stage: str, rows_done: int | None = None, rows_total: int | None = None) -> None:
        elapsed = max(time.perf_counter() - self.started, 1e-6)
        values: dict[str, Any] = {"stage": stage}
        if rows_done is not None:
            values["rows_done"] = rows_done
            values["rate"] = round(rows_done / elapsed, 1)
        if rows_total is not None:
            values["rows_total"] = rows_total
        with _LIVE_LOCK:
            _LIVE.setdefault(self.job_id, {}).update(values)
        now = time.perf_counter()
        if now - self._last_write < 1.0:
            return
        self._last_write = now
        _write_progress(self.job_id, values)

    @property
    def organisation(self) -> Organisation:
        organisation = db.session.get(Organisation, self.organisation_id)
        assert organisation is not None
        return organisation

    @property
    def job(self) -> Job:
        record = db.session.get(Job, self.job_id)
        assert record is not None
        return record

    @property
    def user(self) -> User | None:
        return db.session.get(User, self.user_id) if self.user_id else None


def _write_progress(job_id: int, values: dict[str, Any]) -> None:
    """Write progress on its own connection, so it is visible while the job's own transaction is open.

    On SQLite that connection would wait for the job's write lock, so progress stays in memory until the end.
    """
    engine = db.engine
    if engine.dialect.name == "sqlite":
        return
    try:
        with engine.begin() as connection:
            connection.execute(update(Job).where(Job.id == job_id).values(heartbeat_at=utcnow(), **values))
    except Exception:  # progress is a courtesy: never let it break the job
        log.warning("could not record progress of job %s", job_id, exc_info=True)


def live_progress(job: Job) -> dict[str, Any]:
    """The job's progress as the web page shows it: the stored row, updated with this process's live figures."""
    data = {
        "id": job.public_id,
        "kind": job.kind,
        "status": job.status,
        "stage": job.stage,
        "rows_done": job.rows_done,
        "rows_total": job.rows_total,
        "rate": job.rate,
        "message": job.message,
        "error": job.error,
    }
    if job.status in ("queued", "running"):
        with _LIVE_LOCK:
            data.update(_LIVE.get(job.id, {}))
    return data


def enqueue(kind: str, organisation: Organisation, params: dict[str, Any], *, user: User | None = None) -> Job:
    """Record a job and start it with the configured backend. Returns the Job (its status may already be final)."""
    if kind not in JOBS:
        raise KeyError(f"unknown job kind {kind!r}")
    with transaction():
        record = Job(
            public_id=f"JOB-{secrets.token_hex(6).upper()}",
            organisation_id=organisation.id,
            kind=kind,
            status="queued",
            stage="Waiting to start",
            params=params,
            created_by_id=user.id if user else None,
        )
        db.session.add(record)
    backend = current_app.config.get("SCRUTINEER_JOBS", "thread")
    if backend == "inline":
        execute(record.id)
        db.session.refresh(record)
    elif backend == "rq":
        _queue_or_fail(record, description=f"{kind} {record.public_id}")
    else:
        app = current_app._get_current_object()  # type: ignore[attr-defined]
        thread = threading.Thread(target=_thread_execute, args=(app, record.id), name=f"job-{record.id}", daemon=True)
        thread.start()
    return record


def _queue_or_fail(record: Job, description: str) -> None:
    """Put a job on the Redis queue; if Redis cannot take it, mark the job failed with the reason and say so."""
    try:
        _rq_queue().enqueue(
            "app.jobs.rq_execute",
            record.id,
            job_timeout=3600,
            result_ttl=3600,
            failure_ttl=86400,
            description=description,
        )
    except Exception as error:  # redis raises its own connection and timeout errors
        log.error("could not queue job %s: %s", record.public_id, error)
        finish_job(
            record.id,
            "failed",
            error="the job queue could not be reached, so the job was not started: try again in a minute",
        )
        raise JobQueueUnavailable(str(error)) from None


def _thread_execute(app: Flask, job_id: int) -> None:
    with app.app_context():
        execute(job_id)
        db.session.remove()


def _rq_queue() -> Any:
    from redis import Redis
    from rq import Queue

    return Queue("scrutineer", connection=Redis.from_url(current_app.config["REDIS_URL"]))


def rq_execute(job_id: int) -> None:
    """The function RQ workers call: it builds the app from the environment (as `flask worker` does)."""
    from flask import has_app_context

    if has_app_context():
        # RQ forks a process per job: connections the worker held belong to it, not to this child. Forget them
        # (without closing the parent's sockets) and open fresh ones.
        db.engine.dispose(close=False)
        execute(job_id)
        return
    from app import create_app

    with create_app().app_context():
        execute(job_id)


def execute(job_id: int) -> None:
    """Run one job to its end: done with a result, or failed with a reason. Never raises."""
    record = db.session.get(Job, job_id)
    if record is None or record.status not in ("queued", "failed"):
        return
    function = JOBS.get(record.kind)
    with transaction():
        record.status = "running"
        record.stage = "Starting"
        record.attempts += 1
        record.started_at = record.heartbeat_at = utcnow()
        record.runner = runner_id()
        record.error = None
    context = JobContext(job_id=record.id, organisation_id=record.organisation_id, user_id=record.created_by_id)
    heartbeat = _Heartbeat(record.id)
    try:
        if function is None:
            raise JobRefused(f"this version of Scrutineer has no job called {record.kind!r}")
        result = function(context, dict(record.params or {}))
    except Exception as error:  # the job failed: say why, keep nothing half-stored (its transaction rolled back)
        db.session.rollback()
        reason = (
            str(error)
            if isinstance(error, JobRefused) or _is_user_error(error)
            else f"{type(error).__name__}: the job stopped unexpectedly and nothing was stored. Try again; if it fails "
            "again, tell your administrator."
        )
        log.error("job %s (%s) failed: %s\n%s", job_id, record.kind, reason, traceback.format_exc())
        heartbeat.stop()
        finish_job(job_id, "failed", error=reason)
        return
    heartbeat.stop()
    finish_job(job_id, "done", result=result)


class _Heartbeat:
    """While a job runs, write its heartbeat every HEARTBEAT_SECONDS on a connection of its own, so a job whose
    worker machine died can be told from one that is merely long."""

    def __init__(self, job_id: int) -> None:
        self.job_id = job_id
        self.stopped = threading.Event()
        self.engine = db.engine
        self.thread = threading.Thread(target=self._beat, name=f"job-{job_id}-heartbeat", daemon=True)
        self.thread.start()

    def _beat(self) -> None:
        while not self.stopped.wait(HEARTBEAT_SECONDS):
            try:
                with self.engine.begin() as connection:
                    connection.execute(update(Job).where(Job.id == self.job_id).values(heartbeat_at=utcnow()))
            except Exception:  # SQLite busy during a long import, or the database restarting: try again later
                log.info("job %s: heartbeat not written this time", self.job_id)

    def stop(self) -> None:
        self.stopped.set()
        self.thread.join(timeout=5)


def _is_user_error(error: Exception) -> bool:
    from app.services.auditing import AuditRefused
    from app.services.imports import ImportRefused
    from app.services.scorecards import ScorecardRefused
    from audits.checklist import ChecklistError
    from importers import FileRejected

    return isinstance(error, FileRejected | ImportRefused | AuditRefused | ChecklistError | ScorecardRefused)


def finish_job(job_id: int, status: str, *, result: dict[str, Any] | None = None, error: str | None = None) -> None:
    """Record a job's end: done with its result, or failed with the reason a user will read."""
    with _LIVE_LOCK:
        live = _LIVE.pop(job_id, {})
    with transaction():
        record = db.session.get(Job, job_id)
        if record is None:
            return
        record.status = status
        record.finished_at = record.heartbeat_at = utcnow()
        record.stage = "Finished" if status == "done" else "Failed"
        record.rows_done = live.get("rows_done", record.rows_done)
        record.rows_total = live.get("rows_total", record.rows_total)
        record.rate = live.get("rate", record.rate)
        record.result = result or {}
        record.error = error
        events.record(
            f"job.{status}",
            organisation_id=record.organisation_id,
            actor_label="scrutineer jobs",
            object_type="job",
            object_ref=record.public_id,
            kind=record.kind,
            error=error,
        )


def reap_stale(now: Any = None) -> int:
    """Mark jobs (and imports) whose process has died as failed; see app/services/recovery.py. Returns the jobs."""
    from app.services.recovery import reap

    return reap(now)[1]


def retry(record: Job) -> Job:
    """Run a failed job again with the same parameters."""
    if record.status != "failed":
        raise JobRefused("only a failed job can be run again")
    with transaction():
        record.status = "queued"
        record.stage = "Waiting to start"
        record.error = None
    backend = current_app.config.get("SCRUTINEER_JOBS", "thread")
    if backend == "inline":
        execute(record.id)
    elif backend == "rq":
        _queue_or_fail(record, description=f"{record.kind} {record.public_id} (again)")
    else:
        app = current_app._get_current_object()  # type: ignore[attr-defined]
        threading.Thread(target=_thread_execute, args=(app, record.id), daemon=True).start()
    return record

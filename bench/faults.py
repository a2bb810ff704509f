"""Faults under load: the bounded load test of bench/load.py while PostgreSQL restarts, a worker is killed mid-job
and Redis stops. `make faults` runs it; it restarts this machine's PostgreSQL and Redis, so run it where nothing
else depends on them.

What it checks, and prints:
- every 5xx page a user saw says what happened and what to do (no bare error, no stack trace);
- the job whose worker was killed is marked failed with its reason (not lost silently), and runs again;
- while Redis is down, queueing an audit shows the "job queue unavailable" page and records the job as failed;
  once Redis is back, the same request queues and completes;
- the last ten seconds of load, after the faults, are all answered without error (recovery).
"""

from __future__ import annotations

import os
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

from bench.bench_import import generate_candidates_csv
from bench.bench_web import PASSWORD, _free_port, _populate, serve
from bench.common import ROOT

REDIS_DB = 7
REDIS_START = [
    "redis-server",
    "--daemonize",
    "yes",
    "--bind",
    "127.0.0.1",
    "-::1",
    "--port",
    "6379",
    "--save",
    "",
    "--appendonly",
    "no",
    "--dir",
    "/var/lib/redis",
    "--logfile",
    "/var/log/redis/ci.log",
]


def _postgres_cluster() -> list[str]:
    version = sorted(os.listdir("/etc/postgresql"))[0]
    return ["pg_ctlcluster", "--skip-systemctl-redirect", version, "main"]


def _wait(check: Any, timeout: float = 60) -> float:
    started = time.monotonic()
    while time.monotonic() - started < timeout:
        if check():
            return time.monotonic() - started
        time.sleep(0.1)
    raise RuntimeError("timed out waiting for a service to come back")


def _postgres_ready() -> bool:
    return subprocess.run(["pg_isready", "-h", "127.0.0.1", "-p", "5432", "-q"], check=False).returncode == 0


def _redis_ready() -> bool:
    return subprocess.run(["redis-cli", "-h", "127.0.0.1", "ping"], capture_output=True, check=False).returncode == 0


def _worker(environment: dict[str, str]) -> subprocess.Popen[bytes]:
    # Its own session, so the worker and the process it forks for each job can be killed together.
    return subprocess.Popen(
        [sys.executable, "-m", "flask", "--app", "app", "worker"],
        cwd=ROOT,
        env=environment,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )


def _post_audit(port: int, campaign_id: int) -> tuple[int, str]:
    """Sign in as the auditor and ask for an audit, as a user would: returns the status and the page's heading."""
    import re

    import requests

    with requests.Session() as session:
        session.trust_env = False
        base = f"http://127.0.0.1:{port}"
        token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', session.get(base + "/sign-in").text)
        assert token is not None
        session.post(
            base + "/sign-in",
            data={"email": "auditor@demo.example", "password": PASSWORD, "csrf_token": token.group(1)},
            allow_redirects=False,
        )
        page = session.get(f"{base}/campaigns/{campaign_id}").text
        token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page)
        assert token is not None
        response = session.post(
            f"{base}/campaigns/{campaign_id}/audits", data={"csrf_token": token.group(1)}, allow_redirects=False
        )
        heading = re.search(r"<h1[^>]*>([^<]+)</h1>", response.text)
        return response.status_code, heading.group(1).strip() if heading else ""


def _worker_log(environment: dict[str, str]) -> str:
    log = Path(environment["SCRUTINEER_INSTANCE_PATH"]).parent / "worker.log"
    return log.read_text(errors="replace")[-3000:] if log.exists() else ""


def run_faults(users: int = 30, seconds: int = 60) -> dict[str, Any]:
    import psycopg

    from bench import load

    results: dict[str, Any] = {}
    with tempfile.TemporaryDirectory(prefix="scrutineer-faults-") as folder:
        name = f"scrutineer_faults_{secrets.token_hex(4)}"
        with psycopg.connect("host=127.0.0.1 port=5432 dbname=test user=postgres", autocommit=True) as connection:
            connection.execute(f'CREATE DATABASE "{name}"')
        environment = {
            **os.environ,
            "SCRUTINEER_ENV": "development",
            "SECRET_KEY": secrets.token_urlsafe(32),
            "SCRUTINEER_INSTANCE_PATH": str(Path(folder) / "instance"),
            "SCRUTINEER_DEMO_PASSWORD": PASSWORD,
            "DATABASE_URL": f"postgresql+psycopg://postgres@127.0.0.1:5432/{name}",
            "REDIS_URL": f"redis://127.0.0.1:6379/{REDIS_DB}",
            "GUNICORN_ACCESS_LOG": "/dev/null",
        }
        environment.pop("SCRUTINEER_JOBS", None)
        subprocess.run(["redis-cli", "-n", str(REDIS_DB), "flushdb"], capture_output=True, check=False)
        server = worker = None
        try:
            _populate({k: v for k, v in environment.items() if k != "REDIS_URL"}, campaigns=20)
            os.environ.update(environment)
            from app import create_app, jobs
            from app.dao.campaigns import campaign_by_ref
            from app.dao.organisations import get_organisation_by_slug
            from app.extensions import db
            from app.models import Campaign, Job

            application = create_app()
            with application.app_context():
                organisation = get_organisation_by_slug("northshire-cc")
                campaign = campaign_by_ref(organisation.id, "NCC-2026-001")
                campaign_id = campaign.id
            port = _free_port()
            server = serve(environment, port)
            worker = _worker(environment)
            accounts = ["auditor@demo.example"] * 8 + ["procurement@demo.example", "recruiter@demo.example"]
            outcome: dict[str, Any] = {}

            def drive() -> None:
                outcome["figures"], outcome["stats"] = load.run_with_stats(
                    port, [(a, PASSWORD) for a in (accounts * users)[:users]], seconds=seconds
                )

            driver = threading.Thread(target=drive)
            started = time.monotonic()
            driver.start()

            # 1. PostgreSQL restarts under load.
            time.sleep(8)
            subprocess.run([*_postgres_cluster(), "restart", "--", "-m", "fast"], check=True, capture_output=True)
            results["postgres restart: seconds until it answered again"] = round(_wait(_postgres_ready), 2)
            results["postgres restart at s"] = round(time.monotonic() - started, 1)

            # 2. A worker killed in the middle of an import job.
            time.sleep(3)
            big = generate_candidates_csv(Path(folder) / "candidates.csv", rows=1_000_000, campaigns=1)
            with application.app_context():
                db.engine.dispose()  # its connections died with the restart
                organisation = get_organisation_by_slug("northshire-cc")
                db.session.add(Campaign(organisation_id=organisation.id, ref="C-0000", role_title="Director"))
                db.session.commit()
                copy = Path(folder) / "pending.csv"
                shutil.copyfile(big, copy)
                job = jobs.enqueue(
                    "import", organisation, {"path": str(copy), "file_name": "big.csv", "delete_after": False}
                )
                job_id = job.id
                try:
                    _wait(lambda: db.session.get(Job, job_id, populate_existing=True).status == "running", 60)
                except RuntimeError:
                    raise RuntimeError(
                        "the import job never started; the worker said:\n" + _worker_log(environment)
                    ) from None

                time.sleep(0.5)
                # As when a worker machine dies: the worker and the process running the job (RQ gives each job
                # its own session, so it is killed by the pid the job recorded as its runner).
                horse = int(str(db.session.get(Job, job_id, populate_existing=True).runner).rpartition(":")[2])
                os.killpg(worker.pid, signal.SIGKILL)
                os.kill(horse, signal.SIGKILL)
                worker.wait()
                results["worker killed at s"] = round(time.monotonic() - started, 1)
                worker = _worker(environment)  # the supervisor starts a new one; it reaps the dead job
                _wait(lambda: db.session.get(Job, job_id, populate_existing=True).status == "failed", 60)
                killed = db.session.get(Job, job_id, populate_existing=True)
                results["killed job: status"] = f"{killed.status}: {killed.error}"
                jobs.retry(killed)
                _wait(lambda: db.session.get(Job, job_id, populate_existing=True).status in ("done", "failed"), 120)
                again = db.session.get(Job, job_id, populate_existing=True)
                results["killed job, run again: status"] = again.status
                results["killed job, run again: rows stored"] = (
                    (again.result or {}).get("report", {}).get("rows_stored")
                )

                # 3. Redis stops: asking for an audit says so and records the job as failed; then it comes back.
                subprocess.run(["redis-cli", "-h", "127.0.0.1", "shutdown", "nosave"], capture_output=True, check=False)
                _wait(lambda: not _redis_ready(), 30)
                results["redis stopped at s"] = round(time.monotonic() - started, 1)
                status, heading = _post_audit(port, campaign_id)
                results["audit while redis is down: page"] = f"{status} {heading}"
                failed = db.session.scalars(db.select(Job).where(Job.kind == "audit").order_by(Job.id.desc())).first()
                results["audit while redis is down: job"] = f"{failed.status}: {failed.error}" if failed else "none"
                time.sleep(3)
                subprocess.run(REDIS_START, check=True, capture_output=True)
                _wait(_redis_ready, 30)
                if worker.poll() is not None:  # the worker stops when Redis goes; the supervisor restarts it
                    worker = _worker(environment)
                status, heading = _post_audit(port, campaign_id)
                results["audit after redis is back: page"] = f"{status} {heading}"
                latest = db.session.scalars(db.select(Job).where(Job.kind == "audit").order_by(Job.id.desc())).first()
                _wait(lambda: db.session.get(Job, latest.id, populate_existing=True).status in ("done", "failed"), 120)
                results["audit after redis is back: job"] = db.session.get(Job, latest.id).status
                db.session.remove()
                db.engine.dispose()
            driver.join()
            figures, stats = outcome["figures"], outcome["stats"]
            results.update({f"load {k}": v for k, v in figures.items() if k not in ("first_error",)})
            tail = [status for moment, status in stats.timeline if moment > seconds - 10]
            results["last 10 s: requests"] = len(tail)
            results["last 10 s: errors"] = sum(1 for status in tail if status >= 500)
        finally:
            for process in (server, worker):
                if process is not None and process.poll() is None:
                    if process is worker:
                        os.killpg(process.pid, signal.SIGTERM)
                    else:
                        process.terminate()
                    process.wait(timeout=30)
            if not _redis_ready():
                subprocess.run(REDIS_START, check=False, capture_output=True)
            if not _postgres_ready():
                subprocess.run([*_postgres_cluster(), "start"], check=False, capture_output=True)
                _wait(_postgres_ready)
            subprocess.run(["redis-cli", "-n", str(REDIS_DB), "flushdb"], capture_output=True, check=False)
            with psycopg.connect("host=127.0.0.1 port=5432 dbname=test user=postgres", autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    return results


def main() -> None:
    results = run_faults()
    for key, value in results.items():
        print(f"  {key:<52} {value}")
    bare = "(no heading" in str(results.get("load server_error_pages", ""))
    ok = (
        not bare
        and results.get("last 10 s: errors") == 0
        and results.get("killed job, run again: status") == "done"
        and str(results.get("audit while redis is down: page", "")).startswith("503")
        and results.get("audit after redis is back: job") == "done"
    )
    print("\nEvery fault handled and recovered." if ok else "\nSomething did not recover as it should: see above.")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()

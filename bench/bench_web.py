"""The web app under gunicorn (4 workers) with 50 concurrent signed-in users browsing dashboards, campaigns and
audits on loopback for 60 seconds: requests per second, p50/p95 latency, errors. Target: p95 under 500 ms, no
errors. Run on SQLite (embedded) and on PostgreSQL when a server answers on 127.0.0.1:5432.

Each database is measured twice, with the same users on the same data:
- browsing: users arrive over the first 10 seconds and each reads each page for 1 to 5 seconds (uniformly at random)
  before the next, as people do (the usual model of load-testing tools such as Locust); this is what 50 people using
  Scrutineer at once would see, and the row the p95 target applies to;
- saturation: all sign in at once and none waits between pages, each asking for its next page as soon as the last
  arrives; this measures the server's capacity (requests per second on 2 cores) and how latency grows when more is
  asked than it can serve.
"""

from __future__ import annotations

import datetime as dt
import os
import secrets
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Any

from bench.common import ROOT, Result, measure

PASSWORD = "bench-password-not-secret"
POSTGRES_SERVER = "postgresql+psycopg://postgres@127.0.0.1:5432/test"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _postgres_available() -> bool:
    try:
        import psycopg

        psycopg.connect("host=127.0.0.1 port=5432 dbname=test user=postgres", connect_timeout=3).close()
        return True
    except Exception:
        return False


def serve(environment: dict[str, str], port: int) -> subprocess.Popen[bytes]:
    """gunicorn with gunicorn.conf.py and 4 workers on 127.0.0.1:`port`, started and answering. Its log goes to the
    file SCRUTINEER_BENCH_SERVER_LOG names, if set (to see why a request failed), and is discarded otherwise."""
    log_path = os.environ.get("SCRUTINEER_BENCH_SERVER_LOG")
    log = open(log_path, "ab") if log_path else subprocess.DEVNULL
    server = subprocess.Popen(
        [
            str(Path(sys.executable).parent / "gunicorn"),
            "--config",
            str(ROOT / "gunicorn.conf.py"),
            "--workers",
            "4",
            "--bind",
            f"127.0.0.1:{port}",
            "wsgi:app",
        ],
        cwd=ROOT,
        env={**os.environ, **environment, "GUNICORN_ACCESS_LOG": "/dev/null"},
        stdout=log,
        stderr=log,
    )
    for _ in range(150):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/sign-in", timeout=2).close()
            return server
        except OSError:
            time.sleep(0.2)
    server.terminate()
    raise RuntimeError("gunicorn did not start")


def _populate(environment: dict[str, str], campaigns: int) -> None:
    """Migrate, load the demo, and add campaigns with candidates, an advert and an audit each."""
    os.environ.update(environment)
    from flask_migrate import upgrade
    from openpyxl import Workbook

    from app import create_app
    from app.dao.campaigns import campaign_by_ref
    from app.dao.organisations import get_organisation_by_slug
    from app.services import auditing, demo, imports

    application = create_app()
    with application.app_context():
        upgrade()
        demo.load_demo()
        organisation = get_organisation_by_slug("northshire-cc")
        assert organisation is not None
        book = Workbook()
        sheet = book.active
        sheet.title = "Campaigns"
        sheet.append(["campaign_ref", "role_title", "agency", "salary_min", "salary_max", "closing_date"])
        for number in range(campaigns):
            sheet.append(
                [
                    f"LOAD-{number:04d}",
                    f"Director {number}",
                    "Harbour Search Partners",
                    100000,
                    120000,
                    dt.date(2026, 3, 1),
                ]
            )
        candidates = book.create_sheet("Candidates")
        candidates.append(["campaign_ref", "candidate_ref", "stage_reached", "sex", "source"])
        for number in range(campaigns):
            for person in range(40):
                candidates.append(
                    [
                        f"LOAD-{number:04d}",
                        f"p{number}-{person}",
                        "longlisted" if person < 12 else "identified",
                        "female" if person % 3 == 0 else "male",
                        "headhunt",
                    ]
                )
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "load-tracker.xlsx"
            book.save(path)
            imports.import_file(organisation, path, path.name)
            advert = ROOT / "app" / "services" / "demo_data" / "poor-advert.txt"
            text = advert.read_text(encoding="utf-8").format(
                title="Director", client=organisation.name, closing=dt.date(2026, 3, 1)
            )
            for number in range(campaigns):
                page = Path(folder) / f"advert-{number}.txt"
                page.write_text(text + f"\nReference LOAD-{number:04d}\n", encoding="utf-8")
                imports.import_file(organisation, page, page.name, campaign_ref=f"LOAD-{number:04d}")
                auditing.run_audit(organisation, campaign_by_ref(organisation.id, f"LOAD-{number:04d}"))


THINK = (1.0, 5.0)  # seconds a browsing user reads a page
RAMP = 10.0  # seconds over which browsing users arrive and sign in (5 a second for 50)


def load_test(
    database: str = "sqlite", users: int = 50, seconds: int = 60, campaigns: int = 100, think: list[float] | None = None
) -> dict[str, Any]:
    """Set up a populated instance, serve it with gunicorn (4 workers) and run the load against it."""
    from bench import load

    with tempfile.TemporaryDirectory(prefix="scrutineer-bench-web-") as folder:
        instance = Path(folder) / "instance"
        environment = {
            "SCRUTINEER_ENV": "development",  # plain HTTP on loopback: production's Secure cookies would not be sent
            "SECRET_KEY": secrets.token_urlsafe(32),
            "SCRUTINEER_INSTANCE_PATH": str(instance),
            "SCRUTINEER_DEMO_PASSWORD": PASSWORD,
            "SCRUTINEER_JOBS": "inline",
        }
        database_name = None
        if database == "postgresql":
            import psycopg

            database_name = f"scrutineer_bench_{secrets.token_hex(4)}"
            with psycopg.connect("host=127.0.0.1 port=5432 dbname=test user=postgres", autocommit=True) as conn:
                conn.execute(f'CREATE DATABASE "{database_name}"')
            environment["DATABASE_URL"] = POSTGRES_SERVER.rsplit("/", 1)[0] + f"/{database_name}"
        try:
            _populate(environment, campaigns)
            port = _free_port()
            server = serve(environment, port)
            try:
                accounts = (
                    ["auditor@demo.example"] * 7
                    + ["recruiter@demo.example", "procurement@demo.example", "admin@demo.example"]
                ) * (users // 10 + 1)
                figures = load.run(
                    port,
                    [(email, PASSWORD) for email in accounts[:users]],
                    seconds=seconds,
                    think=(think[0], think[1]) if think else (0.0, 0.0),
                    ramp=RAMP if think else 0.0,
                )
            finally:
                server.terminate()
                server.wait(timeout=30)
        finally:
            if database_name:
                import psycopg

                with psycopg.connect("host=127.0.0.1 port=5432 dbname=test user=postgres", autocommit=True) as conn:
                    conn.execute(f'DROP DATABASE IF EXISTS "{database_name}" WITH (FORCE)')
    figures["database"] = database
    figures["gunicorn_workers"] = 4
    return figures


def run(quick: bool = False) -> list[Result]:
    users, seconds, campaigns = (5, 5, 5) if quick else (50, 60, 100)
    databases = ["sqlite"] + (["postgresql"] if _postgres_available() else [])
    results = []
    for database in databases:
        for mode, think in (("browsing", list(THINK)), ("saturation", None)):
            figures = measure(
                "bench.bench_web:load_test",
                database=database,
                users=users,
                seconds=seconds,
                campaigns=campaigns,
                think=think,
            )
            figures.pop("peak_rss_mb", None)  # the load generator's memory, not the server's
            met = figures["p95_ms"] < 500 and figures["errors"] == 0
            how = (
                f"each user reads each page {THINK[0]:g}–{THINK[1]:g} s before the next, as people do; users arrive "
                f"over the first {RAMP:g} s"
                if think
                else "closed loop: each user asks for the next page as soon as the last arrives (no think time): "
                "the server's capacity"
            )
            results.append(
                Result(
                    workload=f"web, {mode}: {users} users × {seconds} s, gunicorn 4 workers, {database}",
                    figures=figures,
                    target="p95 under 500 ms, no errors",
                    met=met,
                    notes=[how, f"{campaigns} extra campaigns, each with 40 candidates, an advert and an audit"],
                )
            )
    return results

"""A campaign with 5,000 real-length adverts audited into a workbook of 100,000+ findings: seconds and peak memory.
Target: under 2 minutes and under 800 MB for the audit and the workbook together.

The adverts are bench_checklist's generated UK public-sector adverts (300–600 words), imported through the real
path as one JobPosting JSON file; the import is timed apart from the audit and the workbook.
"""

from __future__ import annotations

import json
import os
import resource
import secrets
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.bench_checklist import make_advert
from bench.common import Result, measure


def audit_workload(adverts: int = 5000, database: str = "sqlite") -> dict[str, Any]:
    import datetime as dt

    with tempfile.TemporaryDirectory(prefix="scrutineer-bench-audit-") as folder:
        os.environ.update(
            {
                "SECRET_KEY": secrets.token_urlsafe(32),
                "SCRUTINEER_INSTANCE_PATH": folder,
                "SCRUTINEER_ENV": "development",
            }
        )
        database_name = None
        if database == "postgresql":
            import psycopg

            database_name = f"scrutineer_bench_{secrets.token_hex(4)}"
            with psycopg.connect("host=127.0.0.1 port=5432 dbname=test user=postgres", autocommit=True) as conn:
                conn.execute(f'CREATE DATABASE "{database_name}"')
            os.environ["DATABASE_URL"] = f"postgresql+psycopg://postgres@127.0.0.1:5432/{database_name}"
        try:
            from flask_migrate import upgrade

            from app import create_app
            from app.extensions import db
            from app.models import Campaign, Organisation
            from app.services import imports, reports
            from app.services.auditing import run_audit

            application = create_app()
            with application.app_context():
                upgrade()
                organisation = Organisation(
                    name="Northshire County Council", slug="northshire", org_type="local_authority", nation="england"
                )
                db.session.add(organisation)
                db.session.flush()
                campaign = Campaign(
                    organisation_id=organisation.id,
                    ref="BIG-1",
                    role_title="Director",
                    closing_date=dt.date(2026, 3, 1),
                )
                db.session.add(campaign)
                db.session.commit()
                postings = []
                for number in range(adverts):
                    title, text = make_advert(number)
                    postings.append(
                        {
                            "@type": "JobPosting",
                            "title": title,
                            "description": text,
                            "datePosted": "2026-02-01",
                            "validThrough": "2026-03-01T23:59:00+0000",
                            "hiringOrganization": {"@type": "Organization", "name": organisation.name},
                        }
                    )
                # Files of 1,000 adverts each keep under the 10 MB limit on one JSON document, as a user must.
                paths = []
                for start in range(0, len(postings), 1000):
                    path = Path(folder) / f"adverts-{start // 1000 + 1}.json"
                    graph = {"@context": "https://schema.org", "@graph": postings[start : start + 1000]}
                    path.write_text(json.dumps(graph), encoding="utf-8")
                    paths.append(path)
                started = time.perf_counter()
                for path in paths:
                    imports.import_file(organisation, path, path.name, campaign_ref="BIG-1")
                imported = time.perf_counter() - started

                started = time.perf_counter()
                run = run_audit(organisation, campaign)
                audited = time.perf_counter() - started
                audit_peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
                findings = sum(run.summary["by_status"].values())
                started = time.perf_counter()
                out = reports.write_workbook(run, Path(folder) / "audit.xlsx")
                written = time.perf_counter() - started
                size = out.stat().st_size
                # What the audit's web page reads: one page of findings, with the counts and areas of all of them.
                from app.services import triage

                started = time.perf_counter()
                listed = triage.audit_findings(run, triage.FindingFilters(), page=2)
                page_read = time.perf_counter() - started
                assert len(listed.findings) == triage.FINDINGS_PER_PAGE
                db.session.remove()
                db.engine.dispose()
        finally:
            if database_name:
                import psycopg

                with psycopg.connect("host=127.0.0.1 port=5432 dbname=test user=postgres", autocommit=True) as conn:
                    conn.execute(f'DROP DATABASE IF EXISTS "{database_name}" WITH (FORCE)')
    return {
        "adverts": adverts,
        "findings": findings,
        "import s": round(imported, 2),
        "audit s (checks, store, hash)": round(audited, 2),
        "workbook s": round(written, 2),
        "audit + workbook s": round(audited + written, 2),
        "peak RSS MB after import and audit": round(audit_peak, 1),
        "audit page's findings s": round(page_read, 3),
        "workbook MB": round(size / 1024 / 1024, 1),
        "database": database,
    }


def _postgres_available() -> bool:
    try:
        import psycopg

        psycopg.connect("host=127.0.0.1 port=5432 dbname=test user=postgres", connect_timeout=3).close()
        return True
    except Exception:
        return False


def run(quick: bool = False) -> list[Result]:
    adverts = 50 if quick else 5000
    results = []
    for database in ["sqlite"] + (["postgresql"] if _postgres_available() else []):
        figures = measure("bench.bench_audit:audit_workload", adverts=adverts, database=database)
        met = figures["audit + workbook s"] < 120 and figures["peak_rss_mb"] < 800 and figures["findings"] >= 100_000
        results.append(
            Result(
                workload=f"audit: {adverts:,} adverts into a workbook, {database}",
                figures=figures,
                target="100,000+ findings; audit and workbook under 2 minutes and 800 MB",
                met=None if quick else met,
                notes=["peak RSS covers the whole process: import, audit and workbook"],
            )
        )
    return results

"""Import benchmarks (issue 3): a 1,000,000-row candidates CSV against a bare csv.reader pass, on SQLite and
PostgreSQL, and reading a 100,000-row XLSX with python-calamine against openpyxl's read-only mode."""

from __future__ import annotations

import csv
import random
import tempfile
import time
from pathlib import Path
from typing import Any

CANDIDATE_HEADER = [
    "Campaign Ref",
    "Candidate Ref",
    "Source",
    "Stage Reached",
    "Withdrawn",
    "Rejection Reason",
    "First Contact Date",
    "Acknowledged Date",
    "Feedback Given",
    "Sex",
    "Ethnicity Group",
    "Disability",
    "DC Opt In",
    "Meets Essential Criteria",
    "Age Band",
]
_FIRST = ["Zoë", "Siân", "José", "Aoife", "Łukasz", "Chloé", "Bjørn", "Mairéad", "Amélie", "Ravi", "Ngozi", "Sam"]
_LAST = ["Brontë", "Ó Súilleabháin", "Müller", "García", "Nowak", "Okafor", "Smith", "Ní Bhriain", "Dubois", "Patel"]
_SOURCES = ["headhunt", "LinkedIn InMail", "linkedin_search", "referral", "database", "direct_application", "advert"]
_STAGES = ["identified", "approached", "responded", "Long-listed", "shortlisted", "interviewed", "offered", "appointed"]
_REASONS = [
    "Strong public-sector finance background, but the salary expectation (£195,000) was above the range, "
    "and relocation from Edinburgh was not possible within the timescale; candidate asked to be considered again",
    "Did not meet the essential criterion on leading a statutory service, though experience in transformation, "
    "digital, and partnership working was relevant; feedback given by telephone and confirmed by e-mail later",
    "Withdrew after the first interview for family reasons, noting that the flexible-working offer, while welcome, "
    "did not cover the on-call rota; would be interested in future roles with a similar remit and grade, too",
]


def generate_candidates_csv(path: Path, rows: int, campaigns: int = 50, seed: int = 3) -> Path:
    """A candidates file in the canonical template, with the values agencies really write (~380 bytes a row)."""
    rng = random.Random(seed)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(CANDIDATE_HEADER)
        for number in range(rows):
            day, month = rng.randint(1, 28), rng.randint(1, 12)
            writer.writerow(
                [
                    f"C-{number % campaigns:04d}",
                    f"{rng.choice(_FIRST)} {rng.choice(_LAST)} <{number}@example.org>",
                    rng.choice(_SOURCES),
                    rng.choice(_STAGES),
                    rng.choice(["No", "no", "Yes", ""]),
                    rng.choice(_REASONS) if rng.random() < 0.9 else "",
                    f"{day:02d}/{month:02d}/2026",
                    f"{min(day + 2, 28):02d}/{month:02d}/2026",
                    rng.choice(["Yes", "No"]),
                    rng.choice(["Female", "Male", "F", "M", "Prefer not to say"]),
                    rng.choice(["White", "Asian", "Black", "Mixed", "Other"]),
                    rng.choice(["No", "Yes", "Prefer not to say"]),
                    rng.choice(["Yes", "No"]),
                    rng.choice(["Yes", "No"]),
                    rng.choice(["25-34", "35-44", "45-54", "55-64"]),
                ]
            )
    return path


def csv_reader_pass(path: str) -> dict[str, float]:
    """The baseline: a bare csv.reader over the file, touching every row and nothing else."""
    started = time.perf_counter()
    rows = 0
    with open(path, encoding="utf-8", newline="") as handle:
        for _row in csv.reader(handle):
            rows += 1
    seconds = time.perf_counter() - started
    return {"seconds": round(seconds, 3), "rows": rows - 1, "rows_per_s": round((rows - 1) / seconds)}


def _bench_app(database_url: str, folder: Path) -> Any:
    from app import create_app

    return create_app(
        {
            "ENV_NAME": "test",
            "SQLALCHEMY_DATABASE_URI": database_url,
            "INSTANCE_PATH": str(folder),
            "SCRUTINEER_UPLOAD_DIR": str(folder / "uploads"),
            "SECRET_KEY": "benchmark-secret-key",
        }
    )


def full_import(path: str, database_url: str | None = None, campaigns: int = 50) -> dict[str, Any]:
    """Import the candidates file into a fresh, migrated database (a temporary SQLite file unless given)."""
    from flask_migrate import upgrade

    from app.extensions import db
    from app.models import Campaign, Organisation
    from app.services.imports import import_file

    with tempfile.TemporaryDirectory(prefix="scrutineer-bench-") as folder:
        url = database_url or f"sqlite:///{folder}/bench.sqlite"
        application = _bench_app(url, Path(folder))
        with application.app_context():
            upgrade()
            organisation = Organisation(name="Benchmark Council", slug="bench")
            db.session.add(organisation)
            db.session.flush()
            for number in range(campaigns):
                db.session.add(Campaign(organisation_id=organisation.id, ref=f"C-{number:04d}"))
            db.session.commit()
            started = time.perf_counter()
            outcome = import_file(organisation, Path(path), Path(path).name)
            seconds = time.perf_counter() - started
            report = outcome.report
            db.session.remove()
            db.engine.dispose()
    return {
        "seconds": round(seconds, 3),
        "rows_read": report.rows_read,
        "rows_stored": report.rows_stored,
        "rows_rejected": report.rows_rejected,
        "rows_per_s": round(report.rows_read / seconds),
    }

"""The agency scorecard of a large organisation: 1,000,000 candidates in 50 campaigns of one agency (the candidates
CSV of bench_import), imported into SQLite, then the figures the scorecard page and its workbook show.

The page works them out on every visit, so this is the time a person waits for it. The first call after the import
and a second one are both reported: the second finds SQLite's pages in the operating system's cache.
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path
from typing import Any

from bench.bench_import import _bench_app, generate_candidates_csv
from bench.common import DATA, Result, measure


def scorecard_figures(path: str, campaigns: int = 50) -> dict[str, Any]:
    from flask_migrate import upgrade

    from app.extensions import db
    from app.models import Agency, Campaign, Organisation
    from app.services.imports import import_file
    from app.services.scorecards import scorecard_data

    with tempfile.TemporaryDirectory(prefix="scrutineer-bench-") as folder:
        application = _bench_app(f"sqlite:///{folder}/bench.sqlite", Path(folder))
        with application.app_context():
            upgrade()
            organisation = Organisation(name="Benchmark Council", slug="bench")
            db.session.add(organisation)
            db.session.flush()
            agency = Agency(organisation_id=organisation.id, name="Harbour Search Partners")
            db.session.add(agency)
            db.session.flush()
            for number in range(campaigns):
                db.session.add(Campaign(organisation_id=organisation.id, ref=f"C-{number:04d}", agency_id=agency.id))
            db.session.commit()
            organisation_id = organisation.id
            outcome = import_file(organisation, Path(path), Path(path).name)
            timings = []
            for _ in range(2):
                db.session.remove()
                organisation = db.session.get(Organisation, organisation_id)
                started = time.perf_counter()
                data = scorecard_data(organisation)
                timings.append(time.perf_counter() - started)
            scores = data.agencies[0].campaigns
            db.session.remove()
            db.engine.dispose()
    return {
        "candidates": outcome.report.rows_stored,
        "campaigns": len(scores),
        "longlisted": sum(score.longlist_size for score in scores),
        "first_seconds": round(timings[0], 3),
        "second_seconds": round(timings[1], 3),
    }


def run(quick: bool) -> list[Result]:
    rows = 2_000 if quick else 1_000_000
    path = DATA / f"candidates-{rows}.csv"
    if not path.exists():
        generate_candidates_csv(path, rows)
    figures = measure("bench.bench_scorecard:scorecard_figures", path=str(path))
    figures.pop("seconds", None)  # the whole workload, import included: not the page's time
    return [
        Result(
            f"scorecard of {figures['candidates']:,} candidates in {figures['campaigns']} campaigns, SQLite",
            figures,
            notes=[
                "the figures of the scorecard page and workbook, counted by the database campaign by campaign",
                "peak RSS includes the import that fills the database",
            ],
        )
    ]

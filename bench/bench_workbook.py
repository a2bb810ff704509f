"""Writing and reading back the audit workbook with many findings: seconds and peak memory.

The findings are generated on the fly and streamed into the writer, as the app streams them from the database, so
peak memory should stay flat from 10,000 to 100,000 findings. Reading back (what `flask verify` and the round trip
do) reads the workbook with calamine in a child process under the importers' limits, as imports do, and re-hashes
the Findings sheet.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from bench.common import DATA, Result, measure

SEVERITIES = ("Critical", "High", "Medium", "Low", "Info")
STATUSES = ("Fail", "Warn", "Pass", "No data", "N/A")
EVIDENCE = (
    "The advert asks for a “dynamic, young-thinking leader” and a “native English speaker”; both phrases are "
    "flagged (advert text, characters 412–447 and 1,203–1,226). Long list: 3 of 12 women (25%), no written "
    "justification — from tracker.xlsx (Candidates) rows 4, 7, 9, 12 and 8 more."
)


def findings(count: int) -> Iterator[Any]:
    from audits.workbook import FindingRow

    for index in range(1, count + 1):
        yield FindingRow(
            ref=f"AUD-20260331-BENCH-{index:04d}",
            check_id=f"CHK-{index % 97:02d}",
            title="Gendered or age-coded wording in the advert",
            severity=SEVERITIES[index % 5],
            status=STATUSES[(index // 5) % 5],
            subject=f"Advert {index % 40}: Director of Finance (=imported title {index})",
            evidence=f"{EVIDENCE} [{index}]",
            reference="Equality Act 2010 s.39(1)(a) and s.13; EHRC Employment Statutory Code paras 16.20–16.24",
            suggestion="Describe the job and the person it needs without words that suggest an age or a sex.",
        )


def data(count: int) -> Any:
    from audits import workbook

    digest = workbook.findings_digest(f.cells() for f in findings(count))
    return workbook.WorkbookData(
        audit_id="AUD-20260331-BENCH",
        created_at=dt.datetime(2026, 3, 31, 12),
        as_of=dt.date(2026, 3, 31),
        organisation="Northshire Council",
        agency="Harbour Search",
        campaign_ref="NCC-1",
        role_title="Director of Finance",
        campaign_dates={"Closing date": dt.date(2026, 2, 5)},
        score=61.5,
        rag="Red",
        score_reason="A Critical check failed.",
        scoring_rule="score = 100 × Σ(weight × credit) ÷ Σ(weight)",
        findings=findings(count),
        checklist_id="uk-public-sector",
        checklist_version="2026.1",
        checklist_sha256="0" * 64,
        rules=[],
        inputs=[workbook.InputRow("tracker.xlsx", "a" * 64, "agency-template", count, count, 0)],
        adverts=[],
        pipeline=[],
        outreach=[],
        scrutineer_version="bench",
        library_versions={},
        findings_sha256=digest,
        seal="bench",
    )


def _path(count: int) -> Path:
    return DATA / f"workbook-{count}.xlsx"


def write_workbook(findings: int) -> dict[str, Any]:
    """Write a workbook with `findings` streamed findings (workload run in a child process)."""
    from audits import workbook

    prepared = data(findings)
    path = _path(findings)
    path.parent.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    workbook.write(prepared, path)
    seconds = time.perf_counter() - started
    return {
        "findings": findings,
        "write_seconds": round(seconds, 2),
        "findings_per_second": round(findings / seconds),
        "file_mb": round(path.stat().st_size / 1024 / 1024, 1),
    }


def read_workbook(findings: int) -> dict[str, Any]:
    """Read back and re-hash the workbook `write_workbook` wrote (as verify does, without the database)."""
    from audits import workbook

    started = time.perf_counter()
    back = workbook.read(_path(findings))
    seconds = time.perf_counter() - started
    assert back.recomputed_sha256 == back.provenance["Findings SHA-256"], "the benchmark workbook does not verify"
    return {"findings": len(back.findings), "read_seconds": round(seconds, 2)}


def run(quick: bool = False) -> list[Result]:
    small, large = (1_000, 5_000) if quick else (10_000, 100_000)
    results = []
    written = {count: measure("bench.bench_workbook:write_workbook", findings=count) for count in (small, large)}
    flat = written[large]["peak_rss_mb"] <= 1.5 * written[small]["peak_rss_mb"]
    results.append(
        Result(
            workload=f"workbook: write {large:,} findings",
            figures={
                "seconds": written[large]["write_seconds"],
                "findings per second": written[large]["findings_per_second"],
                "peak RSS (MB)": written[large]["peak_rss_mb"],
                f"peak RSS with {small:,} findings (MB)": written[small]["peak_rss_mb"],
                f"seconds with {small:,} findings": written[small]["write_seconds"],
                "file size (MB)": written[large]["file_mb"],
            },
            target=f"bounded memory: peak RSS with {large // small}× the findings within 1.5× (write-only, streamed)",
            met=flat,
        )
    )
    read = measure("bench.bench_workbook:read_workbook", findings=large)
    results.append(
        Result(
            workload=f"workbook: read back and re-hash {large:,} findings",
            figures={"seconds": read["read_seconds"], "peak RSS (MB)": read["peak_rss_mb"]},
            notes=["what `flask verify` and the round trip read; the database comparison is extra"],
        )
    )
    return results

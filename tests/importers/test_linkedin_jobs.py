"""LinkedIn Recruiter Jobs report (formats.md §1.1), from our own fixture with its quirks."""

import datetime as dt
import shutil
from pathlib import Path

import pytest
from openpyxl import Workbook

from importers import FileRejected
from importers.linkedin_jobs import FORMAT_NAME
from importers.records import JobStatsRecord
from tests.importers.helpers import FIXTURES, read

JOBS = FIXTURES / "linkedin" / "jobs-report.xlsx"


def test_jobs_report_with_overview_date_range_and_repeated_headers(tmp_path: Path) -> None:
    # The name says CSV; the content says LinkedIn Jobs report: the content wins.
    path = tmp_path / "export.csv"
    shutil.copy(JOBS, path)
    report, records = read(path)
    assert report.format == FORMAT_NAME
    assert all(isinstance(r, JobStatsRecord) for r in records)
    assert [r.linkedin_job_id for r in records] == ["3800482794", "3800482795", "3800482796"]
    first, second, third = records
    assert (first.report_start, first.report_end) == (dt.date(2025, 10, 1), dt.date(2025, 10, 31))
    assert first.employer_job_id == "C-1" and second.employer_job_id == "4471"  # a number in Excel, kept as text
    assert first.state_start == dt.date(2025, 10, 6) and first.state_end is None
    assert second.state_start == dt.date(2025, 10, 20)  # a real Excel date
    assert first.total_views == 1532 and first.apply_rate == 27.3 and second.apply_rate == 12.5
    assert first.completion_rate == 38.5 and first.applications == 41
    assert first.company_apply_url and first.workplace_type == "Hybrid" and first.job_function == "Management"
    assert third.row == 5  # the repeated header row (4) was skipped, not read as a job
    # a day-first date in a LinkedIn file is refused, never guessed
    [problem] = report.problems
    assert (problem.row, problem.column, problem.value, problem.sheet) == (
        6,
        "State Start Date",
        "31/10/2025",
        "Jobs Reporting",
    )
    assert report.rows_read == 4 and report.rows_rejected == 1
    # people's names are never kept
    assert "Alex Poster" not in repr(records) and "Sam Owner" not in repr(records)
    assert any("Job Poster" in note for note in report.notes)
    assert any("UTC" in note for note in report.notes)


def test_jobs_report_saved_as_csv_with_loose_headers(tmp_path: Path) -> None:
    path = tmp_path / "jobs.csv"
    path.write_text(
        "linkedin job id,EMPLOYER JOB ID,Job title,Total views,Apply rate,State start date,Mystery\n"
        "3800482794,C-9,Head of Policy,1 234,5%,2025-10-06,x\n"
        '3800482795,C-9,Head of Policy,"2,000",0.5%,10/07/2025,\n',
        encoding="utf-8",
    )
    report, records = read(path)
    assert report.format == FORMAT_NAME
    assert report.rows_rejected == 1 and report.problems[0].column == "Total views"  # "1 234" is not a number
    [record] = records
    assert record.total_views == 2000 and record.apply_rate == 0.5 and record.state_start == dt.date(2025, 10, 7)
    assert record.report_start is None and any("Date range" in n for n in report.notes)
    assert report.unknown_columns == {"Jobs Reporting": ["Mystery"]}


def test_a_jobs_sheet_without_job_ids_is_refused(tmp_path: Path) -> None:
    book = Workbook()
    book.active.title = "Jobs Reporting"
    book.active.append(["Title", "Views"])
    book.active.append(["Head of Policy", 12])
    path = tmp_path / "jobs.xlsx"
    book.save(path)
    with pytest.raises(FileRejected, match="LinkedIn Job ID") as caught:
        read(path)
    assert str(caught.value).startswith("jobs.xlsx: ")

"""Background jobs: the same job code, state and progress in the database, failures recorded with a reason."""

import datetime as dt
from pathlib import Path

from flask import Flask

from app import jobs
from app.models import Job
from app.services.responses import ResponseRefused, record_response, review_finding
from tests.factories import make_campaign, make_organisation, make_user, write_tracker


def test_an_import_job_stores_the_file_and_reports_its_result(ctx: Flask, tmp_path: Path) -> None:
    organisation = make_organisation()
    path = write_tracker(tmp_path / "tracker.xlsx", [["C-1", "Org", "nhs", "Chief Nurse", 1, 2, "A", "", "", ""]], [])
    job = jobs.enqueue("import", organisation, {"path": str(path), "file_name": "tracker.xlsx"})
    assert job.status == "done", job.error
    assert job.result["report"]["rows_stored"] == 1
    assert not path.exists()  # the uploaded copy is removed once imported


def test_an_import_job_reads_a_file_through_the_mapping_in_its_parameters(ctx: Flask, tmp_path: Path) -> None:
    organisation = make_organisation()
    make_campaign(organisation, "C-1")
    path = tmp_path / "export.csv"
    path.write_text("Person,Req,Step\nada@example.org,C-1,Screen\nbob@example.org,C-1,longlisted\n", encoding="utf-8")
    mapping = {
        "scrutineer_mapping": 1,
        "tables": {
            "candidates": {
                "columns": {"Person": "candidate_ref", "Req": "campaign_ref", "Step": "stage_reached"},
                "values": {"stage_reached": {"Screen": "responded"}},
            }
        },
    }
    params = {"path": str(path), "file_name": "export.csv", "mapping": mapping, "agency_name": "Harbour Search"}
    job = jobs.enqueue("import", organisation, params)
    assert job.status == "done", job.error
    assert job.result["report"]["format"] == "mapped" and job.result["report"]["rows_stored"] == 2

    path.write_text("Person,Req\nada@example.org,C-1\n", encoding="utf-8")
    params = {"path": str(path), "file_name": "export.csv", "mapping": {"tables": {"candidates": {"A": "shoe_size"}}}}
    job = jobs.enqueue("import", organisation, params)
    assert job.status == "failed" and "the column mapping cannot be used" in (job.error or "")


def test_a_failing_job_is_marked_failed_with_a_reason_and_can_be_retried(ctx: Flask, tmp_path: Path) -> None:
    organisation = make_organisation()
    path = tmp_path / "picture.csv"
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(100))
    job = jobs.enqueue("import", organisation, {"path": str(path), "file_name": "picture.csv", "delete_after": False})
    assert job.status == "failed" and "picture" in (job.error or "")
    path.write_text("campaign_ref,role_title\nC-9,Chief Executive\n", encoding="utf-8")
    jobs.retry(job)
    assert ctx.extensions["sqlalchemy"].session.get(Job, job.id).status == "done"


def test_a_job_whose_process_died_is_reaped(ctx: Flask) -> None:
    from app.extensions import db

    organisation = make_organisation()
    record = Job(
        public_id="JOB-DEAD",
        organisation_id=organisation.id,
        kind="audit",
        status="running",
        heartbeat_at=dt.datetime(2026, 1, 1),
        params={},
    )
    db.session.add(record)
    db.session.commit()
    assert jobs.reap_stale() == 1
    db.session.refresh(record)
    assert record.status == "failed" and "stopped" in (record.error or "")


def test_an_audit_job(ctx: Flask) -> None:
    organisation = make_organisation()
    campaign = make_campaign(organisation)
    job = jobs.enqueue("audit", organisation, {"campaign_id": campaign.id})
    assert job.status == "done" and job.result["audit_id"].startswith("AUD-")


def test_responses_and_reviews_are_validated_and_logged(ctx: Flask) -> None:
    from sqlalchemy import select

    from app.dao.audits import findings_of
    from app.extensions import db
    from app.models import Event
    from app.services.auditing import run_audit

    organisation = make_organisation()
    user = make_user(organisation, "recruiter")
    auditor = make_user(organisation, "auditor")
    run = run_audit(organisation, make_campaign(organisation))
    finding = findings_of(run)[0]
    assert record_response(finding, "disagree", "We published the range on the pack", user=user)
    assert finding.agency_response == "Disagree"
    assert not record_response(finding, "Disagree", "We published the range on the pack", user=user)
    try:
        record_response(finding, "Maybe", None, user=user)
    except ResponseRefused as error:
        assert "Agree, Disagree or Remediated" in str(error)
    else:
        raise AssertionError("an invalid response was accepted")
    review_finding(finding, "override", "The range is on page 2 of the candidate pack", user=auditor, status="pass")
    assert finding.review_status == "pass"
    actions = list(db.session.scalars(select(Event.action).where(Event.object_ref == finding.ref)))
    assert actions == ["finding.response", "finding.review"]


def test_a_job_whose_process_is_gone_is_reaped_at_once(ctx: Flask) -> None:
    import subprocess
    import sys

    from app.extensions import db
    from app.services.recovery import runner_id

    gone = subprocess.Popen([sys.executable, "-c", "pass"])
    gone.wait()
    organisation = make_organisation()
    host = runner_id().rpartition(":")[0]
    record = Job(
        public_id="JOB-GONE",
        organisation_id=organisation.id,
        kind="import",
        status="running",
        heartbeat_at=dt.datetime.now(dt.UTC).replace(tzinfo=None),
        runner=f"{host}:{gone.pid}",
        params={},
    )
    alive = Job(
        public_id="JOB-ALIVE",
        organisation_id=organisation.id,
        kind="import",
        status="running",
        heartbeat_at=dt.datetime.now(dt.UTC).replace(tzinfo=None),
        runner=runner_id(),
        params={},
    )
    db.session.add_all([record, alive])
    db.session.commit()
    assert jobs.reap_stale() == 1
    db.session.refresh(record)
    db.session.refresh(alive)
    assert record.status == "failed" and alive.status == "running"


def test_a_process_that_ended_but_was_never_collected_counts_as_gone() -> None:
    import os
    import subprocess
    import sys

    from app.services.recovery import runner_alive, runner_id

    host = runner_id().rpartition(":")[0]
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    os.waitid(os.P_PID, child.pid, os.WEXITED | os.WNOWAIT)  # it has ended; not collected, it stays a zombie
    assert runner_alive(f"{host}:{child.pid}") is False
    child.wait()
    assert runner_alive(runner_id()) is True
    assert runner_alive("elsewhere.example:123") is None


def test_an_import_job_in_a_thread_of_the_web_process_reads_in_a_second_process(ctx: Flask, tmp_path: Path) -> None:
    """The embedded set-up: the job runs in a thread beside others (its heartbeat), and forks the file's reader."""
    import threading

    from app.extensions import db
    from tests.importers.test_parallel import candidates_file

    organisation = make_organisation()
    for ref in ("C-0", "C-1", "C-2"):
        make_campaign(organisation, ref)
    path = candidates_file(tmp_path / "candidates.csv", 2_000)
    ctx.config["SCRUTINEER_JOBS"] = "thread"
    ctx.config["SCRUTINEER_PARALLEL_IMPORT_BYTES"] = 1
    job = jobs.enqueue("import", organisation, {"path": str(path), "file_name": "candidates.csv"})
    for thread in threading.enumerate():
        if thread.name == f"job-{job.id}":
            thread.join(timeout=60)
    db.session.refresh(job)
    assert job.status == "done", job.error
    assert job.result["report"]["rows_stored"] > 1_900

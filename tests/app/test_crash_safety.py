"""An import killed with SIGKILL half-way leaves the database intact, nothing of that file stored, the upload marked
failed (with a reason), and a re-run succeeds. Runs on SQLite and on PostgreSQL, whichever the suite runs on."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import func, select, text

from app.extensions import db
from app.models import Candidate, Upload
from tests.factories import make_organisation

ROWS = 1_000_000
ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.slow


def _flask(app: Flask, tmp_path: Path, *args: str) -> subprocess.Popen[str]:
    environment = {
        **os.environ,
        "SCRUTINEER_ENV": "development",
        "DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"],
        "SECRET_KEY": app.config["SECRET_KEY"],
        "SCRUTINEER_INSTANCE_PATH": str(tmp_path / "instance"),
        "SCRUTINEER_ORG": "northshire",
    }
    return subprocess.Popen(
        [sys.executable, "-m", "flask", "--app", "app", *args],
        cwd=ROOT,
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _write_files(tmp_path: Path) -> tuple[Path, Path]:
    campaigns = tmp_path / "campaigns.csv"
    campaigns.write_text("campaign_ref,role_title\nBIG-1,Chief Executive\n", encoding="utf-8")
    candidates = tmp_path / "candidates.csv"
    with candidates.open("w", encoding="utf-8") as handle:
        handle.write("campaign_ref,candidate_ref,source,stage_reached,sex,first_contact_date\n")
        for number in range(ROWS):
            handle.write(f"BIG-1,person{number}@example.org,headhunt,identified,female,05/02/2026\n")
    return campaigns, candidates


def _count(app: Flask) -> int:
    with app.app_context():
        count = db.session.scalar(select(func.count()).select_from(Candidate)) or 0
        db.session.remove()
        return count


def test_an_import_killed_half_way_stores_nothing_and_can_be_run_again(app: Flask, tmp_path: Path) -> None:
    with app.app_context():
        make_organisation()
    campaigns, candidates = _write_files(tmp_path)
    first = _flask(app, tmp_path, "import", str(campaigns))
    first.communicate(timeout=60)
    assert first.returncode == 0

    process = _flask(app, tmp_path, "import", str(candidates))
    deadline = time.monotonic() + 60
    running = None
    while time.monotonic() < deadline and running is None:  # wait until it is storing rows
        with app.app_context():
            running = db.session.scalar(
                select(Upload).where(Upload.file_name == "candidates.csv", Upload.status == "running")
            )
            db.session.remove()
        time.sleep(0.05)
    assert running is not None, "the import never started"
    time.sleep(1.0)
    assert process.poll() is None, "the import finished before it could be killed: make the file bigger"
    os.kill(process.pid, signal.SIGKILL)
    process.communicate(timeout=30)

    with app.app_context():
        if db.engine.dialect.name == "sqlite":
            assert db.session.execute(text("PRAGMA integrity_check")).scalar() == "ok"
        db.session.remove()
    assert _count(app) == 0  # nothing of that file stored
    uploads = tmp_path / "instance" / "uploads"
    assert [p.name for p in uploads.rglob("*.partial")] == [f"{running.id}-{running.sha256[:16]}.partial"]

    rerun = _flask(app, tmp_path, "import", str(candidates), "--json")
    _out, err = rerun.communicate(timeout=300)
    assert rerun.returncode == 0, err
    with app.app_context():
        killed = db.session.get(Upload, running.id)
        assert (
            killed is not None and killed.status == "failed" and "import the file again" in (killed.error or "").lower()
        )
        db.session.remove()
    assert _count(app) == ROWS
    # the killed import's partial raw copy was removed when it was marked failed; the rerun's copy was kept
    kept = sorted(p.name for p in uploads.rglob("*") if p.is_file())
    assert len(kept) == 2 and not any(name.endswith(".partial") for name in kept), kept

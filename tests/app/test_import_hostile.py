"""Hostile files on the command line: each is refused with exit status 2, one line on stderr, nothing stored,
in seconds and in bounded memory. The files are built in the test (tests/importers/hostile_files.py)."""

import time
import tracemalloc
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskCliRunner
from sqlalchemy import func, select

from app.dao.uploads import RECORD_MODELS
from app.extensions import db
from app.models import Campaign, Upload
from tests.factories import make_campaign, make_organisation
from tests.importers.hostile_files import HOSTILE

SECONDS = 10  # generous on a shared machine; each takes well under a second alone
PEAK_BYTES = 64 * 1024 * 1024


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_hostile_file_is_refused_without_harm(app: Flask, runner: FlaskCliRunner, tmp_path: Path, name: str) -> None:
    with app.app_context():
        organisation = make_organisation()
        make_campaign(organisation, "C-1")
    build, reason = HOSTILE[name]
    path = build(tmp_path / name)
    tracemalloc.start()
    started = time.perf_counter()
    try:
        result = runner.invoke(args=["import", str(path), "--campaign", "C-1", "--org", "northshire"])
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    elapsed = time.perf_counter() - started
    assert result.exit_code == 2, result.output
    assert result.stdout == ""
    assert result.stderr.endswith("\n") and result.stderr.count("\n") == 1, result.stderr
    assert result.stderr.startswith(f"{name}: ") and reason in result.stderr, result.stderr
    assert "Traceback" not in result.stderr
    assert elapsed < SECONDS and peak < PEAK_BYTES, (elapsed, peak)
    with app.app_context():
        for model in RECORD_MODELS:
            assert db.session.scalar(select(func.count()).select_from(model)) == 0, model.__name__
        assert db.session.scalar(select(func.count()).select_from(Campaign)) == 1
        assert list(db.session.scalars(select(Upload.status))) == ["rejected"]
        assert db.session.scalar(select(Upload.stored_path)) is None
    assert [p for p in Path(app.config["SCRUTINEER_UPLOAD_DIR"]).rglob("*") if p.is_file()] == []  # no raw copy

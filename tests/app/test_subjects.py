"""Subject access and erasure: a candidate's data found and erased from their identifier, the erasure logged."""

import json
from pathlib import Path

from flask import Flask
from flask.testing import FlaskCliRunner
from sqlalchemy import func, select

from app.extensions import db
from app.models import Candidate, Event
from app.services import imports
from tests.factories import make_organisation, write_tracker


def load(app: Flask, tmp_path: Path) -> None:
    with app.app_context():
        organisation = make_organisation()
        path = write_tracker(
            tmp_path / "tracker.xlsx",
            [["C-1", "Org", "nhs", "Chief Nurse", 1, 2, "A", "", "", ""]],
            [
                ["C-1", "Jane.Doe@Example.org", "headhunt", "longlisted", "F", "White", "No", ""],
                ["C-1", "https://www.linkedin.com/in/sam-smith/", "headhunt", "shortlisted", "M", "Asian", "No", ""],
                ["C-1", "someone.else@example.org", "referral", "identified", "M", "White", "No", ""],
            ],
        )
        imports.import_file(organisation, path, path.name)


def test_find_and_erase_a_candidate(app: Flask, runner: FlaskCliRunner, tmp_path: Path) -> None:
    load(app, tmp_path)
    # the e-mail matches whatever its case; the profile URL matches without www or the trailing slash
    found = runner.invoke(args=["subject", "find", "jane.doe@example.org", "--json"])
    assert found.exit_code == 0, found.output
    report = json.loads(found.stdout)
    assert len(report["records"]) == 1 and report["records"][0]["stage_reached"] == "longlisted"
    by_url = json.loads(runner.invoke(args=["subject", "find", "linkedin.com/in/sam-smith", "--json"]).stdout)
    assert len(by_url["records"]) == 1

    erased = runner.invoke(args=["subject", "erase", "JANE.DOE@example.org", "--reason", "SAR-2026-014", "--yes"])
    assert erased.exit_code == 0, erased.output
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Candidate)) == 2
        event = db.session.scalar(select(Event).where(Event.action == "subject.erased"))
        assert event is not None and event.payload["candidates"] == 1 and event.object_ref == report["key"]
        assert "jane" not in json.dumps(event.payload).lower()


def test_the_database_holds_no_identifier_in_clear(app: Flask, tmp_path: Path) -> None:
    load(app, tmp_path)
    reasons = tmp_path / "reasons.csv"  # identifiers written into free text are removed too
    reasons.write_text(
        "Campaign Ref,Candidate Ref,Stage Reached,Rejection Reason\r\n"
        'C-1,pat@example.org,longlisted,"Told pat.lee@example.net and uk.linkedin.com/in/pat-lee-99/ on 3 May"\r\n',
        encoding="utf-8",
    )
    with app.app_context():
        from app.dao.organisations import get_organisation_by_slug

        organisation = get_organisation_by_slug("northshire")
        assert organisation is not None
        imports.import_file(organisation, reasons, reasons.name)
        stored = db.session.scalar(select(Candidate.rejection_reason).where(Candidate.rejection_reason.isnot(None)))
        assert stored == "Told [e-mail address removed] and [profile link removed] on 3 May"
        if db.engine.dialect.name != "sqlite":
            return
        database = Path(db.engine.url.database)  # type: ignore[arg-type]
    db_bytes = b"".join(p.read_bytes() for p in database.parent.glob(database.name + "*"))
    for identifier in (
        b"Jane.Doe@Example.org",
        b"jane.doe@example.org",
        b"sam-smith",
        b"someone.else",
        b"pat.lee",
        b"pat-lee-99",
        b"pat@example",
    ):
        assert identifier not in db_bytes

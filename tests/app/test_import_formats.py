"""Every format through the import service and the command line, on the real database (SQLite and PostgreSQL):
LinkedIn rows stored and read back into the audit bundle, mappings saved and reused, corrections, retention."""

import datetime as dt
import json
from decimal import Decimal
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskCliRunner
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from app.bulk import BulkWriter
from app.extensions import db
from app.models import (
    Advert,
    Candidate,
    ColumnMapping,
    Event,
    InMailStat,
    LinkedInJobStat,
    PageStat,
    RecruiterUsage,
    Upload,
)
from app.services import imports
from app.services.auditing import build_bundle
from app.services.retention import RawCopy, partial_path, purge_raw_uploads
from tests.factories import make_agency, make_campaign, make_organisation

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
LINKEDIN = FIXTURES / "linkedin"


def count(model: type) -> int:
    return db.session.scalar(select(func.count()).select_from(model)) or 0


def test_linkedin_exports_are_stored_and_reach_the_audit_bundle(ctx: Flask) -> None:
    organisation = make_organisation()
    agency = make_agency(organisation)
    campaign = make_campaign(organisation, "C-1", agency=agency)
    make_campaign(organisation, "C-2", agency=agency)
    jobs = imports.import_file(organisation, LINKEDIN / "jobs-report.xlsx", "jobs-report.xlsx")
    assert jobs.report.counts == {"linkedin_jobs": 3}
    assert any("UNKNOWN-9" in note for note in jobs.report.notes)
    imports.import_file(organisation, LINKEDIN / "recruiter-usage.csv", "usage.csv", campaign_ref="C-1")
    imports.import_file(organisation, LINKEDIN / "inmail-report.csv", "inmail.csv")  # organisation-wide
    imports.import_file(organisation, LINKEDIN / "page-content.xlsx", "page.xlsx", campaign_ref="C-1")
    feed = imports.import_file(organisation, LINKEDIN / "job-feed.xml", "job-feed.xml")
    assert feed.report.counts == {"adverts": 2} and feed.report.rows_rejected == 1
    assert (count(LinkedInJobStat), count(RecruiterUsage), count(InMailStat), count(PageStat)) == (3, 2, 3, 4)
    assert set(db.session.scalars(select(RecruiterUsage.seat_key))) and "Alex" not in json.dumps(
        [r.seat_key for r in db.session.scalars(select(RecruiterUsage))]
    )

    bundle, advert_ids = build_bundle(organisation, campaign, dt.date(2025, 11, 30))
    assert [j.linkedin_job_id for j in bundle.job_stats] == ["3800482794"]
    assert bundle.job_stats[0].campaign_ref == "C-1" and bundle.job_stats[0].report_end == dt.date(2025, 10, 31)
    assert bundle.job_stats[0].apply_rate == 27.3 and bundle.job_stats[0].file == "jobs-report.xlsx"
    assert len(bundle.usage) == 2 and bundle.usage[0].campaign_ref == "C-1" and bundle.usage[0].row == 2
    assert len(bundle.inmail_stats) == 3 and bundle.inmail_stats[0].campaign_ref is None  # organisation-wide
    assert {p.kind for p in bundle.page_stats} == {"content", "post"}
    assert bundle.page_stats[0].metrics["impressions_total"] == 1200
    assert len(advert_ids) == 1
    assert [a.reference for a in bundle.adverts] == ["C-1"] and bundle.adverts[0].source_kind == "xml-feed"
    assert bundle.adverts[0].salary is not None and bundle.adverts[0].salary.maximum == Decimal(200000)


def test_jobs_rows_join_a_campaign_imported_after_them(ctx: Flask, tmp_path: Path) -> None:
    organisation = make_organisation()
    imports.import_file(organisation, LINKEDIN / "jobs-report.xlsx", "jobs-report.xlsx")
    later = tmp_path / "campaigns.csv"
    later.write_text("campaign_ref,role_title\nUNKNOWN-9,Head of HR\n", encoding="utf-8")
    imports.import_file(organisation, later, later.name)
    from app.dao.campaigns import campaign_by_ref
    from app.dao.uploads import uploads_with_records

    campaign = campaign_by_ref(organisation.id, "UNKNOWN-9")
    assert campaign is not None
    bundle, _adverts = build_bundle(organisation, campaign, dt.date(2025, 11, 30))
    assert [j.job_title for j in bundle.job_stats] == ["Head of HR"]
    assert "jobs-report.xlsx" in {u.file_name for u in uploads_with_records(organisation.id, campaign.id)}


def test_a_corrected_file_replaces_the_rows_of_the_one_it_corrects(ctx: Flask, tmp_path: Path) -> None:
    organisation = make_organisation()
    make_campaign(organisation, "C-1")
    path = tmp_path / "usage.csv"
    original = (LINKEDIN / "recruiter-usage.csv").read_bytes()
    path.write_bytes(original)
    first = imports.import_file(organisation, path, "usage.csv", campaign_ref="C-1")
    path.write_bytes(original.replace(b"many", b"7"))
    second = imports.import_file(organisation, path, "usage.csv", campaign_ref="C-1")
    assert second.upload.replaces_upload_id == first.upload.id and count(RecruiterUsage) == 3
    assert db.session.get(Upload, first.upload.id).status == "superseded"  # type: ignore[union-attr]
    again = imports.import_file(organisation, path, "usage-again.csv", campaign_ref="C-1")
    assert again.duplicate_of is not None and again.report.rows_stored == 0 and count(RecruiterUsage) == 3


def test_postings_dataset_rows_become_adverts_with_lossy_fields(ctx: Flask) -> None:
    organisation = make_organisation()
    make_campaign(organisation, "C-2")
    path = FIXTURES / "datasets" / "postings-excel-resaved.csv"
    outcome = imports.import_file(organisation, path, path.name, campaign_ref="C-2")
    assert outcome.report.counts == {"adverts": 2} and outcome.report.rows_rejected == 1
    adverts = list(db.session.scalars(select(Advert).order_by(Advert.position)))
    assert adverts[0].lossy_fields == [] and "job_id" in adverts[1].lossy_fields
    assert adverts[0].salary is not None and adverts[0].salary["minimum"] == "185000"
    assert adverts[0].created_at is not None and adverts[1].position == 1


def test_ats_export_mapping_is_saved_for_the_agency_and_reused(
    runner: FlaskCliRunner, app: Flask, tmp_path: Path
) -> None:
    with app.app_context():
        organisation = make_organisation()
        agency = make_agency(organisation)
        make_campaign(organisation, "C-1", agency=agency)
    greenhouse = FIXTURES / "ats" / "greenhouse-candidates.csv"
    workable = FIXTURES / "ats" / "workable-candidates.csv"
    refused = runner.invoke(args=["import", str(workable), "--campaign", "C-1"])  # no template column in it
    assert refused.exit_code == 2 and "flask mapping suggest" in refused.stderr
    suggested = runner.invoke(args=["mapping", "suggest", str(greenhouse)])
    assert suggested.exit_code == 0 and json.loads(suggested.stdout)["tables"]["candidates"]["columns"]
    mapped = runner.invoke(
        args=["import", str(greenhouse), "--mapping", str(FIXTURES / "ats" / "greenhouse-mapping.json"), "--json"]
    )
    assert mapped.exit_code == 0, mapped.output
    [entry] = json.loads(mapped.stdout)["files"]
    assert entry["format"] == "mapped" and entry["rows_stored"] == 5 and entry["rows_rejected"] == 0
    with app.app_context():
        [saved] = db.session.scalars(select(ColumnMapping)).all()
        assert saved.agency is not None and saved.agency.name == "Harbour Search" and saved.table_name == "candidates"
        assert saved.mapping["columns"]["Requisition ID"] == "campaign_ref"
        assert count(Candidate) == 5
    # The same layout again, in another file: read with the saved mapping, without being asked.
    again = greenhouse.read_text().replace("1005,", "1006,")
    path = tmp_path / "greenhouse-week-2.csv"
    path.write_text(again, encoding="utf-8")
    reused = runner.invoke(args=["import", str(path), "--json"])
    assert reused.exit_code == 0, reused.output
    [entry] = json.loads(reused.stdout)["files"]
    assert entry["format"] == "mapped" and any("saved on" in n for n in entry["notes"])
    listed = runner.invoke(args=["mapping", "list"])
    assert "Harbour Search" in listed.output and "Candidate ID" in listed.output


def test_a_bad_mapping_file_is_refused_with_one_line(runner: FlaskCliRunner, tmp_path: Path) -> None:
    mapping = tmp_path / "mapping.json"
    mapping.write_text('{"tables": {"candidates": {"columns": {"A": "shoe_size"}}}}', encoding="utf-8")
    result = runner.invoke(
        args=["import", str(FIXTURES / "ats" / "greenhouse-candidates.csv"), "--mapping", str(mapping)]
    )
    assert result.exit_code == 2 and result.stderr.count("\n") == 1 and "shoe_size" in result.stderr


def test_formats_lists_every_format_with_how_it_is_recognised(runner: FlaskCliRunner) -> None:
    result = runner.invoke(args=["formats", "--json"])
    assert result.exit_code == 0
    formats = {f["name"]: f for f in json.loads(result.stdout)}
    assert set(formats) >= {
        "agency-template",
        "linkedin-jobs-report",
        "linkedin-recruiter-usage",
        "linkedin-inmail-report",
        "linkedin-page-analytics",
        "linkedin-postings-dataset",
        "linkedin-job-feed",
        "advert-html",
        "mapped",
    }
    assert all(f["recognised_by"] for f in formats.values())
    text = runner.invoke(args=["formats"]).output
    assert "LinkedIn Job ID" in text and "never from the file name" in text


def test_purge_deletes_raw_uploads_older_than_the_retention_period(app: Flask, runner: FlaskCliRunner) -> None:
    with app.app_context():
        organisation = make_organisation()
        make_campaign(organisation, "C-1")
        old = imports.import_file(organisation, LINKEDIN / "inmail-report.csv", "old.csv")
        new = imports.import_file(organisation, LINKEDIN / "recruiter-usage.csv", "new.csv")
        old_path, new_path = Path(old.upload.stored_path or ""), Path(new.upload.stored_path or "")
        old_id = old.upload.id
        assert old_path.is_file() and new_path.is_file()
        old.upload.created_at = dt.datetime.now(dt.UTC).replace(tzinfo=None) - dt.timedelta(days=200)
        db.session.commit()
        dry = purge_raw_uploads(dry_run=True)
        assert dry.files == 1 and old_path.is_file()
    result = runner.invoke(args=["purge"])
    assert result.exit_code == 0 and "Deleted 1 raw upload(s) older than 180 days" in result.output
    with app.app_context():
        assert not old_path.exists() and new_path.exists()
        assert db.session.get(Upload, old_id).stored_path is None  # type: ignore[union-attr]
        assert count(InMailStat) == 3  # the imported rows stay
        actions = list(db.session.scalars(select(Event.action)))
        assert "upload.purged" in actions and "retention.purge" in actions
        assert purge_raw_uploads(days=0).files == 1  # a retention of 0 days removes the rest


def test_the_raw_copy_is_the_file_as_given_and_an_import_that_cannot_keep_it_stores_nothing(ctx: Flask) -> None:
    """The raw copy is written in a thread beside the import (retention.RawCopy); its failure is the import's."""
    organisation = make_organisation()
    make_campaign(organisation, "C-1")
    source = LINKEDIN / "inmail-report.csv"
    kept = imports.import_file(organisation, source, "inmail.csv")
    assert Path(kept.upload.stored_path or "").read_bytes() == source.read_bytes()
    other = make_organisation("Southshire")
    make_campaign(other, "C-1")
    blocked = Path(ctx.config["SCRUTINEER_UPLOAD_DIR"]) / str(other.id)
    blocked.write_text("a file where the organisation's folder should be", encoding="utf-8")
    with pytest.raises(FileExistsError):  # the copy's own error, not one from cleaning up after it
        imports.import_file(other, source, "inmail.csv")
    db.session.rollback()
    failed = db.session.scalar(select(Upload).where(Upload.organisation_id == other.id))
    assert failed is not None and failed.status == "failed" and failed.stored_path is None
    assert db.session.scalar(select(func.count()).where(InMailStat.organisation_id == other.id)) == 0
    assert count(InMailStat) == 3  # the first organisation's rows only


def test_a_raw_copy_is_kept_under_its_own_name_or_discarded_whatever_stage_it_reached(tmp_path: Path) -> None:
    source = tmp_path / "tracker.csv"
    source.write_bytes(b"campaign_ref,candidate_ref\nC-1,someone@example.org\n")
    target = tmp_path / "uploads" / "7" / "12-0123456789abcdef"
    copy = RawCopy(source, target)
    assert copy.keep() == str(target) and target.read_bytes() == source.read_bytes()
    assert not partial_path(target).exists()
    copy.discard()  # the import failed after the copy was kept (its commit, say): nothing is left
    assert not target.exists()
    missing = RawCopy(tmp_path / "gone.csv", target)
    with pytest.raises(FileNotFoundError):
        missing.keep()
    missing.discard()
    assert list(target.parent.iterdir()) == []


def test_bulk_writer_stores_values_as_the_orm_would(ctx: Flask) -> None:
    organisation = make_organisation()
    campaign = make_campaign(organisation, "C-1")
    upload = Upload(organisation_id=organisation.id, file_name="x", sha256="0" * 64)
    db.session.add(upload)
    db.session.commit()
    writer = BulkWriter(
        db.session,
        PageStat.__table__,
        ("organisation_id", "campaign_id", "upload_id", "kind", "date", "metrics", "label"),
        batch=2,
    )  # type: ignore[arg-type]
    writer.add_columns(
        [
            [organisation.id] * 3,
            [campaign.id, None, campaign.id],
            [upload.id] * 3,
            ["content", "post", "followers"],
            [dt.date(2025, 10, 6), None, dt.date(2025, 10, 8)],
            [{"impressions": 1.5}, {}, {"total_followers": 3.0}],
            ["Zoë’s post", None, "x" * 500],
        ]
    )
    writer.finish()
    db.session.commit()
    rows = list(db.session.scalars(select(PageStat).order_by(PageStat.id)))
    assert [(r.kind, r.date, r.metrics, r.label) for r in rows] == [
        ("content", dt.date(2025, 10, 6), {"impressions": 1.5}, "Zoë’s post"),
        ("post", None, {}, None),
        ("followers", dt.date(2025, 10, 8), {"total_followers": 3.0}, "x" * 500),
    ]
    assert rows[1].campaign_id is None and writer.written == 3


def test_the_pseudonymiser_is_hmac_sha256_of_the_normalised_identifier() -> None:
    import hmac

    from app.security import _derived_key, make_pseudonymiser, normalise_identifier

    pseudonymise = make_pseudonymiser("a secret")
    key = _derived_key("a secret", "candidate")
    for value in ["Jane Doe", "  jane   DOE ", "https://uk.linkedin.com/in/Jane-Doe/", "Zoë\u00a0Brontë", "x@y.org"]:
        expected = hmac.digest(key, normalise_identifier(value).encode("utf-8"), "sha256").hex()[:32]
        assert pseudonymise(value) == expected
    assert pseudonymise("Jane Doe") == pseudonymise("  jane   DOE ")
    assert normalise_identifier("https://www.linkedin.com/in/Jane-Doe?trk=x") == "linkedin:jane-doe"


# Pieces of identifiers: plain ones, with letters that NFKC composes or expands and letters whose case folding
# differs from lower case, and odd ones that send a column down the value-by-value path (odd spaces, a fullwidth
# solidus, a profile URL). Columns of plain pieces alone are common, so the column-at-once path is tried often.
_PLAIN_PIECES = [*"abcXYZ019 @.-_<>", "\xeb", "e\u0301", "\ufb01", "\u0130", "\xdf", "\u03a3"]
_ODD_PIECES = ["/", "\xa0", "\t", "\r", "\n", "\u3000", "\uff0f", "\u2028", "https://uk.linkedin.com/in/"]
_PLAIN_TEXT = st.lists(st.sampled_from(_PLAIN_PIECES), max_size=12).map("".join)
_IDENTIFIER_TEXT = st.lists(st.sampled_from(_PLAIN_PIECES + _ODD_PIECES), max_size=12).map("".join)
_PROFILE_URL = _PLAIN_TEXT.map("https://uk.linkedin.com/in/".__add__)


@given(
    st.lists(_PLAIN_TEXT, max_size=30)
    | st.lists(_PLAIN_TEXT | _PROFILE_URL, max_size=30)
    | st.lists(_IDENTIFIER_TEXT, max_size=30)
)
@settings(max_examples=300, deadline=None)
def test_a_column_pseudonymised_at_once_gets_what_each_value_would(values: list[str]) -> None:
    from app.security import make_pseudonymiser

    pseudonymise = make_pseudonymiser("a secret")
    assert pseudonymise.many(values) == [pseudonymise(value) for value in values]


def test_the_column_at_once_normalises_plain_names_once_and_anything_else_value_by_value() -> None:
    from app.security import Pseudonymiser

    class Counting(Pseudonymiser):
        calls = 0

        def __call__(self, value: str) -> str:
            Counting.calls += 1
            return super().__call__(value)

    pseudonymise = Counting("a secret")
    names = ["Zoë Brontë", "José García <1@example.org>", "SIÂN Ó SÚILLEABHÁIN", "Łukasz Nowak"] * 50
    hashed = pseudonymise.many(names)
    assert Counting.calls == 0
    assert hashed == [pseudonymise(name) for name in names]
    assert pseudonymise.many(["Zoë Brontë"]) == [pseudonymise("  zoë   BRONTË ")]
    Counting.calls = 0
    pseudonymise.many(["Jane Doe", "https://www.linkedin.com/in/jane-doe/"])  # a profile URL: one by one
    assert Counting.calls == 2


def test_a_large_csv_read_in_a_second_process_stores_the_same_rows(ctx: Flask, tmp_path: Path) -> None:
    from tests.importers.test_parallel import candidates_file

    organisation = make_organisation()
    for ref in ("C-0", "C-1"):  # C-2 is unknown: its rows are refused while storing, in this process
        make_campaign(organisation, ref)
    path = candidates_file(tmp_path / "candidates.csv", 3_000)
    here = imports.import_file(organisation, path, "candidates.csv").report
    stored_here = sorted(db.session.execute(select(Candidate.source_row, Candidate.candidate_key)).all())
    for upload in db.session.scalars(select(Upload)):
        imports.uploads_dao.delete_records_of([upload.id])
        db.session.delete(upload)
    db.session.commit()
    ctx.config["SCRUTINEER_PARALLEL_IMPORT_BYTES"] = 1  # every CSV, on SQLite (PostgreSQL reads in-process)
    there = imports.import_file(organisation, path, "candidates.csv").report
    stored_there = sorted(db.session.execute(select(Candidate.source_row, Candidate.candidate_key)).all())
    assert stored_there == stored_here and len(stored_here) == there.rows_stored > 1_800
    assert there.as_dict() == here.as_dict()
    assert any(p.value == "C-2" for p in there.problems)  # the problems found while storing are kept too


def test_the_bulk_writer_writes_times_as_the_orm_does(ctx: Flask) -> None:
    from sqlalchemy import text

    from app.models import Outreach

    organisation = make_organisation()
    campaign = make_campaign(organisation, "C-1")
    upload = Upload(organisation_id=organisation.id, file_name="x", sha256="0" * 64)
    db.session.add(upload)
    db.session.flush()
    sent = dt.datetime(2026, 3, 4, 5, 6, 7)
    db.session.add(
        Outreach(organisation_id=organisation.id, campaign_id=campaign.id, upload_id=upload.id, sent_at=sent)
    )
    db.session.flush()
    writer = BulkWriter(db.session, Outreach.__table__, ("organisation_id", "campaign_id", "upload_id", "sent_at"))  # type: ignore[arg-type]
    writer.add((organisation.id, campaign.id, upload.id, sent))
    writer.finish()
    db.session.commit()
    raw = list(db.session.execute(text("SELECT sent_at FROM outreach ORDER BY id")).scalars())
    assert raw[0] == raw[1]  # the same text on SQLite (so comparisons in SQL agree), the same timestamp on PostgreSQL

"""The upload journey: files are previewed and nothing is stored until Import; then each file is imported by a job
whose progress page leads to what was imported."""

from __future__ import annotations

import errno
import io
import os
import re
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from app.models import Campaign, Candidate, Upload
from tests.app.web import csrf_token, every, first, sign_in
from tests.factories import write_tracker
from tests.pages import check_page

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "adverts"


def _upload(client: FlaskClient, files: list[tuple[bytes, str]], campaign: str = "") -> object:
    return client.post(
        "/uploads/new",
        data={
            "csrf_token": csrf_token(client, "/uploads/new"),
            "campaign": campaign,
            "files": [(io.BytesIO(content), name) for content, name in files],
        },
        content_type="multipart/form-data",
    )


def _count(app: Flask, model: type) -> int:
    return first(app, select(func.count()).select_from(model))


def _pending_batches(app: Flask) -> list[Path]:
    """The folders of batches waiting to be imported, in every organisation."""
    return [path for path in (Path(app.config["SCRUTINEER_UPLOAD_DIR"]) / "pending").glob("*/*") if path.is_dir()]


def _tracker(tmp_path: Path, ref: str = "NCC-2026-009", agency: str = "Harbour Search Partners") -> bytes:
    path = write_tracker(
        tmp_path / "tracker.xlsx",
        campaigns=[[ref, "Northshire County Council", "local_authority", "Director of Place", 120000, "£130,000",
                    agency, "12/03/2026", "20/03/2026", ""]],
        candidates=[[ref, f"Person {i}", "LinkedIn InMail", "wizard" if i == 3 else "longlisted",
                     "F" if i % 2 else "M", "White", "No", "10/02/2026"] for i in range(8)],
    )  # fmt: skip
    return path.read_bytes()


def test_upload_preview_then_import(demo_app: Flask, client: FlaskClient, tmp_path: Path) -> None:
    sign_in(client, "auditor@demo.example")
    check_page(client.get("/uploads/new").get_data(as_text=True), "/uploads/new")
    uploads_before, candidates_before = _count(demo_app, Upload), _count(demo_app, Candidate)

    response = _upload(client, [(_tracker(tmp_path), "tracker.xlsx")])
    assert response.status_code == 302
    preview = client.get(response.headers["Location"])
    html = preview.get_data(as_text=True)
    soup = check_page(html, "preview")
    assert "Scrutineer agency campaign template" in html
    assert "Candidates: the first 5 of 7" in html and "Director of Place" in html
    assert "wizard" in html and "is not one of" in html  # the problem in row 6 is shown before anything is stored
    assert "Person 1" not in html  # candidate names never appear: they are pseudonymised as they are read
    assert _count(demo_app, Upload) == uploads_before and _count(demo_app, Candidate) == candidates_before
    assert first(demo_app, select(Campaign).where(Campaign.ref == "NCC-2026-009")) is None

    form = soup.find("form", action=re.compile(r"/import$"))
    job_page = client.post(form["action"], data={"csrf_token": csrf_token(client, "/uploads/new")})
    assert job_page.status_code == 302 and "/jobs/JOB-" in job_page.headers["Location"]
    page = client.get(job_page.headers["Location"])
    html = page.get_data(as_text=True)
    check_page(html, "job")
    assert "Finished" in html and "9 rows read, 8 records stored, 1 row left out" in html
    upload_link = re.search(r'href="(/uploads/\d+)"', html).group(1)
    detail = client.get(upload_link).get_data(as_text=True)
    check_page(detail, upload_link)
    assert "tracker.xlsx" in detail and "wizard" in detail and "Imported" in detail
    assert first(demo_app, select(Campaign).where(Campaign.ref == "NCC-2026-009")) is not None
    assert _count(demo_app, Candidate) == candidates_before + 7
    # The same batch cannot be imported twice.
    again = client.post(form["action"], data={"csrf_token": csrf_token(client, "/uploads/new")})
    assert again.status_code == 302 and "/uploads/batches/" in again.headers["Location"]
    assert "already being imported" in client.get(again.headers["Location"]).get_data(as_text=True)


def test_several_files_at_once_with_an_unknown_layout(demo_app: Flask, client: FlaskClient, tmp_path: Path) -> None:
    sign_in(client, "auditor@demo.example")
    odd = b"Name,Favourite colour,Shoe size\nAda,red,9\nBob,blue,7\n"
    response = _upload(client, [(_tracker(tmp_path), "tracker.xlsx"), (odd, "colours.csv")])
    html = client.get(response.headers["Location"]).get_data(as_text=True)
    check_page(html, "preview with an unknown layout")
    assert "Scrutineer cannot read this file" in html and "a layout Scrutineer does not know" in html
    assert "The file can be imported; the rest will be discarded" in html
    batch_id = response.headers["Location"].rsplit("/", 1)[-1]
    started = client.post(f"/uploads/batches/{batch_id}/import", data={"csrf_token": csrf_token(client, "/sign-out")})
    assert "/jobs/JOB-" in started.headers["Location"]  # one file to import: straight to its progress page
    assert [u.file_name for u in every(demo_app, select(Upload).where(Upload.file_name == "colours.csv"))] == []


def test_several_importable_files_lead_to_the_list_of_their_jobs(demo_app: Flask, client: FlaskClient) -> None:
    sign_in(client, "auditor@demo.example")
    campaign = first(demo_app, select(Campaign).where(Campaign.ref == "NCC-2026-002"))
    advert = (FIXTURES / "plain-advert.txt").read_bytes()
    page = (FIXTURES / "nhs-style-jsonld.html").read_bytes()
    response = _upload(client, [(advert, "advert.txt"), (page, "advert.html")], campaign=str(campaign.id))
    preview = client.get(response.headers["Location"]).get_data(as_text=True)
    check_page(preview, "preview of adverts")
    assert "for campaign NCC-2026-002" in preview and "Adverts: the first 1 of 1" in preview
    batch_id = response.headers["Location"].rsplit("/", 1)[-1]
    started = client.post(f"/uploads/batches/{batch_id}/import", data={"csrf_token": csrf_token(client, "/sign-out")})
    assert started.headers["Location"].startswith("/jobs/?show=JOB-")
    listing = client.get(started.headers["Location"]).get_data(as_text=True)
    check_page(listing, "jobs list")
    assert "Imports you started" in listing and listing.count("See what was imported") == 2
    campaign_page = client.get(f"/campaigns/{campaign.id}").get_data(as_text=True)
    assert "advert.txt" in campaign_page and "advert.html" in campaign_page


def test_an_advert_needs_a_campaign(demo_app: Flask, client: FlaskClient) -> None:
    sign_in(client, "auditor@demo.example")
    response = _upload(client, [((FIXTURES / "plain-advert.txt").read_bytes(), "advert.txt")])
    html = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "an advert must belong to a campaign" in html and "None of these files can be imported" in html


def test_a_recruiter_cannot_import_another_agencys_campaigns(
    demo_app: Flask, client: FlaskClient, tmp_path: Path
) -> None:
    sign_in(client, "recruiter@demo.example")
    response = _upload(client, [(_tracker(tmp_path, "NCC-2026-003", "Fenwick Talent"), "theirs.xlsx")])
    html = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "campaigns of other agencies (NCC-2026-003)" in html and "None of these files can be imported" in html
    response = _upload(client, [(_tracker(tmp_path, "NCC-2026-010"), "ours.xlsx")])
    html = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Import the file" in html


def test_a_batch_is_its_uploaders_alone(demo_app: Flask, client: FlaskClient, tmp_path: Path) -> None:
    sign_in(client, "auditor@demo.example")
    location = _upload(client, [(_tracker(tmp_path), "tracker.xlsx")]).headers["Location"]
    other = demo_app.test_client()
    sign_in(other, "admin@demo.example")
    assert other.get(location).status_code == 404
    assert other.post(location + "/import", data={"csrf_token": csrf_token(other, "/sign-out")}).status_code == 404
    assert client.get("/uploads/batches/not-a-batch").status_code == 404


def test_discarding_a_batch_removes_its_files(demo_app: Flask, client: FlaskClient, tmp_path: Path) -> None:
    sign_in(client, "auditor@demo.example")
    location = _upload(client, [(_tracker(tmp_path), "tracker.xlsx")]).headers["Location"]
    batch_id = location.rsplit("/", 1)[-1]
    folders = list((Path(demo_app.config["SCRUTINEER_UPLOAD_DIR"]) / "pending").glob(f"*/{batch_id}"))
    assert len(folders) == 1 and any(path.name.endswith("tracker.xlsx") for path in folders[0].iterdir())
    response = client.post(location + "/discard", data={"csrf_token": csrf_token(client, "/sign-out")})
    assert response.status_code == 302 and response.headers["Location"] == "/uploads/new"
    assert client.get(location).status_code == 404
    assert not folders[0].exists()


def test_choosing_no_file_shows_an_error_linked_to_the_field(demo_app: Flask, client: FlaskClient) -> None:
    sign_in(client, "auditor@demo.example")
    response = client.post(
        "/uploads/new", data={"csrf_token": csrf_token(client, "/uploads/new")}, content_type="multipart/form-data"
    )
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    check_page(html, "/uploads/new (error)")
    assert 'href="#files"' in html and "Choose one or more files to upload" in html


def test_too_large_a_request_gets_the_413_page(demo_app: Flask, client: FlaskClient) -> None:
    sign_in(client, "auditor@demo.example")
    token = csrf_token(client, "/uploads/new")
    demo_app.config["MAX_CONTENT_LENGTH"] = 300 * 1024
    response = client.post(
        "/uploads/new",
        data={"csrf_token": token, "files": [(io.BytesIO(b"x" * 400_000), "big.csv")]},
        content_type="multipart/form-data",
    )
    assert response.status_code == 413
    html = response.get_data(as_text=True)
    check_page(html, "413")
    assert "The file is too large" in html and "Traceback" not in html
    assert "Scrutineer takes up to 0.3 MB in one upload" in html  # the limit the server applies, not a fixed one


def test_an_ats_export_with_the_templates_column_names_is_offered_a_column_mapping(
    demo_app: Flask, client: FlaskClient
) -> None:
    sign_in(client, "auditor@demo.example")
    export = (FIXTURES.parent / "ats" / "greenhouse-candidates.csv").read_bytes()
    response = _upload(client, [(export, "greenhouse-candidates.csv")])
    assert response.status_code == 302
    html = client.get(response.headers["Location"]).get_data(as_text=True)
    check_page(html, "preview")
    assert "Match the columns" in html
    # the page says what showed it, without the command-line advice the same refusal gives in a terminal
    assert "its columns look like the template&#39;s, but 5 of its first 5 rows have values the template" in html
    assert "flask mapping" not in html
    assert "those rows will be left out" not in html  # not read as the template with every row refused


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs Linux's /dev/full")
def _upload_meets_a_server_fault(demo_app: Flask, client: FlaskClient, tmp_path: Path) -> str:
    """Upload a tracker while the server is failing; check the user got the server-fault page and nothing was kept
    (no upload, and the saved files of the batch gone: the person is asked to send them again). Returns the page."""
    sign_in(client, "auditor@demo.example")
    uploads_before = _count(demo_app, Upload)
    response = _upload(client, [(_tracker(tmp_path), "tracker.xlsx")])
    html = response.get_data(as_text=True)
    assert response.status_code == 500
    check_page(html, "server fault")
    assert "Try again later" in html and "Traceback" not in html and "Excel" not in html
    assert _count(demo_app, Upload) == uploads_before
    assert _pending_batches(demo_app) == []
    return html


def test_a_full_temporary_folder_is_the_servers_fault_not_the_files(
    demo_app: Flask, client: FlaskClient, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The workbook is read in a child process that hands its rows over through a temporary file: when that file
    cannot be written, the user gets the page for a fault of the server (try again later), not a verdict on the
    file, and nothing is kept."""
    import importers.tabular

    rows_file = tmp_path / "rows.bin"
    rows_file.symlink_to("/dev/full")  # every write to it fails with ENOSPC, as a full disk does
    monkeypatch.setattr(
        importers.tabular.tempfile, "mkstemp", lambda **_: (os.open(os.devnull, os.O_RDONLY), str(rows_file))
    )
    html = _upload_meets_a_server_fault(demo_app, client, tmp_path)
    assert "ENOSPC" not in html and "damaged" not in html


def test_a_failed_read_of_the_saved_upload_is_the_servers_fault_not_the_files(
    demo_app: Flask, client: FlaskClient, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The disk fails while the preview reads the rows of an upload that was saved on it: the page says to try
    again later, not that the file may be damaged, and the saved files of the batch are deleted."""
    from app.services import previews

    real_read = previews.importers.read

    def read_then_fail(path: Path, name: str, options: object = None) -> object:
        report, records = real_read(path, name, options)

        def rows() -> object:
            yield next(records)
            raise OSError(errno.EIO, "Input/output error")

        return report, rows()

    monkeypatch.setattr(previews.importers, "read", read_then_fail)
    html = _upload_meets_a_server_fault(demo_app, client, tmp_path)
    assert "Input/output" not in html and "could not read this file" not in html


@pytest.mark.parametrize("email", ["auditor@demo.example", "recruiter@demo.example"])
def test_the_list_of_files_comes_a_page_at_a_time(
    demo_app: Flask, client: FlaskClient, monkeypatch: pytest.MonkeyPatch, email: str
) -> None:
    """Every file someone may see can be reached from the list, however many there are, newest first."""
    import app.uploads
    from app.authz import recruiter_agency_id
    from app.dao import uploads as uploads_dao
    from app.models import Membership, User

    with demo_app.app_context():
        from app.extensions import db

        membership = db.session.scalars(select(Membership).join(User).where(User.email == email)).one()
        recruiter = membership.role == "recruiter"
        visible = [
            upload.id
            for upload in uploads_dao.recent_uploads(
                membership.organisation_id,
                recruiter_agency_id=recruiter_agency_id(membership),
                recruiter_id=membership.user_id if recruiter else None,
                limit=10_000,
            )
        ]
    assert len(visible) >= 2
    monkeypatch.setattr(app.uploads, "UPLOADS_PER_PAGE", 1)
    sign_in(client, email)
    seen = []
    path: str | None = "/uploads/"
    while path is not None:
        html = client.get(path).get_data(as_text=True)
        check_page(html, path)
        seen += [int(n) for n in re.findall(r'href="/uploads/(\d+)"', html)]
        assert f"of {len(visible)}, newest first." in html
        found = re.search(r'<a class="govuk-link govuk-pagination__link" href="([^"]+)" rel="next">', html)
        path = found.group(1) if found else None
    assert seen == visible

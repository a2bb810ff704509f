"""The column-mapping page: a file in a layout Scrutineer does not know is matched to the template column by column,
the mapping is saved for the agency, the file is previewed through it and imported with it; the next file with the
same columns from that agency is read with the saved mapping without asking."""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Any

from bs4 import BeautifulSoup
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from app.models import Agency, Campaign, Candidate, ColumnMapping, Job
from tests.app.web import csrf_token, every, first, sign_in
from tests.factories import write_tracker
from tests.pages import check_page

HEADER = "Applicant,Email,Job,Job ID,Stage,Status,Source,Applied,Gender,Disability\n"
ROWS = [
    "Jane Doe,jane.doe@example.org,Chief Executive,NCC-2026-002,Face to Face,active,LinkedIn (Prospecting),07/01/2026,"
    "Female,No",
    "Sam Smith,sam.smith@example.org,Chief Executive,NCC-2026-002,Phone Screen,active,Referral,08/01/2026,Male,No",
    "Ali Khan,ali.khan@example.org,Chief Executive,NCC-2026-002,Offer,active,Referral,09/01/2026,Male,Yes",
    "Jo Bloggs,jo.bloggs@example.org,Chief Executive,NCC-2026-002,Application Review,rejected,LinkedIn (Ad Posting),"
    "10/01/2026,Decline to Self Identify,No",
    "Kim Lee,kim.lee@example.org,Chief Executive,NCC-2026-002,Phone Screen,active,Jobs page on your website,"
    "11/01/2026,Female,No",
]
# An applicant-tracking export, Greenhouse-like: its own column names and its own stage, source and gender codes.
ATS_EXPORT = (HEADER + "\n".join(ROWS) + "\n").encode("utf-8")
MEANINGS = {
    "Face to Face": "interviewed",
    "Phone Screen": "responded",
    "Application Review": "responded",
    "LinkedIn (Prospecting)": "linkedin_search",
    "LinkedIn (Ad Posting)": "linkedin_job_ad",
    "Jobs page on your website": "advert_other",
    "Decline to Self Identify": "not-recorded",
}


def _upload(client: FlaskClient, content: bytes, name: str = "applicants.csv", campaign: str = "") -> str:
    response = client.post(
        "/uploads/new",
        data={
            "csrf_token": csrf_token(client, "/uploads/new"),
            "campaign": campaign,
            "files": [(io.BytesIO(content), name)],
        },
        content_type="multipart/form-data",
    )
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    return response.headers["Location"]


def _mapping_link(client: FlaskClient, batch: str) -> str:
    html = client.get(batch).get_data(as_text=True)
    check_page(html, batch)
    found = re.search(r'href="([^"]+/files/\d+/columns)"', html)
    assert found, "no link to the mapping page"
    return found.group(1)


def _answers(html: str) -> dict[str, str]:
    """What the mapping form would post as it stands: each select's chosen value."""
    form = BeautifulSoup(html, "html.parser").find("form", method="post")
    answers = {}
    for field in form.find_all("select"):
        chosen = field.find("option", selected=True)
        answers[field["name"]] = chosen["value"] if chosen else ""
    return answers


def _meanings(html: str, **agency: str) -> dict[str, str]:
    """The page's proposals, with a meaning for each value Scrutineer could not place."""
    soup = BeautifulSoup(html, "html.parser")
    answers = _answers(html)
    for field in soup.select("select[name^=value-]"):
        label = soup.find("label", attrs={"for": field["id"]}).get_text(strip=True)
        answers[field["name"]] = MEANINGS[label]
    answers.update(agency)
    return answers


def _post(client: FlaskClient, path: str, answers: dict[str, str]) -> Any:
    return client.post(path, data={"csrf_token": csrf_token(client, "/sign-out"), **answers})


def _agency_id(app: Flask, name: str) -> str:
    return str(first(app, select(Agency.id).where(Agency.name == name)))


def _map(client: FlaskClient, app: Flask, content: bytes = ATS_EXPORT, agency: str = "Harbour Search Partners") -> str:
    """Upload a file and confirm the suggested mapping with meanings for its codes; returns the batch page's path."""
    batch = _upload(client, content)
    link = _mapping_link(client, batch)
    html = client.get(link).get_data(as_text=True)
    response = _post(client, link, _meanings(html, agency=_agency_id(app, agency)))
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    return batch


def test_an_ats_export_is_mapped_previewed_and_imported(demo_app: Flask, client: FlaskClient) -> None:
    sign_in(client, "auditor@demo.example")
    batch = _upload(client, ATS_EXPORT)
    html = client.get(batch).get_data(as_text=True)
    assert "a layout Scrutineer does not know" in html and "None of these files can be imported yet" in html
    link = _mapping_link(client, batch)

    page = client.get(link)
    html = page.get_data(as_text=True)
    soup = check_page(html, link)
    assert page.status_code == 200 and "Match the columns" in soup.h1.get_text()
    # Candidate identifiers are shown here, escaped, so the person can recognise the columns.
    assert "jane.doe@example.org" in html and "Jane Doe" in html
    suggestion = soup.find(id="column-1-suggestion").get_text(" ", strip=True)
    assert "Candidate reference" in suggestion and "100% sure" in suggestion and "e-mail addresses" in suggestion
    answers = _answers(html)
    assert answers["column-1"] == "candidate_ref" and answers["column-3"] == "campaign_ref"
    assert answers["column-4"] == "stage_reached" and answers["column-5"] == ""
    labels = [label.get_text(strip=True) for label in soup.select("form[method=post] label")]
    assert {"Face to Face", "Phone Screen", "LinkedIn (Prospecting)", "Decline to Self Identify"} <= set(labels)
    assert "Which agency's layout is this?" in labels  # an auditor's upload names no campaign: the agency is asked

    # Nothing chosen for the codes, and no agency: each error is linked to its field.
    refused = _post(client, link, answers)
    assert refused.status_code == 400
    soup = check_page(refused.get_data(as_text=True), link + " (errors)")
    targets = [a["href"] for a in soup.select(".govuk-error-summary__list a")]
    assert "#agency" in targets and any(t.startswith("#value-stage_reached-") for t in targets)
    assert "Choose what “Phone Screen” means as stage reached" in soup.get_text()

    confirmed = _post(client, link, _meanings(html, agency=_agency_id(demo_app, "Harbour Search Partners")))
    assert confirmed.status_code == 302 and confirmed.headers["Location"].endswith("#file-1")
    preview = client.get(batch).get_data(as_text=True)
    check_page(preview, batch + " (mapped)")
    assert "The column mapping was saved" in preview and "Candidates: the first 5 of 5" in preview
    assert "you confirmed, saved for Harbour Search Partners" in preview and "Review" in preview
    assert "jane.doe" not in preview and "Jane Doe" not in preview  # read as they will be stored: pseudonymised
    assert "Import the file" in preview
    manifest = next((Path(demo_app.config["SCRUTINEER_UPLOAD_DIR"]) / "pending").glob("*/*/batch.json"))
    assert "jane.doe" not in manifest.read_text() and "Jane Doe" not in manifest.read_text()

    [saved] = every(demo_app, select(ColumnMapping))
    assert saved.table_name == "candidates" and saved.mapping["columns"]["Email"] == "candidate_ref"
    assert saved.mapping["columns"]["Status"] is None
    assert saved.mapping["values"]["stage_reached"]["Phone Screen"] == "responded"
    assert saved.mapping["values"]["sex"] == {"Decline to Self Identify": ""}
    assert first(demo_app, select(Agency.name).where(Agency.id == saved.agency_id)) == "Harbour Search Partners"

    campaign = first(demo_app, select(Campaign).where(Campaign.ref == "NCC-2026-002"))
    before = {c.id for c in every(demo_app, select(Candidate).where(Candidate.campaign_id == campaign.id))}
    started = _post(client, batch + "/import", {})
    assert "/jobs/JOB-" in started.headers["Location"]
    job_page = client.get(started.headers["Location"]).get_data(as_text=True)
    assert "Finished" in job_page and "5 records stored" in job_page
    job = first(demo_app, select(Job).order_by(Job.id.desc()))
    assert job.params["mapping"]["tables"]["candidates"]["columns"]["Email"] == "candidate_ref"
    assert job.params["agency_name"] == "Harbour Search Partners"
    added = [
        c for c in every(demo_app, select(Candidate).where(Candidate.campaign_id == campaign.id)) if c.id not in before
    ]
    assert sorted(c.stage_reached for c in added) == ["interviewed", "offered", "responded", "responded", "responded"]
    assert sorted(c.source for c in added) == [
        "advert_other",
        "linkedin_job_ad",
        "linkedin_search",
        "referral",
        "referral",
    ]
    assert [c.sex for c in added].count(None) == 1
    assert all("@" not in c.candidate_key and "Doe" not in c.candidate_key for c in added)


def test_the_next_file_from_the_same_agency_is_read_with_the_saved_mapping(
    demo_app: Flask, client: FlaskClient
) -> None:
    sign_in(client, "auditor@demo.example")
    _map(client, demo_app)
    later = (HEADER + "\n".join(row.replace("@example.org", "@example.net") for row in reversed(ROWS)) + "\n").encode()
    batch = _upload(client, later, "applicants-week-2.csv")
    html = client.get(batch).get_data(as_text=True)
    soup = check_page(html, batch)
    assert "found the column mapping saved for Harbour Search Partners on" in html
    assert "Candidates: the first 5 of 5" in html and "Import the file" in html and "Match the columns" not in html
    review = soup.find("a", href=re.compile(r"/columns$"))
    assert review.get_text(" ", strip=True) == "Review the column mapping of applicants-week-2.csv"
    page = client.get(review["href"]).get_data(as_text=True)
    check_page(page, review["href"])
    answers = _answers(page)  # the saved choices, not the suggestion
    assert answers["column-1"] == "candidate_ref" and answers["column-5"] == ""
    assert "responded" in answers.values() and "not-recorded" in answers.values()
    assert answers["agency"] == _agency_id(demo_app, "Harbour Search Partners")

    started = _post(client, batch + "/import", {})
    job_page = client.get(started.headers["Location"]).get_data(as_text=True)
    assert "Finished" in job_page and "5 records stored" in job_page
    assert len(every(demo_app, select(ColumnMapping))) == 1  # the same mapping, not a second one


def test_a_recruiter_maps_files_for_its_own_agency_only(demo_app: Flask, client: FlaskClient) -> None:
    # An auditor saved this layout for another agency: the recruiter's upload does not use it.
    auditor = demo_app.test_client()
    sign_in(auditor, "auditor@demo.example")
    _map(auditor, demo_app, agency="Fenwick Talent")

    sign_in(client, "recruiter@demo.example")
    campaign = first(demo_app, select(Campaign).where(Campaign.ref == "NCC-2026-002"))
    without_refs = "\n".join(",".join(line.split(",")[:3] + line.split(",")[4:]) for line in [HEADER.strip(), *ROWS])
    batch = _upload(client, (without_refs + "\n").encode(), campaign=str(campaign.id))
    link = _mapping_link(client, batch)
    html = client.get(link).get_data(as_text=True)
    soup = check_page(html, link)
    assert "saved for Harbour Search Partners, your agency" in html and not soup.find(
        "select", attrs={"name": "agency"}
    )
    assert "Every row needs a column for candidate reference (candidate_ref)." in soup.get_text(" ")
    assert "belong to campaign NCC-2026-002" in html  # no column for the campaign: the upload's campaign is used
    answers = _meanings(html, agency=_agency_id(demo_app, "Fenwick Talent"))  # a posted agency is ignored
    assert _post(client, link, answers).status_code == 302
    owners = {
        first(demo_app, select(Agency.name).where(Agency.id == m.agency_id))
        for m in every(demo_app, select(ColumnMapping))
    }
    assert owners == {"Fenwick Talent", "Harbour Search Partners"}
    started = _post(client, batch + "/import", {})
    assert "5 records stored" in client.get(started.headers["Location"]).get_data(as_text=True)


def test_required_fields_must_each_come_from_one_column(demo_app: Flask, client: FlaskClient) -> None:
    sign_in(client, "auditor@demo.example")
    link = _mapping_link(client, _upload(client, ATS_EXPORT))
    html = client.get(link).get_data(as_text=True)
    answers = _meanings(html, agency=_agency_id(demo_app, "Harbour Search Partners"))
    answers.update({"column-0": "candidate_ref", "column-1": "candidate_ref", "column-3": "", "column-2": "shoe_size"})
    response = _post(client, link, answers)
    assert response.status_code == 400
    soup = check_page(response.get_data(as_text=True), link + " (errors)")
    errors = {a["href"]: a.get_text(strip=True) for a in soup.select(".govuk-error-summary__list a")}
    assert errors["#column-1"].startswith("“Applicant” is already Candidate reference")
    assert errors["#column-2"] == "Choose one of the fields listed for “Job”"
    assert (
        errors["#column-3"] == "Choose the column that holds the campaign reference (campaign_ref): every row needs one"
    )
    assert soup.title.get_text().startswith("Error:")
    assert every(demo_app, select(ColumnMapping)) == []


def test_the_page_asks_what_the_file_holds_when_unsure(demo_app: Flask, client: FlaskClient) -> None:
    sign_in(client, "auditor@demo.example")
    odd = b"Name,Favourite colour,Shoe size\nAda,red,9\n<script>alert(1)</script>,blue,7\n"
    link = _mapping_link(client, _upload(client, odd))
    html = client.get(link).get_data(as_text=True)
    check_page(html, link)
    assert "Scrutineer is not sure what this file holds" in html
    assert "<script>alert" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html  # values are escaped
    outreach = client.get(link + "?table=outreach").get_data(as_text=True)
    check_page(outreach, link + "?table=outreach")
    assert "not sure" not in outreach and 'value="sent_at">Sent at<' in outreach and "stage_reached" not in outreach
    assert 'value="stage_reached">Stage reached<' in client.get(link + "?table=nonsense").get_data(as_text=True)


def test_a_file_the_mapping_cannot_read_is_said_so_on_the_page(
    demo_app: Flask, client: FlaskClient, monkeypatch: Any
) -> None:
    from app.services import previews

    def unreadable(*args: Any) -> tuple[Any, None]:
        return previews.FilePreview(1, "applicants.csv", "1-applicants.csv", 1, error="the file changed"), None

    sign_in(client, "auditor@demo.example")
    link = _mapping_link(client, _upload(client, ATS_EXPORT))
    monkeypatch.setattr(previews, "preview_with_mapping", unreadable)
    answers = _meanings(client.get(link).get_data(as_text=True), agency=_agency_id(demo_app, "Fenwick Talent"))
    response = _post(client, link, answers)
    assert response.status_code == 400
    soup = check_page(response.get_data(as_text=True), link + " (unreadable)")
    summary = soup.select_one(".govuk-error-summary").get_text(" ", strip=True)
    assert "Scrutineer could not read the file with these choices: the file changed" in summary
    assert every(demo_app, select(ColumnMapping)) == []  # nothing saved


def test_a_workbook_sheet_can_be_chosen(demo_app: Flask, client: FlaskClient, tmp_path: Path) -> None:
    from openpyxl import Workbook

    book = Workbook()
    jobs = book.active
    jobs.title = "Jobs"
    jobs.append(["Job ID", "Title", "Closes"])
    jobs.append(["NCC-2026-002", "Chief Executive", "01/02/2026"])
    applicants = book.create_sheet("Applicants")
    for line in [HEADER, *ROWS]:
        applicants.append(line.strip().split(","))
    book.save(tmp_path / "export.xlsx")
    sign_in(client, "auditor@demo.example")
    link = _mapping_link(client, _upload(client, (tmp_path / "export.xlsx").read_bytes(), "export.xlsx"))
    html = client.get(link).get_data(as_text=True)
    check_page(html, link)
    assert "The mapping reads the sheet Applicants" in html and "jane.doe@example.org" in html
    jobs_page = client.get(link + "?table=campaigns&sheet=Jobs").get_data(as_text=True)
    check_page(jobs_page, link + "?sheet=Jobs")
    assert "The mapping reads the sheet Jobs" in jobs_page and "Chief Executive" in jobs_page


def test_only_the_uploader_may_map_a_file(demo_app: Flask, client: FlaskClient, tmp_path: Path) -> None:
    sign_in(client, "auditor@demo.example")
    link = _mapping_link(client, _upload(client, ATS_EXPORT))
    for email, status in (
        ("procurement@demo.example", 403),  # procurement uploads nothing
        ("admin@demo.example", 404),  # another person's batch
        ("auditor2@demo.example", 404),  # another organisation's
    ):
        other = demo_app.test_client()
        sign_in(other, email)
        assert other.get(link).status_code == status, email
        assert _post(other, link, {"column-1": "candidate_ref"}).status_code == status, email
    assert client.get(link.replace("/files/1/", "/files/9/")).status_code == 404
    tracker = write_tracker(
        tmp_path / "tracker.xlsx",
        campaigns=[["NCC-2026-009", "Northshire County Council", "local_authority", "Director of Place", 120000,
                    "£130,000", "Harbour Search Partners", "12/03/2026", "20/03/2026", ""]],
        candidates=[],
    )  # fmt: skip
    template_batch = _upload(client, tracker.read_bytes(), "tracker.xlsx")
    assert client.get(template_batch + "/files/1/columns").status_code == 404  # a known layout needs no mapping
    batch = link.split("/files/")[0]
    assert _post(client, batch + "/discard", {}).status_code == 302
    assert client.get(link).status_code == 404


# --- the service, without the web pages --------------------------------------------------------------------------


def _membership(email: str) -> Any:
    from app.dao import organisations as organisations_dao

    user = organisations_dao.get_user_by_email(email)
    return organisations_dao.memberships_of(user)[0]


def _batch(membership: Any, content: bytes, campaign: Campaign | None = None) -> Any:
    from werkzeug.datastructures import FileStorage

    from app.services import previews

    return previews.create_batch(membership, [FileStorage(io.BytesIO(content), "applicants.csv")], campaign)


def test_suggest_confirm_save_and_reuse(demo_app: Flask) -> None:
    from app.dao import campaigns as campaigns_dao
    from app.services import mapping_pages, previews

    with demo_app.test_request_context():
        membership = _membership("auditor@demo.example")
        batch = _batch(membership, ATS_EXPORT)
        assert batch.files[0].needs_mapping and batch.files[0].error and not batch.files[0].importable
        page = mapping_pages.mapping_page(membership, batch, 1, None)
        assert page.table == "candidates" and page.sure and page.required == ["campaign_ref", "candidate_ref"]
        assert [c.header for c in page.columns][:4] == ["Applicant", "Email", "Job", "Job ID"]
        assert page.columns[1].samples == ["jane.doe@example.org", "sam.smith@example.org", "ali.khan@example.org"]
        proposed = {name: chosen for name, _label, _choices, chosen, _hint in page.selects()}
        assert {t.value for t in page.translations} == set(MEANINGS) and not page.agency and page.agencies

        # Required fields are enforced, and so is a meaning for each listed value.
        outcome = mapping_pages.confirm(membership, page, {**proposed, "column-1": ""})
        assert outcome.preview is None and "candidate reference" in outcome.errors["column-1"]
        assert all(outcome.errors.get(t.name) for t in page.translations if t.chosen is None)

        harbour = next(a for a in page.agencies if a.name == "Harbour Search Partners")
        answers = {**proposed, "agency": str(harbour.id)}
        answers.update({t.name: MEANINGS[t.value] for t in page.translations})
        outcome = mapping_pages.confirm(membership, page, answers)
        assert not outcome.errors and outcome.problem is None
        preview = outcome.preview
        assert preview.importable and preview.format == "mapped" and preview.mapping_agency == "Harbour Search Partners"
        assert preview.rows_seen == 5 and not preview.problems  # every code translated
        assert any("interviewed" in row for row in preview.samples[0].rows)  # "Face to Face", as the stage it means
        reloaded = previews.load_batch(membership, batch.id)
        assert reloaded.files[0].mapping == preview.mapping and reloaded.importable

        # The next file with the same header row, from the same agency: found and used.
        again = _batch(membership, ATS_EXPORT.replace(b"@example.org", b"@example.com"))
        assert again.files[0].importable and again.files[0].mapping == preview.mapping
        assert "saved for Harbour Search Partners" in again.files[0].mapping_note
        # ...but not for a campaign of another agency.
        fenwick = campaigns_dao.campaign_by_ref(membership.organisation_id, "NCC-2026-003")
        other = _batch(membership, ATS_EXPORT, campaign=fenwick)
        assert other.files[0].needs_mapping and other.files[0].mapping is None

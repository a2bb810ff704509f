"""Journeys in a real browser, with axe-core on every page they pass through, and the keyboard alone where it
matters. The pages no journey passes through are checked by `test_every_page_passes_axe`."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from flask import Flask
from openpyxl import load_workbook
from sqlalchemy import select

from app.extensions import db
from app.models import Job, Organisation, User
from app.services import people
from tests.app.web import sign_in as sign_in_client
from tests.browser.conftest import check_accessibility, download_prepared, sign_in, sign_out, tab_to
from tests.factories import write_tracker

pytestmark = pytest.mark.browser


def _tracker(folder: Path) -> Path:
    """A tracker for a new campaign of the recruiter's agency, with a long list of nine men and one woman."""
    return write_tracker(
        folder / "tracker.xlsx",
        campaigns=[["NCC-2026-009", "Northshire County Council", "local_authority", "Director of Place", 120000,
                    "£130,000", "Harbour Search Partners", "12/03/2026", "20/03/2026", ""]],
        candidates=[["NCC-2026-009", f"Person {i}", "LinkedIn InMail", "wizard" if i == 10 else "longlisted",
                     "F" if i == 0 else "M", "White", "No", "10/02/2026"] for i in range(11)],
    )  # fmt: skip


def _ats_export(folder: Path) -> Path:
    """An applicant-tracking export in a layout of its own, with a stage name the template does not know."""
    path = folder / "applicants.csv"
    path.write_text(
        "Applicant,Email,Job ID,Stage,Gender\n"
        "Ada Lovelace,ada@example.org,NCC-2026-002,Phone Screen,Female\n"
        "Bob Smith,bob@example.org,NCC-2026-002,Offer,Male\n",
        encoding="utf-8",
    )
    return path


def test_public_pages_are_accessible(live_server: str, page) -> None:  # type: ignore[no-untyped-def]
    for path in ("/", "/sign-in", "/accessibility-statement", "/privacy", "/cookies", "/not-a-page"):
        page.goto(live_server + path)
        check_accessibility(page)


def test_sign_in_with_the_keyboard_alone(live_server: str, page) -> None:  # type: ignore[no-untyped-def]
    page.goto(live_server + "/sign-in")
    page.keyboard.press("Tab")  # the skip link comes first
    assert page.evaluate("document.activeElement.textContent.trim()") == "Skip to main content"
    tab_to(page, "Email address")
    page.keyboard.type("auditor@demo.example")
    page.keyboard.press("Tab")
    page.keyboard.type("wrong password")
    page.keyboard.press("Enter")
    page.wait_for_selector(".govuk-error-summary")
    check_accessibility(page)
    # The error summary takes the focus; its link leads to the field.
    assert "There is a problem" in page.evaluate("document.activeElement.textContent")
    tab_to(page, "Enter a correct email address and password")
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "email"
    tab_to(page, "Password")
    page.keyboard.type("demo-password-for-tests")
    page.keyboard.press("Enter")
    page.wait_for_url("**/campaigns/")
    assert page.get_by_role("heading", level=1).text_content() == "Campaigns"


def test_upload_mapping_import_audit_triage_download(live_server: str, page, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    sign_in(page, live_server, "auditor@demo.example")
    check_accessibility(page)

    # Upload two files: what Scrutineer found is shown before anything is stored.
    page.get_by_role("link", name="Files", exact=True).click()
    check_accessibility(page)
    page.get_by_role("link", name="Upload files").click()
    check_accessibility(page)
    page.get_by_role("button", name="Upload and check").click()  # nothing chosen: the error summary says so
    page.wait_for_selector(".govuk-error-summary")
    check_accessibility(page)
    page.locator("input[type=file]").set_input_files([_tracker(tmp_path), _ats_export(tmp_path)])
    page.get_by_role("button", name="Upload and check").click()
    page.wait_for_url("**/uploads/batches/**")
    check_accessibility(page)
    main = page.locator("main").inner_text()
    assert "Candidates: the first 5 of 10" in main and "wizard" in main and "a layout Scrutineer does not know" in main

    # Match the columns of the export, with the keyboard where the page asks for corrections.
    page.get_by_role("link", name="Match the columns of applicants.csv").click()
    page.wait_for_url("**/columns")
    check_accessibility(page)
    assert page.get_by_label("Use “Email” as").input_value() == "candidate_ref"
    page.get_by_label("Which agency's layout is this?").select_option(label="Harbour Search Partners")
    tab_to(page, "Save the mapping and check the file")
    page.keyboard.press("Enter")
    page.wait_for_selector(".govuk-error-summary")
    check_accessibility(page)
    tab_to(page, "Choose what “Phone Screen” means")
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.labels[0].textContent.trim()") == "Phone Screen"
    page.keyboard.type("Responded")
    assert page.get_by_label("Phone Screen").input_value() == "responded"
    tab_to(page, "Save the mapping and check the file")
    page.keyboard.press("Enter")
    page.wait_for_url("**/uploads/batches/*")
    check_accessibility(page)
    main = page.locator("main").inner_text()
    assert "you confirmed, saved for Harbour Search Partners" in main and "Candidates: the first 2 of 2" in main

    # Import: the jobs' progress leads to what was imported.
    page.get_by_role("button", name="Import the files").click()
    page.wait_for_url("**/jobs/?show=*")
    check_accessibility(page)
    assert page.locator("main").inner_text().count("See what was imported") == 2
    page.get_by_role("row", name=re.compile("tracker.xlsx")).get_by_role("link", name=re.compile("See what")).click()
    check_accessibility(page)
    assert (
        "tracker.xlsx" in page.locator("main").inner_text()
        and "'wizard' is not one of" in page.locator("main").inner_text()
    )

    # Audit the new campaign, as a job.
    page.get_by_role("link", name="Campaigns", exact=True).click()
    page.get_by_role("link", name="NCC-2026-009").click()
    check_accessibility(page)
    page.get_by_role("button", name="Run an audit").click()
    page.wait_for_url("**/jobs/JOB-*")
    page.get_by_role("link", name="See the audit's findings").click()
    page.wait_for_url("**/audits/AUD-*")
    check_accessibility(page)
    audit_url = page.url

    # Triage: only the failures, then the long-list check with the rows it used.
    page.get_by_label("Status").select_option("fail")
    page.get_by_role("button", name="Filter findings").click()
    page.wait_for_url("**status=fail**")
    page.get_by_role("link", name=re.compile("ES-01")).click()
    check_accessibility(page)
    assert "The rows used, as Scrutineer stores them now" in page.locator("main").inner_text()
    finding_url = page.url

    page.get_by_role("button", name="Record the decision").click()
    page.wait_for_selector(".govuk-error-summary")
    check_accessibility(page)
    page.get_by_label("Change the status to Warn").check()
    page.get_by_label("Reason").fill("Two more women were approached; the agency's record is late")
    page.get_by_role("button", name="Record the decision").click()
    page.wait_for_selector(".govuk-notification-banner--success")
    check_accessibility(page)
    assert "changed from Fail" in page.locator("main").inner_text()
    sign_out(page)

    # The agency answers the finding in the page.
    sign_in(page, live_server, "recruiter@demo.example")
    page.goto(finding_url)
    page.get_by_label("Agree", exact=True).check()
    page.get_by_label("Note").fill("We will widen the search")
    page.get_by_role("button", name="Save the response").click()
    page.wait_for_selector(".govuk-notification-banner--success")
    check_accessibility(page)
    sign_out(page)

    # The workbook carries the response.
    sign_in(page, live_server, "auditor@demo.example")
    page.goto(audit_url)
    path = download_prepared(page, "Prepare the workbook (.xlsx)", tmp_path / "audit.xlsx")
    rows = {row[1]: row for row in load_workbook(path)["Findings"].iter_rows(min_row=2, values_only=True)}
    assert rows["ES-01"][9] == "Agree" and rows["ES-01"][10] == "We will widen the search"


def test_a_recruiter_fills_in_the_downloaded_template_and_uploads_it(live_server: str, page, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    sign_in(page, live_server, "recruiter@demo.example")
    page.get_by_role("link", name="Files", exact=True).click()
    page.get_by_role("link", name="The agency campaign template").click()
    check_accessibility(page)
    with page.expect_download() as download:
        page.get_by_role("link", name="Download the template as an Excel workbook").click()
    template = tmp_path / download.value.suggested_filename
    download.value.save_as(template)
    assert template.name == "scrutineer-agency-template.xlsx"

    book = load_workbook(template)
    campaigns = [cell.value for cell in book["Campaigns"][1]]
    book["Campaigns"].append(["NCC-2026-010" if name == "campaign_ref" else None for name in campaigns])
    candidates = [cell.value for cell in book["Candidates"][1]]
    values = {
        "campaign_ref": "NCC-2026-010",
        "candidate_ref": "Zoë Brontë",
        "stage_reached": "shortlisted",
        "source": "linkedin_inmail",
        "rejection_reason": "Replied to zoe@example.org: not moving this year",
    }
    book["Candidates"].append([values.get(name) for name in candidates])
    book.save(template)

    page.goto(live_server + "/uploads/new")
    page.locator("input[type=file]").set_input_files(template)
    page.get_by_role("button", name="Upload and check").click()
    page.wait_for_url("**/uploads/batches/**")
    check_accessibility(page)
    main = page.locator("main").inner_text()
    assert "Scrutineer agency campaign template" in main and "NCC-2026-010" in main
    assert "Zoë" not in main and "zoe@example.org" not in main and "[e-mail address removed]" in main
    assert "not part of the template" not in main  # the Guide and Codes sheets are read past


def test_files_too_large_for_one_upload_are_refused_before_they_are_sent(  # type: ignore[no-untyped-def]
    live_server: str, page, app: Flask, tmp_path: Path
) -> None:
    app.config["MAX_CONTENT_LENGTH"] = 200 * 1024  # the page and the server read the same setting
    sign_in(page, live_server, "auditor@demo.example")
    page.goto(live_server + "/uploads/new")
    assert "Up to 10 files at a time, 0.2 MB in all" in page.locator("#files-hint").inner_text()
    posted: list[str] = []
    page.on("request", lambda request: posted.append(request.url) if request.method == "POST" else None)
    big = tmp_path / "tracker-export.csv"
    big.write_text("Campaign Ref,Candidate Ref\n" + "NCC-2026-002,someone@example.org\n" * 8_000, encoding="utf-8")
    page.locator("input[type=file]").set_input_files(big)
    page.get_by_role("button", name="Upload and check").click()
    summary = page.locator(".govuk-error-summary")
    summary.wait_for()
    message = summary.inner_text()
    assert "tracker-export.csv is 0.3 MB: Scrutineer takes up to 0.2 MB in one upload" in message, message
    assert page.title().startswith("Error: ") and page.evaluate("document.activeElement.className").startswith(
        "govuk-error-summary"
    )
    assert "Split the file" in page.locator(".govuk-error-message").inner_text()
    check_accessibility(page)

    small = tmp_path / "small.csv"
    small.write_text("Campaign Ref,Candidate Ref\nNCC-2026-002,someone@example.org\n", encoding="utf-8")
    page.locator("input[type=file]").set_input_files([big, small])
    page.get_by_role("button", name="Upload and check").click()
    page.wait_for_selector("text=The 2 files come to")
    assert page.locator(".govuk-error-summary").count() == 1 and posted == []  # nothing was sent
    page.locator("input[type=file]").set_input_files(small)
    page.get_by_role("button", name="Upload and check").click()
    page.wait_for_url("**/uploads/batches/**")
    assert len(posted) == 1


def test_procurement_verifies_a_workbook(live_server: str, page, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    sign_in(page, live_server, "procurement@demo.example")
    page.get_by_role("link", name="NCC-2026-002", exact=True).click()
    page.get_by_role("link", name=re.compile(r"^AUD-")).first.click()
    check_accessibility(page)
    genuine = download_prepared(page, "Prepare the workbook (.xlsx)", tmp_path / "genuine.xlsx")
    book = load_workbook(genuine)
    book["Findings"].cell(row=3, column=5, value="Pass")
    edited = tmp_path / "edited.xlsx"
    book.save(edited)

    page.get_by_role("link", name="Verify a workbook").click()
    check_accessibility(page)
    page.get_by_label("Workbook").set_input_files(genuine)
    page.get_by_role("button", name="Check the workbook").click()
    page.wait_for_selector(".govuk-panel")
    check_accessibility(page)
    assert page.locator(".govuk-panel__title").inner_text() == "Verified"
    page.get_by_label("Workbook").set_input_files(edited)
    page.get_by_role("button", name="Check the workbook").click()
    page.wait_for_selector(".app-panel--failed")
    check_accessibility(page)
    assert "was changed: Status" in page.locator("main").inner_text()


def test_recruiter_self_checks_an_advert(live_server: str, page, advert_site: str) -> None:  # type: ignore[no-untyped-def]
    sign_in(page, live_server, "recruiter@demo.example")
    page.get_by_role("link", name="Advert self-check").click()
    check_accessibility(page)
    page.get_by_label("Job title").fill("Chairman of the Board")
    page.get_by_label("Advert text").fill("We want a young, energetic native English speaker. Salary competitive.")
    page.get_by_role("button", name="Check the advert").click()
    marks = page.locator("mark.app-highlight")
    assert marks.count() >= 3
    assert "young" in [text.split("\n")[0].strip().lower() for text in marks.all_inner_texts()]
    check_accessibility(page)
    page.get_by_label("Advert text").fill("")
    page.get_by_label("Or the web address of the advert").fill(advert_site + "/nhs-style-jsonld.html")
    page.get_by_role("button", name="Check the advert").click()
    page.wait_for_selector("text=What Scrutineer found")
    check_accessibility(page)


def test_recruiter_answers_a_finding_with_the_keyboard_alone(live_server: str, page) -> None:  # type: ignore[no-untyped-def]
    sign_in(page, live_server, "recruiter@demo.example")
    tab_to(page, "NCC-2026-002")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/campaigns/\d+$"))
    tab_to(page, "AUD-")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/audits/AUD-[^/]+$"))
    tab_to(page, "EQ-02")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/findings/\d+$"))
    tab_to(page, "Agree")
    page.keyboard.press("ArrowRight")  # radios: the arrow keys move the choice to Disagree
    assert page.evaluate("document.activeElement.value") == "Disagree"
    tab_to(page, "Note")
    page.keyboard.type("The pronoun was removed on 3 March")
    tab_to(page, "Save the response")
    page.keyboard.press("Enter")
    page.wait_for_selector(".govuk-notification-banner--success")
    assert "Disagree: The pronoun was removed on 3 March" in page.locator("main").inner_text()


def test_an_admin_invites_a_recruiter_who_joins(live_server: str, page, browser) -> None:  # type: ignore[no-untyped-def]
    sign_in(page, live_server, "admin@demo.example")
    page.get_by_role("link", name="People", exact=True).click()
    check_accessibility(page)
    page.get_by_role("link", name="Invite someone").click()
    check_accessibility(page)
    page.get_by_label("Email address").fill("rita@harbour.example")
    page.get_by_label("Full name").fill("Rita Harbour")
    page.get_by_label("Recruiter (agency)").check()
    page.get_by_label("Agency", exact=True).select_option(label="Harbour Search Partners")
    page.get_by_role("button", name="Create the invitation").click()
    page.wait_for_selector("#invitation-link")
    check_accessibility(page)
    assert page.get_by_role("button", name="Copy the link").is_visible()
    link = page.get_by_label("Invitation link").input_value()

    newcomer = browser.new_context().new_page()
    newcomer.goto(link)
    check_accessibility(newcomer)
    newcomer.get_by_label("Create a password").fill("a long and memorable password")
    newcomer.get_by_label("Type the password again").fill("a long and memorable password")
    newcomer.get_by_role("button", name="Accept and create your account").click()
    newcomer.wait_for_url("**/campaigns/")
    assert "NCC-2026-001" in newcomer.locator("main").inner_text()
    newcomer.context.close()


def test_a_job_page_updates_itself(live_server: str, page, app: Flask) -> None:  # type: ignore[no-untyped-def]
    with app.app_context():
        organisation = db.session.scalar(select(Organisation).where(Organisation.slug == "northshire-cc"))
        auditor = db.session.scalar(select(User).where(User.email == "auditor@demo.example"))
        job = Job(
            public_id="JOB-LIVE",
            organisation_id=organisation.id,
            kind="import",
            status="running",
            stage="Reading the file",
            rows_done=0,
            params={"file_name": "big.xlsx"},
            created_by_id=auditor.id,
        )
        db.session.add(job)
        db.session.commit()
        job_id = job.id
    sign_in(page, live_server, "auditor@demo.example")
    page.goto(live_server + "/jobs/JOB-LIVE")
    check_accessibility(page)
    assert page.get_by_role("heading", level=1).inner_text() == "Working on it"

    def update(**values: object) -> None:
        with app.app_context():
            db.session.execute(Job.__table__.update().where(Job.id == job_id).values(**values))
            db.session.commit()

    update(stage="Storing rows", rows_done=30000, rows_total=60000, rate=12000.0)
    page.wait_for_selector("text=30,000 of 60,000", timeout=10_000)  # without reloading the page
    assert page.get_by_role("heading", level=1).inner_text() == "Working on it"
    update(status="done", stage="Finished", rows_done=60000, result={})
    page.wait_for_selector("h1:has-text('Finished')", timeout=10_000)


def test_every_page_passes_axe(live_server: str, page, app: Flask) -> None:  # type: ignore[no-untyped-def]
    """One page of each kind, as an administrator (who sees every form) of two organisations."""
    with app.app_context():
        eastmoor = db.session.scalar(select(Organisation).where(Organisation.slug == "eastmoor-nhs"))
        people.add_member(eastmoor, email="admin@demo.example", name="Alex Admin", role="auditor")
    client = app.test_client()
    sign_in_client(client, "admin@demo.example")
    seen: dict[str, str] = {}
    queue = ["/campaigns/"]
    while queue:
        path = queue.pop(0)
        if path in seen.values():
            continue
        with app.test_request_context(path):
            from flask import request

            endpoint = request.url_rule.endpoint if request.url_rule else path
        if endpoint in seen:
            continue  # one page of each kind: no need to fetch another
        response = client.get(path)
        if response.status_code != 200 or response.mimetype != "text/html":
            continue
        seen[endpoint] = path
        for link in re.findall(r'href="(/[^"#]*)"', response.get_data(as_text=True)):
            link = link.replace("&amp;", "&")
            if not link.startswith("/assets/") and not link.endswith("/download"):
                queue.append(link)
    assert len(seen) >= 20, sorted(seen)
    sign_in(page, live_server, "admin@demo.example")
    for path in seen.values():
        page.goto(live_server + path)
        check_accessibility(page)

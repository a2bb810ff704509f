"""Journeys in a real browser, with axe-core on every page and the keyboard alone where it matters."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import load_workbook

from tests.browser.conftest import check_accessibility, sign_in

pytestmark = pytest.mark.browser


def test_public_pages_are_accessible(live_server: str, page) -> None:  # type: ignore[no-untyped-def]
    for path in ("/", "/sign-in", "/accessibility-statement", "/privacy", "/cookies", "/not-a-page"):
        page.goto(live_server + path)
        check_accessibility(page)


def test_sign_in_with_the_keyboard_alone(live_server: str, page) -> None:  # type: ignore[no-untyped-def]
    page.goto(live_server + "/sign-in")
    page.keyboard.press("Tab")  # the skip link comes first
    assert page.evaluate("document.activeElement.textContent.trim()") == "Skip to main content"
    page.get_by_label("Email address").focus()
    page.keyboard.type("auditor@demo.example")
    page.keyboard.press("Tab")
    page.keyboard.type("demo-password-for-tests")
    page.keyboard.press("Enter")
    page.wait_for_url("**/campaigns/")
    assert page.get_by_role("heading", level=1).text_content() == "Campaigns"


def test_auditor_reads_an_audit_and_downloads_the_workbook(live_server: str, page, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    sign_in(page, live_server, "auditor@demo.example")
    page.wait_for_url("**/campaigns/")
    check_accessibility(page)
    page.get_by_role("link", name="NCC-2026-002").click()
    check_accessibility(page)
    page.get_by_role("button", name="Run an audit now").click()
    page.wait_for_url("**/campaigns/audits/**")
    assert "Red" in page.text_content("main")
    check_accessibility(page)
    with page.expect_download() as download:
        page.get_by_role("link", name="Download the workbook (.xlsx)").click()
    path = tmp_path / "audit.xlsx"
    download.value.save_as(path)
    book = load_workbook(path)
    assert book.sheetnames[:2] == ["Summary", "Findings"]
    statuses = {row[1]: row[4] for row in book["Findings"].iter_rows(min_row=2, values_only=True)}
    assert statuses["EQ-05"] == "Fail" and statuses["EQ-03"] == "Warn"  # native speaker; "young and dynamic"


def test_recruiter_self_checks_an_advert(live_server: str, page) -> None:  # type: ignore[no-untyped-def]
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

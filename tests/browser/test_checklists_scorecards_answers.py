"""Journeys through the checklist, scorecard and returned-workbook pages in a real browser, with axe-core on every
page they pass through."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from openpyxl import load_workbook

from tests.browser.conftest import check_accessibility, download_prepared, sign_in

pytestmark = pytest.mark.browser


def test_an_auditor_copies_the_checklist_and_switches_a_check_off(live_server: str, page) -> None:  # type: ignore[no-untyped-def]
    sign_in(page, live_server, "auditor@demo.example")
    page.get_by_role("link", name="Checklists", exact=True).click()
    check_accessibility(page)
    page.get_by_role("button", name="Make your own copy").click()
    page.wait_for_selector(".govuk-notification-banner--success")
    check_accessibility(page)
    assert "own copy was saved as version 2026.1+northshire-cc.1" in page.locator("main").inner_text()

    page.get_by_role("link", name="Change LANG-01", exact=True).click()
    check_accessibility(page)
    page.get_by_role("link", name="Switch off LANG-01").click()
    check_accessibility(page)
    page.get_by_role("button", name="Switch the check off").click()  # no reason: the error summary asks for one
    page.wait_for_selector(".govuk-error-summary")
    check_accessibility(page)
    page.get_by_role("link", name="Enter why you are switching the check off").click()
    assert page.evaluate("document.activeElement.id") == "reason"
    page.keyboard.type("Advisory only under our recruitment policy")
    page.get_by_role("button", name="Switch the check off").click()
    page.wait_for_selector(".govuk-notification-banner--success")
    check_accessibility(page)
    main = page.locator("main").inner_text()
    assert "Saved as version 2026.1+northshire-cc.2: LANG-01 is switched off" in main
    assert "Advisory only under our recruitment policy" in main

    page.get_by_role("link", name="Checklists", exact=True).click()
    check_accessibility(page)
    history = page.locator("main").inner_text()
    assert "2026.1+northshire-cc.2" in history and "LANG-01 switched off" in history


def test_procurement_opens_an_agency_scorecard(live_server: str, page, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    sign_in(page, live_server, "procurement@demo.example")
    page.get_by_role("link", name="Scorecards", exact=True).click()
    check_accessibility(page)
    page.get_by_role("link", name="Harbour Search Partners").click()
    check_accessibility(page)
    chart = page.get_by_role("img", name="Score over time: Harbour Search Partners")
    assert chart.is_visible()
    assert page.locator("#score-chart-desc").text_content().startswith("Line chart of the latest audit score")
    assert page.locator("#scores tbody tr").count() == page.locator("svg.app-chart circle").count()
    scorecard = download_prepared(page, "Prepare this scorecard (.xlsx)", tmp_path / "scorecard.xlsx")
    assert load_workbook(scorecard)["Campaigns"]["A2"].value == "Harbour Search Partners"


def test_a_recruiter_uploads_the_agencys_answers(live_server: str, page, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    sign_in(page, live_server, "recruiter@demo.example")
    page.get_by_role("link", name="NCC-2026-002", exact=True).click()
    page.get_by_role("link", name=re.compile(r"^AUD-")).first.click()
    check_accessibility(page)
    audit_url = page.url
    path = download_prepared(page, "Prepare the workbook (.xlsx)", tmp_path / "answers.xlsx")
    page.goto(audit_url)
    book = load_workbook(path)
    findings = book["Findings"]
    findings["J2"], findings["K2"] = "Agree", "We will add the salary range"
    findings["J3"] = "Remediated"
    book.save(path)

    page.get_by_label("Workbook with the agency's answers").set_input_files(path)
    page.get_by_role("button", name="Upload the answers").click()
    page.wait_for_selector(".govuk-panel")
    check_accessibility(page)
    assert page.locator(".govuk-panel__title").inner_text() == "2 answers recorded"
    page.get_by_role("link", name="See the findings with the agency's answers").click()
    check_accessibility(page)
    assert "Remediated" in page.locator("main").inner_text()

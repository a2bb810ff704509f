from audits.model import CampaignBundle, Status
from importers.records import CampaignRecord, FormField, Image, Link, PageStructure
from tests.audits.helpers import check_advert, check_record, page

POSTING = {
    "title": "Director of Finance",
    "description": "<p>Lead finance.</p>",
    "datePosted": "2026-03-01",
    "hiringOrganization": {"name": "Northshire County Council"},
    "jobLocation": {"address": {"addressLocality": "Northtown"}},
    "validThrough": "2026-03-31",
    "baseSalary": {"currency": "GBP", "value": {"minValue": 95000, "maxValue": 105000, "unitText": "YEAR"}},
    "employmentType": "FULL_TIME",
    "directApply": False,
    "identifier": {"value": "NCC-1"},
}


def test_sd01_complete_posting_passes_and_missing_required_fails() -> None:
    assert check_record("SD-01", page("Lead finance.", structured=POSTING)).status is Status.PASS
    partial = {k: v for k, v in POSTING.items() if k not in ("datePosted", "employmentType")}
    finding = check_record("SD-01", page("Lead finance.", structured=partial))
    assert finding.status is Status.FAIL and finding.details["missing_required"] == ["datePosted"]


def test_sd01_page_without_posting_fails_and_plain_text_is_no_data() -> None:
    assert check_record("SD-01", page("Lead finance.")).status is Status.FAIL
    assert check_advert("SD-01", "Lead finance.").status is Status.NO_DATA


def test_sd02_agency_named_as_employer_warns() -> None:
    campaign = CampaignRecord("C-1", client_organisation="Northshire County Council", agency="Harbour Search Ltd")
    agency = page("Lead finance.", structured=POSTING, hiring_organisation="Harbour Search")
    assert check_record("SD-02", agency, campaign=campaign).status is Status.WARN
    employer = page("Lead finance.", structured=POSTING, hiring_organisation="Northshire County Council")
    assert check_record("SD-02", employer, campaign=campaign).status is Status.PASS


def test_acc01_serious_violations_fail_with_counts() -> None:
    structure = PageStructure(
        title="Director of Finance",
        headings=[(1, "Director"), (3, "About")],
        images=[Image(src="logo.png", alt=None), Image(src="team.jpg", alt="Our finance team")],
        form_fields=[FormField(name="email", kind="email", label=None)],
    )
    record = page("Lead finance.", html_lang=None, links=[Link("click here", "/pack")], page=structure)
    finding = check_record("ACC-01", record)
    assert finding.status is Status.FAIL
    assert finding.details["counts"]["images without alt"] == 1
    assert "language" in finding.summary and "logo.png" in finding.summary


def test_acc01_clean_page_passes_and_unread_structure_is_no_data() -> None:
    structure = PageStructure(title="Director", headings=[(1, "Director"), (2, "About")], images=[], form_fields=[])
    clean = page("Lead finance.", links=[Link("Accessibility statement", "/accessibility")], page=structure)
    assert check_record("ACC-01", clean).status is Status.PASS
    unread = page("Lead finance.", links=[Link("Accessibility statement", "/accessibility")])
    assert check_record("ACC-01", unread).status is Status.NO_DATA
    assert check_advert("ACC-01", "Lead finance.").status is Status.NO_DATA


def test_acc02_statement_link() -> None:
    assert check_record("ACC-02", page("x", links=[Link("Accessibility", "/accessibility-statement")])).status is (
        Status.PASS
    )
    assert check_record("ACC-02", page("x", links=[Link("Home", "/")])).status is Status.FAIL


def test_acc03_pdf_only_warns_untagged_fails_html_version_passes() -> None:
    pdf = Link("Candidate pack (PDF)", "/pack.pdf")
    only = check_record("ACC-03", page("x", links=[pdf]))
    assert only.status is Status.WARN
    untagged = check_record("ACC-03", page("x", links=[Link("Pack", "/pack.pdf", tagged=False)]))
    assert untagged.status is Status.FAIL
    both = check_record("ACC-03", page("x", links=[pdf, Link("Candidate pack", "/pack")]))
    assert both.status is Status.PASS
    assert check_record("ACC-03", page("x", links=[Link("Home", "/")])).status is Status.NA


def test_dp01_privacy_notice_link() -> None:
    linked = page("Apply now.", links=[Link("Candidate privacy notice", "/privacy")])
    assert check_record("DP-01", linked).status is Status.PASS
    assert check_record("DP-01", page("Apply now.", links=[Link("Home", "/")])).status is Status.FAIL
    unlinked = check_advert("DP-01", "Read our privacy notice before you apply.")
    assert unlinked.status is Status.WARN
    assert check_advert("DP-01", "Apply now.").status is Status.NO_DATA


def test_dp06_monitoring_in_the_assessed_form_fails() -> None:
    mixed = page("Apply now.", questions=["Your name", "What is your ethnicity?", "Why do you want the job?"])
    assert check_record("DP-06", mixed).status is Status.FAIL
    separate = page("Monitoring answers are kept separate from your application and not seen by the panel.")
    assert check_record("DP-06", separate).status is Status.PASS
    clean = page("Apply now.", questions=["Your name", "Why do you want the job?"])
    assert check_record("DP-06", clean).status is Status.PASS
    assert check_advert("DP-06", "Apply now.").status is Status.NO_DATA


def test_sd_checks_take_the_bundle_unchanged() -> None:
    bundle = CampaignBundle(adverts=[page("Lead finance.", structured=POSTING)])
    assert bundle.adverts[0].structured == POSTING

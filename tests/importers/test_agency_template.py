"""The agency template as agencies really send it (formats.md §0 and DESIGN.md)."""

import datetime as dt
import hashlib
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import Workbook

import importers
from importers import FileRejected, ImportOptions, UnknownLayout
from importers.records import CampaignRecord, CandidateRecord, OutreachRecord


def pseudo(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()[:16]


def read(path: Path) -> tuple[importers.ImportReport, list[object]]:
    report, records = importers.read(path, path.name, ImportOptions(pseudonymise=pseudo))
    return report, list(records)


CANDIDATES_CSV = (
    "Campaign tracker - Harbour Search\r\n"
    "Exported 05/02/2026\r\n"
    "\r\n"
    "Campaign Ref,Candidate Ref,STAGE,source,Sex,First Contact Date,DC opt-in,Notes\r\n"
    "C-001,jane.doe@example.org,Long-listed,LinkedIn InMail,F,05/02/2026,Yes,Strong\r\n"
    "C-001,https://www.linkedin.com/in/sam-smith/,shortlist,headhunted,Male,6 Feb 2026,no,\r\n"
    "C-001,Ali Khan,teleported,referral,M,07/02/2026,,\r\n"
    "C-001,Jo Bloggs,interviewed,referral,Female,31/02/2026,,\r\n"
)


def test_candidates_csv_with_title_rows_bom_and_loose_headers(tmp_path: Path) -> None:
    path = tmp_path / "candidates.csv"
    path.write_bytes(b"\xef\xbb\xbf" + CANDIDATES_CSV.encode("utf-8"))
    report, records = read(path)
    assert report.format == "agency-template"
    assert report.rows_read == 4
    assert report.rows_rejected == 2
    assert [type(r) for r in records] == [CandidateRecord, CandidateRecord]
    first, second = records
    assert isinstance(first, CandidateRecord) and isinstance(second, CandidateRecord)
    assert first.stage_reached == "longlisted" and first.source == "linkedin_inmail" and first.sex == "female"
    assert first.first_contact_date == dt.date(2026, 2, 5) and first.dc_opt_in is True
    assert second.stage_reached == "shortlisted" and second.source == "headhunt"
    assert first.row == 5 and second.row == 6
    # identifiers are hashed, never kept in clear
    assert first.candidate_key == pseudo("jane.doe@example.org")
    assert "jane" not in repr(records)
    problems = {(p.row, p.column, p.value) for p in report.problems}
    assert problems == {(7, "STAGE", "teleported"), (8, "First Contact Date", "31/02/2026")}
    assert report.unknown_columns == {"candidates": ["Notes"]}


def test_windows_1252_csv(tmp_path: Path) -> None:
    text = (
        "campaign_ref,role_title,client_organisation,salary_min,salary_max,closing_date\r\n"
        "C-9,Director of Children’s Services,Northshire,£135,000,£150,000,05/02/2026\r\n"
    )
    path = tmp_path / "campaigns.csv"
    path.write_bytes(text.replace("£135,000,£150,000", '"£135,000","£150,000"').encode("cp1252"))
    report, records = read(path)
    [campaign] = records
    assert isinstance(campaign, CampaignRecord)
    assert campaign.role_title == "Director of Children’s Services"
    assert (campaign.salary_min, campaign.salary_max) == (Decimal(135000), Decimal(150000))
    assert campaign.closing_date == dt.date(2026, 2, 5)
    assert report.rows_rejected == 0


def test_xlsx_with_real_excel_dates_title_rows_and_three_sheets(tmp_path: Path) -> None:
    book = Workbook()
    sheet = book.active
    sheet.title = "Campaigns"
    sheet.append(["Northshire — campaign tracker"])
    sheet.append([])
    sheet.append(["CAMPAIGN REF", "Role", "Salary Min", "Salary Max", "Closing Date", "Commissioner Chair", "Colour"])
    sheet.append(["C-1", "Chief Executive", 185000, "£200,000", dt.datetime(2026, 2, 5), "No", "blue"])
    candidates = book.create_sheet("Candidates")
    candidates.append(["campaign_ref", "candidate_ref", "stage_reached", "sex"])
    candidates.append(["C-1", "person-1", "appointed", "female"])
    outreach = book.create_sheet("Outreach")
    outreach.append(["Campaign Ref", "Sent At", "Channel", "Message Chars", "Response"])
    outreach.append(["C-1", dt.datetime(2026, 1, 10, 9, 30), "LinkedIn InMail", 420, "no reply"])
    path = tmp_path / "tracker.xlsx"
    book.save(path)
    report, records = read(path)
    kinds = [type(r) for r in records]
    assert kinds == [CampaignRecord, CandidateRecord, OutreachRecord]
    campaign, _candidate, message = records
    assert isinstance(campaign, CampaignRecord) and isinstance(message, OutreachRecord)
    assert campaign.closing_date == dt.date(2026, 2, 5) and campaign.commissioner_chair is False
    assert campaign.salary_max == Decimal(200000) and campaign.row == 4
    assert campaign.extra == {"Colour": "blue"}
    assert message.channel == "inmail" and message.response == "no_response" and message.message_chars == 420
    assert report.unknown_columns == {"Campaigns": ["Colour"]}


def test_a_picture_named_csv_is_not_a_csv(tmp_path: Path) -> None:
    path = tmp_path / "tracker.csv"
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 100)
    with pytest.raises(FileRejected, match="picture"):
        read(path)


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"", "empty"),
        (b"\x00\x01\x02\x03" * 50, "binary"),
        (b"PK\x03\x04" + b"\x00" * 60, "damaged"),
        (b"name,colour\r\nfish,blue\r\n", "not a CSV table Scrutineer knows"),
    ],
)
def test_unreadable_files_are_rejected_with_a_reason(tmp_path: Path, content: bytes, reason: str) -> None:
    path = tmp_path / "upload.csv"
    path.write_bytes(content)
    with pytest.raises(FileRejected, match=reason) as caught:
        read(path)
    assert str(caught.value).startswith("upload.csv: ")


def test_template_without_a_required_column_is_rejected(tmp_path: Path) -> None:
    path = tmp_path / "candidates.csv"
    path.write_text("campaign_ref,stage_reached,source\nC-1,longlisted,headhunt\n", encoding="utf-8")
    with pytest.raises(FileRejected, match="candidate_ref"):
        read(path)


def test_an_ats_export_with_the_templates_column_names_goes_to_a_column_mapping() -> None:
    # Greenhouse-like: "Candidate ID", "Requisition ID", "Source", "Current Stage" are template names, but the values
    # ("Face to Face", "Jobs page on your website") are the other system's. Read as the template, every row would be
    # refused; a column mapping translates them (tests/importers/test_mapping.py reads it so).
    path = Path(__file__).resolve().parents[1] / "fixtures" / "ats" / "greenhouse-candidates.csv"
    with pytest.raises(UnknownLayout) as refused:
        importers.detect_format(path, path.name)
    reason = refused.value.reason
    assert "columns look like the template's, but 5 of its first 5 rows have values the template does not use" in reason
    assert "(Source on row 2: 'LinkedIn (Prospecting)' is not one of:" in reason and "column mapping" in reason
    assert refused.value.found is not None and reason.startswith(refused.value.found)
    assert "flask" not in refused.value.found  # what was found, for the upload page; the advice is in the reason


def test_a_template_with_some_bad_values_is_still_read_as_the_template(tmp_path: Path) -> None:
    rows = [f"C-001,person{i}@example.org,{'teleported' if i % 3 == 0 else 'longlisted'},referral,F" for i in range(9)]
    path = tmp_path / "candidates.csv"
    path.write_text("Campaign Ref,Candidate Ref,Stage,Source,Sex\n" + "\n".join(rows) + "\n", encoding="utf-8")
    report, records = read(path)
    assert report.format == "agency-template" and len(records) == 6 and report.rows_rejected == 3
    assert [p.value for p in report.problems] == ["teleported"] * 3


def test_a_workbook_sheet_of_another_systems_values_goes_to_a_column_mapping(tmp_path: Path) -> None:
    book = Workbook()
    sheet = book.active
    sheet.title = "Candidates"
    sheet.append(["Campaign Ref", "Candidate Ref", "Stage", "Source"])
    for number in range(6):
        sheet.append(["C-001", f"person{number}@example.org", "Phone Screen", "Careers site"])
    path = tmp_path / "export.xlsx"
    book.save(path)
    with pytest.raises(UnknownLayout, match=r"6 of its first 6 rows .*\(Stage on row 2: 'Phone Screen'"):
        importers.detect_format(path, path.name)


def test_free_text_about_people_keeps_no_e_mail_address_or_profile_link(tmp_path: Path) -> None:
    """A rejection reason or a long-list justification is kept as written, except for the identifiers Scrutineer
    never stores in clear; dates, sums and other slashes are left alone, and an over-long reason is still cut."""
    path = tmp_path / "tracker.xlsx"
    book = Workbook()
    campaigns = book.active
    campaigns.title = "Campaigns"
    campaigns.append(["campaign_ref", "role_title", "longlist_justification"])
    campaigns.append(["C-1", "Director of Finance", "Added jo.bloggs@nhs.net after www.linkedin.com/in/jo-b (chair)"])
    candidates = book.create_sheet("Candidates")
    candidates.append(["campaign_ref", "candidate_ref", "stage_reached", "rejection_reason"])
    reasons = [
        "Withdrew; feedback sent to Zoë.Brontë@example.co.uk and cc recruiter@harbour-search.com.",
        "Profile https://uk.linkedin.com/in/sam-smith-12a/?trk=x, and LinkedIn.com/talent/profile/AEMAA1 checked",
        "Salary £195,000 above the range on 12/03/2026 and/or relocation not possible (see e-mail)",
        "x " * 260 + "late@example.org " + "y" * 600,
    ]
    for number, reason in enumerate(reasons):
        candidates.append(["C-1", f"person{number}@example.org", "longlisted", reason])
    book.save(path)

    _report, records = read(path)
    [campaign] = [r for r in records if isinstance(r, CampaignRecord)]
    assert campaign.longlist_justification == "Added [e-mail address removed] after [profile link removed] (chair)"
    stored = [r.rejection_reason for r in records if isinstance(r, CandidateRecord)]
    assert stored[0] == "Withdrew; feedback sent to [e-mail address removed] and cc [e-mail address removed]."
    assert stored[1] == "Profile [profile link removed], and [profile link removed] checked"
    assert stored[2] == reasons[2]
    assert stored[3] is not None and len(stored[3]) == 500 and stored[3].endswith("…") and "@" not in stored[3]
    assert not any(word in repr(records).lower() for word in ("brontë", "sam-smith", "aemaa1", "jo.bloggs", "@"))

import datetime as dt
import zipfile
from pathlib import Path

import pytest
from openpyxl import load_workbook

from audits import workbook
from audits.workbook import FindingRow, WorkbookData, findings_digest, safe_text


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ('=HYPERLINK("http://evil")', '\'=HYPERLINK("http://evil")'),
        ("+44 20", "'+44 20"),
        ("-1", "'-1"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("\rx", "'\nx"),
        ("plain", "plain"),
        ("a\x00b\x07c", "a\ufffdb\ufffdc"),
    ],
)
def test_safe_text(value: str, expected: str) -> None:
    assert safe_text(value) == expected
    assert safe_text(safe_text(value)) == safe_text(value)  # idempotent, so read-back text hashes the same


def data(findings: list[FindingRow]) -> WorkbookData:
    digest = findings_digest(f.cells() for f in findings)
    return WorkbookData(
        audit_id="AUD-TEST",
        created_at=dt.datetime(2026, 3, 31, 12),
        as_of=dt.date(2026, 3, 31),
        organisation="=cmd|' /C calc'!A0",
        agency="Harbour",
        campaign_ref="C-1",
        role_title="Chief Executive",
        campaign_dates={"Closing date": dt.date(2026, 2, 5)},
        score=72.5,
        rag="Amber",
        score_reason="below 85",
        scoring_rule="rule",
        findings=findings,
        checklist_id="uk",
        checklist_version="1",
        checklist_sha256="0" * 64,
        rules=[],
        inputs=[],
        adverts=[],
        pipeline=[],
        outreach=[],
        scrutineer_version="0.1.0",
        library_versions={"textstat": "0.7.8"},
        findings_sha256=digest,
        seal="seal",
        by_severity_status={"critical": {"fail": 1}},
    )


def rows() -> list[FindingRow]:
    return [
        FindingRow(
            "AUD-TEST-0001",
            "EQ-01",
            "Gendered title",
            "Critical",
            "Fail",
            "=cmd()",
            "“Chairman”",
            "EqA s.39",
            "Use chair",
        ),
        FindingRow("AUD-TEST-0002", "PAY-01", "Salary", "High", "Pass", "Advert", "£90,000", "PTD Art 5", ""),
    ]


def test_workbook_round_trip_and_no_formulas_from_imported_text(tmp_path: Path) -> None:
    path = tmp_path / "audit.xlsx"
    workbook.write(data(rows()), path)
    book = load_workbook(path)
    assert book.sheetnames == list(workbook.SHEETS)
    findings = book["Findings"]
    assert [c.value for c in findings[1]] == list(workbook.FINDING_COLUMNS)
    assert findings["F2"].value == "'=cmd()" and findings["F2"].data_type == "s"
    assert book["Summary"]["B3"].value.startswith("'=cmd")
    with zipfile.ZipFile(path) as archive:
        for name in archive.namelist():
            if name.startswith("xl/worksheets/sheet"):
                assert b"<f>" not in archive.read(name), f"{name} holds a formula"
    back = workbook.read(path)
    assert back.provenance["Audit ID"] == "AUD-TEST"
    assert back.recomputed_sha256 == back.provenance["Findings SHA-256"]
    assert [f.ref for f in back.findings] == ["AUD-TEST-0001", "AUD-TEST-0002"]


def test_editing_a_finding_changes_the_digest_but_a_response_does_not(tmp_path: Path) -> None:
    path = tmp_path / "audit.xlsx"
    workbook.write(data(rows()), path)
    book = load_workbook(path)
    book["Findings"]["J2"] = "Disagree"
    book["Findings"]["K2"] = "We used chair in the final advert"
    book.save(path)
    back = workbook.read(path)
    assert back.recomputed_sha256 == back.provenance["Findings SHA-256"]
    assert back.findings[0].response == "Disagree"
    book["Findings"]["E2"] = "Pass"
    book.save(path)
    assert workbook.read(path).recomputed_sha256 != back.provenance["Findings SHA-256"]


def test_response_column_has_a_drop_down_that_refuses_other_values(tmp_path: Path) -> None:
    path = tmp_path / "audit.xlsx"
    workbook.write(data(rows()), path)
    sheet = load_workbook(path)["Findings"]
    [validation] = sheet.data_validations.dataValidation
    assert validation.type == "list" and validation.showErrorMessage
    assert validation.formula1 == '"Agree,Disagree,Remediated"'
    assert "J2" in str(validation.sqref)


def test_unreadable_or_foreign_workbooks(tmp_path: Path) -> None:
    path = tmp_path / "other.xlsx"
    path.write_bytes(b"not a workbook")
    with pytest.raises(workbook.WorkbookUnreadable):
        workbook.read(path)

"""The template Scrutineer publishes: its columns are the importer's, its drop-downs list the importer's codes, and a
copy filled in the way the drop-downs allow imports with no problem at all."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from pathlib import Path

from openpyxl import load_workbook

from importers.agency_template import TABLES, Choice
from importers.records import CampaignRecord, CandidateRecord, OutreachRecord
from importers.template import CODES, GUIDE, HELP, SHEETS, column_guide, template_csv, write_template
from importers.values import parse_bool, parse_date, parse_datetime, parse_int, parse_money, parse_percent
from tests.importers.helpers import pseudo, read


def _listed(book: object, formula: str) -> list[str]:
    """The values a list drop-down offers, read from the range its formula names."""
    sheet_name, cells = formula.split("!")
    start, end = cells.replace("$", "").split(":")
    sheet = book[sheet_name.strip("'")]  # type: ignore[index]
    return [row[0].value for row in sheet[f"{start}:{end}"]]


def test_the_template_has_the_importers_columns_drop_downs_and_guide(tmp_path: Path) -> None:
    path = tmp_path / "template.xlsx"
    write_template(path)
    book = load_workbook(path)
    assert book.sheetnames == [GUIDE, CODES, "Campaigns", "Candidates", "Outreach"]
    assert book[CODES].sheet_state == "hidden" and book.active.title == GUIDE
    for table, fields in TABLES.items():
        sheet = book[SHEETS[table]]
        assert [cell.value for cell in sheet[1]] == list(fields)
        assert sheet.freeze_panes == "A2" and sheet.max_row == 1
        by_column = {}
        for validation in sheet.data_validations.dataValidation:
            for cells in validation.sqref.ranges:
                assert cells.min_row == 2 and cells.max_row >= 10_000
                by_column[sheet.cell(row=1, column=cells.min_col).value] = validation
        for name, spec in fields.items():
            validation = by_column.get(name)
            if isinstance(spec.parser, Choice):
                assert validation is not None and validation.type == "list", name
                assert _listed(book, validation.formula1) == list(spec.parser.codes), name
            elif spec.parser is parse_bool:
                assert validation is not None and _listed(book, validation.formula1) == ["Yes", "No"], name
            elif spec.parser in (parse_date, parse_datetime):
                assert validation is not None and validation.type == "date", name
                assert validation.errorStyle == "warning"  # a date typed as text still imports: warn only
    guide = book[GUIDE]
    listed = [(row[0], row[1]) for row in guide.iter_rows(min_row=5, values_only=True)]
    assert listed == [(SHEETS[t], name) for t, fields in TABLES.items() for name in fields]
    rows = {row["column"]: row for row in column_guide() if row["sheet"] == "Candidates"}
    assert rows["candidate_ref"]["required"] == "Required"
    assert "never the reference itself" in rows["candidate_ref"]["what"]
    assert rows["stage_reached"]["form"].startswith("One of the codes: identified, approached")
    assert "names or contact details" in rows["rejection_reason"]["what"]
    # a column the importer gains must be explained in the guide before the template offers it
    assert set(HELP) == {name for fields in TABLES.values() for name in fields}
    # and every check the guide names is one the shipped checklist has
    from audits.checklist import load_shipped

    shipped = {rule.id for rule in load_shipped().rules}
    named = {match for text in HELP.values() for match in re.findall(r"\b[A-Z]{2,4}-\d{2}\b", text)}
    assert named and named <= shipped, sorted(named - shipped)


def test_a_template_filled_in_as_its_drop_downs_allow_imports_without_a_problem(tmp_path: Path) -> None:
    path = tmp_path / "template.xlsx"
    write_template(path)
    book = load_workbook(path)
    examples = {
        parse_date: dt.datetime(2026, 2, 5),
        parse_datetime: dt.datetime(2026, 2, 5, 14, 30),
        parse_bool: "Yes",
        parse_money: 135000,
        parse_percent: 20,
        parse_int: 30,
    }
    special = {"retention_months": "24", "engagement_terms": "fees; scope", "campaign_ref": "C-1"}
    for table, fields in TABLES.items():
        row = []
        for name, spec in fields.items():
            if name in special:
                row.append(special[name])
            elif isinstance(spec.parser, Choice):
                row.append(spec.parser.codes[-1])
            else:
                row.append(examples.get(spec.parser, f"{name} text"))
        book[SHEETS[table]].append(row)
    book.save(path)

    report, records = read(path)
    assert report.format == "agency-template"
    assert report.problems == [] and report.rows_rejected == 0 and report.notes == []
    assert report.unknown_columns == {}
    kinds = [type(record) for record in records]
    assert kinds == [CampaignRecord, CandidateRecord, OutreachRecord]
    campaign, candidate, outreach = records
    assert campaign.salary_min == Decimal("135000") and campaign.brief_date == dt.date(2026, 2, 5)
    assert campaign.organisation_type == "other" and campaign.commissioner_chair is True
    assert candidate.candidate_key == pseudo("candidate_ref text") and candidate.stage_reached == "appointed"
    assert candidate.dc_opt_in is True and candidate.first_contact_date == dt.date(2026, 2, 5)
    assert outreach.sent_at == dt.datetime(2026, 2, 5, 14, 30) and outreach.response == "no_response"


def test_each_csv_is_the_header_row_the_importer_reads(tmp_path: Path) -> None:
    for table in TABLES:
        content = template_csv(table)
        assert content.startswith(b"\xef\xbb\xbf") and content.endswith(b"\r\n") and content.count(b"\r\n") == 1
        path = tmp_path / f"{table}.csv"
        row = ["C-1" if name == "campaign_ref" else "" for name in TABLES[table]]
        if table == "candidates":
            row[list(TABLES[table]).index("candidate_ref")] = "Zoë Brontë"
        path.write_bytes(content + (",".join(row) + "\r\n").encode("utf-8"))
        report, records = read(path)
        assert report.format == "agency-template" and report.problems == [] and report.unknown_columns == {}
        assert len(records) == 1, table

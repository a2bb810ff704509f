"""Column mappings: suggestions from headers and values, applying a confirmed mapping, ATS exports (formats.md §5)."""

import json
from pathlib import Path

import pytest
from openpyxl import Workbook

from importers import FileRejected
from importers.mapping import (
    ColumnMapping,
    MappingError,
    TableMapping,
    header_signature,
    load_mapping,
    suggest,
    suggest_for_rows,
)
from importers.records import CandidateRecord
from tests.importers.helpers import FIXTURES, pseudo, read

ATS = FIXTURES / "ats"


def test_greenhouse_like_export_through_its_confirmed_mapping() -> None:
    mapping = load_mapping(ATS / "greenhouse-mapping.json")
    report, records = read(ATS / "greenhouse-candidates.csv", mapping=mapping)
    assert report.format == "mapped" and report.rows_rejected == 0 and len(records) == 5
    assert all(isinstance(r, CandidateRecord) for r in records)
    jane, sam, ali, jo, chris = records
    assert jane.candidate_key == pseudo("1001") and jane.campaign_ref == "C-1"
    assert (jane.source, jane.stage_reached, jane.sex) == ("linkedin_search", "interviewed", "female")
    assert (sam.source, sam.stage_reached, sam.rejection_reason) == (
        "advert_other",
        "responded",
        "Lacked statutory experience",
    )
    assert ali.ethnicity_group == "mixed" and ali.disability == "yes" and ali.stage_reached == "offered"
    assert jo.sex == "prefer_not_to_say" and chris.ethnicity_group == "black"
    assert "jane.doe" not in repr(records) and "Doe" not in repr(records)
    assert report.headers["candidates"][0] == "Candidate ID"


def test_workable_like_export_takes_its_campaign_from_the_command() -> None:
    mapping = load_mapping(ATS / "workable-mapping.json")
    _report, records = read(ATS / "workable-candidates.csv", mapping=mapping, campaign_ref="C-2")
    assert [r.campaign_ref for r in records] == ["C-2"] * 4
    assert [r.stage_reached for r in records] == ["interviewed", "responded", "offered", "identified"]
    assert records[0].candidate_key == pseudo("priya.shah@example.org")
    with pytest.raises(FileRejected, match="campaign_ref"):
        read(ATS / "workable-candidates.csv", mapping=mapping)  # no campaign column and no --campaign


def test_suggestions_from_header_names_and_values() -> None:
    [suggestion] = suggest(ATS / "greenhouse-candidates.csv", "greenhouse-candidates.csv")
    assert suggestion.table == "candidates" and suggestion.missing == []
    fields = {c.column: c.field for c in suggestion.columns}
    assert fields["Email"] == "candidate_ref"  # e-mail addresses identify candidates
    assert fields["Requisition ID"] == "campaign_ref" and fields["Current Stage"] == "stage_reached"
    assert fields["Gender"] == "sex" and fields["First Name"] is None and fields["Job"] is None
    confidence = {c.column: c.confidence for c in suggestion.columns}
    assert confidence["Email"] >= 0.9 and 0 < confidence["Race"] < 1
    # codes the template does not know are listed for a person to translate, not guessed
    assert "Phone Screen" in suggestion.unmatched_values["stage_reached"]
    assert json.loads(json.dumps(suggestion.as_dict()))["table"] == "candidates"


def test_values_alone_can_place_a_column() -> None:
    header = ["Ref", "Person", "Progress", "When"]
    rows = [
        ["C-7", f"person{i}@example.org", stage, f"0{i % 9 + 1}/02/2026"]
        for i, stage in enumerate(["Long-listed", "Shortlist", "Interviewed", "Approached", "Long list"] * 4)
    ]
    suggestion = suggest_for_rows(header, rows)
    fields = {c.column: c.field for c in suggestion.columns}
    assert suggestion.table == "candidates"
    assert fields["Person"] == "candidate_ref" and fields["Progress"] == "stage_reached"
    assert fields["Ref"] == "campaign_ref"  # short references repeating down the column


def test_a_mapping_is_plain_json_and_checked(tmp_path: Path) -> None:
    mapping = ColumnMapping({"candidates": TableMapping("candidates", {"Applicant": "candidate_ref", "X": None})})
    assert ColumnMapping.from_json(json.loads(json.dumps(mapping.as_json()))) == mapping
    short = ColumnMapping.from_json({"candidates": {"Applicant": "candidate_ref"}})  # the short form
    assert short.tables["candidates"].columns == {"Applicant": "candidate_ref"}
    for bad, message in [
        ({"tables": {"people": {"columns": {"A": "candidate_ref"}}}}, "no template table"),
        ({"tables": {"candidates": {"columns": {"A": "shoe_size"}}}}, "not a candidates field"),
        ({"tables": {"candidates": {"columns": {"A": "source", "B": "source"}}}}, "both"),
        ([], "JSON object"),
    ]:
        with pytest.raises(MappingError, match=message):
            ColumnMapping.from_json(bad)
    path = tmp_path / "mapping.json"
    path.write_text("{not json", encoding="utf-8")
    with pytest.raises(MappingError, match=r"mapping\.json: is not valid JSON"):
        load_mapping(path)


def test_header_signature_ignores_order_case_and_punctuation() -> None:
    assert header_signature(["Candidate ID", "Email"]) == header_signature(["email", "CANDIDATE-ID", ""])
    assert header_signature(["Candidate ID", "Email"]) != header_signature(["Candidate ID", "E-mail 2"])


def test_a_mapped_workbook_sheet_with_title_rows(tmp_path: Path) -> None:
    book = Workbook()
    sheet = book.active
    sheet.title = "Pipeline"
    sheet.append(["Pipeline export, Harbour Search"])
    sheet.append(["Job code", "Who", "Where they got to"])
    sheet.append(["C-3", "a@example.org", "Shortlisted"])
    sheet.append(["C-3", "b@example.org", "Beamed up"])
    path = tmp_path / "pipeline.xlsx"
    book.save(path)
    mapping = ColumnMapping(
        {
            "candidates": TableMapping(
                "candidates",
                {"Job code": "campaign_ref", "Who": "candidate_ref", "Where they got to": "stage_reached"},
                sheet="Pipeline",
            )
        }
    )
    report, records = read(path, mapping=mapping)
    assert [r.stage_reached for r in records] == ["shortlisted"]
    [problem] = report.problems
    assert (problem.sheet, problem.row, problem.column, problem.value) == (
        "Pipeline",
        4,
        "Where they got to",
        "Beamed up",
    )

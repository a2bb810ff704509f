"""Each candidate of a campaign is counted once, however many rows name them (audits.model.one_row_per_candidate)."""

from audits.model import one_row_per_candidate
from importers.records import CandidateRecord


def row(key: str, stage: str | None, file: str, number: int, sex: str | None = None) -> CandidateRecord:
    return CandidateRecord(campaign_ref="C-1", candidate_key=key, stage_reached=stage, sex=sex, row=number, file=file)


def test_the_newest_file_decides_and_within_a_file_the_furthest_stage() -> None:
    week1 = [row("ada", "longlisted", "week-1.xlsx", 2), row("bo", "identified", "week-1.xlsx", 3)]
    # One row per stage reached, as some trackers give: the furthest decides, the last of equals.
    stages = [
        row("cy", "identified", "stages.csv", 2),
        row("cy", "longlisted", "stages.csv", 3, sex="female"),
        row("cy", "approached", "stages.csv", 4),
        row("cy", "longlisted", "stages.csv", 5, sex="male"),
    ]
    # The newer file's row wins, even when it gives an earlier stage: it is the agency's latest word.
    week2 = [row("ada", "shortlisted", "week-2.xlsx", 2), row("bo", None, "week-2.xlsx", 3)]
    kept, merged = one_row_per_candidate(week1 + stages + week2)
    assert [(c.candidate_key, c.stage_reached, c.file, c.row) for c in kept] == [
        ("cy", "longlisted", "stages.csv", 5),
        ("ada", "shortlisted", "week-2.xlsx", 2),
        ("bo", None, "week-2.xlsx", 3),
    ]
    assert kept[0].sex == "male" and merged == 5


def test_rows_of_different_candidates_are_all_kept_as_they_are() -> None:
    rows = [row(f"k{n}", "longlisted", "tracker.xlsx", n) for n in range(5)]
    kept, merged = one_row_per_candidate(rows)
    assert kept is rows and merged == 0
    assert one_row_per_candidate([]) == ([], 0)

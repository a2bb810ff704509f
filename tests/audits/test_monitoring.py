from audits.model import Status
from tests.audits.helpers import check_campaign, people

FULL = {"sex": "female", "ethnicity_group": "white", "disability": "no"}


def test_psed01_monitoring_at_every_stage_passes() -> None:
    candidates = people(
        {**FULL, "stage_reached": "shortlisted", "n": 4}, {**FULL, "stage_reached": "longlisted", "n": 4}
    )
    assert check_campaign("PSED-01", candidates=candidates).status is Status.PASS


def test_psed01_gap_warns_and_none_fails() -> None:
    gap = people({"sex": "male", "stage_reached": "shortlisted", "n": 4})
    finding = check_campaign("PSED-01", candidates=gap)
    assert finding.status is Status.WARN and "ethnicity" in finding.summary
    none = people({"stage_reached": "shortlisted", "n": 4})
    assert check_campaign("PSED-01", candidates=none).status is Status.FAIL


def test_es02_ethnicity_on_long_and_short_lists() -> None:
    reported = people({"ethnicity_group": "asian", "stage_reached": "shortlisted", "n": 3})
    assert check_campaign("ES-02", candidates=reported).status is Status.PASS
    missing = people({"stage_reached": "longlisted", "n": 5})
    assert check_campaign("ES-02", candidates=missing).status is Status.WARN


def test_es03_adverse_impact_flags_a_low_ratio_with_rows() -> None:
    candidates = people(
        {"sex": "female", "stage_reached": "shortlisted", "n": 2},
        {"sex": "female", "stage_reached": "longlisted", "n": 6},
        {"sex": "male", "stage_reached": "shortlisted", "n": 6},
        {"sex": "male", "stage_reached": "longlisted", "n": 2},
    )
    finding = check_campaign("ES-03", candidates=candidates)
    assert finding.status is Status.WARN
    assert "longlisted → shortlisted by sex" in finding.summary and "not a finding of discrimination" in finding.summary
    assert "tracker.xlsx (Candidates) rows" in finding.evidence_text()


def test_es03_even_rates_pass_and_small_groups_are_na() -> None:
    even = people(
        {"sex": "female", "stage_reached": "shortlisted", "n": 5},
        {"sex": "female", "stage_reached": "longlisted", "n": 5},
        {"sex": "male", "stage_reached": "shortlisted", "n": 5},
        {"sex": "male", "stage_reached": "longlisted", "n": 5},
    )
    assert check_campaign("ES-03", candidates=even).status is Status.PASS
    small = people(
        {"sex": "female", "stage_reached": "longlisted", "n": 2}, {"sex": "male", "stage_reached": "shortlisted"}
    )
    assert check_campaign("ES-03", candidates=small).status is Status.NA

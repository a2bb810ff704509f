from audits.model import CampaignBundle, Status
from importers.records import CampaignRecord, CandidateRecord
from tests.audits.helpers import check


def candidates(women: int, men: int, stage: str = "longlisted") -> list[CandidateRecord]:
    people = [("female", i) for i in range(women)] + [("male", i) for i in range(men)]
    return [
        CandidateRecord(
            campaign_ref="C-1", candidate_key=f"k{n}", stage_reached=stage, sex=sex, row=n + 2, file="tracker.xlsx"
        )
        for n, (sex, _i) in enumerate(people)
    ]


def test_es01_balanced_longlist_passes_and_names_its_rows() -> None:
    [finding] = check("ES-01", CampaignBundle(campaign=CampaignRecord("C-1"), candidates=candidates(4, 6)))
    assert finding.status is Status.PASS
    assert finding.evidence[0].rows[0].rows == list(range(2, 12))
    assert "tracker.xlsx (Candidates) rows 2, 3" in finding.evidence_text()


def test_es01_unbalanced_longlist_fails_without_justification() -> None:
    [finding] = check("ES-01", CampaignBundle(campaign=CampaignRecord("C-1"), candidates=candidates(2, 8)))
    assert finding.status is Status.FAIL


def test_es01_unbalanced_longlist_with_justification_warns() -> None:
    campaign = CampaignRecord("C-1", longlist_justification="Specialist market of 40 people, all approached.")
    [finding] = check("ES-01", CampaignBundle(campaign=campaign, candidates=candidates(2, 8)))
    assert finding.status is Status.WARN


def test_es01_without_candidates_says_no_data() -> None:
    [finding] = check("ES-01", CampaignBundle(campaign=CampaignRecord("C-1")))
    assert finding.status is Status.NO_DATA and "Candidates" in finding.summary

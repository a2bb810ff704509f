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


def test_es05_sla_missed_by_half_again_fails_and_met_passes() -> None:
    import datetime as dt

    from tests.audits.helpers import check_campaign

    late = CampaignRecord(
        "C-1", brief_date=dt.date(2026, 1, 1), longlist_date=dt.date(2026, 3, 1), sla_longlist_days=30
    )
    finding = check_campaign("ES-05", campaign=late)
    assert finding.status is Status.FAIL and "59 days against an SLA of 30" in finding.summary
    ok = CampaignRecord("C-1", brief_date=dt.date(2026, 1, 1), longlist_date=dt.date(2026, 1, 25), sla_longlist_days=30)
    assert check_campaign("ES-05", campaign=ok).status is Status.PASS
    assert check_campaign("ES-05", campaign=CampaignRecord("C-1", brief_date=dt.date(2026, 1, 1))).status is (
        Status.NO_DATA
    )


def test_es06_slow_acknowledgement_and_missing_feedback() -> None:
    import datetime as dt

    from tests.audits.helpers import check_campaign, people

    slow = people(
        {
            "first_contact_date": dt.date(2026, 3, 2),
            "acknowledged_date": dt.date(2026, 3, 20),
            "stage_reached": "responded",
        }
    )
    assert check_campaign("ES-06", candidates=slow).status is Status.WARN
    prompt = people(
        {
            "first_contact_date": dt.date(2026, 3, 2),
            "acknowledged_date": dt.date(2026, 3, 4),
            "stage_reached": "interviewed",
            "feedback_given": True,
        }
    )
    assert check_campaign("ES-06", candidates=prompt).status is Status.PASS


def test_es07_terms_missing_items_warn() -> None:
    from tests.audits.helpers import check_campaign

    partial = CampaignRecord("C-1", facts={"engagement_terms": ["fees", "scope"]})
    finding = check_campaign("ES-07", campaign=partial)
    assert finding.status is Status.WARN and "off limits" in finding.summary
    items = ["fees", "payment_timing", "scope", "confidentiality", "conflicts", "off_limits", "guarantee"]
    assert check_campaign("ES-07", campaign=CampaignRecord("C-1", facts={"engagement_terms": items})).status is (
        Status.PASS
    )
    assert check_campaign("ES-07", campaign=CampaignRecord("C-1")).status is Status.NO_DATA


def test_es08_fee_basis() -> None:
    from decimal import Decimal

    from tests.audits.helpers import check_campaign

    high = CampaignRecord("C-1", fee_type="percentage", fee_percent=Decimal(35), facts={"fee_base": "base_salary"})
    assert check_campaign("ES-08", campaign=high).status is Status.WARN
    fixed = CampaignRecord("C-1", fee_type="fixed", fee_fixed=Decimal(30000))
    assert check_campaign("ES-08", campaign=fixed).status is Status.PASS
    uncapped = CampaignRecord(
        "C-1", fee_type="percentage", fee_percent=Decimal(25), facts={"fee_base": "total_remuneration"}
    )
    assert check_campaign("ES-08", campaign=uncapped).status is Status.WARN


def test_es09_guarantee() -> None:
    from audits.model import Severity
    from tests.audits.helpers import check_campaign

    assert check_campaign("ES-09", campaign=CampaignRecord("C-1", guarantee_months=12)).status is Status.PASS
    short = check_campaign("ES-09", campaign=CampaignRecord("C-1", guarantee_months=3))
    assert short.status is Status.WARN and short.severity is Severity.INFO
    assert check_campaign("ES-09", campaign=CampaignRecord("C-1", guarantee_months=0)).status is Status.WARN


def test_es10_declarations_before_the_search() -> None:
    import datetime as dt

    from tests.audits.helpers import check_campaign

    before = CampaignRecord(
        "C-1",
        brief_date=dt.date(2026, 1, 10),
        conflict_declaration_date=dt.date(2026, 1, 8),
        facts={"off_limits_declaration_date": "2026-01-09"},
    )
    assert check_campaign("ES-10", campaign=before).status is Status.PASS
    missing = CampaignRecord("C-1", brief_date=dt.date(2026, 1, 10), conflict_declaration_date=dt.date(2026, 1, 8))
    assert check_campaign("ES-10", campaign=missing).status is Status.FAIL
    late = CampaignRecord(
        "C-1",
        brief_date=dt.date(2026, 1, 10),
        conflict_declaration_date=dt.date(2026, 3, 1),
        facts={"off_limits_declaration_date": "2026-01-09"},
    )
    assert check_campaign("ES-10", campaign=late).status is Status.WARN

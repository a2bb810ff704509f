from audits.model import Status
from tests.audits.helpers import check_advert


def test_dis01_health_question_in_the_form_fails() -> None:
    finding = check_advert("DIS-01", "Apply online.", questions=["How many days sickness absence did you have?"])
    assert finding.status is Status.FAIL
    assert finding.evidence[0].field == "question"


def test_dis01_adjustment_and_monitoring_questions_pass() -> None:
    finding = check_advert(
        "DIS-01",
        "We are a Disability Confident employer and welcome disabled applicants.",
        questions=[
            "Do you need any reasonable adjustments at interview?",
            "Diversity monitoring: do you consider yourself disabled?",
        ],
    )
    assert finding.status is Status.PASS


def test_dis01_text_promising_a_pre_offer_health_check_warns() -> None:
    assert check_advert("DIS-01", "Send your CV and your sickness absence record.").status is Status.WARN


def test_dis02_adjustments_with_formats_and_contact_pass() -> None:
    text = (
        "We will make reasonable adjustments. The pack is available in alternative formats such as large print. "
        "Contact recruitment@northshire.example or 01632 960 123."
    )
    assert check_advert("DIS-02", text).status is Status.PASS


def test_dis02_missing_or_without_contact_warns() -> None:
    assert check_advert("DIS-02", "Apply by Friday.").status is Status.WARN
    no_contact = check_advert("DIS-02", "We will make reasonable adjustments and offer alternative formats.")
    assert no_contact.status is Status.WARN and not no_contact.details["contact"]


def test_dis03_disability_confident_without_opt_in_warns() -> None:
    from tests.audits.helpers import check_advert as run

    finding = run("DIS-03", "We are a Disability Confident employer.\n\nEssential\n• Leadership")
    assert finding.status is Status.WARN
    assert "opt in" in finding.summary and "desirable" in finding.summary


def test_dis03_opt_in_and_split_passes_and_non_signatory_is_na() -> None:
    from tests.audits.helpers import check_advert as run

    text = (
        "As a Disability Confident employer we guarantee an interview to disabled applicants who meet the essential "
        "criteria.\n\nEssential\n• Leadership\n\nDesirable\n• Board experience"
    )
    assert run("DIS-03", text).status is Status.PASS
    assert run("DIS-03", "Apply by Friday.").status is Status.NA


def test_dis04_eligible_candidate_not_interviewed_fails_with_rows() -> None:
    from tests.audits.helpers import check_campaign, people

    candidates = people(
        {"stage_reached": "interviewed", "n": 3},
        {"stage_reached": "longlisted", "dc_opt_in": True, "meets_essential_criteria": True},
        {"stage_reached": "interviewed", "dc_opt_in": True, "meets_essential_criteria": True},
    )
    finding = check_campaign("DIS-04", candidates=candidates)
    assert finding.status is Status.FAIL
    assert "tracker.xlsx (Candidates) row 5" in finding.evidence_text()


def test_dis04_all_interviewed_passes_and_no_opt_ins_is_no_data() -> None:
    from tests.audits.helpers import check_campaign, people

    candidates = people({"stage_reached": "interviewed", "dc_opt_in": True, "meets_essential_criteria": True})
    assert check_campaign("DIS-04", candidates=candidates).status is Status.PASS
    assert check_campaign("DIS-04", candidates=people({"stage_reached": "interviewed"})).status is Status.NO_DATA

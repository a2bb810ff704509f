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

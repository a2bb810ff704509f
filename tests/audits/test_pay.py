from decimal import Decimal

from audits.model import Severity, Status
from importers.records import Salary
from tests.audits.helpers import check_advert


def test_pay01_salary_range_in_text_passes() -> None:
    finding = check_advert("PAY-01", "Salary: £95,000 to £105,000 per annum.")
    assert finding.status is Status.PASS and finding.details["period"] == "year"
    assert finding.evidence[0].quote == "£95,000 to £105,000"


def test_pay01_structured_salary_passes() -> None:
    salary = Salary(text="GBP 97000 - 120000", minimum=Decimal(97000), maximum=Decimal(120000), origin="json-ld")
    assert check_advert("PAY-01", "Lead digital services.", salary=salary).status is Status.PASS


def test_pay01_competitive_only_fails() -> None:
    finding = check_advert("PAY-01", "We offer a competitive salary, depending on experience.")
    assert finding.status is Status.FAIL and finding.severity is Severity.HIGH
    assert "competitive salary" in finding.summary


def test_pay01_no_salary_fails() -> None:
    assert check_advert("PAY-01", "Lead the finance team.").status is Status.FAIL


def test_pay02_salary_history_question_is_a_high_warning_for_uk_roles() -> None:
    finding = check_advert("PAY-02", "Apply online.", questions=["What is your current salary?"])
    assert finding.status is Status.WARN and finding.severity is Severity.HIGH


def test_pay02_no_pay_history_passes() -> None:
    assert check_advert("PAY-02", "Tell us your salary expectations.").status is Status.PASS

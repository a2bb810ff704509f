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


def test_pay03_abbreviated_salary_without_period_warns() -> None:
    from tests.audits.helpers import check_advert as run

    finding = run("PAY-03", "The salary is £110k plus benefits.")
    assert finding.status is Status.WARN and "in full" in finding.summary


def test_pay03_full_figures_with_period_pass_and_no_salary_is_na() -> None:
    from tests.audits.helpers import check_advert as run

    assert run("PAY-03", "Salary: £95,000 - £105,000 per annum.").status is Status.PASS
    assert run("PAY-03", "A competitive package.").status is Status.NA
    assert run("PAY-03", "You will manage a budget of £180 million.").status is Status.NA


def test_pay03_free_text_base_salary_warns() -> None:
    from audits.model import CampaignBundle
    from tests.audits.helpers import check, page

    structured = {"title": "Chief Nurse", "baseSalary": {"currency": "GBP", "value": {"value": "£90,000 - £100,000"}}}
    [finding] = check(
        "PAY-03", CampaignBundle(adverts=[page("Salary £90,000 - £100,000 a year.", structured=structured)])
    )
    assert finding.status is Status.WARN and "not numbers" in finding.summary


def _la(salary: int, **facts: object) -> dict:
    from decimal import Decimal

    from importers.records import CampaignRecord

    campaign = CampaignRecord("C-1", salary_max=Decimal(salary), salary_period="year", facts=dict(facts), row=2)
    return {"campaign": campaign, "organisation_type": "local_authority", "nation": "england"}


def test_pay04_local_authority_over_100k_needs_approval() -> None:
    from tests.audits.helpers import check_campaign

    missing = check_campaign("PAY-04", **_la(135000))
    assert missing.status is Status.WARN and "pay_approval_ref" in missing.summary
    assert check_campaign("PAY-04", **_la(135000, pay_policy_covers=True)).status is Status.PASS
    assert check_campaign("PAY-04", **_la(90000)).status is Status.NA


def test_pay04_outside_local_government_and_unknown_type() -> None:
    from tests.audits.helpers import check_campaign

    bundle = _la(135000)
    assert check_campaign("PAY-04", **{**bundle, "organisation_type": "nhs"}).status is Status.NA
    assert check_campaign("PAY-04", **{**bundle, "organisation_type": None}).status is Status.NO_DATA


def test_pay05_central_government_over_174k_needs_treasury_approval() -> None:
    from tests.audits.helpers import check_campaign

    bundle = _la(0, total_remuneration="180000")
    bundle["organisation_type"] = "central_government"
    assert check_campaign("PAY-05", **bundle).status is Status.WARN
    bundle["campaign"].pay_approval_ref = "CST/2026/14"
    assert check_campaign("PAY-05", **bundle).status is Status.PASS
    exempt = _la(0, total_remuneration="180000", previous_holder_pay="175000")
    exempt["organisation_type"] = "alb"
    assert check_campaign("PAY-05", **exempt).status is Status.PASS
    below = _la(150000)
    below["organisation_type"] = "central_government"
    assert check_campaign("PAY-05", **below).status is Status.NA

from audits.model import Severity, Status
from tests.audits.helpers import check_advert


def test_eq04_ten_years_or_more_warns_with_the_quote() -> None:
    finding = check_advert("EQ-04", "You will have a minimum of 15 years' experience in senior finance roles.")
    assert finding.status is Status.WARN and finding.severity is Severity.MEDIUM
    assert finding.evidence[0].quote == "15 years' experience"
    assert finding.details["years"] == [15]


def test_eq04_shorter_requirements_are_info_and_none_passes() -> None:
    short = check_advert("EQ-04", "At least five years of board-level experience.")
    assert short.status is Status.WARN and short.severity is Severity.INFO
    assert check_advert("EQ-04", "Experience of leading a large organisation.").status is Status.PASS


def test_lang08_too_many_essentials_and_elite_education() -> None:
    bullets = "\n".join(f"• Criterion {n}" for n in range(9))
    text = (
        f"Person specification\n\nEssential criteria\n{bullets}\n\n"
        "Desirable\n• A degree from a Russell Group university"
    )
    finding = check_advert("LANG-08", text)
    assert finding.status is Status.WARN
    assert finding.details["essential_criteria"] == 9
    assert "russell group" in finding.summary.lower()


def test_lang08_short_list_with_equivalent_route_passes() -> None:
    text = (
        "Essential\n• Leadership of a large service\n• A degree or equivalent experience\n\n"
        "Desirable\n• Board experience"
    )
    assert check_advert("LANG-08", text).status is Status.PASS
    degree = check_advert("LANG-08", "A degree is essential for this role.")
    assert degree.status is Status.WARN

from audits.model import Severity, Status
from tests.audits.helpers import check_advert


def test_lang01_strongly_masculine_advert_warns_with_both_measures() -> None:
    text = "We want a competitive, ambitious, decisive and determined leader who is driven, assertive and confident."
    finding = check_advert("LANG-01", text)
    assert finding.status is Status.WARN and finding.severity is Severity.MEDIUM
    details = finding.details
    assert details["verdict"] == "strongly masculine-coded"
    assert set(details) >= {"masculine", "feminine", "masculine_pct", "feminine_pct", "verdict"}
    assert details["masculine_pct"] > 30
    assert "competitive" in details["masculine"]


def test_lang01_balanced_advert_passes() -> None:
    finding = check_advert("LANG-01", "You will support and collaborate with colleagues and lead with empathy.")
    assert finding.status is Status.PASS


def test_lang01_public_sector_exceptions_are_not_counted() -> None:
    text = (
        "Northshire NHS Foundation Trust. Key responsibilities: report to the audit committee and the Trust Board. "
        "Lead children's services."
    )
    finding = check_advert("LANG-01", text)
    assert "trust" not in finding.details["feminine"]
    assert "committee" not in finding.details["feminine"]
    assert "responsibilities" not in finding.details["feminine"]
    assert "children" not in finding.details["feminine"]


def test_lang01_never_fails() -> None:
    text = " ".join(["competitive dominant aggressive"] * 30)
    assert check_advert("LANG-01", text).status is not Status.FAIL

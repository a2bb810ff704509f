from audits.model import Status
from tests.audits.helpers import check_advert


def test_rtw01_obsolete_act_warns() -> None:
    finding = check_advert("RTW-01", "Under the Asylum and Immigration Act 1996 you must prove your right to work.")
    assert finding.status is Status.WARN and "2006" in finding.summary
    assert check_advert("RTW-01", "All successful candidates must prove their right to work in the UK.").status is (
        Status.PASS
    )


def test_rtw02_targeted_statement_warns_and_universal_passes() -> None:
    targeted = check_advert("RTW-02", "Non-UK applicants must provide their visa details with the application.")
    assert targeted.status is Status.WARN
    universal = check_advert("RTW-02", "All applicants must have the right to work in the UK.")
    assert universal.status is Status.PASS
    assert check_advert("RTW-02", "Apply by Friday.").status is Status.NA

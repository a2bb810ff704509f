from audits.model import Severity, Status
from tests.audits.helpers import check_advert


def test_eq09_restriction_without_reason_fails_and_with_reason_warns() -> None:
    bare = check_advert("EQ-09", "This post is open to women only. Apply by Friday.")
    assert bare.status is Status.FAIL and bare.severity is Severity.CRITICAL
    reasoned = check_advert(
        "EQ-09",
        "Female applicants only: this is an occupational requirement under the Equality Act 2010, Schedule 9, "
        "because the post-holder provides intimate personal care in a women's refuge.",
    )
    assert reasoned.status is Status.WARN


def test_eq09_no_restriction_passes() -> None:
    assert check_advert("EQ-09", "We welcome applications from women and men.").status is Status.PASS


def test_eq10_blanket_preference_fails() -> None:
    finding = check_advert("EQ-10", "Preference will be given to female candidates.")
    assert finding.status is Status.FAIL and "s.159" in finding.summary


def test_eq10_encouragement_tie_break_and_disability_pass_or_flag() -> None:
    encouraging = "We particularly welcome applications from Black and Asian candidates, who are under-represented."
    assert check_advert("EQ-10", encouraging).status is Status.PASS
    tie = "Where two candidates are equally qualified, preference will be given to the woman."
    assert check_advert("EQ-10", tie).status is Status.WARN
    disabled = "Preference will be given to disabled applicants who meet the essential criteria."
    assert check_advert("EQ-10", disabled).status is Status.PASS
    skills = "Preference will be given to candidates with local government experience."
    assert check_advert("EQ-10", skills).status is Status.NA

from audits.model import Severity, Status
from tests.audits.helpers import check_advert


def test_eq01_gendered_title_fails_and_body_warns() -> None:
    title = check_advert("EQ-01", "Lead the board.", title="Chairman of the Board")
    assert title.status is Status.FAIL and title.severity is Severity.CRITICAL
    assert title.evidence[0].quote == "Chairman" and title.evidence[0].field == "title"
    body = check_advert("EQ-01", "You will work with the foreman and the chairman.", title="Chair")
    assert body.status is Status.WARN and body.severity is Severity.HIGH
    assert [e.quote for e in body.evidence] == ["foreman", "chairman"]
    assert (body.evidence[0].start, body.evidence[0].end) == (23, 30)


def test_eq01_neutral_titles_and_place_names_pass() -> None:
    finding = check_advert("EQ-01", "Based in Douglas, Isle of Man, reporting to the Housing Ombudsman.", title="Chair")
    assert finding.status is Status.PASS


def test_eq02_gendered_pronouns() -> None:
    assert check_advert("EQ-02", "He will lead the team; his/her duties include budgets.").status is Status.WARN
    assert check_advert("EQ-02", "You will lead the team. They will report to the board.").status is Status.PASS
    quoted = check_advert("EQ-02", "Our chair said: “he will be missed”.")
    assert quoted.status is Status.PASS


def test_eq03_age_limits_fail_and_coded_words_warn() -> None:
    limit = check_advert("EQ-03", "Applicants must be under 45.")
    assert limit.status is Status.FAIL and limit.severity is Severity.CRITICAL
    coded = check_advert("EQ-03", "We want a young and dynamic digital native.")
    assert coded.status is Status.WARN and coded.severity is Severity.HIGH
    assert {e.quote.lower() for e in coded.evidence} == {"young and dynamic", "digital native"}


def test_eq03_public_sector_client_groups_pass() -> None:
    text = (
        "Lead children's services for children and young people, including care leavers aged 18 to 25 and "
        "services for under 18s. A budget of over 50 million pounds and over 20 schools."
    )
    assert check_advert("EQ-03", text).status is Status.PASS


def test_eq05_native_speaker_and_nationality() -> None:
    assert check_advert("EQ-05", "You must be a native English speaker.").status is Status.FAIL
    assert check_advert("EQ-05", "UK nationals only.").status is Status.FAIL
    assert check_advert("EQ-05", "Fluent written and spoken English is essential.").status is Status.PASS


def test_eq07_inclusion_statement() -> None:
    assert check_advert("EQ-07", "We welcome applications from everyone.").status is Status.PASS
    missing = check_advert("EQ-07", "Apply by Friday.")
    assert missing.status is Status.WARN and missing.suggestion

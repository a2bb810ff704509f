from audits.model import Status
from tests.audits.helpers import check_advert

PLAIN = (
    "You will run the council's housing service. You will lead a team of forty people. You will set the budget and "
    "check it each month. You will talk to tenants and listen to what they need. You will work with the police and "
    "the health service. You will report to the chief executive. We want someone who is fair and calm. You will need "
    "to make hard choices and explain them in plain words. The job is based in the town centre. You can work from "
    "home two days a week. We will train you in our systems. We pay for your travel to meetings."
)
DENSE = (
    "The postholder will be accountable for the strategic operationalisation of organisational transformation "
    "methodologies, ensuring comprehensive interdepartmental alignment of multidisciplinary infrastructural "
    "investment prioritisation considerations, notwithstanding concomitant regulatory, governance and "
    "institutional accountability requirements, and facilitating continuous improvement of organisational "
    "effectiveness through evidence-informed interdisciplinary collaboration, performance management "
    "optimisation and transformational stakeholder engagement across heterogeneous partnership configurations, "
    "incorporating sophisticated organisational development interventions, comprehensive contractual "
    "administration responsibilities and multidimensional institutional capability enhancement programmes. "
) * 2


def test_lang03_plain_text_passes_and_records_the_textstat_version() -> None:
    finding = check_advert("LANG-03", PLAIN)
    assert finding.status is Status.PASS
    assert finding.details["textstat"] == "0.7.8"
    assert finding.details["flesch_reading_ease"] >= 50


def test_lang03_dense_text_fails_and_boilerplate_is_left_out() -> None:
    finding = check_advert("LANG-03", DENSE + "\n\nWe welcome applications from everyone regardless of background.")
    assert finding.status is Status.FAIL
    assert finding.details["boilerplate_paragraphs_left_out"] == 1


def test_lang03_short_text_is_not_scored() -> None:
    assert check_advert("LANG-03", "Apply by Friday.").status is Status.NA


def test_lang04_long_sentences() -> None:
    long = check_advert("LANG-04", DENSE)
    assert long.status is Status.WARN and long.evidence[0].note.endswith("words")
    assert check_advert("LANG-04", PLAIN).status is Status.PASS


def test_lang05_jargon_warns_and_public_sector_terms_do_not_count() -> None:
    jargon = check_advert(
        "LANG-05", "You will drive transformation, leverage synergies, empower teams and deliver a robust agenda."
    )
    assert jargon.status is Status.WARN and len(jargon.details["distinct"]) > 3
    plain = check_advert(
        "LANG-05",
        "Key responsibilities\nJoin our talent pool. You will deliver high-quality public services and report to the "
        "audit committee. We will consider the pool of applicants fairly.",
    )
    assert plain.status is Status.PASS and plain.details["distinct"] == []


def test_lang06_undefined_acronyms_warn_and_defined_ones_pass() -> None:
    bad = check_advert("LANG-06", "Work with the ICB, the CQC, the LGA, DLUHC and the SLT on the MTFS.")
    assert bad.status is Status.WARN and "ICB" in bad.details["undefined"]
    good = check_advert(
        "LANG-06",
        "Work with the Integrated Care Board (ICB) and the Care Quality Commission (CQC). The ICB meets monthly.\n"
        "KEY RESPONSIBILITIES\nReport to the NHS board.",
    )
    assert good.status is Status.PASS and good.details["undefined"] == []

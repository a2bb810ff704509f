from audits.checklist import load_shipped
from audits.model import Finding, Severity, Status
from audits.scoring import score_findings


def finding(severity: Severity, status: Status) -> Finding:
    return Finding("X-1", "t", "f", severity, status, "s", "", [], "r", "")


def test_any_critical_fail_is_red() -> None:
    scoring = load_shipped().scoring
    findings = [finding(Severity.CRITICAL, Status.FAIL)] + [finding(Severity.LOW, Status.PASS)] * 50
    assert score_findings(findings, scoring).rag == "Red"


def test_all_pass_is_green_and_no_data_is_not_counted() -> None:
    scoring = load_shipped().scoring
    score = score_findings([finding(Severity.HIGH, Status.PASS), finding(Severity.HIGH, Status.NO_DATA)], scoring)
    assert (score.value, score.rag) == (100.0, "Green")


def test_high_fail_caps_at_amber_and_weights_apply() -> None:
    scoring = load_shipped().scoring
    findings = [finding(Severity.HIGH, Status.FAIL)] + [finding(Severity.CRITICAL, Status.PASS)] * 6
    score = score_findings(findings, scoring)
    assert score.value == round(100 * 48 / 52, 1) and score.rag == "Amber"


def test_nothing_scored_is_not_rated() -> None:
    assert score_findings([finding(Severity.HIGH, Status.NO_DATA)], load_shipped().scoring).rag == "Not rated"

import pytest

from audits import engine
from audits.checklist import Change, ChecklistError, derive, load_shipped, parse_checklist
from audits.registry import CHECKS


def test_the_shipped_checklist_is_valid_and_every_check_has_a_reference_and_suggestion() -> None:
    checklist = load_shipped()
    assert checklist.id and checklist.version and len(checklist.sha256) == 64
    assert engine.validate(checklist) == []
    for rule in checklist.rules:
        assert rule.reference and rule.suggestion and rule.data, rule.id
        for exception in rule.exceptions:
            assert exception.reason, f"{rule.id}: exception {exception.phrase!r} has no reason"


def test_every_registered_check_is_in_the_shipped_checklist() -> None:
    ids = {rule.id for rule in load_shipped().rules}
    assert set(CHECKS) <= ids


def test_derive_changes_a_threshold_and_switches_a_check_off_with_a_reason() -> None:
    base = load_shipped()
    text = derive(
        base,
        [
            Change("ES-01", "param", "min_share", 0.4),
            Change("LANG-01", "disable", reason="Board decision 12/2026: advisory only"),
        ],
        new_id="northshire-2026",
        author="auditor@northshire.example",
    )
    copy = parse_checklist(text)
    assert copy.id == "northshire-2026" and copy.version == "1"
    assert copy.based_on == f"{base.id} v{base.version}"
    assert copy.rule("ES-01").params["min_share"] == 0.4
    assert not copy.rule("LANG-01").enabled and "Board decision" in (copy.rule("LANG-01").disabled_reason or "")
    assert copy.sha256 != base.sha256
    again = parse_checklist(derive(copy, [Change("ES-01", "param", "min_share", 0.35)]))
    assert again.version == "2"


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (Change("LANG-01", "disable"), "needs a reason"),
        (Change("ES-01", "param", "no_such_threshold", 1), "no parameter"),
        (Change("ES-01", "param", "min_share", "thirty per cent"), "must be a float"),
        (Change("XX-99", "disable", reason="x"), "no check XX-99"),
        (Change("ES-01", "param", "fail_status", "flail"), "is not a status"),
        (Change("EQ-03", "param", "coded_severity", "grave"), "is not a severity"),
    ],
)
def test_bad_changes_are_refused(change: Change, message: str) -> None:
    with pytest.raises(ChecklistError, match=message):
        derive(load_shipped(), [change])


def test_a_check_switched_off_without_a_reason_is_refused() -> None:
    text = load_shipped().text.replace("[checks.EQ-02]\n", "[checks.EQ-02]\nenabled = false\n")
    with pytest.raises(ChecklistError, match="disabled_reason"):
        parse_checklist(text)

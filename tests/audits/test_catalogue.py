"""Properties of the whole catalogue: coverage of Part C, references, exceptions, thresholds and determinism."""

import ast
import datetime as dt
import inspect
import json
import re
from decimal import Decimal
from pathlib import Path

import pytest

from audits import engine
from audits.checklist import load_shipped
from audits.model import CampaignBundle, Status
from audits.registry import CHECKS
from importers.records import AdvertRecord, CampaignRecord, Link, OutreachRecord
from tests.audits.helpers import check_advert, people

PART_C = (
    "EQ-01 EQ-03 EQ-09 EQ-10 DIS-01 PAY-02 EQ-05 EQ-07 DIS-02 DIS-03 RTW-02 RTW-01 LANG-01 LANG-03 LANG-04 LANG-05 "
    "LANG-06 EQ-04 LANG-08 PAY-01 PAY-03 SD-01 SD-02 SD-03 ACC-01 ACC-02 ACC-03 DP-01 DP-06 FOC-01 LI-07 DP-02 LI-01 "
    "LI-03 LI-04 LI-05 ES-01 ES-02 PSED-01 ES-03 DIS-04 ES-05 ES-06 DP-04 ES-07 ES-10 ES-08 ES-09 PAY-04 PAY-05 "
    "FOC-02 FOC-05 FOC-07"
).split()
GAUCHER = Path(__file__).resolve().parents[1] / "fixtures" / "gaucher" / "appendix_b_engineer.json"
GAUCHER_PAIRS = [
    pair
    for path in sorted(GAUCHER.parent.glob("appendix_b_*.json"))
    for pair in json.loads(path.read_text(encoding="utf-8"))["pairs"]
]
_PARAM = re.compile(r"""(?:param|status_param|severity_param)\(\s*["']([\w]+)["']\s*\)""")


def test_every_part_c_check_is_implemented_and_in_the_shipped_checklist() -> None:
    checklist = load_shipped()
    ids = {rule.id for rule in checklist.rules}
    assert set(PART_C) <= set(CHECKS) and set(PART_C) <= ids


def _strings_outside_docstrings(source: str) -> list[str]:
    tree = ast.parse(source)
    docstrings = {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef)
        and node.body
        and isinstance(node.body[0], ast.Expr)
        and isinstance(node.body[0].value, ast.Constant)
    }
    return [
        node.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings
    ]


def test_no_reference_summary_or_suggestion_says_unlawful() -> None:
    checklist = load_shipped()
    for rule in checklist.rules:
        for text in (rule.reference, rule.suggestion, rule.title, *(e.reason for e in rule.exceptions)):
            assert "unlawful" not in text.lower(), rule.id
    for path in Path(engine.__file__).parent.glob("*.py"):
        for literal in _strings_outside_docstrings(path.read_text(encoding="utf-8")):
            assert "unlawful" not in literal.lower(), f"{path.name}: {literal}"
    result = engine.run(load_shipped(), _busy_bundle())
    for finding in result.findings:
        assert "unlawful" not in (finding.summary + finding.suggestion).lower(), finding.check_id


def test_every_parameter_a_check_reads_is_in_its_checklist_table() -> None:
    checklist = load_shipped()
    for check_id, spec in CHECKS.items():
        names = set(_PARAM.findall(inspect.getsource(spec.function)))
        missing = names - set(checklist.rule(check_id).params)
        assert not missing, f"{check_id} reads {missing} that its [checks.{check_id}.params] table lacks"


def test_public_sector_wording_is_an_exception_where_the_peer_tools_would_flag_it() -> None:
    checklist = load_shipped()
    expected = {
        "LANG-01": [
            "NHS Foundation Trust",
            "committee*",
            "responsibilit*",
            "children's services",
            "competitive salary",
        ],
        "DIS-01": ["disabled applicants"],
        "LANG-05": ["talent pool"],
        "EQ-01": ["Isle of Man"],
    }
    for check_id, phrases in expected.items():
        exceptions = {e.phrase: e.reason for e in checklist.rule(check_id).exceptions}
        for phrase in phrases:
            assert exceptions.get(phrase), f"{check_id} has no exception with a reason for {phrase!r}"


def test_public_sector_wording_does_not_trigger_the_checks() -> None:
    text = (
        "Northshire NHS Foundation Trust seeks a Director. Key responsibilities: report to the audit committee and "
        "lead children's services. Join our talent pool. We offer a competitive salary of £120,000 a year. "
        "We welcome disabled applicants. Based near Douglas, Isle of Man."
    )
    lang = check_advert("LANG-01", text)
    assert not {"trust", "committee", "responsibilities", "children's", "competitive"} & set(
        lang.details["masculine"] + lang.details["feminine"]
    )
    assert check_advert("LANG-05", text).details["distinct"] == []
    assert check_advert("EQ-01", text).status is Status.PASS
    assert check_advert("DIS-01", text).status is Status.PASS


@pytest.mark.parametrize("pair", GAUCHER_PAIRS, ids=lambda p: f"{p['occupation']}: {p['section']}")
def test_gaucher_appendix_b_masculine_versions_score_more_masculine(pair: dict[str, str]) -> None:
    masculine = check_advert("LANG-01", pair["masculine"]).details
    feminine = check_advert("LANG-01", pair["feminine"]).details
    score = lambda d: len(d["feminine"]) - len(d["masculine"])  # noqa: E731
    assert score(masculine) < score(feminine)  # gender-decoder's count measure
    assert masculine["masculine_pct"] - masculine["feminine_pct"] > feminine["masculine_pct"] - feminine["feminine_pct"]


def test_gaucher_whole_engineer_advert_verdicts() -> None:
    pairs = json.loads(GAUCHER.read_text(encoding="utf-8"))["pairs"]
    masculine = check_advert("LANG-01", "\n\n".join(p["masculine"] for p in pairs))
    feminine = check_advert("LANG-01", "\n\n".join(p["feminine"] for p in pairs))
    assert masculine.details["verdict"] == "strongly masculine-coded"
    assert feminine.details["verdict"] in ("feminine-coded", "strongly feminine-coded")
    assert masculine.details["masculine_pct"] > feminine.details["masculine_pct"]


def _busy_bundle() -> CampaignBundle:
    campaign = CampaignRecord(
        "C-1",
        organisation_type="local_authority",
        nation="england",
        brief_date=dt.date(2026, 1, 5),
        longlist_date=dt.date(2026, 2, 20),
        sla_longlist_days=30,
        salary_max=Decimal(140000),
        salary_period="year",
        fee_type="percentage",
        fee_percent=Decimal(30),
        guarantee_months=6,
        facts={"retention_months": 6, "engagement_terms": ["fees", "scope"]},
        row=2,
        file="tracker.xlsx",
    )
    advert = AdvertRecord(
        title="Chairman of the Board",
        text="We want a young, dynamic leader with 15 years' experience. Preference will be given to men. "
        "Salary £140k. Read our privacy notice.",
        source_kind="html",
        source_name="advert.html",
        links=[Link("click here", "/pack.pdf")],
    )
    candidates = people(
        {"sex": "female", "ethnicity_group": "asian", "disability": "no", "stage_reached": "longlisted", "n": 6},
        {"sex": "male", "ethnicity_group": "white", "disability": "no", "stage_reached": "shortlisted", "n": 6},
    )
    outreach = [OutreachRecord("C-1", channel="inmail", message_chars=900 + i, template_id="T") for i in range(5)]
    return CampaignBundle(
        campaign=campaign,
        adverts=[advert],
        candidates=candidates,
        outreach=outreach,
        organisation_type="local_authority",
        nation="england",
        as_of=dt.date(2026, 6, 30),
    )


def test_the_same_bundle_and_checklist_give_identical_findings() -> None:
    checklist = load_shipped()
    first = engine.run(checklist, _busy_bundle())
    second = engine.run(checklist, _busy_bundle())
    assert [f.as_dict() for f in first.findings] == [f.as_dict() for f in second.findings]
    assert first.score == second.score
    assert first.score.rag == "Red"  # EQ-01 (title) and EQ-09/EQ-10 are Critical or High failures
    assert {f.check_id for f in first.findings} == {rule.id for rule in checklist.rules}


def test_every_check_runs_on_an_empty_bundle_without_error() -> None:
    result = engine.run(load_shipped(), CampaignBundle())
    assert {f.status for f in result.findings} <= {Status.NO_DATA, Status.NA, Status.PASS}

"""An audit's findings: filters, evidence in place (words marked in the advert, or the rows a check used), the
auditor's review and the agency's response, both kept in the event log."""

from __future__ import annotations

import re

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from app.models import AuditRun, Campaign, Event, Finding
from tests.app.web import csrf_token, every, first, sign_in
from tests.pages import check_page


def _run(app: Flask, ref: str = "NCC-2026-002") -> AuditRun:
    return first(app, select(AuditRun).join(Campaign).where(Campaign.ref == ref))


def _finding(app: Flask, run: AuditRun, check: str) -> Finding:
    return first(app, select(Finding).where(Finding.audit_run_id == run.id, Finding.check_id == check))


def _checks(html: str) -> list[str]:
    import re

    return re.findall(r"<strong>([A-Z]+-\d+)</strong>", html)


def test_filters(demo_app: Flask, client: FlaskClient) -> None:
    run = _run(demo_app)
    findings = every(demo_app, select(Finding).where(Finding.audit_run_id == run.id).order_by(Finding.seq))
    sign_in(client, "procurement@demo.example")
    base = f"/audits/{run.public_id}"
    html = client.get(base).get_data(as_text=True)
    check_page(html, base)
    assert _checks(html) == [f.check_id for f in findings]
    for query, wanted in (
        ("?status=fail", [f.check_id for f in findings if f.status == "fail"]),
        ("?severity=critical", [f.check_id for f in findings if f.severity == "critical"]),
        (
            "?family=equality&status=warn",
            [f.check_id for f in findings if f.family == "equality" and f.status == "warn"],
        ),
        ("?status=bogus", [f.check_id for f in findings]),
    ):
        page = client.get(base + query).get_data(as_text=True)
        check_page(page, base + query)
        assert _checks(page) == wanted, query
    assert "No finding matches the filters" in client.get(base + "?family=nothing").get_data(as_text=True)


def _next_page(html: str) -> str | None:
    found = re.search(r'<a class="govuk-link govuk-pagination__link" href="([^"]+)" rel="next">', html)
    return found.group(1).replace("&amp;", "&") if found else None


def test_findings_come_a_page_at_a_time(demo_app: Flask, client: FlaskClient, monkeypatch: pytest.MonkeyPatch) -> None:
    """An audit of thousands of adverts has 100,000 findings and more: the page lists them a page at a time, with
    the counts of all of them, and the filters kept from page to page."""
    from app.services import triage

    monkeypatch.setattr(triage, "FINDINGS_PER_PAGE", 7)
    run = _run(demo_app)
    findings = every(demo_app, select(Finding).where(Finding.audit_run_id == run.id).order_by(Finding.seq))
    assert len(findings) > 3 * 7  # several pages, with a gap in the page numbers
    sign_in(client, "auditor@demo.example")
    base = f"/audits/{run.public_id}"
    for query, wanted in (
        ("", [f.check_id for f in findings]),
        ("?status=pass", [f.check_id for f in findings if f.status == "pass"]),
    ):
        seen: list[str] = []
        path: str | None = base + query
        pages = 0
        while path is not None:
            html = client.get(path).get_data(as_text=True)
            check_page(html, path)
            assert len(_checks(html)) <= 7
            assert f"{len(findings)} findings" in html or f"{len(wanted)} of {len(findings)} findings" in html
            seen += _checks(html)
            pages += 1
            path = _next_page(html)
            if path is not None and query:
                assert "status=pass" in path  # the filter stays on the next page
        assert seen == wanted, query
        assert pages == -(-len(wanted) // 7)
    fails = sum(1 for f in findings if f.status == "fail")
    last = client.get(base + "?page=9999").get_data(as_text=True)
    assert f"{fails} fail," in last  # the summary counts every finding, whatever the page
    assert _checks(last) == [f.check_id for f in findings][-(len(findings) % 7 or 7) :]
    assert _checks(client.get(base + "?page=nonsense").get_data(as_text=True)) == [f.check_id for f in findings[:7]]
    assert "govuk-pagination__item--ellipsis" in client.get(base).get_data(as_text=True)

    finding = findings[16]  # the third finding of the third page
    html = client.get(f"{base}/findings/{finding.seq}").get_data(as_text=True)
    back = re.search(r'<a href="([^"]+)" class="govuk-back-link">', html).group(1).replace("&amp;", "&")
    assert back == f"{base}?page=3#{finding.ref}"
    assert f'id="{finding.ref}"' in client.get(back.split("#")[0]).get_data(as_text=True)


def test_words_found_are_marked_in_the_advert(demo_app: Flask, client: FlaskClient) -> None:
    run = _run(demo_app)
    finding = _finding(demo_app, run, "EQ-05")
    sign_in(client, "auditor@demo.example")
    path = f"/audits/{run.public_id}/findings/{finding.seq}"
    html = client.get(path).get_data(as_text=True)
    soup = check_page(html, path)
    mark = soup.find("mark", id="evidence-1")
    assert mark is not None and "native English" in mark.get_text()
    assert soup.find("a", href="#evidence-1") is not None  # the list of quotes links to the place in the text
    assert finding.reference[:30] in html and finding.suggestion[:30] in html


def test_rows_used_are_shown_for_a_data_check(demo_app: Flask, client: FlaskClient) -> None:
    run = _run(demo_app)
    finding = _finding(demo_app, run, "ES-01")
    sign_in(client, "auditor@demo.example")
    path = f"/audits/{run.public_id}/findings/{finding.seq}"
    html = client.get(path).get_data(as_text=True)
    soup = check_page(html, path)
    assert "Long list by sex" in html and "The rows used, as Scrutineer stores them now" in html
    table = soup.find("caption", string="The rows used, as Scrutineer stores them now").find_parent("table")
    assert [th.get_text() for th in table.select("th")][:3] == ["Row", "Stage reached", "Source"]
    assert len(table.select("tbody tr")) == finding.evidence[0]["figures"]["long list"]


def test_an_auditor_overrides_a_status_with_a_reason(demo_app: Flask, client: FlaskClient) -> None:
    run = _run(demo_app)
    finding = _finding(demo_app, run, "PAY-01")
    sign_in(client, "auditor@demo.example")
    path = f"/audits/{run.public_id}/findings/{finding.seq}"
    token = csrf_token(client, path)
    short = client.post(path + "/review", data={"review-csrf_token": token, "review-reason": "no"})
    html = short.get_data(as_text=True)
    check_page(html, "review errors")
    assert 'href="#review-decision"' in html and 'href="#review-reason"' in html
    assert "Change the status to Fail" not in html  # it is Fail already
    assert "The reason must be at least 10 characters" in html
    response = client.post(
        path + "/review",
        data={
            "review-csrf_token": token,
            "review-decision": "pass",
            "review-reason": "The salary range is on page 2 of the candidate pack",
        },
    )
    assert response.status_code == 302
    page = client.get(path).get_data(as_text=True)
    check_page(page, "reviewed")
    assert "changed from Fail" in page and "changed the status to pass" in page
    event = first(demo_app, select(Event).where(Event.action == "finding.review", Event.object_ref == finding.ref))
    assert event.payload["reason"].startswith("The salary range") and event.actor_label == "auditor@demo.example"
    audit = client.get(f"/audits/{run.public_id}?status=pass").get_data(as_text=True)
    assert "PAY-01" in _checks(audit)  # filters use the status as reviewed


def test_an_auditor_accepts_a_risk(demo_app: Flask, client: FlaskClient) -> None:
    run = _run(demo_app)
    finding = _finding(demo_app, run, "EQ-01")
    sign_in(client, "admin@demo.example")
    path = f"/audits/{run.public_id}/findings/{finding.seq}"
    response = client.post(
        path + "/review",
        data={
            "review-csrf_token": csrf_token(client, path),
            "review-decision": "accepted_risk",
            "review-reason": "The title is fixed by statute for this post",
        },
    )
    assert response.status_code == 302
    assert first(demo_app, select(Finding.review_decision).where(Finding.id == finding.id)) == "accepted_risk"
    assert "risk accepted" in client.get(f"/audits/{run.public_id}").get_data(as_text=True)


def test_the_agency_answers_a_finding(demo_app: Flask, client: FlaskClient) -> None:
    run = _run(demo_app)
    finding = _finding(demo_app, run, "EQ-02")
    sign_in(client, "recruiter@demo.example")
    path = f"/audits/{run.public_id}/findings/{finding.seq}"
    html = client.get(path).get_data(as_text=True)
    check_page(html, path)
    assert "Answer for the agency" in html and "Review as an auditor" not in html
    token = csrf_token(client, path)
    missing = client.post(path + "/response", data={"response-csrf_token": token, "response-note": "x" * 5000})
    html = missing.get_data(as_text=True)
    check_page(html, "response errors")
    assert 'href="#response-response"' in html and "Choose Agree, Disagree or Remediated" in html
    response = client.post(
        path + "/response",
        data={"response-csrf_token": token, "response-response": "Disagree", "response-note": "Pronouns removed"},
    )
    assert response.status_code == 302
    page = client.get(path).get_data(as_text=True)
    assert "Disagree: Pronouns removed" in page and "answered Disagree" in page
    saved = first(demo_app, select(Finding).where(Finding.id == finding.id))
    assert saved.agency_response == "Disagree" and saved.response_note == "Pronouns removed"
    assert first(demo_app, select(Event).where(Event.action == "finding.response")).payload["via"] == "web"


def test_procurement_reads_findings_but_sees_no_forms(demo_app: Flask, client: FlaskClient) -> None:
    run = _run(demo_app)
    sign_in(client, "procurement@demo.example")
    html = client.get(f"/audits/{run.public_id}/findings/1").get_data(as_text=True)
    check_page(html, "procurement finding")
    assert "<form" not in html.split('id="main-content"')[1]

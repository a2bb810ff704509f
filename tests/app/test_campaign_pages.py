"""The dashboard's filters and open findings, a campaign's details corrected by an auditor, audits and advert fetches
started as jobs, and the advert self-check by text or web address."""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from app.models import Advert, AuditRun, Campaign, Event, Finding
from tests.app.web import answer_finding, csrf_token, every, first, sign_in
from tests.pages import check_page


def _refs(html: str) -> list[str]:
    return sorted(set(re.findall(r">(NCC-2026-\d+)</a>", html)))


def test_dashboard_filters(demo_app: Flask, client: FlaskClient) -> None:
    sign_in(client, "auditor@demo.example")
    assert _refs(client.get("/campaigns/").get_data(as_text=True)) == ["NCC-2026-001", "NCC-2026-002", "NCC-2026-003"]
    fenwick = first(demo_app, select(Campaign).where(Campaign.ref == "NCC-2026-003")).agency_id
    for query, expected in (
        (f"?agency={fenwick}", ["NCC-2026-003"]),
        ("?rag=Red", ["NCC-2026-002"]),
        ("?rag=Green&q=children", ["NCC-2026-001"]),
        ("?rag=Amber", ["NCC-2026-003"]),
        ("?q=ncc-2026-00", ["NCC-2026-001", "NCC-2026-002", "NCC-2026-003"]),
        ("?q=chief", ["NCC-2026-002"]),
        ("?stage=Appointed", []),
        ("?stage=nonsense&rag=nonsense&agency=x", ["NCC-2026-001", "NCC-2026-002", "NCC-2026-003"]),
    ):
        html = client.get("/campaigns/" + query).get_data(as_text=True)
        check_page(html, "/campaigns/" + query)
        assert _refs(html) == expected, query
    assert "No campaign matches the filters" in client.get("/campaigns/?q=zzz").get_data(as_text=True)


def test_the_dashboard_comes_a_page_at_a_time_with_its_filters(
    demo_app: Flask, client: FlaskClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    import app.campaigns

    monkeypatch.setattr(app.campaigns, "CAMPAIGNS_PER_PAGE", 1)
    sign_in(client, "auditor@demo.example")
    path: str | None = "/campaigns/?q=ncc-2026-00&rag=&stage="
    seen = []
    while path is not None:
        html = client.get(path).get_data(as_text=True)
        check_page(html, path)
        assert "3 campaigns match the filters" in html
        seen += _refs(html)
        found = re.search(r'<a class="govuk-link govuk-pagination__link" href="([^"]+)" rel="next">', html)
        path = found.group(1).replace("&amp;", "&") if found else None
        assert path is None or ("q=ncc-2026-00" in path and "rag=" not in path)  # the filter kept, blanks dropped
    assert seen == ["NCC-2026-001", "NCC-2026-002", "NCC-2026-003"]
    assert _refs(client.get("/campaigns/?page=99").get_data(as_text=True)) == ["NCC-2026-003"]


def test_recruiters_see_only_their_agency_and_no_agency_filter(demo_app: Flask, client: FlaskClient) -> None:
    sign_in(client, "recruiter@demo.example")
    fenwick = first(demo_app, select(Campaign).where(Campaign.ref == "NCC-2026-003")).agency_id
    html = client.get(f"/campaigns/?agency={fenwick}").get_data(as_text=True)
    assert _refs(html) == ["NCC-2026-001", "NCC-2026-002"] and 'name="agency"' not in html


def test_open_findings_fall_as_findings_are_answered(demo_app: Flask, client: FlaskClient) -> None:
    run = first(demo_app, select(AuditRun).join(Campaign).where(Campaign.ref == "NCC-2026-002"))
    open_findings = every(
        demo_app,
        select(Finding).where(Finding.audit_run_id == run.id, Finding.status.in_(("fail", "warn"))),
    )
    sign_in(client, "recruiter@demo.example")

    def shown() -> int:
        html = client.get("/campaigns/").get_data(as_text=True)
        found = re.search(
            rf'{run.public_id}">(\d+)<span class="govuk-visually-hidden"> open findings in NCC-2026-002', html
        )
        assert found, "no open findings count"
        return int(found.group(1))

    assert shown() == len(open_findings)
    response = answer_finding(client, run.public_id, open_findings[0].seq, "Remediated", "Rewritten")
    assert response.status_code == 302
    assert shown() == len(open_findings) - 1


def test_a_campaigns_adverts_are_listed_a_page_at_a_time(
    demo_app: Flask, client: FlaskClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A campaign can hold thousands of adverts: its page lists them a page at a time, titles only."""
    import app.campaigns
    from app.extensions import db

    advert = first(demo_app, select(Advert).order_by(Advert.id).limit(1))
    campaign_id = advert.campaign_id
    with demo_app.app_context():  # four more adverts in the same upload, as a postings file brings them
        for position in range(1, 5):
            db.session.add(
                Advert(
                    organisation_id=advert.organisation_id,
                    campaign_id=campaign_id,
                    upload_id=advert.upload_id,
                    position=advert.position + position,
                    source_kind="html",
                    source_name=f"posting-{position}.html",
                    title=f"Posting {position}",
                    text="A posting.",
                )
            )
        db.session.commit()
    count = first(demo_app, select(func.count(Advert.id)).where(Advert.campaign_id == campaign_id))
    assert count >= 5
    titles = [
        advert.title or "Untitled advert"
        for advert in every(
            demo_app,
            select(Advert)
            .where(Advert.campaign_id == campaign_id)
            .order_by(Advert.upload_id, Advert.position, Advert.id),
        )
    ]
    monkeypatch.setattr(app.campaigns, "ADVERTS_PER_PAGE", 1)
    sign_in(client, "auditor@demo.example")
    base = f"/campaigns/{campaign_id}"
    listed = []
    for number in range(1, count + 1):
        html = client.get(f"{base}?page={number}").get_data(as_text=True)
        soup = check_page(html, f"{base}?page={number}")
        links = [a for a in soup.select(f'a[href^="{base}/adverts/"]') if a["href"].split("/")[-1].isdigit()]
        assert len(links) == 1
        listed.append(links[0].get_text())
        assert f"Showing adverts {number} to {number} of {count}." in html
        pages = soup.select("nav.govuk-pagination a.govuk-pagination__link")
        assert pages and all(a["href"].endswith("#adverts") for a in pages)
    assert listed == titles
    past_the_end = client.get(f"{base}?page=999").get_data(as_text=True)
    assert f"Showing adverts {count} to {count} of {count}." in past_the_end


def test_auditors_correct_a_campaigns_details(demo_app: Flask, client: FlaskClient) -> None:
    campaign = first(demo_app, select(Campaign).where(Campaign.ref == "NCC-2026-001"))
    sign_in(client, "auditor@demo.example")
    page = client.get(f"/campaigns/{campaign.id}/edit")
    soup = check_page(page.get_data(as_text=True), "edit")
    assert soup.find("input", attrs={"name": "salary_min"})["value"] == "135000"
    data: dict[str, object] = {}
    for field in soup.select("form input[name]"):
        name, value = field["name"], field.get("value", "")
        if field.get("type") == "radio" and not field.has_attr("checked"):
            continue
        if name.endswith("_date"):  # a date input is three boxes with the same name
            data[name] = [*data.get(name, []), value]  # type: ignore[list-item]
        else:
            data[name] = value
    for choice in soup.select("form select"):
        chosen = choice.find("option", selected=True)
        data[choice["name"]] = chosen["value"] if chosen else ""
    data["commissioner_chair"] = "yes"
    data["salary_max"] = "£155,000"
    data["fee_percent"] = "25%"
    data["fact_total_remuneration"] = "£170,000"
    form = {key: value for key, value in data.items() if key not in ("submit",)}
    form["shortlist_date"] = ["3", "4", "2026"]
    response = client.post(f"/campaigns/{campaign.id}/edit", data=form)
    assert response.status_code == 302, response.get_data(as_text=True)[-3000:]
    changed = first(demo_app, select(Campaign).where(Campaign.id == campaign.id))
    assert (
        changed.salary_max == Decimal("155000") and changed.fee_percent == 25.0 and changed.commissioner_chair is True
    )
    assert changed.shortlist_date.isoformat() == "2026-04-03" and changed.facts["total_remuneration"] == "170000"
    event = first(demo_app, select(Event).where(Event.action == "campaign.edited"))
    assert event.actor_label == "auditor@demo.example"
    assert event.payload["changes"]["salary_max"] == {"before": "150000", "after": "155000"}
    history = client.get(f"/campaigns/{campaign.id}/edit").get_data(as_text=True)
    check_page(history, "edit with history")
    assert "Salary max: 150000 → 155000" in history


def test_campaign_form_errors_are_linked_to_their_fields(demo_app: Flask, client: FlaskClient) -> None:
    campaign = first(demo_app, select(Campaign).where(Campaign.ref == "NCC-2026-001"))
    sign_in(client, "auditor@demo.example")
    response = client.post(
        f"/campaigns/{campaign.id}/edit",
        data={
            "csrf_token": csrf_token(client, "/sign-out"),
            "salary_min": "lots",
            "closing_date": ["31", "", "2026"],
            "offer_date": ["31", "2", "2026"],
        },
    )
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    check_page(html, "edit with errors")  # every error links to a field that exists
    assert 'href="#salary_min"' in html and 'href="#closing_date-day"' in html and 'href="#offer_date-day"' in html
    assert "Closing date must include a day, month and year" in html and "Offer date must be a real date" in html
    assert first(demo_app, select(func.count()).select_from(Event).where(Event.action == "campaign.edited")) == 0


def test_running_an_audit_is_a_job_that_leads_to_the_audit(demo_app: Flask, client: FlaskClient) -> None:
    campaign = first(demo_app, select(Campaign).where(Campaign.ref == "NCC-2026-002"))
    sign_in(client, "auditor@demo.example")
    response = client.post(f"/campaigns/{campaign.id}/audits", data={"csrf_token": csrf_token(client, "/sign-out")})
    assert response.status_code == 302 and response.headers["Location"].startswith("/jobs/JOB-")
    html = client.get(response.headers["Location"]).get_data(as_text=True)
    check_page(html, "audit job")
    assert "Finished" in html and "Red" in html
    audit_link = re.search(r'href="(/audits/AUD-[^"]+)"', html).group(1)
    check_page(client.get(audit_link).get_data(as_text=True), audit_link)


def test_fetching_an_advert_by_its_web_address(demo_app: Flask, client: FlaskClient, advert_site: str) -> None:
    campaign = first(demo_app, select(Campaign).where(Campaign.ref == "NCC-2026-003"))
    sign_in(client, "auditor@demo.example")
    path = f"/campaigns/{campaign.id}/adverts/fetch"
    check_page(client.get(path).get_data(as_text=True), path)
    bad = client.post(path, data={"csrf_token": csrf_token(client, "/sign-out"), "url": "ftp://example.org/a"})
    html = bad.get_data(as_text=True)
    check_page(html, "fetch error")
    assert "starts with https:// or http://" in html and 'href="#url"' in html
    response = client.post(
        path, data={"csrf_token": csrf_token(client, "/sign-out"), "url": advert_site + "/nhs-style-jsonld.html"}
    )
    assert response.status_code == 302
    job = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Finished" in job, job[-2000:]
    advert = first(
        demo_app, select(Advert).where(Advert.campaign_id == campaign.id, Advert.url.like("%nhs-style-jsonld.html"))
    )
    assert advert is not None and advert.fetched_at is not None
    page = client.get(f"/campaigns/{campaign.id}/adverts/{advert.id}").get_data(as_text=True)
    check_page(page, "advert")
    assert advert.title in page


def test_a_fetch_that_is_refused_says_why(demo_app: Flask, client: FlaskClient) -> None:
    campaign = first(demo_app, select(Campaign).where(Campaign.ref == "NCC-2026-003"))
    sign_in(client, "auditor@demo.example")
    response = client.post(
        f"/campaigns/{campaign.id}/adverts/fetch",
        data={"csrf_token": csrf_token(client, "/sign-out"), "url": "https://www.linkedin.com/jobs/view/1"},
    )
    job = client.get(response.headers["Location"]).get_data(as_text=True)
    check_page(job, "failed fetch")
    assert "This did not work" in job and "linkedin" in job.lower() and "Try again" in job


def test_self_check_highlights_words_and_stores_nothing(demo_app: Flask, client: FlaskClient) -> None:
    before = first(demo_app, select(func.count()).select_from(Advert))
    sign_in(client, "recruiter@demo.example")
    response = client.post(
        "/self-check",
        data={
            "csrf_token": csrf_token(client, "/self-check"),
            "title": "Chairman",
            "text": "We want a <b>young</b> native English speaker.",
        },
    )
    html = response.get_data(as_text=True)
    check_page(html, "/self-check (result)")
    assert '<mark class="app-highlight' in html and "&lt;b&gt;" in html  # highlighted, and escaped
    assert "Results: Check an advert" in html
    assert first(demo_app, select(func.count()).select_from(Advert)) == before


def test_self_check_by_web_address(demo_app: Flask, client: FlaskClient, advert_site: str) -> None:
    sign_in(client, "recruiter@demo.example")
    token = csrf_token(client, "/self-check")
    response = client.post("/self-check", data={"csrf_token": token, "url": advert_site + "/nhs-style-jsonld.html"})
    html = response.get_data(as_text=True)
    check_page(html, "/self-check (url)")
    assert "What Scrutineer found" in html and "PAY-01" in html
    refused = client.post("/self-check", data={"csrf_token": token, "url": advert_site + "/missing.html"})
    assert refused.status_code == 400
    html = refused.get_data(as_text=True)
    check_page(html, "/self-check (refused)")
    assert "The advert could not be checked" in html and 'href="#url"' in html
    empty = client.post("/self-check", data={"csrf_token": token})
    assert "Paste the text of the advert, or give its web address" in empty.get_data(as_text=True)


def test_a_campaign_counts_people_not_rows(demo_app: Flask, client: FlaskClient, tmp_path: Path) -> None:
    """The same two candidates in two trackers: the campaign page says two candidates, in four rows."""
    from app.dao.organisations import get_organisation_by_slug
    from app.services import imports

    body = "Campaign Ref,Candidate Ref,Stage Reached\r\nNCC-2026-009,ada@example.org,longlisted\r\n"
    body += "NCC-2026-009,bo@example.org,identified\r\n"
    with demo_app.app_context():
        organisation = get_organisation_by_slug("northshire-cc")
        assert organisation is not None
        campaign = Campaign(organisation_id=organisation.id, ref="NCC-2026-009", role_title="Director of Place")
        from app.extensions import db

        db.session.add(campaign)
        db.session.commit()
        campaign_id = campaign.id
        april = body.replace("identified", "approached")
        for name, text in (("tracker-march.csv", body), ("tracker-april.csv", april)):
            (tmp_path / name).write_text(text)
            imports.import_file(organisation, tmp_path / name, name)
    sign_in(client, "auditor@demo.example")
    html = client.get(f"/campaigns/{campaign_id}").get_data(as_text=True)
    check_page(html, "/campaigns/<id> (repeated candidates)")
    assert "0 adverts, 2 candidates in 4 rows, 0 outreach messages" in html

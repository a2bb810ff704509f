"""Every page renders valid, titled, labelled HTML for every role; the information pages need no sign-in.

The crawl follows every link a role can see, from the dashboard, and checks each page it reaches with
`check_page`. It then checks that, between them, the roles reached every page the application has (except pages
that need a token or a file first, which their own tests render), and that no two pages share a title.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from flask import Flask
from flask.testing import FlaskClient

from tests.app.web import csrf_token, sign_in
from tests.pages import check_page

ROLES = ("admin@demo.example", "auditor@demo.example", "recruiter@demo.example", "procurement@demo.example")
# GET pages a crawl cannot reach by links alone: each is rendered by its own test.
RENDERED_ELSEWHERE = {
    "auth.invitation",  # needs an invitation token: test_people_pages
    "auth.organisation",  # only for people in several organisations: test_people_pages
    "auth.sign_in",  # sends people who are signed in on: test_public_pages
    "admin.invitation",  # the demo has no invitation: test_people_pages
    "uploads.batch",  # needs an upload: test_upload_pages
    "uploads.columns",  # needs an upload in a layout Scrutineer does not know: test_mapping_pages
    "jobs.job",  # needs a job: test_upload_pages, test_campaign_pages
    "jobs.status",  # JSON: test_jobs_pages
    "jobs.download",  # a prepared workbook: test_downloads
    "answers.upload",  # its form is on the audit page, which posts to it: test_answers_pages
    "checklists.switch_on",  # needs a check switched off first: test_checklist_pages
    "static",
    "main.home",  # redirects when signed in; rendered below
    "uploads.template_workbook",  # the template's files: test_template_pages
    "uploads.template_csv",
}

# Pages that differ only in which check or threshold they change: the crawl visits a few of each, and
# test_checklist_pages renders every check's page and a threshold of each kind.
SAMPLED = {"checklists.check", "checklists.threshold", "checklists.severity", "checklists.switch_off"}
SAMPLE = 3


def _crawl(client: FlaskClient, start: str = "/campaigns/") -> dict[str, str]:
    """Visit every page reachable by links from `start`; return each page's title by path."""
    titles: dict[str, str] = {}
    queue = [start]
    urls = client.application.url_map.bind("localhost")
    sampled: dict[str, int] = {}
    while queue:
        path = queue.pop()
        if path in titles:
            continue
        endpoint, _arguments = urls.match(urlsplit(path).path, method="GET")
        if endpoint in SAMPLED:
            sampled[endpoint] = sampled.get(endpoint, 0) + 1
            if sampled[endpoint] > SAMPLE:
                continue
        response = client.get(path)
        if path == "/":  # the start page sends people who are signed in to their campaigns
            assert response.status_code == 302
            titles[path] = ""
            continue
        assert response.status_code == 200, f"{path}: {response.status_code}"
        html = response.get_data(as_text=True)
        soup = check_page(html, path)
        titles[path] = soup.title.get_text(strip=True)
        for link in re.findall(r'href="(/[^"#]*)"', html):
            link = link.replace("&amp;", "&")
            if link.startswith("/assets/") or link.endswith(("/download", ".xlsx", ".csv")) or link in titles:
                continue
            queue.append(link)
    return titles


def test_public_pages(client: FlaskClient) -> None:
    for path in ("/", "/sign-in", "/accessibility-statement", "/privacy", "/cookies"):
        response = client.get(path)
        assert response.status_code == 200
        html = response.get_data(as_text=True)
        check_page(html, path)
        assert "Crown copyright" not in html and "GDS Transport" not in html
        assert 'class="govuk-header__logotype"' not in html  # no crown logo


def test_signed_out_visitors_are_sent_to_sign_in(client: FlaskClient) -> None:
    for path in ("/campaigns/", "/uploads/new", "/jobs/", "/verify", "/admin/members", "/self-check"):
        response = client.get(path)
        assert response.status_code == 302 and "/sign-in" in response.headers["Location"], path


def test_security_headers(client: FlaskClient) -> None:
    headers = client.get("/").headers
    assert "script-src 'self'" in headers["Content-Security-Policy"]
    assert "unsafe-inline" not in headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]
    assert headers["X-Content-Type-Options"] == "nosniff" and headers["Referrer-Policy"]


def test_no_page_has_inline_script_or_style(demo_app: Flask) -> None:
    client = demo_app.test_client()
    sign_in(client, "admin@demo.example")
    for path in ("/campaigns/", "/uploads/new", "/self-check", "/admin/members/invite"):
        html = client.get(path).get_data(as_text=True)
        assert not re.search(r"<script(?![^>]*\bsrc=)", html), f"{path}: inline script"
        assert "<style" not in html and " style=" not in html, f"{path}: inline style"


def test_every_page_renders_for_every_role(demo_app: Flask) -> None:
    titles: dict[str, str] = {}
    endpoints: set[str] = set()
    for email in ROLES:
        client = demo_app.test_client()
        sign_in(client, email)
        for path, title in _crawl(client).items():
            if not title:
                continue
            route = urlsplit(path).path
            owner = titles.setdefault(title, route)
            assert owner == route, f"{route} and {owner} share the title {title!r}"
            with demo_app.test_request_context(path):
                from flask import request

                endpoints.add(request.url_rule.endpoint if request.url_rule else "")
    gets = {rule.endpoint for rule in demo_app.url_map.iter_rules() if "GET" in (rule.methods or ())}
    missing = gets - endpoints - RENDERED_ELSEWHERE
    assert not missing, f"pages no role reached: {sorted(missing)}"


def test_sign_in_with_a_wrong_password_says_so(demo_app: Flask, client: FlaskClient) -> None:
    response = client.post(
        "/sign-in", data={"email": "auditor@demo.example", "password": "wrong", "csrf_token": csrf_token(client)}
    )
    assert response.status_code == 401
    html = response.get_data(as_text=True)
    check_page(html, "/sign-in (error)")
    assert "Enter a correct email address and password" in html and 'href="#email"' in html


def test_sign_in_is_refused_for_a_while_after_many_failures(demo_app: Flask, client: FlaskClient) -> None:
    from app.services.throttle import FAILURES_PER_ACCOUNT

    token = csrf_token(client)
    for _attempt in range(FAILURES_PER_ACCOUNT):
        response = client.post(
            "/sign-in", data={"email": "auditor@demo.example", "password": "no", "csrf_token": token}
        )
        assert response.status_code == 401
    right = {"email": "auditor@demo.example", "password": "demo-password-for-tests", "csrf_token": token}
    response = client.post("/sign-in", data=right)
    assert response.status_code == 429
    check_page(response.get_data(as_text=True), "/sign-in (429)")
    assert "Too many attempts" in response.get_data(as_text=True)
    other = demo_app.test_client()
    sign_in(other, "admin@demo.example")  # other accounts are not affected
    # the real user, from their own machine, is not locked out by someone guessing elsewhere
    elsewhere = demo_app.test_client()
    elsewhere.environ_base["REMOTE_ADDR"] = "192.0.2.44"
    right["csrf_token"] = csrf_token(elsewhere)
    assert elsewhere.post("/sign-in", data=right).status_code == 302


def test_one_address_guessing_many_accounts_is_stopped(demo_app: Flask) -> None:
    from app.services.throttle import FAILURES_PER_ADDRESS

    guesser = demo_app.test_client()
    guesser.environ_base["REMOTE_ADDR"] = "198.51.100.7"
    token = csrf_token(guesser)
    for attempt in range(FAILURES_PER_ADDRESS):
        data = {"email": f"person{attempt}@demo.example", "password": "guess", "csrf_token": token}
        assert guesser.post("/sign-in", data=data).status_code == 401
    data = {"email": "auditor@demo.example", "password": "demo-password-for-tests", "csrf_token": token}
    assert guesser.post("/sign-in", data=data).status_code == 429


def test_post_without_csrf_token_is_refused(demo_app: Flask, client: FlaskClient) -> None:
    response = client.post("/sign-in", data={"email": "auditor@demo.example", "password": "demo-password-for-tests"})
    assert response.status_code == 400
    assert "The form had expired" in response.get_data(as_text=True)
    assert client.get("/campaigns/").status_code == 302  # not signed in


def test_signing_out_ends_the_session(demo_app: Flask, client: FlaskClient) -> None:
    sign_in(client, "auditor@demo.example")
    response = client.post("/sign-out", data={"csrf_token": csrf_token(client, "/sign-out")})
    assert response.status_code == 302
    assert client.get("/campaigns/").status_code == 302


def test_navigation_shows_only_what_the_role_may_use(demo_app: Flask) -> None:
    expected = {
        "admin@demo.example": {
            "Campaigns",
            "Files",
            "Jobs",
            "Scorecards",
            "Checklists",
            "Advert self-check",
            "Verify a workbook",
            "People",
        },
        "auditor@demo.example": {
            "Campaigns",
            "Files",
            "Jobs",
            "Scorecards",
            "Checklists",
            "Advert self-check",
            "Verify a workbook",
        },
        "recruiter@demo.example": {
            "Campaigns",
            "Files",
            "Jobs",
            "Checklists",
            "Advert self-check",
            "Verify a workbook",
        },
        # Procurement's jobs are the workbooks and scorecards it asked for.
        "procurement@demo.example": {"Campaigns", "Files", "Jobs", "Scorecards", "Checklists", "Verify a workbook"},
    }
    for email, items in expected.items():
        client = demo_app.test_client()
        sign_in(client, email)
        soup = check_page(client.get("/campaigns/").get_data(as_text=True))
        shown = {
            a.get_text(strip=True)
            for a in soup.select(".govuk-service-navigation__item .govuk-service-navigation__link")
        }
        assert shown == items | {"Sign out"}, email

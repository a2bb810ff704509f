"""The agency template in the web app: every member can find it from the files pages and download the workbook and
each CSV, which are the ones importers.template writes."""

from __future__ import annotations

import io

import pytest
from flask import Flask
from openpyxl import load_workbook

from importers.agency_template import TABLES
from importers.template import XLSX_NAME, template_csv
from tests.app.web import sign_in
from tests.pages import check_page


@pytest.mark.parametrize(
    "email", ["admin@demo.example", "auditor@demo.example", "recruiter@demo.example", "procurement@demo.example"]
)
def test_every_member_finds_the_template_and_downloads_it(demo_app: Flask, email: str) -> None:
    client = demo_app.test_client()
    sign_in(client, email)
    files = client.get("/uploads/").get_data(as_text=True)
    assert 'href="/uploads/template"' in files
    response = client.get("/uploads/template")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    check_page(html, "/uploads/template")
    assert f'href="/uploads/template/{XLSX_NAME}"' in html
    for name in ("rejection_reason", "stage_reached", "engagement_terms", "privacy_notice_included"):
        assert f"<code>{name}</code>" in html

    workbook = client.get(f"/uploads/template/{XLSX_NAME}")
    assert workbook.status_code == 200 and workbook.mimetype.endswith("spreadsheetml.sheet")
    assert workbook.headers["Content-Disposition"] == f'attachment; filename="{XLSX_NAME}"'
    book = load_workbook(io.BytesIO(workbook.data))
    assert [cell.value for cell in book["Candidates"][1]] == list(TABLES["candidates"])
    for table in TABLES:
        assert f'href="/uploads/template/{table}.csv"' in html
        csv = client.get(f"/uploads/template/{table}.csv")
        assert csv.status_code == 200 and csv.mimetype == "text/csv" and csv.data == template_csv(table)
    assert client.get("/uploads/template/users.csv").status_code == 404


def test_the_upload_page_links_to_the_template_and_signed_out_visitors_are_sent_to_sign_in(demo_app: Flask) -> None:
    client = demo_app.test_client()
    for path in ("/uploads/template", f"/uploads/template/{XLSX_NAME}", "/uploads/template/candidates.csv"):
        response = client.get(path)
        assert response.status_code == 302 and "/sign-in" in response.headers["Location"], path
    sign_in(client, "recruiter@demo.example")
    assert 'href="/uploads/template"' in client.get("/uploads/new").get_data(as_text=True)

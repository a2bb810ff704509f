"""Advert pages, JobPosting JSON and plain text, with the quirks of real UK public-sector adverts (formats.md §3)."""

import datetime as dt
from decimal import Decimal
from pathlib import Path

import importers
from importers import ImportOptions
from importers.adverts import html_to_text, parse_html_page
from importers.records import AdvertRecord

FIXTURES = Path(__file__).parent.parent / "fixtures" / "adverts"


def read(name: str) -> tuple[importers.ImportReport, list[AdvertRecord]]:
    path = FIXTURES / name
    report, records = importers.read(path, name, ImportOptions())
    return report, [r for r in records if isinstance(r, AdvertRecord)]


def test_nhs_style_jsonld_page() -> None:
    report, [advert] = read("nhs-style-jsonld.html")
    assert report.format == "advert-html"
    assert advert.source_kind == "json-ld"
    assert advert.title == "Head of Estates"
    # the description was entity-escaped HTML: unescaped and reduced to text, list items on their own lines
    assert "<p>" not in advert.text and "&lt;" not in advert.text
    assert "• Manage a £20m capital programme" in advert.text
    assert advert.date_posted == dt.date(2025, 10, 6)  # "+0000" offset without a colon
    assert advert.valid_through == dt.date(2025, 11, 3)
    assert advert.closing_date_text == dt.date(2025, 11, 3)
    assert advert.hiring_organisation == "Northshire NHS Foundation Trust"
    assert advert.salary is not None
    assert (advert.salary.minimum, advert.salary.maximum, advert.salary.period) == (
        Decimal(31365),
        Decimal(37890),
        "year",
    )
    assert advert.salary.origin == "json-ld"
    assert advert.location == "Northtown, NT1 1AA, GB"
    assert advert.questions == ["Why do you want this job?"]
    assert any(link.text == "Accessibility statement" for link in advert.links)
    assert advert.html_lang == "en-GB"


def test_plain_html_honours_the_declared_charset() -> None:
    _report, [advert] = read("cs-latin1.html")
    assert advert.source_kind == "html"
    assert advert.title == "Deputy Director, Policy"
    assert "£95,000 to £120,000" in advert.text
    assert "department’s work" in advert.text  # 0x92 is a curly apostrophe in Windows-1252
    assert advert.salary is not None and advert.salary.maximum == Decimal(120000)
    assert advert.closing_date_text == dt.date(2025, 11, 2)


def test_http_charset_wins_over_the_page() -> None:
    data = "<html><head><meta charset='utf-8'><title>T</title></head><body><h1>T</h1><p>£90,000</p></body></html>"
    [advert] = parse_html_page(data.encode("cp1252"), "page", declared_charset="windows-1252")
    assert "£90,000" in advert.text


def test_plain_text() -> None:
    report, [advert] = read("plain-advert.txt")
    assert report.format == "advert-text"
    assert advert.title == "Director of Adult Social Care"
    assert advert.text.startswith("Northshire County Council")
    assert advert.salary is not None and advert.salary.minimum == Decimal(125000)
    assert advert.closing_date_text == dt.date(2026, 3, 12)


def test_json_graph_with_several_postings() -> None:
    report, adverts = read("postings.json")
    assert report.format == "advert-json"
    assert [a.title for a in adverts] == ["Chief Digital Officer", "Chairman of the Audit Committee"]
    assert adverts[0].salary is not None and adverts[0].salary.maximum == Decimal(120000)
    assert adverts[1].salary is None or not adverts[1].salary.has_figure


def test_html_to_text_keeps_inline_words_together() -> None:
    assert html_to_text("<p>We are <b>very</b> keen</p><p>Second</p>") == "We are very keen\n\nSecond"


def test_the_page_structure_is_read_for_the_accessibility_checks() -> None:
    page = b"""<!DOCTYPE html><html lang="en"><head><title>Chief Executive | Northshire</title></head><body>
    <main><h1>Chief Executive</h1><h3>Salary</h3><img src="logo.png" alt="Northshire Council">
    <img src="chart.png"><img src="rule.png" alt="">
    <form action="/apply"><label for="name">Your name</label><input id="name" name="name">
    <label>Your e-mail <input name="email" type="email"></label>
    <input name="phone" aria-label="Telephone"><input name="secret" type="hidden"><select name="region"></select>
    <button type="submit">Apply</button></form></main></body></html>"""
    [advert] = parse_html_page(page, "advert.html")
    assert advert.page is not None
    assert advert.page.title == "Chief Executive | Northshire"
    assert advert.page.headings == [(1, "Chief Executive"), (3, "Salary")]
    assert [(i.src, i.alt) for i in advert.page.images] == [
        ("logo.png", "Northshire Council"),
        ("chart.png", None),
        ("rule.png", ""),
    ]
    fields = {f.name: (f.kind, f.label) for f in advert.page.form_fields}
    assert fields == {
        "name": ("text", "Your name"),
        "email": ("email", "Your e-mail"),
        "phone": ("text", "Telephone"),
        "region": ("select", None),
    }

"""Checks every rendered page must pass: valid HTML5, a title, lang="en", a skip link, headings in order, labelled
fields, forms with an action and a CSRF token where they post, error summaries whose links lead to a field, and
references (aria-describedby, label for) that point at something."""

from __future__ import annotations

import itertools
import re

import html5lib
from bs4 import BeautifulSoup

SEEN_TITLES: dict[str, str] = {}


def check_page(html: str, path: str = "") -> BeautifulSoup:
    parser = html5lib.HTMLParser(strict=True, namespaceHTMLElements=False)
    parser.parse(html)  # raises html5lib.html5parser.ParseError on invalid markup
    soup = BeautifulSoup(html, "html.parser")
    assert soup.html is not None and soup.html.get("lang") == "en", f"{path}: <html lang=en> missing"
    titles = [title for title in soup.find_all("title") if title.find_parent("svg") is None]  # not a chart's name
    assert len(titles) == 1 and titles[0].get_text(strip=True), f"{path}: exactly one non-empty <title>"
    assert soup.find("a", href="#main-content"), f"{path}: no skip link"
    assert soup.find("main", id="main-content"), f"{path}: no <main id=main-content>"
    headings = [int(h.name[1]) for h in soup.find_all(["h1", "h2", "h3", "h4", "h5", "h6"])]
    assert headings.count(1) == 1, f"{path}: exactly one <h1> expected, got {headings.count(1)}"
    for earlier, later in itertools.pairwise(headings):
        assert later <= earlier + 1, f"{path}: heading level jumps from h{earlier} to h{later}"
    for field in soup.find_all(["input", "select", "textarea"]):
        if field.get("type") in ("hidden", "submit", "button"):
            continue
        field_id = field.get("id")
        labelled = (
            (field_id and soup.find("label", attrs={"for": field_id}))
            or field.get("aria-label")
            or field.find_parent("label")
        )
        assert labelled, f"{path}: field {field.get('name')!r} has no label"
    for fieldset in soup.find_all("fieldset"):
        legend = fieldset.find("legend")
        assert legend is not None and legend.get_text(strip=True), f"{path}: a fieldset has no legend"
    for form in soup.find_all("form"):
        assert form.get("action"), f"{path}: a form has no action"
        if (form.get("method") or "get").lower() == "post":
            assert form.find("input", attrs={"name": re.compile(r"(^|-)csrf_token$")}), (
                f"{path}: a POST form has no CSRF token"
            )
    ids = [tag.get("id") for tag in soup.find_all(id=True)]
    duplicates = {i for i in ids if ids.count(i) > 1}
    assert not duplicates, f"{path}: duplicate ids {duplicates}"
    known = set(ids)
    for summary in soup.select(".govuk-error-summary"):
        for link in summary.select(".govuk-error-summary__list a"):
            target = (link.get("href") or "").removeprefix("#")
            assert target in known, f"{path}: error summary links to #{target}, which is not on the page"
            assert soup.find(id=target).name in ("input", "select", "textarea"), f"{path}: #{target} is not a field"
    for tag in soup.find_all(attrs={"aria-describedby": True}):
        for reference in tag["aria-describedby"].split():
            assert reference in known, f"{path}: aria-describedby points at #{reference}, which is not on the page"
    for label in soup.find_all("label", attrs={"for": True}):
        assert label["for"] in known, f"{path}: a label is for #{label['for']}, which is not on the page"
    if soup.select(".govuk-error-summary"):
        assert soup.title.get_text(strip=True).startswith("Error:"), f"{path}: a page with errors says so in its title"
    return soup

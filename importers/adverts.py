"""Job adverts: web pages (with or without schema.org JobPosting JSON-LD), JobPosting JSON files, and plain text.

What real adverts look like, and what this module does about it:

- Pages carry a `JobPosting` in `<script type="application/ld+json">`, sometimes inside an `@graph` or a list.
  Its `description` is often entity-escaped HTML (`&lt;p&gt;…`, as on NHS Jobs): it is unescaped, then reduced
  to text. Dates may have offsets without a colon (`2018-12-27T10:50:17+0000`). `baseSalary.value.value` is
  often free text (`£31,365 - £37,890 per annum`, `Competitive`), read with the salary parser.
- Pages without structured data are reduced to their visible text with BeautifulSoup, from `<main>` or
  `<article>` where there is one. The declared charset is honoured; ISO-8859-1 is read as Windows-1252, as
  browsers do, because that is what such pages really contain (Civil Service Jobs serves ISO-8859-1).
- Plain text: the first short line is the title, the rest is the advert.

The advert's `text` is what a candidate reads; evidence positions in findings are offsets into it.
"""

from __future__ import annotations

import datetime as dt
import html
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from bs4 import BeautifulSoup, Comment, Tag

from importers.records import AdvertRecord, FormField, Image, Link, PageStructure, Salary
from importers.report import MAX_ADVERT_CHARS, FileRejected, ImportReport
from importers.tabular import Sniffed, choose_encoding
from importers.values import clean_text, find_salaries, parse_date, parse_money, parse_salary_text, plausible_pay

FORMAT_HTML = "advert-html"
FORMAT_JSON = "advert-json"
FORMAT_TEXT = "advert-text"

BLOCK_TAGS = frozenset(
    "address article aside blockquote br dd details dialog div dl dt fieldset figcaption figure footer form h1 h2 "
    "h3 h4 h5 h6 header hr li main nav ol p pre section summary table tbody td tfoot th thead tr ul legend label "
    "option".split()
)
DROPPED_TAGS = ("script", "style", "noscript", "template", "svg", "iframe", "object", "canvas", "head")
_LATIN1_NAMES = frozenset({"iso-8859-1", "iso8859-1", "latin-1", "latin1", "l1", "us-ascii", "ascii"})
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([a-zA-Z0-9_\-:.]+)""", re.IGNORECASE)
_CLOSING = re.compile(
    r"(?:closing\s+date|closes?(?:\s+on)?|deadline(?:\s+for\s+applications)?|apply\s+by|applications\s+close"
    r"(?:\s+on)?)\s*(?:is|:|-|–)?\s*(?:midnight\s+on\s+|noon\s+on\s+|\d{1,2}(?::\d{2})?\s*(?:am|pm)\s+on\s+)?"
    r"((?:[A-Za-z]+,?\s+)?\d{1,2}(?:st|nd|rd|th)?\s+[A-Za-z]+\.?,?\s+\d{4}|\d{1,2}/\d{1,2}/\d{2,4}|\d{4}-\d{2}-\d{2})",
    re.IGNORECASE,
)


def web_encoding(declared: str | None) -> str | None:
    """The codec to use for a declared web charset: ISO-8859-1 and ASCII mean Windows-1252 on the web."""
    if not declared:
        return None
    name = declared.strip().strip("\"'").lower()
    if name in _LATIN1_NAMES:
        return "cp1252"
    try:
        import codecs

        return codecs.lookup(name).name
    except LookupError:
        return None


def decode_html(data: bytes, declared: str | None = None) -> str:
    """Page bytes to text: the HTTP charset if given, else the page's own <meta charset>, else UTF-8 or cp1252."""
    encoding = web_encoding(declared)
    if encoding is None:
        match = _META_CHARSET.search(data[:4096])
        if match:
            encoding = web_encoding(match.group(1).decode("ascii", "replace"))
    if data.startswith(b"\xef\xbb\xbf"):
        encoding = "utf-8-sig"
    if encoding is None:
        try:
            return data.decode("utf-8")
        except UnicodeDecodeError:
            encoding = "cp1252"
    return data.decode(encoding, errors="replace")


# --- HTML to text ------------------------------------------------------------------------------------------

_SPACES = re.compile(r"[ \t\r\f\v\u00a0\u200b]+")
_NEWLINES = re.compile(r"\n\s*\n+")


def html_to_text(fragment: str | Tag) -> str:
    """The readable text of an HTML fragment: block elements on their own lines, inline text kept together."""
    soup = fragment if isinstance(fragment, Tag) else BeautifulSoup(fragment, "lxml")
    parts: list[str] = []

    def walk(node: Tag) -> None:
        for child in node.children:
            if isinstance(child, Comment):
                continue
            if isinstance(child, Tag):
                if child.name in DROPPED_TAGS:
                    continue
                block = child.name in BLOCK_TAGS
                if block:
                    parts.append("\n")
                if child.name == "li":
                    parts.append("• ")
                walk(child)
                if block:
                    parts.append("\n")
            else:
                parts.append(str(child))

    walk(soup)
    text = "".join(parts)
    lines = [_SPACES.sub(" ", line).strip() for line in text.split("\n")]
    text = "\n".join(lines)
    return _NEWLINES.sub("\n\n", text).strip()


def description_to_text(description: str) -> str:
    """A JSON-LD description: entity-escaped HTML, plain HTML or plain text, reduced to text."""
    text = description
    if "&lt;" in text or "&amp;" in text or "&#" in text:
        text = html.unescape(text)
    if re.search(r"<[a-zA-Z/][^>]*>", text):
        return html_to_text(text)
    return _NEWLINES.sub("\n\n", "\n".join(_SPACES.sub(" ", line).strip() for line in text.splitlines())).strip()


# --- JSON-LD -----------------------------------------------------------------------------------------------


def _job_postings(data: Any) -> Iterator[dict[str, Any]]:
    if isinstance(data, list):
        for item in data:
            yield from _job_postings(item)
    elif isinstance(data, dict):
        kind = data.get("@type")
        kinds = kind if isinstance(kind, list) else [kind]
        if "JobPosting" in kinds:
            yield data
        elif "@graph" in data:
            yield from _job_postings(data["@graph"])


def _text_of(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, dict):
        return _text_of(value.get("name") or value.get("value") or value.get("@value"))
    if isinstance(value, list):
        texts = [t for t in (_text_of(v) for v in value) if t]
        return ", ".join(texts) if texts else None
    return clean_text(html.unescape(str(value)))


def _location(value: Any) -> str | None:
    places = value if isinstance(value, list) else [value]
    found: list[str] = []
    for place in places:
        if isinstance(place, dict):
            address = place.get("address", place)
            if isinstance(address, dict):
                bits = [address.get(k) for k in ("addressLocality", "addressRegion", "postalCode", "addressCountry")]
                found.append(", ".join(str(_text_of(b)) for b in bits if _text_of(b)))
            elif address:
                found.append(str(address))
        elif place:
            found.append(str(place))
    return "; ".join(f for f in found if f) or None


_UNIT_PERIODS = {"YEAR": "year", "MONTH": "month", "WEEK": "week", "DAY": "day", "HOUR": "hour"}


def structured_salary(base: Any) -> Salary | None:
    """schema.org baseSalary: numbers, a QuantitativeValue with min/max, or (NHS style) free text in `value`."""
    if base is None:
        return None
    if isinstance(base, str | int | float):
        return parse_salary_text(str(base)) if isinstance(base, str) else _number_salary(base, base, None, None)
    if not isinstance(base, dict):
        return None
    currency = _text_of(base.get("currency"))
    value = base.get("value")
    unit = None
    low = high = None
    if isinstance(value, dict):
        unit = _text_of(value.get("unitText"))
        inner = value.get("value")
        low, high = value.get("minValue"), value.get("maxValue")
        if low is None and high is None and inner is not None:
            if isinstance(inner, str):
                try:
                    low = high = parse_money(inner)
                except ValueError:
                    salary = parse_salary_text(inner)
                    if salary is not None:
                        salary.origin = "json-ld"
                        salary.currency = salary.currency or currency
                        if salary.period is None and unit:
                            salary.period = _UNIT_PERIODS.get(unit.upper())
                    return salary
            else:
                low = high = inner
    elif isinstance(value, str):
        salary = parse_salary_text(value)
        if salary is not None:
            salary.origin = "json-ld"
        return salary
    elif value is not None:
        low = high = value
    return _number_salary(low, high, currency, unit)


def _number_salary(low: Any, high: Any, currency: str | None, unit: str | None) -> Salary | None:
    try:
        minimum = parse_money(low) if low is not None else None
        maximum = parse_money(high) if high is not None else None
    except ValueError:
        return None
    if minimum is None and maximum is None:
        return None
    text = f"{currency or ''} {minimum}" + (f" - {maximum}" if maximum != minimum else "")
    return Salary(
        text=text.strip(),
        minimum=minimum,
        maximum=maximum,
        currency=currency,
        period=_UNIT_PERIODS.get((unit or "").upper()),
        origin="json-ld",
    )


def _safe_date(value: Any) -> dt.date | None:
    text = _text_of(value)
    if text is None:
        return None
    try:
        return parse_date(text)
    except ValueError:
        return None


def advert_from_posting(
    posting: dict[str, Any], source_kind: str, source_name: str, visible_text: str | None = None
) -> AdvertRecord:
    description = posting.get("description")
    text = description_to_text(str(description)) if description else (visible_text or "")
    title = _text_of(posting.get("title")) or ""
    identifier = posting.get("identifier")
    advert = AdvertRecord(
        title=title[:500],
        text=text[:MAX_ADVERT_CHARS],
        source_kind=source_kind,
        source_name=source_name,
        url=_text_of(posting.get("url")),
        hiring_organisation=_text_of(posting.get("hiringOrganization")),
        date_posted=_safe_date(posting.get("datePosted")),
        valid_through=_safe_date(posting.get("validThrough")),
        employment_type=_text_of(posting.get("employmentType")),
        location=_location(posting.get("jobLocation")),
        workplace_type="remote" if _text_of(posting.get("jobLocationType")) == "TELECOMMUTE" else None,
        salary=structured_salary(posting.get("baseSalary")),
        structured=_plain_json(posting),
        reference=_text_of(identifier.get("value") if isinstance(identifier, dict) else identifier),
    )
    advert.closing_date_text = find_closing_date(advert.text)
    if advert.salary is None or not advert.salary.has_figure:
        text_salary = salary_in_text(advert.text)
        if text_salary is not None and advert.salary is None:
            advert.salary = text_salary
    return advert


def _plain_json(value: Any, depth: int = 0) -> Any:
    """A JSON-safe copy of the posting, bounded in depth and size, for storage and for the SD checks."""
    if depth > 8:
        return None
    if isinstance(value, dict):
        return {str(k)[:100]: _plain_json(v, depth + 1) for k, v in list(value.items())[:100]}
    if isinstance(value, list):
        return [_plain_json(v, depth + 1) for v in value[:100]]
    if isinstance(value, str):
        return value[:MAX_ADVERT_CHARS]
    if isinstance(value, int | float | bool) or value is None:
        return value
    return str(value)


def salary_in_text(text: str) -> Salary | None:
    matches = [m for m in find_salaries(text) if plausible_pay(m)]
    if not matches:
        return None
    salary = matches[0].salary
    return salary


def find_closing_date(text: str) -> dt.date | None:
    """A closing date stated in the advert text ("Closing date: 5 February 2026")."""
    for match in _CLOSING.finditer(text):
        try:
            found = parse_date(match.group(1))
        except ValueError:
            continue
        if found is not None:
            return found
    return None


# --- parsing whole files -----------------------------------------------------------------------------------


def _json_ld_blocks(soup: BeautifulSoup) -> Iterator[Any]:
    for script in soup.find_all("script", attrs={"type": re.compile(r"application/ld\+json", re.I)}):
        raw = script.string or script.get_text() or ""
        raw = raw.strip()
        if raw.startswith("<!--"):
            raw = raw[4:]
        if raw.endswith("-->"):
            raw = raw[:-3]
        raw = raw.replace("<![CDATA[", "").replace("]]>", "").strip()
        try:
            yield json.loads(raw)
        except (ValueError, RecursionError):
            continue


MAX_PAGE_ITEMS = 500  # headings, images or form fields kept from one page


def _accessible_name(control: Tag, soup: BeautifulSoup) -> str | None:
    """A form control's accessible name as a browser would compute it, simply: aria-labelledby, aria-label,
    <label for>, a wrapping <label>, then title."""
    ids = str(control.get("aria-labelledby") or "").split()
    if ids:
        parts = [soup.find(id=i) for i in ids]
        text = " ".join(p.get_text(" ", strip=True) for p in parts if p is not None).strip()
        if text:
            return text[:300]
    label = str(control.get("aria-label") or "").strip()
    if label:
        return label[:300]
    control_id = control.get("id")
    if control_id:
        tag = soup.find("label", attrs={"for": control_id})
        if tag is not None and tag.get_text(strip=True):
            return tag.get_text(" ", strip=True)[:300]
    wrapper = control.find_parent("label")
    if wrapper is not None and wrapper.get_text(strip=True):
        return wrapper.get_text(" ", strip=True)[:300]
    title = str(control.get("title") or "").strip()
    return title[:300] or None


def page_structure(soup: BeautifulSoup) -> PageStructure:
    """What the page's HTML says about its accessibility: title, headings, images' alt text, labelled fields."""
    title = soup.title.get_text(" ", strip=True) if soup.title is not None else None
    headings = [
        (int(tag.name[1]), _SPACES.sub(" ", tag.get_text(" ", strip=True))[:300])
        for tag in soup.find_all(["h1", "h2", "h3", "h4", "h5", "h6"], limit=MAX_PAGE_ITEMS)
    ]
    images = [
        Image(src=str(tag.get("src") or "")[:500], alt=None if tag.get("alt") is None else str(tag.get("alt"))[:300])
        for tag in soup.find_all("img", limit=MAX_PAGE_ITEMS)
    ]
    fields = []
    for control in soup.find_all(["input", "select", "textarea"], limit=MAX_PAGE_ITEMS):
        kind = str(control.get("type") or "text").lower() if control.name == "input" else control.name
        if kind in ("hidden", "submit", "button", "reset", "image"):
            continue
        fields.append(
            FormField(
                name=str(control.get("name") or control.get("id") or "")[:100],
                kind=kind,
                label=_accessible_name(control, soup),
            )
        )
    return PageStructure(title=title or None, headings=headings, images=images, form_fields=fields)


def parse_html_page(
    data: bytes,
    source_name: str,
    *,
    declared_charset: str | None = None,
    url: str | None = None,
    report: ImportReport | None = None,
) -> list[AdvertRecord]:
    """The adverts on a web page: one per JobPosting, or the page itself if it has none."""
    page = decode_html(data, declared_charset)
    soup = BeautifulSoup(page, "lxml")
    lang = None
    if soup.html is not None and soup.html.get("lang"):
        lang = str(soup.html.get("lang"))
    links = [
        Link(text=_SPACES.sub(" ", a.get_text(" ")).strip()[:300], href=str(a.get("href"))[:2000])
        for a in soup.find_all("a", href=True)[:2000]
    ]
    questions = [
        _SPACES.sub(" ", label.get_text(" ")).strip()
        for form in soup.find_all("form")
        for label in form.find_all(["label", "legend"])
        if label.get_text(strip=True)
    ]
    main = soup.find("main") or soup.find("article") or soup.body or soup
    visible = html_to_text(main)[:MAX_ADVERT_CHARS]
    postings = [p for block in _json_ld_blocks(soup) for p in _job_postings(block)]
    adverts: list[AdvertRecord] = []
    for posting in postings:
        advert = advert_from_posting(posting, "json-ld", source_name, visible)
        adverts.append(advert)
    if not adverts:
        heading = soup.find("h1")
        title = (heading.get_text(" ", strip=True) if heading else "") or (
            soup.title.get_text(" ", strip=True) if soup.title else ""
        )
        text = visible
        if title and text.startswith(title):
            text = text[len(title) :].lstrip()
        advert = AdvertRecord(title=title[:500], text=text, source_kind="html", source_name=source_name)
        advert.salary = salary_in_text(text)
        advert.closing_date_text = find_closing_date(text)
        adverts.append(advert)
        if report is not None and len(text) < 200:
            report.notes.append(
                "the page holds little text: check it is the advert itself and not a sign-in or cookie page"
            )
    structure = page_structure(soup)
    for advert in adverts:
        advert.url = advert.url or url
        advert.links = links
        advert.questions = questions
        advert.html_lang = lang
        advert.page = structure
    return adverts


def parse_json_file(data: bytes, source_name: str) -> list[AdvertRecord]:
    try:
        document = json.loads(data.decode("utf-8-sig"))
    except UnicodeDecodeError:
        document = json.loads(data.decode("cp1252"))
    postings = list(_job_postings(document))
    if not postings:
        raise FileRejected(source_name, 'the JSON holds no schema.org JobPosting ("@type": "JobPosting")')
    return [advert_from_posting(p, "json-ld", source_name) for p in postings]


def parse_text(text: str, source_name: str) -> AdvertRecord:
    text = text.replace("\r\n", "\n").replace("\r", "\n").lstrip("\ufeff")
    lines = text.strip().split("\n")
    title = ""
    if lines and 0 < len(lines[0].strip()) <= 150:
        title = lines[0].strip()
        body = "\n".join(lines[1:]).strip()
    else:
        body = text.strip()
    body = _NEWLINES.sub("\n\n", "\n".join(_SPACES.sub(" ", line).strip() for line in body.split("\n")))
    advert = AdvertRecord(title=title[:500], text=body[:MAX_ADVERT_CHARS], source_kind="text", source_name=source_name)
    advert.salary = salary_in_text(advert.text)
    advert.closing_date_text = find_closing_date(advert.text)
    return advert


def parse(path: Path, name: str, sniffed: Sniffed, report: ImportReport, options: Any = None) -> Iterator[AdvertRecord]:
    """Adverts from an uploaded HTML, JSON or text file. `options` may carry a fetched page's charset and URL."""
    data = path.read_bytes()
    charset = getattr(options, "declared_charset", None)
    url = getattr(options, "source_url", None)
    if sniffed.kind == "html":
        report.format = FORMAT_HTML
        adverts = parse_html_page(data, name, declared_charset=charset, url=url, report=report)
    elif sniffed.kind == "json":
        report.format = FORMAT_JSON
        try:
            adverts = parse_json_file(data, name)
        except (ValueError, RecursionError) as error:
            raise FileRejected(
                name, f"the JSON cannot be read ({error.__class__.__name__}): check the file is complete"
            ) from None
    else:
        report.format = FORMAT_TEXT
        encoding = sniffed.encoding or choose_encoding(path)
        adverts = [parse_text(data.decode(encoding, errors="replace"), name)]
    for advert in adverts:
        report.rows_read += 1
        if not advert.text.strip() and not advert.title.strip():
            report.reject_row(report.rows_read, None, None, "the advert has no text")
            continue
        yield advert

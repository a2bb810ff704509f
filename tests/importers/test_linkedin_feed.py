"""The LinkedIn job-posting XML feed (formats.md §2), and the XML attacks it must not fall for."""

import datetime as dt
import time
import tracemalloc
from decimal import Decimal
from pathlib import Path

import pytest

import importers
from importers import FileRejected, ImportOptions
from importers.records import AdvertRecord
from tests.importers.helpers import FIXTURES, read

FEED = FIXTURES / "linkedin" / "job-feed.xml"


def test_feed_jobs_become_adverts_with_cdata_salaries_and_workplace() -> None:
    report, records = read(FEED)
    assert report.format == "linkedin-job-feed"
    first, second = records
    assert isinstance(first, AdvertRecord) and first.source_kind == "xml-feed"
    assert first.reference == "C-1" and first.title == "Chief Executive"
    assert "<p>" not in first.text and "• Lead the council's transformation programme" in first.text
    assert first.salary is not None
    assert (first.salary.minimum, first.salary.maximum, first.salary.currency, first.salary.period) == (
        Decimal(185000),
        Decimal(200000),
        "GBP",
        "year",
    )
    assert first.workplace_type == "hybrid"  # workplaceTypes wins over the older isRemote
    assert first.structured is not None
    assert first.structured["isRemote"] == "No" and first.structured["workplaceTypes"] == ["Hybrid"]
    assert first.employment_type == "Full Time" and first.location == "Northtown, United Kingdom"
    assert first.date_posted == dt.date(2025, 10, 6) and first.valid_through == dt.date(2025, 11, 16)
    assert first.closing_date_text == dt.date(2025, 11, 16)
    assert first.structured["has_job_poster_email"] is True
    assert "alex.poster" not in repr(records)  # the poster's e-mail address is never kept
    assert first.structured["feed"]["publisher"] == "Harbour Search"
    # the base salary is chosen over an additional one, and monthly pay stays monthly
    assert second.salary is not None and (second.salary.minimum, second.salary.period) == (Decimal(9500), "month")
    assert second.workplace_type == "remote" and second.location == "Northtown, GB"
    [problem] = report.problems
    assert (problem.row, problem.column) == (3, "title")


BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<source><job><title>&lol9;</title><description>x</description></job></source>
"""
EXTERNAL_ENTITY = """<?xml version="1.0"?>
<!DOCTYPE source [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<source><job><title>&secret;</title><description>x</description></job></source>
"""


@pytest.mark.parametrize("document", [BILLION_LAUGHS, EXTERNAL_ENTITY], ids=["billion-laughs", "external-entity"])
def test_entity_attacks_are_refused_without_expanding(tmp_path: Path, document: str) -> None:
    path = tmp_path / "feed.xml"
    path.write_text(document, encoding="utf-8")
    tracemalloc.start()
    started = time.perf_counter()
    try:
        with pytest.raises(FileRejected, match="document type") as caught:
            read(path)
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert time.perf_counter() - started < 2 and peak < 20 * 1024 * 1024
    assert "root:" not in str(caught.value)


def test_other_xml_is_not_a_feed(tmp_path: Path) -> None:
    path = tmp_path / "feed.xml"
    path.write_text('<?xml version="1.0"?><source><job><title>Unclosed</job></source>', encoding="utf-8")
    with pytest.raises(FileRejected, match="not well formed"):
        read(path)
    path.write_text('<?xml version="1.0"?><rss><channel/></rss>', encoding="utf-8")
    with pytest.raises(FileRejected, match="not a format Scrutineer reads"):
        read(path)


def test_a_large_feed_streams_in_flat_memory(tmp_path: Path) -> None:
    path = tmp_path / "feed.xml"
    job = (
        "<job><partnerJobId><![CDATA[J-{n}]]></partnerJobId><title><![CDATA[Job {n}]]></title>"
        "<description><![CDATA[<p>" + "A long description of the job. " * 40 + "</p>]]></description></job>\n"
    )
    with path.open("w", encoding="utf-8") as handle:
        handle.write('<?xml version="1.0" encoding="UTF-8"?>\n<source>\n')
        for n in range(3_000):
            handle.write(job.format(n=n))
        handle.write("</source>\n")
    report, records = importers.read(path, path.name, ImportOptions())
    tracemalloc.start()
    try:
        count = sum(1 for _ in records)  # each advert is dropped as soon as it is counted
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert count == 3_000 and report.rows_read == 3_000
    assert path.stat().st_size > 4_000_000 and peak < 2_000_000  # no tree of the jobs already read

"""Public LinkedIn postings datasets (formats.md §4): Excel-mangled numbers, NA nulls, cp1252, a cut-short end."""

import datetime as dt
from decimal import Decimal
from pathlib import Path

from importers.postings_dataset import COLUMNS, epoch_millis
from tests.importers.helpers import FIXTURES, read

POSTINGS = FIXTURES / "datasets" / "postings-excel-resaved.csv"


def test_excel_resaved_postings() -> None:
    report, records = read(POSTINGS)
    assert report.format == "linkedin-postings-dataset"
    first, second = records
    # Windows-1252: byte 0x92 is a curly apostrophe
    assert "Northshire Council’s next Chief Executive" in first.text
    assert any("Windows-1252" in note for note in report.notes)
    assert first.source_kind == "dataset" and first.reference == "3884428798" and first.lossy_fields == []
    assert first.date_posted == dt.date(2024, 4, 17) and first.valid_through == dt.date(2024, 5, 17)  # epoch ms
    assert first.salary is not None
    assert (first.salary.minimum, first.salary.maximum, first.salary.period) == (
        Decimal(185000),
        Decimal(200000),
        "year",
    )
    assert first.structured is not None and first.structured["skills_desc"] is None  # "NA" is null
    # Excel's 1.71138E+12 is flagged and not trusted, and the row is still kept
    assert second.reference is None and second.date_posted is None and second.valid_through is None
    assert set(second.lossy_fields) == {"job_id", "original_listed_time", "listed_time", "expiry"}
    assert second.workplace_type == "remote"
    lossy = [p for p in report.problems if p.row == 3]
    assert {p.column for p in lossy} == set(second.lossy_fields)
    assert all("Excel rounded" in p.message for p in lossy)
    # the file was cut short in the middle of its last row: reported, not imported, not a crash
    [cut] = [p for p in report.problems if p.row == 4]
    assert "cut short" in cut.message
    assert report.rows_read == 3 and report.rows_rejected == 1


def test_columns_in_any_order_and_r_style_nulls(tmp_path: Path) -> None:
    shuffled = list(reversed(COLUMNS))
    values = dict.fromkeys(COLUMNS, "NA")
    values.update(title="Head of Policy", description="A policy role.", listed_time="1713390000000", job_id="1")
    path = tmp_path / "postings.csv"
    path.write_text(",".join(shuffled) + "\n" + ",".join(values[n] for n in shuffled) + "\n", encoding="utf-8")
    report, [advert] = read(path)
    assert report.format == "linkedin-postings-dataset" and report.problems == []
    assert advert.title == "Head of Policy" and advert.salary is None and advert.hiring_organisation is None
    assert advert.date_posted == dt.date(2024, 4, 17)


def test_epoch_millis() -> None:
    assert epoch_millis("1713390000000.0") == dt.date(2024, 4, 17)
    for bad in ("0", "-5", "99999999999999999"):
        try:
            epoch_millis(bad)
        except ValueError:
            continue
        raise AssertionError(bad)

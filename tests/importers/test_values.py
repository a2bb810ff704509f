import datetime as dt
from decimal import Decimal

import pytest

from importers.values import (
    find_salaries,
    header_key,
    parse_bool,
    parse_choice,
    parse_date,
    parse_datetime,
    parse_int,
    parse_money,
    parse_percent,
    parse_salary_text,
)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("05/02/2026", dt.date(2026, 2, 5)),
        ("5/2/26", dt.date(2026, 2, 5)),
        ("2026-02-05", dt.date(2026, 2, 5)),
        ("5 Feb 2026", dt.date(2026, 2, 5)),
        ("5th February 2026", dt.date(2026, 2, 5)),
        ("Thursday 5 February 2026", dt.date(2026, 2, 5)),
        ("05-Feb-2026", dt.date(2026, 2, 5)),
        (dt.date(2026, 2, 5), dt.date(2026, 2, 5)),
        (dt.datetime(2026, 2, 5, 13, 30), dt.date(2026, 2, 5)),
        (46058.0, dt.date(2026, 2, 5)),  # an Excel serial number
        ("", None),
        ("N/A", None),
        (None, None),
    ],
)
def test_uk_dates(raw: object, expected: dt.date | None) -> None:
    assert parse_date(raw) == expected


def test_us_dates_when_the_format_says_so() -> None:
    assert parse_date("02/05/2026", dayfirst=False) == dt.date(2026, 2, 5)
    assert parse_datetime("3/7/24, 2:22 PM", dayfirst=False) == dt.datetime(2024, 3, 7, 14, 22)


def test_offsets_without_a_colon_are_converted_to_utc() -> None:
    assert parse_datetime("2018-12-27T10:50:17+0000") == dt.datetime(2018, 12, 27, 10, 50, 17)
    assert parse_datetime("2025-11-02T23:55:00+01:00") == dt.datetime(2025, 11, 2, 22, 55)


@pytest.mark.parametrize("raw", ["31/02/2026", "13/13/2026", "yesterday", "2026-02-30"])
def test_impossible_dates_are_refused_with_a_reason(raw: str) -> None:
    with pytest.raises(ValueError, match=r"date|month"):
        parse_date(raw)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("£135,000", Decimal(135000)),
        ("135000", Decimal(135000)),
        ("£135k", Decimal(135000)),
        ("135,000.50", Decimal("135000.50")),
        (135000.0, Decimal(135000)),
        ("GBP 90000", Decimal(90000)),
        ("", None),
    ],
)
def test_money(raw: object, expected: Decimal | None) -> None:
    assert parse_money(raw) == expected


def test_money_refuses_words() -> None:
    with pytest.raises(ValueError, match="amount"):
        parse_money("competitive")


def test_numbers_booleans_and_choices() -> None:
    assert parse_int("1,200") == 1200
    assert parse_percent("25%") == Decimal(25)
    assert parse_percent(0.25) == Decimal(25)
    assert parse_bool("Yes") is True and parse_bool("n") is False and parse_bool("") is None
    with pytest.raises(ValueError):
        parse_bool("perhaps")
    assert parse_choice("Long-listed", ("longlisted",), {}) == "longlisted"
    assert parse_choice("LinkedIn InMail", ("linkedin_inmail",), {}) == "linkedin_inmail"
    with pytest.raises(ValueError, match="not one of"):
        parse_choice("teleported", ("longlisted",), {})


def test_header_keys_ignore_case_spaces_and_punctuation() -> None:
    assert header_key("Campaign Ref") == header_key("campaign_ref") == header_key("CAMPAIGN-REF") == "campaignref"


@pytest.mark.parametrize(
    ("text", "low", "high", "period"),
    [
        ("£31,365 - £37,890 per annum", 31365, 37890, "year"),
        ("£95,000 to £105,000 pa", 95000, 105000, "year"),
        ("£110k", 110000, 110000, None),
        ("Up to £120,000 a year", 120000, 120000, "year"),
        ("£650 per day", 650, 650, "day"),
        ("£130k–£150k", 130000, 150000, None),
    ],
)
def test_salary_text(text: str, low: int, high: int, period: str | None) -> None:
    salary = parse_salary_text(text)
    assert salary is not None
    assert (salary.minimum, salary.maximum, salary.period) == (Decimal(low), Decimal(high), period)


def test_vague_salary_has_no_figure() -> None:
    salary = parse_salary_text("Competitive")
    assert salary is not None and not salary.has_figure


def test_salaries_found_in_text_with_positions() -> None:
    text = "The salary is £95,000 to £105,000 per annum plus benefits."
    [match] = find_salaries(text)
    assert text[match.start : match.end] == "£95,000 to £105,000"

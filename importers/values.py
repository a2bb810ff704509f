"""Reading single values the way UK agencies and LinkedIn really write them.

Each parser takes the raw cell (text from a CSV, or whatever the spreadsheet library returned) and gives the
normalised value, `None` for an empty cell, or raises `ValueError` with a message a user can act on. The
callers turn that message into a row problem with file, row, column and value.

Dates: agency files are UK day-first (`05/02/2026` is 5 February). LinkedIn files are US month-first and must
never be guessed day-first; their importers pass `dayfirst=False`.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from importers.records import Salary

NULL_TEXTS = frozenset({"", "na", "n/a", "-", "--", "null", "none", "nil", "#n/a"})

_HEADER_JUNK = re.compile(r"[^0-9a-z]+")


def header_key(name: object) -> str:
    """A header name reduced for matching: lower case, letters and digits only ("Campaign Ref" -> "campaignref")."""
    text = unicodedata.normalize("NFKC", str(name or "")).lower()
    return _HEADER_JUNK.sub("", text)


_NULL_TEXT_LONGEST = max(map(len, NULL_TEXTS))


def clean_text(value: object) -> str | None:
    """Text with surrounding space removed, or None for the usual spellings of an empty cell.

    NUL characters are dropped: no database column can hold them, and no real value contains one.
    """
    if value is None:
        return None
    if isinstance(value, str):
        text = value.strip()
    else:
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        text = str(value).strip()
    if "\u00a0" in text:
        text = text.replace("\u00a0", " ")
    if "\x00" in text:
        text = text.replace("\x00", "").strip()
    if len(text) <= _NULL_TEXT_LONGEST and text.lower() in NULL_TEXTS:
        return None
    return text


# --- contact details in free text ------------------------------------------------------------------------

# Free text about candidates (a rejection reason, a long-list justification) is kept as written, except for the
# identifiers Scrutineer never stores in clear: e-mail addresses and LinkedIn profile URLs. Each is bounded, so a
# long cell cannot make the search slow, and it runs only when a cheap look finds an "@" or a profile path.
_CONTACT_DETAIL = re.compile(
    # tried only where a word starts (the look-behinds), so no cell makes the search slower than linear
    r"(?P<email>(?<![\w.!#$%&'*+/=?^`{|}~-])[\w.!#$%&'*+/=?^`{|}~-]{1,64}@[\w-]{1,63}(?:\.[\w-]{1,63}){1,8})"
    r"|(?P<profile>(?<![\w.:/-])(?:https?://)?(?:[\w-]{1,63}\.){0,4}linkedin\.com/"
    r"(?:in|pub|talent/profile|recruiter/profile)/[^\s,;()<>\"'\]\[]{1,200})",
    re.IGNORECASE,
)
_REMOVED = {"email": "[e-mail address removed]", "profile": "[profile link removed]"}


def remove_contact_details(text: str) -> str:
    """The text with every e-mail address and LinkedIn profile URL replaced by a note that one was removed."""
    if "@" not in text and not ("/" in text and ("/in/" in text or "/pub/" in text or "/profile/" in text)):
        return text  # nearly every value: two or three scans in C
    return _CONTACT_DETAIL.sub(lambda found: _REMOVED[found.lastgroup or "email"], text)


# --- dates -------------------------------------------------------------------------------------------------

_MONTHS = {
    name: index
    for index, names in enumerate(
        [
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ],
        start=1,
    )
    for name in names
}
_NUMERIC_DATE = re.compile(r"^(\d{1,4})[/.\-](\d{1,2})[/.\-](\d{1,4})(?:[ T,]+(.*))?$")
_WORDY_DATE = re.compile(
    r"^(?:[a-z]+,?\s+)?(\d{1,2})(?:st|nd|rd|th)?[\s\-]+([a-z]+)\.?,?[\s\-]+(\d{2,4})(?:[ T,]+(.*))?$"
)
_US_WORDY_DATE = re.compile(r"^(?:[a-z]+,?\s+)?([a-z]+)\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})(?:[ T,]+(.*))?$")
_TIME = re.compile(r"^(\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?\s*([ap]\.?m\.?)?\s*(?:utc|gmt|z)?$")
EXCEL_EPOCH = dt.datetime(1899, 12, 30)


def _year(text: str) -> int:
    year = int(text)
    if len(text) == 2:
        year += 2000 if year < 70 else 1900
    return year


def _make_date(year: int, month: int, day: int) -> dt.date:
    try:
        return dt.date(year, month, day)
    except ValueError:
        raise ValueError(f"there is no such date as day {day}, month {month}, year {year}") from None


def _parse_time(text: str | None) -> dt.time:
    if not text:
        return dt.time(0, 0)
    match = _TIME.match(text.strip().lower())
    if not match:
        raise ValueError(f"cannot read the time {text!r}")
    hour, minute, second = int(match.group(1)), int(match.group(2)), int(match.group(3) or 0)
    meridiem = match.group(4)
    if meridiem:
        if not 1 <= hour <= 12:
            raise ValueError(f"cannot read the time {text!r}")
        hour = hour % 12 + (12 if meridiem.startswith("p") else 0)
    if hour > 23 or minute > 59 or second > 59:
        raise ValueError(f"cannot read the time {text!r}")
    return dt.time(hour, minute, second)


def parse_datetime(value: object, *, dayfirst: bool = True) -> dt.datetime | None:
    """A date and time from a cell. Dates without a time give midnight. Time zones are dropped (UTC assumed)."""
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.replace(tzinfo=None) if value.tzinfo is None else value.astimezone(dt.UTC).replace(tzinfo=None)
    if isinstance(value, dt.date):
        return dt.datetime.combine(value, dt.time(0, 0))
    if isinstance(value, int | float) and not isinstance(value, bool):
        # A spreadsheet date that arrived as its serial number (days since 1899-12-30).
        if 1 <= value < 2_958_466:
            return EXCEL_EPOCH + dt.timedelta(days=float(value))
        raise ValueError(f"{value!r} is not a date")
    text = clean_text(value)
    if text is None:
        return None
    lowered = text.lower()
    # ISO 8601, including offsets without a colon (+0000), as NHS Jobs JSON-LD writes them.
    iso = re.match(
        r"^(\d{4})-(\d{2})-(\d{2})(?:[t ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?)?\s*(z|utc|[+-]\d{2}:?\d{2})?$", lowered
    )
    if iso:
        year, month, day = int(iso.group(1)), int(iso.group(2)), int(iso.group(3))
        date = _make_date(year, month, day)
        hour, minute, second = int(iso.group(4) or 0), int(iso.group(5) or 0), int(iso.group(6) or 0)
        if hour > 23 or minute > 59 or second > 59:
            raise ValueError(f"cannot read the time in {text!r}")
        moment = dt.datetime.combine(date, dt.time(hour, minute, second))
        offset = iso.group(7)
        if offset and offset not in ("z", "utc"):
            sign = 1 if offset[0] == "+" else -1
            digits = offset[1:].replace(":", "")
            moment -= sign * dt.timedelta(hours=int(digits[:2]), minutes=int(digits[2:]))
        return moment
    match = _NUMERIC_DATE.match(lowered)
    if match:
        first, second, third, rest = match.groups()
        if len(first) == 4:  # 2026/02/05
            year, month, day = int(first), int(second), int(third)
        elif dayfirst:
            day, month, year = int(first), int(second), _year(third)
        else:
            month, day, year = int(first), int(second), _year(third)
        if len(third) not in (2, 4) and len(first) != 4:
            raise ValueError(f"cannot read the year in {text!r}")
        if not 1 <= month <= 12:
            expected = "DD/MM/YYYY" if dayfirst else "MM/DD/YYYY"
            raise ValueError(f"there is no month {month}: dates here are read as {expected}")
        return dt.datetime.combine(_make_date(year, month, day), _parse_time(rest))
    for pattern, order in ((_WORDY_DATE, "dmy"), (_US_WORDY_DATE, "mdy")):
        match = pattern.match(lowered)
        if match:
            if order == "dmy":
                day_text, month_text, year_text, rest = match.groups()
            else:
                month_text, day_text, year_text, rest = match.groups()
            month = _MONTHS.get(month_text)
            if month is None:
                raise ValueError(f"cannot read the month in {text!r}")
            return dt.datetime.combine(_make_date(_year(year_text), month, int(day_text)), _parse_time(rest))
    if dayfirst:
        raise ValueError(f"cannot read {text!r} as a date: write it as DD/MM/YYYY (for example 05/02/2026)")
    raise ValueError(f"cannot read {text!r} as a date: LinkedIn writes dates as MM/DD/YYYY or YYYY-MM-DD")


def parse_date(value: object, *, dayfirst: bool = True) -> dt.date | None:
    moment = parse_datetime(value, dayfirst=dayfirst)
    return None if moment is None else moment.date()


def parse_us_date(value: object) -> dt.date | None:
    """A date as LinkedIn writes it (MM/DD/YYYY, M/D/YY, YYYY-MM-DD): never read day-first (formats.md §0)."""
    return parse_date(value, dayfirst=False)


def parse_us_datetime(value: object) -> dt.datetime | None:
    return parse_datetime(value, dayfirst=False)


# --- numbers -----------------------------------------------------------------------------------------------

_NUMBER = re.compile(r"^[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?$|^[+-]?\.\d+$")
_MONEY = re.compile(r"^(?:gbp|£|\$|€|usd|eur)?\s*([0-9][0-9,]*(?:\.[0-9]+)?)\s*(k|m)?\s*(?:gbp)?$")


MAX_AMOUNT = Decimal(1_000_000_000_000)  # no salary or fee is a trillion pounds; larger is a typing slip
MAX_WHOLE_NUMBER = 2_147_483_647  # the largest count a database integer column holds


def _finite_decimal(value: int | float | Decimal) -> Decimal | None:
    if isinstance(value, float) and (value != value or value in (float("inf"), float("-inf"))):
        return None
    number = Decimal(str(value))
    return None if not number.is_finite() else number


def parse_money(value: object) -> Decimal | None:
    """An amount such as `£135,000`, `135000`, `£135k` or `135,000.00`."""
    if value is None:
        return None
    if isinstance(value, bool):
        raise ValueError(f"{value!r} is not an amount")
    if isinstance(value, int | float | Decimal):
        if isinstance(value, float) and value != value:
            return None
        amount = _finite_decimal(value)
        if amount is None:
            raise ValueError(f"{value!r} is not an amount")
        amount = amount.normalize()
    else:
        text = clean_text(value)
        if text is None:
            return None
        match = _MONEY.match(text.lower().replace(" ", ""))
        if not match:
            raise ValueError(f"cannot read {text!r} as an amount: write a number such as £135,000")
        try:
            amount = Decimal(match.group(1).replace(",", ""))
        except InvalidOperation:
            raise ValueError(f"cannot read {text!r} as an amount") from None
        if match.group(2) == "k":
            amount *= 1000
        elif match.group(2) == "m":
            amount *= 1_000_000
    if abs(amount) > MAX_AMOUNT:
        raise ValueError(f"{value!r} is too large to be an amount in pounds")
    return amount


def parse_percent(value: object) -> Decimal | None:
    """`25%`, `25`, or a spreadsheet's 0.25 formatted as a percentage (read as 25)."""
    if value is None:
        return None
    if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
        number = _finite_decimal(value)
        if number is None:
            raise ValueError(f"{value!r} is not a percentage")
        if abs(number) > MAX_WHOLE_NUMBER:
            raise ValueError(f"{value!r} is too large to be a percentage")
        return (number * 100).normalize() if 0 < number < 1 else number
    text = clean_text(value)
    if text is None:
        return None
    cleaned = text.rstrip("%").strip()
    if not _NUMBER.match(cleaned) or len(cleaned) > 30:
        raise ValueError(f"cannot read {text!r} as a percentage")
    return Decimal(cleaned.replace(",", ""))


def parse_rate(value: object) -> float | None:
    """A percentage as a float (`12.5%`, `12.5`, or Excel's 0.125 shown as a percentage)."""
    percent = parse_percent(value)
    return None if percent is None else float(percent)


def parse_number(value: object) -> float | None:
    """A figure from a report: `1,234`, `12.5`, `3%` (as 3.0); NaN and infinity are not figures."""
    if value is None:
        return None
    if isinstance(value, bool):
        raise ValueError(f"{value!r} is not a number")
    if isinstance(value, int | float | Decimal):
        number = float(value)
    else:
        text = clean_text(value)
        if text is None:
            return None
        cleaned = text.rstrip("%").strip()
        if not _NUMBER.match(cleaned):
            raise ValueError(f"cannot read {text!r} as a number")
        number = float(cleaned.replace(",", ""))
    if number != number or number in (float("inf"), float("-inf")):
        raise ValueError(f"{value!r} is not a number")
    return number


def parse_int(value: object) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool):
        raise ValueError(f"{value!r} is not a whole number")
    if isinstance(value, int):
        number = value
    elif isinstance(value, float):
        if not value.is_integer():
            raise ValueError(f"{value!r} is not a whole number")
        number = int(value)
    else:
        text = clean_text(value)
        if text is None:
            return None
        cleaned = text.replace(",", "")
        if not re.fullmatch(r"[+-]?\d{1,18}(\.0+)?", cleaned):
            raise ValueError(f"cannot read {text!r} as a whole number")
        number = int(cleaned.split(".")[0])
    if abs(number) > MAX_WHOLE_NUMBER:
        raise ValueError(f"{value!r} is too large for a count")
    return number


_TRUE = frozenset({"yes", "y", "true", "t", "1", "ticked", "x", "✓", "agreed"})
_FALSE = frozenset({"no", "n", "false", "f", "0", "unticked"})


def parse_bool(value: object) -> bool | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float) and value in (0, 1):
        return bool(value)
    text = clean_text(value)
    if text is None:
        return None
    lowered = text.lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise ValueError(f"cannot read {text!r} as yes or no")


def parse_choice(value: object, choices: Iterable[str], synonyms: Mapping[str, str] | None = None) -> str | None:
    """One of a fixed set of codes, matched loosely ("Long-listed" -> "longlisted", "LinkedIn InMail" -> ...)."""
    text = clean_text(value)
    if text is None:
        return None
    choices = tuple(choices)
    key = header_key(text)
    for choice in choices:
        if header_key(choice) == key:
            return choice
    if synonyms:
        for alias, choice in synonyms.items():
            if header_key(alias) == key:
                return choice
    raise ValueError(f"{text!r} is not one of: {', '.join(choices)}")


# --- salaries in free text ---------------------------------------------------------------------------------

_AMOUNT = r"(?:£|gbp\s?)\s?(\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)(?:\s?(k\b|m\b|million\b))?"
_SALARY_RANGE = re.compile(
    _AMOUNT + r"\s*(?:-|–|—|to|and)\s*(?:£|gbp\s?)?\s?(\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)(?:\s?(k\b|m\b|million\b))?",
    re.IGNORECASE,
)
_SALARY_SINGLE = re.compile(_AMOUNT, re.IGNORECASE)
_PERIODS = (
    ("year", re.compile(r"\b(per\s+annum|p\.?\s?a\b\.?|a\s+year|per\s+year|annual(?:ly)?|yearly|/\s?year)", re.I)),
    ("month", re.compile(r"\b(per\s+month|a\s+month|monthly|pcm|/\s?month)", re.I)),
    ("week", re.compile(r"\b(per\s+week|a\s+week|weekly|/\s?week|pw)\b", re.I)),
    ("day", re.compile(r"\b(per\s+day|a\s+day|daily|day\s+rate|/\s?day|pd)\b", re.I)),
    ("hour", re.compile(r"\b(per\s+hour|an\s+hour|hourly|/\s?h(?:ou)?r|ph)\b", re.I)),
)


@dataclass(slots=True)
class SalaryMatch:
    salary: Salary
    start: int
    end: int


def _amount(number: str, suffix: str | None) -> Decimal:
    amount = Decimal(number.replace(",", ""))
    suffix = (suffix or "").lower()
    if suffix == "k":
        amount *= 1000
    elif suffix in ("m", "million"):
        amount *= 1_000_000
    return amount


def _period_near(text: str, start: int, end: int) -> str | None:
    window = text[end : end + 40]
    for period, pattern in _PERIODS:
        if pattern.search(window):
            return period
    before = text[max(0, start - 30) : start]
    for period, pattern in _PERIODS:
        if pattern.search(before):
            return period
    return None


def find_salaries(text: str) -> list[SalaryMatch]:
    """Every pound amount or range in `text`, with its position and pay period where one is stated nearby."""
    found: list[SalaryMatch] = []
    taken: list[tuple[int, int]] = []
    for match in _SALARY_RANGE.finditer(text):
        low = _amount(match.group(1), match.group(2))
        high = _amount(match.group(3), match.group(4) or match.group(2))
        if high < low:
            low, high = high, low
        salary = Salary(
            text=match.group(0),
            minimum=low,
            maximum=high,
            currency="GBP",
            period=_period_near(text, match.start(), match.end()),
            origin="text",
        )
        found.append(SalaryMatch(salary, match.start(), match.end()))
        taken.append((match.start(), match.end()))
    for match in _SALARY_SINGLE.finditer(text):
        if any(start <= match.start() < end for start, end in taken):
            continue
        amount = _amount(match.group(1), match.group(2))
        salary = Salary(
            text=match.group(0),
            minimum=amount,
            maximum=amount,
            currency="GBP",
            period=_period_near(text, match.start(), match.end()),
            origin="text",
        )
        found.append(SalaryMatch(salary, match.start(), match.end()))
    found.sort(key=lambda m: m.start)
    return found


def plausible_pay(match: SalaryMatch) -> bool:
    """Leave out small sums that are not pay (a £50 voucher, a £10 fee); keep day and hourly rates."""
    amount = match.salary.maximum or Decimal(0)
    if match.salary.period in ("day", "hour", "week", "month"):
        return amount > 0
    return amount >= 5000


def parse_salary_text(text: str | None) -> Salary | None:
    """The pay a short salary field states: `£31,365 - £37,890 per annum`, `Competitive`, `£110k`, `up to £95,000`."""
    if text is None:
        return None
    cleaned = clean_text(text)
    if cleaned is None:
        return None
    matches = [m for m in find_salaries(cleaned) if plausible_pay(m)] or find_salaries(cleaned)
    if not matches:
        return Salary(text=cleaned, origin="text")
    best = matches[0]
    salary = best.salary
    salary.text = cleaned
    if salary.period is None and re.search(r"pro\s*rata", cleaned, re.I):
        salary.period = "year"
    return salary

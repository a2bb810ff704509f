"""Charts drawn on the server: well-formed SVG, named by a title and a description, every value plotted where it
belongs and written beside its mark, and nothing the Content Security Policy would block."""

from __future__ import annotations

import datetime as dt
from xml.etree import ElementTree

from app.charts import Bar, LinePoint, bar_chart, line_chart, number

SVG = "{http://www.w3.org/2000/svg}"


def _parse(markup: str) -> ElementTree.Element:
    assert " style=" not in markup and "<script" not in markup
    return ElementTree.fromstring(markup)


def test_a_line_chart_plots_each_point_in_date_order() -> None:
    points = [
        LinePoint(dt.date(2026, 3, 1), 40.0, "C-2"),
        LinePoint(dt.date(2026, 1, 1), 90.5, "C-1 <&>"),
        LinePoint(dt.date(2026, 2, 1), 0.0, "C-3"),
    ]
    svg = _parse(line_chart(points, chart_id="scores", title="Score over time", description="Three campaigns"))
    assert svg.get("role") == "img" and svg.get("aria-labelledby") == "scores-title scores-desc"
    assert svg.find(f"{SVG}title").text == "Score over time" and svg.find(f"{SVG}desc").text == "Three campaigns"
    circles = svg.findall(f".//{SVG}circle")
    assert len(circles) == 3
    xs = [float(c.get("cx")) for c in circles]
    ys = [float(c.get("cy")) for c in circles]
    assert xs == sorted(xs)  # January, February, March from left to right
    # Higher scores stand higher: 90.5 (January) above 40 (March) above 0 (February).
    assert ys[0] < ys[2] < ys[1]
    assert abs((xs[1] - xs[0]) / (xs[2] - xs[0]) - 31 / 59) < 0.01  # placed in proportion to time
    labels = [g.find(f"{SVG}text").text for g in svg.iter(f"{SVG}g")]
    assert labels == ["90.5", "0", "40"]
    tooltips = [g.find(f"{SVG}title").text for g in svg.iter(f"{SVG}g")]
    assert tooltips[0] == "C-1 <&>, 1 Jan 2026: 90.5"  # escaped in the markup, read back as written
    line = svg.find(f"{SVG}polyline")
    assert line is not None and len(line.get("points").split()) == 3


def test_a_line_chart_with_one_point_or_none() -> None:
    one = _parse(line_chart([LinePoint(dt.date(2026, 1, 1), 75, "C-1")], chart_id="a", title="T", description="D"))
    assert len(one.findall(f".//{SVG}circle")) == 1 and one.find(f"{SVG}polyline") is None
    none = _parse(line_chart([], chart_id="b", title="T", description="D"))
    assert "No scores yet" in [t.text for t in none.iter(f"{SVG}text")]


def test_points_on_the_same_day_stand_apart() -> None:
    day = dt.date(2026, 1, 1)
    svg = _parse(
        line_chart([LinePoint(day, 50, "A"), LinePoint(day, 60, "B")], chart_id="c", title="T", description="D")
    )
    xs = [float(c.get("cx")) for c in svg.iter(f"{SVG}circle")]
    assert len(set(xs)) == 2
    dates = [t.text for t in svg.findall(f"{SVG}text") if t.text == "1 Jan 2026"]
    assert len(dates) <= 2


def test_a_bar_chart_draws_bars_in_proportion_with_their_values() -> None:
    bars = [Bar("EQ-01", 4, "EQ-01 Gendered job title"), Bar("PAY-01", 2), Bar("LANG-01", 1)]
    svg = _parse(bar_chart(bars, chart_id="f", title="Checks failed", description="D", value_label="Campaigns"))
    assert svg.find(f"{SVG}title").text == "Checks failed" and svg.find(f"{SVG}desc").text == "D"
    groups = list(svg.iter(f"{SVG}g"))
    widths = [float(g.find(f"{SVG}rect").get("width")) for g in groups]
    assert widths[0] == 2 * widths[1] == 4 * widths[2]
    texts = [[t.text for t in g.findall(f"{SVG}text")] for g in groups]
    assert texts == [["EQ-01", "4"], ["PAY-01", "2"], ["LANG-01", "1"]]
    assert groups[0].find(f"{SVG}title").text == "EQ-01 Gendered job title: 4"
    empty = _parse(bar_chart([], chart_id="e", title="T", description="D", value_label="V"))
    assert "Nothing to show" in [t.text for t in empty.iter(f"{SVG}text")]


def test_colours_are_presentation_attributes_with_enough_contrast() -> None:
    svg = _parse(bar_chart([Bar("A", 1)], chart_id="x", title="T", description="D", value_label="V"))
    fills = {e.get("fill") for e in svg.iter() if e.get("fill")}
    assert fills <= {"#ffffff", "#1d70b8", "#0b0c0c"}

    def luminance(colour: str) -> float:
        channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
        linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    def contrast(a: str, b: str) -> float:
        high, low = sorted((luminance(a), luminance(b)), reverse=True)
        return (high + 0.05) / (low + 0.05)

    assert contrast("#1d70b8", "#ffffff") >= 3  # marks against the background (WCAG 1.4.11)
    assert contrast("#0b0c0c", "#ffffff") >= 4.5  # text


def test_numbers_are_written_as_people_write_them() -> None:
    assert [number(v) for v in (72.0, 72.45, 1234.0, 0.0)] == ["72", "72.5", "1,234", "0"]

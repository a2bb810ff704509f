"""Charts for web pages, drawn on the server as inline SVG: no script, no style attributes (the Content Security
Policy allows neither), so they show the same with JavaScript off.

Each chart is an `<svg role="img">` named by its own `<title>` and `<desc>`, and every value is written next to the
mark that shows it, so nothing is said by colour or by the shape of a line alone. Pages put a table of the same
figures beside each chart. Colours are GOV.UK's: blue marks on white (5.2:1) and black text.

The functions are pure: figures in, markup out, built with ElementTree so that text is always escaped.
"""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from dataclasses import dataclass

from markupsafe import Markup

SVG_NAMESPACE = "http://www.w3.org/2000/svg"
INK = "#0b0c0c"
MARK = "#1d70b8"
GRID = "#b1b4b6"
PAPER = "#ffffff"
FONT = "arial, sans-serif"
WIDTH = 640
MIN_LABEL_GAP = 96  # pixels between date labels on the x axis, so that they never overlap


@dataclass(frozen=True)
class LinePoint:
    """One point of a line chart: when, how much, and what it is (read by the point's own tooltip)."""

    when: dt.date
    value: float
    name: str


@dataclass(frozen=True)
class Bar:
    label: str
    value: float
    name: str = ""  # a longer description for the bar's tooltip; the label if empty


def number(value: float) -> str:
    """A figure as people write it: no trailing zeros, at most one decimal place."""
    text = f"{value:,.1f}"
    return text.removesuffix(".0")


def short_date(value: dt.date) -> str:
    return f"{value.day} {value:%b %Y}"


def _svg(chart_id: str, title: str, description: str, height: int) -> ET.Element:
    svg = ET.Element(
        "svg",
        {
            "xmlns": SVG_NAMESPACE,
            "class": "app-chart",
            "viewBox": f"0 0 {WIDTH} {height}",
            "width": str(WIDTH),
            "height": str(height),
            "role": "img",
            "aria-labelledby": f"{chart_id}-title {chart_id}-desc",
            "font-family": FONT,
        },
    )
    ET.SubElement(svg, "title", {"id": f"{chart_id}-title"}).text = title
    ET.SubElement(svg, "desc", {"id": f"{chart_id}-desc"}).text = description
    ET.SubElement(svg, "rect", {"x": "0", "y": "0", "width": str(WIDTH), "height": str(height), "fill": PAPER})
    return svg


def _text(parent: ET.Element, x: float, y: float, text: str, **attributes: str) -> ET.Element:
    element = ET.SubElement(
        parent,
        "text",
        {"x": _coordinate(x), "y": _coordinate(y), "fill": INK, "font-size": "14", **attributes},
    )
    element.text = text
    return element


def _line(parent: ET.Element, x1: float, y1: float, x2: float, y2: float, colour: str, width: str = "1") -> None:
    ET.SubElement(
        parent,
        "line",
        {
            "x1": _coordinate(x1),
            "y1": _coordinate(y1),
            "x2": _coordinate(x2),
            "y2": _coordinate(y2),
            "stroke": colour,
            "stroke-width": width,
        },
    )


def _coordinate(value: float) -> str:
    return f"{value:.1f}".removesuffix(".0")


def _markup(svg: ET.Element) -> Markup:
    # Safe to mark up: ElementTree escaped every text and attribute value it wrote.
    return Markup(ET.tostring(svg, encoding="unicode"))


def line_chart(
    points: Sequence[LinePoint],
    *,
    chart_id: str,
    title: str,
    description: str,
    y_max: float = 100.0,
    y_ticks: Sequence[float] = (0, 25, 50, 75, 100),
    y_label: str = "Score",
) -> Markup:
    """A line through `points` in date order, each point marked and labelled with its value.

    Dates are placed in proportion to the time between them; points on one date stand side by side."""
    height = 320
    left, right, top, bottom = 56.0, WIDTH - 32.0, 40.0, height - 56.0
    svg = _svg(chart_id, title, description, height)
    _text(svg, 8, 20, y_label, **{"font-weight": "bold"})

    def y_of(value: float) -> float:
        share = min(max(value / y_max, 0.0), 1.0) if y_max else 0.0
        return bottom - share * (bottom - top)

    for tick in y_ticks:
        y = y_of(tick)
        _line(svg, left, y, right, y, GRID)
        _text(svg, left - 8, y + 5, number(tick), **{"text-anchor": "end"})
    _line(svg, left, bottom, right, bottom, INK, "2")
    _line(svg, left, top, left, bottom, INK, "2")

    ordered = sorted(points, key=lambda p: p.when)
    xs = _x_positions([p.when for p in ordered], left + 24, right - 24)
    if len(ordered) > 1:
        ET.SubElement(
            svg,
            "polyline",
            {
                "points": " ".join(
                    f"{_coordinate(x)},{_coordinate(y_of(p.value))}" for x, p in zip(xs, ordered, strict=True)
                ),
                "fill": "none",
                "stroke": MARK,
                "stroke-width": "3",
            },
        )
    last_label = float("-inf")
    for x, point in zip(xs, ordered, strict=True):
        y = y_of(point.value)
        group = ET.SubElement(svg, "g", {"class": "app-chart__point"})
        ET.SubElement(group, "title").text = f"{point.name}, {short_date(point.when)}: {number(point.value)}"
        ET.SubElement(
            group,
            "circle",
            {"cx": _coordinate(x), "cy": _coordinate(y), "r": "6", "fill": MARK, "stroke": PAPER, "stroke-width": "2"},
        )
        _text(group, x, y - 12, number(point.value), **{"text-anchor": "middle", "font-weight": "bold"})
        if x - last_label >= MIN_LABEL_GAP:
            _text(svg, x, bottom + 24, short_date(point.when), **{"text-anchor": "middle"})
            last_label = x
    if not ordered:
        _text(svg, (left + right) / 2, (top + bottom) / 2, "No scores yet", **{"text-anchor": "middle"})
    return _markup(svg)


def _x_positions(dates: Sequence[dt.date], start: float, end: float) -> list[float]:
    """Where each date stands: in proportion to time, with points that share a date spread a little apart."""
    if not dates:
        return []
    first, last = dates[0], dates[-1]
    span = (last - first).days
    if span == 0:
        if len(dates) == 1:
            return [(start + end) / 2]
        step = (end - start) / (len(dates) - 1)
        return [start + i * step for i in range(len(dates))]
    return [start + (d - first).days / span * (end - start) for d in dates]


def bar_chart(
    bars: Sequence[Bar],
    *,
    chart_id: str,
    title: str,
    description: str,
    value_label: str,
) -> Markup:
    """Horizontal bars, largest scale at the longest bar, each labelled on the left and with its value at its end."""
    row, label_width = 36, 112
    top = 40
    height = top + max(len(bars), 1) * row + 24
    left, right = float(label_width), WIDTH - 64.0
    svg = _svg(chart_id, title, description, height)
    _text(svg, 8, 20, value_label, **{"font-weight": "bold"})
    most = max((bar.value for bar in bars), default=0) or 1
    for index, bar in enumerate(bars):
        y = top + index * row
        group = ET.SubElement(svg, "g", {"class": "app-chart__bar"})
        ET.SubElement(group, "title").text = f"{bar.name or bar.label}: {number(bar.value)}"
        length = max(bar.value, 0) / most * (right - left)
        _text(group, left - 8, y + row / 2 + 5, bar.label, **{"text-anchor": "end"})
        ET.SubElement(
            group,
            "rect",
            {
                "x": _coordinate(left),
                "y": _coordinate(y + 6),
                "width": _coordinate(length),
                "height": str(row - 12),
                "fill": MARK,
            },
        )
        _text(group, left + length + 8, y + row / 2 + 5, number(bar.value), **{"font-weight": "bold"})
    _line(svg, left, top, left, top + max(len(bars), 1) * row, INK, "2")
    if not bars:
        _text(svg, (left + right) / 2, top + row / 2 + 5, "Nothing to show", **{"text-anchor": "middle"})
    return _markup(svg)

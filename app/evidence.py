"""How evidence is shown on a page: advert text with the words a check found marked in place, and the figures and
rows a data check used.

Findings keep their evidence as JSON (see `audits.model.TextEvidence.as_dict` and `DataEvidence.as_dict`): text
evidence has the quoted words with their start and end in a field of the advert ("title", "text", ...); data
evidence has a label, figures and the rows (file, sheet, row numbers) they came from.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from markupsafe import Markup, escape

MAX_ROWS_SHOWN = 50


@dataclass(frozen=True)
class Span:
    """Characters start to end of a text, marked with a label (the check it is evidence for)."""

    start: int
    end: int
    label: str
    anchor: str | None = None  # an id, so that a list of quotes can link to the place in the text
    fail: bool = False


def highlight(text: str, spans: Iterable[Span | tuple[int, int, str]]) -> Markup:
    """The text, escaped, with each span wrapped in <mark>. A span overlapping an earlier one is left out."""
    return mark_text(text, spans)[0]


def mark_text(text: str, spans: Iterable[Span | tuple[int, int, str]]) -> tuple[Markup, set[str]]:
    """The text with its spans marked, and the anchors of the spans that could be placed."""
    normalised = [s if isinstance(s, Span) else Span(*s) for s in spans]
    pieces: list[str] = []
    placed: set[str] = set()
    position = 0
    for span in sorted(normalised, key=lambda s: (s.start, s.end)):
        if span.start < position or span.end <= span.start or span.end > len(text):
            continue
        if span.anchor:
            placed.add(span.anchor)
        pieces.append(str(escape(text[position : span.start])))
        classes = "app-highlight app-highlight--fail" if span.fail else "app-highlight"
        anchor = f' id="{escape(span.anchor)}" tabindex="-1"' if span.anchor else ""
        pieces.append(
            f'<mark class="{classes}"{anchor} title="{escape(span.label)}">{escape(text[span.start : span.end])}'
            f'<span class="govuk-visually-hidden"> ({escape(span.label)})</span></mark>'
        )
        position = span.end
    pieces.append(str(escape(text[position:])))
    return Markup("".join(pieces)), placed


def text_spans(
    findings: Iterable[dict[str, Any]], field_name: str = "text", statuses: tuple[str, ...] = ("fail", "warn")
) -> list[Span]:
    """Spans for the text evidence of findings (as JSON: check, title, status, evidence) in one advert field."""
    spans = []
    for finding in findings:
        if finding.get("status") not in statuses:
            continue
        label = f"{finding.get('check')}: {finding.get('title')}"
        for item in finding.get("evidence") or []:
            if item.get("kind", "text") == "text" and item.get("field", "text") == field_name:
                spans.append(Span(int(item["start"]), int(item["end"]), label, fail=finding.get("status") == "fail"))
    return spans


@dataclass
class Quote:
    """One quoted passage, with where to find it."""

    quote: str
    where: str
    note: str
    anchor: str | None


@dataclass
class RowsUsed:
    """Figures a data check computed, and the rows of which file they came from."""

    label: str
    figures: list[tuple[str, Any]]
    sources: list[dict[str, Any]] = field(default_factory=list)  # file, sheet, rows (first MAX_ROWS_SHOWN), more


@dataclass
class FindingEvidence:
    """A finding's evidence, ready for its page."""

    quotes: list[Quote]
    rows: list[RowsUsed]
    text_spans: list[Span]
    title_spans: list[Span]


FIELD_NAMES = {"title": "title", "text": "advert text", "question": "application question", "structured": "data"}


def finding_evidence(evidence: list[dict[str, Any]], label: str, failed: bool) -> FindingEvidence:
    """Sort a stored finding's evidence into quotes (marked in the advert) and rows used."""
    quotes: list[Quote] = []
    rows: list[RowsUsed] = []
    text: list[Span] = []
    title: list[Span] = []
    for index, item in enumerate(evidence or [], start=1):
        kind = item.get("kind", "text")
        if kind == "text":
            where = item.get("field", "text")
            anchor = f"evidence-{index}" if where in ("text", "title") else None
            span = Span(int(item.get("start", 0)), int(item.get("end", 0)), label, anchor, failed)
            if where == "title":
                title.append(span)
            elif where == "text":
                text.append(span)
            quotes.append(
                Quote(str(item.get("quote", "")), FIELD_NAMES.get(where, where), item.get("note", ""), anchor)
            )
        elif kind == "data":
            sources = []
            for ref in item.get("rows") or []:
                numbers = [int(n) for n in ref.get("rows") or []]
                sources.append(
                    {
                        "file": ref.get("file"),
                        "sheet": ref.get("sheet"),
                        "rows": numbers[:MAX_ROWS_SHOWN],
                        "more": max(len(numbers) - MAX_ROWS_SHOWN, 0),
                    }
                )
            figures = list((item.get("figures") or {}).items())
            rows.append(RowsUsed(str(item.get("label", "")), figures, sources))
    return FindingEvidence(quotes, rows, text, title)

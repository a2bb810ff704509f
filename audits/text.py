"""Reading an advert once for every check: lower-cased text, words with their positions, sentences, and
lexicon matching that honours a check's exceptions.

Checks never run their own regular expressions over raw text in a loop: lexicons are compiled once per word
list (cached) into one alternation, and each advert is lower-cased and tokenised once and shared.

Lexicon entries are written in the checklist as people read them:
- `chairman` matches the word (case-insensitive, any spacing between words of a phrase);
- `head*` matches words starting with `head`;
- `re:<pattern>` is a regular expression, for numeric limits such as `re:\\b(?:under|over)\\s?\\d{2}s?\\b`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cached_property, lru_cache

from audits.model import TextEvidence
from importers.records import AdvertRecord

WORD = re.compile(r"[A-Za-z][A-Za-z'’\-]*[A-Za-z]|[A-Za-z]")
SENTENCE_END = re.compile(r"(?<=[.!?])[\"'”’)]*\s+(?=[A-Z0-9“\"'(•])|\n{2,}|\n(?=•)")


def _entry_pattern(entry: str) -> str:
    entry = entry.strip()
    if entry.startswith("re:"):
        return f"(?:{entry[3:]})"
    wildcard = entry.endswith("*")
    if wildcard:
        entry = entry[:-1]
    words = [re.escape(part) for part in entry.split()]
    body = r"[\s\-]+".join(words)
    start = r"(?<![\w'’])" if entry[:1].isalnum() else ""
    end = r"\w*" if wildcard else (r"(?![\w])" if entry[-1:].isalnum() else "")
    return f"{start}{body}{end}"


@lru_cache(maxsize=512)
def compile_lexicon(entries: tuple[str, ...]) -> re.Pattern[str] | None:
    """One compiled alternation for a word list. Longer entries first, so phrases win over their words."""
    if not entries:
        return None
    ordered = sorted(set(entries), key=lambda e: (-len(e), e))
    return re.compile("|".join(_entry_pattern(e) for e in ordered), re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Span:
    start: int
    end: int
    text: str


def exception_spans(text: str, exceptions: Sequence[str]) -> list[tuple[int, int]]:
    pattern = compile_lexicon(tuple(exceptions))
    if pattern is None:
        return []
    return [(m.start(), m.end()) for m in pattern.finditer(text)]


def _inside(span: tuple[int, int], covers: Sequence[tuple[int, int]]) -> bool:
    return any(start <= span[0] and span[1] <= end for start, end in covers)


def find_terms(text: str, entries: Sequence[str], exceptions: Sequence[str] = ()) -> list[Span]:
    """Every match of a lexicon in `text`, leaving out matches that fall inside an exception phrase."""
    pattern = compile_lexicon(tuple(entries))
    if pattern is None or not text:
        return []
    covers = exception_spans(text, exceptions) if exceptions else []
    found = []
    for match in pattern.finditer(text):
        if match.end() == match.start():
            continue
        if covers and _inside((match.start(), match.end()), covers):
            continue
        found.append(Span(match.start(), match.end(), match.group(0)))
    return found


def context(text: str, start: int, end: int, width: int = 40) -> str:
    """The words around a match, for evidence a reader can place."""
    left = max(0, start - width)
    right = min(len(text), end + width)
    snippet = text[left:right].replace("\n", " ")
    return ("…" if left > 0 else "") + snippet + ("…" if right < len(text) else "")


class AdvertText:
    """One advert, read once. Checks share its lower-cased text, tokens and sentences."""

    def __init__(self, advert: AdvertRecord, index: int = 0) -> None:
        self.advert = advert
        self.index = index
        self.title = advert.title or ""
        self.text = advert.text or ""

    @cached_property
    def lower(self) -> str:
        return self.text.lower()

    @cached_property
    def words(self) -> list[tuple[str, int, int]]:
        """(lower-cased word, start, end) for each word of the text."""
        return [(m.group(0).lower(), m.start(), m.end()) for m in WORD.finditer(self.text)]

    @cached_property
    def word_count(self) -> int:
        return len(self.words)

    @cached_property
    def sentences(self) -> list[tuple[int, int]]:
        spans = []
        start = 0
        for match in SENTENCE_END.finditer(self.text):
            if self.text[start : match.start()].strip():
                spans.append((start, match.start()))
            start = match.end()
        if self.text[start:].strip():
            spans.append((start, len(self.text)))
        return spans

    @property
    def subject(self) -> str:
        title = self.title or "untitled advert"
        return f"Advert: {title} ({self.advert.source_name})"

    def evidence(
        self, spans: Iterable[Span], field: str = "text", note: str = "", limit: int = 20
    ) -> list[TextEvidence]:
        return [
            TextEvidence(quote=s.text, start=s.start, end=s.end, field=field, note=note) for s in list(spans)[:limit]
        ]

    def search(self, entries: Sequence[str], exceptions: Sequence[str] = (), *, field: str = "text") -> list[Span]:
        source = self.title if field == "title" else self.text
        return find_terms(source, entries, exceptions)

    def search_questions(self, entries: Sequence[str], exceptions: Sequence[str] = ()) -> list[tuple[int, Span]]:
        """Matches in the application questions: (question index, span within that question)."""
        return [
            (index, span)
            for index, question in enumerate(self.advert.questions)
            for span in find_terms(question, entries, exceptions)
        ]

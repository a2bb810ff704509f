"""Reading an advert once for every check: lower-cased text, words with their positions, sentences, and
lexicon matching that honours a check's exceptions.

Checks never run their own regular expressions over raw text in a loop: each word list is compiled once (cached),
and each advert is lower-cased and indexed once and shared. Matching a word list first asks the advert's index which
entries can occur at all (an entry's first word must be one of the advert's words, or a stem must begin one), and
runs only those entries' patterns; most entries of most lists never occur, so most patterns never run.

Lexicon entries are written in the checklist as people read them:
- `chairman` matches the word (case-insensitive, any spacing between words of a phrase);
- `head*` matches words starting with `head`;
- `re:<pattern>` is a regular expression, for numeric limits such as `re:\\b(?:under|over)\\s?\\d{2}s?\\b`.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cached_property, lru_cache

from audits.model import TextEvidence
from importers.records import AdvertRecord

WORD = re.compile(r"[A-Za-z][A-Za-z'’\-]*[A-Za-z]|[A-Za-z]")
SENTENCE_END = re.compile(r"(?<=[.!?])[\"'”’)]*\s+(?=[A-Z0-9“\"'(•])|\n{2,}|\n(?=•)")
CLAUSE_END = re.compile(r"(?<=[.!?])[\"'”’)]*\s+(?=[A-Z0-9“\"'(•])|\n+")
PARAGRAPH_END = re.compile(r"\n\s*\n")
_INDEX_WORD = re.compile(r"\w+")


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


class TextIndex:
    """The distinct lower-cased words of a text, for deciding cheaply which lexicon entries can occur in it."""

    __slots__ = ("sorted_words", "words")

    def __init__(self, text: str) -> None:
        self.words = frozenset(_INDEX_WORD.findall(text.lower()))
        self.sorted_words = sorted(self.words)

    def has_prefix(self, prefix: str) -> bool:
        position = bisect_left(self.sorted_words, prefix)
        return position < len(self.sorted_words) and self.sorted_words[position].startswith(prefix)


class Lexicon:
    """A word list compiled once: each entry's own pattern, and the word that must be present for it to match."""

    def __init__(self, entries: tuple[str, ...]) -> None:
        ordered = sorted(set(entries), key=lambda e: (-len(e), e))
        self.always: list[tuple[int, re.Pattern[str]]] = []
        self.by_word: dict[str, list[tuple[int, re.Pattern[str]]]] = {}
        self.by_prefix: list[tuple[str, int, re.Pattern[str]]] = []
        for order, entry in enumerate(ordered):
            pattern = re.compile(_entry_pattern(entry), re.IGNORECASE)
            stripped = entry.strip()
            body = stripped[:-1] if stripped.endswith("*") else stripped
            first = _INDEX_WORD.match(body.lower()) if not stripped.startswith("re:") else None
            if first is None:
                self.always.append((order, pattern))
            elif first.end() == len(body) and stripped.endswith("*"):
                self.by_prefix.append((first.group(0), order, pattern))
            else:
                self.by_word.setdefault(first.group(0), []).append((order, pattern))

    def candidates(self, index: TextIndex) -> list[tuple[int, re.Pattern[str]]]:
        found = list(self.always)
        words = index.words
        for word, patterns in self.by_word.items():
            if word in words:
                found.extend(patterns)
        for prefix, order, pattern in self.by_prefix:
            if index.has_prefix(prefix):
                found.append((order, pattern))
        return found

    def finditer(self, text: str, index: TextIndex | None = None) -> list[Span]:
        """Non-overlapping matches, left to right, the longer entry winning where two start together."""
        if not text:
            return []
        candidates = self.candidates(index or TextIndex(text))
        if not candidates:
            return []
        hits = [(m.start(), order, m.end()) for order, pattern in candidates for m in pattern.finditer(text)]
        hits.sort()
        spans: list[Span] = []
        last_end = -1
        for start, _order, end in hits:
            if start < last_end or end == start:
                continue
            spans.append(Span(start, end, text[start:end]))
            last_end = end
        return spans


@lru_cache(maxsize=1024)
def lexicon(entries: tuple[str, ...]) -> Lexicon:
    return Lexicon(entries)


def exception_spans(text: str, exceptions: Sequence[str], index: TextIndex | None = None) -> list[tuple[int, int]]:
    if not exceptions:
        return []
    return [(s.start, s.end) for s in lexicon(tuple(exceptions)).finditer(text, index)]


def _inside(span: tuple[int, int], covers: Sequence[tuple[int, int]]) -> bool:
    return any(start <= span[0] and span[1] <= end for start, end in covers)


def find_terms(
    text: str, entries: Sequence[str], exceptions: Sequence[str] = (), index: TextIndex | None = None
) -> list[Span]:
    """Every match of a lexicon in `text`, leaving out matches that fall inside an exception phrase."""
    if not entries or not text:
        return []
    index = index or TextIndex(text)
    found = lexicon(tuple(entries)).finditer(text, index)
    if not found or not exceptions:
        return found
    covers = exception_spans(text, exceptions, index)
    return [s for s in found if not _inside((s.start, s.end), covers)]


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
        self._found: dict[tuple[tuple[str, ...], tuple[str, ...], str], list[Span]] = {}

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
    def index(self) -> TextIndex:
        return TextIndex(self.text)

    @cached_property
    def title_index(self) -> TextIndex:
        return TextIndex(self.title)

    @cached_property
    def word_starts(self) -> list[int]:
        return [start for _word, start, _end in self.words]

    def words_between(self, start: int, end: int) -> int:
        """How many words of the text start within [start, end)."""
        return bisect_left(self.word_starts, end) - bisect_left(self.word_starts, start)

    def _split(self, boundary: re.Pattern[str]) -> list[tuple[int, int]]:
        spans = []
        start = 0
        for match in boundary.finditer(self.text):
            if self.text[start : match.start()].strip():
                spans.append((start, match.start()))
            start = match.end()
        if self.text[start:].strip():
            spans.append((start, len(self.text)))
        return spans

    @cached_property
    def sentences(self) -> list[tuple[int, int]]:
        """Sentences: split after . ! ? before a capital, at blank lines and before bullets."""
        return self._split(SENTENCE_END)

    @cached_property
    def clauses(self) -> list[tuple[int, int]]:
        """Sentences, with every line break also ending one: headings and list items stand alone."""
        return self._split(CLAUSE_END)

    @cached_property
    def paragraphs(self) -> list[tuple[int, int]]:
        return self._split(PARAGRAPH_END)

    def sentence_at(self, position: int) -> tuple[int, int]:
        """The sentence that holds `position` (the whole text if none does)."""
        for start, end in self.sentences:
            if start <= position < end:
                return start, end
        return 0, len(self.text)

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
        """Matches of a word list in the text (or the title), remembered: checks often share lists."""
        key = (tuple(entries), tuple(exceptions), field)
        found = self._found.get(key)
        if found is None:
            if field == "title":
                found = find_terms(self.title, key[0], key[1], self.title_index)
            else:
                found = find_terms(self.text, key[0], key[1], self.index)
            self._found[key] = found
        return list(found)

    def search_range(self, entries: Sequence[str], start: int, end: int) -> list[Span]:
        """Matches of a word list that start within [start, end) of the text."""
        return [span for span in self.search(entries) if start <= span.start < end]

    def has(self, entries: Sequence[str], exceptions: Sequence[str] = ()) -> bool:
        return bool(self.search(entries, exceptions))

    def search_questions(self, entries: Sequence[str], exceptions: Sequence[str] = ()) -> list[tuple[int, Span]]:
        """Matches in the application questions: (question index, span within that question)."""
        return [
            (index, span)
            for index, question in enumerate(self.advert.questions)
            for span in find_terms(question, entries, exceptions)
        ]

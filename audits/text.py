"""Reading an advert once for every check: lower-cased text, words with their positions, sentences, and
lexicon matching that honours a check's exceptions.

Checks never run their own regular expressions over raw text in a loop: each word list is compiled once (cached),
and each advert is lower-cased and indexed once and shared. Matching a word list first asks the advert's index which
entries can occur at all (an entry's first word must be one of the advert's words, or a stem must begin one), and
runs only those entries' patterns; most entries of most lists never occur, so most patterns never run.

Lexicon entries are written in the checklist as people read them:
- `chairman` matches the word (case-insensitive, any spacing between words of a phrase);
- `head*` matches words starting with `head`;
- `re:<pattern>` is a regular expression, for numeric limits such as `re:\\b(?:under|over)\\s?\\d{2}s?\\b`. A
  regular expression runs only when a text holds a word it starts with (read from the pattern); one that starts
  with a number or an optional group can name its words in a leading comment: `re:(?#words:years,yrs)\\b\\d…`.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import cached_property, lru_cache
from typing import TypeVar

from audits.model import TextEvidence
from importers.records import AdvertRecord

WORD = re.compile(r"[A-Za-z][A-Za-z'’\-]*[A-Za-z]|[A-Za-z]")
SENTENCE_END = re.compile(r"(?<=[.!?])[\"'”’)]*\s+(?=[A-Z0-9“\"'(•])|\n{2,}|\n(?=•)")
CLAUSE_END = re.compile(r"(?<=[.!?])[\"'”’)]*\s+(?=[A-Z0-9“\"'(•])|\n+")
PARAGRAPH_END = re.compile(r"\n\s*\n")
_INDEX_WORD = re.compile(r"\w+")
T = TypeVar("T")


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
    """The lower-cased words of a text, for deciding cheaply which lexicon entries can occur in it, and where a word
    stands (found on demand), for trying an entry's pattern only there."""

    __slots__ = ("_positions", "aligned", "lower", "sorted_words", "words")

    def __init__(self, text: str) -> None:
        lower = text.lower()
        self.lower = lower
        self.words = frozenset(_INDEX_WORD.findall(lower))
        self.sorted_words = sorted(self.words)
        self.aligned = len(lower) == len(text)  # lower-casing kept every offset (true for nearly all text)
        self._positions: dict[str, list[int]] = {}

    def positions(self, word: str) -> list[int]:
        """Where `word` stands as a whole word (offsets into the text)."""
        found = self._positions.get(word)
        if found is None:
            found = []
            lower, size = self.lower, len(word)
            start = lower.find(word)
            while start != -1:
                end = start + size
                before = lower[start - 1] if start else " "
                after = lower[end] if end < len(lower) else " "
                if not (before.isalnum() or before == "_") and not (after.isalnum() or after == "_"):
                    found.append(start)
                start = lower.find(word, start + 1)
            self._positions[word] = found
        return found

    def has_prefix(self, prefix: str) -> bool:
        position = bisect_left(self.sorted_words, prefix)
        return position < len(self.sorted_words) and self.sorted_words[position].startswith(prefix)

    def words_with_prefix(self, prefix: str) -> list[str]:
        found = []
        words = self.sorted_words
        for position in range(bisect_left(words, prefix), len(words)):
            if not words[position].startswith(prefix):
                break
            found.append(words[position])
        return found

    def prefix_positions(self, prefixes: Iterable[str]) -> list[int]:
        return sorted(
            {p for prefix in prefixes for word in self.words_with_prefix(prefix) for p in self.positions(word)}
        )


_LEADING = re.compile(r"^(?:\\b|\^|\(\?[a-z]+:|\[ \\t\]\*|\\s[*+])*")
_LITERAL = re.compile(r"[A-Za-z]+")
_HINT = re.compile(r"^\(\?#words:([^)]*)\)")


_DIGITS = [str(digit) for digit in range(10)]


def _literal_prefixes(fragment: str) -> list[str] | None:
    """The prefixes an alternative's word must start with: `applicants?` gives ["applicant"], `\\d{1,2}` the ten
    digits; None if it need not start with a letter or a digit."""
    if fragment.startswith("\\d"):
        return _DIGITS
    prefix = _literal_prefix(fragment)
    return [prefix] if prefix else None


def _literal_prefix(fragment: str) -> str | None:
    """The letters an alternative must start with: `applicants?` gives `applicant`; None if it need not start
    with a letter."""
    match = _LITERAL.match(fragment)
    if match is None:
        return None
    literal = match.group(0).lower()
    if fragment[match.end() : match.end() + 1] in ("?", "*", "{"):
        literal = literal[:-1]
    return literal or None


def regex_keys(body: str) -> list[str] | None:
    """Word prefixes one of which a text must contain for the regular expression to match, read from the start of
    the pattern (`\\b(?:under|over)\\s…` gives ["under", "over"]); None when they cannot be read."""
    hint = _HINT.match(body)
    if hint:
        return [word.strip().lower() for word in hint.group(1).split(",") if word.strip()]
    rest = body[_LEADING.match(body).end() :]  # type: ignore[union-attr]
    return _keys_at(rest)


def anchored_at_word(body: str) -> bool:
    """Does a match have to start where a word starts (the pattern opens with `\\b` and then letters)?"""
    return body.startswith("\\b") and not _HINT.match(body) and _LEADING.match(body).group(0) == "\\b"  # type: ignore[union-attr]


def _keys_at(rest: str) -> list[str] | None:
    if rest.startswith("(?:"):
        depth, close = 0, -1
        for position, char in enumerate(rest):
            if char == "\\":
                continue
            if char == "(" and (position == 0 or rest[position - 1] != "\\"):
                depth += 1
            elif char == ")" and rest[position - 1] != "\\":
                depth -= 1
                if depth == 0:
                    close = position
                    break
        if close == -1 or rest[close + 1 : close + 2] in ("?", "*", "{"):
            return None
        inner = rest[3:close]
        alternatives, depth, current = [], 0, ""
        for char in inner:
            if char == "(":
                depth += 1
            elif char == ")":
                depth -= 1
            if char == "|" and depth == 0:
                alternatives.append(current)
                current = ""
            else:
                current += char
        alternatives.append(current)
        found = [_literal_prefixes(alternative) for alternative in alternatives]
        if any(keys is None for keys in found):
            return None
        return [key for keys in found for key in keys]  # type: ignore[union-attr]
    return _literal_prefixes(rest)


class Lexicon:
    """A word list compiled once. Each entry keeps its own pattern and the first word (or stem) that must stand in
    the text for it to match; the pattern is then tried only where that word stands. Regular expressions are run
    over the whole text, and only when the words they start with occur."""

    def __init__(self, entries: tuple[str, ...]) -> None:
        ordered = sorted(set(entries), key=lambda e: (-len(e), e))
        self.always: list[tuple[int, re.Pattern[str]]] = []
        self.keyed_regexes: list[tuple[list[str], bool, int, re.Pattern[str]]] = []
        self.by_word: dict[str, list[tuple[int, re.Pattern[str]]]] = {}
        self.by_prefix: list[tuple[str, int, re.Pattern[str]]] = []
        for order, entry in enumerate(ordered):
            pattern = re.compile(_entry_pattern(entry), re.IGNORECASE)
            stripped = entry.strip()
            if stripped.startswith("re:"):
                keys = regex_keys(stripped[3:])
                if keys:
                    self.keyed_regexes.append((keys, anchored_at_word(stripped[3:]), order, pattern))
                else:
                    self.always.append((order, pattern))
                continue
            body = stripped[:-1] if stripped.endswith("*") else stripped
            first = _INDEX_WORD.match(body.lower())
            if first is None:
                self.always.append((order, pattern))
            elif first.end() == len(body) and stripped.endswith("*"):
                self.by_prefix.append((first.group(0), order, pattern))
            else:
                self.by_word.setdefault(first.group(0), []).append((order, pattern))

    def finditer(self, text: str, index: TextIndex | None = None) -> list[Span]:
        """Non-overlapping matches, left to right, the longer entry winning where two start together."""
        if not text:
            return []
        index = index or TextIndex(text)
        hits: list[tuple[int, int, int]] = []

        def scan(order: int, pattern: re.Pattern[str]) -> None:
            hits.extend((m.start(), order, m.end()) for m in pattern.finditer(text))

        def at(order: int, pattern: re.Pattern[str], starts: Iterable[int]) -> None:
            for start in starts:
                match = pattern.match(text, start)
                if match is not None:
                    hits.append((match.start(), order, match.end()))

        for order, pattern in self.always:
            scan(order, pattern)
        for keys, anchored, order, pattern in self.keyed_regexes:
            if any(index.has_prefix(key) for key in keys):
                if anchored and index.aligned:
                    at(order, pattern, index.prefix_positions(keys))
                else:
                    scan(order, pattern)
        words = index.words
        for word, patterns in self.by_word.items():
            if word in words:
                for order, pattern in patterns:
                    if index.aligned:
                        at(order, pattern, index.positions(word))
                    else:
                        scan(order, pattern)
        for prefix, order, pattern in self.by_prefix:
            if index.has_prefix(prefix):
                if index.aligned:
                    at(order, pattern, index.prefix_positions((prefix,)))
                else:
                    scan(order, pattern)
        if not hits:
            return []
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
        self._shared: dict[str, object] = {}

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
    def word_index(self) -> TextIndex:
        return TextIndex(self.text)

    @cached_property
    def title_index(self) -> TextIndex:
        return TextIndex(self.title)

    @cached_property
    def word_starts(self) -> list[int]:
        return [match.start() for match in WORD.finditer(self.text)]

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
                found = find_terms(self.text, key[0], key[1], self.word_index)
            self._found[key] = found
        return list(found)

    def shared(self, name: str, compute: Callable[[], T]) -> T:
        """A value several checks need (the salaries found in the text, say), computed once per advert."""
        if name not in self._shared:
            self._shared[name] = compute()
        return self._shared[name]  # type: ignore[return-value]

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

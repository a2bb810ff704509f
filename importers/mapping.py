"""Column mappings: reading any agency or ATS layout as the canonical template (DESIGN.md, formats.md §5 and §6).

Agencies have no common format, and ATS exports (Greenhouse-, Workable-like) each have their own. A *mapping* says,
per template table, which of the file's columns holds which canonical field, how the file's own codes translate
("Phone Screen" -> "responded"), and any value that holds for every row. It is plain JSON, so a person can read and
edit it, and the app stores it per agency:

```json
{"scrutineer_mapping": 1,
 "tables": {"candidates": {"sheet": null,
                           "columns": {"Candidate ID": "candidate_ref", "Requisition ID": "campaign_ref",
                                       "Current Stage": "stage_reached", "Notes": null},
                           "values": {"stage_reached": {"Phone Screen": "responded"}},
                           "constants": {"source": "direct_application"}}}}
```

`suggest` proposes a mapping for a file from two kinds of evidence, and gives a confidence (0 to 1) per column:
how close each header is to a canonical name or one of its aliases, and what the first rows hold (a column of
dates, of "Long-listed" and "Shortlist", of e-mail addresses or profile URLs, which are candidate identifiers).
Nothing is imported on a suggestion: a person confirms or edits it first.

A file read through a mapping (`parse`) goes through exactly the same conversion as the template itself, so
candidate identifiers become keyed hashes and bad values become row problems the same way. `header_signature`
identifies a header row by its set of names, so a saved mapping is found again when the same layout returns.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from pathlib import Path
from typing import Any

from importers import agency_template
from importers.columns import FieldSpec, RecordBatch
from importers.report import HEADER_SEARCH_ROWS, FileRejected, ImportReport
from importers.tabular import Row, Sheet, Sniffed, find_header, is_blank, sheets_for, sniff
from importers.values import clean_text, header_key

FORMAT_NAME = "mapped"
LABEL = "Any other layout (ATS exports, agency trackers) read through a column mapping"
MAPPING_VERSION = 1
MAX_MAPPING_BYTES = 256 * 1024
SUGGEST_THRESHOLD = 0.45  # below this a column is left unmapped in a suggestion
VALUE_MATCH = 0.88  # how close a file's code must be spelled to a template code to be translated unasked
SAMPLE_ROWS = 200

TABLES = agency_template.TABLES


class MappingError(ValueError):
    """A mapping that cannot be used. The message says what is wrong in it."""


# --- the mapping itself ------------------------------------------------------------------------------------


@dataclass
class TableMapping:
    """How one table of a file maps onto one template table."""

    table: str
    columns: dict[str, str | None]  # the file's header (as written) -> canonical field, or None to leave it out
    values: dict[str, dict[str, str]] = field(default_factory=dict)  # field -> {file's value: canonical value}
    constants: dict[str, str] = field(default_factory=dict)  # field -> value for every row
    sheet: str | None = None

    def aliases(self) -> dict[str, str]:
        return {header_key(source): target for source, target in self.columns.items() if target}

    def as_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {"sheet": self.sheet, "columns": dict(self.columns)}
        if self.values:
            data["values"] = {name: dict(pairs) for name, pairs in self.values.items()}
        if self.constants:
            data["constants"] = dict(self.constants)
        return data

    @classmethod
    def from_json(cls, table: str, data: Any) -> TableMapping:
        if table not in TABLES:
            raise MappingError(f"there is no template table {table!r}: use {', '.join(TABLES)}")
        if not isinstance(data, dict):
            raise MappingError(f"the entry for {table} must be an object")
        columns_data = data.get("columns", data if "columns" not in data else None)
        if not isinstance(columns_data, dict) or not columns_data:
            raise MappingError(f"the entry for {table} has no columns")
        fields = TABLES[table]
        columns: dict[str, str | None] = {}
        claimed: dict[str, str] = {}
        for source, target in columns_data.items():
            if source in ("sheet", "values", "constants") and "columns" not in data:
                continue
            if target in (None, "", "-"):
                columns[str(source)] = None
                continue
            if not isinstance(target, str) or target not in fields:
                raise MappingError(f"{table}: column {source!r} maps to {target!r}, which is not a {table} field")
            if target in claimed:
                raise MappingError(f"{table}: both {claimed[target]!r} and {source!r} map to {target}")
            claimed[target] = str(source)
            columns[str(source)] = target
        values: dict[str, dict[str, str]] = {}
        for name, pairs in (data.get("values") or {}).items():
            if name not in fields or not isinstance(pairs, dict):
                raise MappingError(f"{table}: values for {name!r} must be an object and {name!r} a {table} field")
            values[name] = {str(k): str(v) for k, v in pairs.items()}
        constants: dict[str, str] = {}
        for name, value in (data.get("constants") or {}).items():
            if name not in fields:
                raise MappingError(f"{table}: constant {name!r} is not a {table} field")
            constants[name] = str(value)
        sheet = data.get("sheet")
        return cls(table, columns, values, constants, str(sheet) if sheet else None)


@dataclass
class ColumnMapping:
    """A mapping for a whole file: one TableMapping per template table it holds."""

    tables: dict[str, TableMapping]

    def as_json(self) -> dict[str, Any]:
        return {
            "scrutineer_mapping": MAPPING_VERSION,
            "tables": {name: table.as_json() for name, table in self.tables.items()},
        }

    @classmethod
    def from_json(cls, data: Any) -> ColumnMapping:
        if not isinstance(data, dict):
            raise MappingError("a mapping is a JSON object")
        tables = data.get("tables", data)
        if not isinstance(tables, dict):
            raise MappingError('"tables" must be an object')
        parsed = {
            name: TableMapping.from_json(name, entry)
            for name, entry in tables.items()
            if name not in ("scrutineer_mapping", "confidence", "notes", "suggestions")
        }
        if not parsed:
            raise MappingError("the mapping names no table (campaigns, candidates or outreach)")
        return cls(parsed)


def load_mapping(path: Path) -> ColumnMapping:
    """A mapping from a JSON file. Raises MappingError with a message naming the file."""
    try:
        if path.stat().st_size > MAX_MAPPING_BYTES:
            raise MappingError(f"{path.name}: a mapping file is a few KB; this one is too large")
        data = json.loads(path.read_text(encoding="utf-8-sig"))
    except OSError as error:
        raise MappingError(f"{path.name}: cannot be read ({error.strerror or error})") from None
    except (ValueError, RecursionError) as error:
        raise MappingError(f"{path.name}: is not valid JSON ({error})") from None
    try:
        return ColumnMapping.from_json(data)
    except MappingError as error:
        raise MappingError(f"{path.name}: {error}") from None


def header_signature(names: list[str] | list[object]) -> str:
    """The identity of a header row: its set of names, in any order, case and punctuation."""
    keys = sorted({header_key(name) for name in names if header_key(name)})
    return hashlib.sha256("\x1f".join(keys).encode("utf-8")).hexdigest()[:32]


# --- reading a file through a mapping ----------------------------------------------------------------------


def _with_values(spec: FieldSpec, translations: dict[str, str]) -> FieldSpec:
    if not translations:
        return spec
    table = {header_key(source): target for source, target in translations.items()}
    parser = spec.parser

    def translated(cell: object) -> Any:
        text = clean_text(cell)
        if text is not None:
            replacement = table.get(header_key(text))
            if replacement is not None:
                return parser(replacement)
        return parser(cell)

    return FieldSpec(spec.name, translated, spec.aliases, spec.required)


def _peek(rows: Iterator[tuple[int, Row]], count: int = HEADER_SEARCH_ROWS) -> list[tuple[int, Row]]:
    peeked: list[tuple[int, Row]] = []
    for item in rows:
        peeked.append(item)
        if len(peeked) >= count:
            break
    return peeked


def _matches(mapping: TableMapping, rows: list[tuple[int, Row]]) -> int:
    aliases = mapping.aliases()
    return max((sum(1 for cell in row if header_key(cell) in aliases) for _n, row in rows), default=0)


def parse(path: Path, name: str, sniffed: Sniffed, report: ImportReport, options: Any) -> Iterator[RecordBatch]:
    """Read a CSV or workbook through `options.mapping` (a ColumnMapping)."""
    mapping: ColumnMapping | None = getattr(options, "mapping", None)
    if mapping is None:
        raise FileRejected(name, "this layout needs a column mapping: `flask mapping suggest FILE` proposes one")
    if sniffed.kind not in ("csv-or-text", "xlsx", "xls"):
        raise FileRejected(name, "a column mapping applies to CSV and Excel files only")
    report.format = FORMAT_NAME
    pseudonymise = options.pseudonymise
    used = False
    for sheet in sheets_for(path, name, sniffed, report):
        named = [m for m in mapping.tables.values() if m.sheet and m.sheet == sheet.name]
        peeked = _peek(sheet.rows)
        candidates = named or [m for m in mapping.tables.values() if not m.sheet]
        if not candidates:
            continue
        chosen = max(candidates, key=lambda m: _matches(m, peeked))
        if _matches(chosen, peeked) == 0:
            if sniffed.kind == "csv-or-text" or named:
                raise FileRejected(
                    name,
                    f"none of the mapped columns ({', '.join(list(chosen.columns)[:5])}) is in the first "
                    f"{HEADER_SEARCH_ROWS} rows: check the mapping is for this file",
                )
            continue
        used = True
        sheet_label = None if sniffed.kind == "csv-or-text" else sheet.name
        yield from _read_table(sheet, peeked, chosen, report, pseudonymise, name, sheet_label, options)
    if not used:
        raise FileRejected(name, "no sheet of the workbook has the columns the mapping names")


def _read_table(
    sheet: Sheet,
    peeked: list[tuple[int, Row]],
    mapping: TableMapping,
    report: ImportReport,
    pseudonymise: Any,
    name: str,
    sheet_label: str | None,
    options: Any,
) -> Iterator[RecordBatch]:
    aliases = mapping.aliases()
    replay = iter(peeked)
    header, pending = find_header(replay, aliases, minimum=min(2, len(aliases)))
    if header is None:
        raise FileRejected(name, "the mapped columns were not found together in one header row")
    report.headers[mapping.table] = [n for n in header.names if n]
    fields = {
        spec_name: _with_values(spec, mapping.values.get(spec_name, {}))
        for spec_name, spec in TABLES[mapping.table].items()
    }
    constants: dict[str, Any] = {}
    for field_name, raw in mapping.constants.items():
        try:
            constants[field_name] = fields[field_name].parser(raw)
        except ValueError as error:
            raise FileRejected(name, f"the mapping's constant for {field_name} cannot be used: {error}") from None
    campaign_ref = getattr(options, "campaign_ref", None)
    if campaign_ref and "campaign_ref" not in header.fields:
        constants.setdefault("campaign_ref", campaign_ref)

    rows = itertools.chain(pending, replay, sheet.rows)  # in C: a mapped ATS export can have a million rows
    yield from agency_template.convert_table(
        header, rows, mapping.table, report, pseudonymise, name, sheet_label, fields=fields, constants=constants
    )


def header_candidates(path: Path, name: str, sniffed: Sniffed | None = None) -> dict[str, list[list[str]]]:
    """Rows near the top of each sheet that could be its header row, for finding a saved mapping."""
    sniffed = sniffed or sniff(path, name)
    if sniffed.kind not in ("csv-or-text", "xlsx", "xls"):
        return {}
    found: dict[str, list[list[str]]] = {}
    for sheet in sheets_for(path, name, sniffed):
        rows = _peek(sheet.rows)
        found[sheet.name] = [
            [str(cell).strip() for cell in row if clean_text(cell) is not None]
            for _n, row in rows
            if sum(1 for cell in row if isinstance(cell, str) and clean_text(cell)) >= 2
        ]
        close = getattr(sheet.rows, "close", None)
        if close:
            close()
    return found


# --- suggesting a mapping ----------------------------------------------------------------------------------

_WORD = re.compile(r"[a-z0-9]+")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[a-z]{2,}$", re.IGNORECASE)
_PROFILE = re.compile(r"linkedin\.com/in/", re.IGNORECASE)
_PERSON = re.compile(r"^[A-ZÀ-Ý][\w'’\-]+(?: [A-ZÀ-Ýa-z][\w'’\-]+){1,3}$")
_HAS_DIGIT = re.compile(r"\d")
_CHOICE_FIELDS = frozenset(
    {"source", "stage_reached", "sex", "ethnicity_group", "disability", "organisation_type", "nation", "channel",
     "response", "fee_type", "salary_period"}
)  # fmt: skip


_YES_NO_FIELDS = frozenset({"disability"})  # a code list, but a column of yes/no fits it and many others


def _words(text: str) -> set[str]:
    return set(_WORD.findall(text.lower()))


def name_score(column: str, spec: FieldSpec) -> tuple[float, str]:
    """How close a header is to a field's name or aliases (1 = the same once case and punctuation are ignored)."""
    key, words = header_key(column), _words(column)
    best, why = 0.0, ""
    for alias in (spec.name, *spec.aliases):
        alias_key = header_key(alias)
        if not alias_key:
            continue
        if key == alias_key:
            return 1.0, f"the header matches {alias!r}"
        alias_words = _words(alias)
        overlap = len(words & alias_words) / len(words | alias_words) if words | alias_words else 0.0
        contained = 0.8 if min(len(key), len(alias_key)) >= 4 and (alias_key in key or key in alias_key) else 0.0
        similar = SequenceMatcher(None, key, alias_key).ratio()
        score = max(overlap * 0.85, contained, similar * 0.85 if similar >= 0.75 else similar * 0.5)
        if score > best:
            best, why = score, f"the header is like {alias!r}"
    return best, why


def _plausible_serial(cell: object) -> bool:
    # Excel serial days between 1990 and 2060; an ID column of small numbers is not a column of dates.
    return isinstance(cell, int | float) and not isinstance(cell, bool) and 32_874 <= cell <= 58_440


def value_score(values: list[object], spec: FieldSpec) -> tuple[float | None, str]:
    """What the sample values say about a field: None when they cannot tell (any text is a valid name)."""
    if not values:
        return None, ""
    texts = [str(v).strip() for v in values]
    if spec.name == "candidate_ref":
        unique = len(set(texts)) / len(texts)
        emails = sum(1 for t in texts if _EMAIL.match(t)) / len(texts)
        profiles = sum(1 for t in texts if _PROFILE.search(t)) / len(texts)
        people = sum(1 for t in texts if _PERSON.match(t)) / len(texts)
        if emails >= 0.8:
            return emails, "the values are e-mail addresses, which identify candidates"
        if profiles >= 0.8:
            return profiles, "the values are LinkedIn profile URLs, which identify candidates"
        if people >= 0.8 and unique >= 0.9:
            return 0.8 * people, "the values look like people's names"
        return (0.5 * unique if unique >= 0.95 else None), "each value is different, as identifiers are"
    if spec.name == "campaign_ref":
        unique = len(set(texts)) / len(texts)
        coded = sum(1 for t in texts if _HAS_DIGIT.search(t) and len(t) <= 40) / len(texts)
        if len(texts) >= 5 and unique <= 0.5 and coded >= 0.8:
            return 0.6, "a few short references repeat down the column"
        return None, ""
    parser = spec.parser
    if _accepts_anything(parser):
        return None, ""  # a text field: every value is valid, so the values prove nothing
    dated = spec.name.endswith(("_date", "_at"))
    ok = 0
    for value in values:
        if dated and isinstance(value, int | float) and not _plausible_serial(value):
            continue
        try:
            if parser(value) is not None:
                ok += 1
        except ValueError:
            pass
    rate = ok / len(values)
    if dated:
        return rate, "the values are dates"
    if spec.name in _CHOICE_FIELDS:
        return rate, "the values are this field's codes"
    return rate, "the values read as this field's type"


def _accepts_anything(parser: Any) -> bool:
    try:
        return parser("Zz-not-a-value-zZ") is not None
    except ValueError:
        return False


@dataclass
class ColumnSuggestion:
    column: str
    field: str | None
    confidence: float
    reason: str
    alternatives: list[tuple[str, float]] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "column": self.column,
            "field": self.field,
            "confidence": round(self.confidence, 2),
            "reason": self.reason,
            "alternatives": [{"field": f, "confidence": round(c, 2)} for f, c in self.alternatives],
        }


@dataclass
class MappingSuggestion:
    """A proposed mapping for one table of a file, with a confidence per column and codes left to translate."""

    table: str
    sheet: str | None
    header_row: int
    columns: list[ColumnSuggestion]
    values: dict[str, dict[str, str]] = field(default_factory=dict)
    unmatched_values: dict[str, list[str]] = field(default_factory=dict)
    missing: list[str] = field(default_factory=list)  # required fields no column was found for
    signature: str = ""

    @property
    def score(self) -> float:
        return sum(c.confidence for c in self.columns if c.field) - 1.5 * len(self.missing)

    def mapping(self) -> TableMapping:
        return TableMapping(
            self.table,
            {c.column: c.field for c in self.columns},
            {name: dict(pairs) for name, pairs in self.values.items()},
            {},
            self.sheet,
        )

    def as_dict(self) -> dict[str, Any]:
        return {
            "table": self.table,
            "sheet": self.sheet,
            "header_row": self.header_row,
            "signature": self.signature,
            "columns": [c.as_dict() for c in self.columns],
            "values": self.values,
            "unmatched_values": self.unmatched_values,
            "missing": self.missing,
        }


def _header_row(rows: list[tuple[int, Row]]) -> tuple[int, Row] | None:
    """The row most like a header: the most text cells that match known names, then the most text cells."""
    every_alias = {key for aliases in agency_template.ALIASES.values() for key in aliases}
    best: tuple[tuple[int, int], int, Row] | None = None
    for number, row in rows:
        texts = [cell for cell in row if isinstance(cell, str) and clean_text(cell)]
        if len(texts) < 2:
            continue
        plain = [t for t in texts if not _HAS_DIGIT.search(t) or len(t) > 12]
        score = (sum(1 for t in texts if header_key(t) in every_alias), len(plain))
        if best is None or score > best[0]:
            best = (score, number, row)
    return None if best is None else (best[1], best[2])


def suggest_for_rows(
    header: list[str], samples: list[Row], table: str | None = None, header_row: int = 1, sheet: str | None = None
) -> MappingSuggestion:
    """Suggest how `header`'s columns map onto a template table (the best-fitting table unless `table` is given)."""
    tables = [table] if table else list(TABLES)
    suggestions = [_suggest_table(name, header, samples, header_row, sheet) for name in tables]
    return max(suggestions, key=lambda s: s.score)


def _suggest_table(
    table: str, header: list[str], samples: list[Row], header_row: int, sheet: str | None
) -> MappingSuggestion:
    fields = TABLES[table]
    scored: list[tuple[float, int, str, str]] = []  # (confidence, column index, field, reason)
    per_column: dict[int, list[tuple[float, str, str]]] = {}
    for index, column in enumerate(header):
        if not column:
            continue
        values = [row[index] for row in samples if index < len(row) and clean_text(row[index]) is not None]
        for spec in fields.values():
            by_name, name_reason = name_score(column, spec)
            by_value, value_reason = value_score(values, spec)
            if by_value is None:
                confidence, reason = by_name * 0.95, name_reason
            else:
                # How far values alone may carry a column: e-mails and profile URLs are candidate identifiers, and
                # a column of stages is the stage; but a column of dates or yes/no could be any of several fields.
                if spec.name in ("candidate_ref", "campaign_ref"):
                    weight = 0.75
                elif spec.name in _CHOICE_FIELDS and spec.name not in _YES_NO_FIELDS:
                    weight = 0.6
                else:
                    weight = 0.4
                if by_name >= 0.5:
                    confidence = 0.55 * by_name + 0.45 * by_value
                else:
                    confidence = weight * by_value + 0.1 * by_name
                reason = "; ".join(r for r in (name_reason if by_name >= 0.5 else "", value_reason) if r)
                if by_value < 0.5:
                    confidence = min(confidence, by_name * 0.8)  # the values contradict the name
            if confidence > 0.2:
                scored.append((confidence, index, spec.name, reason))
                per_column.setdefault(index, []).append((confidence, spec.name, reason))
    scored.sort(key=lambda item: (-item[0], item[1]))
    taken_fields: set[str] = set()
    chosen: dict[int, tuple[float, str, str]] = {}
    for confidence, index, name, reason in scored:
        if confidence < SUGGEST_THRESHOLD or index in chosen or name in taken_fields:
            continue
        chosen[index] = (confidence, name, reason)
        taken_fields.add(name)
    columns: list[ColumnSuggestion] = []
    for index, column in enumerate(header):
        if not column:
            continue
        options = sorted(per_column.get(index, []), reverse=True)
        if index in chosen:
            confidence, name, reason = chosen[index]
            alternatives = [(f, c) for c, f, _r in options if f != name][:2]
            columns.append(ColumnSuggestion(column, name, confidence, reason, alternatives))
        else:
            reason = "no template field fits well enough"
            if options and options[0][0] >= SUGGEST_THRESHOLD:
                taken_by = next(header[i] for i, (_c, f, _r) in chosen.items() if f == options[0][1])
                reason = f"{options[0][1]} fits, but {taken_by!r} fits it better"
            columns.append(ColumnSuggestion(column, None, 0.0, reason, [(f, c) for c, f, _r in options[:2]]))
    values, unmatched = _suggest_values(fields, header, samples, chosen)
    missing = [spec.name for spec in fields.values() if spec.required and spec.name not in taken_fields]
    return MappingSuggestion(
        table, sheet, header_row, columns, values, unmatched, missing, header_signature(list(header))
    )


def _suggest_values(
    fields: dict[str, FieldSpec], header: list[str], samples: list[Row], chosen: dict[int, tuple[float, str, str]]
) -> tuple[dict[str, dict[str, str]], dict[str, list[str]]]:
    """For code columns, the file's values the template does not know, with the closest code where one is close."""
    values: dict[str, dict[str, str]] = {}
    unmatched: dict[str, list[str]] = {}
    for index, (_confidence, name, _reason) in chosen.items():
        if name not in _CHOICE_FIELDS:
            continue
        spec = fields[name]
        codes = _codes_of(spec)
        seen: set[str] = set()
        for row in samples:
            text = clean_text(row[index]) if index < len(row) else None
            if text is None or text in seen:
                continue
            seen.add(text)
            try:
                spec.parser(text)
                continue
            except ValueError:
                pass
            closest = max(
                codes, key=lambda code: SequenceMatcher(None, header_key(text), header_key(code)).ratio(), default=""
            )
            # Only a near-spelling is translated for the user to confirm; a guess at meaning ("Phone Screen" is
            # which stage?) is theirs to make, so those are listed instead.
            if codes and SequenceMatcher(None, header_key(text), header_key(closest)).ratio() >= VALUE_MATCH:
                values.setdefault(name, {})[text] = str(spec.parser(closest))
            else:
                unmatched.setdefault(name, []).append(text)
    return values, unmatched


def _codes_of(spec: FieldSpec) -> list[str]:
    codes = agency_template.CODES.get(spec.name, ())
    return list(codes) + list(agency_template.CODE_SYNONYMS.get(spec.name, {}))


def suggest(path: Path, name: str, table: str | None = None) -> list[MappingSuggestion]:
    """Suggestions for each sheet of a file (one for a CSV), from its header row and first SAMPLE_ROWS rows."""
    sniffed = sniff(path, name)
    if sniffed.kind not in ("csv-or-text", "xlsx", "xls"):
        raise FileRejected(name, "a column mapping applies to CSV and Excel files only")
    found: list[MappingSuggestion] = []
    for sheet in sheets_for(path, name, sniffed):
        top = _peek(sheet.rows)
        located = _header_row(top)
        if located is None:
            continue
        number, row = located
        header = ["" if cell is None else str(cell).strip() for cell in row]
        samples = [r for n, r in top if n > number and not is_blank(r)]
        for _n, extra in sheet.rows:
            if len(samples) >= SAMPLE_ROWS:
                break
            if not is_blank(extra):
                samples.append(extra)
        close = getattr(sheet.rows, "close", None)
        if close:
            close()
        sheet_name = None if sniffed.kind == "csv-or-text" else sheet.name
        found.append(suggest_for_rows(header, samples, table, number, sheet_name))
    if not found:
        raise FileRejected(name, "no header row was found in the first rows: check this is a table")
    return found


def suggested_mapping(suggestions: list[MappingSuggestion]) -> ColumnMapping:
    """One mapping from per-sheet suggestions (the most confident sheet wins where two suggest the same table)."""
    tables: dict[str, TableMapping] = {}
    for suggestion in sorted(suggestions, key=lambda s: s.score):
        tables[suggestion.table] = suggestion.mapping()
    return ColumnMapping(tables)

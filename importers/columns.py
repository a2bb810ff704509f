"""Turning table rows into records a batch at a time, column by column.

Every tabular importer (the agency template, mapped layouts, LinkedIn reports) describes its columns as
`FieldSpec`s: a canonical name, a parser that raises `ValueError` with a message for the user, and the header names
it is known by. `TableConverter` then does the per-row work once per *batch* of rows rather than once per row:

- the rows of a batch are turned into columns, and each column is parsed through a memo of the values already seen
  (a stage, a date or a yes/no repeats thousands of times, and is parsed once). A column whose values rarely repeat
  (names, free text) stops memoising and is parsed straight through;
- a value that cannot be read leaves its row out and becomes a problem naming the file, sheet, row, column and
  value. Problems are reported in row order, as a reader would expect;
- identifiers of people (a candidate reference, a seat holder's name) go through the caller's `pseudonymise` as a
  column, and only the keyed hash leaves this module; the one exception is a file read in a second process, whose
  batches may carry the identifiers to the parent process, which hashes them before anything else sees the batch
  (`SharedPseudonyms`, importers.parallel).

The result is a `RecordBatch`: columns of field values for the rows that were accepted. The app stores a batch
without making an object per row; anything else can ask it for the records (`RecordBatch.records()`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from operator import itemgetter
from typing import Any

from importers.report import ImportReport
from importers.tabular import Header, Row, is_blank
from importers.values import header_key

Parser = Callable[[object], Any]

# Rows converted together. A batch's cells are created by the CSV reader and then read column by column; with
# 1,000 rows they are still in the processor's cache for that second pass, and reading a million-row file took a
# fifth less time than with 5,000.
BATCH_ROWS = 1_000
_CACHE_LIMIT = 20_000  # distinct values memoised per column
_CACHE_TRIAL = 4_000  # lookups after which a column that rarely repeats stops memoising


@dataclass(frozen=True, slots=True)
class FieldSpec:
    """One canonical column: its name, how to read a cell, the header names it goes by, and whether it must exist."""

    name: str
    parser: Parser
    aliases: tuple[str, ...] = ()
    required: bool = False


def field_table(*specs: FieldSpec) -> dict[str, FieldSpec]:
    return {spec.name: spec for spec in specs}


def alias_table(fields: dict[str, FieldSpec]) -> dict[str, str]:
    """header_key of every name and alias -> canonical field (the first field to claim a name keeps it)."""
    table: dict[str, str] = {}
    for spec in fields.values():
        for alias in (spec.name, *spec.aliases):
            table.setdefault(header_key(alias), spec.name)
    return table


@dataclass(slots=True)
class RecordBatch:
    """Accepted rows of one table, as columns: `columns[field][i]` is the value of row `rows[i]`."""

    record_type: type
    columns: dict[str, list[Any]]
    rows: list[int]
    file: str
    sheet: str | None = None
    # Columns of identifiers not yet hashed: only between a reader process and its parent, which hashes them
    # (`hash_clear_columns`) before anything else sees the batch. Empty everywhere else.
    clear: tuple[str, ...] = ()

    def __len__(self) -> int:
        return len(self.rows)

    def column(self, name: str) -> Sequence[Any]:
        """The values of a field, or Nones when the file had no such column."""
        values = self.columns.get(name)
        return values if values is not None else [None] * len(self.rows)

    def records(self) -> Iterator[Any]:
        if self.clear:
            raise RuntimeError("a batch with identifiers not yet hashed cannot give records")
        names = tuple(self.columns)
        make = self.record_type
        if not names:
            for number in self.rows:
                yield make(row=number, file=self.file)
            return
        for number, values in zip(self.rows, zip(*self.columns.values(), strict=True), strict=True):
            yield make(**dict(zip(names, values, strict=True)), row=number, file=self.file)


class SharedPseudonyms:
    """The `pseudonymise` of a file read in a second process (importers.parallel), which shares the hashing with
    the parent process: of every `cycle` batches, the reader hashes `mine` itself and leaves the keyed columns of
    the others in clear, listed in `RecordBatch.clear`, for the parent to hash before anything else sees them.
    The share evens out the two processes' work."""

    def __init__(self, pseudonymise: Callable[[str], str], mine: int, cycle: int) -> None:
        self.pseudonymise = pseudonymise
        self.mine, self.cycle = mine, cycle
        self.batches = 0

    def __call__(self, value: str) -> str:
        return self.pseudonymise(value)

    def hash_here(self) -> bool:
        """Whether this batch's identifiers are hashed by the reader (asked once per batch and keyed column)."""
        self.batches += 1
        return self.batches % self.cycle < self.mine


def pseudonymise_column(values: list[Any], pseudonymise: Callable[[str], str]) -> list[Any]:
    """The keyed hashes of a column of identifiers; None stays None."""
    if None in values:
        return [None if value is None else pseudonymise(value) for value in values]
    many = getattr(pseudonymise, "many", None)  # a whole column at once, when it can
    return many(values) if many is not None else list(map(pseudonymise, values))


def hash_clear_columns(batch: RecordBatch, pseudonymise: Callable[[str], str]) -> RecordBatch:
    """Hash the columns a reader process left in clear (see `SharedPseudonyms`)."""
    for name in batch.clear:
        batch.columns[name] = pseudonymise_column(batch.columns[name], pseudonymise)
    batch.clear = ()
    return batch


# A problem found in a batch: (index in batch, column position, column name, value, message).
_Failure = tuple[int, int, str, object, str]


class ColumnReader:
    """Reads one column of a batch, remembering what each distinct value parsed to."""

    __slots__ = ("cache", "field", "index", "lookups", "name", "parser", "position")

    def __init__(self, index: int, name: str, field_name: str, parser: Parser, position: int) -> None:
        self.index = index
        self.name = name
        self.field = field_name
        self.parser = parser
        self.position = position
        self.cache: dict[object, Any] | None = {}
        self.lookups = 0

    def convert(self, cells: Sequence[object], failures: list[_Failure]) -> list[Any]:
        cache = self.cache
        if cache is not None:
            try:
                return list(map(cache.__getitem__, cells))  # every value seen before: the common case
            except (KeyError, TypeError):
                pass
        elif cells:
            try:
                return list(map(self.parser, cells))
            except ValueError:
                pass  # at least one bad value: go cell by cell to find it
        return self._one_by_one(cells, failures)

    def _one_by_one(self, cells: Sequence[object], failures: list[_Failure]) -> list[Any]:
        parser, cache = self.parser, self.cache
        out: list[Any] = []
        append = out.append
        for position, cell in enumerate(cells):
            if cache is not None:
                try:
                    append(cache[cell])
                    continue
                except KeyError:
                    pass
                except TypeError:  # an unhashable cell: never from CSV or calamine, but be safe
                    pass
            try:
                value = parser(cell)
            except ValueError as error:
                failures.append((position, self.position, self.name, cell, str(error)))
                append(None)
                continue
            append(value)
            if cache is not None and len(cache) < _CACHE_LIMIT:
                try:
                    cache[cell] = value
                except TypeError:
                    pass
        if cache is not None:
            self.lookups += len(cells)
            if self.lookups >= _CACHE_TRIAL and len(cache) * 2 > self.lookups:
                self.cache = None  # mostly distinct values (names, free text): memoising only costs
        return out


@dataclass
class KeyedColumn:
    """A column of identifiers to replace with keyed hashes: read `source`, store the hash as `target`."""

    source: str
    target: str
    pseudonymise: Callable[[str], str]
    required_message: str | None = None  # reject rows where it is empty, with this message


@dataclass
class TableConverter:
    """Converts the rows under a header into RecordBatches. See the module docstring."""

    header: Header
    fields: dict[str, FieldSpec]
    record_type: type
    report: ImportReport
    file: str
    sheet: str | None = None
    keyed: list[KeyedColumn] = field(default_factory=list)
    required_values: dict[str, str] = field(default_factory=dict)  # field -> message when its cell is empty
    constants: dict[str, Any] = field(default_factory=dict)  # fields with one value for every row
    # For tables with few rows that need the raw row (extra columns, cross-field checks): returns the final field
    # values, or None after reporting why the row is left out.
    row_hook: Callable[[dict[str, Any], Row, int], dict[str, Any] | None] | None = None
    skip_fields: frozenset[str] = frozenset()
    batch_rows: int = BATCH_ROWS

    def __post_init__(self) -> None:
        keyed_sources = {k.source for k in self.keyed}
        self.readers = [
            ColumnReader(index, self.header.names[index], name, self.fields[name].parser, position)
            for position, (index, name) in enumerate(
                (i, f) for i, f in enumerate(self.header.fields) if f and f not in self.skip_fields
            )
            if name in self.fields
        ]
        self.width = len(self.header.names)
        self._keyed_index = {
            k.source: self.header.index(k.source) for k in self.keyed if k.source in self.header.fields
        }
        self._reader_fields = {r.field for r in self.readers} - keyed_sources
        first = self.header.names[0] if self.header.names else None
        second = self.header.names[1] if len(self.header.names) > 1 else None
        self._header_start = (first, second)

    def _is_repeated_header(self, row: Row) -> bool:
        return len(row) > 1 and row[0] == self._header_start[0] and row[1] == self._header_start[1]

    def batches(self, rows: Iterable[tuple[int, Row]]) -> Iterator[RecordBatch]:
        numbers: list[int] = []
        batch: list[Row] = []
        first_name = self._header_start[0]
        for number, row in rows:
            head = row[0] if row else None
            if not head or head == first_name or (isinstance(head, str) and head.isspace()):
                # the rare rows: blank ones, repeated header rows, rows whose first cell is empty
                if is_blank(row) or self._is_repeated_header(row):
                    continue
            numbers.append(number)
            batch.append(row)
            if len(batch) >= self.batch_rows:
                converted = self._convert(numbers, batch)
                if converted is not None:
                    yield converted
                numbers, batch = [], []
        if batch:
            converted = self._convert(numbers, batch)
            if converted is not None:
                yield converted

    def _convert(self, numbers: list[int], batch: list[Row]) -> RecordBatch | None:
        count = len(batch)
        self.report.rows_read += count
        width = self.width
        if min(map(len, batch)) < width:
            batch = [row if len(row) >= width else [*row, *([None] * (width - len(row)))] for row in batch]
        failures: list[_Failure] = []
        columns: dict[str, list[Any]] = {}
        # Rows have at least `width` cells now; cells past the header (a longer row) are left out, as intended.
        transposed = list(zip(*batch, strict=False))
        for reader in self.readers:
            columns[reader.field] = reader.convert(transposed[reader.index], failures)
        bad = {failure[0] for failure in failures}
        clear_columns: list[str] = []
        for keyed in self.keyed:
            clear = columns.pop(keyed.source, None)
            if clear is None:
                continue
            if None in clear:
                if keyed.required_message:
                    for position, value in enumerate(clear):
                        if value is None and position not in bad:
                            failures.append(
                                (
                                    position,
                                    -1,
                                    self.header.names[self._keyed_index[keyed.source]],
                                    None,
                                    keyed.required_message,
                                )
                            )
                            bad.add(position)
            pseudonymise = keyed.pseudonymise
            if isinstance(pseudonymise, SharedPseudonyms):
                if not pseudonymise.hash_here():
                    columns[keyed.target] = clear
                    clear_columns.append(keyed.target)
                    continue
                pseudonymise = pseudonymise.pseudonymise
            columns[keyed.target] = pseudonymise_column(clear, pseudonymise)
        for name, value in self.constants.items():
            values = columns.get(name)
            if values is None:
                columns[name] = [value] * count
            elif None in values:  # a blank cell takes the value given for the whole file
                columns[name] = [value if v is None else v for v in values]
        for name, message in self.required_values.items():
            values = columns.get(name)
            if values is None or None in values:
                column_name = self._column_name(name)
                for position in range(count) if values is None else (i for i, v in enumerate(values) if v is None):
                    if position not in bad:
                        failures.append((position, -1, column_name, None, message))
                        bad.add(position)
        if failures:
            self._report(failures, numbers, len(bad))
        if bad:
            keep = [i for i in range(count) if i not in bad]
            if not keep:
                return None
            pick = itemgetter(*keep)
            if len(keep) == 1:
                columns = {name: [values[keep[0]]] for name, values in columns.items()}
            else:
                columns = {name: list(pick(values)) for name, values in columns.items()}
            rows_kept = [numbers[i] for i in keep]
            raw = [batch[i] for i in keep] if self.row_hook else []
        else:
            rows_kept = numbers
            raw = batch
        if self.row_hook:
            return self._hooked(columns, rows_kept, raw, tuple(clear_columns))
        return RecordBatch(self.record_type, columns, rows_kept, self.file, self.sheet, tuple(clear_columns))

    def _column_name(self, field_name: str) -> str:
        index = self.header.index(field_name)
        return self.header.names[index] if index is not None else field_name

    def _report(self, failures: list[_Failure], numbers: list[int], bad_rows: int) -> None:
        # Problems in row order, and within a row in column order (checks that span columns come last).
        failures.sort(key=lambda f: (f[0], f[1] if f[1] >= 0 else 10_000))
        problem = self.report.problem
        for position, _column, name, value, message in failures:
            problem(numbers[position], name, value, message, self.sheet)
        self.report.rows_rejected += bad_rows

    def _hooked(
        self, columns: dict[str, list[Any]], numbers: list[int], raw: list[Row], clear: tuple[str, ...]
    ) -> RecordBatch | None:
        assert self.row_hook is not None
        names = list(columns)
        kept_rows: list[int] = []
        kept: list[dict[str, Any]] = []
        for position, number in enumerate(numbers):
            values = {name: columns[name][position] for name in names}
            result = self.row_hook(values, raw[position], number)
            if result is not None:
                kept.append(result)
                kept_rows.append(number)
        if not kept:
            return None
        out_names = list(kept[0])
        return RecordBatch(
            self.record_type,
            {name: [values.get(name) for values in kept] for name in out_names},
            kept_rows,
            self.file,
            self.sheet,
            clear,
        )

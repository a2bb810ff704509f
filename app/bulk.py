"""Bulk inserts: the fastest path each database offers, behind one class.

Imports write many rows into one table inside one transaction. `BulkWriter` takes rows as tuples, or a batch as
columns, and writes them through the session's own connection, so they commit or roll back with the rest of the
import:

- SQLite: `executemany` of one prepared INSERT with plain tuples (SQLAlchemy's `exec_driver_sql`), about half the
  cost of Core inserts with dictionaries (reference/performance.md);
- PostgreSQL: psycopg's binary `COPY … FROM STDIN`, several times faster than any INSERT. The COPY stays open
  across batches, so the server inserts while this process parses the next rows (two processes, two cores); it
  is closed by `finish()`, or `pause()` before the session is used for anything else;
- anything else: a Core `insert()` with dictionaries.

Values are converted the way SQLAlchemy would convert them for the column's type (dates to text on SQLite, pounds to
pence for `Money`), so rows written here read back exactly like rows the ORM wrote. The conversion is done once per
distinct value: dates, codes and booleans repeat.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from sqlalchemy import JSON, BigInteger, Boolean, Date, DateTime, Float, Integer, Table, insert
from sqlalchemy.orm import Session

# Rows per executemany (SQLite) or per pass of COPY rows (PostgreSQL). Small enough that a batch's row tuples are
# still in the processor's cache when the database reads them: a million-row import took 15% less time on SQLite
# with 2,000 than with 10,000 (bench/bench_import.py, same run).
BATCH_ROWS = 2_000
_MEMO_SIZE = 4_096
# SQLite's page cache while a bulk import runs (negative: KiB). Inserting a million rows with random keys into
# indexed tables is bound by index pages falling out of the default 2 MiB cache; 64 MiB keeps them in.
SQLITE_IMPORT_CACHE_KIB = 64 * 1024


def _pg_type(column_type: Any) -> str:
    """The PostgreSQL type name psycopg needs to send a column in binary COPY."""
    impl = getattr(column_type, "impl_instance", column_type)
    if isinstance(impl, BigInteger):
        return "int8"
    if isinstance(impl, Integer):
        return "int4"
    if isinstance(impl, Boolean):
        return "bool"
    if isinstance(impl, DateTime):
        return "timestamp"
    if isinstance(impl, Date):
        return "date"
    if isinstance(impl, Float):
        return "float8"
    if isinstance(impl, JSON):
        return "json"
    return "text"


class BulkWriter:
    """Collect rows for one table and insert them in batches on the session's connection."""

    def __init__(self, session: Session, table: Table, columns: Sequence[str], batch: int = BATCH_ROWS) -> None:
        self.session = session
        self.table = table
        self.columns = tuple(columns)
        self.batch = batch
        self.rows: list[tuple[Any, ...]] = []
        self.written = 0
        dialect = session.get_bind().dialect
        self.dialect_name = dialect.name
        self.processors: list[Callable[[Any], Any] | None] = []
        for name in self.columns:
            column_type = table.c[name].type
            if self.dialect_name == "postgresql" and isinstance(getattr(column_type, "impl_instance", None), JSON):
                processor = None  # psycopg sends Python objects as json itself
            elif self.dialect_name == "postgresql" and not hasattr(column_type, "process_bind_param"):
                processor = None  # psycopg adapts dates, booleans and numbers natively in COPY
            else:
                # The dialect's own type: on SQLite, dates and times become the text SQLAlchemy writes (the
                # generic type has no processor, and sqlite3's default adapter writes datetimes differently).
                processor = column_type.dialect_impl(dialect).bind_processor(dialect)
            if processor is not None and not isinstance(getattr(column_type, "impl_instance", column_type), JSON):
                processor = _Memo(processor)
            self.processors.append(processor)
        self._has_processors = any(self.processors)
        names = ", ".join(f'"{name}"' for name in self.columns)
        self._insert_sql = f'INSERT INTO "{table.name}" ({names}) VALUES ({", ".join("?" * len(self.columns))})'
        self._copy_sql = f'COPY "{table.name}" ({names}) FROM STDIN (FORMAT BINARY)'
        self._pg_types = [_pg_type(table.c[name].type) for name in self.columns]
        self._statement = insert(table)
        self._cache_before: int | None = None
        self._copy: Any = None  # the open COPY on PostgreSQL, its context manager and cursor
        self._copy_context: Any = None
        self._cursor: Any = None

    def add(self, row: tuple[Any, ...]) -> None:
        """One row, its values in the order of `columns`."""
        if self._has_processors:
            row = tuple(
                value if processor is None or value is None else processor(value)
                for processor, value in zip(self.processors, row, strict=True)
            )
        self.rows.append(row)
        if len(self.rows) >= self.batch:
            self.flush()

    def add_columns(self, columns: Sequence[Sequence[Any]]) -> None:
        """Many rows given as columns (one sequence per name in `columns`, all the same length)."""
        if self._has_processors:
            columns = [
                values if processor is None else _apply(processor, values)
                for processor, values in zip(self.processors, columns, strict=True)
            ]
        self.rows.extend(zip(*columns, strict=True))
        if len(self.rows) >= self.batch:
            self.flush()

    def flush(self) -> None:
        if not self.rows:
            return
        connection = self.session.connection()
        if self.dialect_name == "sqlite":
            if self._cache_before is None and len(self.rows) >= self.batch:
                self._cache_before = connection.exec_driver_sql("PRAGMA cache_size").scalar_one()
                connection.exec_driver_sql(f"PRAGMA cache_size=-{SQLITE_IMPORT_CACHE_KIB}")
            connection.exec_driver_sql(self._insert_sql, self.rows)  # type: ignore[arg-type]
        elif self.dialect_name == "postgresql":
            if self._copy is None:
                raw = connection.connection.driver_connection
                self._cursor = raw.cursor()  # type: ignore[union-attr]
                self._copy_context = self._cursor.copy(self._copy_sql)
                self._copy = self._copy_context.__enter__()
                self._copy.set_types(self._pg_types)
            write = self._copy.write_row
            for row in self.rows:
                write(row)
        else:
            columns = self.columns
            connection.execute(self._statement, [dict(zip(columns, row, strict=True)) for row in self.rows])
        self.written += len(self.rows)
        self.rows.clear()

    def pause(self) -> None:
        """End an open COPY (waiting for the server to take every row), so the connection can be used again."""
        if self._copy is not None:
            context, cursor = self._copy_context, self._cursor
            self._copy = self._copy_context = self._cursor = None
            try:
                context.__exit__(None, None, None)
            finally:
                cursor.close()

    def abandon(self) -> None:
        """Drop an open COPY after an error (the transaction is rolled back anyway)."""
        if self._copy is not None:
            context, cursor = self._copy_context, self._cursor
            self._copy = self._copy_context = self._cursor = None
            try:
                error = RuntimeError("import abandoned")
                context.__exit__(RuntimeError, error, None)
            except Exception:  # the copy is failed on purpose: its error is not news
                pass
            finally:
                cursor.close()

    def finish(self) -> None:
        """Write what is left, and give the connection back its usual cache size."""
        self.flush()
        self.pause()
        if self._cache_before is not None:
            self.session.connection().exec_driver_sql(f"PRAGMA cache_size={int(self._cache_before)}")
            self._cache_before = None


def _apply(processor: Callable[[Any], Any], values: Sequence[Any]) -> list[Any]:
    if isinstance(processor, _Memo):
        return processor.many(values)
    return [None if value is None else processor(value) for value in values]


class _Memo:
    """A column's value conversion, done once per distinct value: dates, codes and booleans repeat.

    `many` converts a whole column with one dictionary lookup per value (in C, through `map`) when every value has
    been seen before, which after the first batch is nearly always. Values that are not hashable, and columns
    whose values rarely repeat, are converted one by one.
    """

    __slots__ = ("memo", "process")

    def __init__(self, process: Callable[[Any], Any]) -> None:
        self.process = process
        self.memo: dict[Any, Any] | None = {None: None}

    def __call__(self, value: Any) -> Any:
        memo = self.memo
        if memo is not None:
            try:
                return memo[value]
            except KeyError:
                converted = memo[value] = self.process(value)
                if len(memo) > _MEMO_SIZE:
                    self.memo = None  # mostly distinct values: memoising only costs
                return converted
            except TypeError:
                pass
        return None if value is None else self.process(value)

    def many(self, values: Sequence[Any]) -> list[Any]:
        memo = self.memo
        if memo is not None:
            try:
                return list(map(memo.__getitem__, values))
            except (KeyError, TypeError):
                pass
        return list(map(self, values))

"""Bulk inserts: the fastest path each database offers, behind one function.

Imports write many rows into one table inside one transaction. `BulkWriter` buffers plain tuples and flushes
them in batches through the session's connection, so they commit or roll back with the rest of the import.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Table, insert
from sqlalchemy.orm import Session

BATCH_ROWS = 10_000


class BulkWriter:
    """Collect rows for one table and insert them in batches on the session's connection."""

    def __init__(self, session: Session, table: Table, columns: Sequence[str], batch: int = BATCH_ROWS) -> None:
        self.session = session
        self.table = table
        self.columns = tuple(columns)
        self.batch = batch
        self.rows: list[tuple[Any, ...]] = []
        self.written = 0
        self._statement = insert(table)

    def add(self, row: tuple[Any, ...]) -> None:
        self.rows.append(row)
        if len(self.rows) >= self.batch:
            self.flush()

    def flush(self) -> None:
        if not self.rows:
            return
        connection = self.session.connection()
        columns = self.columns
        connection.execute(self._statement, [dict(zip(columns, row, strict=True)) for row in self.rows])
        self.written += len(self.rows)
        self.rows.clear()

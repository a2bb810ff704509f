"""Data access: every query Scrutineer makes, one module per area, each scoped to an organisation.

Views and services never build queries themselves. `transaction()` is the one commit boundary: work inside it is
committed together or not at all.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from app.extensions import db


@contextmanager
def transaction() -> Iterator[None]:
    """Commit what happens inside on success; roll it all back on any error."""
    try:
        yield
        db.session.commit()
    except BaseException:
        db.session.rollback()
        raise

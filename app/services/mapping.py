"""Column mappings as the app keeps them: suggested for a file, confirmed by a person, saved per agency, reused.

The mapping itself (what it is, how a file is read through it, how one is suggested) lives in importers.mapping.
Here it is stored: one ColumnMapping row per template table, keyed by the header row's signature, so a file whose
header row has the same set of names is read the same way next time without asking again. A mapping is saved
when an import through it succeeds; the web page for confirming one belongs to the web app and calls
`suggestion_for` and `import_file(..., mapping=...)`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from app.dao import events
from app.dao import mappings as mappings_dao
from app.extensions import db
from app.models import Agency, ColumnMapping, Organisation, User
from importers import FileRejected
from importers.mapping import (
    ColumnMapping as Mapping,
)
from importers.mapping import (
    TableMapping,
    header_candidates,
    header_signature,
    suggest,
    suggested_mapping,
)


def suggestion_for(path: Path, name: str, table: str | None = None) -> dict[str, Any]:
    """A suggested mapping for a file, as JSON: the mapping to confirm, and per column why and how sure."""
    suggestions = suggest(path, name, table)
    mapping = suggested_mapping(suggestions)
    return {
        **mapping.as_json(),
        "suggestions": [s.as_dict() for s in suggestions],
    }


def saved_mapping_for(organisation: Organisation, path: Path, name: str) -> tuple[Mapping, str] | None:
    """A mapping saved earlier for this file's header row, and a note saying whose it is; None if there is none."""
    if not mappings_dao.has_mappings(organisation.id):
        return None
    try:
        candidates = header_candidates(path, name)
    except FileRejected:
        return None  # the import itself will say what is wrong with the file
    signatures = {header_signature(names) for rows in candidates.values() for names in rows}
    rows = mappings_dao.mappings_with_signatures(organisation.id, signatures)
    if not rows:
        return None
    tables: dict[str, TableMapping] = {}
    chosen: list[ColumnMapping] = []
    for row in rows:
        if row.table_name not in tables:
            tables[row.table_name] = TableMapping.from_json(row.table_name, row.mapping)
            chosen.append(row)
    owners = sorted({row.agency.name for row in chosen if row.agency is not None})
    note = (
        "read with the column mapping saved on "
        + ", ".join(f"{row.created_at:%d %B %Y}" for row in chosen)
        + (f" for {', '.join(owners)}" if owners else "")
    )
    return Mapping(tables), note


def save_mapping(
    organisation: Organisation,
    mapping: Mapping,
    headers: dict[str, list[str]],
    *,
    agency: Agency | None = None,
    user: User | None = None,
) -> list[ColumnMapping]:
    """Save (or update) each table of a confirmed mapping under its header row's signature."""
    saved: list[ColumnMapping] = []
    for table_name, table in mapping.tables.items():
        names = headers.get(table_name)
        if not names:
            continue  # the file had no such table: nothing to recognise it by
        signature = header_signature(names)
        row = mappings_dao.find_mapping(organisation.id, agency.id if agency else None, table_name, signature)
        if row is None:
            row = ColumnMapping(
                organisation_id=organisation.id,
                agency_id=agency.id if agency else None,
                table_name=table_name,
                signature=signature,
            )
            db.session.add(row)
        row.headers = list(names)
        row.mapping = table.as_json()
        row.created_by_id = user.id if user else None
        saved.append(row)
        db.session.flush()
        events.record(
            "mapping.saved",
            organisation_id=organisation.id,
            actor=user,
            object_type="column_mapping",
            object_ref=str(row.id),
            table=table_name,
            agency=agency.name if agency else None,
            signature=signature,
        )
    return saved


def mappings_of(organisation: Organisation, agency: Agency | None = None) -> list[ColumnMapping]:
    return mappings_dao.mappings_of(organisation.id, agency.id if agency else None)

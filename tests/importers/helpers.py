"""Reading files the way the app does, for importer tests: a stand-in keyed hash, and records as a list."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

import importers
from importers import ImportOptions, ImportReport

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


def pseudo(value: str) -> str:
    return "k" + hashlib.sha256(value.encode()).hexdigest()[:15]


def read(path: Path, name: str | None = None, **options: Any) -> tuple[ImportReport, list[Any]]:
    """Import a file with the format detected from its content (the name is only a label)."""
    report, records = importers.read(path, name or path.name, ImportOptions(pseudonymise=pseudo, **options))
    return report, list(records)

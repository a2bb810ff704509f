"""Checking a workbook someone hands in (for example one attached to a contract) against what Scrutineer wrote.

The uploaded file is copied to a temporary folder, checked there for the current organisation (an audit workbook by
`reports.verify_workbook`, a scorecard by `scorecards.verify_scorecard`), and deleted: nothing about it is stored
except an entry in the event log.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from werkzeug.utils import secure_filename

from app.dao import events, transaction
from app.models import Membership
from app.services import reports, scorecards
from app.services.previews import IncomingFile
from audits.scorecard import is_scorecard_workbook
from audits.workbook import WorkbookUnreadable, open_book
from importers import FileRejected
from importers.tabular import sniff

MAX_WORKBOOK_BYTES = 20 * 1024 * 1024


class WorkbookRejected(ValueError):
    """The file cannot be checked. The message says why and what to do."""


@contextmanager
def uploaded_workbook(
    incoming: IncomingFile,
    refuse: Callable[[str], Exception],
    not_a_workbook: str = "The file is not an Excel workbook (.xlsx): choose the workbook Scrutineer wrote",
) -> Iterator[tuple[Path, str]]:
    """An uploaded workbook saved to a temporary folder, checked to be an XLSX of a sensible size: (path, name).
    The folder is deleted afterwards. `refuse(message)` makes the caller's error for a file that fails."""
    name = secure_filename(incoming.filename or "") or "workbook.xlsx"
    with tempfile.TemporaryDirectory(prefix="scrutineer-workbook-") as folder:
        path = Path(folder) / name
        incoming.save(path)
        size = path.stat().st_size
        if size == 0:
            raise refuse("The file is empty: choose the workbook again")
        if size > MAX_WORKBOOK_BYTES:
            raise refuse(
                f"The file is {size / 1024 / 1024:.0f} MB: a Scrutineer workbook is smaller than "
                f"{MAX_WORKBOOK_BYTES // 1024 // 1024} MB. Check you chose the right file"
            )
        try:
            kind = sniff(path, name).kind
        except FileRejected as error:
            raise refuse(f"The file cannot be read: {error.reason}") from None
        if kind != "xlsx":
            raise refuse(not_a_workbook)
        yield path, name


Verified = reports.Verification | scorecards.ScorecardVerification


def verify_file(path: Path, organisation_id: int | None, name: str | None = None) -> Verified:
    """Is this audit workbook or scorecard one Scrutineer wrote for `organisation_id` (any if None), unaltered?
    The file is read once, in a child process under the importers' limits. Raises WorkbookUnreadable."""
    book = open_book(path, name)
    if is_scorecard_workbook(book):
        return scorecards.verify_scorecard(book, organisation_id)
    return reports.verify_workbook(book, organisation_id)


def verify_upload(membership: Membership, incoming: IncomingFile) -> Verified:
    """Is this uploaded audit workbook or scorecard one Scrutineer wrote for this organisation, unaltered?"""
    with uploaded_workbook(incoming, WorkbookRejected) as (path, name):
        try:
            result = verify_file(path, membership.organisation_id, name)
        except WorkbookUnreadable as error:
            raise WorkbookRejected(str(error).removeprefix(f"{name}: ").capitalize()) from None
    with transaction():
        events.record(
            "workbook.verified" if result.ok else "workbook.not_verified",
            organisation_id=membership.organisation_id,
            actor=membership.user,
            object_type=result.kind,
            object_ref=(result.ref or "")[:100] or None,
            file=incoming.filename,
            changed=result.changed[:100],
        )
    return result

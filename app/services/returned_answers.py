"""The agency's answers in a returned workbook, uploaded on the audit's page.

The file is copied to a temporary folder, checked to be an Excel workbook of a sensible size, and handed to
`reports.import_responses`, which verifies it is this audit's workbook, unaltered, before recording any answer
(through `responses.record_response`, so the event log says who answered what). The file itself is not kept.
"""

from __future__ import annotations

from collections.abc import Callable

from app.models import AuditRun, Membership
from app.services import reports
from app.services.previews import IncomingFile
from app.services.verification import uploaded_workbook
from audits.workbook import WorkbookUnreadable, open_book


class AnswersRefused(ValueError):
    """The workbook's answers were not taken; nothing was recorded. The message says why and what to do."""


def _sentence(message: str, name: str) -> str:
    """The service's one-line refusal, without the file name (the page is about that file) and as a sentence."""
    message = message.removeprefix(f"{name}: ")
    if message.startswith("refused, nothing was recorded: "):
        message = "Nothing was recorded: " + message.removeprefix("refused, nothing was recorded: ")
    return message[:1].upper() + message[1:]


def import_answers(
    membership: Membership,
    run: AuditRun,
    incoming: IncomingFile,
    *,
    authorise: Callable[[AuditRun], None],
) -> reports.ResponseImport:
    """Record the answers in an uploaded workbook against the findings of `run`, as `membership`'s user.

    Raises AnswersRefused when the file is not a workbook, not this audit's, or was changed; `authorise(run)` may
    refuse too (it is called once the workbook is known to be this audit's, before anything is recorded)."""
    not_ours = (
        "The file is not a Scrutineer audit workbook (.xlsx): choose the workbook of this audit that the agency "
        "filled in"
    )
    with uploaded_workbook(incoming, AnswersRefused, not_ours) as (path, name):
        try:
            book = open_book(path, incoming.filename or name)  # read once, in a child process under limits
        except WorkbookUnreadable as error:
            raise AnswersRefused(_sentence(str(error), incoming.filename or name)) from None
        if not reports.is_returned_workbook(book):
            raise AnswersRefused(not_ours)
        try:
            return reports.import_responses(
                book,
                incoming.filename or name,
                organisation_id=membership.organisation_id,
                user=membership.user,
                expected_audit_id=run.public_id,
                authorise=authorise,
            )
        except reports.WorkbookUnreadable as error:
            raise AnswersRefused(_sentence(str(error), incoming.filename or name)) from None
        except reports.ResponsesRefused as error:
            raise AnswersRefused(_sentence(str(error), incoming.filename or name)) from None

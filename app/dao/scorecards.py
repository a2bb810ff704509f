"""What the agency scorecard reads: each agency's campaigns, their latest audits, and how those audits' checks went."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from sqlalchemy import case, func, select

from app.extensions import db
from app.models import Campaign, Candidate, Finding, InMailStat, IssuedScorecard, Outreach, RecruiterUsage, Upload
from audits.scorecard import InMailTotals, OutreachCount, StageSexCount
from importers.records import STAGES

# How much of an SQLite database file the scorecard's counts may read through a memory map (SQLite caps it at its
# own build limit, 2 GB in the usual builds): see `_mapped_reads`.
SQLITE_COUNT_MMAP_BYTES = 2 << 30


def finding_tallies(organisation_id: int, run_ids: Sequence[int]) -> list[tuple[int, str, str, str, str, str, int]]:
    """(audit run id, check ID, title, family, severity, status, findings) for the given audits, one row per
    audit, check, severity and status. Counted in the database, so a large audit costs one short result."""
    rows: list[tuple[int, str, str, str, str, str, int]] = []
    for start in range(0, len(run_ids), 500):
        chunk = list(run_ids[start : start + 500])
        query = (
            select(
                Finding.audit_run_id,
                Finding.check_id,
                func.max(Finding.title),
                func.max(Finding.family),
                Finding.severity,
                Finding.status,
                func.count(),
            )
            .where(Finding.organisation_id == organisation_id, Finding.audit_run_id.in_(chunk))
            .group_by(Finding.audit_run_id, Finding.check_id, Finding.severity, Finding.status)
        )
        rows.extend(tuple(row) for row in db.session.execute(query))  # type: ignore[misc]
    return rows


# Every campaign's rows in one statement, not a statement per campaign: a framework has thousands of campaigns. The
# campaigns are named through a subquery, so each database reaches the rows through its campaign index.


def _campaigns_of(organisation_id: int) -> Any:
    return select(Campaign.id).where(Campaign.organisation_id == organisation_id).scalar_subquery()


@contextmanager
def _mapped_reads() -> Iterator[None]:
    """On SQLite, read the database file through a memory map for the statements inside.

    A file of many campaigns interleaves their rows, so counting campaign by campaign through the campaign index
    visits every table page once per campaign; without a map each visit copies the page into SQLite's small cache
    again. For a million candidates in 50 campaigns the count took 4.0-4.1 s copying 16 KiB pages and 2.2-2.4 s
    mapped (raw sqlite3, same database). The map is dropped afterwards, so the pages it touched (the operating
    system's cached file, not this process's own memory) are not held.
    """
    connection = db.session.connection()
    if connection.dialect.name != "sqlite":
        yield
        return
    before = connection.exec_driver_sql("PRAGMA mmap_size").scalar_one()
    connection.exec_driver_sql(f"PRAGMA mmap_size={SQLITE_COUNT_MMAP_BYTES}")
    try:
        yield
    finally:
        connection.exec_driver_sql(f"PRAGMA mmap_size={int(before)}")


def _counted_by_campaign(organisation_id: int, model: Any, *columns: Any) -> dict[int, list[tuple[Any, ...]]]:
    """Per campaign of the organisation, (*columns, rows) for each combination of the columns' values."""
    query = (
        select(model.campaign_id, *columns, func.count())
        .where(model.organisation_id == organisation_id, model.campaign_id.in_(_campaigns_of(organisation_id)))
        .group_by(model.campaign_id, *columns)
    )
    counts: dict[int, list[tuple[Any, ...]]] = defaultdict(list)
    with _mapped_reads():
        for campaign_id, *values in db.session.execute(query):
            counts[campaign_id].append(tuple(values))
    return counts


def candidate_counts(organisation_id: int) -> dict[int, list[StageSexCount]]:
    """Per campaign, (stage reached, sex, candidates): the long-list figures, summed here.

    Each candidate is counted once, from the row the audits read (audits.model.one_row_per_candidate): the newest
    upload's, and within it the furthest stage, then the last row. SQLite keeps, for a group's max(), the other
    columns of the row that gave it, so one grouping does it there (about 1.7 times the cost of counting rows, for
    a million candidates); PostgreSQL numbers each candidate's rows instead.
    """
    c = Candidate
    rank = case({stage: number for number, stage in enumerate(STAGES)}, value=c.stage_reached, else_=-1)
    mine = (c.organisation_id == organisation_id, c.campaign_id.in_(_campaigns_of(organisation_id)))
    if db.session.get_bind().dialect.name == "sqlite":
        # upload, then stage, then row, in one integer: rows < 10^9 (MAX_ROWS is 2 million), stages < 10
        latest = func.max(c.upload_id * 10**11 + (rank + 1) * 10**9 + func.coalesce(c.source_row, 0))
        rows = (
            select(c.campaign_id, c.stage_reached, c.sex, latest.label("latest"))
            .where(*mine)
            .group_by(c.campaign_id, c.candidate_key)
            .subquery()
        )
        chosen: Any = rows.c.campaign_id.isnot(None)
    else:
        order = (c.upload_id.desc(), rank.desc(), func.coalesce(c.source_row, 0).desc(), c.id.desc())
        number = func.row_number().over(partition_by=(c.campaign_id, c.candidate_key), order_by=order)
        rows = select(c.campaign_id, c.stage_reached, c.sex, number.label("number")).where(*mine).subquery()
        chosen = rows.c.number == 1
    query = (
        select(rows.c.campaign_id, rows.c.stage_reached, rows.c.sex, func.count())
        .where(chosen)
        .group_by(rows.c.campaign_id, rows.c.stage_reached, rows.c.sex)
    )
    counts: dict[int, list[tuple[Any, ...]]] = defaultdict(list)
    with _mapped_reads():
        for campaign_id, *values in db.session.execute(query):
            counts[campaign_id].append(tuple(values))
    return counts


def outreach_counts(organisation_id: int) -> dict[int, list[OutreachCount]]:
    """Per campaign, (channel, response, messages) of the agency's Outreach rows."""
    return _counted_by_campaign(organisation_id, Outreach, Outreach.channel, Outreach.response)


def _inmail_totals(
    organisation_id: int, model: Any, sent: Any, accepted: Any, declined: Any
) -> dict[int | None, InMailTotals]:
    """Per campaign (None: the organisation's own rows, which every campaign's audit reads), the report's rows and
    sums, over the same rows as `app.dao.linkedin` gives an audit."""
    query = (
        select(
            model.campaign_id,
            func.count(),
            func.coalesce(func.sum(func.coalesce(sent, 0)), 0),
            func.coalesce(func.sum(func.coalesce(accepted, 0) + func.coalesce(declined, 0)), 0),
        )
        .join(Upload, Upload.id == model.upload_id)
        .where(model.organisation_id == organisation_id)
        .group_by(model.campaign_id)
    )
    return {
        campaign_id: InMailTotals(int(rows), int(sent_sum), int(answered))
        for campaign_id, rows, sent_sum, answered in db.session.execute(query)
    }


def usage_totals(organisation_id: int) -> dict[int | None, InMailTotals]:
    """The LinkedIn Recruiter usage report's InMail figures, per campaign (see `_inmail_totals`)."""
    m = RecruiterUsage
    return _inmail_totals(organisation_id, m, m.inmails_sent, m.inmails_accepted, m.inmails_declined)


def inmail_report_totals(organisation_id: int) -> dict[int | None, InMailTotals]:
    """The LinkedIn InMail report's figures, per campaign (see `_inmail_totals`)."""
    return _inmail_totals(organisation_id, InMailStat, InMailStat.sent, InMailStat.accepted, InMailStat.declined)


def issued_scorecard(public_id: str, organisation_id: int | None) -> IssuedScorecard | None:
    """A scorecard workbook this installation wrote, by its ID: within one organisation, or any if None."""
    query = select(IssuedScorecard).where(IssuedScorecard.public_id == public_id)
    if organisation_id is not None:
        query = query.where(IssuedScorecard.organisation_id == organisation_id)
    return db.session.scalar(query)

"""Reading a file in a second process (importers.parallel): the same records and report as reading it here, the
same refusals, and no process left behind whatever happens to either side."""

from __future__ import annotations

import os
import signal
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import importers
from importers import FileRejected, ImportOptions, ImportReport, RecordBatch, parallel
from importers.parallel import MESSAGE_ROWS, ReaderFailed, _apply, _delta, _Mark, read_in_child
from importers.records import CandidateRecord
from importers.report import MAX_PROBLEMS_KEPT, Problem
from tests.importers.helpers import pseudo

HEADER = "Campaign Ref,Candidate Ref,Stage Reached,Source,Sex,First Contact Date,Notes\r\n"


def candidates_file(path: Path, rows: int, bad_every: int = 97) -> Path:
    """A candidates CSV with the usual faults: bad stages and dates, blank lines, a repeated header row."""
    lines = ["Tracker export\r\n", "\r\n", HEADER]
    for number in range(rows):
        stage = "teleported" if number % bad_every == 0 else "Long-listed"
        day = "31/02/2026" if number % (bad_every + 2) == 0 else f"{number % 28 + 1:02d}/03/2026"
        lines.append(f"C-{number % 3},person{number}@example.org,{stage},LinkedIn InMail,F,{day},note {number}\r\n")
        if number == rows // 2:
            lines += ["\r\n", HEADER]
    path.write_text("".join(lines), encoding="utf-8")
    return path


def read_both(path: Path) -> tuple[tuple[ImportReport, list[Any]], tuple[ImportReport, list[Any]]]:
    here = importers.read(path, path.name, ImportOptions(pseudonymise=pseudo))
    there = importers.read(path, path.name, ImportOptions(pseudonymise=pseudo, parallel_min_bytes=1))
    return (here[0], list(here[1])), (there[0], list(there[1]))


def no_children_left() -> bool:
    """No child process, running or unreaped, is left: the reader was waited for."""
    try:
        os.waitpid(-1, os.WNOHANG)
    except ChildProcessError:
        return True
    return False


def test_a_file_read_in_a_second_process_gives_the_same_records_and_report(tmp_path: Path) -> None:
    path = candidates_file(tmp_path / "candidates.csv", 12_000)
    (report_here, records_here), (report_there, records_there) = read_both(path)
    assert records_there == records_here and len(records_here) > 11_000
    assert report_there.as_dict() == report_here.as_dict()
    assert report_here.rows_rejected > 200 and report_here.unknown_columns == {"candidates": ["Notes"]}
    assert no_children_left()


def test_a_file_refused_half_way_is_refused_the_same_way(tmp_path: Path) -> None:
    path = candidates_file(tmp_path / "candidates.csv", 6_000)
    with path.open("a", encoding="utf-8") as handle:  # a row far wider than any table, after 6,000 good ones
        handle.write("C-1," + ",".join(["x"] * 600) + "\r\n")
    messages = []
    for options in ({}, {"parallel_min_bytes": 1}):
        _report, records = importers.read(path, path.name, ImportOptions(pseudonymise=pseudo, **options))
        with pytest.raises(FileRejected) as error:
            list(records)
        messages.append(str(error.value))
    assert messages[0] == messages[1] and "columns" in messages[0]
    assert no_children_left()


def test_a_reader_that_dies_fails_the_import_and_is_reaped() -> None:
    def dies() -> Iterator[int]:
        yield from range(MESSAGE_ROWS)  # one message's worth reaches the parent
        os.kill(os.getpid(), signal.SIGKILL)

    items = read_in_child(dies(), ImportReport(file="x.csv"))
    assert [next(items) for _ in range(MESSAGE_ROWS)] == list(range(MESSAGE_ROWS))
    with pytest.raises(ReaderFailed, match="killed by signal 9"):
        next(items)
    assert no_children_left()


def test_a_reader_that_raises_fails_the_import_with_the_error_named() -> None:
    def breaks() -> Iterator[int]:
        yield 1
        raise KeyError("surprise")

    with pytest.raises(ReaderFailed, match="KeyError: 'surprise'"):
        list(read_in_child(breaks(), ImportReport(file="x.csv")))
    assert no_children_left()


def test_a_caller_that_stops_early_stops_the_reader(tmp_path: Path) -> None:
    path = candidates_file(tmp_path / "candidates.csv", 30_000)
    report, records = importers.read_batches(path, path.name, ImportOptions(pseudonymise=pseudo, parallel_min_bytes=1))
    assert records.gi_code.co_name == "read_in_child"  # type: ignore[attr-defined]
    first = next(records)
    assert len(first) > 0 and report.rows_read >= len(first)
    records.close()  # type: ignore[attr-defined]  # what the import service does when storing fails
    assert no_children_left()


def test_the_report_keeps_one_limit_on_problems_across_both_processes() -> None:
    child = ImportReport(file="x.csv")
    parent = ImportReport(file="x.csv")
    parent.reject_row(1, "campaign_ref", "C-9", "there is no campaign")  # found while storing, in the parent
    mark = _Mark()
    for row in range(MAX_PROBLEMS_KEPT + 10):
        child.reject_row(row, "stage", "x", "unknown stage")
    child.notes.append("read as Windows-1252")
    _apply(parent, _delta(child, mark))
    assert len(parent.problems) == MAX_PROBLEMS_KEPT
    assert parent.problems_not_listed == 11 and parent.rows_rejected == MAX_PROBLEMS_KEPT + 11
    assert parent.notes == ["read as Windows-1252"]
    assert _delta(child, mark)[:5] == (0, 0, [], 0, [])  # nothing is sent twice
    assert isinstance(parent.problems[0], Problem) and parent.problems[0].column == "campaign_ref"


def test_identifiers_cross_to_the_parent_in_clear_and_leave_it_hashed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = candidates_file(tmp_path / "candidates.csv", 6_000)
    arrived_in_clear: list[str] = []
    hash_them = parallel.hash_clear_columns

    def watch(batch: RecordBatch, pseudonymise: Any) -> RecordBatch:
        assert batch.clear == ("candidate_key",)
        arrived_in_clear.extend(batch.columns["candidate_key"])
        return hash_them(batch, pseudonymise)

    monkeypatch.setattr(parallel, "hash_clear_columns", watch)
    _report, batches = importers.read_batches(path, path.name, ImportOptions(pseudonymise=pseudo, parallel_min_bytes=1))
    given = list(batches)
    assert given and all(isinstance(b, RecordBatch) and b.clear == () for b in given)
    keys = [key for batch in given for key in batch.columns["candidate_key"]]
    _report, here = importers.read_batches(path, path.name, ImportOptions(pseudonymise=pseudo))
    assert keys == [key for batch in here for key in batch.columns["candidate_key"]]  # hashed the same
    # The reader hashed some batches itself (READER_HASHES), and sent the others in clear for this process to hash.
    assert 0 < len(arrived_in_clear) < len(keys)
    assert all("@" in ref for ref in arrived_in_clear) and not any("@" in key for key in keys)
    assert {pseudo(ref) for ref in arrived_in_clear} <= set(keys)


def test_a_batch_with_identifiers_in_clear_is_never_given_out_or_stored(ctx: Any) -> None:
    from app.models import Upload
    from app.services.imports import _Store
    from tests.factories import make_organisation

    batch = RecordBatch(
        CandidateRecord, {"candidate_key": ["jane@example.org"]}, [2], "x.csv", None, ("candidate_key",)
    )
    with pytest.raises(RuntimeError, match="not yet hashed"):
        list(batch.records())
    with pytest.raises(ReaderFailed, match="in clear"):
        list(read_in_child(iter([batch]), ImportReport(file="x.csv")))  # no pseudonymise to hash them with
    assert no_children_left()
    organisation = make_organisation()
    upload = Upload(organisation_id=organisation.id, file_name="x.csv", sha256="0" * 64)
    store = _Store(organisation, upload, ImportReport(file="x.csv"), None, None)
    with pytest.raises(RuntimeError, match="refusing to store"):
        store.add(batch)


@pytest.mark.skipif(not hasattr(__import__("fcntl"), "F_GETPIPE_SZ"), reason="pipe sizes are a Linux setting")
def test_the_pipe_holds_a_message_so_the_reader_can_work_ahead() -> None:
    import fcntl

    receive_fd, send_fd = os.pipe()
    try:
        parallel._widen(send_fd)
        with open("/proc/sys/fs/pipe-max-size", encoding="ascii") as limit:
            expected = min(parallel.PIPE_BYTES, int(limit.read()))
        assert fcntl.fcntl(send_fd, fcntl.F_GETPIPE_SZ) >= expected
        # and the reader's writes of that size go through without anyone reading yet
        os.set_blocking(send_fd, False)
        assert os.write(send_fd, b"x" * expected) == expected
    finally:
        os.close(receive_fd)
        os.close(send_fd)

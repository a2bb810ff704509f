"""Read a large file in a second process while this one stores what it reads.

Importing a big CSV is two jobs of about the same size: reading the file (decoding, CSV tokenising, checking each
value, hashing identifiers) and writing the rows to the database. Done one after the other they take the sum of
the two; here the reading runs in a forked child process that sends each batch of records down a pipe, so the two
jobs run side by side on two cores and the import takes about as long as the slower of them.

What crosses the pipe: the items the importer yields (records and `RecordBatch`es, pickled), several to a message,
and with each message what the importer added to its report since the last one (row counts, problems, notes,
unknown columns, headers), which the parent applies to its own report. The import stays one transaction in the
parent: the child never touches the database, so nothing is half-stored whatever happens to it.

Failure, either side:
- the child raises `FileRejected`: the parent raises the same (nothing stored, exit 2 as usual);
- the child raises anything else, or dies (killed, out of memory): the parent raises `ReaderFailed`;
- the parent stops early (an error, or the caller closes the iterator): the child is killed and reaped;
- the parent dies: the child's next write finds the pipe closed, or its parent gone, and it exits.

Fork is used because the importer, its options and the keyed-hash function are already in memory (nothing has to
be pickled to start the child, and it starts in milliseconds). The child leaves with `os._exit`, so it runs no
finalisers: the parent's database connections, copied into the child, are never closed or used by it.
"""

from __future__ import annotations

import contextlib
import logging
import os
import pickle
import signal
import traceback
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from multiprocessing.connection import Connection
from typing import Any

from importers.columns import RecordBatch, hash_clear_columns
from importers.report import MAX_PROBLEMS_KEPT, FileRejected, ImportReport, UnknownLayout

log = logging.getLogger(__name__)

# Rows sent to the parent in one message: the reader converts small batches (they stay in the processor's cache),
# and sends several at a time (each message costs a wake-up of both processes).
MESSAGE_ROWS = 5_000
# Of every 5 batches, how many the reader hashes itself (columns.SharedPseudonyms); this process hashes the rest
# while it stores. With the wider pipe below, 3 in 5 to 3 in 4 measured best on SQLite (1,000,000 rows, six
# alternating runs each: medians 8.06 s and 7.98 s for 2 in 3 and 3 in 5, against 8.39 s for 1 in 2).
READER_HASHES = (3, 5)
# How much the pipe between the two processes holds (Linux's default is 64 KiB; 1 MiB is the most an unprivileged
# process may ask for, /proc/sys/fs/pipe-max-size). With the default, the reader waited in its send for this process
# to take each message, and this process then waited for the next one: the two processes took turns instead of
# working side by side. With 1 MiB, this process's waits fell from 1.0-1.4 s to 0.2-0.6 s of a million-row import,
# and the import's median from 10.0 s to 8.6 s (six alternating runs each).
PIPE_BYTES = 1 << 20


class ReaderFailed(RuntimeError):
    """The process reading the file stopped without finishing. Nothing was stored."""


def available() -> bool:
    return hasattr(os, "fork")


@dataclass
class _Mark:
    """How much of the child's report the parent has already been sent."""

    rows_read: int = 0
    rows_rejected: int = 0
    problems: int = 0
    problems_not_listed: int = 0
    notes: int = 0


def _delta(report: ImportReport, mark: _Mark) -> tuple[Any, ...]:
    delta = (
        report.rows_read - mark.rows_read,
        report.rows_rejected - mark.rows_rejected,
        report.problems[mark.problems :],
        report.problems_not_listed - mark.problems_not_listed,
        report.notes[mark.notes :],
        report.format,
        report.unknown_columns,
        report.headers,
    )
    mark.rows_read, mark.rows_rejected = report.rows_read, report.rows_rejected
    mark.problems, mark.problems_not_listed = len(report.problems), report.problems_not_listed
    mark.notes = len(report.notes)
    return delta


def _apply(report: ImportReport, delta: tuple[Any, ...]) -> None:
    rows_read, rows_rejected, problems, not_listed, notes, format_name, unknown, headers = delta
    report.rows_read += rows_read
    report.rows_rejected += rows_rejected
    for problem in problems:  # the parent's report may hold problems of its own: keep the one limit over both
        if len(report.problems) >= MAX_PROBLEMS_KEPT:
            report.problems_not_listed += 1
        else:
            report.problems.append(problem)
    report.problems_not_listed += not_listed
    report.notes.extend(notes)
    report.format = format_name
    report.unknown_columns.update(unknown)
    report.headers.update(headers)


def _child(items: Iterator[Any], report: ImportReport, pipe: Connection, parent: int) -> int:
    """Runs in the child: send the items, several to a message, each message with its report delta; then
    ("done", …) or ("error", …)."""
    mark = _Mark()
    send = pipe.send_bytes
    dumps = pickle.dumps
    pending: list[Any] = []
    rows = 0
    try:
        for item in items:
            # each item with its own delta, so the parent's report grows exactly as it would reading in-process
            pending.append((item, _delta(report, mark)))
            rows += len(item) if isinstance(item, RecordBatch) else 1
            if rows >= MESSAGE_ROWS:
                send(dumps(("items", pending, None), protocol=pickle.HIGHEST_PROTOCOL))
                pending, rows = [], 0
                if os.getppid() != parent:  # the parent is gone: nobody will read the rest
                    return 1
        if pending:
            send(dumps(("items", pending, None), protocol=pickle.HIGHEST_PROTOCOL))
        send(dumps(("done", None, _delta(report, mark)), protocol=pickle.HIGHEST_PROTOCOL))
        return 0
    except (BrokenPipeError, ConnectionResetError):
        return 1  # the parent stopped reading
    except FileRejected as error:
        kind = "unknown-layout" if isinstance(error, UnknownLayout) else "rejected"
        found = error.found if isinstance(error, UnknownLayout) else None
        with contextlib.suppress(OSError):
            send(dumps(("error", (kind, error.file, error.reason, found), _delta(report, mark))))
        return 1
    except BaseException as error:  # reported to the parent, which fails the import with it
        detail = (type(error).__name__, str(error)[:500], traceback.format_exc()[-4000:])
        with contextlib.suppress(OSError):
            send(dumps(("error", ("failed", *detail), _delta(report, mark))))
        return 1


def read_in_child(
    items: Iterator[Any], report: ImportReport, pseudonymise: Callable[[str], str] | None = None
) -> Iterator[Any]:
    """The items of `items`, produced by a forked child process; `report` is kept up to date as they arrive.

    The child is started when the first item is asked for, so it inherits the state the caller set up for the
    import (garbage collection paused, say). Batches whose identifiers the child left in clear (`items` was made
    with `columns.SharedPseudonyms`) are hashed here with `pseudonymise` before they are given out: the child
    reads, checks and hashes half the batches, this process hashes the other half and stores them all, and the two
    take about as long.
    """
    receive_fd, send_fd = os.pipe()
    _widen(send_fd)
    receiver = Connection(receive_fd, writable=False)
    parent = os.getpid()
    pid = os.fork()
    if pid == 0:  # the child
        status = 1
        try:
            receiver.close()
            for number in (signal.SIGINT, signal.SIGTERM):
                signal.signal(number, signal.SIG_DFL)
            status = _child(items, report, Connection(send_fd, readable=False), parent)
        finally:
            os._exit(status)
    os.close(send_fd)
    finished = False
    try:
        while True:
            try:
                kind, payload, delta = pickle.loads(receiver.recv_bytes())
            except EOFError:
                _, status = os.waitpid(pid, 0)
                pid = 0
                raise ReaderFailed(f"the process reading the file stopped unexpectedly ({_describe(status)})") from None
            if kind == "items":
                for item, item_delta in payload:
                    _apply(report, item_delta)
                    if isinstance(item, RecordBatch) and item.clear:
                        if pseudonymise is None:
                            raise ReaderFailed("the reader left identifiers in clear, with nothing to hash them")
                        hash_clear_columns(item, pseudonymise)
                    yield item
                continue
            _apply(report, delta)
            if kind == "done":
                finished = True
                return
            _raise(payload)
    finally:
        receiver.close()
        if pid:
            if not finished:
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)


def _widen(fd: int) -> None:
    """Ask for a pipe of PIPE_BYTES, or as much as the system allows; without it the import is only slower."""
    try:
        import fcntl

        with open("/proc/sys/fs/pipe-max-size", encoding="ascii") as limit:
            most = int(limit.read())
        if fcntl.fcntl(fd, fcntl.F_GETPIPE_SZ) < min(PIPE_BYTES, most):
            fcntl.fcntl(fd, fcntl.F_SETPIPE_SZ, min(PIPE_BYTES, most))
    except (ImportError, AttributeError, OSError, ValueError):  # not Linux, or a limit lower than the default
        pass


def _raise(payload: tuple[Any, ...]) -> None:
    kind = payload[0]
    if kind == "rejected":
        raise FileRejected(payload[1], payload[2])
    if kind == "unknown-layout":
        raise UnknownLayout(payload[1], payload[2], payload[3])
    _, name, message, trace = payload
    log.error("reading the file failed in the reader process:\n%s", trace)
    raise ReaderFailed(f"{name}: {message}")


def _describe(status: int) -> str:
    if os.WIFSIGNALED(status):
        return f"killed by signal {os.WTERMSIG(status)}"
    return f"exit status {os.waitstatus_to_exitcode(status)}"

"""Parse sources in worker processes, so that nothing a file does to its reader can stop the run.

A reader that raises anything, recurses too deep, runs out of memory, hangs, or kills its process (a segfault in a
C library on a crafted file) costs only its own file: the file gets a one-line reason, a fresh worker takes the
place of a dead one, and the run goes on. This holds with one job too: nothing is parsed in the main process.
Outcomes come back in the order of the sources.

Each worker reads its sources through one :class:`~stridewise.sources.SourceReader`, so consecutive members of an
archive are streamed from an archive opened once per worker.
"""

from __future__ import annotations

import contextlib
import faulthandler
import multiprocessing
import os
import signal
import sys
import time
from collections import deque
from collections.abc import Generator, Iterator
from dataclasses import dataclass, field
from multiprocessing.connection import Connection, wait
from multiprocessing.process import BaseProcess
from typing import TYPE_CHECKING, Final

from stridewise.errors import describe
from stridewise.ingest.parse import Outcome, parse_source
from stridewise.metrics import ElevationSettings
from stridewise.sources import SourceFile, SourceReader
from stridewise.sources.archives import MB

if TYPE_CHECKING:
    from multiprocessing.context import DefaultContext, ForkContext

# How much memory (address space) a worker may take beyond what it had when it started (the imported libraries,
# shared with the main process). The largest real FIT file (100,000 records) peaks at 31 MB. A file needing more
# gets "out of memory" instead of the machine's memory (a 1 MB zip bomb used to take 3.2 GB). Linux only.
WORKER_MEMORY_BYTES: Final = 1024 * MB
# No real file takes more than a few seconds; a 24-day, 200 MB GPX took 108 s with the old XML reader. A reader
# still busy after this long is stuck on a crafted file; it is stopped so that a nightly run always ends.
FILE_TIMEOUT_S: Final = 600.0
# Sources handed to a worker at once: the next one waits in its pipe while it reads the first, so it never idles
# while the main process stores a result.
QUEUED_PER_WORKER: Final = 2
# How many sources, per worker, may be handed out past the oldest unfinished one. Results that arrive early wait
# for it (outcomes are stored in order), so this bounds the memory they hold: an hour's run is about 0.3 MB, so
# 64 of them are some 20 MB, while one slow file (a 100,000-record FIT) does not leave the other workers idle.
AHEAD_PER_WORKER: Final = 64

Task = tuple[SourceFile, str | None]  # a source and the SHA-256 the store holds for it


def parse_isolated(todo: list[Task], jobs: int | None,
                   settings: ElevationSettings) -> Generator[Outcome, None, None]:
    """The outcome of each source of ``todo``, in order, parsed by ``jobs`` worker processes (default: cores)."""
    if not todo:
        return
    pool = _Pool(todo, settings, max(1, min(jobs or os.cpu_count() or 1, len(todo))))
    finished = False
    try:
        yield from pool.outcomes()
        finished = True
    finally:
        pool.stop(gracefully=finished)


def crash_reason(exitcode: int | None) -> str:
    """Why a worker died, as a file's one-line reason."""
    if exitcode is not None and exitcode < 0:
        try:
            name = signal.Signals(-exitcode).name
        except ValueError:
            name = f"signal {-exitcode}"
        return f"the reader crashed (killed by {name})"
    return f"the reader crashed (exit code {exitcode})"


def timeout_reason() -> str:
    return f"the reader took longer than {FILE_TIMEOUT_S:,.0f} s; stopped"


def out_of_memory_reason() -> str:
    return f"out of memory: reading it needs more than {WORKER_MEMORY_BYTES / MB:,.0f} MB"


@dataclass
class _Worker:
    process: BaseProcess
    conn: Connection
    tasks: deque[int] = field(default_factory=deque)  # sources handed to it, in order; it reads the first
    since: float = 0.0  # when it started on the first


class _Pool:
    def __init__(self, todo: list[Task], settings: ElevationSettings, count: int) -> None:
        self._todo = todo
        self._settings = settings
        self._context = _context()
        self._pending = deque(range(len(todo)))  # not yet handed out
        self._done: dict[int, Outcome] = {}  # finished, waiting for the ones before them
        self._ahead = count * AHEAD_PER_WORKER
        self._workers: list[_Worker] = []
        self._workers = [self._start() for _ in range(count)]

    def outcomes(self) -> Iterator[Outcome]:
        next_out = 0
        while next_out < len(self._todo):
            self._hand_out(next_out)
            self._collect()
            self._hand_out(next_out)
            while next_out in self._done:
                yield self._done.pop(next_out)
                next_out += 1

    def _start(self) -> _Worker:
        ours, theirs = self._context.Pipe()
        process = self._context.Process(target=_serve, args=(theirs, self._settings), daemon=True,
                                        name="stridewise-reader")
        process.start()
        theirs.close()
        return _Worker(process, ours)

    def _hand_out(self, next_out: int) -> None:
        for number, worker in enumerate(self._workers):
            while (len(worker.tasks) < QUEUED_PER_WORKER and self._pending
                   and self._pending[0] < next_out + self._ahead):
                index = self._pending.popleft()
                if not worker.tasks:
                    worker.since = time.monotonic()
                worker.tasks.append(index)
                try:
                    worker.conn.send(self._todo[index])
                except (OSError, ValueError):  # the worker is gone; it never saw this source
                    worker.tasks.pop()
                    self._pending.appendleft(index)
                    self._lost(number, None)
                    break

    def _collect(self) -> None:
        busy = [w for w in self._workers if w.tasks]
        if not busy:
            return
        deadline = min(w.since for w in busy) + FILE_TIMEOUT_S
        wait([w.conn for w in busy] + [w.process.sentinel for w in busy],
             timeout=max(0.0, deadline - time.monotonic()))
        for number, worker in enumerate(self._workers):
            if worker.tasks:
                self._receive(number)

    def _receive(self, number: int) -> None:
        worker = self._workers[number]
        try:
            while worker.tasks and worker.conn.poll():
                self._done[worker.tasks.popleft()] = worker.conn.recv()
                worker.since = time.monotonic()
        except (EOFError, OSError):  # the pipe closed: the worker died
            self._lost(number, None)
            return
        if not worker.tasks:
            return
        if not worker.process.is_alive():
            self._lost(number, None)
        elif time.monotonic() - worker.since > FILE_TIMEOUT_S:
            worker.process.kill()
            self._lost(number, timeout_reason())

    def _lost(self, number: int, reason: str | None) -> None:
        """The worker died (or was stopped) reading its first source: that source failed; the rest go back."""
        worker = self._workers[number]
        worker.process.join(timeout=5)
        if worker.process.is_alive():
            worker.process.kill()
            worker.process.join()
        worker.conn.close()
        if worker.tasks:
            index = worker.tasks.popleft()
            source = self._todo[index][0]
            self._done[index] = Outcome(source, None, error=reason or crash_reason(worker.process.exitcode))
            self._pending = deque(sorted([*worker.tasks, *self._pending]))
        self._workers[number] = self._start()

    def stop(self, *, gracefully: bool) -> None:
        for worker in self._workers:
            if gracefully:
                with contextlib.suppress(OSError, ValueError):  # already gone
                    worker.conn.send(None)
            else:
                worker.process.kill()
        for worker in self._workers:
            worker.process.join(timeout=5)
            if worker.process.is_alive():
                worker.process.kill()
                worker.process.join()
            worker.conn.close()


def _context() -> DefaultContext | ForkContext:
    # Forked workers start at once with everything imported. Elsewhere (macOS, Windows) fork is unsafe or missing,
    # and the platform's default (spawn) imports the parsers in each worker.
    return multiprocessing.get_context("fork" if sys.platform == "linux" else None)


def _serve(conn: Connection, settings: ElevationSettings) -> None:
    """A worker: read sources from ``conn`` until None, send back each one's outcome."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is for the main process, which stops the workers
    faulthandler.disable()  # a crash becomes the file's one-line reason; no traceback dump on the terminal
    _limit_memory()
    with SourceReader() as reader:
        while (task := conn.recv()) is not None:
            source, known_sha256 = task
            outcome = _parse_guarded(source, known_sha256, settings, reader)
            try:
                conn.send(outcome)
            except Exception as exc:  # the result could not be pickled (too deep, too large)
                conn.send(Outcome(source, None, error=f"the reader's result cannot be passed on ({describe(exc)})"))


def _parse_guarded(source: SourceFile, known_sha256: str | None, settings: ElevationSettings,
                   reader: SourceReader) -> Outcome:
    try:
        return parse_source(source, known_sha256, settings, reader)
    except MemoryError:
        return Outcome(source, None, error=out_of_memory_reason())
    except (Exception, SystemExit) as exc:  # any failure of a reader is this file's failure, never the run's
        return Outcome(source, None, error=f"the reader crashed ({describe(exc)})")


def _limit_memory() -> None:
    """Cap this worker's address space at what it has now plus WORKER_MEMORY_BYTES (Linux; elsewhere no cap)."""
    try:
        import resource

        with open("/proc/self/statm") as statm:
            pages = int(statm.read().split()[0])
    except (ImportError, OSError, ValueError):
        return
    limit = pages * os.sysconf("SC_PAGE_SIZE") + WORKER_MEMORY_BYTES
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    if soft == resource.RLIM_INFINITY or soft > limit:
        resource.setrlimit(resource.RLIMIT_AS, (limit, hard))

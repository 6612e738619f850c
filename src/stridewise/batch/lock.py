"""One batch at a time per report folder, and what a killed batch leaves behind.

An exclusive ``flock`` on ``.stridewise-batch.lock``, which the kernel releases when a process dies, so a killed
run's lock is taken over, never waited on. Under the lock, the temporary files a killed run left (report files are
written to ``.NAME.XXXX.tmp`` and renamed) are removed.
"""

from __future__ import annotations

import os
import socket
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Final

from stridewise.atomic import TEMP_GLOB
from stridewise.errors import LockHeldError

try:
    import fcntl
except ImportError:  # Windows: no flock; batches are not serialised there (docs/scheduling.md)
    fcntl = None  # type: ignore[assignment]

LOCK_NAME: Final = ".stridewise-batch.lock"
# The files a batch writes through write_atomic (".<name>.<random>.tmp"): only these are ours to remove (a
# report written into the same folder by `stridewise report` uses ".report-" too: it is the same file either way).
_OWN_TEMP_PREFIXES: Final = (".report-", ".index.html.", ".latest.html.", ".problems.json.", ".stridewise-batch.json.")


@contextmanager
def batch_lock(report_dir: Path) -> Iterator[str | None]:
    """Hold the report folder's lock; yields the previous holder's note when a dead run's lock is taken over."""
    report_dir.mkdir(parents=True, exist_ok=True)
    path = report_dir / LOCK_NAME
    handle = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            if fcntl is not None:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise LockHeldError(path, os.pread(handle, 200, 0).decode(errors="replace").strip() or "pid unknown") \
                from None
        previous = os.pread(handle, 200, 0).decode(errors="replace").strip() or None
        note = f"pid {os.getpid()} on {socket.gethostname()} since {datetime.now(UTC):%Y-%m-%d %H:%M:%S}Z"
        os.ftruncate(handle, 0)
        os.pwrite(handle, note.encode(), 0)
        try:
            yield previous
        finally:
            os.ftruncate(handle, 0)  # an empty lock file means the last run finished
    finally:
        os.close(handle)


def remove_stale_temp_files(report_dir: Path) -> list[Path]:
    """Delete the half-written files a killed batch left in ``report_dir``. Call only while holding the lock."""
    removed = []
    for path in report_dir.glob(TEMP_GLOB):
        if path.name.startswith(_OWN_TEMP_PREFIXES) and path.is_file():
            path.unlink(missing_ok=True)
            removed.append(path)
    return removed

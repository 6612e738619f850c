"""Write report files so that none is ever left half-written: a temporary file, then an atomic rename."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from stridewise.errors import ReportWriteError


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current


def write_atomic(path: Path, data: bytes) -> None:
    """Replace ``path`` with ``data`` in one step (rename within the same folder)."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
        try:
            os.fchmod(handle, 0o666 & ~_umask())  # mkstemp makes 0600; a report is as readable as any file
            with os.fdopen(handle, "wb") as out:
                out.write(data)
                out.flush()
                os.fsync(out.fileno())
            os.replace(temporary, path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
    except OSError as exc:
        raise ReportWriteError(path, exc.strerror or str(exc)) from exc

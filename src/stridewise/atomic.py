"""Write a file so that it is never left half-written: a temporary file in the same folder, then an atomic rename.

The one writer of every file stridewise leaves behind (reports, the batch manifest and index, the config file).
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Final

from stridewise.errors import WriteError

# The prefix and suffix of the temporary files; a batch removes leftovers of a killed run (TEMP_GLOB) under its lock.
TEMP_SUFFIX: Final = ".tmp"
TEMP_GLOB: Final = f".*{TEMP_SUFFIX}"


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current


def write_atomic(path: Path, data: bytes, *, mode: int | None = None) -> None:
    """Replace ``path`` with ``data`` in one step. ``mode``: the file's permissions (default: 0666 less the umask,
    as any program would create it; mkstemp alone gives 0600). Raises :class:`WriteError`."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=TEMP_SUFFIX, dir=path.parent)
        try:
            os.fchmod(handle, mode if mode is not None else 0o666 & ~_umask())
            with os.fdopen(handle, "wb") as out:
                out.write(data)
                out.flush()
                os.fsync(out.fileno())
            os.replace(temporary, path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
    except OSError as exc:
        raise WriteError(path, exc.strerror or str(exc)) from exc

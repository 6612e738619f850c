"""What discovery yields: activity files, archives listed in full, and paths that could not be listed."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

from stridewise.sources.strava import StravaHints

# What discovery picks up from folders and archives (a file named on the command line is read whatever its name).
ACTIVITY_SUFFIXES: Final = (".fit", ".gpx", ".tcx", ".fit.gz", ".gpx.gz", ".tcx.gz")
# Separates an archive from a member in a source key: "/home/me/export.zip!activities/123.fit.gz".
MEMBER_SEPARATOR: Final = "!"
# Control characters in a name would break the one-line messages and the summary: they are shown escaped.
_CONTROL_ESCAPES: Final = {c: f"\\x{c:02x}" for c in (*range(0x20), 0x7F)}


def is_activity_name(name: str) -> bool:
    """Whether a file name looks like an activity file (case-insensitive suffix check)."""
    return name.lower().endswith(ACTIVITY_SUFFIXES)


def printable(text: str) -> str:
    """``text`` as valid UTF-8 on one line: undecodable bytes of a file name (kept by Python as surrogates) and
    control characters become ``\\xNN``. Used for keys, messages and JSON; the real name is kept for reading."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        try:
            text = text.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
        except UnicodeEncodeError:  # a lone surrogate that is not an escaped byte
            text = text.encode("utf-8", "backslashreplace").decode("utf-8")
    return text.translate(_CONTROL_ESCAPES)


@dataclass(frozen=True)
class SourceFile:
    """One activity file. ``chain`` is (path,) for a plain file, (zip path, member, ...) for archive members.

    ``refusal`` is set when the file must not be read (an archive member beyond the limits, a nested archive that
    cannot be opened): it is then recorded as failed with that reason, like a file whose reader failed.
    """

    chain: tuple[str, ...]
    size: int
    mtime_ns: int
    hints: StravaHints | None = None
    refusal: str | None = None

    @property
    def key(self) -> str:
        return printable(MEMBER_SEPARATOR.join(self.chain))

    def read(self) -> bytes:
        """The file's bytes (decompressed from its archives, still gzip-compressed if the file itself is)."""
        from stridewise.sources.reader import SourceReader

        with SourceReader() as reader:
            return reader.read(self)


@dataclass(frozen=True)
class Archive:
    """A zip on disk whose members were all listed; yielded after them so the store can remember it."""

    key: str
    size: int
    mtime_ns: int


@dataclass(frozen=True)
class Problem:
    """A path that could not even be listed (missing, unreadable, a broken zip).

    A zip that could not be listed carries its size and time, so that the store can remember it failed and the
    next run lists it as unchanged instead of as a new failure.
    """

    key: str
    reason: str
    size: int | None = None
    mtime_ns: int | None = None

"""The one exception tree of stridewise.

Core code raises these (wrapping third-party errors with ``raise ... from exc``); only the CLI turns them into
messages and exit codes. Each error carries its context in fields, not only in text.
"""

from __future__ import annotations

import zlib
from pathlib import Path

# A described exception is cut here: a reason is one line of a summary, whatever a library wrote.
DESCRIBE_MAX_CHARS = 200


def describe(exc: BaseException) -> str:
    """One line about a third-party exception, for a reason: the OS's words for OS errors, else its class and the
    first line of its message."""
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror
    lines = str(exc).strip().splitlines()
    kind = "zlib.error" if isinstance(exc, zlib.error) else type(exc).__name__  # zlib's class is just "error"
    text = f"{kind}: {lines[0]}" if lines else kind
    return text if len(text) <= DESCRIBE_MAX_CHARS else text[:DESCRIBE_MAX_CHARS - 1] + "…"


class StridewiseError(Exception):
    """Base of every error stridewise raises on purpose."""


class InputError(StridewiseError):
    """A file (or archive member) that cannot become an activity.

    ``reason`` is one line a runner can act on; ``source`` names the file (``archive.zip!member`` for members).
    """

    def __init__(self, source: str, reason: str, *, offset: int | None = None) -> None:
        self.source = source
        # One line, whatever the library below wrote (lxml ends "Char 0x0 out of allowed range" with a newline):
        # the summary lists one reason per line, and scripts read it that way.
        self.reason = " ".join(reason.split())
        self.offset = offset
        where = f" at byte {offset}" if offset is not None else ""
        super().__init__(f"{source}: {self.reason}{where}")


class UnsupportedFormatError(InputError):
    """The file is not FIT, GPX or TCX (or a gzip/zip of them)."""


class CorruptFileError(InputError):
    """The bytes are damaged: truncated, bad CRC, not well-formed XML, impossible values."""


class EmptyActivityError(InputError):
    """The file is readable but holds nothing to analyse (no track points, a course, metadata only)."""


class StoreError(StridewiseError):
    """The SQLite store cannot be opened, read or written."""

    def __init__(self, path: str, reason: str) -> None:
        self.path = path
        self.reason = reason
        super().__init__(f"store {path}: {reason}")


class ConfigError(StridewiseError):
    """The configuration file or an option value is invalid."""


class UsageError(StridewiseError):
    """A command-line value is malformed (a week that does not exist, say): exit code 2, like any usage error."""


class WriteError(StridewiseError):
    """A file (a report, the config) cannot be written: disk full, read-only folder."""

    def __init__(self, path: Path, reason: str) -> None:
        self.path = path
        self.reason = reason
        super().__init__(f"cannot write {path}: {reason}")


class LockHeldError(StridewiseError):
    """Another batch holds the lock on this report folder."""

    def __init__(self, path: Path, holder: str) -> None:
        self.path = path
        self.holder = holder
        super().__init__(f"another batch is running on {path.parent} ({holder}); try again when it has finished")


class NotifyError(ConfigError):
    """A notify URL (``--notify``, ``$STRIDEWISE_NOTIFY`` or ``[notify] urls``) that Apprise does not understand.

    The message names the URL's scheme only: the rest may hold a password or a private topic.
    """

    def __init__(self, url: str, origin: str) -> None:
        self.url = url
        self.origin = origin
        scheme = url.split("://", 1)[0] if "://" in url else ""
        shown = f"{scheme}://..." if scheme else "a URL without a scheme"
        super().__init__(f"{origin}: {shown} is not a notify URL Apprise understands (see docs/scheduling.md, e.g. "
                         "ntfy://my-topic or mailtos://...)")

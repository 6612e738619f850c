"""Reading the bytes of sources: plain files, and archive members streamed from archives opened once.

One :class:`SourceReader` per worker process keeps the archives of the member it read last open, so the next member
of the same archive costs only its own inflation: an archive is never read whole, nor more than once per worker.
"""

from __future__ import annotations

import os
import zipfile
from types import TracebackType

from stridewise.errors import CorruptFileError, describe
from stridewise.sources.archives import MAX_FILE_BYTES, MB, NestedZip, Refused, read_member
from stridewise.sources.items import SourceFile


class SourceReader:
    """Reads sources one after the other; archives shared by consecutive members are opened once."""

    def __init__(self) -> None:
        # The open archives of the last member read, outermost first: (chain up to the archive, its zip, a closer).
        self._open: list[tuple[tuple[str, ...], zipfile.ZipFile, NestedZip | None]] = []

    def read(self, source: SourceFile) -> bytes:
        """The file's bytes (decompressed from its archives, still gzip-compressed if the file itself is)."""
        try:
            if len(source.chain) == 1:
                return read_file(source.chain[0])
            archive = self._archive(source.chain[:-1])
            return read_member(archive, archive.getinfo(source.chain[-1]), MAX_FILE_BYTES)
        except Refused as exc:
            raise CorruptFileError(source.key, exc.reason) from None
        except Exception as exc:  # a damaged archive raises anything (see sources/archives.py)
            self.close()  # do not trust the archives for the next member
            raise CorruptFileError(source.key, f"cannot read ({describe(exc)})") from exc

    def _archive(self, chain: tuple[str, ...]) -> zipfile.ZipFile:
        keep = 0
        while keep < min(len(self._open), len(chain)) and self._open[keep][0] == chain[:keep + 1]:
            keep += 1
        self._close_from(keep)
        for depth in range(keep, len(chain)):
            if depth == 0:
                self._open.append((chain[:1], zipfile.ZipFile(chain[0]), None))
            else:
                outer = self._open[-1][1]
                nested = NestedZip(outer, outer.getinfo(chain[depth]))
                self._open.append((chain[:depth + 1], nested.zip, nested))
        return self._open[-1][1]

    def _close_from(self, depth: int) -> None:
        while len(self._open) > depth:
            _, archive, nested = self._open.pop()
            (nested or archive).close()

    def close(self) -> None:
        self._close_from(0)

    def __enter__(self) -> SourceReader:
        return self

    def __exit__(self, kind: type[BaseException] | None, value: BaseException | None,
                 traceback: TracebackType | None) -> None:
        self.close()


def read_file(path: str) -> bytes:
    """A plain file's bytes, refused past MAX_FILE_BYTES."""
    with open(path, "rb") as file:
        size = os.fstat(file.fileno()).st_size
        if size > MAX_FILE_BYTES:
            raise Refused(f"{size / MB:,.0f} MB, over the {MAX_FILE_BYTES / MB:,.0f} MB limit for one activity "
                          "file; not read")
        return file.read(MAX_FILE_BYTES + 1)

"""Stage 1: bytes of one file -> normalized activities.

``parse_bytes`` recognises the format from the content (with the name as a hint), unwraps gzip, and dispatches to
the FIT, GPX or TCX reader. It raises :class:`~stridewise.errors.InputError` subclasses, never anything else.
"""

from __future__ import annotations

import zlib
from collections.abc import Callable
from typing import Final

from stridewise.errors import CorruptFileError, InputError, UnsupportedFormatError
from stridewise.model import Activity, Format
from stridewise.parsers.fit import parse_fit
from stridewise.parsers.gpx import parse_gpx
from stridewise.parsers.tcx import parse_tcx

# Bump when a parser change alters what is stored: the store re-parses files read by an older version.
PARSER_VERSION: Final = 2  # 2: points implying an impossible speed are dropped (stridewise.plausible)

_GZIP_MAGIC: Final = b"\x1f\x8b"
# A gzip member that inflates past this is not a training file (the largest real FIT files are tens of MB).
MAX_INFLATED_BYTES: Final = 512 * 1024 * 1024

_READERS: Final[dict[Format, Callable[[bytes, str], list[Activity]]]] = {
    "fit": parse_fit,
    "gpx": parse_gpx,
    "tcx": parse_tcx,
}


def sniff_format(data: bytes) -> Format | None:
    """The format of uncompressed bytes from their content: FIT has ``.FIT`` at byte 8, XML names its root."""
    if len(data) >= 12 and data[8:12] == b".FIT":
        return "fit"
    head = data[:4096].lower()
    if b"<gpx" in head:
        return "gpx"
    if b"<trainingcenterdatabase" in head:
        return "tcx"
    return None


def parse_bytes(data: bytes, source: str) -> list[Activity]:
    """Parse the bytes of one activity file; ``source`` names it in errors and in the activities."""
    if not data:
        raise CorruptFileError(source, "empty file (0 bytes)")
    if data[:2] == _GZIP_MAGIC:
        data = _gunzip(data, source)
        if not data:
            raise CorruptFileError(source, "gzip holds an empty file")
    fmt = sniff_format(data) or _format_from_name(source)
    if fmt is None:
        raise UnsupportedFormatError(source, "not a FIT, GPX or TCX file")
    try:
        return _READERS[fmt](data, source)
    except InputError:
        raise
    except (ValueError, KeyError, IndexError, TypeError, AttributeError, OverflowError) as exc:
        # A reader met a case it does not handle: report it as this file's error, never a traceback.
        raise CorruptFileError(source, f"unreadable {fmt.upper()} ({type(exc).__name__}: {exc})") from exc


def _format_from_name(source: str) -> Format | None:
    name = source.lower().removesuffix(".gz")
    for fmt in _READERS:
        if name.endswith("." + fmt):
            return fmt
    return None


def _gunzip(data: bytes, source: str) -> bytes:
    try:
        inflater = zlib.decompressobj(wbits=31)
        out = inflater.decompress(data, MAX_INFLATED_BYTES)
    except zlib.error as exc:
        raise CorruptFileError(source, f"damaged gzip ({exc})") from exc
    if inflater.unconsumed_tail:
        raise CorruptFileError(source, f"gzip inflates past {MAX_INFLATED_BYTES // 2**20} MB")
    if not inflater.eof:
        raise CorruptFileError(source, "gzip is truncated")
    return out


__all__ = ["PARSER_VERSION", "parse_bytes", "sniff_format"]

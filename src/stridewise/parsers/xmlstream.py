"""Hostile-input limits and a streaming lxml pass for the fast GPX and TCX readers.

The document is fed to a pull parser in chunks; the caller sees the end events of the elements it asks for, and
after every chunk the elements already read are deleted from the tree, so memory stays bounded whatever the file
size. lxml runs with entities, DTDs and the network off and never resolves XInclude (``xinclude()`` is never
called). Limits are checked before parsing where that is cheap (entity declarations, an element count from the
bytes) and by libxml2 while parsing (nesting depth, huge text nodes); a file beyond a limit is refused with a
one-line reason, and no other reader is tried on it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any, Final

from lxml import etree

from stridewise.errors import CorruptFileError

# libxml2's own nesting limit without XML_PARSE_HUGE (huge_tree=False): deeper documents stop with "Excessive
# depth". Real GPX/TCX nest 6-8 levels; the crash of issue 10 came from 150,000 nested <extensions> elements.
MAX_XML_DEPTH: Final = 256
# An upper bound on elements, counted from the bytes ('<' not followed by '/') before parsing. TCX writes about 13
# elements per point: 10 million is more than a week at 1 Hz (MAX_POINTS), and bounds parse time and what a
# document without prunable parts can hold in memory.
MAX_XML_ELEMENTS: Final = 10_000_000
# Track points in one file: a week at one point per second. The longest single recordings are multi-day races
# (Tor des Geants, up to 150 h: 540,000 points at 1 Hz); a file with more is several recordings joined or not a
# recording (issue 10's 24-day GPX), and reading it would take minutes.
MAX_POINTS: Final = 7 * 24 * 3600
# Elements kept in the tree at once under one unread element (a point, a Creator...): a track point has about 10.
MAX_OPEN_ELEMENTS: Final = 100_000
# Bytes fed to the parser at a time: small enough that one chunk's elements cost a few MB, large enough that the
# per-chunk pruning is negligible.
CHUNK_BYTES: Final = 256 * 1024
# The root element starts within this many bytes in any real file (after the declaration and perhaps a comment);
# without it nothing can be pruned, so a file that has not named its root by then is refused.
ROOT_WITHIN_BYTES: Final = 1024 * 1024
# The reference readers build the whole document as a tree, about ten times the file in memory: a file they must
# read (one the fast readers decline) is refused past this size, to keep ingest well under 1 GB.
MAX_REFERENCE_BYTES: Final = 64 * 1024 * 1024
# libxml2 messages that mean a resource limit was hit, not a syntax error.
_LIMIT_MESSAGES: Final = ("Excessive depth", "huge text node", "amplification", "Huge input lookup")
_ENTITY_DECLARATION: Final = re.compile(rb"<!ENTITY", re.IGNORECASE)
_TAG: Final = re.compile(rb"<(/?)[A-Za-z_]|/>")


class XmlFastPathDeclined(Exception):
    """The fast reader meets a case it does not mirror; the reference reader reads the file instead."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def check_limits(data: bytes, source: str, point: bytes) -> None:
    """Refuse, before any reader sees it, XML that declares entities or has more elements or points (``point``
    elements, counted as the name appears in start and end tags) than any recording."""
    if _ENTITY_DECLARATION.search(data):
        raise CorruptFileError(source, "XML declares entities (<!ENTITY>); GPX and TCX files never do, so it is "
                                       "not read")
    elements = data.count(b"<") - data.count(b"</")
    if elements > MAX_XML_ELEMENTS:
        raise CorruptFileError(source, f"XML has more than {MAX_XML_ELEMENTS:,} elements ({elements:,}); "
                                       "no recording is that long")
    points = data.count(point) // 2
    if points > MAX_POINTS:
        raise CorruptFileError(source, f"{points:,} track points, more than a week at one per second "
                                       f"({MAX_POINTS:,}); not a single recording")


def check_for_reference(data: bytes, source: str) -> None:
    """Limits for the reference readers, which build the whole tree: size, then nesting depth."""
    if len(data) > MAX_REFERENCE_BYTES:
        raise CorruptFileError(source, f"an XML file over {MAX_REFERENCE_BYTES // 2**20} MB that only the "
                                       "repairing reader could read; it is not read")
    check_depth(data, source)


def check_depth(data: bytes, source: str) -> None:
    """Refuse XML nested deeper than MAX_XML_DEPTH, by a scan of the tags (for the reference readers, which
    build the whole tree and crash on very deep input). Comments and CDATA are not special-cased: a rough count
    that can only err on the side of refusing absurd files."""
    depth = 0
    for match in _TAG.finditer(data):
        if match.group(0) == b"/>" or match.group(1):
            depth -= 1
        else:
            depth += 1
            if depth > MAX_XML_DEPTH:
                raise _depth_error(source)


def _depth_error(source: str) -> CorruptFileError:
    return CorruptFileError(source, f"XML nested deeper than {MAX_XML_DEPTH} elements; no GPX or TCX file is")


def local_name(tag: Any) -> str:
    """``name`` of ``{namespace}name`` (tags are texts: comments and processing instructions are removed)."""
    return str.rsplit(tag, "}", 1)[-1]


def stream(data: bytes, source: str, wanted: tuple[str, ...], containers: frozenset[str],
           headers: Mapping[str, frozenset[str]]) -> Iterator[etree._Element]:
    """Yield the root once (``wanted[0]`` must be its tag), then every element whose tag is in ``wanted``
    (``{*}name`` matches any namespace), complete, in document order.

    After each chunk, completed children of the ``containers`` (local names) on the path being parsed are deleted,
    except the first child of each name in ``headers[container]``, which the caller reads from its parent later. Raises
    :class:`XmlFastPathDeclined` on a syntax error (the reference reader then gives its own message), and
    :class:`CorruptFileError` when a limit is hit.
    """
    parser = etree.XMLPullParser(
        events=("start", "end"), tag=wanted,
        resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False,
        remove_comments=True, remove_pis=True)
    root: etree._Element | None = None
    try:
        for begin in range(0, len(data), CHUNK_BYTES):
            parser.feed(data[begin:begin + CHUNK_BYTES])
            for event, element in parser.read_events():
                if root is None:
                    root = element.getroottree().getroot()
                    yield root
                if event == "end":
                    yield element
            if root is not None:
                _prune(root, containers, headers, source)
            elif begin + CHUNK_BYTES >= ROOT_WITHIN_BYTES:
                raise CorruptFileError(source, f"no <{local_name(wanted[0])}> element in the first "
                                               f"{ROOT_WITHIN_BYTES // 2**20} MB")
        parser.close()
        for event, element in parser.read_events():
            if event == "end":
                yield element
    except etree.XMLSyntaxError as exc:
        message = str(exc)
        if "Excessive depth" in message:
            raise _depth_error(source) from exc
        if any(words in message for words in _LIMIT_MESSAGES):
            raise CorruptFileError(source, f"XML beyond the parser's limits ({message})") from exc
        raise XmlFastPathDeclined(f"not well-formed for lxml ({message})") from exc


def _prune(root: etree._Element, containers: frozenset[str], headers: Mapping[str, frozenset[str]],
           source: str) -> None:
    """Delete what was read: along the open path, the completed children of containers (all but the last)."""
    node = root
    while len(node):
        name = local_name(node.tag)
        if name not in containers:
            _check_open_size(node, source)
            return
        kept_names = headers.get(name)
        if kept_names is None:
            del node[:-1]  # a container of points: one slice, no element objects made
        else:
            kept: set[str] = set()
            for child in list(node)[:-1]:
                child_name = local_name(child.tag)
                if child_name in kept_names and child_name not in kept:
                    kept.add(child_name)
                else:
                    node.remove(child)
        node = node[-1]


def _check_open_size(node: etree._Element, source: str) -> None:
    for count, _ in enumerate(node.iter()):
        if count > MAX_OPEN_ELEMENTS:
            raise CorruptFileError(source, f"one <{local_name(node.tag)}> holds more than {MAX_OPEN_ELEMENTS:,} "
                                           "elements; no GPX or TCX element does")

"""Turn GPX/TCX bytes into text an XML parser accepts, repairing the two faults real exports have.

Times written without a zone are noted too (the readers take them as UTC, as GPX 1.1 says times are).

- Whitespace or a byte-order mark before the XML declaration (Polar Flow's TCX export): strict parsers reject
  the file although nothing is lost by stripping it.
- A namespace prefix used but never declared (older Strava GPX exports write ``gpxdata:`` elements without
  declaring it): declaring the prefix on the root element makes the file well-formed and loses nothing.
Every repair is reported, so the activity carries a warning.
"""

from __future__ import annotations

import re
from typing import Final, Literal

from stridewise.parsers.xmlstream import XmlFastPathDeclined

_DECLARED: Final = re.compile(r"\sxmlns:([A-Za-z_][\w.-]*)\s*=")
_USED: Final = re.compile(r"</?([A-Za-z_][\w.-]*):[A-Za-z_]")
_ROOT_START: Final = re.compile(r"<(?![?!])[A-Za-z_][\w.:-]*")
# A GPX <time> or TCX <Time>/<Id>/StartTime value with no "Z" and no offset: a local time whose zone is unknown.
_LOCAL_TIME_VALUE: Final = r"\s*\d{4}-\d\d-\d\dT\d\d:\d\d(?::\d\d(?:\.\d+)?)?\s*[<\"]"
_NAIVE_TIME: Final = re.compile(r"(?:<(?:\w+:)?(?:[Tt]ime|Id)>|StartTime=\")" + _LOCAL_TIME_VALUE)
NAIVE_TIME_WARNING: Final = "times carry no time zone: read as UTC, so the local day may be wrong"
_NAIVE_TIME_BYTES: Final = re.compile(_NAIVE_TIME.pattern.encode())  # the same search for the fast readers
# The same times found from a literal each of the pattern's beginnings contains: the full pattern is tried at every
# "<" of the file (about a fifth of the fast GPX path's time), these let the regex engine skip to the candidates.
_NAIVE_TIME_HINTS: Final = tuple(re.compile(re.escape(literal) + _LOCAL_TIME_VALUE.encode())
                                 for literal in (b"ime>", b"Id>", b'StartTime="'))
# Prefixes that are always bound in XML.
_BUILTIN: Final = frozenset({"xml", "xmlns"})


def decode_xml(data: bytes, warnings: list[str]) -> str:
    """Decode as UTF-8 (the encoding of every GPX/TCX we have seen), else Latin-1, noting the fallback."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("latin-1")
        warnings.append("file is not valid UTF-8; read as Latin-1")
    if _NAIVE_TIME.search(text):
        warnings.append(NAIVE_TIME_WARNING)
    stripped = text.lstrip()
    if stripped.startswith("<?xml") and len(stripped) != len(text):
        warnings.append("repaired: whitespace before the XML declaration removed")
        text = stripped
    return text


def declare_missing_prefixes(text: str, warnings: list[str]) -> str:
    """Declare on the root element every namespace prefix the document uses but never declares."""
    declared = set(_DECLARED.findall(text)) | _BUILTIN
    missing = sorted(set(_USED.findall(text)) - declared)
    if not missing:
        return text
    root = _ROOT_START.search(text)
    if root is None:
        return text
    declarations = "".join(f' xmlns:{p}="urn:stridewise:undeclared:{p}"' for p in missing)
    warnings.append(f"repaired: undeclared namespace prefix {', '.join(missing)}")
    return text[: root.end()] + declarations + text[root.end():]


XmlReader = Literal["auto", "reference"]
_BOM: Final = b"\xef\xbb\xbf"
_DECLARED_ENCODING: Final = re.compile(rb"""^\s*<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9._-]+)["']""")


def strip_before_declaration(data: bytes, warnings: list[str]) -> bytes:
    """For the fast readers: the bytes without a byte-order mark and the whitespace before the XML declaration,
    repaired and reported as :func:`decode_xml` does. Declines (the reference reader then decodes the text) when
    the declaration names an encoding other than UTF-8, since the reference reads those as Latin-1 with a warning.
    """
    data = data.removeprefix(_BOM)
    declared = _DECLARED_ENCODING.match(data[:1024])
    if declared is not None and declared.group(1).lower().replace(b"_", b"-") not in (b"utf-8", b"utf8"):
        raise XmlFastPathDeclined(f"encoding {declared.group(1).decode()} (the reference decodes it)")
    if has_naive_time(data):
        warnings.append(NAIVE_TIME_WARNING)
    stripped = data.lstrip()
    if stripped.startswith(b"<?xml") and len(stripped) != len(data):
        warnings.append("repaired: whitespace before the XML declaration removed")
        return stripped
    return data


def has_naive_time(data: bytes) -> bool:
    """Whether ``_NAIVE_TIME_BYTES`` finds a time without a zone: each candidate of the hints is confirmed by the full
    pattern from the "<" before it (a tag's name and prefix hold no "<")."""
    for hint in _NAIVE_TIME_HINTS:
        for candidate in hint.finditer(data):
            if _NAIVE_TIME_BYTES.search(data, max(data.rfind(b"<", 0, candidate.start()), 0), candidate.end()):
                return True
    return False

"""What a FIT field's bytes mean, value for value as fitparse renders them.

fitparse is the reference decoder, so names, enum names, scales, offsets, subfields and components come from its
profile tables (``fitparse.profile``), and the corners of its rendering are mirrored on purpose: an invalid value
is ``None``, an array or a misaligned field is a tuple, a field's components are listed before the field, and of
two values with one name the later wins. :func:`decode_message` renders one data message as fitparse's
``get_values()`` would; :func:`record_columns` renders all record messages of one definition at once into numpy
arrays (NaN where fitparse has ``None`` or a non-number).
"""

from __future__ import annotations

import functools
import struct
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, time
from typing import Any, Final

import numpy as np
from fitparse.profile import FIELD_TYPE_TIMESTAMP

# FIT date_time counts seconds from 1989-12-31T00:00Z (FIT SDK, "date_time"; fitparse's UTC_REFERENCE).
FIT_EPOCH_S: Final = 631065600
FIT_EPOCH: Final = datetime(1989, 12, 31)
# date_time values below this are device ticks, not clock times (FIT SDK); fitparse leaves them as integers.
DATE_TIME_MIN: Final = 0x10000000
TIMESTAMP_NUM: Final = 253
# The record fields parse_fit reads, by fitparse's names; "timestamp" is kept as raw FIT seconds.
RECORD_FIELDS: Final = ("timestamp", "position_lat", "position_long", "distance", "enhanced_altitude", "altitude",
                        "heart_rate", "cadence", "fractional_cadence", "enhanced_speed", "speed")
# Field types fitparse's data processor turns into datetime/time objects, which fails on arrays and strings.
_TIME_TYPES: Final = frozenset({"date_time", "local_date_time", "localtime_into_day"})
# numpy type and invalid sentinel of each FIT base type (FIT SDK, "base types"); floats are invalid when NaN.
_NUMPY_TYPES: Final[dict[str, tuple[str, int | None]]] = {
    "enum": ("u1", 0xFF), "sint8": ("i1", 0x7F), "uint8": ("u1", 0xFF), "uint8z": ("u1", 0),
    "sint16": ("i2", 0x7FFF), "uint16": ("u2", 0xFFFF), "uint16z": ("u2", 0),
    "sint32": ("i4", 0x7FFFFFFF), "uint32": ("u4", 0xFFFFFFFF), "uint32z": ("u4", 0),
    "sint64": ("i8", 0x7FFFFFFFFFFFFFFF), "uint64": ("u8", 0xFFFFFFFFFFFFFFFF), "uint64z": ("u8", 0),
    "float32": ("f4", None), "float64": ("f8", None),
}
_INTEGER_TYPES: Final = frozenset(name for name, (code, _) in _NUMPY_TYPES.items() if code[0] in "iu")


class FastPathUnsupported(Exception):
    """The fast FIT decoder met a case it leaves to fitparse; ``reason`` says which.

    Internal to the FIT reader: ``parsers/fit.py`` catches it, logs the reason and decodes with fitparse.
    """

    def __init__(self, reason: str) -> None:
        self.reason = reason
        super().__init__(reason)


@dataclass(frozen=True, slots=True)
class FieldDef:
    """One field of a definition message, with where its bytes sit in each data message."""

    num: int
    offset: int  # bytes after the message header
    size: int  # bytes fitparse reads for it: a whole number of base-type values
    base: Any  # fitparse BaseType the bytes are read as
    field: Any  # fitparse Field of the profile, DevField of a developer, or None (unknown to the profile)
    dev: bool
    unpack: Any  # struct.Struct(...).unpack_from for the field's values
    value_size: int  # bytes of one value of the base type
    scalar: bool  # one value of a numeric type (not an array, a string, or bytes)


@dataclass(slots=True)
class Definition:
    """A definition message: what the data messages of one local type hold."""

    mesg_num: int
    mesg_type: Any  # fitparse MessageType, or None for a message the profile does not know
    endian: str  # "<" or ">"
    fields: tuple[FieldDef, ...]  # the profile's fields first, then developer fields
    n_normal: int
    size: int  # bytes of a data message after its header
    kind: int = 0  # set by fitfast: how its data messages are handled
    unsupported: str | None = None  # why a data message of this definition sends the file to fitparse
    stamps: tuple[FieldDef, ...] = ()  # its timestamp fields, which feed compressed timestamps
    ts_unpack: Any = None  # unpack_from of all its timestamp fields at once, from ts_offset
    ts_offset: int = 0
    ts_invalid: int | None = None
    accumulating: tuple[tuple[int, int], ...] = ()  # (mesg, field) accumulators fitparse resets on definition
    record_plan: dict[str, tuple[int, Any]] = field(default_factory=dict)  # see plan_records()
    record_running: dict[str, tuple[int, Any]] = field(default_factory=dict)  # running totals it feeds
    index: int = -1  # position among the file's record definitions


# Devices repeat the same definitions in every file (and many times in one): their fields are made once.
FIELD_CACHE_SIZE: Final = 65536


@functools.lru_cache(maxsize=FIELD_CACHE_SIZE)
def field_def(num: int, offset: int, size: int, base: Any, profile_field: Any, *, dev: bool, endian: str) -> FieldDef:
    value_size = base_size(base)
    count = size // value_size
    return FieldDef(num, offset, count * value_size, base, profile_field, dev,
                    _unpacker(f"{endian}{count}{base.fmt}") if count else None, value_size,
                    count == 1 and base.name in _NUMPY_TYPES)


def base_size(base: Any) -> int:
    """Bytes of one value of a fitparse BaseType (its ``size`` property recomputes it on every call)."""
    return _BASE_SIZES.get(base.fmt) or _BASE_SIZES.setdefault(base.fmt, struct.calcsize(f"<{base.fmt}"))


_BASE_SIZES: dict[str, int] = {}


@functools.cache
def _unpacker(layout: str) -> Any:
    return struct.Struct(layout).unpack_from


def plan_timestamps(definition: Definition) -> str | None:
    """Set how to read the definition's timestamp fields, which feed compressed timestamps; or say why not.

    fitparse takes every valid field numbered 253 (developer ones too) as the last full timestamp.
    """
    stamps = tuple(fd for fd in definition.fields if fd.num == TIMESTAMP_NUM)
    if not stamps:
        return None
    if any(not fd.scalar or fd.base.name.startswith("float") or fd.base is not stamps[0].base for fd in stamps):
        return f"message {definition.mesg_num} has an unusual timestamp field"
    layout, at = definition.endian, stamps[0].offset
    for fd in stamps:
        layout += f"{fd.offset - at}x{fd.base.fmt}" if fd.offset > at else fd.base.fmt
        at = fd.offset + fd.size
    definition.stamps = stamps
    definition.ts_unpack = _unpacker(layout)
    definition.ts_offset = stamps[0].offset
    definition.ts_invalid = _NUMPY_TYPES[stamps[0].base.name][1]
    return None


def processing_risk(definition: Definition) -> str | None:
    """Why fitparse's rendering of this definition's messages could raise, or None when it cannot.

    Messages of a risky definition are rendered one by one (and the file sent to fitparse if that raises), never
    skipped unseen: fitparse renders every message, and an error in one it does not keep still stops it.
    """
    for fd in definition.fields[:definition.n_normal]:
        if fd.field is None:
            continue
        variants = [fd.field, *(fd.field.subfields or ())]
        components = [c for v in variants for c in (v.components or ())]
        targets = [definition.mesg_type.fields[c.def_num] for c in components]
        types = {v.type.name for v in variants} | {s.type.name for t in targets for s in (t, *(t.subfields or ()))}
        if types & {"local_date_time", "localtime_into_day"}:
            return f"{fd.field.name} is a local time"
        if not fd.scalar and (types & _TIME_TYPES or (components and fd.base.name != "byte")):
            return f"{fd.field.name} is an array or text with a time type or components"
        if "date_time" in types and fd.value_size > 4:
            return f"{fd.field.name} is a 64-bit time"
        if components and fd.base.name not in _INTEGER_TYPES and fd.base.name != "byte":
            return f"{fd.field.name} has components but holds {fd.base.name}"
    return None


def plan_records(definition: Definition) -> None:
    """Set, for each of RECORD_FIELDS, the field (index) and component (or None) whose value fitparse keeps.

    fitparse lists a field's components before the field itself and keeps the last value of a name, so in a record
    defined as [enhanced_altitude, altitude] the altitude's 16-bit component wins over the 32-bit field.
    """
    writers: dict[str, tuple[int, Any]] = {}
    for index, fd in enumerate(definition.fields):
        if fd.dev:
            if fd.field.name in RECORD_FIELDS:
                raise FastPathUnsupported(f"a developer field is named {fd.field.name}")
            continue
        profile_field = fd.field
        if profile_field is None:
            continue
        if profile_field.subfields:
            raise FastPathUnsupported(f"record field {profile_field.name} has subfields")
        for component in profile_field.components or ():
            target = definition.mesg_type.fields[component.def_num]
            if target.name not in RECORD_FIELDS:
                continue
            if fd.base.name == "byte" and component.bit_offset and component.bit_offset >= 8 * fd.size:
                continue  # fitparse's component.render raises ValueError for it, and the component is skipped
            if not ((fd.scalar and fd.base.name in _INTEGER_TYPES and fd.value_size <= 4)
                    or (fd.base.name == "byte" and fd.size <= 7)):
                raise FastPathUnsupported(f"record field {profile_field.name} has components but holds "
                                          f"{fd.size} bytes of {fd.base.name}")
            if component.accumulate:
                if target.name in definition.record_running:
                    raise FastPathUnsupported(f"two record fields accumulate into {target.name}")
                definition.record_running[target.name] = (index, component)
            writers[target.name] = (index, component)
        if profile_field.name in RECORD_FIELDS:
            if getattr(profile_field.type, "values", None):
                raise FastPathUnsupported(f"record field {profile_field.name} is an enum")
            writers[profile_field.name] = (index, None)
    definition.record_plan = writers


def record_columns(definition: Definition, rows: np.ndarray) -> tuple[dict[str, np.ndarray], dict[str, np.ndarray]]:
    """Render record messages of one definition, ``rows`` holding their bytes (one message per row).

    Returns the values of RECORD_FIELDS (those written by an accumulating component are left out), and for each
    running total the definition feeds, the counter values it adds (NaN where fitparse's raw value is None).
    """
    plan, running = definition.record_plan, definition.record_running
    used = sorted({index for index, _ in [*plan.values(), *running.values()]
                   if definition.fields[index].scalar or definition.fields[index].base.name == "byte"})
    dtype = np.dtype({
        "names": [f"f{i}" for i in used],
        "formats": [_numpy_format(definition.fields[i], definition.endian) for i in used],
        "offsets": [definition.fields[i].offset for i in used],
        "itemsize": definition.size,
    })
    table = np.ascontiguousarray(rows).view(dtype).reshape(-1)
    out = {}
    for name, (index, component) in plan.items():
        fd = definition.fields[index]
        if component is not None:
            if not component.accumulate:
                out[name] = _scaled(_component(fd, table[f"f{index}"], component), component)
        elif not fd.scalar:  # an array, text or misaligned bytes: a tuple or a string in fitparse, never a number
            out[name] = np.full(len(table), np.nan)
        else:
            raw = table[f"f{index}"]
            values = _scaled(raw.astype(np.float64), fd.field)
            values[_missing(fd, raw)] = np.nan
            out[name] = values
    counters = {name: _component(definition.fields[index], table[f"f{index}"], component)
                for name, (index, component) in running.items()}
    return out, counters


def running_totals(counters: np.ndarray, resets: np.ndarray, bits: int) -> np.ndarray:
    """fitparse's accumulation of a rolling ``bits``-bit counter over the records, in file order.

    ``counters`` is NaN where a record does not feed the total; ``resets`` are the record numbers at which a
    definition message set the total back to 0. Each time the counter is lower than the one before, it wrapped.
    """
    totals = np.full(len(counters), np.nan)
    fed = np.flatnonzero(~np.isnan(counters))
    if not len(fed):
        return totals
    values = counters[fed]
    segment = np.searchsorted(resets, fed, side="right")
    wrapped = np.zeros(len(fed), dtype=np.int64)
    wrapped[1:] = (values[1:] < values[:-1]) & (segment[1:] == segment[:-1])
    wraps = np.cumsum(wrapped)
    first = np.flatnonzero(np.r_[True, segment[1:] != segment[:-1]])
    wraps -= np.repeat(wraps[first], np.diff(np.r_[first, len(fed)]))
    totals[fed] = values + wraps * float(1 << bits)
    return totals


def scaled(values: np.ndarray, spec: Any) -> np.ndarray:
    """Apply a profile field's or component's scale and offset, as fitparse does (divide, then subtract)."""
    return _scaled(values, spec)


def _numpy_format(fd: FieldDef, endian: str) -> str:
    if fd.base.name == "byte":
        return f"({fd.size},)u1"
    return endian + _NUMPY_TYPES[fd.base.name][0]


def _missing(fd: FieldDef, raw: np.ndarray) -> np.ndarray:
    """Where fitparse's raw value is None: the base type's invalid sentinel, or bytes all 0xFF."""
    if fd.base.name == "byte":
        return np.asarray(np.all(raw == 0xFF, axis=1))
    invalid = _NUMPY_TYPES[fd.base.name][1]
    return np.asarray(np.isnan(raw) if invalid is None else raw == invalid)


def _component(fd: FieldDef, raw: np.ndarray, component: Any) -> np.ndarray:
    """A component's counter value (before scale), NaN where fitparse's raw value is None."""
    if fd.base.name == "byte":  # fitparse reads bytes as one little-endian number
        number = np.zeros(len(raw), dtype=np.int64)
        for i in range(fd.size):
            number |= raw[:, i].astype(np.int64) << (8 * i)
    else:
        number = raw.astype(np.int64)
    values: np.ndarray = ((number >> component.bit_offset) & ((1 << component.bits) - 1)).astype(np.float64)
    values[_missing(fd, raw)] = np.nan
    return values


def _scaled(values: np.ndarray, spec: Any) -> np.ndarray:
    if spec.scale:
        values = values / float(spec.scale)
    if spec.offset:
        values = values - spec.offset
    return values


def columns_from_values(records: Sequence[dict[str, Any]]) -> dict[str, np.ndarray]:
    """RECORD_FIELDS columns from fitparse-style value dicts (times as raw FIT seconds, NaN for non-numbers)."""
    out = {name: np.full(len(records), np.nan) for name in RECORD_FIELDS}
    for i, values in enumerate(records):
        for name in RECORD_FIELDS:
            value = values.get(name)
            if isinstance(value, int | float):
                out[name][i] = value
            elif isinstance(value, datetime) and name == "timestamp":
                out[name][i] = (value - FIT_EPOCH).total_seconds()
    return out


def decode_message(definition: Definition, buf: bytes, start: int, n_fields: int, timestamp: int | None,
                   accumulators: dict[int, dict[int, int]]) -> dict[Any, Any]:
    """One data message's values as fitparse's ``DataMessage.get_values()`` gives them.

    ``n_fields`` is less than all when the file ends inside the message (fitparse keeps the fields it could read);
    ``timestamp`` is the value of a compressed-timestamp header.
    """
    fields = definition.fields[:n_fields]
    raws = [read_raw(fd, buf, start) for fd in fields]
    normal = {(fd.num, raw) for fd, raw in zip(definition.fields[:definition.n_normal], raws, strict=False)}
    values: list[tuple[Any, Any]] = []
    for fd, raw in zip(fields, raws, strict=True):
        if fd.dev:
            values.append((fd.field.name or fd.num, raw))
            continue
        if fd.field is None:
            values.append((f"unknown_{fd.num}", raw))
            continue
        rendered = _resolve_subfield(fd.field, normal)
        for component in rendered.components or ():
            try:
                part = component.render(raw)
            except ValueError:
                continue
            if component.accumulate and part is not None:
                totals = accumulators[definition.mesg_num]
                part = _accumulated(part, totals[component.def_num], component.bits)
                totals[component.def_num] = part
            part = _scale_offset(component, part)
            target = _resolve_subfield(definition.mesg_type.fields[component.def_num], normal)
            values.append((target.name, _processed(target.type.name, target.render(part))))
        values.append((rendered.name, _processed(rendered.type.name, _scale_offset(rendered, rendered.render(raw)))))
    if timestamp is not None:
        values.append(("timestamp", _processed("date_time", FIELD_TYPE_TIMESTAMP.render(timestamp))))
    return dict(values)


def raw_value(definition: Definition, buf: bytes, start: int, n_fields: int, name: str) -> Any:
    """fitparse's ``get_raw_value(name)`` for the messages without components (developer data ones)."""
    for fd in definition.fields[:min(n_fields, definition.n_normal)]:
        if fd.field is not None and fd.field.name == name:
            return read_raw(fd, buf, start)
    return None


def read_raw(fd: FieldDef, buf: bytes, start: int) -> Any:
    """A field's raw value as fitparse reads it: None when invalid, a tuple for bytes and arrays."""
    unpacked = fd.unpack(buf, start + fd.offset)
    if fd.base.name == "byte":
        return fd.base.parse(unpacked)
    if len(unpacked) > 1:
        return tuple(fd.base.parse(v) for v in unpacked)
    return fd.base.parse(unpacked[0])


def compressed_time(offset: int, last: int) -> int:
    """The time of a compressed-timestamp header: 5 bits of seconds rolled over against the last full time."""
    return _accumulated(offset, last, 5)


def _accumulated(raw: int, last: int, bits: int) -> int:
    # As fitparse's _apply_compressed_accumulation (FIT SDK, "compressed timestamp header").
    rollover = 1 << bits
    value = raw + (last & ~(rollover - 1))
    if raw < (last & (rollover - 1)):
        value += rollover
    return value


def _resolve_subfield(profile_field: Any, normal: set[tuple[int, Any]]) -> Any:
    """The subfield whose reference field holds its value in this message (``normal``: (number, raw) pairs)."""
    for subfield in profile_field.subfields or ():
        for ref in subfield.ref_fields:
            if (ref.def_num, ref.raw_value) in normal:
                return subfield
    return profile_field


def _scale_offset(spec: Any, raw: Any) -> Any:
    if isinstance(raw, tuple):
        return tuple(_scale_offset(spec, x) for x in raw)
    if isinstance(raw, int | float):
        if spec.scale:
            raw = float(raw) / spec.scale
        if spec.offset:
            raw = raw - spec.offset
    return raw


def _processed(type_name: str, value: Any) -> Any:
    """fitparse's FitFileDataProcessor: booleans, and FIT times as naive UTC datetimes."""
    if value is None:
        return None
    if type_name == "bool":
        return bool(value)
    if (type_name == "date_time" and value >= DATE_TIME_MIN) or type_name == "local_date_time":
        return datetime.fromtimestamp(FIT_EPOCH_S + value, tz=UTC).replace(tzinfo=None)
    if type_name == "localtime_into_day":
        if value >= 86400:
            return time.max
        minutes, seconds = divmod(value, 60)
        hours, minutes = divmod(minutes, 60)
        return time(hours, minutes, seconds)
    return value
